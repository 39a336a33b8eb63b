"""Entry point for `python wsgi.py` (embedded default) and gunicorn (`-w 1 --threads N wsgi:app`)."""

from __future__ import annotations

import os

from facilitatie import create_app
from facilitatie.extensions import socketio

app = create_app()

if __name__ == "__main__":
    host = os.environ.get("HOST", "127.0.0.1")
    port = int(os.environ.get("PORT", "5000"))
    print(f"Ontmoet draait op http://{host}:{port}  (stoppen: Ctrl+C)", flush=True)
    # Werkzeug with simple-websocket: fine for one process; see docs/benchmarks.md for scale-out.
    socketio.run(app, host=host, port=port, allow_unsafe_werkzeug=True)
