"""Who sees which opvolging: the gemeenten a user may choose, and the wijkteam scope in SQL.

A beheerder sees every gemeente; staff see their own gemeente (rechten.py decides); a
wijkteamlid sees only the knelpunten of its own team and the acties it owns or that come
from its team. Asking for another gemeente is refused by the caller (403), never silently
swapped, so a shared URL never shows different data than it says.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, exists, false, or_, select

from facilitatie.accounts.models import Gemeente, User
from facilitatie.accounts.rollen import Rol
from facilitatie.extensions import db
from facilitatie.knelpunten.models import Knelpunt
from facilitatie.opvolging import rechten
from facilitatie.opvolging.models import Actie, actie_knelpunt
from facilitatie.sessies.models import Sessie


def gemeenten_voor(user: User) -> list[Gemeente]:
    """The gemeenten this user may choose between (a beheerder: all)."""
    if rechten.ziet_alle_gemeenten(user):
        return list(db.session.scalars(select(Gemeente).order_by(Gemeente.naam)))
    return [user.gemeente] if user.gemeente else []


def gemeente_voor(user: User, gevraagd: int | None) -> int | None:
    """The gemeente a page shows; None means 'every gemeente' (beheerder only).

    Asking for another gemeente than one's own is refused by the caller (403), not
    silently swapped, so a shared URL never shows different data than it says.
    """
    if rechten.ziet_alle_gemeenten(user):
        return gevraagd
    return user.gemeente_id


def mag_gemeente(user: User, gevraagd: int | None) -> bool:
    if gevraagd is None:
        return True
    if user.rol == Rol.WIJKTEAMLID:
        return user.gemeente_id == gevraagd
    return rechten.ziet_gemeente(user, gevraagd)


def gemeente_knelpunt(gemeente_id: int | None) -> list[ColumnElement[bool]]:
    return [Sessie.gemeente_id == gemeente_id] if gemeente_id is not None else []


def team_scope_knelpunt(user: User) -> list[ColumnElement[bool]]:
    if user.rol != Rol.WIJKTEAMLID:
        return []
    return [Knelpunt.team_id == user.team_id] if user.team_id else [false()]


def team_scope_actie(user: User) -> list[ColumnElement[bool]]:
    if user.rol != Rol.WIJKTEAMLID:
        return []
    van_team = (
        exists()
        .where(actie_knelpunt.c.actie_id == Actie.id)
        .where(Knelpunt.id == actie_knelpunt.c.knelpunt_id, Knelpunt.team_id == user.team_id)
    )
    return [or_(Actie.eigenaar_id == user.id, van_team if user.team_id else false())]
