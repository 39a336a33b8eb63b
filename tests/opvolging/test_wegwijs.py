"""Issue 14 item 4: every role finds its way: a menu per role, beleid finds its sessies, and a
knelpunt without besluit links to where the besluit is taken."""

from __future__ import annotations

import re

import pytest

from facilitatie.extensions import db
from facilitatie.sessies.models import Deelnemer
from tests.conftest import login, post


def _menu(html: str) -> list[str]:
    nav = html[html.index('aria-label="Hoofdmenu"') :]
    nav = nav[: nav.index("</nav>")]
    return re.findall(r'class="utrecht-nav-list__link" href="[^"]*"[^>]*>([^<]+)</a>', nav)


@pytest.mark.parametrize(
    ("wie", "menu"),
    [
        ("begeleider", ["Sessies", "Signalen", "Opvolging", "Dashboard", "Gevonden ruimte"]),
        ("beleid", ["Sessies", "Signalen", "Opvolging", "Dashboard", "Gevonden ruimte"]),
        ("wethouder", ["Dashboard", "Opvolging", "Signalen", "Sessies", "Gevonden ruimte"]),
        ("lid_noord", ["Terugkoppeling", "Signaal melden", "Opvolging", "Gevonden ruimte"]),
        ("beheerder", ["Beheer", "Uitgaande mail", "Sessies", "Opvolging", "Dashboard", "Gevonden ruimte"]),
    ],
)
def test_each_role_has_its_menu_and_every_item_opens(client, wereld, wie, menu):
    login(client, getattr(wereld, wie).email)
    html = client.get("/opvolging").get_data(as_text=True)
    assert _menu(html) == menu
    nav = html[html.index('aria-label="Hoofdmenu"') :]
    for pad in re.findall(r'class="utrecht-nav-list__link" href="([^"]*)"', nav[: nav.index("</nav>")]):
        assert client.get(pad).status_code == 200, pad
    assert 'aria-current="page">Opvolging</a>' in html


def test_signed_out_menu_offers_deelnemen_and_inloggen(client):
    assert _menu(client.get("/").get_data(as_text=True)) == ["Deelnemen", "Inloggen"]


def test_beleid_finds_the_sessies_of_its_gemeente(client, wereld, factory):
    """Beleid had no 'Sessies' and /sessies answered 403; follow-up waited for someone to send a URL."""
    db.session.add(Deelnemer(sessie_id=wereld.sessie.id, user_id=wereld.beleid.id, perspectief="beleid"))
    db.session.commit()
    login(client, wereld.beleid.email)
    response = client.get("/sessies")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Ontmoeting januari" in html and "(je deed mee)" in html
    assert "Sessie Anderstad" not in html and "Nieuwe sessie" not in html
    assert f'href="/sessies/{wereld.sessie.id}/besluiten">Besluiten en acties' in html
    assert client.get(f"/sessies/{wereld.sessie.id}").status_code == 200


def test_wethouder_sees_the_sessies_too_and_a_wijkteamlid_is_told_where_to_look(client, wereld):
    login(client, wereld.wethouder.email)
    assert "Ontmoeting januari" in client.get("/sessies").get_data(as_text=True)
    post(client, "/uitloggen")
    login(client, wereld.lid_noord.email)
    assert client.get("/sessies").status_code == 403


def test_a_knelpunt_without_besluit_links_to_where_the_besluit_is_taken(client, wereld):
    k4 = wereld.k["k4"]
    login(client, wereld.beleid.email)
    html = client.get("/opvolging?weergave=knelpunten&besluit=zonder").get_data(as_text=True)
    link = f'href="/sessies/{wereld.sessie.id}/besluiten#knelpunt-{k4.id}">Besluit nemen'
    assert link in html
    assert f'id="knelpunt-{k4.id}"' in client.get(f"/sessies/{wereld.sessie.id}/besluiten").get_data(as_text=True)


def test_the_wethouder_is_not_shown_api_tokens(client, wereld):
    login(client, wereld.wethouder.email)
    html = client.get("/opvolging?weergave=knelpunten").get_data(as_text=True)
    assert "API-token" not in html and "Besluit nemen" not in html
