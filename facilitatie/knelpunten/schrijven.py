"""What every knelpunten command does first: take the sessie's write lock, check the begeleider.

Every change locks the sessie row first, so writers of one sessie queue (SQLite already does
with BEGIN IMMEDIATE); the fragments of the event are rendered after the change, inside that
lock, so the event with the higher seq always carries the newer state and every screen that
applies events in seq order ends up the same.
"""

from __future__ import annotations

from sqlalchemy import select

from facilitatie.accounts.models import User
from facilitatie.accounts.rollen import leidt_sessie
from facilitatie.extensions import db
from facilitatie.fouten import Geweigerd
from facilitatie.knelpunten.lezen import instellingen
from facilitatie.knelpunten.models import KnelpuntInstellingen
from facilitatie.sessies.models import Sessie


def vergrendel(sessie: Sessie) -> KnelpuntInstellingen:
    """Take the sessie's write lock (PostgreSQL; SQLite writers are serialised at BEGIN) and
    return its stored settings row, created on first use."""
    db.session.execute(select(Sessie.id).where(Sessie.id == sessie.id).with_for_update(key_share=True))
    inst = db.session.get(KnelpuntInstellingen, sessie.id, populate_existing=True)
    if inst is None:
        inst = instellingen(sessie)
        db.session.add(inst)
        db.session.flush()
    return inst


def leider(sessie: Sessie, user: User | None) -> None:
    if not leidt_sessie(user, sessie):
        raise Geweigerd("Alleen de begeleider van deze sessie kan dit doen.")
