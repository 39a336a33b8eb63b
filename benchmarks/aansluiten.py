"""What one join costs the server, step by step, in CPU time (issue 12: target under 15 ms).

A join as a deelnemer's phone makes it after scanning the QR code: the join page
(`GET /deelnemen?code=…`), the join (`POST /deelnemen`, with its CSRF token, as a browser),
the deelnemer page (`GET /s/<code>`), then the socket: connect and `volg` with its catch-up and
presence row. The sessie is in fase 2 ("knelpunten ophalen"), as in `fanout.py --via golf`, so
the deelnemer page carries the knelpunten panel. Each step is timed with `time.process_time()`
in-process (Flask's test client and Flask-SocketIO's test client: no network, no gevent), so
the figure is what the application code costs, not the wire; every earlier deelnemer stays
connected, so the N-th join happens with N-1 connected. The live wave with real sockets is `fanout.py --via golf`.

`--profile` prints the 25 costliest functions (cumulative) of each step over all joins.

usage:
  .venv/bin/python benchmarks/aansluiten.py 300
  .venv/bin/python benchmarks/aansluiten.py 300 --profile
  .venv/bin/python benchmarks/aansluiten.py 200 --database postgresql+psycopg://postgres@127.0.0.1:5432/bench
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402
from flask_migrate import upgrade  # noqa: E402

from facilitatie import create_app  # noqa: E402
from facilitatie.accounts import service as accounts  # noqa: E402
from facilitatie.extensions import db, socketio  # noqa: E402
from facilitatie.sessies import service as sessies  # noqa: E402

STAPPEN = ("joinpagina", "join", "deelnemerpagina", "socket en volg")
_CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf-token" content="([^"]+)"')


def _app(url: str) -> Any:
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "bench",
            "RATELIMIT_ENABLED": False,
            "DASHBOARD_VERVERS_SECONDEN": 0,
        }
    )
    with app.app_context():
        upgrade(directory=str(ROOT / "facilitatie" / "migrations"))
    return app


def _sessie(app: Any) -> str:
    with app.app_context(), app.test_request_context("/"):
        gemeente = accounts.create_gemeente("Bankstad")
        begeleider = accounts.create_user(
            email="b@bench.test", naam="Begeleider", rol="begeleider", password="bench-wachtwoord-1", gemeente=gemeente
        )
        db.session.commit()
        sessie = sessies.create_sessie(begeleider=begeleider, titel="Golf", vorm="ontmoeten-en-ont-moeten")
        sessies.start(sessie, begeleider)
        # As fanout.py's wave: the begeleider is in fase 2, "knelpunten ophalen", so the
        # deelnemer page carries the knelpunten panel.
        sessies.volgende_fase(sessie, begeleider)
        db.session.commit()
        return sessie.deelnamecode


_SQL: list[str] = []


def _stap(
    meting: dict[str, list[float]], profielen: dict[str, cProfile.Profile] | None, naam: str, doe: Callable[[], Any]
) -> Any:
    profiel = profielen[naam] if profielen is not None else None
    _SQL.append(f"-- {naam}")
    begin = time.process_time()
    if profiel is not None:
        profiel.enable()
    uitkomst = doe()
    if profiel is not None:
        profiel.disable()
    meting[naam].append((time.process_time() - begin) * 1000)
    return uitkomst


def _een_deelnemer(
    app: Any, code: str, i: int, meting: dict[str, list[float]], profielen: dict[str, cProfile.Profile] | None
) -> Any:
    """One phone: join page, join, deelnemer page, socket and volg; returns its open socket."""
    client = app.test_client()
    pagina = _stap(meting, profielen, "joinpagina", lambda: client.get(f"/deelnemen?code={code}"))
    assert pagina.status_code == 200, pagina.status_code
    gevonden = _CSRF.search(pagina.get_data(as_text=True))
    assert gevonden, "geen CSRF-token op de joinpagina"
    token = gevonden.group(1) or gevonden.group(2)
    form = {"csrf_token": token, "code": code, "naam": f"Deelnemer {i}", "perspectief": "uitvoering"}
    antwoord = _stap(meting, profielen, "join", lambda: client.post("/deelnemen", data=form))
    assert antwoord.status_code in (302, 303), antwoord.status_code
    pagina = _stap(meting, profielen, "deelnemerpagina", lambda: client.get(f"/s/{code}"))
    assert pagina.status_code == 200, pagina.status_code

    def socket_en_volg() -> Any:
        sock = socketio.test_client(app, flask_test_client=client)
        ack = sock.emit("volg", {"code": code, "sinds": 0}, callback=True)
        return sock, ack

    sock, ack = _stap(meting, profielen, "socket en volg", socket_en_volg)
    assert ack and ack.get("ok"), ack
    sock.get_received()
    return sock


def meet(
    app: Any, code: str, n: int, profileren: bool
) -> tuple[dict[str, list[float]], dict[str, cProfile.Profile] | None]:
    """N joins one after another; every earlier deelnemer stays connected."""
    meting: dict[str, list[float]] = {stap: [] for stap in STAPPEN}
    profielen = {stap: cProfile.Profile() for stap in STAPPEN} if profileren else None
    sockets = [_een_deelnemer(app, code, i, meting, profielen) for i in range(n)]
    for sock in sockets:
        sock.disconnect()
    return meting, profielen


def _log_sql(*args: Any) -> None:
    _SQL.append(" ".join(args[2].split())[:160])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("n", type=int, nargs="?", default=300)
    parser.add_argument("--database", help="SQLAlchemy URL of an empty database (default: a scratch SQLite file)")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--sql", action="store_true", help="print the SQL statements of the last join, per step")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database or f"sqlite:///{tmp}/bench.db"
        app = _app(url)
        code = _sessie(app)
        if args.sql:
            with app.app_context():
                sa.event.listen(db.engine, "before_cursor_execute", _log_sql)
        meting, profielen = meet(app, code, args.n, args.profile)
    print(
        f"# {args.n} joins, {url.split(':')[0]}, load before {os.getloadavg()[0]:.1f}, "
        f"{'profiled (slower)' if args.profile else 'not profiled'}"
    )
    print("| step | median ms CPU | p95 ms CPU |")
    print("|---|---|---|")
    totaal = [sum(meting[s][i] for s in STAPPEN) for i in range(args.n)]
    for stap, waarden in [*meting.items(), ("total per join", totaal)]:
        p95 = statistics.quantiles(waarden, n=20)[-1] if len(waarden) > 1 else waarden[0]
        print(f"| {stap} | {statistics.median(waarden):.1f} | {p95:.1f} |")
    if args.sql:
        laatste = max(i for i, regel in enumerate(_SQL) if regel == f"-- {STAPPEN[0]}")
        print("\n".join(_SQL[laatste:]))
    if profielen:
        for stap, profiel in profielen.items():
            uit = io.StringIO()
            pstats.Stats(profiel, stream=uit).sort_stats("cumulative").print_stats(25)
            print(f"\n## {stap}\n{uit.getvalue()}")


if __name__ == "__main__":
    main()
