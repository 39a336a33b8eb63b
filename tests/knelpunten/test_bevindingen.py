"""Findings of the usability test: each a regression test (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest

from tests.conftest import post
from tests.knelpunten.helpers import Live, deelnemer_client, dien_in, leider_client, naar_fase
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
