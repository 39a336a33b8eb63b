"""The trend page of a verwachting draws every perspective the gemeente configured (issue 15
item 6), each from three raters on; a smaller group stays out of the charts and the table.
Integration tests on SQLite and PostgreSQL (the `app` fixture)."""

from __future__ import annotations

from facilitatie.accounts import perspectieven_beheer
from facilitatie.extensions import db
from facilitatie.verwachtingen import verloop
from facilitatie.verwachtingen.models import Verwachting
from tests.conftest import login
from tests.reeksen.conftest import beoordeel_direct

PARTNER = "Partner (huisarts, school, woningcorporatie)"


def test_trend_charts_draw_a_configured_perspective_and_suppress_a_small_one(app, factory):
    gemeente = factory.gemeente("Vechtstede")
    partner = perspectieven_beheer.toevoegen(gemeente.id, PARTNER)
    inwoner = perspectieven_beheer.toevoegen(gemeente.id, "Inwoner")
    db.session.commit()
    begeleider = factory.user("begeleider", gemeente=gemeente)
    sessie = factory.sessie(begeleider, titel="Ontmoeting 1")
    v = Verwachting(sessie_id=sessie.id, gemeente_id=gemeente.id, tekst="Contact binnen tien werkdagen", volgorde=1)
    klein = Verwachting(sessie_id=sessie.id, gemeente_id=gemeente.id, tekst="Eén plan per gezin", volgorde=2)
    db.session.add_all([v, klein])
    db.session.commit()
    drie = [("beleid", 5, 4)] * 3 + [("uitvoering", 5, 2)] * 3
    partners = [(partner.sleutel, 4, 1), (partner.sleutel, 4, 1), (partner.sleutel, 5, 2)]
    beoordeel_direct(sessie, v, {1: drie + partners})
    beoordeel_direct(sessie, klein, {1: drie + [(inwoner.sleutel, 3, 3)] * 2})

    o = verloop.overzicht(v)
    assert partner.sleutel in o.trend.groepen
    assert o.trend.reeks(partner.sleutel, "haalbaar").medianen == (1,)
    assert o.labels[partner.sleutel] == PARTNER
    k = verloop.overzicht(klein)  # two inwoners: their group has no point
    assert inwoner.sleutel not in k.trend.groepen or not k.trend.reeks(inwoner.sleutel, "haalbaar").bekend

    client = app.test_client()
    login(client, begeleider.email)
    page = client.get(f"/verwachtingen/{v.id}").get_data(as_text=True)
    assert f'class="punt {partner.sleutel} sessie-1"' in page
    assert f"{PARTNER}, sessie 1: 1" in page
    page = client.get(f"/verwachtingen/{klein.id}").get_data(as_text=True)
    assert f'class="punt {inwoner.sleutel}' not in page and "Inwoner, sessie 1" not in page
