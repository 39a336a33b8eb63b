"""The opvolging lists and the dashboard figures, aggregated in SQL.

One Filter describes both: the dashboard links every number to the opvolging list
with exactly the filter that counts it, so a wethouder can always click through to
the knelpunten or acties behind a figure. Medians are computed by the database on
PostgreSQL (percentile_cont over grouping sets, one scan) and in Python on SQLite,
which has no percentile function.
"""

from __future__ import annotations

import statistics
import threading
from collections import OrderedDict, defaultdict
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import date, datetime, time, timedelta
from time import monotonic
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    case,
    distinct,
    exists,
    false,
    func,
    null,
    or_,
    select,
    text,
    tuple_,
)

from facilitatie.accounts.models import Gemeente, Team, User
from facilitatie.accounts.rollen import Rol
from facilitatie.extensions import db
from facilitatie.knelpunten.models import DOMEINEN, Knelpunt
from facilitatie.opvolging import rechten
from facilitatie.opvolging.models import Actie, Besluit, DashboardStand, EerderGemeld, actie_knelpunt
from facilitatie.opvolging.regels import BESLUIT_LABELS, STATUS_LABELS, Actiestatus
from facilitatie.opvolging.service import knelpunt_zichtbaar
from facilitatie.sessies.models import Sessie, Status

PER_PAGINA = 25
ZONDER = "zonder"
"""Besluit filter value: knelpunt of an afgesloten sessie that has no besluit yet."""
IN_SESSIE = "in_sessie"
"""Besluit filter value: no besluit yet, but its sessie is still running."""
MET = "met"

BESLUIT_FILTERS: dict[str, str] = {
    **{s.value: label for s, label in BESLUIT_LABELS.items()},
    MET: "Met besluit",
    ZONDER: "Zonder besluit",
    IN_SESSIE: "Nog in sessie",
}
STATUS_FILTERS: dict[str, str] = {s.value: label for s, label in STATUS_LABELS.items()}
WEERGAVEN = {"acties": "Acties", "knelpunten": "Knelpunten en besluiten"}
SORTERINGEN = {
    "acties": {
        "streefdatum": "Streefdatum",
        "status": "Status",
        "eigenaar": "Eigenaar",
        "aangemaakt": "Aangemaakt",
    },
    "knelpunten": {
        "datum": "Gemeld op",
        "domein": "Domein",
        "team": "Wijkteam",
        "besluit": "Besluit",
    },
}


# --------------------------------------------------------------------------- filter


@dataclass(frozen=True)
class Filter:
    """What the opvolging list shows; every field maps to one GET parameter (shareable URL)."""

    weergave: str = "acties"
    gemeente: int | None = None
    team: int | None = None
    domein: str | None = None
    status: str | None = None
    besluit: str | None = None
    eigenaar: int | None = None
    sessie: int | None = None
    signaal: int | None = None
    te_laat: bool = False
    van: date | None = None
    tot: date | None = None
    sort: str = ""
    pagina: int = 1

    def als_args(self, **wijzig: Any) -> dict[str, str]:
        """GET parameters for this filter (changed by `wijzig`), leaving out defaults."""
        velden = {veld.name: getattr(self, veld.name) for veld in fields(self)} | wijzig
        args: dict[str, str] = {}
        for naam, waarde in velden.items():
            if waarde in (None, "", False) or (naam == "pagina" and waarde == 1):
                continue
            if naam == "weergave" and waarde == "acties":
                continue
            args[naam] = "1" if waarde is True else (waarde.isoformat() if isinstance(waarde, date) else str(waarde))
        return args


def _int(waarde: str | None) -> int | None:
    try:
        getal = int((waarde or "").strip())
    except ValueError:
        return None
    return getal if 0 < getal < 2**31 else None


def _datum(waarde: str | None) -> date | None:
    try:
        return date.fromisoformat((waarde or "").strip())
    except ValueError:
        return None


def parse_filter(args: Mapping[str, str]) -> Filter:
    """Read a Filter from GET parameters; unknown or malformed values are ignored, never a 500."""
    weergave = args.get("weergave", "acties")
    weergave = weergave if weergave in WEERGAVEN else "acties"
    domein = args.get("domein") or None
    status = args.get("status") or None
    besluit = args.get("besluit") or None
    sort = args.get("sort", "")
    if sort.lstrip("-") not in SORTERINGEN[weergave]:
        sort = ""
    pagina = _int(args.get("pagina")) or 1
    return Filter(
        weergave=weergave,
        gemeente=_int(args.get("gemeente")),
        team=_int(args.get("team")),
        domein=domein if domein in DOMEINEN else None,
        status=status if status in STATUS_FILTERS else None,
        besluit=besluit if besluit in BESLUIT_FILTERS else None,
        eigenaar=_int(args.get("eigenaar")),
        sessie=_int(args.get("sessie")),
        signaal=_int(args.get("signaal")),
        te_laat=args.get("te_laat") in ("1", "ja", "true", "on"),
        van=_datum(args.get("van")),
        tot=_datum(args.get("tot")),
        sort=sort,
        pagina=min(pagina, 100_000),
    )


def _begin(d: date) -> datetime:
    return datetime.combine(d, time.min)


def _periode(kolom: Any, van: date | None, tot: date | None) -> list[ColumnElement[bool]]:
    voorwaarden = []
    if van:
        voorwaarden.append(kolom >= _begin(van))
    if tot:
        voorwaarden.append(kolom < _begin(tot + timedelta(days=1)))
    return voorwaarden


# --------------------------------------------------------------------------- scope


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


def _gemeente_knelpunt(gemeente_id: int | None) -> list[ColumnElement[bool]]:
    return [Sessie.gemeente_id == gemeente_id] if gemeente_id is not None else []


def _team_scope_knelpunt(user: User) -> list[ColumnElement[bool]]:
    if user.rol != Rol.WIJKTEAMLID:
        return []
    return [Knelpunt.team_id == user.team_id] if user.team_id else [false()]


def _team_scope_actie(user: User) -> list[ColumnElement[bool]]:
    if user.rol != Rol.WIJKTEAMLID:
        return []
    van_team = (
        exists()
        .where(actie_knelpunt.c.actie_id == Actie.id)
        .where(Knelpunt.id == actie_knelpunt.c.knelpunt_id, Knelpunt.team_id == user.team_id)
    )
    return [or_(Actie.eigenaar_id == user.id, van_team if user.team_id else false())]


def te_laat_voorwaarde(vandaag: date) -> ColumnElement[bool]:
    """SQL twin of regels.is_te_laat."""
    return and_(
        Actie.status.in_((Actiestatus.OPEN, Actiestatus.IN_UITVOERING)),
        Actie.streefdatum.is_not(None),
        Actie.streefdatum < vandaag,
    )


def _besluit_voorwaarde(waarde: str) -> ColumnElement[bool]:
    """Condition on the outer-joined Besluit of knelpunten_query."""
    if waarde == ZONDER:
        return and_(Sessie.status == Status.AFGESLOTEN, Besluit.id.is_(None))
    if waarde == IN_SESSIE:
        return and_(Sessie.status != Status.AFGESLOTEN, Besluit.id.is_(None))
    if waarde == MET:
        return Besluit.id.is_not(None)
    return Besluit.soort == waarde


def _signaal_voorwaarde(knelpunt_id: int) -> ColumnElement[bool]:
    return or_(
        Knelpunt.id == knelpunt_id,
        exists().where(EerderGemeld.knelpunt_id == Knelpunt.id, EerderGemeld.eerder_id == knelpunt_id),
    )


# --------------------------------------------------------------------------- lists


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
    query = query.where(*_team_scope_actie(user), *_periode(Actie.aangemaakt_op, f.van, f.tot))
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
            *_gemeente_knelpunt(gemeente_id),
            *_team_scope_knelpunt(user),
            *_periode(Knelpunt.aangemaakt_op, f.van, f.tot),
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


# --------------------------------------------------------------------------- dashboard


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
    mediaan_besluit: float | None = None

    def vul(self, knelpunten: int, *rest: Any) -> None:
        """Set from one grouping-set row: counts per outcome, then the median."""
        self.knelpunten = knelpunten
        (self.opgepakt, self.niet_opgepakt, self.doorverwezen, self.al_opgelost, self.zonder, self.in_sessie) = rest[:6]
        self.mediaan_besluit = float(rest[6]) if rest[6] is not None else None

    def tel(self, knelpunten: int, *rest: int) -> None:
        """Add the counts of one finer group (SQLite path)."""
        self.knelpunten += knelpunten
        for naam, aantal in zip(
            ("opgepakt", "niet_opgepakt", "doorverwezen", "al_opgelost", "zonder", "in_sessie"), rest, strict=True
        ):
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


@dataclass
class Terugkomer:
    knelpunt: Knelpunt
    keer: int
    laatst: datetime
    dagen_sinds_eerste: int
    besluit: Besluit | None


@dataclass
class Dashboard:
    gemeente: Gemeente | None
    van: date | None
    tot: date | None
    vandaag: date
    totaal: Telling
    per_domein: dict[str, Telling]
    per_team: dict[int | None, Telling]
    teams: dict[int, str]
    trend: dict[str, Telling]
    acties: ActieTelling
    acties_per_domein: dict[str, ActieTelling]
    acties_per_team: dict[int | None, ActieTelling]
    terugkomers: list[Terugkomer] = field(default_factory=list)

    def als_dict(self) -> dict[str, Any]:
        """Plain figures for the JSON API."""

        def telling(t: Telling) -> dict[str, Any]:
            return {**asdict(t), "met_besluit": t.met_besluit}

        return {
            "gemeente": self.gemeente.id if self.gemeente else None,
            "van": self.van.isoformat() if self.van else None,
            "tot": self.tot.isoformat() if self.tot else None,
            "peildatum": self.vandaag.isoformat(),
            "knelpunten": telling(self.totaal),
            "per_domein": [{"domein": d, **telling(t)} for d, t in self.per_domein.items()],
            "per_team": [
                {
                    "team": team_id,
                    "naam": self.teams.get(team_id, "Geen team") if team_id else "Geen team",
                    **telling(t),
                }
                for team_id, t in self.per_team.items()
            ],
            "trend": [{"maand": m, **telling(t)} for m, t in self.trend.items()],
            "acties": asdict(self.acties),
            "terugkomers": [
                {
                    "knelpunt": t.knelpunt.id,
                    "keer": t.keer,
                    "dagen_sinds_eerste": t.dagen_sinds_eerste,
                    "besluit": t.besluit.soort if t.besluit else None,
                }
                for t in self.terugkomers
            ],
        }


def _is_pg() -> bool:
    return db.engine.dialect.name == "postgresql"


def _dagen(begin: Any, eind: Any) -> ColumnElement[float]:
    """Days between two timestamps in SQL, clamped at 0 like regels.dagen_tussen."""
    if _is_pg():
        # date_part gives double precision; extract() gives numeric, which is far slower to sort.
        return func.greatest(func.date_part("epoch", eind - begin) / 86400.0, 0.0)
    return func.max(func.julianday(eind) - func.julianday(begin), 0.0)


def _maand(kolom: Any) -> ColumnElement[Any]:
    """The month of a timestamp: a timestamp on PostgreSQL (cheap to group), 'YYYY-MM' on SQLite."""
    if _is_pg():
        return func.date_trunc("month", kolom)
    return func.strftime("%Y-%m", kolom)


def _maand_tekst(waarde: Any) -> str:
    return waarde.strftime("%Y-%m") if isinstance(waarde, datetime) else str(waarde)


_SOORTEN = ("opgepakt", "niet_opgepakt", "doorverwezen", "al_opgelost")
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
        func.count().filter(and_(geen_besluit, Sessie.status == Status.AFGESLOTEN)),
        func.count().filter(and_(geen_besluit, Sessie.status != Status.AFGESLOTEN)),
    ]
    dimensies = {"domein": Knelpunt.domein, "team": Knelpunt.team_id, "maand": _maand(Knelpunt.aangemaakt_op)}
    basis = (
        select(Knelpunt.id)
        .select_from(Knelpunt)
        .join(Sessie, Sessie.id == Knelpunt.sessie_id)
        .outerjoin(Besluit, Besluit.knelpunt_id == Knelpunt.id)
        .where(*scope)
    )
    if _is_pg():
        # Counts: hash aggregation over all grouping sets. Medians need sorted input, so they get
        # their own query over the knelpunten with a besluit, without the month set.
        bits, group_by = _groepen(dimensies)
        rijen = db.session.execute(
            basis.with_only_columns(*bits, *dimensies.values(), *figuren, null()).group_by(group_by)
        )
        totaal, per = _verdeel(rijen, tuple(dimensies), Telling)
        mediaan_dims = {"domein": Knelpunt.domein, "team": Knelpunt.team_id}
        bits, group_by = _groepen(mediaan_dims)
        for g_domein, g_team, domein, team_id, mediaan in db.session.execute(
            basis.with_only_columns(*bits, *mediaan_dims.values(), func.percentile_cont(0.5).within_group(dagen))
            .where(Besluit.id.is_not(None))
            .group_by(group_by)
        ):
            doel = (
                totaal
                if g_domein and g_team
                else per["domein"].get(domein)
                if not g_domein
                else per["team"].get(team_id)
            )
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
    """Acties per status and te laat, and the median days besluit → afgerond, total and per domein/team.

    Per domein and team an actie counts once for every group one of its knelpunten is in;
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
    if _is_pg():
        totaal.mediaan_afgerond = db.session.scalar(select(func.percentile_cont(0.5).within_group(per_actie.c.dagen)))
    else:
        totaal.mediaan_afgerond = _median(list(db.session.scalars(select(per_actie.c.dagen))))

    # Per domein and team, over (actie, knelpunt) pairs.
    dimensies = {"domein": Knelpunt.domein, "team": Knelpunt.team_id}
    dagen_paar = case(
        (afgerond, _dagen(func.coalesce(Besluit.besloten_op, Actie.aangemaakt_op), Actie.afgerond_op)), else_=None
    )
    basis = (
        select(Actie.id)
        .select_from(Actie)
        .join(actie_knelpunt, actie_knelpunt.c.actie_id == Actie.id)
        .join(Knelpunt, Knelpunt.id == actie_knelpunt.c.knelpunt_id)
        .outerjoin(Besluit, Besluit.knelpunt_id == Knelpunt.id)
        .where(*actie_scope)
    )
    if _is_pg():
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
    for actie_id, status, is_laat, domein, team_id, dagen in db.session.execute(
        basis.with_only_columns(Actie.id, Actie.status, laat, Knelpunt.domein, Knelpunt.team_id, dagen_paar)
    ):
        for d, k in (("domein", domein), ("team", team_id)):
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
    if _is_pg():
        db.session.execute(text("SET LOCAL jit = off"))
        db.session.execute(text("SET LOCAL work_mem = '32MB'"))


@dataclass(frozen=True)
class _Cijfers:
    """The figures of one dashboard that take the big scans: what the cache keeps."""

    totaal: Telling
    per: dict[str, dict[Any, Telling]]
    acties: ActieTelling
    acties_per: dict[str, dict[Any, ActieTelling]]


class _Cache:
    """Computed figures per (database, gemeente, period, day, stamp), least recently used out.

    Safe across processes and write paths: the stamp comes from the database, moved by
    triggers on every write the figures depend on, so a hit is always what a fresh
    computation would give. Each process keeps its own few entries, and remembers which
    dashboards were asked for, so `ververs` can recompute those after a change before
    anyone asks again.
    """

    def __init__(self, grootte: int = 64) -> None:
        self.grootte = grootte
        self._items: OrderedDict[tuple[Any, ...], _Cijfers] = OrderedDict()
        self._gevraagd: OrderedDict[tuple[Any, ...], float] = OrderedDict()
        self._lock = threading.Lock()
        self.treffers = 0
        self.missers = 0

    def haal(self, sleutel: tuple[Any, ...]) -> _Cijfers | None:
        with self._lock:
            cijfers = self._items.get(sleutel)
            if cijfers is None:
                self.missers += 1
                return None
            self._items.move_to_end(sleutel)
            self.treffers += 1
            return cijfers

    def heeft(self, sleutel: tuple[Any, ...]) -> bool:
        with self._lock:
            return sleutel in self._items

    def bewaar(self, sleutel: tuple[Any, ...], cijfers: _Cijfers) -> None:
        with self._lock:
            self._items[sleutel] = cijfers
            self._items.move_to_end(sleutel)
            while len(self._items) > self.grootte:
                self._items.popitem(last=False)

    def gevraagd(self, vraag: tuple[Any, ...]) -> None:
        """Note that someone viewed this dashboard (database, gemeente, van, tot) just now."""
        with self._lock:
            self._gevraagd[vraag] = monotonic()
            self._gevraagd.move_to_end(vraag)
            while len(self._gevraagd) > self.grootte:
                self._gevraagd.popitem(last=False)

    def recent_gevraagd(self, binnen_seconden: float) -> list[tuple[Any, ...]]:
        """The dashboards viewed within the last `binnen_seconden`, most recent first."""
        grens = monotonic() - binnen_seconden
        with self._lock:
            return [vraag for vraag, op in reversed(self._gevraagd.items()) if op >= grens]

    def leeg(self) -> None:
        with self._lock:
            self._items.clear()
            self._gevraagd.clear()


cache = _Cache()


def _stempel(gemeente_id: int) -> str | None:
    """The gemeente's stamp, or None when figures must not be reused (none yet, or we wrote).

    On PostgreSQL the stamp moves at commit (deferred triggers), so a transaction that has
    written anything yet sees the old stamp with its own new data: it neither reads nor
    fills the cache. A read-only transaction has no transaction id.
    """
    geschreven = func.txid_current_if_assigned().is_not(None) if _is_pg() else false()
    rij = db.session.execute(
        select(DashboardStand.stempel, geschreven).where(DashboardStand.gemeente_id == gemeente_id)
    ).first()
    return rij[0] if rij is not None and not rij[1] else None


def _database() -> str:
    return db.engine.url.render_as_string(hide_password=True)


def ververs(vandaag: date, vorige: dict[tuple[Any, ...], str], binnen_seconden: float = 900, hoogstens: int = 2) -> int:
    """Recompute recently viewed dashboards whose stamp moved and then stood still; returns how many.

    `vorige` holds the stamps seen in the previous round and is updated: a dashboard is only
    recomputed once its stamp is the same as a round ago, so a live sessie that changes the
    figures every few seconds costs nothing until it pauses. Run in the background
    (opvolging.verversen) so the first view after a change is a hit too; a view that comes
    before the refresh computes for itself, so nothing is ever shown stale.
    """
    database = _database()
    gedaan = 0
    gezien: dict[tuple[Any, ...], str] = {}
    for vraag in cache.recent_gevraagd(binnen_seconden):
        db_url, gemeente_id, van, tot = vraag
        stempel = _stempel(gemeente_id) if db_url == database else None
        if stempel is None:
            continue
        gezien[vraag] = stempel
        if gedaan >= hoogstens or vorige.get(vraag) != stempel:
            continue
        if cache.heeft((db_url, gemeente_id, van, tot, vandaag, stempel)):
            continue
        _cijfers(gemeente_id, van, tot, vandaag, bekeken=False)
        db.session.rollback()  # end the read transaction: the next one sees newer writes
        gedaan += 1
    vorige.clear()
    vorige.update(gezien)
    return gedaan


def _cijfers(gemeente_id: int, van: date | None, tot: date | None, vandaag: date, bekeken: bool = True) -> _Cijfers:
    """The scanned figures, from the cache while the gemeente's stamp has not moved."""
    database = _database()
    if bekeken:
        cache.gevraagd((database, gemeente_id, van, tot))
    stempel = _stempel(gemeente_id)
    sleutel = (database, gemeente_id, van, tot, vandaag, stempel)
    if stempel is not None and (bekend := cache.haal(sleutel)) is not None:
        return bekend
    _sneller_op_postgres()
    scope = [Sessie.gemeente_id == gemeente_id, knelpunt_zichtbaar(), *_periode(Knelpunt.aangemaakt_op, van, tot)]
    totaal, per = _knelpunt_cijfers(scope)
    actie_scope = [Actie.gemeente_id == gemeente_id, *_periode(Actie.aangemaakt_op, van, tot)]
    acties, acties_per = _actie_cijfers(actie_scope, vandaag)
    cijfers = _Cijfers(totaal, per, acties, acties_per)
    if stempel is not None:
        cache.bewaar(sleutel, cijfers)
    return cijfers


def _domein_volgorde(domein: str) -> int:
    return DOMEINEN.index(domein) if domein in DOMEINEN else 99


def dashboard(gemeente_id: int, van: date | None, tot: date | None, vandaag: date) -> Dashboard:
    """Every dashboard figure for one gemeente and period, in a handful of grouped queries.

    The counts and medians are reused until a write moves the gemeente's stamp; names,
    teams and the signals that came back are read fresh (cheap, and not covered by the stamp).
    """
    gemeente = db.session.get(Gemeente, gemeente_id)
    c = _cijfers(gemeente_id, van, tot, vandaag)
    teams = {t.id: t.naam for t in db.session.scalars(select(Team).where(Team.gemeente_id == gemeente_id))}
    return Dashboard(
        gemeente=gemeente,
        van=van,
        tot=tot,
        vandaag=vandaag,
        totaal=c.totaal,
        per_domein=dict(sorted(c.per["domein"].items(), key=lambda p: _domein_volgorde(p[0]))),
        per_team=dict(sorted(c.per["team"].items(), key=lambda p: (p[0] is None, teams.get(p[0] or 0, "")))),
        teams=teams,
        trend=dict(sorted((_maand_tekst(m), t) for m, t in c.per["maand"].items())),
        acties=c.acties,
        acties_per_domein=c.acties_per["domein"],
        acties_per_team=c.acties_per["team"],
        terugkomers=terugkomers(gemeente_id, van, tot, vandaag),
    )


def terugkomers(
    gemeente_id: int, van: date | None, tot: date | None, vandaag: date, limiet: int = 10
) -> list[Terugkomer]:
    """Signals that keep coming back: first meldingen with the most 'eerder gemeld' links."""
    later = Knelpunt.__table__.alias("later")
    rijen = db.session.execute(
        select(EerderGemeld.eerder_id, func.count(), func.max(later.c.aangemaakt_op))
        .join(later, later.c.id == EerderGemeld.knelpunt_id)
        .join(Knelpunt, Knelpunt.id == EerderGemeld.eerder_id)
        .join(Sessie, Sessie.id == Knelpunt.sessie_id)
        .where(Sessie.gemeente_id == gemeente_id, knelpunt_zichtbaar(), *_periode(later.c.aangemaakt_op, van, tot))
        .group_by(EerderGemeld.eerder_id)
        .order_by(func.count().desc(), EerderGemeld.eerder_id)
        .limit(limiet)
    ).all()
    if not rijen:
        return []
    knelpunten = {k.id: k for k in db.session.scalars(select(Knelpunt).where(Knelpunt.id.in_([r[0] for r in rijen])))}
    besluiten = {
        b.knelpunt_id: b for b in db.session.scalars(select(Besluit).where(Besluit.knelpunt_id.in_(knelpunten)))
    }
    return [
        Terugkomer(
            knelpunt=knelpunten[eerder_id],
            keer=keer,
            laatst=laatst,
            dagen_sinds_eerste=(vandaag - knelpunten[eerder_id].aangemaakt_op.date()).days,
            besluit=besluiten.get(eerder_id),
        )
        for eerder_id, keer, laatst in rijen
    ]


def filter_voor(dashboard_: Dashboard, **extra: Any) -> Filter:
    """The opvolging filter behind one dashboard number."""
    basis = Filter(
        gemeente=dashboard_.gemeente.id if dashboard_.gemeente else None, van=dashboard_.van, tot=dashboard_.tot
    )
    return replace(basis, **extra)
