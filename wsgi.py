"""Entry point for `python wsgi.py` (what `make run` serves) and gunicorn (`-k gevent -w 1 wsgi:app`).

`python wsgi.py` serves with gevent: one process, one OS thread, a greenlet per connection. It
fans one update out to 1,000 sockets for a quarter to a third of the CPU that werkzeug's
threads need (docs/benchmarks.md, Fan-out). `ONTMOET_SERVER=threading` falls back to werkzeug.
"""

from __future__ import annotations

import gc
import os
import re
import sys

if __name__ == "__main__" and os.environ.get("ONTMOET_SERVER", "gevent") == "gevent":
    # Before anything else is imported, so sockets, locks and sleeps all cooperate.
    from gevent import monkey

    monkey.patch_all()

from facilitatie import create_app
from facilitatie.extensions import socketio

app = create_app()


class _ZonderAdressen:
    """gevent's error log names the client's address on a bad request: anonymous means not even that."""

    _ADRES = re.compile(
        r"\b\d{1,3}(?:\.\d{1,3}){3}\b"  # IPv4
        r"|[0-9A-Fa-f]*::[0-9A-Fa-f:]*[0-9A-Fa-f]|::"  # IPv6 with ::
        r"|\b(?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}\b"  # IPv6 in full
    )

    def write(self, tekst: str) -> None:
        sys.stderr.write(self._ADRES.sub("-", tekst))

    def writelines(self, regels: list[str]) -> None:
        for regel in regels:
            self.write(regel)

    def flush(self) -> None:
        sys.stderr.flush()


if __name__ == "__main__":
    host = os.environ.get("HOST", "127.0.0.1")
    port = int(os.environ.get("PORT", "5000"))
    # A full collection walks every live object (~100 ms with 1,000 sockets open) and stalls every
    # update in flight: keep what startup made out of it and run the collector far less often.
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 10)
    print(f"Ontmoet draait op http://{host}:{port}  (stoppen: Ctrl+C)", flush=True)
    # log_output=False: an access log would write client IP addresses (anonymous means anonymous).
    extra = {"error_log": _ZonderAdressen()} if socketio.server.eio.async_mode == "gevent" else {}
    socketio.run(app, host=host, port=port, allow_unsafe_werkzeug=True, log_output=False, **extra)
