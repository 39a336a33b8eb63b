"""Leerkring reads: the casus, bijdragen, evaluaties, the vooruitblik, peilingen and their trends.

Nothing here writes. `volgende_inbrenger` and `casus_vorige` are the plain functions another
area uses to prefill the next sessie of a reeks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from facilitatie.accounts.models import Team
from facilitatie.extensions import db
from facilitatie.leerkring import regels
from facilitatie.leerkring.models import Bijdrage, Casus, Evaluatie, PeilingAntwoord, Vooruitblik
from facilitatie.opvolging.lezen import reeks_van
from facilitatie.opvolging.models import Reeks, sessie_reeks
from facilitatie.sessies.lezen import huidige_fase, vorm_van, vormen
from facilitatie.sessies.models import Deelnemer, Sessie
from facilitatie.sessies.vormen import Fase

STANDAARD_VRAGEN = {
    "vraag": "Welke vraag heb je aan de inbrenger?",
    "reflectie": "Wat neem je mee naar je eigen werk?",
    "evaluatie": "Hoe waardevol was deze leerkring voor jou?",
}


# --------------------------------------------------------------------------- one sessie


def casus_van(sessie: Sessie) -> Casus | None:
    return db.session.get(Casus, sessie.id)


def heeft_soort(sessie: Sessie, soort: str) -> bool:
    """Whether the sessie's sessievorm has a fase of this soort (e.g. a casus to prepare)."""
    return any(f.soort == soort for f in vorm_van(sessie).fasen)


def fase_met(sessie: Sessie, soort: str) -> Fase | None:
    """The current fase when it is of this soort and the sessie is live, else None."""
    fase = huidige_fase(sessie)
    return fase if sessie.is_live and fase is not None and fase.soort == soort else None


def bijdragen_van(sessie: Sessie, soort: str) -> list[Bijdrage]:
    """The vragen or reflecties of a sessie, oldest first (the order they were said in)."""
    return list(
        db.session.scalars(
            select(Bijdrage)
            .where(Bijdrage.sessie_id == sessie.id, Bijdrage.soort == soort)
            .options(selectinload(Bijdrage.deelnemer))
            .order_by(Bijdrage.aangemaakt_op, Bijdrage.id)
        )
    )


def aantal_deelnemers(sessie: Sessie) -> int:
    return db.session.scalar(select(func.count(Deelnemer.id)).where(Deelnemer.sessie_id == sessie.id)) or 0


@dataclass(frozen=True)
class Evaluatieuitslag:
    """The kring's evaluatie as a group sees it: cijfer and words only from three answers."""

    schaal: regels.Schaaluitslag
    wolk: list[regels.Wolkwoord] | None

    @property
    def aantal(self) -> int:
        return self.schaal.aantal


def evaluatie_uitslag(sessie_id: int) -> Evaluatieuitslag:
    rijen = db.session.execute(select(Evaluatie.cijfer, Evaluatie.woord).where(Evaluatie.sessie_id == sessie_id)).all()
    return Evaluatieuitslag(regels.schaal([c for c, _w in rijen]), regels.woordwolk([w for _c, w in rijen if w]))


def eigen_evaluatie(sessie: Sessie, ik: Deelnemer | None) -> Evaluatie | None:
    if ik is None:
        return None
    return db.session.scalar(select(Evaluatie).where(Evaluatie.sessie_id == sessie.id, Evaluatie.deelnemer_id == ik.id))


def vooruitblik_van(sessie: Sessie) -> Vooruitblik | None:
    return db.session.get(Vooruitblik, sessie.id)


@dataclass(frozen=True)
class Peilinguitslag:
    """One peiling of one sessie as a group sees it: a scale or a word cloud, from three answers."""

    fase: Fase
    aantal: int
    schaal: regels.Schaaluitslag | None = None
    wolk: list[regels.Wolkwoord] | None = None

    @property
    def zichtbaar(self) -> bool:
        return (self.schaal is not None and self.schaal.zichtbaar) or self.wolk is not None


def peiling_uitslag(sessie: Sessie, fase: Fase) -> Peilinguitslag:
    rijen = db.session.execute(
        select(PeilingAntwoord.waarde, PeilingAntwoord.woord).where(
            PeilingAntwoord.sessie_id == sessie.id, PeilingAntwoord.fase_key == fase.key
        )
    ).all()
    if fase.peiling is not None and fase.peiling.vorm == "woord":
        woorden = [w for _v, w in rijen if w]
        return Peilinguitslag(fase, len(woorden), wolk=regels.woordwolk(woorden))
    waarden = [v for v, _w in rijen if v is not None]
    return Peilinguitslag(fase, len(waarden), schaal=regels.schaal(waarden))


def peilingen_van(sessie: Sessie) -> list[Peilinguitslag]:
    """Every peiling fase of the sessie's sessievorm with its uitslag."""
    return [peiling_uitslag(sessie, f) for f in vorm_van(sessie).fasen if f.soort == "peiling"]


def eigen_peiling(sessie: Sessie, fase_key: str, ik: Deelnemer | None) -> PeilingAntwoord | None:
    if ik is None:
        return None
    return db.session.scalar(
        select(PeilingAntwoord).where(
            PeilingAntwoord.sessie_id == sessie.id,
            PeilingAntwoord.fase_key == fase_key,
            PeilingAntwoord.deelnemer_id == ik.id,
        )
    )


def teams_van(sessie: Sessie) -> list[Team]:
    return list(sessie.teams)


# --------------------------------------------------------------------------- a reeks


def _moment(sessie: Sessie) -> datetime:
    return sessie.gestart_op or sessie.aangemaakt_op


def sessies_in_reeks(reeks_id: int) -> list[Sessie]:
    """The sessies of a reeks, earliest first (by start, else by creation)."""
    sessies = db.session.scalars(
        select(Sessie)
        .join(sessie_reeks, sessie_reeks.c.sessie_id == Sessie.id)
        .where(sessie_reeks.c.reeks_id == reeks_id)
    )
    return sorted(sessies, key=lambda s: (_moment(s), s.id))


def reeks_en_sessies(sessie: Sessie) -> tuple[Reeks | None, list[Sessie]]:
    """The sessie's reeks and its sessies; a sessie in no reeks is a reeks of one."""
    reeks = reeks_van(sessie)
    return reeks, (sessies_in_reeks(reeks.id) if reeks else [sessie])


def _eerder_dan(sessies: list[Sessie], voor_sessie_id: int | None) -> list[Sessie]:
    """The sessies before `voor_sessie_id` (all of them without it, or when it is not in the reeks)."""
    ids = [s.id for s in sessies]
    return sessies[: ids.index(voor_sessie_id)] if voor_sessie_id in ids else sessies


def volgende_inbrenger(reeks_id: int, voor_sessie_id: int | None = None) -> tuple[str, date | None] | None:
    """(naam, datum) of the next inbrenger, as recorded at the latest sessie of the reeks that did.

    For prefilling the next sessie of a reeks; None when no sessie of the reeks recorded one.
    With `voor_sessie_id`, only the sessies before that one count: who was to bring in its casus.
    """
    for sessie in reversed(_eerder_dan(sessies_in_reeks(reeks_id), voor_sessie_id)):
        vooruitblik = vooruitblik_van(sessie)
        if vooruitblik is not None:
            return vooruitblik.inbrenger, vooruitblik.datum
    return None


def casus_vorige(
    reeks_id: int, voor_sessie_id: int | None = None, *, in_kring: bool = False, kijker_id: int | None = None
) -> str | None:
    """The casus question of the latest sessie of the reeks that had one (before `voor_sessie_id`).

    Without `voor_sessie_id` it is the newest casus of the reeks: what the next sessie looks back on.
    What is said about a casus stays in the kring: outside it (`in_kring` False) only a casus the kring
    put in its verslag is shown, or one the kijker led the sessie of; otherwise None.
    """
    for sessie in reversed(_eerder_dan(sessies_in_reeks(reeks_id), voor_sessie_id)):
        casus = casus_van(sessie)
        if casus is not None:
            zichtbaar = in_kring or casus.in_verslag or (kijker_id is not None and sessie.begeleider_id == kijker_id)
            return casus.vraag if zichtbaar else None
    return None


@dataclass(frozen=True)
class Trendpunt:
    """One sessie of a reeks in a trend line."""

    sessie: Sessie
    schaal: regels.Schaaluitslag | None
    woorden: list[regels.Wolkwoord] | None

    @property
    def datum(self) -> datetime:
        return _moment(self.sessie)


def evaluatie_trend(sessies: list[Sessie]) -> list[Trendpunt]:
    """The kring's evaluatie per sessie of a reeks: mean cijfer and the three most given words."""
    punten = []
    for sessie in sessies:
        uitslag = evaluatie_uitslag(sessie.id)
        if uitslag.aantal == 0:
            continue
        top = sorted(uitslag.wolk, key=lambda w: (-w.aantal, w.woord))[:3] if uitslag.wolk else None
        punten.append(Trendpunt(sessie, uitslag.schaal, top))
    return punten


@dataclass(frozen=True)
class Peilingtrend:
    """One peiling (by fase key) across a reeks: per sessie all answers, and per wijkteam."""

    key: str
    vraag: str
    vorm: str
    teams: list[Team]
    punten: list[dict[str, Any]]


def peiling_trend(sessies: list[Sessie]) -> list[Peilingtrend]:
    """Every peiling of the reeks: per sessie the figure of everyone and of each wijkteam (from 3)."""
    fasen: dict[str, Fase] = {}
    for sessie in sessies:
        vorm = vormen().get(sessie.sessievorm)
        for fase in vorm.fasen if vorm else ():
            if fase.soort == "peiling" and fase.peiling is not None:
                fasen[fase.key] = fase
    if not fasen or not sessies:
        return []
    rijen = db.session.execute(
        select(
            PeilingAntwoord.sessie_id,
            PeilingAntwoord.fase_key,
            PeilingAntwoord.team_id,
            PeilingAntwoord.waarde,
            PeilingAntwoord.woord,
        ).where(PeilingAntwoord.sessie_id.in_([s.id for s in sessies]))
    ).all()
    team_ids = {r.team_id for r in rijen if r.team_id}
    teams = list(db.session.scalars(select(Team).where(Team.id.in_(team_ids)).order_by(Team.naam))) if team_ids else []
    trends = []
    for key, fase in fasen.items():
        assert fase.peiling is not None
        punten = []
        for sessie in sessies:
            eigen = [r for r in rijen if r.sessie_id == sessie.id and r.fase_key == key]
            if not eigen:
                continue
            punt: dict[str, Any] = {"sessie": sessie, "datum": _moment(sessie), "aantal": len(eigen)}
            if fase.peiling.vorm == "schaal":
                punt["alle"] = regels.schaal([r.waarde for r in eigen if r.waarde is not None])
                punt["per_team"] = {
                    t.id: regels.schaal([r.waarde for r in eigen if r.team_id == t.id and r.waarde is not None])
                    for t in teams
                }
            else:
                wolk = regels.woordwolk([r.woord for r in eigen if r.woord])
                punt["woorden"] = sorted(wolk, key=lambda w: (-w.aantal, w.woord))[:3] if wolk else None
            punten.append(punt)
        if punten:
            trends.append(Peilingtrend(key, fase.peiling.vraag, fase.peiling.vorm, teams, punten))
    return trends
