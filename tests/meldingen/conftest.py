"""Mail tests: the opvolging's small world, an app that mails, and a real SMTP server (aiosmtpd).

`smtp_poort` is a free port chosen per test; the app is configured for it. `smtp` starts the
server on that port; a test that wants an unreachable server leaves it out and starts one
later (`start_smtp`).
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from flask import Flask

from facilitatie.extensions import db
from tests.conftest import _truncate_pg, make_app
from tests.opvolging.conftest import wereld  # noqa: F401 - the same hand-made world as the opvolging tests

AFZENDER = "Ontmoet <ontmoet@gemeente.test>"


@dataclass
class Postbus:
    """What the SMTP server received: one entry per mail, with its envelope."""

    berichten: list[tuple[str, list[str], EmailMessage]] = field(default_factory=list)
    slot: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, adres: str, opties: Any) -> str:
        """Like a real server: an address that does not exist is refused for good (5xx)."""
        if adres.startswith("onbekend@"):
            return "550 5.1.1 Onbekende ontvanger"
        envelope.rcpt_tos.append(adres)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # aiosmtpd's hook name
        bericht = message_from_bytes(envelope.original_content, policy=policy.default)
        with self.slot:
            self.berichten.append((envelope.mail_from, list(envelope.rcpt_tos), bericht))  # type: ignore[arg-type]
        return "250 OK"

    def aan(self, adres: str) -> list[EmailMessage]:
        with self.slot:
            return [b for _van, naar, b in self.berichten if adres in naar]

    def ontvangers(self) -> list[str]:
        with self.slot:
            return sorted(a for _van, naar, _b in self.berichten for a in naar)


def vrije_poort() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def mail_instellingen(poort: int, **extra: Any) -> dict[str, Any]:
    return {
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": poort,
        "MAIL_DEFAULT_SENDER": AFZENDER,
        "MAIL_TIMEOUT": 5,
        "PUBLIC_URL": "https://ontmoet.example.nl",
        **extra,
    }


@pytest.fixture
def smtp_poort() -> int:
    return vrije_poort()


@pytest.fixture
def app(database_url: str, smtp_poort: int) -> Iterator[Flask]:
    """The app (both databases), set up to mail through the test's SMTP server."""
    app = make_app(database_url, **mail_instellingen(smtp_poort))
    if database_url.startswith("postgresql"):
        _truncate_pg(app)
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


class Smtp:
    def __init__(self, poort: int) -> None:
        self.postbus = Postbus()
        self.controller = Controller(self.postbus, hostname="127.0.0.1", port=poort)
        self.controller.start()

    def stop(self) -> None:
        self.controller.stop()


@pytest.fixture
def start_smtp(smtp_poort: int) -> Iterator[Any]:
    gestart: list[Smtp] = []

    def start() -> Smtp:
        server = Smtp(smtp_poort)
        gestart.append(server)
        return server

    yield start
    for server in gestart:
        server.stop()


@pytest.fixture
def smtp(start_smtp: Any) -> Postbus:
    """A real SMTP server on the app's MAIL_PORT; its Postbus holds what arrived."""
    return start_smtp().postbus
