"""The dashboard summary: exact figures from a few thousand summary rows instead of every knelpunt.

Every knelpunt and actie adds a handful of counts to the summary (`DashboardCijfer`), per
gemeente, per day, month, quarter and year of its creation, for the total and per domein, team,
werkmodel of the team, knel and oplosser of the regelruimte (dim: DIMS):

  k    knelpunten per uitkomst (waarde: index in UITKOMSTEN)
  kdk  knelpunten with a besluit per week of days signal → besluit (klasse: days // 7)
  kdf  the same per day count (waarde: days): read only for the week that holds the median
  a    acties per status (waarde: index in STATUSSEN); per domein and team once per group
  adk  afgeronde acties per week of days besluit → afgerond, adf the same per day count
  ask  lopende acties with a streefdatum per month of the streefdatum (klasse), asf per day
       (waarde: ordinal): te laat is everything before today's month plus today's month up to today

Medians are exact: the coarse histogram says which week holds the middle rank(s), the fine
one which day count. Days are whole calendar days (date of besluit minus date of signal).
A period is read as whole years, quarters, months and single days, so any van/tot is exact.

Triggers (migration 0010) queue what changed (`DashboardVuil`); `bij` folds the queue:
it recomputes each changed knelpunt's and actie's contribution from the tables, takes
the old one back (kept in `DashboardBijdrage`) and adds the new one. Only the fold writes
the summary; folds run one at a time (an advisory lock on PostgreSQL, the write lock on SQLite).
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import and_, delete, false, func, or_, select, text

from facilitatie import werk
from facilitatie.accounts.models import Team
from facilitatie.database import als_schrijver
from facilitatie.extensions import db
from facilitatie.knelpunten.models import Knelpunt
from facilitatie.opvolging.cijfers import (
    GROEPEN,
    UITKOMSTEN,
    ActieTelling,
    Cijfers,
    Telling,
    is_postgres,
)
from facilitatie.opvolging.filters import uitkomst_zonder_besluit
from facilitatie.opvolging.lezen import knelpunt_zichtbaar
from facilitatie.opvolging.models import (
    Actie,
    Besluit,
    DashboardBijdrage,
    DashboardCijfer,
    DashboardVuil,
    Regelruimte,
    actie_knelpunt,
)
from facilitatie.sessies.models import Sessie

STATUSSEN = ("open", "in_uitvoering", "afgerond", "vervallen")
ANDERS = 99  # a besluit soort or status the dashboard has no column for: counted in the total only
_LOPEND = ("open", "in_uitvoering")
_SLOT = 7_012_005  # PostgreSQL advisory lock: one fold at a time, reads see no half fold
_BLOK = 500  # ids per IN (...)

Bijdrage = tuple[int, int, str, str, str, int, int]  # gemeente, day ordinal, maat, dim, sleutel, klasse, waarde

DIMS = dict(zip(GROEPEN, ("d", "t", "w", "r", "o"), strict=True))
"""The one-letter dim of each dashboard group in the summary rows."""
_GROEP_VAN = {letter: groep for groep, letter in DIMS.items()}

Sleutels = tuple[str, ...]
"""A knelpunt's key in each of GROEPEN, as stored: text, '' for none (no team, no regelruimte)."""


def sleutels(
    domein: str | None, team_id: int | None, werkmodel: str | None, knel: str | None, oplosser: str | None
) -> Sleutels:
    """A knelpunt's keys in the order of GROEPEN."""
    return (domein or "", str(team_id) if team_id else "", werkmodel or "", knel or "", oplosser or "")


def _dagen(begin: datetime, eind: datetime) -> int:
    """Whole calendar days from begin to eind, clamped at 0 (like cijfers._dagen)."""
    return max(0, (eind.date() - begin.date()).days)


def _maandklasse(dag: date) -> int:
    return dag.year * 12 + dag.month - 1


def knelpunt_bijdrage(
    gemeente_id: int | None,
    aangemaakt_op: datetime,
    groepen: Sleutels,
    zichtbaar: bool,
    besluit: str | None,
    besloten_op: datetime | None,
    sessie_status: str,
) -> list[Bijdrage]:
    """What one knelpunt adds to the summary (nothing when hidden or without gemeente)."""
    if not zichtbaar or gemeente_id is None:
        return []
    dag = aangemaakt_op.date().toordinal()
    if besluit is not None:
        uitkomst = UITKOMSTEN.index(besluit) if besluit in UITKOMSTEN[:4] else ANDERS
    else:
        uitkomst = UITKOMSTEN.index(uitkomst_zonder_besluit(sessie_status))
    uit: list[Bijdrage] = []
    for dim, sleutel in (("", ""), *zip(DIMS.values(), groepen, strict=True)):
        uit.append((gemeente_id, dag, "k", dim, sleutel, 0, uitkomst))
        if besluit is not None and besloten_op is not None:
            dagen = _dagen(aangemaakt_op, besloten_op)
            uit.append((gemeente_id, dag, "kdk", dim, sleutel, dagen // 7, 0))
            uit.append((gemeente_id, dag, "kdf", dim, sleutel, dagen // 7, dagen))
    return uit


def actie_bijdrage(
    gemeente_id: int,
    aangemaakt_op: datetime,
    status: str,
    streefdatum: date | None,
    afgerond_op: datetime | None,
    paren: list[tuple[Sleutels, datetime | None]],
) -> list[Bijdrage]:
    """What one actie adds: its status in the total and once per group (domein, team, ...) of its
    knelpunten (`paren`: the keys and besluit moment of each linked knelpunt), and its days to afgerond."""
    dag = aangemaakt_op.date().toordinal()
    code = STATUSSEN.index(status) if status in STATUSSEN else ANDERS
    lopend = status in _LOPEND and streefdatum is not None
    afgerond = status == "afgerond" and afgerond_op is not None

    def basis(dim: str, sleutel: str) -> list[Bijdrage]:
        rijen = [(gemeente_id, dag, "a", dim, sleutel, 0, code)]
        if lopend:
            assert streefdatum is not None
            klasse = _maandklasse(streefdatum)
            rijen.append((gemeente_id, dag, "ask", dim, sleutel, klasse, 0))
            rijen.append((gemeente_id, dag, "asf", dim, sleutel, klasse, streefdatum.toordinal()))
        return rijen

    def duur(dim: str, sleutel: str, start: datetime) -> list[Bijdrage]:
        assert afgerond_op is not None
        dagen = _dagen(start, afgerond_op)
        return [
            (gemeente_id, dag, "adk", dim, sleutel, dagen // 7, 0),
            (gemeente_id, dag, "adf", dim, sleutel, dagen // 7, dagen),
        ]

    uit = basis("", "")
    if afgerond:
        besloten = [b for _s, b in paren if b is not None]
        uit += duur("", "", min(besloten) if besloten else aangemaakt_op)
    for i, dim in enumerate(DIMS.values()):
        per_paar = [groepen[i] for groepen, _b in paren]
        for sleutel in dict.fromkeys(per_paar):
            uit += basis(dim, sleutel)
        if afgerond:
            for sleutel, (_s, besloten_op) in zip(per_paar, paren, strict=True):
                uit += duur(dim, sleutel, besloten_op or aangemaakt_op)
    return uit


# --------------------------------------------------------------------------- the fold (writes)


def _blokken(ids: Iterable[int]) -> Iterator[list[int]]:
    lijst = sorted(ids)
    for i in range(0, len(lijst), _BLOK):
        yield lijst[i : i + _BLOK]


def _knelpunt_bijdragen(ids: set[int]) -> dict[int, list[Bijdrage]]:
    uit: dict[int, list[Bijdrage]] = {i: [] for i in ids}
    for blok in _blokken(ids):
        for rij in db.session.execute(
            select(
                Knelpunt.id,
                Sessie.gemeente_id,
                Knelpunt.aangemaakt_op,
                knelpunt_zichtbaar(),
                Besluit.soort,
                Besluit.besloten_op,
                Sessie.status,
                Knelpunt.domein,
                Knelpunt.team_id,
                Team.werkmodel,
                Regelruimte.knel,
                Regelruimte.oplosser,
            )
            .join(Sessie, Sessie.id == Knelpunt.sessie_id)
            .outerjoin(Besluit, Besluit.knelpunt_id == Knelpunt.id)
            .outerjoin(Team, Team.id == Knelpunt.team_id)
            .outerjoin(Regelruimte, Regelruimte.knelpunt_id == Knelpunt.id)
            .where(Knelpunt.id.in_(blok))
        ):
            uit[rij[0]] = knelpunt_bijdrage(rij[1], rij[2], sleutels(*rij[7:12]), rij[3], rij[4], rij[5], rij[6])
    return uit


def _actie_bijdragen(ids: set[int]) -> dict[int, list[Bijdrage]]:
    uit: dict[int, list[Bijdrage]] = {i: [] for i in ids}
    for blok in _blokken(ids):
        paren: dict[int, list[tuple[Sleutels, datetime | None]]] = defaultdict(list)
        for actie_id, besloten_op, *groepen in db.session.execute(
            select(
                actie_knelpunt.c.actie_id,
                Besluit.besloten_op,
                Knelpunt.domein,
                Knelpunt.team_id,
                Team.werkmodel,
                Regelruimte.knel,
                Regelruimte.oplosser,
            )
            .join(Knelpunt, Knelpunt.id == actie_knelpunt.c.knelpunt_id)
            .outerjoin(Besluit, Besluit.knelpunt_id == Knelpunt.id)
            .outerjoin(Team, Team.id == Knelpunt.team_id)
            .outerjoin(Regelruimte, Regelruimte.knelpunt_id == Knelpunt.id)
            .where(actie_knelpunt.c.actie_id.in_(blok))
            .order_by(actie_knelpunt.c.actie_id, actie_knelpunt.c.knelpunt_id)
        ):
            paren[actie_id].append((sleutels(*groepen), besloten_op))
        for actie_id, gemeente_id, aangemaakt_op, status, streefdatum, afgerond_op in db.session.execute(
            select(
                Actie.id, Actie.gemeente_id, Actie.aangemaakt_op, Actie.status, Actie.streefdatum, Actie.afgerond_op
            ).where(Actie.id.in_(blok))
        ):
            uit[actie_id] = actie_bijdrage(
                gemeente_id, aangemaakt_op, status, streefdatum, afgerond_op, paren.get(actie_id, [])
            )
    return uit


def _niveaus(dag_ordinal: int) -> list[tuple[str, date]]:
    dag = date.fromordinal(dag_ordinal)
    kwartaal = dag.replace(month=dag.month - (dag.month - 1) % 3, day=1)
    return [("d", dag), ("m", dag.replace(day=1)), ("q", kwartaal), ("j", dag.replace(month=1, day=1))]


_VELDEN = ("gemeente_id", "maat", "niveau", "begin", "dim", "sleutel", "klasse", "waarde")
_PG_TYPEN = ("int", "text", "text", "date", "text", "text", "int", "int", "int")


def _upsert(rijen: list[tuple[Any, ...]]) -> None:
    """Add (gemeente_id, maat, niveau, begin, dim, sleutel, klasse, waarde, aantal) rows to the counts.

    Straight through the driver: a rebuild sends hundreds of thousands of rows, which neither
    the ORM (row by row) nor compiling a multi-row VALUES can carry.
    """
    if not rijen:
        return
    kolommen = ", ".join((*_VELDEN, "aantal"))
    conflict = f"ON CONFLICT ({', '.join(_VELDEN)}) DO UPDATE SET aantal = dashboard_cijfer.aantal + excluded.aantal"
    verbinding = db.session.connection()
    if is_postgres():
        arrays = ", ".join(f"%s::{t}[]" for t in _PG_TYPEN)
        sql = f"INSERT INTO dashboard_cijfer ({kolommen}) SELECT * FROM unnest({arrays}) {conflict}"  # noqa: S608 (constant names)
        for i in range(0, len(rijen), 20000):
            verbinding.exec_driver_sql(sql, tuple(list(kolom) for kolom in zip(*rijen[i : i + 20000], strict=True)))
    else:
        sql = f"INSERT INTO dashboard_cijfer ({kolommen}) VALUES ({', '.join('?' * 9)}) {conflict}"  # noqa: S608 (constant names)
        verbinding.exec_driver_sql(sql, [(*r[:3], r[3].isoformat(), *r[4:]) for r in rijen])


def _nullen_weg(sleutels: list[tuple[Any, ...]]) -> None:
    """Delete the counts that went down to zero, looking only at those keys (by primary key)."""
    if not sleutels:
        return
    verbinding = db.session.connection()
    gelijk = " AND ".join(f"c.{v} = u.{v}" for v in _VELDEN)
    if is_postgres():
        arrays = ", ".join(f"%s::{t}[]" for t in _PG_TYPEN[:8])
        sql = (
            f"DELETE FROM dashboard_cijfer c USING unnest({arrays}) AS u({', '.join(_VELDEN)}) "  # noqa: S608 (constant names)
            f"WHERE {gelijk} AND c.aantal = 0"
        )
        for i in range(0, len(sleutels), 20000):
            verbinding.exec_driver_sql(sql, tuple(list(k) for k in zip(*sleutels[i : i + 20000], strict=True)))
    else:
        waar = " AND ".join(f"{v} = ?" for v in _VELDEN)
        verbinding.exec_driver_sql(
            f"DELETE FROM dashboard_cijfer WHERE {waar} AND aantal = 0",  # noqa: S608 (constant names)
            [(*k[:3], k[3].isoformat(), *k[4:]) for k in sleutels],
        )


def _bijdragen_schrijven(rijen: list[tuple[str, int, str]]) -> None:
    if not rijen:
        return
    verbinding = db.session.connection()
    if is_postgres():
        sql = (
            "INSERT INTO dashboard_bijdrage (soort, ref_id, gegevens) "
            "SELECT * FROM unnest(%s::text[], %s::int[], %s::text[])"
        )
        for i in range(0, len(rijen), 20000):
            verbinding.exec_driver_sql(sql, tuple(list(kolom) for kolom in zip(*rijen[i : i + 20000], strict=True)))
    else:
        verbinding.exec_driver_sql("INSERT INTO dashboard_bijdrage (soort, ref_id, gegevens) VALUES (?, ?, ?)", rijen)


def vouw() -> int:
    """Fold the queue into the summary in the current transaction; returns how many rows it handled."""
    if is_postgres():
        db.session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _SLOT})
    vuil = db.session.execute(select(DashboardVuil.id, DashboardVuil.soort, DashboardVuil.ref_id)).all()
    if not vuil:
        return 0
    soorten: dict[str, set[int]] = defaultdict(set)
    for _id, soort, ref_id in vuil:
        soorten[soort].add(ref_id)
    knelpunten, acties = set(soorten["k"]), set(soorten["a"])
    if "*" in soorten:  # everything, including contributions of rows that no longer exist
        knelpunten |= set(db.session.scalars(select(Knelpunt.id)))
        acties |= set(db.session.scalars(select(Actie.id)))
        for soort, ref_id in db.session.execute(select(DashboardBijdrage.soort, DashboardBijdrage.ref_id)):
            (knelpunten if soort == "k" else acties).add(ref_id)
    else:
        for blok in _blokken(soorten["s"]):
            knelpunten |= set(db.session.scalars(select(Knelpunt.id).where(Knelpunt.sessie_id.in_(blok))))
        for blok in _blokken(soorten["t"]):  # a team's werkmodel changed: its knelpunten move group
            knelpunten |= set(db.session.scalars(select(Knelpunt.id).where(Knelpunt.team_id.in_(blok))))
        for blok in _blokken(knelpunten):  # an actie counts per domein and team of its knelpunten
            acties |= set(
                db.session.scalars(
                    select(actie_knelpunt.c.actie_id).where(actie_knelpunt.c.knelpunt_id.in_(blok)).distinct()
                )
            )
    oud: dict[tuple[str, int], list[Bijdrage]] = {}
    for soort, ids in (("k", knelpunten), ("a", acties)):
        for blok in _blokken(ids):
            for ref_id, gegevens in db.session.execute(
                select(DashboardBijdrage.ref_id, DashboardBijdrage.gegevens).where(
                    DashboardBijdrage.soort == soort, DashboardBijdrage.ref_id.in_(blok)
                )
            ):
                oud[(soort, ref_id)] = [tuple(b) for b in json.loads(gegevens)]  # type: ignore[misc]
    nieuw = {("k", i): b for i, b in _knelpunt_bijdragen(knelpunten).items()}
    nieuw |= {("a", i): b for i, b in _actie_bijdragen(acties).items()}

    verschil: Counter[tuple[Any, ...]] = Counter()
    veranderd = []
    for sleutel, bijdrage in nieuw.items():
        vorige = oud.get(sleutel, [])
        if sorted(vorige) == sorted(bijdrage):
            continue
        veranderd.append(sleutel)
        for teken, rijen in ((-1, vorige), (1, bijdrage)):
            for gemeente_id, dag, maat, dim, sl, klasse, waarde in rijen:
                for niveau, begin in _niveaus(dag):
                    verschil[(gemeente_id, maat, niveau, begin, dim, sl, klasse, waarde)] += teken
    _upsert([(*k, n) for k, n in verschil.items() if n])
    _nullen_weg([k for k, n in verschil.items() if n < 0])
    for soort in ("k", "a"):
        ids = [ref for s, ref in veranderd if s == soort]
        for blok in _blokken(ids):
            db.session.execute(
                delete(DashboardBijdrage).where(DashboardBijdrage.soort == soort, DashboardBijdrage.ref_id.in_(blok))
            )
    _bijdragen_schrijven(
        [(s, ref, json.dumps(nieuw[(s, ref)], separators=(",", ":"))) for s, ref in veranderd if nieuw[(s, ref)]]
    )
    # Only the rows read: a writer that committed since then keeps its row for the next fold.
    for blok in _blokken(r[0] for r in vuil):
        db.session.execute(delete(DashboardVuil).where(DashboardVuil.id.in_(blok)))
    return len(vuil)


def werk_in_wachtrij() -> int:
    """How many knelpunten and acties the next fold has to recompute (about)."""
    rijen = db.session.execute(select(DashboardVuil.soort, func.count()).group_by(DashboardVuil.soort)).all()
    aantallen = dict(rijen)  # type: ignore[arg-type]
    if "*" in aantallen:
        return (db.session.scalar(select(func.count()).select_from(Knelpunt)) or 0) + (
            db.session.scalar(select(func.count()).select_from(Actie)) or 0
        )
    return sum(aantallen.values()) + 250 * (aantallen.get("s", 0) + aantallen.get("t", 0))


def bij(hoogstens: int | None = None) -> bool:
    """Bring the summary up to date (its own transaction); False when more than `hoogstens` waits."""
    werk_ = werk_in_wachtrij()
    if not werk_:
        return True
    if hoogstens is not None and werk_ > hoogstens:
        return False
    with als_schrijver(), werk.eenheid():
        vouw()
    return True


def eigen_wijzigingen() -> bool:
    """Whether the current transaction has written (then the summary cannot show its changes yet)."""
    if is_postgres():
        return db.session.scalar(select(func.txid_current_if_assigned())) is not None
    # SQLite: our uncommitted queue rows are ahead of what another connection sees.
    volgnummer = select(text("seq")).select_from(text("sqlite_sequence")).where(text("name = 'dashboard_vuil'"))
    hier = db.session.scalar(volgnummer) or 0
    with db.engine.connect() as ander:
        daar = ander.scalar(volgnummer) or 0
    return hier > daar


# --------------------------------------------------------------------------- reading


def _eind_maand(dag: date) -> date:
    if (dag.year, dag.month) == (9999, 12):
        return date.max
    volgende = (dag.replace(day=28) + timedelta(days=4)).replace(day=1)
    return volgende - timedelta(days=1)


def _eind(niveau: str, begin: date) -> date:
    """The last day of the year, quarter, month or day that starts at begin."""
    if niveau == "j":
        return date(begin.year, 12, 31)
    if niveau == "q":
        return _eind_maand(begin.replace(month=begin.month + 2))
    if niveau == "m":
        return _eind_maand(begin)
    return begin


def _past(niveau: str, a: date, hi: date) -> bool:
    """Whether a whole year, quarter or month starts at a and ends by hi."""
    start = {"j": (a.month, a.day) == (1, 1), "q": a.day == 1 and a.month % 3 == 1, "m": a.day == 1}[niveau]
    return start and _eind(niveau, a) <= hi


def segmenten(
    van: date | None, tot: date | None, niveaus: tuple[str, ...] = ("j", "q", "m")
) -> list[tuple[str, date, date]]:
    """The period [van, tot] as runs of whole years, quarters, months and single days:
    (niveau, first begin, last begin). Fewer, larger buckets mean fewer summary rows to read."""
    a, hi = van or date.min, tot or date.max
    uit: list[tuple[str, date, date]] = []
    while a <= hi:
        if "j" in niveaus and _past("j", a, hi):  # a run of whole years at once (open periods span millennia)
            laatste = hi.year if (hi.month, hi.day) == (12, 31) else hi.year - 1
            niveau, begin, eind = "j", date(laatste, 1, 1), date(laatste, 12, 31)
        elif niveaus == ("m",) and _past("m", a, hi):  # months only (the trend): the whole run at once
            begin = (
                hi.replace(day=1) if _eind_maand(hi) == hi else (hi.replace(day=1) - timedelta(days=1)).replace(day=1)
            )
            niveau, eind = "m", _eind_maand(begin)
        else:
            niveau = next((n for n in niveaus if n != "j" and _past(n, a, hi)), "d")
            begin = a
            eind = _eind(niveau, a) if niveau != "d" else min(hi, _eind_maand(a))
        if niveau == "d":
            uit.append(("d", a, eind))
        elif uit and uit[-1][0] == niveau and _eind(niveau, uit[-1][2]) + timedelta(days=1) == a:
            uit[-1] = (niveau, uit[-1][1], begin)
        else:
            uit.append((niveau, a, begin))
        if eind >= hi:
            break
        a = eind + timedelta(days=1)
    return uit


def _in(segs: list[tuple[str, date, date]]) -> Any:
    if not segs:
        return false()
    return or_(*(and_(DashboardCijfer.niveau == n, DashboardCijfer.begin.between(lo, hi)) for n, lo, hi in segs))


@contextmanager
def _leesslot() -> Iterator[None]:
    """PostgreSQL: no fold commits between our reads (they are several statements)."""
    if not is_postgres():
        yield
        return
    db.session.execute(text("SELECT pg_advisory_lock_shared(:k)"), {"k": _SLOT})
    try:
        yield
    finally:
        db.session.execute(text("SELECT pg_advisory_unlock_shared(:k)"), {"k": _SLOT})


def _sleutel(dim: str, sleutel: str) -> tuple[str, Any]:
    """The dashboard group and key of a summary row: a team id as int, no team or regelruimte as None."""
    groep = _GROEP_VAN[dim]
    if groep == "domein":
        return groep, sleutel
    if groep == "team":
        return groep, int(sleutel) if sleutel else None
    return groep, sleutel or None


def _mediaan(grof: dict[int, int], fijn: dict[int, dict[int, int]]) -> float | None:
    """The median of a histogram: per klasse a count (grof), per klasse the counts per value (fijn)."""
    n = sum(grof.values())
    if not n:
        return None
    waarden = []
    for rang in ((n - 1) // 2, n // 2):
        voor = 0
        for klasse in sorted(grof):
            if voor + grof[klasse] > rang:
                binnen = rang - voor
                for waarde, aantal in sorted(fijn.get(klasse, {}).items()):
                    if binnen < aantal:
                        waarden.append(waarde)
                        break
                    binnen -= aantal
                break
            voor += grof[klasse]
    return (waarden[0] + waarden[1]) / 2


def _fijn(gemeente_id: int, lijst: list[tuple[str, str, str, int]], delen: list[tuple[str, date, date]]) -> Any:
    """The fine histogram rows of the given (maat, dim, sleutel, klasse) within the period buckets."""
    C = DashboardCijfer
    if not lijst or not delen:
        return []
    if is_postgres():
        # One index range (ix_dashboard_cijfer_fijn) per klasse and bucket, joined from arrays: a long
        # OR of conditions took PostgreSQL seconds to plan and run.
        paren = [(*sleutel, *deel) for sleutel in lijst for deel in delen]
        kolommen = tuple(list(k) for k in zip(*paren, strict=True))
        return db.session.execute(
            text(
                "SELECT v.maat, v.dim, v.sleutel, v.klasse, c.waarde, sum(c.aantal) "
                "FROM unnest(CAST(:maat AS text[]), CAST(:dim AS text[]), CAST(:sleutel AS text[]), "
                "CAST(:klasse AS int[]), CAST(:niveau AS text[]), CAST(:lo AS date[]), CAST(:hi AS date[])) "
                "AS v(maat, dim, sleutel, klasse, niveau, lo, hi) "
                "JOIN dashboard_cijfer c ON c.gemeente_id = :g AND c.maat = v.maat AND c.dim = v.dim "
                "AND c.sleutel = v.sleutel AND c.klasse = v.klasse AND c.niveau = v.niveau "
                "AND c.begin BETWEEN v.lo AND v.hi "
                "GROUP BY v.maat, v.dim, v.sleutel, v.klasse, c.waarde"
            ),
            dict(zip(("maat", "dim", "sleutel", "klasse", "niveau", "lo", "hi"), kolommen, strict=True), g=gemeente_id),
        ).all()
    rijen = []
    stap = max(1, 200 // len(delen))
    for i in range(0, len(lijst), stap):
        # One index range (ix_dashboard_cijfer_fijn) per histogram klasse and period bucket.
        waar = or_(
            *(
                and_(
                    C.maat == maat,
                    C.dim == dim,
                    C.sleutel == sl,
                    C.klasse == klasse,
                    C.niveau == niveau,
                    C.begin.between(lo, hi),
                )
                for maat, dim, sl, klasse in lijst[i : i + stap]
                for niveau, lo, hi in delen
            )
        )
        for maat, dim, sl, klasse, waarde, aantal in db.session.execute(
            select(C.maat, C.dim, C.sleutel, C.klasse, C.waarde, func.sum(C.aantal))
            .where(C.gemeente_id == gemeente_id, waar)
            .group_by(C.maat, C.dim, C.sleutel, C.klasse, C.waarde)
        ):
            rijen.append((maat, dim, sl, klasse, waarde, aantal))
    return rijen


def lees(gemeente_id: int, van: date | None, tot: date | None, vandaag: date) -> Cijfers:
    """The dashboard figures of one gemeente and period from the summary (bring it up to date first)."""
    with _leesslot():
        return _lees(gemeente_id, van, tot, vandaag)


def _lees(gemeente_id: int, van: date | None, tot: date | None, vandaag: date) -> Cijfers:
    C = DashboardCijfer
    totaal = Telling()
    per: dict[str, dict[Any, Telling]] = {**{g: {} for g in GROEPEN}, "maand": {}}
    acties = ActieTelling()
    acties_per: dict[str, dict[Any, ActieTelling]] = {g: {} for g in GROEPEN}

    def tel_knelpunt(telling: Telling, waarde: int, aantal: int) -> None:
        telling.knelpunten += aantal
        if waarde != ANDERS:
            naam = UITKOMSTEN[waarde]
            setattr(telling, naam, getattr(telling, naam) + aantal)

    def tel_actie(telling: ActieTelling, waarde: int, aantal: int) -> None:
        telling.totaal += aantal
        if waarde != ANDERS:
            naam = STATUSSEN[waarde]
            setattr(telling, naam, getattr(telling, naam) + aantal)

    # The total per month (the trend) and so the grand total: months and days, no years.
    for begin, waarde, aantal in db.session.execute(
        select(C.begin, C.waarde, func.sum(C.aantal))
        .where(C.gemeente_id == gemeente_id, C.maat == "k", C.dim == "", _in(segmenten(van, tot, niveaus=("m",))))
        .group_by(C.begin, C.waarde)
    ):
        maand = begin.strftime("%Y-%m")
        tel_knelpunt(per["maand"].setdefault(maand, Telling()), waarde, aantal)
        tel_knelpunt(totaal, waarde, aantal)

    delen = segmenten(van, tot)
    segs = _in(delen)
    grof: dict[tuple[str, str, str], dict[int, int]] = defaultdict(dict)
    for maat, dim, sl, klasse, waarde, aantal in db.session.execute(
        select(C.maat, C.dim, C.sleutel, C.klasse, C.waarde, func.sum(C.aantal))
        .where(
            C.gemeente_id == gemeente_id,
            C.maat.in_(("k", "a", "kdk", "adk", "ask")),
            or_(C.maat != "k", C.dim != ""),
            segs,
        )
        .group_by(C.maat, C.dim, C.sleutel, C.klasse, C.waarde)
    ):
        if maat == "k":
            soort, sleutel = _sleutel(dim, sl)
            tel_knelpunt(per[soort].setdefault(sleutel, Telling()), waarde, aantal)
        elif maat == "a":
            if dim == "":
                tel_actie(acties, waarde, aantal)
            else:
                soort, sleutel = _sleutel(dim, sl)
                tel_actie(acties_per[soort].setdefault(sleutel, ActieTelling()), waarde, aantal)
        else:
            grof[(maat[:2], dim, sl)][klasse] = aantal

    # Which fine rows are needed: the klassen holding the middle ranks, and today's streefdatum month.
    nodig: set[tuple[str, str, str, int]] = set()
    vandaag_klasse = _maandklasse(vandaag)
    for (maat, dim, sl), klassen in grof.items():
        if maat == "as":
            if vandaag_klasse in klassen:
                nodig.add(("asf", dim, sl, vandaag_klasse))
            continue
        n = sum(klassen.values())
        for rang in ((n - 1) // 2, n // 2):
            voor = 0
            for klasse in sorted(klassen):
                if voor + klassen[klasse] > rang:
                    nodig.add((maat + "f", dim, sl, klasse))
                    break
                voor += klassen[klasse]
    fijn: dict[tuple[str, str, str], dict[int, dict[int, int]]] = defaultdict(lambda: defaultdict(dict))
    lijst = sorted(nodig)
    for maat, dim, sl, klasse, waarde, aantal in _fijn(gemeente_id, lijst, delen):
        fijn[(maat[:2], dim, sl)][klasse][waarde] = aantal

    def doel(dim: str, sl: str, knelpunt: bool) -> Any:
        if dim == "":
            return totaal if knelpunt else acties
        soort, sleutel = _sleutel(dim, sl)
        groepen = per[soort] if knelpunt else acties_per[soort]
        return groepen.setdefault(sleutel, Telling() if knelpunt else ActieTelling())

    for (maat, dim, sl), klassen in grof.items():
        if maat == "kd":
            doel(dim, sl, True).mediaan_besluit = _mediaan(klassen, fijn[(maat, dim, sl)])
        elif maat == "ad":
            doel(dim, sl, False).mediaan_afgerond = _mediaan(klassen, fijn[(maat, dim, sl)])
        else:
            vandaag_fijn = fijn[(maat, dim, sl)].get(vandaag_klasse, {})
            doel(dim, sl, False).te_laat = sum(n for k, n in klassen.items() if k < vandaag_klasse) + sum(
                n for ordinal, n in vandaag_fijn.items() if ordinal < vandaag.toordinal()
            )
    return Cijfers(totaal, per, acties, acties_per)
