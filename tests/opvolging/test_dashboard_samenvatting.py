"""The summary's figures equal the straightforward computation, for random data, changes and filters.

On SQLite and PostgreSQL: random knelpunten, besluiten and acties in two gemeenten, compared for
random periods and peildatums; then random changes by the ORM and by plain SQL (the triggers queue
them), folded incrementally, and compared again.
"""

from __future__ import annotations

import itertools
import random
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import delete, text, update

from facilitatie.extensions import db
from facilitatie.knelpunten.models import DOMEINEN, Knelpunt
from facilitatie.opvolging import samenvatting
from facilitatie.opvolging.cijfers import Cijfers, bereken
from facilitatie.opvolging.models import Actie, Besluit, DashboardVuil, Regelruimte, actie_knelpunt
from facilitatie.opvolging.regelruimte import Knel, Oplosser
from facilitatie.sessies.models import Sessie

SOORTEN = ["opgepakt", "niet_opgepakt", "doorverwezen", "al_opgelost"]
STATUSSEN = ["open", "in_uitvoering", "afgerond", "vervallen"]
BEGIN = datetime(2025, 1, 1)
WERKMODELLEN = ["teammodel", "front_backoffice", "netwerkmodel"]


def _moment(rng: random.Random, dagen: int = 600) -> datetime:
    return BEGIN + timedelta(days=rng.randint(0, dagen), hours=rng.randint(0, 23), minutes=rng.randint(0, 59))


def _vergelijkbaar(c: Cijfers) -> dict[str, Any]:
    per = {d: {str(k): v for k, v in groepen.items()} for d, groepen in c.per.items()}
    per["maand"] = {(k.strftime("%Y-%m") if isinstance(k, datetime) else str(k)): v for k, v in c.per["maand"].items()}
    return {"totaal": c.totaal, "per": per, "acties": c.acties, "acties_per": c.acties_per}


def _vergelijk(gemeenten: list[int], rng: random.Random, n: int = 6) -> None:
    assert samenvatting.bij()
    for _ in range(n):
        van = _moment(rng).date() if rng.random() < 0.7 else None
        tot = (van or BEGIN.date()) + timedelta(days=rng.randint(0, 500)) if rng.random() < 0.7 else None
        vandaag = _moment(rng, 800).date()
        for gemeente_id in gemeenten:
            snel = _vergelijkbaar(samenvatting.lees(gemeente_id, van, tot, vandaag))
            db.session.rollback()
            traag = _vergelijkbaar(bereken(gemeente_id, van, tot, vandaag))
            db.session.rollback()
            assert snel == traag, (gemeente_id, van, tot, vandaag)


def _wereld(factory, rng: random.Random) -> tuple[list[int], list[Sessie], list[Knelpunt], list[Actie]]:
    gemeenten, sessies, knelpunten, acties = [], [], [], []
    for g in range(2):
        gemeente = factory.gemeente(f"Randstad {g}")
        teams = [factory.team(gemeente, f"Team {g}{t}") for t in range(3)]
        for team in teams:
            team.werkmodel = rng.choice(WERKMODELLEN)
        begeleider = factory.user("begeleider", gemeente=gemeente)
        for s in range(3):
            sessie = factory.sessie(begeleider, titel=f"Sessie {s}", live=False)
            sessie.status = rng.choice(["afgesloten", "afgesloten", "live", "concept", "signalen"])
            sessies.append(sessie)
        db.session.flush()
        for _ in range(60):
            sessie = rng.choice(sessies[-3:])
            op = _moment(rng)
            knelpunt = Knelpunt(
                sessie_id=sessie.id,
                team_id=rng.choice(teams).id if rng.random() < 0.8 else None,
                domein=rng.choice(DOMEINEN[:4]),
                tekst="Willekeurig knelpunt",
                aangemaakt_op=op,
                verborgen=rng.random() < 0.1,
            )
            db.session.add(knelpunt)
            db.session.flush()
            knelpunten.append(knelpunt)
            if rng.random() < 0.6:  # regelruimte recorded for most, not all
                db.session.add(
                    Regelruimte(
                        knelpunt_id=knelpunt.id, knel=rng.choice(list(Knel)), oplosser=rng.choice(list(Oplosser))
                    )
                )
            if rng.random() < 0.75:
                # sometimes before the signal: clamped to 0 days
                besloten = op + timedelta(hours=rng.randint(-30, 24 * 90))
                db.session.add(Besluit(knelpunt_id=knelpunt.id, soort=rng.choice(SOORTEN), besloten_op=besloten))
        for _ in range(35):
            op = _moment(rng)
            status = rng.choice(STATUSSEN)
            actie = Actie(
                gemeente_id=gemeente.id,
                omschrijving="Willekeurige actie",
                status=status,
                streefdatum=(op + timedelta(days=rng.randint(-10, 200))).date() if rng.random() < 0.85 else None,
                aangemaakt_op=op,
                bijgewerkt_op=op,
                afgerond_op=op + timedelta(days=rng.randint(0, 120))
                if status == "afgerond" and rng.random() < 0.9
                else None,
                knelpunten=rng.sample(knelpunten, rng.choice([0, 1, 1, 2, 3])),
            )
            db.session.add(actie)
            acties.append(actie)
        gemeenten.append(gemeente.id)
    db.session.commit()
    return gemeenten, sessies, knelpunten, acties


def _wijzig(rng: random.Random, sessies: list[Sessie], knelpunten: list[Knelpunt], acties: list[Actie]) -> None:
    """A mix of changes by the ORM and by plain SQL, as views, bulk statements and scripts make them."""
    for _ in range(16):
        keuze = rng.randrange(11)
        knelpunt = rng.choice(knelpunten)
        actie = rng.choice(acties)
        if keuze == 0:
            knelpunt.domein = rng.choice(DOMEINEN[:5])
        elif keuze == 1:
            db.session.execute(update(Knelpunt).where(Knelpunt.id == knelpunt.id).values(verborgen=rng.random() < 0.5))
        elif keuze == 2:
            db.session.execute(delete(Besluit).where(Besluit.knelpunt_id == knelpunt.id))
        elif keuze == 3:
            db.session.execute(
                text("UPDATE besluit SET besloten_op = :op, soort = 'opgepakt' WHERE knelpunt_id = :k"),
                {"op": _moment(rng), "k": knelpunt.id},
            )
        elif keuze == 4:
            db.session.execute(update(Sessie).where(Sessie.id == rng.choice(sessies).id).values(status="afgesloten"))
        elif keuze == 5:
            actie.status = rng.choice(STATUSSEN)
            actie.afgerond_op = _moment(rng) if actie.status == "afgerond" else None
        elif keuze == 6:
            db.session.execute(delete(actie_knelpunt).where(actie_knelpunt.c.actie_id == actie.id))
            db.session.execute(
                actie_knelpunt.insert(),
                [{"actie_id": actie.id, "knelpunt_id": k.id} for k in rng.sample(knelpunten, 2)],
            )
        elif keuze == 7 and knelpunt in knelpunten:
            db.session.delete(knelpunt)
            db.session.flush()
            knelpunten.remove(knelpunt)
        elif keuze == 8:
            db.session.execute(
                update(Actie).where(Actie.id == actie.id).values(streefdatum=_moment(rng).date(), status="open")
            )
        elif keuze == 9:  # a team changes its werkmodel: all its knelpunten move group
            db.session.execute(
                text("UPDATE team SET werkmodel = :w WHERE id = (SELECT team_id FROM knelpunt WHERE id = :k)"),
                {"w": rng.choice(WERKMODELLEN), "k": knelpunt.id},
            )
        elif keuze == 10:  # regelruimte recorded, changed or removed
            db.session.execute(delete(Regelruimte).where(Regelruimte.knelpunt_id == knelpunt.id))
            if rng.random() < 0.7:
                db.session.execute(
                    Regelruimte.__table__.insert().values(
                        knelpunt_id=knelpunt.id,
                        knel=rng.choice(list(Knel)).value,
                        oplosser=rng.choice(list(Oplosser)).value,
                        vastgelegd_op=_moment(rng),
                    )
                )
        db.session.commit()
        db.session.expire_all()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_summary_equals_the_straightforward_computation(app, factory, seed):
    rng = random.Random(seed)
    gemeenten, sessies, knelpunten, acties = _wereld(factory, rng)
    _vergelijk(gemeenten, rng)
    _wijzig(rng, sessies, knelpunten, acties)
    assert db.session.query(DashboardVuil).count() > 0  # the triggers queued the changes
    _vergelijk(gemeenten, rng)
    # Deleting a whole sessie cascades to its knelpunten and their links.
    db.session.delete(db.session.get(Sessie, sessies[0].id))
    db.session.commit()
    _vergelijk(gemeenten, rng, n=3)


def test_a_full_rebuild_gives_the_same_summary(app, factory):
    rng = random.Random(7)
    gemeenten, *_ = _wereld(factory, rng)
    assert samenvatting.bij()
    eerst = [samenvatting.lees(g, None, None, date(2026, 1, 1)) for g in gemeenten]
    db.session.add(DashboardVuil(soort="*", ref_id=0))
    db.session.commit()
    assert samenvatting.werk_in_wachtrij() > 0
    assert not samenvatting.bij(hoogstens=10)  # too much for a view: left to the refresher
    assert samenvatting.bij()
    assert [samenvatting.lees(g, None, None, date(2026, 1, 1)) for g in gemeenten] == eerst


def test_the_median_of_a_histogram_is_exact():
    # values 1, 3, 3, 8, 20: klassen by week
    grof = {0: 3, 1: 1, 2: 1}
    fijn = {0: {1: 1, 3: 2}, 1: {8: 1}, 2: {20: 1}}
    assert samenvatting._mediaan(grof, fijn) == 3
    # one more value, 9: median (3 + 8) / 2
    assert samenvatting._mediaan({0: 3, 1: 2, 2: 1}, {0: {1: 1, 3: 2}, 1: {8: 1, 9: 1}, 2: {20: 1}}) == 5.5
    assert samenvatting._mediaan({}, {}) is None


@pytest.mark.parametrize(
    "van, tot",
    [
        (None, None),
        (date(2025, 11, 15), date(2027, 3, 3)),
        (date(2024, 1, 1), date(2025, 12, 31)),
        (None, date(2026, 2, 28)),
        (date(2026, 2, 3), None),
        (date(2025, 2, 28), date(2025, 3, 1)),
    ],
)
def test_the_period_is_cut_into_years_months_and_days_without_gaps(van, tot):
    dagen = set()
    for niveau, lo, hi in samenvatting.segmenten(van, tot):
        begin = lo
        while begin <= hi:
            eind = samenvatting._eind(niveau, begin)
            dagen.add((begin, eind))
            if eind >= date(9998, 1, 1):
                break
            begin = eind + timedelta(days=1)
    gesorteerd = sorted(dagen)
    assert gesorteerd[0][0] == (van or date.min)
    for (_a, eind), (begin, _b) in itertools.pairwise(gesorteerd):
        assert begin == eind + timedelta(days=1)
    if tot:
        assert gesorteerd[-1][1] == tot
