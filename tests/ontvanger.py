"""A tiny HTTP receiver for webhook tests: a real server on a free port that records every POST."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Ontvangen:
    """One request the receiver got: its headers and the exact body bytes."""

    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> dict:
        return json.loads(self.body)


@dataclass
class Ontvanger:
    """A tiny HTTP server on a free port that records every POST and answers from `antwoorden`.

    `antwoorden` is a list of status codes used in order, the last one repeating; `vertraging`
    slows each answer down (to let two senders overlap).
    """

    url: str = ""
    ontvangen: list[Ontvangen] = field(default_factory=list)
    antwoorden: list[int] = field(default_factory=lambda: [200])
    vertraging: float = 0.0
    _slot: threading.Lock = field(default_factory=threading.Lock)

    def antwoord(self) -> int:
        with self._slot:
            n = len(self.ontvangen)
        return self.antwoorden[min(n - 1, len(self.antwoorden) - 1)]


@contextmanager
def ontvanger_op_vrije_poort() -> Iterator[Ontvanger]:
    """Start the receiver on 127.0.0.1 and a free port; stop it afterwards."""
    staat = Ontvanger()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            lengte = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(lengte)
            with staat._slot:
                staat.ontvangen.append(Ontvangen(headers=dict(self.headers.items()), body=body))
            if staat.vertraging:
                time.sleep(staat.vertraging)
            code = staat.antwoord()
            self.send_response(code)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *_args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    staat.url = f"http://127.0.0.1:{server.server_address[1]}/ontmoet/webhook"
    draad = threading.Thread(target=server.serve_forever, daemon=True)
    draad.start()
    try:
        yield staat
    finally:
        server.shutdown()
        server.server_close()


def wacht_op(ontvanger: Ontvanger, aantal: int, timeout: float = 20.0) -> None:
    """Wait until the receiver got `aantal` requests (the sender runs in the background)."""
    einde = time.monotonic() + timeout
    while len(ontvanger.ontvangen) < aantal:
        if time.monotonic() > einde:
            raise AssertionError(f"{len(ontvanger.ontvangen)} of {aantal} deliveries arrived within {timeout}s")
        time.sleep(0.1)
