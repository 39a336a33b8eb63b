"""SQLite under gevent (`python wsgi.py`): a writer that waits mid-transaction does not stall the others.

SQLite's busy wait sleeps in C, so without the process's own writer lock a second writer
would block the one OS thread (and with it the greenlet holding the write lock) until the
busy timeout ran out and then fail with "database is locked".
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

SCRIPT = textwrap.dedent(
    """
    from gevent import monkey
    monkey.patch_all()
    import sys, time
    import gevent
    from sqlalchemy import text
    from facilitatie import create_app, write_intent
    from facilitatie.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite:///" + sys.argv[1], "SECRET_KEY": "x", "TESTING": True})
    with app.app_context():
        db.create_all()

    def writer(naam, wacht):
        with app.app_context():
            write_intent.set(True)  # as for a POST request
            db.session.execute(text("INSERT INTO gemeente (naam) VALUES (:n)"), {"n": naam})
            gevent.sleep(wacht)  # e.g. waiting on a socket before the commit
            db.session.commit()

    begin = time.monotonic()
    gevent.joinall([gevent.spawn(writer, "Eerst", 0.5), gevent.spawn(writer, "Daarna", 0)], raise_error=True)
    with app.app_context():
        namen = sorted(db.session.scalars(text("SELECT naam FROM gemeente")))
    print(round(time.monotonic() - begin, 2), ",".join(namen))
    """
)


def test_second_writer_waits_cooperatively_for_the_first(tmp_path):
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tmp_path / "gevent.db")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    seconden, namen = done.stdout.split()
    assert namen == "Daarna,Eerst"
    assert float(seconden) < 3, "the second writer stalled the process"


POOL_SCRIPT = textwrap.dedent(
    """
    from gevent import monkey
    monkey.patch_all()
    import sys, time
    import gevent
    from sqlalchemy import text
    from facilitatie import create_app, write_intent
    from facilitatie.extensions import db

    # Two connections in all; a reader may wait 1 s for one, the first writer keeps its 2 s.
    opties = {"pool_size": 2, "max_overflow": 0, "pool_timeout": 1}
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite:///" + sys.argv[1], "SECRET_KEY": "x",
                      "TESTING": True, "SQLALCHEMY_ENGINE_OPTIONS": opties})
    with app.app_context():
        db.create_all()

    def writer(naam, wacht):
        with app.app_context():
            write_intent.set(True)  # as for a POST request (a join)
            db.session.execute(text("INSERT INTO gemeente (naam) VALUES (:n)"), {"n": naam})
            gevent.sleep(wacht)
            db.session.commit()

    def reader():
        gevent.sleep(0.3)  # the writers are queued by now
        with app.app_context():
            return db.session.scalar(text("SELECT count(*) FROM gemeente"))

    writers = [gevent.spawn(writer, "Eerst", 2)] + [gevent.spawn(writer, f"W{i}", 0) for i in range(5)]
    lezer = gevent.spawn(reader)
    gevent.joinall([*writers, lezer], raise_error=True)
    with app.app_context():
        print(lezer.value, db.session.scalar(text("SELECT count(*) FROM gemeente")))
    """
)


def test_waiting_writers_hold_no_connection_so_a_reader_still_gets_one(tmp_path):
    """A join wave: writers queue for SQLite's write lock before they take a pool connection."""
    done = subprocess.run(
        [sys.executable, "-c", POOL_SCRIPT, str(tmp_path / "pool.db")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "QueuePool limit" not in done.stderr, "a reader found the pool emptied by waiting writers"
    assert done.returncode == 0, done.stderr[-3000:]
    gelezen, totaal = done.stdout.split()
    assert (gelezen, totaal) == ("0", "6")
