"""The demo data show a sessie with posted, bundled and voted knelpunten and reacties."""

from __future__ import annotations

from sqlalchemy import func, select

from facilitatie.extensions import db
from facilitatie.knelpunten.models import Knelpunt, KnelpuntInstellingen, Reactie, Stem, Thema
from facilitatie.sessies.models import Sessie, SessieEvent
from tests.conftest import DEMO_PASSWORD, join, login  # noqa: F401


def test_seed_demo_has_knelpunten_in_both_sessies(runner, app):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    afgerond = db.session.scalars(
        select(Sessie).where(Sessie.status == "afgesloten", Sessie.sessievorm == "ontmoeten-en-ont-moeten")
    ).one()
    open_sessie = db.session.scalars(select(Sessie).where(Sessie.status == "live")).one()

    knelpunten = list(db.session.scalars(select(Knelpunt).where(Knelpunt.sessie_id == afgerond.id)))
    assert len(knelpunten) == 8
    assert len({k.domein for k in knelpunten}) >= 6 and len({k.team_id for k in knelpunten}) == 3
    anoniem = [k for k in knelpunten if k.anoniem]
    assert anoniem and all(k.deelnemer_id is None for k in anoniem)

    open_knelpunten = list(db.session.scalars(select(Knelpunt).where(Knelpunt.sessie_id == open_sessie.id)))
    assert len(open_knelpunten) == 5 and sum(k.anoniem for k in open_knelpunten) == 1
    assert sum(1 for k in open_knelpunten if k.thema_id) == 4  # one stays loose
    for sessie in (afgerond, open_sessie):
        assert db.session.scalar(select(func.count()).select_from(Thema).where(Thema.sessie_id == sessie.id)) >= 3
        assert db.session.scalar(select(func.count()).select_from(Stem).where(Stem.sessie_id == sessie.id)) > 0
        assert db.session.scalar(select(func.count()).select_from(Reactie).where(Reactie.sessie_id == sessie.id)) >= 2
        assert db.session.get(KnelpuntInstellingen, sessie.id).stemmen_gesloten
    # The open sessie is at the dialoog with an item on screen; its log is gapless.
    seqs = list(db.session.scalars(select(SessieEvent.seq).where(SessieEvent.sessie_id == open_sessie.id)))
    assert sorted(seqs) == list(range(1, open_sessie.laatste_seq + 1))
    inst = db.session.get(KnelpuntInstellingen, open_sessie.id)
    assert inst.scherm_soort == "thema" and inst.scherm_id


def test_a_new_deelnemer_sees_the_dialoog_of_the_demo(runner, app):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    open_sessie = db.session.scalars(select(Sessie).where(Sessie.status == "live")).one()
    client = app.test_client()
    assert join(client, open_sessie.deelnamecode).status_code == 302
    page = client.get(f"/s/{open_sessie.deelnamecode}").get_data(as_text=True)
    assert "Dubbel werk voor één gezin" in page and "Reageren" in page and "inkoopcontract" in page
    leider = app.test_client()
    login(leider, "begeleider@ontmoet.demo", "ontmoet-demo-2026")
    page = leider.get(f"/sessies/{open_sessie.id}").get_data(as_text=True)
    assert "Volgorde" in page and "Op het scherm" in page
