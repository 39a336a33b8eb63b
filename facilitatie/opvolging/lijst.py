"""The opvolging list: acties or knelpunten with their besluit, filtered, sorted and paginated in SQL.

What a user sees is always the intersection of the Filter (filters.py) and the user's scope
(bereik.py); the conditions here are the SQL twins of the rules in regels.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, exists, func, or_, select

from facilitatie.accounts.models import Team, User
from facilitatie.extensions import db
from facilitatie.knelpunten.models import Knelpunt
from facilitatie.opvolging.bereik import gemeente_knelpunt, gemeente_voor, team_scope_actie, team_scope_knelpunt
from facilitatie.opvolging.filters import MET, ZONDER_BESLUIT, Filter, periode
from facilitatie.opvolging.lezen import knelpunt_zichtbaar
from facilitatie.opvolging.models import Actie, Besluit, EerderGemeld, Regelruimte, actie_knelpunt
from facilitatie.opvolging.regels import Actiestatus
from facilitatie.sessies.models import Sessie

PER_PAGINA = 25


def _groep_voorwaarden(f: Filter) -> list[ColumnElement[bool]]:
    """Conditions on Knelpunt for the dashboard's werkmodel and regelruimte groups."""
    voorwaarden: list[ColumnElement[bool]] = []
    if f.werkmodel:
        voorwaarden.append(exists().where(Team.id == Knelpunt.team_id, Team.werkmodel == f.werkmodel))
    regel = [Regelruimte.knel == f.knel] if f.knel else []
    regel += [Regelruimte.oplosser == f.oplosser] if f.oplosser else []
    if regel:
        voorwaarden.append(exists().where(Regelruimte.knelpunt_id == Knelpunt.id, *regel))
    return voorwaarden


def te_laat_voorwaarde(vandaag: date) -> ColumnElement[bool]:
    """SQL twin of regels.is_te_laat."""
    return and_(
        Actie.status.in_((Actiestatus.OPEN, Actiestatus.IN_UITVOERING)),
        Actie.streefdatum.is_not(None),
        Actie.streefdatum < vandaag,
    )


def _besluit_voorwaarde(waarde: str) -> ColumnElement[bool]:
    """Condition on the outer-joined Besluit of knelpunten_query."""
    if waarde in ZONDER_BESLUIT:
        return and_(Sessie.status.in_(ZONDER_BESLUIT[waarde]), Besluit.id.is_(None))
    if waarde == MET:
        return Besluit.id.is_not(None)
    return Besluit.soort == waarde


def _signaal_voorwaarde(knelpunt_id: int) -> ColumnElement[bool]:
    return or_(
        Knelpunt.id == knelpunt_id,
        exists().where(EerderGemeld.knelpunt_id == Knelpunt.id, EerderGemeld.eerder_id == knelpunt_id),
    )


@dataclass
class Pagina:
    """One page of the opvolging list."""

    rijen: list[Any]
    totaal: int
    pagina: int
    per_pagina: int = PER_PAGINA

    @property
    def paginas(self) -> int:
        return max(1, -(-self.totaal // self.per_pagina))


def _pagineer(query: Select, pagina: int) -> Pagina:
    totaal = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    laatste = max(1, -(-totaal // PER_PAGINA))
    pagina = min(max(1, pagina), laatste)
    rijen = list(db.session.execute(query.limit(PER_PAGINA).offset((pagina - 1) * PER_PAGINA)))
    return Pagina(rijen=rijen, totaal=totaal, pagina=pagina)


def acties_query(user: User, f: Filter, vandaag: date) -> Select:
    """Acties the user may see, filtered; rows are (Actie,)."""
    gemeente_id = gemeente_voor(user, f.gemeente)
    query = select(Actie)
    if gemeente_id is not None:
        query = query.where(Actie.gemeente_id == gemeente_id)
    query = query.where(*team_scope_actie(user), *periode(Actie.aangemaakt_op, f.van, f.tot))
    if f.status:
        query = query.where(Actie.status == f.status)
    if f.te_laat:
        query = query.where(te_laat_voorwaarde(vandaag))
    if f.eigenaar:
        query = query.where(Actie.eigenaar_id == f.eigenaar)
    if f.sessie:
        # An actie belongs to a sessie when made there or linked to one of its knelpunten.
        query = query.where(
            or_(
                Actie.sessie_id == f.sessie,
                exists().where(
                    actie_knelpunt.c.actie_id == Actie.id,
                    Knelpunt.id == actie_knelpunt.c.knelpunt_id,
                    Knelpunt.sessie_id == f.sessie,
                ),
            )
        )
    knelpunt_voorwaarden = []
    if f.team:
        knelpunt_voorwaarden.append(Knelpunt.team_id == f.team)
    if f.domein:
        knelpunt_voorwaarden.append(Knelpunt.domein == f.domein)
    if f.signaal:
        knelpunt_voorwaarden.append(_signaal_voorwaarde(f.signaal))
    knelpunt_voorwaarden += _groep_voorwaarden(f)
    if knelpunt_voorwaarden:
        query = query.where(
            exists().where(
                actie_knelpunt.c.actie_id == Actie.id,
                Knelpunt.id == actie_knelpunt.c.knelpunt_id,
                *knelpunt_voorwaarden,
            )
        )
    volgorde = {
        "streefdatum": (Actie.streefdatum, Actie.id),
        "status": (Actie.status, Actie.id),
        "eigenaar": (Actie.eigenaar_id, Actie.id),
        "aangemaakt": (Actie.aangemaakt_op, Actie.id),
    }
    sleutel = f.sort.lstrip("-") or "streefdatum"
    kolommen = volgorde[sleutel]
    if f.sort.startswith("-"):
        query = query.order_by(*(k.desc() for k in kolommen))
    else:
        query = query.order_by(*kolommen)
    return query


def knelpunten_query(user: User, f: Filter, vandaag: date) -> Select:
    """Knelpunten with their besluit (or None) the user may see; rows are (Knelpunt, Besluit|None)."""
    gemeente_id = gemeente_voor(user, f.gemeente)
    query = (
        select(Knelpunt, Besluit)
        .join(Sessie, Sessie.id == Knelpunt.sessie_id)
        .outerjoin(Besluit, Besluit.knelpunt_id == Knelpunt.id)
        .where(
            knelpunt_zichtbaar(),
            *gemeente_knelpunt(gemeente_id),
            *team_scope_knelpunt(user),
            *periode(Knelpunt.aangemaakt_op, f.van, f.tot),
        )
    )
    if f.team:
        query = query.where(Knelpunt.team_id == f.team)
    if f.domein:
        query = query.where(Knelpunt.domein == f.domein)
    if f.sessie:
        query = query.where(Knelpunt.sessie_id == f.sessie)
    if f.besluit:
        query = query.where(_besluit_voorwaarde(f.besluit))
    if f.signaal:
        query = query.where(_signaal_voorwaarde(f.signaal))
    for voorwaarde in _groep_voorwaarden(f):
        query = query.where(voorwaarde)
    actie_voorwaarden = []
    if f.status:
        actie_voorwaarden.append(Actie.status == f.status)
    if f.te_laat:
        actie_voorwaarden.append(te_laat_voorwaarde(vandaag))
    if f.eigenaar:
        actie_voorwaarden.append(Actie.eigenaar_id == f.eigenaar)
    if actie_voorwaarden:
        query = query.where(
            exists().where(
                actie_knelpunt.c.knelpunt_id == Knelpunt.id, Actie.id == actie_knelpunt.c.actie_id, *actie_voorwaarden
            )
        )
    volgorde = {
        "datum": (Knelpunt.aangemaakt_op, Knelpunt.id),
        "domein": (Knelpunt.domein, Knelpunt.id),
        "team": (Knelpunt.team_id, Knelpunt.id),
        "besluit": (Besluit.soort, Knelpunt.id),
    }
    sleutel = f.sort.lstrip("-") or "datum"
    kolommen = volgorde[sleutel]
    desc = f.sort.startswith("-") if f.sort else True  # newest first by default
    return query.order_by(*(k.desc() for k in kolommen)) if desc else query.order_by(*kolommen)


def lijst(user: User, f: Filter, vandaag: date) -> Pagina:
    """The opvolging list page for this filter."""
    if f.weergave == "knelpunten":
        return _pagineer(knelpunten_query(user, f, vandaag), f.pagina)
    return _pagineer(acties_query(user, f, vandaag), f.pagina)
