"""Reads for regelruimte and the register 'Gevonden ruimte' (pages, fragments, verslag, dashboard).

Nothing here writes; the commands live in ruimte.py. The register is per gemeente: every
query takes the gemeente the caller was allowed to see (rechten.ziet_gevonden_ruimte), and a
direct id of another gemeente's entry is answered as if it did not exist.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, or_, select

from facilitatie.accounts.models import Team, User
from facilitatie.extensions import db
from facilitatie.fouten import NietGevonden
from facilitatie.knelpunten.models import Knelpunt
from facilitatie.opvolging import rechten
from facilitatie.opvolging.lezen import knelpunt_zichtbaar
from facilitatie.opvolging.models import GevondenRuimte, Regelruimte
from facilitatie.opvolging.regelruimte import KNEL_LABELS, zoekwoorden
from facilitatie.sessies.lezen import MAX_ID

MAX_REGISTER = 200
"""At most this many entries on one page of the register; a search narrows it down."""


def regelruimte_per_knelpunt(knelpunt_ids: Iterable[int]) -> dict[int, Regelruimte]:
    ids = list(knelpunt_ids)
    if not ids:
        return {}
    return {r.knelpunt_id: r for r in db.session.scalars(select(Regelruimte).where(Regelruimte.knelpunt_id.in_(ids)))}


def gevonden_per_knelpunt(knelpunt_ids: Iterable[int]) -> dict[int, GevondenRuimte]:
    ids = list(knelpunt_ids)
    if not ids:
        return {}
    return {
        g.knelpunt_id: g for g in db.session.scalars(select(GevondenRuimte).where(GevondenRuimte.knelpunt_id.in_(ids)))
    }


@dataclass
class Vermelding:
    """One entry of the register as other teams see it: no knelpunt text, no names."""

    id: int
    omschrijving: str
    domein: str
    team: str | None
    knel: str | None
    oplosser: str | None
    gepubliceerd_op: object


def _vermeldingen_query(gemeente_id: int):
    return (
        select(GevondenRuimte, Knelpunt.domein, Team.naam, Regelruimte)
        .join(Knelpunt, Knelpunt.id == GevondenRuimte.knelpunt_id)
        .outerjoin(Team, Team.id == Knelpunt.team_id)
        .outerjoin(Regelruimte, Regelruimte.knelpunt_id == Knelpunt.id)
        .where(GevondenRuimte.gemeente_id == gemeente_id, knelpunt_zichtbaar())
    )


def _vermelding(rij: tuple[GevondenRuimte, str, str | None, Regelruimte | None]) -> Vermelding:
    gevonden, domein, team, regel = rij
    return Vermelding(
        id=gevonden.id,
        omschrijving=gevonden.omschrijving,
        domein=domein,
        team=team,
        knel=regel.knel_label if regel else None,
        oplosser=regel.oplosser_label if regel else None,
        gepubliceerd_op=gevonden.gepubliceerd_op,
    )


def register(gemeente_id: int, zoek: str | None = None, knel: str | None = None) -> list[Vermelding]:
    """The gemeente's Gevonden ruimte, newest first; every search word must occur (case-insensitive)
    in the description, the domein or the wijkteam."""
    query = _vermeldingen_query(gemeente_id)
    for woord in zoekwoorden(zoek):
        query = query.where(
            or_(
                func.lower(GevondenRuimte.omschrijving).contains(woord, autoescape=True),
                func.lower(Knelpunt.domein).contains(woord, autoescape=True),
                func.lower(func.coalesce(Team.naam, "")).contains(woord, autoescape=True),
            )
        )
    if knel in KNEL_LABELS:
        query = query.where(Regelruimte.knel == knel)
    rijen = db.session.execute(
        query.order_by(GevondenRuimte.gepubliceerd_op.desc(), GevondenRuimte.id.desc()).limit(MAX_REGISTER)
    ).all()
    return [_vermelding(tuple(r)) for r in rijen]  # type: ignore[arg-type]


def aantal_in_register(gemeente_id: int) -> int:
    """How many entries the gemeente's register holds (tells 'empty' apart from 'nothing found')."""
    return db.session.scalar(select(func.count()).select_from(_vermeldingen_query(gemeente_id).subquery())) or 0


def vermelding_voor(user: User, vermelding_id: int) -> Vermelding:
    """One entry, for a user of its gemeente; another gemeente's entry is 404, like a missing one."""
    gevonden = db.session.get(GevondenRuimte, vermelding_id) if 0 < vermelding_id <= MAX_ID else None
    if gevonden is None or not rechten.ziet_gevonden_ruimte(user, gevonden.gemeente_id):
        raise NietGevonden("Deze gevonden ruimte bestaat niet.")
    rij = db.session.execute(_vermeldingen_query(gevonden.gemeente_id).where(GevondenRuimte.id == gevonden.id)).first()
    if rij is None:  # its knelpunt was hidden by moderation
        raise NietGevonden("Deze gevonden ruimte bestaat niet.")
    return _vermelding(tuple(rij))  # type: ignore[arg-type]
