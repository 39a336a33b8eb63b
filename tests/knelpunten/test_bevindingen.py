"""Findings of the usability test: each a regression test (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from facilitatie.extensions import db
from facilitatie.knelpunten.models import Knelpunt, Thema
from tests.conftest import post
from tests.knelpunten.helpers import HX, Live, deelnemer_client, dien_in, leider_client, naar_fase
from tests.knelpunten.test_views import _instellingen, events


@pytest.fixture
def begeleider(factory):
    return factory.user("begeleider", gemeente=factory.gemeente("Vechtstede"))


@pytest.fixture
def sessie(factory, begeleider) -> Live:
    return Live(factory.sessie(begeleider, titel="Ontmoeting jeugd"))


@pytest.fixture
def leider(app, begeleider):
    return leider_client(app, begeleider)


def _html(event, audience: str) -> str:
    return "".join(f["html"] for f in event.payload["fragmenten"][audience])


def test_hidden_post_refreshes_the_onthullen_box_live(app, sessie, leider):
    naar_fase(leider, sessie, "knelpunten")
    post(leider, f"/s/{sessie.code}/knelpunten/instellingen", _instellingen(verborgen_tot_onthulling="1"))
    dien_in(deelnemer_client(app, sessie.code), sessie.code, "Verborgen knelpunt over wachttijden.")
    [event] = events(sessie, "knelpunt.toegevoegd")
    doelen = [f["doel"] for f in event.payload["fragmenten"]["begeleider"]]
    assert "#kp-onthullen" in doelen
    onthullen = next(f["html"] for f in event.payload["fragmenten"]["begeleider"] if f["doel"] == "#kp-onthullen")
    assert "1 wacht op onthulling" in " ".join(onthullen.split())
    assert "disabled" not in onthullen


def test_a_timer_belongs_to_its_fase(app, sessie, leider):
    naar_fase(leider, sessie, "knelpunten")
    deelnemer = deelnemer_client(app, sessie.code)
    assert post(leider, f"/s/{sessie.code}/timer", {"actie": "start", "minuten": "1"}).status_code == 302
    assert events(sessie, "timer.start")[-1].payload["melding"] == "De timer loopt: 1 minuut."
    assert "Timer stoppen" in leider.get(f"/sessies/{sessie.id}").get_data(as_text=True)
    naar_fase(leider, sessie, "stemmen")
    pagina = leider.get(f"/sessies/{sessie.id}").get_data(as_text=True)
    assert "Timer starten" in pagina and "Timer stoppen" not in pagina and "Pauzeren" not in pagina
    assert "data-aftellen" not in deelnemer.get(f"/s/{sessie.code}").get_data(as_text=True)
    # Nothing to pause in this fase; a new timer starts cleanly.
    assert post(leider, f"/s/{sessie.code}/timer", {"actie": "pauze"}).status_code == 400
    assert post(leider, f"/s/{sessie.code}/timer", {"actie": "start", "minuten": "5"}).status_code == 302
    assert "Timer stoppen" in leider.get(f"/sessies/{sessie.id}").get_data(as_text=True)


def test_the_verwachtingen_dialoog_shows_no_knelpunten_dialoog(app, sessie, leider):
    naar_fase(leider, sessie, "knelpunten")
    dien_in(deelnemer_client(app, sessie.code), sessie.code, "Knelpunt over wachttijden.")
    deelnemer = deelnemer_client(app, sessie.code)
    naar_fase(leider, sessie, "dialoog")  # the first dialoog: about the knelpunten
    assert 'id="dialoog-volgorde"' in leider.get(f"/sessies/{sessie.id}").get_data(as_text=True)
    assert 'id="dialoog"' in deelnemer.get(f"/s/{sessie.code}").get_data(as_text=True)
    index = sessie.soorten.index("dialoog", sessie.soorten.index("beoordelen"))
    assert post(leider, f"/sessies/{sessie.id}/fase/{index}").status_code == 302
    pagina = leider.get(f"/sessies/{sessie.id}").get_data(as_text=True)
    assert 'id="dialoog-volgorde"' not in pagina and 'id="kp-paneel"' not in pagina
    assert "Verwachtingen" in pagina and "Bijgesteld ambitieniveau vastleggen" in pagina
    assert 'id="dialoog"' not in deelnemer.get(f"/s/{sessie.code}").get_data(as_text=True)


def test_domein_has_no_silent_default(app, sessie, leider):
    naar_fase(leider, sessie, "knelpunten")
    browser = deelnemer_client(app, sessie.code)
    pagina = browser.get(f"/s/{sessie.code}").get_data(as_text=True)
    select = pagina.split('id="knelpunt-domein"', 1)[1].split("</select>", 1)[0]
    assert '<option value="">Kies een domein</option>' in select and "selected" not in select
    for headers in ({}, HX):
        response = dien_in(browser, sessie.code, domein="", headers=headers)
        html = response.get_data(as_text=True)
        assert response.status_code == 400
        assert 'id="knelpunt-domein-fout"' in html and "Kies het domein waar dit knelpunt over gaat." in html
    assert events(sessie, "knelpunt.toegevoegd") == []


def test_voting_on_a_thema_shows_its_knelpunten(app, sessie, leider):
    naar_fase(leider, sessie, "knelpunten")
    schrijver = deelnemer_client(app, sessie.code)
    dien_in(schrijver, sessie.code, "Herindicatie duurt acht weken.")
    dien_in(schrijver, sessie.code, "Vervoer naar dagbesteding valt uit.")
    naar_fase(leider, sessie, "bundelen")
    assert post(leider, f"/s/{sessie.code}/themas", {"naam": "Wachttijden"}).status_code == 302
    thema = db.session.scalars(select(Thema)).one()
    for k in db.session.scalars(select(Knelpunt)).all():
        assert post(leider, f"/s/{sessie.code}/knelpunten/{k.id}/verplaats", {"thema": thema.id}).status_code == 302
    naar_fase(leider, sessie, "stemmen")
    stemmen = schrijver.get(f"/s/{sessie.code}").get_data(as_text=True).split('id="stemmen"', 1)[1]
    assert "Knelpunten in dit thema" in stemmen
    assert "Herindicatie duurt acht weken." in stemmen and "Vervoer naar dagbesteding valt uit." in stemmen


def test_empty_dialoog_tells_the_begeleider_what_to_do(app, sessie, leider):
    naar_fase(leider, sessie, "knelpunten")
    deelnemer = deelnemer_client(app, sessie.code)
    dien_in(deelnemer, sessie.code, "Knelpunt over wachttijden.")
    naar_fase(leider, sessie, "dialoog")
    pagina = leider.get(f"/sessies/{sessie.id}").get_data(as_text=True)
    assert "Kies hieronder een onderwerp en klik op 'Op het scherm'." in pagina.replace("&#39;", "'")
    assert "De begeleider zet zo het eerste onderwerp op het scherm." not in pagina
    assert pagina.index('id="dialoog"') < pagina.index('id="dialoog-volgorde"')  # "hieronder" is true
    assert "De begeleider zet zo het eerste onderwerp op het scherm." in deelnemer.get(f"/s/{sessie.code}").get_data(
        as_text=True
    )
