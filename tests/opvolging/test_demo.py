"""The demo makes the dashboard and the opvolging meaningful on the first `make run`."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from facilitatie.extensions import db
from facilitatie.opvolging import regels
from facilitatie.opvolging.dashboard import dashboard_van
from facilitatie.opvolging.models import Actie, Besluit, EerderGemeld
from facilitatie.sessies.models import Sessie
from tests.conftest import login


def test_demo_has_besluiten_late_acties_and_a_signal_that_came_back(runner, app):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    afgerond = db.session.scalars(
        select(Sessie).where(Sessie.status == "afgesloten", Sessie.sessievorm == "ontmoeten-en-ont-moeten")
    ).one()
    besluiten = list(db.session.scalars(select(Besluit)))
    assert {b.soort for b in besluiten} == {"opgepakt", "niet_opgepakt", "doorverwezen", "al_opgelost"}
    assert all(b.reden for b in besluiten if b.soort == "niet_opgepakt")
    acties = list(db.session.scalars(select(Actie)))
    vandaag = date.today()
    assert sum(regels.is_te_laat(a.status, a.streefdatum, vandaag) for a in acties) >= 2
    assert {a.status for a in acties} >= {"open", "in_uitvoering", "afgerond", "vervallen"}
    assert db.session.scalar(select(func.count()).select_from(EerderGemeld)) >= 1
    d = dashboard_van(afgerond.gemeente_id, None, None, vandaag)
    assert d.totaal.zonder == 1 and d.totaal.niet_opgepakt == 1 and d.acties.te_laat >= 2 and d.terugkomers

    client = app.test_client()
    login(client, "wethouder@ontmoet.demo", "ontmoet-demo-2026")
    page = client.get("/dashboard").get_data(as_text=True)
    assert "Signalen die terugkomen" in page and "Niet opgepakt" in page
    assert "acties gevonden" in client.get("/opvolging?te_laat=1").get_data(as_text=True)
    leider = app.test_client()
    login(leider, "begeleider@ontmoet.demo", "ontmoet-demo-2026")
    verslag = leider.get(f"/sessies/{afgerond.id}/verslag").get_data(as_text=True)
    assert "De urgentieregeling" in verslag and "Elk gezin" in verslag  # the verwachtingen part is included
    markdown = leider.get(f"/sessies/{afgerond.id}/verslag.md").get_data(as_text=True)
    assert "## Verwachtingen" in markdown and "Bijgesteld ambitieniveau" in markdown
