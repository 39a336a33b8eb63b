"""The dashboard reuses its figures only while nothing they count has changed (SQLite and PostgreSQL).

The stamp is moved by database triggers, so a change by any path (ORM, bulk statement, raw
SQL, another process) shows on the next dashboard; these tests change data the ways a view,
a bulk update and a script would, and compare with the hand-computed world.
"""

from __future__ import annotations

import threading
import time
from datetime import date, datetime

import pytest
from sqlalchemy import select, text, update

from facilitatie.extensions import db
from facilitatie.knelpunten.models import Knelpunt
from facilitatie.opvolging import dashboard_cache, verversen
from facilitatie.opvolging.dashboard import dashboard_van
from facilitatie.opvolging.models import Actie, Besluit, DashboardStand
from tests.opvolging.conftest import VANDAAG


def _stempel(gemeente_id: int) -> str | None:
    return db.session.scalar(select(DashboardStand.stempel).where(DashboardStand.gemeente_id == gemeente_id))


def _dashboard(wereld):
    return dashboard_van(wereld.gemeente.id, None, None, VANDAAG)


def test_every_gemeente_gets_a_stamp(app, factory):
    gemeente = factory.gemeente("Nieuwstad")
    db.session.commit()
    assert _stempel(gemeente.id)


def test_unchanged_data_is_served_from_the_cache(app, wereld):
    db.session.commit()
    eerst = _dashboard(wereld)
    treffers = dashboard_cache.cache.treffers
    tweede = _dashboard(wereld)
    assert dashboard_cache.cache.treffers == treffers + 1
    assert tweede.totaal == eerst.totaal and tweede.acties == eerst.acties


@pytest.mark.parametrize(
    "wijziging",
    [
        "knelpunt_orm",
        "knelpunt_bulk",
        "knelpunt_weg",
        "besluit_nieuw",
        "besluit_weg",
        "actie_status_sql",
        "sessie_status",
        "knelpunt_nieuw",
    ],
)
def test_a_change_by_any_path_shows_on_the_next_dashboard(app, wereld, wijziging):
    db.session.commit()
    voor = _dashboard(wereld)
    stempel = _stempel(wereld.gemeente.id)
    k = wereld.k
    if wijziging == "knelpunt_orm":  # k4 (Jeugd, no besluit) becomes Wmo
        k["k4"].domein = "Wmo"
    elif wijziging == "knelpunt_bulk":
        db.session.execute(update(Knelpunt).where(Knelpunt.id == k["k4"].id).values(domein="Wmo"))
    elif wijziging == "knelpunt_weg":
        db.session.delete(k["k4"])
    elif wijziging == "besluit_nieuw":
        db.session.add(Besluit(knelpunt_id=k["k4"].id, soort="opgepakt", besloten_op=datetime(2026, 2, 10)))
    elif wijziging == "besluit_weg":
        db.session.execute(text("DELETE FROM besluit WHERE knelpunt_id = :k"), {"k": k["k2"].id})
    elif wijziging == "actie_status_sql":
        db.session.execute(
            text("UPDATE actie SET status = 'afgerond' WHERE status = 'open' AND gemeente_id = :g"),
            {"g": wereld.gemeente.id},
        )
    elif wijziging == "sessie_status":
        db.session.execute(text("UPDATE sessie SET status = 'live' WHERE id = :s"), {"s": k["k1"].sessie_id})
    elif wijziging == "knelpunt_nieuw":
        db.session.add(
            Knelpunt(sessie_id=k["k1"].sessie_id, domein="Wonen", tekst="Nieuw", aangemaakt_op=datetime(2026, 2, 3))
        )
    db.session.commit()
    db.session.expire_all()
    assert _stempel(wereld.gemeente.id) != stempel
    na = _dashboard(wereld)
    t, v = na.totaal, voor.totaal
    if wijziging in ("knelpunt_orm", "knelpunt_bulk"):
        assert na.per_domein["Wmo"].knelpunten == voor.per_domein["Wmo"].knelpunten + 1
    elif wijziging == "knelpunt_weg":
        assert (t.knelpunten, t.zonder) == (v.knelpunten - 1, v.zonder - 1)
    elif wijziging == "besluit_nieuw":
        assert (t.opgepakt, t.zonder) == (v.opgepakt + 1, v.zonder - 1)
    elif wijziging == "besluit_weg":
        assert (t.niet_opgepakt, t.zonder) == (v.niet_opgepakt - 1, v.zonder + 1)
    elif wijziging == "actie_status_sql":
        assert (na.acties.open, na.acties.afgerond) == (0, voor.acties.afgerond + voor.acties.open)
    elif wijziging == "sessie_status":
        assert (t.zonder, t.in_sessie) == (0, v.zonder)
    elif wijziging == "knelpunt_nieuw":
        assert t.knelpunten == v.knelpunten + 1


def test_another_gemeente_keeps_its_stamp(app, wereld):
    db.session.commit()
    stempel = _stempel(wereld.andere.id)
    wereld.k["k4"].domein = "Wmo"
    db.session.commit()
    assert _stempel(wereld.andere.id) == stempel


def test_a_rolled_back_change_never_brings_an_old_stamp_back(app, wereld):
    db.session.commit()
    stempel = _stempel(wereld.gemeente.id)
    wereld.k["k4"].domein = "Wmo"
    db.session.flush()
    binnen = _stempel(wereld.gemeente.id)
    db.session.rollback()
    assert _stempel(wereld.gemeente.id) == stempel
    db.session.execute(update(Actie).where(Actie.gemeente_id == wereld.gemeente.id).values(omschrijving="x"))
    db.session.commit()
    assert _stempel(wereld.gemeente.id) not in (stempel, binnen)


def test_a_transaction_that_writes_sees_its_own_later_writes(app, wereld):
    db.session.commit()
    wereld.k["k4"].domein = "Wmo"
    db.session.flush()
    eerst = _dashboard(wereld).per_domein["Wmo"].knelpunten
    wereld.k["k3"].domein = "Wmo"
    db.session.flush()
    assert _dashboard(wereld).per_domein["Wmo"].knelpunten == eerst + 1
    db.session.commit()
    assert _dashboard(wereld).per_domein["Wmo"].knelpunten == eerst + 1


def test_the_refresher_recomputes_a_viewed_dashboard_once_its_data_stands_still(app, wereld):
    db.session.commit()
    dashboard_cache.cache.leeg()
    vandaag = date.today()  # what the refresher computes for
    dashboard_van(wereld.gemeente.id, None, None, vandaag)  # viewed once
    vorige: dict = {}
    assert verversen.een_ronde(app, vorige) == 0  # nothing changed: nothing to do
    wereld.k["k4"].domein = "Wmo"
    db.session.commit()
    assert verversen.een_ronde(app, vorige) == 0  # just changed: wait a round (a live sessie may go on)
    assert verversen.een_ronde(app, vorige) == 1  # stood still for a round: recomputed
    assert verversen.een_ronde(app, vorige) == 0
    treffers = dashboard_cache.cache.treffers
    d = dashboard_van(wereld.gemeente.id, None, None, vandaag)
    assert dashboard_cache.cache.treffers == treffers + 1  # the first view after the change is a hit
    assert d.per_domein["Wmo"].knelpunten == 3


def test_the_triggers_are_in_place_after_the_migrations(app):
    """A later batch migration that rebuilds a table on SQLite would drop them silently."""
    bronnen = {"knelpunt", "besluit", "actie", "actie_knelpunt", "sessie", "gemeente", "regelruimte", "team"}
    if db.engine.dialect.name == "postgresql":
        rijen = db.session.execute(
            text("SELECT tgrelid::regclass::text, tgname FROM pg_trigger WHERE tgname LIKE 'dashboard_stand%'")
        ).all()
    else:
        rijen = db.session.execute(
            text("SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'dashboard_stand%'")
        ).all()
    assert {tabel for tabel, _naam in rijen} == bronnen


def test_a_besluit_and_a_knelpunt_in_one_sessie_never_deadlock(app, wereld):
    """PostgreSQL: a besluit writes its row before the sessie's seq, a post takes the seq first.

    The stamp's row lock is taken at commit (deferred triggers), after the sessie row, so the
    two cannot wait for each other in a cycle.
    """
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has one writer at a time")
    db.session.commit()
    knelpunt_id, sessie_id = wereld.k["k4"].id, wereld.k["k4"].sessie_id
    seq = text("UPDATE sessie SET laatste_seq = laatste_seq + 1 WHERE id = :s")
    besluit, post = db.engine.connect(), db.engine.connect()
    try:
        tb = besluit.begin()
        besluit.execute(
            text("INSERT INTO besluit (knelpunt_id, soort, besloten_op) VALUES (:k, 'opgepakt', now())"),
            {"k": knelpunt_id},
        )
        tp = post.begin()
        post.execute(text("SET LOCAL lock_timeout = '3s'"))  # a wait for the besluit's locks fails, never hangs
        post.execute(seq, {"s": sessie_id})
        post.execute(
            text(
                "INSERT INTO knelpunt (sessie_id, domein, tekst, anoniem, aangemaakt_op, onthuld, verborgen) "
                "VALUES (:s, 'Wmo', 'Tegelijk', false, now(), true, false)"
            ),
            {"s": sessie_id},
        )
        uitkomst: dict[str, object] = {}

        def besluit_verder() -> None:
            try:
                besluit.execute(seq, {"s": sessie_id})  # waits for the post's sessie lock
                tb.commit()
                uitkomst["besluit"] = "ok"
            except Exception as exc:
                uitkomst["besluit"] = exc

        draad = threading.Thread(target=besluit_verder)
        draad.start()
        time.sleep(0.3)
        tp.commit()
        draad.join(timeout=10)
        assert uitkomst.get("besluit") == "ok", uitkomst
    finally:
        besluit.close()
        post.close()
