"""The dashboard figures that take the big scans: counts per besluit and status, and medians.

Aggregated in SQL in a handful of grouped queries. On PostgreSQL the counts come from one
scan over grouping sets and the medians from percentile_cont; SQLite has neither, so there
the finest grouping is folded and the medians computed in Python. Both paths must give the
same figures (the tests run on both).
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Date, and_, case, cast, distinct, func, null, select, text, tuple_

from facilitatie.accounts.models import Team
from facilitatie.extensions import db
from facilitatie.knelpunten.models import Knelpunt
from facilitatie.opvolging.filters import ZONDER_BESLUIT, periode
from facilitatie.opvolging.lezen import knelpunt_zichtbaar
from facilitatie.opvolging.lijst import te_laat_voorwaarde
from facilitatie.opvolging.models import Actie, Besluit, Regelruimte, actie_knelpunt
from facilitatie.opvolging.regels import Actiestatus
from facilitatie.sessies.models import Sessie

UITKOMSTEN = ("opgepakt", "niet_opgepakt", "doorverwezen", "al_opgelost", *ZONDER_BESLUIT)


@dataclass
class Telling:
    """Knelpunten and their besluiten in one group (total, a domein, a team, a month)."""

    knelpunten: int = 0
    opgepakt: int = 0
    niet_opgepakt: int = 0
    doorverwezen: int = 0
    al_opgelost: int = 0
    zonder: int = 0
    in_sessie: int = 0
    signaal: int = 0
    mediaan_besluit: float | None = None

    def vul(self, knelpunten: int, *rest: Any) -> None:
        """Set from one grouping-set row: counts per outcome, then the median."""
        self.knelpunten = knelpunten
        for naam, aantal in zip(UITKOMSTEN, rest, strict=False):
            setattr(self, naam, aantal)
        mediaan = rest[len(UITKOMSTEN)]
        self.mediaan_besluit = float(mediaan) if mediaan is not None else None

    def tel(self, knelpunten: int, *rest: int) -> None:
        """Add the counts of one finer group (SQLite path)."""
        self.knelpunten += knelpunten
        for naam, aantal in zip(UITKOMSTEN, rest, strict=True):
            setattr(self, naam, getattr(self, naam) + aantal)

    @property
    def met_besluit(self) -> int:
        return self.opgepakt + self.niet_opgepakt + self.doorverwezen + self.al_opgelost

    def aandeel(self, aantal: int) -> float | None:
        """Share in percent of all knelpunten in this group (None when there are none)."""
        return round(100 * aantal / self.knelpunten, 1) if self.knelpunten else None


@dataclass
class ActieTelling:
    totaal: int = 0
    open: int = 0
    in_uitvoering: int = 0
    te_laat: int = 0
    afgerond: int = 0
    vervallen: int = 0
    mediaan_afgerond: float | None = None

    def vul(
        self, totaal: int, open_: int, in_uitvoering: int, afgerond: int, vervallen: int, te_laat: int, mediaan: Any
    ) -> None:
        """Set from one aggregate row (PostgreSQL path)."""
        self.totaal, self.open, self.in_uitvoering, self.afgerond, self.vervallen = (
            totaal,
            open_,
            in_uitvoering,
            afgerond,
            vervallen,
        )
        self.te_laat = te_laat
        self.mediaan_afgerond = float(mediaan) if mediaan is not None else None

    def tel(self, status: str, is_laat: bool, aantal: int = 1) -> None:
        """Count acties of one status (and whether they are te laat)."""
        self.totaal += aantal
        setattr(self, status, getattr(self, status) + aantal)
        if is_laat:
            self.te_laat += aantal


def is_postgres() -> bool:
    """Whether the app runs on PostgreSQL (grouping sets, percentile_cont) rather than SQLite."""
    return db.engine.dialect.name == "postgresql"


def _dagen(begin: Any, eind: Any) -> ColumnElement[float]:
    """Whole calendar days between two timestamps in SQL (date of eind minus date of begin), clamped at 0.

    Whole days, so the summary (samenvatting.py) can keep exact medians as day-count histograms.
    """
    if is_postgres():
        return func.greatest(cast(eind, Date) - cast(begin, Date), 0)
    return func.max(func.julianday(func.date(eind)) - func.julianday(func.date(begin)), 0.0)


def _maand(kolom: Any) -> ColumnElement[Any]:
    """The month of a timestamp: a timestamp on PostgreSQL (cheap to group), 'YYYY-MM' on SQLite."""
    if is_postgres():
        return func.date_trunc("month", kolom)
    return func.strftime("%Y-%m", kolom)


_SOORTEN = ("opgepakt", "niet_opgepakt", "doorverwezen", "al_opgelost")

GROEPEN = ("domein", "team", "werkmodel", "knel", "oplosser")
"""The dimensions the dashboard splits knelpunten and acties by (besides the month of the trend):
the knelpunt's domein, its wijkteam and that team's werkmodel, and its regelruimte."""


def _groep_kolommen() -> dict[str, Any]:
    """The SQL column of each dimension in GROEPEN (the queries join Team and Regelruimte outer)."""
    return {
        "domein": Knelpunt.domein,
        "team": Knelpunt.team_id,
        "werkmodel": Team.werkmodel,
        "knel": Regelruimte.knel,
        "oplosser": Regelruimte.oplosser,
    }


def _met_groepen(query: Any) -> Any:
    """Join what the dimensions need: the knelpunt's team (werkmodel) and its regelruimte."""
    return query.outerjoin(Team, Team.id == Knelpunt.team_id).outerjoin(
        Regelruimte, Regelruimte.knelpunt_id == Knelpunt.id
    )
_STATUSSEN = ("open", "in_uitvoering", "afgerond", "vervallen")


def _groepen(kolommen: dict[str, Any]) -> tuple[list[Any], Any]:
    """GROUP BY for the PostgreSQL path: one grouping set per dimension plus the grand total.

    Returns the grouping() columns (to tell the sets apart) and the GROUP BY clause.
    """
    sets = [tuple_(), *(tuple_(kolom) for kolom in kolommen.values())]
    return [func.grouping(kolom) for kolom in kolommen.values()], func.grouping_sets(*sets)


def _verdeel(rijen: Any, dimensies: tuple[str, ...], maak: Any) -> tuple[Any, dict[str, dict[Any, Any]]]:
    """Spread grouping-set rows (grouping bits, keys, figures) over the total and each dimension."""
    totaal = maak()
    per: dict[str, dict[Any, Any]] = {d: {} for d in dimensies}
    n = len(dimensies)
    for rij in rijen:
        bits, sleutels, cijfers = rij[:n], rij[n : 2 * n], rij[2 * n :]
        if all(bits):
            doel = totaal
        else:
            i = bits.index(0)
            doel = per[dimensies[i]].setdefault(sleutels[i], maak())
        doel.vul(*cijfers)
    return totaal, per


def _knelpunt_cijfers(scope: list[ColumnElement[bool]]) -> tuple[Telling, dict[str, dict[Any, Telling]]]:
    """Knelpunten per besluit outcome and the median days signal → besluit, total and per dimension."""
    # GREATEST ignores NULL on PostgreSQL, so a knelpunt without besluit must yield NULL explicitly.
    dagen = case((Besluit.id.is_not(None), _dagen(Knelpunt.aangemaakt_op, Besluit.besloten_op)), else_=None)
    geen_besluit = Besluit.id.is_(None)
    figuren = [
        func.count(),
        *(func.count().filter(Besluit.soort == soort) for soort in _SOORTEN),
        *(
            func.count().filter(and_(geen_besluit, Sessie.status.in_(statussen)))
            for statussen in ZONDER_BESLUIT.values()
        ),
    ]
    dimensies = {**_groep_kolommen(), "maand": _maand(Knelpunt.aangemaakt_op)}
    basis = _met_groepen(
        select(Knelpunt.id)
        .select_from(Knelpunt)
        .join(Sessie, Sessie.id == Knelpunt.sessie_id)
        .outerjoin(Besluit, Besluit.knelpunt_id == Knelpunt.id)
    ).where(*scope)
    if is_postgres():
        # Counts: hash aggregation over all grouping sets. Medians need sorted input, so they get
        # their own query over the knelpunten with a besluit, without the month set.
        bits, group_by = _groepen(dimensies)
        rijen = db.session.execute(
            basis.with_only_columns(*bits, *dimensies.values(), *figuren, null()).group_by(group_by)
        )
        totaal, per = _verdeel(rijen, tuple(dimensies), Telling)
        mediaan_dims = _groep_kolommen()
        namen = tuple(mediaan_dims)
        bits, group_by = _groepen(mediaan_dims)
        for rij in db.session.execute(
            basis.with_only_columns(*bits, *mediaan_dims.values(), func.percentile_cont(0.5).within_group(dagen))
            .where(Besluit.id.is_not(None))
            .group_by(group_by)
        ):
            g, sleutels, mediaan = rij[: len(namen)], rij[len(namen) : 2 * len(namen)], rij[-1]
            doel = totaal if all(g) else per[namen[g.index(0)]].get(sleutels[g.index(0)])
            if doel is not None:
                doel.mediaan_besluit = float(mediaan) if mediaan is not None else None
        return totaal, per
    # SQLite: no grouping sets and no percentile; fold the finest grouping in Python.
    totaal, per = Telling(), {d: {} for d in dimensies}
    rijen = db.session.execute(basis.with_only_columns(*dimensies.values(), *figuren).group_by(*dimensies.values()))
    n = len(dimensies)
    for rij in rijen:
        sleutels, (aantal, *rest) = rij[:n], rij[n:]
        for doel in (totaal, *(per[d].setdefault(k, Telling()) for d, k in zip(dimensies, sleutels, strict=True))):
            doel.tel(aantal, *rest)
    duur: dict[tuple[str, Any], list[float]] = defaultdict(list)
    for *sleutels, waarde in db.session.execute(
        basis.with_only_columns(*dimensies.values(), dagen).where(Besluit.id.is_not(None))
    ):
        duur[("", None)].append(waarde)
        for d, k in zip(dimensies, sleutels, strict=True):
            if d != "maand":  # as on PostgreSQL: no median per month
                duur[(d, k)].append(waarde)
    totaal.mediaan_besluit = _median(duur.get(("", None)))
    for d, groepen in per.items():
        for k, telling in groepen.items():
            telling.mediaan_besluit = _median(duur.get((d, k)))
    return totaal, per


def _median(waarden: list[float] | None) -> float | None:
    return float(statistics.median(waarden)) if waarden else None


def _actie_cijfers(
    actie_scope: list[ColumnElement[bool]], vandaag: date
) -> tuple[ActieTelling, dict[str, dict[Any, ActieTelling]]]:
    """Acties per status and te laat, and the median days besluit → afgerond, total and per GROEPEN.

    Per domein, team etc. an actie counts once for every group one of its knelpunten is in;
    its start is the besluit on that knelpunt (or the actie's creation when there is none).
    """
    laat = te_laat_voorwaarde(vandaag)
    afgerond = Actie.status == Actiestatus.AFGEROND
    totaal = ActieTelling()
    for status, is_laat, aantal in db.session.execute(
        select(Actie.status, laat, func.count()).where(*actie_scope).group_by(Actie.status, laat)
    ):
        totaal.tel(status, bool(is_laat), aantal)
    # Median over afgeronde acties, each from the earliest besluit on its knelpunten.
    start = func.coalesce(func.min(Besluit.besloten_op), Actie.aangemaakt_op)
    per_actie = (
        select(_dagen(start, Actie.afgerond_op).label("dagen"))
        .select_from(Actie)
        .outerjoin(actie_knelpunt, actie_knelpunt.c.actie_id == Actie.id)
        .outerjoin(Besluit, Besluit.knelpunt_id == actie_knelpunt.c.knelpunt_id)
        .where(*actie_scope, afgerond, Actie.afgerond_op.is_not(None))
        .group_by(Actie.id)
        .subquery()
    )
    if is_postgres():
        totaal.mediaan_afgerond = db.session.scalar(select(func.percentile_cont(0.5).within_group(per_actie.c.dagen)))
    else:
        totaal.mediaan_afgerond = _median(list(db.session.scalars(select(per_actie.c.dagen))))

    # Per domein and team, over (actie, knelpunt) pairs.
    dimensies = _groep_kolommen()
    dagen_paar = case(
        (
            and_(afgerond, Actie.afgerond_op.is_not(None)),
            _dagen(func.coalesce(Besluit.besloten_op, Actie.aangemaakt_op), Actie.afgerond_op),
        ),
        else_=None,
    )
    basis = _met_groepen(
        select(Actie.id)
        .select_from(Actie)
        .join(actie_knelpunt, actie_knelpunt.c.actie_id == Actie.id)
        .join(Knelpunt, Knelpunt.id == actie_knelpunt.c.knelpunt_id)
        .outerjoin(Besluit, Besluit.knelpunt_id == Knelpunt.id)
    ).where(*actie_scope)
    if is_postgres():
        bits, _ = _groepen(dimensies)
        figuren = [
            func.count(distinct(Actie.id)),
            *(func.count(distinct(Actie.id)).filter(Actie.status == s) for s in _STATUSSEN),
            func.count(distinct(Actie.id)).filter(laat),
            func.percentile_cont(0.5).within_group(dagen_paar),
        ]
        rijen = db.session.execute(
            basis.with_only_columns(*bits, *dimensies.values(), *figuren).group_by(
                func.grouping_sets(*(tuple_(k) for k in dimensies.values()))
            )
        )
        _, per = _verdeel(rijen, tuple(dimensies), ActieTelling)
        return totaal, per
    per: dict[str, dict[Any, ActieTelling]] = {d: {} for d in dimensies}
    duur_per: dict[tuple[str, Any], list[float]] = defaultdict(list)
    gezien: set[tuple[str, Any, int]] = set()
    for actie_id, status, is_laat, dagen, *sleutels in db.session.execute(
        basis.with_only_columns(Actie.id, Actie.status, laat, dagen_paar, *dimensies.values())
    ):
        for d, k in zip(dimensies, sleutels, strict=True):
            if dagen is not None:
                duur_per[(d, k)].append(dagen)
            if (d, k, actie_id) in gezien:
                continue
            gezien.add((d, k, actie_id))
            per[d].setdefault(k, ActieTelling()).tel(status, bool(is_laat))
    for d, groepen in per.items():
        for k, telling in groepen.items():
            telling.mediaan_afgerond = _median(duur_per.get((d, k)))
    return totaal, per


def _sneller_op_postgres() -> None:
    """Dashboard queries are short scans: JIT compilation costs more than it saves, and the
    grouping sorts fit in memory with a little more work_mem. Only for this transaction."""
    if is_postgres():
        db.session.execute(text("SET LOCAL jit = off"))
        db.session.execute(text("SET LOCAL work_mem = '32MB'"))


@dataclass(frozen=True)
class Cijfers:
    """The figures of one dashboard that take the big scans: what the cache keeps."""

    totaal: Telling
    per: dict[str, dict[Any, Telling]]
    acties: ActieTelling
    acties_per: dict[str, dict[Any, ActieTelling]]


def bereken(gemeente_id: int, van: date | None, tot: date | None, vandaag: date) -> Cijfers:
    """Compute the scanned figures of one gemeente and period (no cache: see dashboard_cache)."""
    _sneller_op_postgres()
    scope = [Sessie.gemeente_id == gemeente_id, knelpunt_zichtbaar(), *periode(Knelpunt.aangemaakt_op, van, tot)]
    totaal, per = _knelpunt_cijfers(scope)
    actie_scope = [Actie.gemeente_id == gemeente_id, *periode(Actie.aangemaakt_op, van, tot)]
    acties, acties_per = _actie_cijfers(actie_scope, vandaag)
    return Cijfers(totaal, per, acties, acties_per)
