"""The opvolging lists and the dashboard figures, aggregated in SQL.

One Filter describes both: the dashboard links every number to the opvolging list
with exactly the filter that counts it, so a wethouder can always click through to
the knelpunten or acties behind a figure. Medians are computed by the database on
PostgreSQL (percentile_cont over grouping sets, one scan) and in Python on SQLite,
which has no percentile function.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace
from datetime import date, datetime, time, timedelta
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
    literal,
    or_,
    select,
    tuple_,
)

from facilitatie.accounts.models import Gemeente, Team, User
from facilitatie.accounts.rollen import Rol
from facilitatie.extensions import db
from facilitatie.knelpunten.models import DOMEINEN, Knelpunt
from facilitatie.opvolging import rechten
from facilitatie.opvolging.models import Actie, Besluit, EerderGemeld, actie_knelpunt
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
        velden = {**asdict(self), **wijzig}
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
        return func.greatest(func.extract("epoch", eind - begin) / 86400.0, 0.0)
    return func.max(func.julianday(eind) - func.julianday(begin), 0.0)


def _maand(kolom: Any) -> ColumnElement[str]:
    if _is_pg():
        return func.to_char(kolom, "YYYY-MM")
    return func.strftime("%Y-%m", kolom)


def _medianen(basis: Select) -> dict[tuple[str, Any], float]:
    """Median of `dagen` overall ('', None), per ('domein', d) and per ('team', t).

    `basis` selects columns domein, team_id, dagen.
    """
    sub = basis.subquery()
    uitkomst: dict[tuple[str, Any], float] = {}
    if _is_pg():
        rijen = db.session.execute(
            select(
                func.grouping(sub.c.domein),
                func.grouping(sub.c.team_id),
                sub.c.domein,
                sub.c.team_id,
                func.percentile_cont(0.5).within_group(sub.c.dagen),
            ).group_by(func.grouping_sets(tuple_(), tuple_(sub.c.domein), tuple_(sub.c.team_id)))
        )
        for g_domein, g_team, domein, team_id, mediaan in rijen:
            if mediaan is None:
                continue
            if g_domein and g_team:
                uitkomst[("", None)] = float(mediaan)
            elif not g_domein:
                uitkomst[("domein", domein)] = float(mediaan)
            else:
                uitkomst[("team", team_id)] = float(mediaan)
        return uitkomst
    groepen: dict[tuple[str, Any], list[float]] = defaultdict(list)
    for domein, team_id, dagen in db.session.execute(select(sub.c.domein, sub.c.team_id, sub.c.dagen)):
        groepen[("", None)].append(dagen)
        groepen[("domein", domein)].append(dagen)
        groepen[("team", team_id)].append(dagen)
    return {sleutel: float(statistics.median(waarden)) for sleutel, waarden in groepen.items()}


def dashboard(gemeente_id: int, van: date | None, tot: date | None, vandaag: date) -> Dashboard:
    """Every dashboard figure for one gemeente and period, in a handful of grouped queries."""
    gemeente = db.session.get(Gemeente, gemeente_id)
    scope = [
        Sessie.gemeente_id == gemeente_id,
        knelpunt_zichtbaar(),
        *_periode(Knelpunt.aangemaakt_op, van, tot),
    ]

    # 1. One scan: knelpunten per (domein, team, month, besluit outcome).
    uitkomst = func.coalesce(
        Besluit.soort,
        case((Sessie.status == Status.AFGESLOTEN, literal(ZONDER)), else_=literal(IN_SESSIE)),
    )
    maand = _maand(Knelpunt.aangemaakt_op)
    rijen = db.session.execute(
        select(Knelpunt.domein, Knelpunt.team_id, maand, uitkomst, func.count())
        .select_from(Knelpunt)
        .join(Sessie, Sessie.id == Knelpunt.sessie_id)
        .outerjoin(Besluit, Besluit.knelpunt_id == Knelpunt.id)
        .where(*scope)
        .group_by(Knelpunt.domein, Knelpunt.team_id, maand, uitkomst)
    )
    totaal = Telling()
    per_domein: dict[str, Telling] = {}
    per_team: dict[int | None, Telling] = {}
    trend: dict[str, Telling] = {}
    for domein, team_id, maand_waarde, soort, aantal in rijen:
        for telling in (
            totaal,
            per_domein.setdefault(domein, Telling()),
            per_team.setdefault(team_id, Telling()),
            trend.setdefault(maand_waarde, Telling()),
        ):
            telling.knelpunten += aantal
            setattr(telling, soort, getattr(telling, soort) + aantal)

    # 2. Median days from signal to besluit.
    medianen = _medianen(
        select(
            Knelpunt.domein.label("domein"),
            Knelpunt.team_id.label("team_id"),
            _dagen(Knelpunt.aangemaakt_op, Besluit.besloten_op).label("dagen"),
        )
        .join(Sessie, Sessie.id == Knelpunt.sessie_id)
        .join(Besluit, Besluit.knelpunt_id == Knelpunt.id)
        .where(*scope)
    )
    totaal.mediaan_besluit = medianen.get(("", None))
    for domein, telling in per_domein.items():
        telling.mediaan_besluit = medianen.get(("domein", domein))
    for team_id, telling in per_team.items():
        telling.mediaan_besluit = medianen.get(("team", team_id))

    # 3. Acties of the gemeente made in the period, by status and te laat.
    actie_scope = [Actie.gemeente_id == gemeente_id, *_periode(Actie.aangemaakt_op, van, tot)]
    laat = te_laat_voorwaarde(vandaag)
    acties = ActieTelling()
    for status, is_laat, aantal in db.session.execute(
        select(Actie.status, laat, func.count()).where(*actie_scope).group_by(Actie.status, laat)
    ):
        _tel_actie(acties, status, bool(is_laat), aantal)
    acties_per_domein: dict[str, ActieTelling] = {}
    acties_per_team: dict[int | None, ActieTelling] = {}
    for kolom, doel in ((Knelpunt.domein, acties_per_domein), (Knelpunt.team_id, acties_per_team)):
        for sleutel, status, is_laat, aantal in db.session.execute(
            select(kolom, Actie.status, laat, func.count(distinct(Actie.id)))
            .join(actie_knelpunt, actie_knelpunt.c.actie_id == Actie.id)
            .join(Knelpunt, Knelpunt.id == actie_knelpunt.c.knelpunt_id)
            .where(*actie_scope)
            .group_by(kolom, Actie.status, laat)
        ):
            _tel_actie(doel.setdefault(sleutel, ActieTelling()), status, bool(is_laat), aantal)

    # 4. Median days from besluit (or, without a besluit, from the actie) to afgerond.
    eerste_besluit = (
        select(func.min(Besluit.besloten_op))
        .join(actie_knelpunt, actie_knelpunt.c.knelpunt_id == Besluit.knelpunt_id)
        .where(actie_knelpunt.c.actie_id == Actie.id)
        .scalar_subquery()
    )
    dagen_afgerond = _dagen(func.coalesce(eerste_besluit, Actie.aangemaakt_op), Actie.afgerond_op)
    afgerond_scope = [*actie_scope, Actie.status == Actiestatus.AFGEROND, Actie.afgerond_op.is_not(None)]
    overall = _medianen(
        select(literal("").label("domein"), literal(0).label("team_id"), dagen_afgerond.label("dagen")).where(
            *afgerond_scope
        )
    )
    acties.mediaan_afgerond = overall.get(("", None))
    per_groep = _medianen(
        select(
            Knelpunt.domein.label("domein"),
            Knelpunt.team_id.label("team_id"),
            dagen_afgerond.label("dagen"),
        )
        .join(actie_knelpunt, actie_knelpunt.c.actie_id == Actie.id)
        .join(Knelpunt, Knelpunt.id == actie_knelpunt.c.knelpunt_id)
        .where(*afgerond_scope)
    )
    for domein, telling in acties_per_domein.items():
        telling.mediaan_afgerond = per_groep.get(("domein", domein))
    for team_id, telling in acties_per_team.items():
        telling.mediaan_afgerond = per_groep.get(("team", team_id))

    teams = {t.id: t.naam for t in db.session.scalars(select(Team).where(Team.gemeente_id == gemeente_id))}
    return Dashboard(
        gemeente=gemeente,
        van=van,
        tot=tot,
        vandaag=vandaag,
        totaal=totaal,
        per_domein=dict(sorted(per_domein.items(), key=lambda p: DOMEINEN.index(p[0]) if p[0] in DOMEINEN else 99)),
        per_team=dict(sorted(per_team.items(), key=lambda p: (p[0] is None, teams.get(p[0] or 0, "")))),
        teams=teams,
        trend=dict(sorted(trend.items())),
        acties=acties,
        acties_per_domein=acties_per_domein,
        acties_per_team=acties_per_team,
        terugkomers=terugkomers(gemeente_id, van, tot, vandaag),
    )


def _tel_actie(telling: ActieTelling, status: str, is_laat: bool, aantal: int) -> None:
    telling.totaal += aantal
    setattr(telling, status, getattr(telling, status) + aantal)
    if is_laat:
        telling.te_laat += aantal


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
