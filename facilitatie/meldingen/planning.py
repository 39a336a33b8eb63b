"""The meldingen's scheduled work, on the project's one scheduler (`facilitatie.taken`).

- "streefdatum-herinneringen" and "maandstand": daily, under a database lease, so with N
  processes one runs them per day; their mails carry a `sleutel`, so even a second run in
  one day queues nothing twice.
- "signalen-digest": daily, under a database lease; the begeleider's (and beleid's) bundle of
  new signalen, its `sleutel` holding the day, so at most one per person per day.
- "mail-verzenden": every MAIL_CONTROLE_SECONDEN in every process, without a lease: each
  mail is claimed by one sender (`verzenden.claim`), so more processes only send sooner.
- "mail-opruimen": daily, sent mails older than MAIL_BEWAAR_DAGEN are removed (they hold
  names and knelpunt texts; the beheerder needs only recent ones).
"""

from __future__ import annotations

from datetime import date, timedelta

from flask import Flask
from sqlalchemy import delete

from facilitatie import taken
from facilitatie.database import als_schrijver
from facilitatie.extensions import db
from facilitatie.meldingen import service, verzenden
from facilitatie.meldingen.models import Mail, Mailstatus
from facilitatie.models_base import utcnow
from facilitatie.werk import eenheid


def herinneringen() -> int:
    """The daily job: reminders around the streefdatum."""
    with als_schrijver():
        return service.streefdatum_herinneringen(date.today())


def maandstand() -> int:
    """The daily job that queues the monthly stand once a month (its `sleutel` holds the month)."""
    with als_schrijver():
        return service.maandstanden(date.today())


def signalen_digest() -> int:
    """The daily job: the digest of new signalen for who asked for it."""
    with als_schrijver():
        return service.signalen_digesten(utcnow())


def opruimen(dagen: int) -> int:
    """Remove sent mails older than `dagen` days."""
    with als_schrijver(), eenheid():
        weg = db.session.execute(
            delete(Mail).where(
                Mail.status == Mailstatus.VERSTUURD, Mail.verstuurd_op < utcnow() - timedelta(days=dagen)
            )
        )
        return weg.rowcount


def start(app: Flask) -> None:
    """Start the jobs in this process (create_app, when not TESTING)."""
    controle = float(app.config.get("OPSCHONEN_CONTROLE_SECONDEN", 600))
    taken.start_dagelijks(app, "streefdatum-herinneringen", herinneringen, controle=controle)
    taken.start_dagelijks(app, "maandstand", maandstand, controle=controle)
    taken.start_dagelijks(app, "signalen-digest", signalen_digest, controle=controle)
    dagen = int(app.config["MAIL_BEWAAR_DAGEN"])
    taken.start_dagelijks(app, "mail-opruimen", lambda: opruimen(dagen), controle=controle)
    taken.start_herhaald(
        app, "mail-verzenden", verzenden.verstuur_wachtrij, controle=float(app.config["MAIL_CONTROLE_SECONDEN"])
    )
