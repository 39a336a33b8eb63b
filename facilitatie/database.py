"""The database as this app uses it: SQLite's writer queue, and marking requests that write.

SQLite (the embedded default) has one writer at a time. A request that writes says so up
front (`write_intent`), so its transaction begins with BEGIN IMMEDIATE and takes the write
lock at once; writers of this process first queue on a lock of their own, which is
cooperative under gevent, and they queue there *before* they take a connection from the pool:
a thousand deelnemers joining at once then wait without holding a connection each, and the
readers (join pages, `volg`) still find one. PostgreSQL needs none of this: its row locks do
the queueing. The pool's size comes from the settings (`config.pool_opties`).
"""

from __future__ import annotations

import contextvars
import re
import sqlite3
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TextIO

from flask import Flask, request
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.pool import QueuePool

from facilitatie.extensions import db

# Set for requests that write, so SQLite takes its write lock at BEGIN (see _sqlite_setup).
write_intent: contextvars.ContextVar[bool] = contextvars.ContextVar("write_intent", default=False)


@contextmanager
def als_schrijver() -> Iterator[None]:
    """Write from a request that was not marked as writing (a GET, a socket handler).

    Ends the current read transaction first, so the next BEGIN is the writing one and on
    SQLite takes the process's writer lock and the write lock at once.
    """
    db.session.commit()
    token = write_intent.set(True)
    try:
        yield
    finally:
        write_intent.reset(token)


def init_app(app: Flask) -> None:
    """SQLite setup for the app's engine, and the write intent of each request."""
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            sqlite_setup(db.engine)

    @app.before_request
    def _mark_writes() -> None:
        write_intent.set(request.method not in ("GET", "HEAD", "OPTIONS"))

    @app.teardown_request
    def _unmark_writes(_exc: BaseException | None) -> None:
        write_intent.set(False)  # a kept-alive connection's next socket event starts as a reader


class _Schrijfslot:
    """The process's SQLite writer lock: re-entrant for its holder, released by anyone.

    Re-entrant because a request may open a second writing transaction while its first is
    still open; releasable from any thread because a connection that is garbage-collected is
    returned to the pool wherever the collector runs. Waiting is bounded like SQLite's own
    busy timeout, so a lost release shows as an error, never as a hang.
    """

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self._vrij = threading.Semaphore(1)  # gevent-aware when the process is monkey-patched
        self._houder: int | None = None
        self._diepte = 0

    def acquire(self) -> None:
        ik = threading.get_ident()  # the greenlet under gevent
        if self._houder == ik:
            self._diepte += 1
            return
        if not self._vrij.acquire(timeout=self.timeout):
            raise sqlite3.OperationalError("database is locked (waited for another writer of this process)")
        self._houder, self._diepte = ik, 1

    def release(self) -> None:
        self._diepte -= 1
        if self._diepte <= 0:
            self._houder, self._diepte = None, 0
            self._vrij.release()


class _SchrijversWachtrij(QueuePool):
    """SQLite's pool: a writer takes the process's writer lock before it takes a connection.

    Otherwise every waiting writer holds a connection while it waits for the lock, and a join
    wave empties the pool for everyone (`QueuePool limit … reached` in join pages and `volg`).
    The lock is re-entrant, so BEGIN IMMEDIATE on this connection takes it once more; it is
    let go at commit and, this outer hold, when the connection goes back to the pool.
    """

    schrijfslot: _Schrijfslot | None = None

    def connect(self) -> Any:
        slot = self.schrijfslot
        if slot is None or not write_intent.get():
            return super().connect()
        slot.acquire()
        try:
            return super().connect()  # the checkout event marks the record; checkin releases
        except BaseException:
            slot.release()
            raise

    def recreate(self) -> QueuePool:
        nieuw = super().recreate()  # same class; the lock goes with it (engine.dispose())
        nieuw.schrijfslot = self.schrijfslot  # type: ignore[attr-defined]
        return nieuw


def sqlite_setup(engine: Engine) -> None:
    """WAL, foreign keys and a busy timeout; writing requests BEGIN IMMEDIATE.

    With plain BEGIN two writers that both read first deadlock in SQLite (one gets
    SQLITE_BUSY at once); taking the write lock at BEGIN makes them queue instead.
    Writers of this process also queue on a lock of their own first: SQLite's busy wait
    sleeps in C, and under gevent that would stall the one OS thread, including the greenlet
    that holds the write lock and is waiting to finish.
    """
    writers = _Schrijfslot(timeout=15)
    if type(engine.pool) is QueuePool:  # a file database; :memory: keeps its single connection
        engine.pool.__class__ = _SchrijversWachtrij  # same constructor and state, one method more
        engine.pool.schrijfslot = writers  # type: ignore[attr-defined]

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=15000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        if not write_intent.get():
            conn.exec_driver_sql("BEGIN")
            return
        writers.acquire()
        try:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            writers.release()
            raise
        conn.info["ontmoet_writer"] = True

    def _release(conn: Any) -> None:
        if conn.info.pop("ontmoet_writer", False):
            writers.release()

    def _release_record(record: Any) -> None:
        if record is not None and record.info.pop("ontmoet_writer", False):
            writers.release()

    def _on_reset(_dbapi_connection: Any, connection_record: Any, _reset_state: Any) -> None:
        _release_record(connection_record)

    def _on_invalidate(_dbapi_connection: Any, connection_record: Any, _exception: Any) -> None:
        _release_record(connection_record)

    def _on_checkout(_dbapi_connection: Any, connection_record: Any, _proxy: Any) -> None:
        if write_intent.get() and getattr(engine.pool, "schrijfslot", None) is writers:
            connection_record.info["ontmoet_writer_checkout"] = True  # taken in _SchrijversWachtrij

    def _on_checkin(_dbapi_connection: Any, connection_record: Any) -> None:
        if connection_record is not None and connection_record.info.pop("ontmoet_writer_checkout", False):
            writers.release()

    event.listen(engine, "commit", _release)
    event.listen(engine, "rollback", _release)
    # A connection returned or dropped without a rollback through the Connection still frees it.
    event.listen(engine.pool, "reset", _on_reset)
    event.listen(engine.pool, "invalidate", _on_invalidate)
    event.listen(engine.pool, "checkout", _on_checkout)
    event.listen(engine.pool, "checkin", _on_checkin)


class ZonderAdressen:
    """A stream that removes IP addresses before writing: gevent's error log and its hub name the
    client's address on a bad request or an exception, and anonymous means not even that."""

    _ADRES = re.compile(
        r"\b\d{1,3}(?:\.\d{1,3}){3}\b"  # IPv4
        r"|[0-9A-Fa-f]*::[0-9A-Fa-f:]*[0-9A-Fa-f]|::"  # IPv6 with ::
        r"|\b(?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}\b"  # IPv6 in full
    )

    def __init__(self, doel: TextIO | None = None) -> None:
        self._doel = doel

    @property
    def doel(self) -> TextIO:
        return self._doel or sys.stderr

    def write(self, tekst: str) -> None:
        self.doel.write(self._ADRES.sub("-", tekst))

    def writelines(self, regels: list[str]) -> None:
        for regel in regels:
            self.write(regel)

    def flush(self) -> None:
        self.doel.flush()
