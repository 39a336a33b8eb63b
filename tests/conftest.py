"""Fixtures: the app against SQLite and the local PostgreSQL, a client, a runner, factories.

Integration tests take `app` and run twice, once per database (DESIGN.md: both are real).
"""

from __future__ import annotations

import os
import re
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from facilitatie import create_app
from facilitatie.extensions import db

PG_ADMIN_URL = os.environ.get("TEST_PG_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
DEMO_PASSWORD = "wachtwoord-voor-tests"


def _migrate(url: str) -> None:
    from flask_migrate import upgrade

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "test", "TESTING": True})
    with app.app_context():
        upgrade()
        db.engine.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file, copied for every test (fast and isolated)."""
    path = tmp_path_factory.mktemp("db") / "template.db"
    _migrate(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """A fresh PostgreSQL database for this run, migrated once, dropped at the end."""
    name = f"ontmoet_test_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    _migrate(url)
    yield url
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _truncate_pg(app: Flask) -> None:
    with app.app_context():
        tables = [t.name for t in db.metadata.sorted_tables]
        db.session.execute(sa.text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        db.session.commit()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        target = tmp_path / "ontmoet.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), target)
        return f"sqlite:///{target}"
    return request.getfixturevalue("pg_url")


def make_app(database_url: str, **overrides: Any) -> Flask:
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "RATELIMIT_ENABLED": False,
        "SERVER_NAME": "ontmoet.test",
        "DASHBOARD_VERVERS_SECONDEN": 0,  # no background refresher against throw-away databases
        "AANWEZIGHEID_BUNDEL_SECONDEN": 0,  # the begeleider's numbers at once (no background task)
        **overrides,
    }
    app = create_app(config)
    app.test_client_class = Client
    return app


@pytest.fixture
def app(database_url: str) -> Iterator[Flask]:
    app = make_app(database_url)
    if database_url.startswith("postgresql"):
        _truncate_pg(app)
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


class Client(FlaskClient):
    """A test client whose requests do not share `g` with the test's app context.

    Flask reuses an already pushed app context for requests, so Flask-WTF's per-request
    CSRF token cache and Flask-Login's current user in `g` would leak from one client's
    request into another's.
    """

    def open(self, *args: Any, **kwargs: Any):
        forget_request_state()
        return super().open(*args, **kwargs)


def forget_request_state() -> None:
    """Drop what Flask-WTF and Flask-Login cache in `g` for one request (see Client)."""
    from flask import g

    g.pop("csrf_token", None)
    g.pop("_login_user", None)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask):
    return app.test_cli_runner()


# --- helpers -----------------------------------------------------------------------------

_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


def csrf_token(client: FlaskClient, path: str = "/") -> str:
    """The CSRF token of this client's session, read from a page like a browser would."""
    response = client.get(path)
    match = _META.search(response.get_data(as_text=True))
    assert match, f"no csrf meta on {path}"
    return match.group(1)


def post(client: FlaskClient, path: str, data: dict[str, Any] | None = None, **kwargs: Any):
    """POST a form the way a browser does: with this session's CSRF token."""
    form = {"csrf_token": csrf_token(client), **(data or {})}
    return client.post(path, data=form, **kwargs)


def login(client: FlaskClient, email: str, password: str = DEMO_PASSWORD):
    return post(client, "/inloggen", {"email": email, "wachtwoord": password})


class Factory:
    """Small factories for test data, committed so the HTTP layer sees them."""

    def __init__(self) -> None:
        self._n = 0

    def _next(self) -> int:
        self._n += 1
        return self._n

    def gemeente(self, naam: str | None = None):
        from facilitatie.accounts import service

        gemeente = service.create_gemeente(naam or f"Gemeente {self._next()}")
        db.session.commit()
        return gemeente

    def team(self, gemeente, naam: str | None = None):
        from facilitatie.accounts import service

        team = service.create_team(naam or f"Wijkteam {self._next()}", gemeente)
        db.session.commit()
        return team

    def user(self, rol: str = "begeleider", gemeente=None, team=None, email: str | None = None, **kw: Any):
        from facilitatie.accounts import service

        if rol == "begeleider" and gemeente is None and team is None:
            gemeente = self.gemeente()  # a begeleider always belongs to a gemeente
        user = service.create_user(
            email=email or f"{rol}{self._next()}@ontmoet.test",
            naam=kw.pop("naam", f"{rol.title()} {self._n}"),
            rol=rol,
            password=DEMO_PASSWORD,
            gemeente=gemeente,
            team=team,
            **kw,
        )
        db.session.commit()
        return user

    def sessie(self, begeleider, titel: str = "Testsessie", vorm: str = "ontmoeten-en-ont-moeten", live: bool = True):
        from flask import current_app

        from facilitatie.sessies import service

        with current_app.test_request_context("/"):
            sessie = service.create_sessie(begeleider=begeleider, titel=titel, vorm=vorm)
            if live:
                service.start(sessie, begeleider)
        return sessie


@pytest.fixture
def factory(app: Flask) -> Factory:
    return Factory()


def join(client: FlaskClient, code: str, naam: str = "", perspectief: str = "uitvoering"):
    """Join a sessie as a deelnemer without an account."""
    return post(client, "/deelnemen", {"code": code, "naam": naam, "perspectief": perspectief})
