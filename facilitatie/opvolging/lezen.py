"""Opvolging reads: which knelpunten count, their besluiten and acties, eigenaren, suggesties, reeksen.

Pure reads for pages, fragments, the verslag, the dashboard and the JSON API: nothing here
writes or commits, and nothing here imports the commands (service.py), so the dependencies
run one way: views → service (commands) → lezen (reads) → models.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, func, select, true

from facilitatie.accounts.models import User
from facilitatie.accounts.rollen import Rol
from facilitatie.extensions import db
from facilitatie.fouten import Geweigerd, NietGevonden
from facilitatie.knelpunten.models import Knelpunt, Thema
from facilitatie.models_base import utcnow
from facilitatie.opvolging import gelijkenis, rechten, regels
from facilitatie.opvolging.models import (
    Actie,
    Besluit,
    BesluitHistorie,
    EerderGemeld,
    Reeks,
    actie_knelpunt,
    sessie_reeks,
)
from facilitatie.sessies.lezen import MAX_ID, sessie_voor
from facilitatie.sessies.models import Sessie
from facilitatie.verwachtingen.models import Uitkomst, Verwachting

# --------------------------------------------------------------------------- knelpunten in scope


def knelpunt_zichtbaar() -> ColumnElement[bool]:
    """Knelpunten hidden by moderation (if the knelpunten area has such a column) do not count."""
    kolommen = Knelpunt.__table__.c
    for naam in ("verborgen", "is_verborgen", "gemodereerd"):
        if naam in kolommen:
            return kolommen[naam].is_not(True)
    for naam in ("verborgen_op", "gemodereerd_op", "verwijderd_op"):
        if naam in kolommen:
            return kolommen[naam].is_(None)
    return true()


def is_zichtbaar(knelpunt: Knelpunt) -> bool:
    """Python twin of knelpunt_zichtbaar() for one loaded row."""
    for naam in ("verborgen", "is_verborgen", "gemodereerd"):
        if hasattr(knelpunt, naam):
            return not getattr(knelpunt, naam)
    for naam in ("verborgen_op", "gemodereerd_op", "verwijderd_op"):
        if hasattr(knelpunt, naam):
            return getattr(knelpunt, naam) is None
    return True


def knelpunten_van_sessie(sessie: Sessie) -> list[Knelpunt]:
    """The sessie's visible knelpunten, by thema then in order of posting."""
    return list(
        db.session.scalars(
            select(Knelpunt)
            .where(Knelpunt.sessie_id == sessie.id, knelpunt_zichtbaar())
            .order_by(Knelpunt.thema_id.is_(None), Knelpunt.thema_id, Knelpunt.id)
        )
    )


def besluiten_per_knelpunt(knelpunt_ids: Iterable[int]) -> dict[int, Besluit]:
    ids = list(knelpunt_ids)
    if not ids:
        return {}
    return {b.knelpunt_id: b for b in db.session.scalars(select(Besluit).where(Besluit.knelpunt_id.in_(ids)))}


def besluit_historie_per_knelpunt(knelpunt_ids: Iterable[int]) -> dict[int, list[BesluitHistorie]]:
    """Every recorded version of each knelpunt's besluit, newest first."""
    ids = list(knelpunt_ids)
    uit: dict[int, list[BesluitHistorie]] = {}
    if not ids:
        return uit
    rijen = db.session.scalars(
        select(BesluitHistorie)
        .where(BesluitHistorie.knelpunt_id.in_(ids))
        .order_by(BesluitHistorie.knelpunt_id, BesluitHistorie.id.desc())
    )
    for rij in rijen:
        uit.setdefault(rij.knelpunt_id, []).append(rij)
    return uit


def acties_per_knelpunt(knelpunt_ids: Iterable[int]) -> dict[int, list[Actie]]:
    ids = list(knelpunt_ids)
    uitkomst: dict[int, list[Actie]] = {i: [] for i in ids}
    if not ids:
        return uitkomst
    rijen = db.session.execute(
        select(actie_knelpunt.c.knelpunt_id, Actie)
        .join(Actie, Actie.id == actie_knelpunt.c.actie_id)
        .where(actie_knelpunt.c.knelpunt_id.in_(ids))
        .order_by(Actie.id)
    )
    for knelpunt_id, actie in rijen:
        uitkomst[knelpunt_id].append(actie)
    return uitkomst


# --------------------------------------------------------------------------- load and check
#
# The one way to an opvolging object by id, for the pages and the API alike: load it, check
# the gemeente and the role (Geweigerd, 403), and only then let the caller read any input.
# So no validation message, and no 400 page, can show another gemeente's sessie.

GEEN_BESLUITER = "Alleen begeleiders en beleidsmedewerkers van deze gemeente leggen besluiten vast."


def _rij(model: type, ident: int):
    return db.session.get(model, ident) if 0 < ident <= MAX_ID else None


def sessie_om_te_besluiten(user: User, sessie_id: int) -> Sessie:
    """A sessie whose besluiten, acties and reeks this user may change."""
    return sessie_voor(user, sessie_id, rechten.kan_besluiten_in, GEEN_BESLUITER)


def knelpunt_om_te_besluiten(user: User, knelpunt_id: int) -> Knelpunt:
    """A visible knelpunt this user may decide on (404 for a hidden one, after the scope check)."""
    knelpunt = _rij(Knelpunt, knelpunt_id)
    if knelpunt is None:
        raise NietGevonden("Knelpunt niet gevonden.")
    if not rechten.kan_besluiten_in(user, knelpunt.sessie):
        raise Geweigerd(GEEN_BESLUITER)
    if not is_zichtbaar(knelpunt):
        raise NietGevonden("Knelpunt niet gevonden.")
    return knelpunt


def thema_om_te_besluiten(user: User, thema_id: int) -> Thema:
    """A thema this user may give one besluit for all its knelpunten."""
    thema = _rij(Thema, thema_id)
    if thema is None:
        raise NietGevonden("Thema niet gevonden.")
    if not rechten.kan_besluiten_in(user, thema.sessie):
        raise Geweigerd(GEEN_BESLUITER)
    return thema


def actie_voor(user: User, actie_id: int, *, bijwerken: bool = False) -> Actie:
    """An actie this user may see (and, with `bijwerken`, update)."""
    actie = _rij(Actie, actie_id)
    if actie is None:
        raise NietGevonden("Actie niet gevonden.")
    teams = {k.team_id for k in actie.knelpunten}
    if not rechten.ziet_actie(user, actie.gemeente_id, actie.eigenaar_id, teams):
        raise Geweigerd("Deze actie hoort bij een andere gemeente of een ander team.")
    if bijwerken and not rechten.kan_actie_bijwerken(user, actie.gemeente_id, actie.eigenaar_id):
        raise Geweigerd("Alleen de eigenaar, beleidsmedewerkers en begeleiders van deze gemeente werken acties bij.")
    return actie


# --------------------------------------------------------------------------- acties


def mogelijke_eigenaren(gemeente_id: int) -> list[User]:
    """People of the gemeente who can carry an actie (not the wethouder: bestuur reviews)."""
    return list(
        db.session.scalars(
            select(User)
            .where(
                User.gemeente_id == gemeente_id,
                User.actief.is_(True),
                User.rol.in_((Rol.BELEIDSMEDEWERKER, Rol.BEGELEIDER, Rol.WIJKTEAMLID)),
            )
            .order_by(User.naam)
        )
    )


def verwachtingen_van(sessie: Sessie) -> list[Verwachting]:
    """The sessie's verwachtingen an actie can follow up (bijgestelde first)."""
    lijst = list(
        db.session.scalars(select(Verwachting).where(Verwachting.sessie_id == sessie.id).order_by(Verwachting.id))
    )
    return sorted(lijst, key=lambda v: not (v.ambitie and v.ambitie.uitkomst == Uitkomst.BIJSTELLEN))


# --------------------------------------------------------------------------- eerder gemeld


@dataclass(frozen=True)
class Suggestie:
    knelpunt: Knelpunt
    eerder: Knelpunt
    score: float


MAX_CORPUS = 3000
"""Earlier knelpunten compared per request; older ones than this rarely come back unnoticed."""


def suggesties(sessie: Sessie, *, max_per_knelpunt: int = 3) -> dict[int, list[Suggestie]]:
    """Per knelpunt of this sessie, similar knelpunten from earlier sessies of the same gemeente."""
    eigen = knelpunten_van_sessie(sessie)
    if not eigen:
        return {}
    gekoppeld = {
        (k, e)
        for k, e in db.session.execute(
            select(EerderGemeld.knelpunt_id, EerderGemeld.eerder_id).where(
                EerderGemeld.knelpunt_id.in_([k.id for k in eigen])
            )
        )
    }
    eerdere = list(
        db.session.scalars(
            select(Knelpunt)
            .join(Sessie, Sessie.id == Knelpunt.sessie_id)
            .where(
                Sessie.gemeente_id == sessie.gemeente_id,
                Knelpunt.sessie_id != sessie.id,
                Knelpunt.aangemaakt_op <= func.coalesce(sessie.gestart_op, utcnow()),
                knelpunt_zichtbaar(),
            )
            .order_by(Knelpunt.aangemaakt_op.desc())
            .limit(MAX_CORPUS)
        )
    )
    corpus = {k.id: k.tekst for k in eerdere}
    per_id = {k.id: k for k in eerdere}
    uitkomst: dict[int, list[Suggestie]] = {}
    for knelpunt in eigen:
        kandidaten = gelijkenis.vergelijkbare(knelpunt.tekst, corpus, max_aantal=max_per_knelpunt + 2)
        lijst = [
            Suggestie(knelpunt, per_id[k.sleutel], k.score)
            for k in kandidaten
            if (knelpunt.id, k.sleutel) not in gekoppeld
        ][:max_per_knelpunt]
        if lijst:
            uitkomst[knelpunt.id] = lijst
    return uitkomst


def eerste_melding(knelpunt_id: int) -> int:
    """Follow 'eerder gemeld' links back to the first time a signal was raised."""
    gezien = {knelpunt_id}
    huidig = knelpunt_id
    while True:
        eerder = db.session.scalar(
            select(EerderGemeld.eerder_id).where(EerderGemeld.knelpunt_id == huidig).order_by(EerderGemeld.id).limit(1)
        )
        if eerder is None or eerder in gezien:
            return huidig
        gezien.add(eerder)
        huidig = eerder


def eerder_gemeld_van(knelpunt_ids: Iterable[int]) -> dict[int, list[Knelpunt]]:
    """Per knelpunt the earlier knelpunten it is linked to."""
    ids = list(knelpunt_ids)
    uitkomst: dict[int, list[Knelpunt]] = {}
    if not ids:
        return uitkomst
    for koppeling in db.session.scalars(select(EerderGemeld).where(EerderGemeld.knelpunt_id.in_(ids))):
        uitkomst.setdefault(koppeling.knelpunt_id, []).append(koppeling.eerder)
    return uitkomst


# --------------------------------------------------------------------------- reeksen


def reeks_van(sessie: Sessie) -> Reeks | None:
    reeks_id = db.session.scalar(select(sessie_reeks.c.reeks_id).where(sessie_reeks.c.sessie_id == sessie.id))
    return db.session.get(Reeks, reeks_id) if reeks_id else None


def reeksen(gemeente_id: int) -> list[Reeks]:
    return list(db.session.scalars(select(Reeks).where(Reeks.gemeente_id == gemeente_id).order_by(Reeks.naam)))


def acties_uit_reeks(sessie: Sessie, vandaag: date) -> list[Actie]:
    """Open and late acties from earlier sessies of the same reeks, late ones first."""
    reeks = reeks_van(sessie)
    if reeks is None:
        return []
    eerdere = (
        select(sessie_reeks.c.sessie_id)
        .join(Sessie, Sessie.id == sessie_reeks.c.sessie_id)
        .where(
            sessie_reeks.c.reeks_id == reeks.id,
            Sessie.id != sessie.id,
            Sessie.aangemaakt_op <= sessie.aangemaakt_op,
        )
    )
    acties = list(
        db.session.scalars(
            select(Actie)
            .where(
                Actie.sessie_id.in_(eerdere),
                Actie.status.in_((regels.Actiestatus.OPEN, regels.Actiestatus.IN_UITVOERING)),
            )
            .order_by(Actie.streefdatum, Actie.id)
        )
    )
    return sorted(acties, key=lambda a: not regels.is_te_laat(a.status, a.streefdatum, vandaag))
