"""Entry point for `python wsgi.py` (what `make run` serves) and gunicorn (`-k gevent -w 1 wsgi:app`).

`python wsgi.py` serves with gevent: one process, one OS thread, a greenlet per connection. It
fans one update out to 1,000 sockets for a quarter to a third of the CPU that werkzeug's
threads need (docs/benchmarks.md, Fan-out). `ONTMOET_SERVER=threading` falls back to werkzeug.
At start the process raises its soft limit on open files to the hard limit (a socket each).
"""

from __future__ import annotations

import gc
import os

if __name__ == "__main__" and os.environ.get("ONTMOET_SERVER", "gevent") == "gevent":
    # Before anything else is imported, so sockets, locks and sleeps all cooperate.
    from gevent import monkey

    monkey.patch_all()

from gevent import get_hub

from facilitatie import adres, create_app
from facilitatie.database import ZonderAdressen
from facilitatie.extensions import socketio
from facilitatie.serveren import meld_bestandslimiet, verhoog_bestandslimiet

# A socket per deelnemer: the soft limit on open files (often 1,024) up to the hard limit, also
# under gunicorn (its workers import this module).
_bestandslimiet = verhoog_bestandslimiet()
try:
    app = create_app()
except RuntimeError as fout:
    if __name__ == "__main__":
        # A wrong setting (CONTRACT.md): say which in one line, no traceback.
        raise SystemExit(str(fout)) from None
    raise


if __name__ == "__main__":
    host = os.environ.get("HOST", "127.0.0.1")
    port = int(os.environ.get("PORT", "5000"))
    # Brotli at its best takes a second for the CSS: done now, not while the first visitors wait.
    app.extensions["statisch"].voorbereiden()
    # A full collection walks every live object (~100 ms with 1,000 sockets open) and stalls every
    # update in flight: keep what startup made out of it and run the collector far less often.
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 10)
    for regel in adres.startregels(host, port, app.config.get("PUBLIC_URL"), adres.lan_adres()):
        print(regel, flush=True)
    if waarschuwing := meld_bestandslimiet(_bestandslimiet):
        print(waarschuwing, flush=True)
    # log_output=False: an access log would write client IP addresses (anonymous means anonymous).
    extra: dict = {}
    if socketio.server.eio.async_mode == "gevent":
        extra["error_log"] = ZonderAdressen()
        # An exception out of the WSGI app makes gevent's hub print the request's environ
        # (REMOTE_ADDR included): through the same filter.
        get_hub().exception_stream = ZonderAdressen()
    socketio.run(app, host=host, port=port, allow_unsafe_werkzeug=True, log_output=False, **extra)
