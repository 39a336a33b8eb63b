"""Fixtures for the API's signalen endpoint and webhooks: the opvolging world and a real HTTP receiver."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.opvolging.conftest import wereld  # noqa: F401 - the same hand-made world as the opvolging tests


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


@pytest.fixture
def ontvanger() -> Iterator[Ontvanger]:
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
    yield staat
    server.shutdown()
    server.server_close()
