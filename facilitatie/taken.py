"""Scheduled work that must run once per due moment, however many processes serve.

A `Taakslot` row per task holds `tot`: until when the task is taken. A process takes it with
one `UPDATE taakslot SET tot = :nieuw WHERE naam = :naam AND tot < :nu`; the database lets
exactly one of several concurrent updates match (the others see the new `tot`), so two
processes never both run the task for the same moment. Taking it for a whole interval (a day)
makes the lease also the schedule: the next process to find it expired runs the next round.

`start_periodiek` runs a function in a background task (a greenlet under gevent, a daemon
thread otherwise) that wakes every `controle` seconds and runs the function when it gets
the lease for the next `duur` (`start_dagelijks`: a day). `start_herhaald` runs work that
needs no lease because it claims its own rows (the mail outbox, facilitatie/meldingen), in
every process. create_app starts them when not TESTING; every periodic job of the project
goes through here, so `make run` needs no other service and N processes run each due job once.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime, timedelta

from flask import Flask
from sqlalchemy import String, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from facilitatie.database import als_schrijver
from facilitatie.extensions import db, socketio
from facilitatie.models_base import utcnow
from facilitatie.werk import eenheid

log = logging.getLogger(__name__)
_LANG_GELEDEN = datetime(2000, 1, 1)
_start = threading.Lock()


class Taakslot(db.Model):
    """A lease on a scheduled task: taken until `tot`."""

    naam: Mapped[str] = mapped_column(String(60), primary_key=True)
    tot: Mapped[datetime] = mapped_column()


def neem(naam: str, *, nu: datetime, duur: timedelta) -> bool:
    """Take the lease `naam` until nu + duur when it has expired; True for exactly one taker.

    Commits (its own unit of work), so the lease holds before the task starts. As a writer from
    the start: on SQLite two processes that both read first would otherwise not queue for the lock.
    """
    with als_schrijver(), eenheid():
        if db.session.scalar(select(Taakslot.naam).where(Taakslot.naam == naam)) is None:
            try:
                with db.session.begin_nested():
                    db.session.execute(insert(Taakslot).values(naam=naam, tot=_LANG_GELEDEN))
            except IntegrityError:
                pass  # another process made the row at the same moment: fine, it exists now
        genomen = db.session.execute(
            update(Taakslot)
            .where(Taakslot.naam == naam, Taakslot.tot < nu)
            .values(tot=nu + duur)
            .execution_options(synchronize_session=False)
        )
        return genomen.rowcount == 1


def ronde(app: Flask, naam: str, taak: Callable[[], object], *, duur: timedelta) -> bool:
    """One check in its own app context: run `taak` when this process gets the lease."""
    with app.app_context():
        try:
            if not neem(naam, nu=utcnow(), duur=duur):
                return False
            taak()
            return True
        finally:
            db.session.remove()


def start_dagelijks(app: Flask, naam: str, taak: Callable[[], object], *, controle: float) -> None:
    """Run `taak` once a day across all processes; this process checks every `controle` seconds."""
    start_periodiek(app, naam, taak, duur=timedelta(days=1), controle=controle)


def start_periodiek(app: Flask, naam: str, taak: Callable[[], object], *, duur: timedelta, controle: float) -> None:
    """Run `taak` once per `duur` across all processes; this process checks every `controle` seconds."""
    if _eerste_start(app, naam):
        socketio.start_background_task(_lus, app, naam, taak, controle, duur)


def start_herhaald(app: Flask, naam: str, taak: Callable[[], object], *, controle: float) -> None:
    """Run `taak` every `controle` seconds in this process, without a lease: for work that claims its own rows."""
    if _eerste_start(app, naam):
        socketio.start_background_task(_lus, app, naam, taak, controle, None)


def _eerste_start(app: Flask, naam: str) -> bool:
    sleutel = f"ontmoet.taak.{naam}"
    with _start:
        if app.extensions.get(sleutel):
            return False
        app.extensions[sleutel] = True
    return True


def _lus(app: Flask, naam: str, taak: Callable[[], object], controle: float, duur: timedelta | None) -> None:
    while True:
        socketio.sleep(controle)
        try:
            if duur is None:
                with app.app_context():
                    try:
                        taak()
                    finally:
                        db.session.remove()
            else:
                ronde(app, naam, taak, duur=duur)
        except Exception:  # keep the schedule; the next check tries again once the lease expires
            log.exception("geplande taak %s mislukt", naam)
