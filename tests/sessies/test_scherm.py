"""The Scherm renders every fase of every sessievorm, without a control, and only for the
begeleider who leads the sessie (the browser tests follow it live)."""

from __future__ import annotations

import pytest

from facilitatie.sessies.lezen import vormen
from tests.conftest import login, post


@pytest.fixture
def gemeente(factory):
    return factory.gemeente("Vechtstede")


@pytest.fixture
def begeleider(factory, gemeente):
    return factory.user("begeleider", gemeente=gemeente)


@pytest.mark.parametrize("vorm", ["ontmoeten-en-ont-moeten", "leerkring"])
def test_scherm_shows_every_fase_without_controls(client, app, begeleider, factory, vorm):
    sessie = factory.sessie(begeleider, titel="Op het scherm", vorm=vorm, live=False)
    login(client, begeleider.email)
    pagina = client.get(f"/sessies/{sessie.id}/scherm")
    assert pagina.status_code == 200 and sessie.deelnamecode[:3] in pagina.get_data(as_text=True)
    post(client, f"/sessies/{sessie.id}/starten")
    with app.app_context():
        fasen = vormen()[vorm].fasen
    for index, fase in enumerate(fasen):
        post(client, f"/sessies/{sessie.id}/fase/{index}")
        inhoud = client.get(f"/sessies/{sessie.id}/scherm/inhoud").get_data(as_text=True)
        assert fase.titel.replace("'", "&#39;") in inhoud, fase.key
        for control in ("<form", "<button", "<input", "<select", "<textarea"):
            assert control not in inhoud, (fase.key, control)
    post(client, f"/sessies/{sessie.id}/afsluiten")
    assert "De sessie is afgesloten" in client.get(f"/sessies/{sessie.id}/scherm/inhoud").get_data(as_text=True)


def test_only_the_leading_begeleider_gets_the_scherm(client, begeleider, factory, gemeente):
    sessie = factory.sessie(begeleider, titel="Alleen voor de leider")
    collega = factory.user("begeleider", gemeente=gemeente)
    vreemde = factory.user("begeleider", gemeente=factory.gemeente("Elders"))
    for wie in (collega, vreemde):
        login(client, wie.email)
        for pad in (f"/sessies/{sessie.id}/scherm", f"/sessies/{sessie.id}/scherm/inhoud"):
            antwoord = client.get(pad)
            assert antwoord.status_code in (403, 404)
            assert "Alleen voor de leider" not in antwoord.get_data(as_text=True)
        post(client, "/uitloggen")
    assert client.get(f"/sessies/{sessie.id}/scherm").status_code == 302  # not signed in: to the login
