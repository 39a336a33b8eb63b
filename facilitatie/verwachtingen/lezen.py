"""Reads of the verwachtingen area: the list, the rondes and their state, who rated, settings.

No writes and no fragments: commands, `uitslag`, `export` and `live` build on these.
"""

from __future__ import annotations

import math
from typing import Any

from sqlalchemy import func, select

from facilitatie.accounts.models import User
from facilitatie.accounts.perspectieven import label_van
from facilitatie.accounts.rollen import kan_sessie_bekijken
from facilitatie.extensions import db
from facilitatie.knelpunten.models import Knelpunt
from facilitatie.sessies.models import Deelnemer, Sessie
from facilitatie.verwachtingen import statistiek as stat
from facilitatie.verwachtingen.models import Beoordeling, Instellingen, Ronde, Uitkomst, Verwachting, uitkomst_van

RONDES = (1, 2)


RONDE_NAMEN = {1: "voormeting", 2: "nameting"}


GROEP_LABELS = {"alle": "Alle deelnemers", "beleid": "Beleid", "uitvoering": "Uitvoering"}


def groep_label(groep: str) -> str:
    """The name of a groep in the figures, a gemeente's own perspectives included."""
    return GROEP_LABELS.get(groep) or label_van(groep)


SCHAAL_LABELS = {"wenselijk": "Wenselijk", "haalbaar": "Haalbaar"}


WEET_NIET = "weet-niet"


ONDERDRUKT = "onderdrukt"


# Ronde states as the templates name them.
DICHT, OPEN, GESLOTEN = "dicht", "open", "gesloten"


def verwachtingen_van(sessie: Sessie) -> list[Verwachting]:
    return list(
        db.session.scalars(
            select(Verwachting).where(Verwachting.sessie_id == sessie.id).order_by(Verwachting.volgorde, Verwachting.id)
        )
    )


def rondes_van(sessie: Sessie) -> dict[int, Ronde]:
    return {r.ronde: r for r in db.session.scalars(select(Ronde).where(Ronde.sessie_id == sessie.id))}


def ronde_status(sessie: Sessie, ronde: int) -> str:
    """dicht (not opened yet), open, or gesloten."""
    r = rondes_van(sessie).get(ronde)
    if r is None:
        return DICHT
    return OPEN if r.is_open else GESLOTEN


def gesloten_rondes(sessie: Sessie) -> list[int]:
    return sorted(n for n, r in rondes_van(sessie).items() if not r.is_open)


def drempels(sessie: Sessie) -> stat.Drempels:
    inst = db.session.get(Instellingen, sessie.id)
    if inst is None:
        return stat.Drempels()
    return stat.Drempels(iqr_max=inst.iqr_max, aandeel_min=inst.aandeel_min, min_groep=inst.min_groep)


def aantal_beoordelaars(sessie: Sessie, ronde: int) -> int:
    """How many deelnemers rated at least one verwachting in this ronde (the only live figure)."""
    return (
        db.session.scalar(
            select(func.count(func.distinct(Beoordeling.deelnemer_id)))
            .join(Verwachting, Verwachting.id == Beoordeling.verwachting_id)
            .where(Verwachting.sessie_id == sessie.id, Beoordeling.ronde == ronde)
        )
        or 0
    )


def beoordeelde_ids(sessie: Sessie) -> set[int]:
    """Verwachtingen somebody rated: those can no longer be removed."""
    return set(
        db.session.scalars(
            select(Beoordeling.verwachting_id)
            .join(Verwachting, Verwachting.id == Beoordeling.verwachting_id)
            .where(Verwachting.sessie_id == sessie.id)
            .distinct()
        )
    )


def aantal_deelnemers(sessie: Sessie) -> int:
    return db.session.scalar(select(func.count(Deelnemer.id)).where(Deelnemer.sessie_id == sessie.id)) or 0


def eigen_antwoorden(deelnemer: Deelnemer, ronde: int) -> dict[int, Beoordeling]:
    """This deelnemer's own answers in a ronde, by verwachting id (shown to them only)."""
    rijen = db.session.scalars(
        select(Beoordeling).where(Beoordeling.deelnemer_id == deelnemer.id, Beoordeling.ronde == ronde)
    )
    return {b.verwachting_id: b for b in rijen}


def knelpunten_van(sessie: Sessie) -> list[Any]:

    return list(db.session.scalars(select(Knelpunt).where(Knelpunt.sessie_id == sessie.id).order_by(Knelpunt.id)))


def eerdere_sessies(sessie: Sessie, user: User | None) -> list[Sessie]:
    """Earlier sessies of the same gemeente that have verwachtingen to copy."""
    kandidaten = db.session.scalars(
        select(Sessie)
        .where(
            Sessie.gemeente_id == sessie.gemeente_id,
            Sessie.id != sessie.id,
            Sessie.id.in_(select(Verwachting.sessie_id)),
        )
        .order_by(Sessie.aangemaakt_op.desc())
    )
    return [s for s in kandidaten if kan_sessie_bekijken(user, s)]


def overgenomen_tekst(oud: Verwachting) -> str | None:
    """The wording a verwachting goes on with in a later sessie; None when the group let it go."""
    ambitie = oud.ambitie
    if ambitie is None:
        return oud.tekst
    uitkomst = uitkomst_van(ambitie.uitkomst)
    if uitkomst == Uitkomst.LOSLATEN:
        return None
    if uitkomst == Uitkomst.BIJSTELLEN and ambitie.nieuwe_formulering:
        return ambitie.nieuwe_formulering
    return oud.tekst


def lijn_van(verwachting: Verwachting) -> list[Verwachting]:
    """Every verwachting of its line (the first and each copy) in the gemeente, oldest sessie first."""
    lijn = verwachting.lijn
    return list(
        db.session.scalars(
            select(Verwachting)
            .join(Sessie, Sessie.id == Verwachting.sessie_id)
            .where(
                Verwachting.gemeente_id == verwachting.gemeente_id,
                (Verwachting.lijn_id == lijn) | (Verwachting.id == lijn),
            )
            .order_by(Sessie.aangemaakt_op, Sessie.id, Verwachting.id)
        )
    )


def getal(waarde: float | None) -> str:
    """A figure the Dutch way: 3, 3,5 or 0,25; "—" when unknown."""
    if waarde is None or (isinstance(waarde, float) and math.isnan(waarde)):
        return "—"
    if float(waarde).is_integer():
        return str(int(waarde))
    return f"{waarde:.2f}".rstrip("0").replace(".", ",")
