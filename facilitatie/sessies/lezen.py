"""Reads about a sessie that every area asks: its sessievorm, its current fase, inbreng vooraf."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from facilitatie.accounts.models import Gemeente
from facilitatie.accounts.rollen import Rol
from facilitatie.extensions import db
from facilitatie.fouten import Geweigerd, NietGevonden
from facilitatie.sessies.models import Deelnemer, Sessie, Status
from facilitatie.sessies.vormen import Fase, Sessievorm


def vormen() -> dict[str, Sessievorm]:
    """The sessievormen loaded (and validated) when the app started."""
    return current_app.extensions["sessievormen"]


def vorm_van(sessie: Sessie) -> Sessievorm:
    return vormen()[sessie.sessievorm]


def huidige_fase(sessie: Sessie) -> Fase | None:
    if sessie.fase_index is None:
        return None
    return vorm_van(sessie).fasen[sessie.fase_index]


def sessies_in_lijst(user: Any) -> list[tuple[Sessie, bool]]:
    """The sessies on /sessies, newest first, each with whether this user took part as deelnemer.

    A begeleider (or beheerder) sees the sessies it leads; beleid and the wethouder see the
    sessies of their gemeente that have started (those they follow up) and every one they joined.
    """
    meegedaan = set(db.session.scalars(select(Deelnemer.sessie_id).where(Deelnemer.user_id == user.id)))
    vraag = (
        select(Sessie)
        .where(Sessie.status != Status.SIGNALEN)  # a gemeente's signalenbak is never listed
        .order_by(Sessie.aangemaakt_op.desc(), Sessie.id.desc())
    )
    if user.rol in (Rol.BEGELEIDER, Rol.BEHEERDER):
        vraag = vraag.where(Sessie.begeleider_id == user.id)
    elif user.gemeente_id is None:
        return []
    else:
        vraag = vraag.where(
            Sessie.gemeente_id == user.gemeente_id,
            (Sessie.status != Status.CONCEPT) | Sessie.id.in_(meegedaan or {0}),
        )
    return [(sessie, sessie.id in meegedaan) for sessie in db.session.scalars(vraag)]


def gemeenten_voor_sessie(user: Any) -> list[Gemeente]:
    """The gemeenten this user may make a sessie for: its own, or every one for a beheerder of all.

    A begeleider without a gemeente (an account from before that was required) gets none.
    """
    vraag = select(Gemeente).options(selectinload(Gemeente.teams)).order_by(Gemeente.naam)
    if user.gemeente_id:
        vraag = vraag.where(Gemeente.id == user.gemeente_id)
    elif user.rol != Rol.BEHEERDER:
        return []
    return list(db.session.scalars(vraag))


def inbreng_vooraf(sessie: Sessie) -> bool:
    """A concept sessie the begeleider opened for inbreng vooraf: it can be joined before it starts."""
    return sessie.status == Status.CONCEPT and bool(sessie.inbreng_open)


def na_soort(sessie: Sessie, soort: str) -> bool:
    """True when a fase of this soort comes before the current fase in the sessievorm."""
    return any(f.soort == soort for f in vorm_van(sessie).fasen[: sessie.fase_index or 0])


MAX_ID = 2**31 - 1  # larger ids cannot exist, and PostgreSQL refuses to compare with them


def sessie_voor(
    user: Any,
    sessie_id: int,
    mag: Callable[[Any, Sessie], bool],
    bericht: str = "Deze sessie hoort bij een andere gemeente.",
) -> Sessie:
    """The sessie behind an id, loaded and scope-checked before anything else is read.

    The one way to a sessie by id (pages and the API): unknown → NietGevonden (404), not
    `mag(user, sessie)` → Geweigerd (403). Only then may a view read input, so no error
    answer can render a sessie the person may not see or change.
    """
    sessie = db.session.get(Sessie, sessie_id) if 0 < sessie_id <= MAX_ID else None
    if sessie is None or sessie.status == Status.SIGNALEN:  # a signalenbak is no sessie to open
        raise NietGevonden("Sessie niet gevonden.")
    if not mag(user, sessie):
        raise Geweigerd(bericht)
    return sessie


def deelnemers_per_perspectief(sessie_id: int) -> dict[str, int]:
    """How many deelnemers joined, per perspective (alphabetical, as the begeleider reads them).

    One aggregate query: the count is refreshed during a join wave, so it must not load every
    deelnemer to count them.
    """
    rijen = db.session.execute(
        select(Deelnemer.perspectief, func.count(Deelnemer.id))
        .where(Deelnemer.sessie_id == sessie_id)
        .group_by(Deelnemer.perspectief)
        .order_by(Deelnemer.perspectief)
    )
    return {perspectief: aantal for perspectief, aantal in rijen}
