"""The beheerder's logboek (BeheerLog): written inside the command that did the action, read on one page.

`schrijf` adds a row to the caller's unit of work, so the entry and the action commit or roll
back together. Rows are append-only (database triggers refuse UPDATE and DELETE).
"""

from __future__ import annotations

from sqlalchemy import or_, select

from facilitatie.accounts.models import BeheerLog, User
from facilitatie.extensions import db

PER_PAGINA = 100


def schrijf(
    door: User | None,
    actie: str,
    *,
    onderwerp: User | None = None,
    gemeente_id: int | None = None,
    details: str | None = None,
) -> BeheerLog:
    """Record one action; the gemeente defaults to the onderwerp's."""
    if gemeente_id is None and onderwerp is not None:
        gemeente_id = onderwerp.gemeente_id
    rij = BeheerLog(
        door_id=door.id if door else None,
        onderwerp_id=onderwerp.id if onderwerp else None,
        gemeente_id=gemeente_id,
        actie=actie,
        details=details,
    )
    db.session.add(rij)
    return rij


def lijst(beheerder: User, *, pagina: int = 1) -> list[BeheerLog]:
    """The newest entries this beheerder may read: all, or those of its own gemeente."""
    vraag = select(BeheerLog).order_by(BeheerLog.id.desc())
    if beheerder.gemeente_id is not None:
        vraag = vraag.where(BeheerLog.gemeente_id == beheerder.gemeente_id)
    return list(db.session.scalars(vraag.limit(PER_PAGINA).offset((max(pagina, 1) - 1) * PER_PAGINA)))


def over(account: User) -> list[BeheerLog]:
    """Every entry made by or about one account (for its data export)."""
    return list(
        db.session.scalars(
            select(BeheerLog)
            .where(or_(BeheerLog.door_id == account.id, BeheerLog.onderwerp_id == account.id))
            .order_by(BeheerLog.id)
        )
    )
