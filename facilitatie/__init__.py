"""Ontmoet: a live meeting between beleid and uitvoering, and what becomes of it."""

from __future__ import annotations

import contextvars
import logging
import sqlite3
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from flask import Flask, request
from flask.sessions import SecureCookieSessionInterface
from sqlalchemy import event
from sqlalchemy.engine import Engine

from facilitatie.config import INSTANCE, ROOT, Config, absolute_database_url, secret_key
from facilitatie.extensions import csrf, db, htmx, limiter, login, migrate, socketio

# Set for requests that write, so SQLite takes its write lock at BEGIN (see _sqlite_setup).
write_intent: contextvars.ContextVar[bool] = contextvars.ContextVar("write_intent", default=False)


@contextmanager
def als_schrijver() -> Iterator[None]:
    """Write from a request that was not marked as writing (a GET, a socket handler).

    Ends the current read transaction first, so the next BEGIN is the writing one and on
    SQLite takes the process's writer lock and the write lock at once.
    """
    from facilitatie.extensions import db

    db.session.commit()
    token = write_intent.set(True)
    try:
        yield
    finally:
        write_intent.reset(token)


class SessionInterface(SecureCookieSessionInterface):
    """Marks the session cookie Secure whenever the request came in over https."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"]) or request.is_secure


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app: config, extensions, blueprints, socket handlers, sessievormen."""
    app = Flask(
        __name__,
        instance_path=str(INSTANCE),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.config.from_object(Config)
    if test_config:
        app.config.from_mapping(test_config)
    app.config["SQLALCHEMY_DATABASE_URI"] = absolute_database_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = secret_key()
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.session_interface = SessionInterface()

    _configure_logging(app)
    _init_extensions(app)
    _load_sessievormen(app)
    _register_blueprints(app)
    _register_template_helpers(app)
    return app


def _configure_logging(app: Flask) -> None:
    # Werkzeug's access log writes client IP addresses; anonymous posts must leave no trace,
    # so request lines are not logged at all.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    logging.getLogger("engineio.server").setLevel(logging.WARNING)
    logging.getLogger("socketio.server").setLevel(logging.WARNING)


def _init_extensions(app: Flask) -> None:
    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(__file__).parent / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    htmx.init_app(app)
    limiter.init_app(app)
    login.init_app(app)
    login.login_view = "accounts.inloggen"
    login.login_message = "Log in om deze pagina te zien."
    login.login_message_category = "info"
    from facilitatie import realtime

    realtime.register_handlers()  # before init_app, so every new server gets the handlers
    socketio.init_app(
        app,
        async_mode=_async_mode(),
        message_queue=app.config.get("SOCKETIO_MESSAGE_QUEUE"),
        channel=app.config.get("SOCKETIO_CHANNEL", "flask-socketio"),
        manage_session=True,
        ping_interval=20,
        ping_timeout=20,
    )
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            _sqlite_setup(db.engine)

    @app.before_request
    def _mark_writes() -> None:
        write_intent.set(request.method not in ("GET", "HEAD", "OPTIONS"))

    @app.teardown_request
    def _unmark_writes(_exc: BaseException | None) -> None:
        write_intent.set(False)  # a kept-alive connection's next socket event starts as a reader

    from facilitatie.accounts.models import User

    @login.user_loader
    def load_user(user_id: str) -> User | None:
        return db.session.get(User, int(user_id)) if user_id.isdigit() else None


def _async_mode() -> str:
    """gevent when the process was monkey-patched (`python wsgi.py`, gunicorn -k gevent), else threads."""
    try:
        from gevent import monkey
    except ImportError:  # pragma: no cover - gevent is in requirements.txt
        return "threading"
    return "gevent" if monkey.is_module_patched("socket") else "threading"


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


def _sqlite_setup(engine: Engine) -> None:
    """WAL, foreign keys and a busy timeout; writing requests BEGIN IMMEDIATE.

    With plain BEGIN two writers that both read first deadlock in SQLite (one gets
    SQLITE_BUSY at once); taking the write lock at BEGIN makes them queue instead.
    Writers of this process also queue on a lock of their own first: SQLite's busy wait
    sleeps in C, and under gevent that would stall the one OS thread, including the greenlet
    that holds the write lock and is waiting to finish.
    """
    writers = _Schrijfslot(timeout=15)

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

    event.listen(engine, "commit", _release)
    event.listen(engine, "rollback", _release)
    # A connection returned or dropped without a rollback through the Connection still frees it.
    event.listen(engine.pool, "reset", _on_reset)
    event.listen(engine.pool, "invalidate", _on_invalidate)


def _load_sessievormen(app: Flask) -> None:
    # A malformed file stops the app here, naming file and field, never during a meeting.
    from facilitatie.sessies.vormen import load_vormen

    app.extensions["sessievormen"] = load_vormen(Path(app.config["SESSIEVORMEN_DIR"]))


def _register_blueprints(app: Flask) -> None:
    from facilitatie import cli, realtime, web
    from facilitatie.accounts import beheer
    from facilitatie.accounts import views as accounts_views
    from facilitatie.api import views as api_views
    from facilitatie.knelpunten import views as knelpunten_views
    from facilitatie.opvolging import views as opvolging_views
    from facilitatie.sessies import views as sessies_views
    from facilitatie.verwachtingen import views as verwachtingen_views

    app.register_blueprint(web.bp)
    app.register_blueprint(accounts_views.bp)
    app.register_blueprint(beheer.bp)
    app.register_blueprint(sessies_views.bp)
    app.register_blueprint(knelpunten_views.bp)
    app.register_blueprint(verwachtingen_views.bp)
    app.register_blueprint(opvolging_views.bp)
    app.register_blueprint(api_views.bp)
    api_views.init_app(app)
    cli.register(app)
    realtime.set_audience_resolver(sessies_views.audience_for)
    web.register_error_handlers(app)


def _register_template_helpers(app: Flask) -> None:
    from facilitatie import templating

    templating.register(app)
