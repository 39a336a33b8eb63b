"""Sessions that end (accounts/inlogsessie.py) and passwords as the NCSC advises (accounts/wachtwoorden.py)."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from facilitatie.accounts import inlogsessie, service
from facilitatie.accounts.inlogsessie import ACTIEF, BEGIN, VERSIE, Termijnen, geldig
from facilitatie.accounts.models import User
from facilitatie.accounts.wachtwoorden import MIN_WACHTWOORD, bezwaar, veelgebruikt
from facilitatie.extensions import db
from facilitatie.fouten import Ongeldig
from tests.conftest import csrf_token, login, post

SIGNED_IN_PAGE = "/sessies"


def _signed_in(client: FlaskClient) -> bool:
    response = client.get(SIGNED_IN_PAGE)
    return response.status_code == 200 and "Uitloggen" in response.get_data(as_text=True)


def _copy(app: Flask, client: FlaskClient) -> FlaskClient:
    """A second browser holding a copy of this client's session cookie (a stolen cookie)."""
    cookie = client.get_cookie("session", domain="ontmoet.test")
    assert cookie is not None
    thief = app.test_client()
    thief.set_cookie("session", cookie.value, domain="ontmoet.test")
    return thief


@pytest.fixture
def begeleider(factory) -> User:
    return factory.user("begeleider", gemeente=factory.gemeente())


@pytest.fixture
def beheerder_client(app, factory) -> FlaskClient:
    client = app.test_client()
    login(client, factory.user("beheerder").email)
    return client


# --- what ends a session ---------------------------------------------------------------------


def test_a_copied_cookie_stops_working_after_sign_out(app, client, begeleider):
    login(client, begeleider.email)
    thief = _copy(app, client)
    assert _signed_in(thief)
    post(client, "/uitloggen")
    assert not _signed_in(client)
    assert not _signed_in(thief)
    assert thief.get(SIGNED_IN_PAGE).headers["Location"].startswith("/inloggen")


def test_a_password_reset_by_the_beheerder_ends_the_sessions(app, client, begeleider, beheerder_client):
    login(client, begeleider.email)
    thief = _copy(app, client)
    response = post(
        beheerder_client,
        f"/beheer/gebruikers/{begeleider.id}",
        {
            "naam": begeleider.naam,
            "email": begeleider.email,
            "rol": "begeleider",
            "perspectief": "",
            "gemeente": begeleider.gemeente_id,
            "team": 0,
            "wachtwoord": "een-heel-nieuw-wachtwoord",
        },
    )
    assert response.status_code == 302
    assert not _signed_in(client) and not _signed_in(thief)
    assert login(client, begeleider.email, "een-heel-nieuw-wachtwoord").status_code == 302
    assert _signed_in(client)


def test_a_change_of_name_alone_keeps_the_session(client, begeleider, beheerder_client):
    login(client, begeleider.email)
    form = {
        "naam": "Andere Naam",
        "email": begeleider.email,
        "rol": "begeleider",
        "perspectief": "",
        "gemeente": begeleider.gemeente_id,
        "team": 0,
        "wachtwoord": "",
    }
    assert post(beheerder_client, f"/beheer/gebruikers/{begeleider.id}", form).status_code == 302
    assert _signed_in(client)


def test_a_role_change_ends_the_sessions(client, begeleider, beheerder_client):
    login(client, begeleider.email)
    form = {
        "naam": begeleider.naam,
        "email": begeleider.email,
        "rol": "wijkteamlid",
        "perspectief": "",
        "gemeente": begeleider.gemeente_id,
        "team": 0,
        "wachtwoord": "",
    }
    assert post(beheerder_client, f"/beheer/gebruikers/{begeleider.id}", form).status_code == 302
    assert client.get("/opvolging").status_code == 302  # signed out: asked to sign in


def test_deactivation_ends_the_sessions(client, begeleider, beheerder_client):
    login(client, begeleider.email)
    assert post(beheerder_client, f"/beheer/gebruikers/{begeleider.id}/actief").status_code == 302
    assert not _signed_in(client)
    assert login(client, begeleider.email).status_code == 400  # and cannot sign in again


def test_idle_timeout(app, client, begeleider, monkeypatch):
    app.config["SESSIE_INACTIEF_MINUTEN"] = 30
    nu = [1_000_000.0]
    monkeypatch.setattr(inlogsessie, "klok", lambda: nu[0])
    login(client, begeleider.email)
    for _ in range(4):  # active every 20 minutes: still signed in after 80 minutes
        nu[0] += 20 * 60
        assert _signed_in(client)
    nu[0] += 31 * 60
    assert not _signed_in(client)


def test_absolute_lifetime_even_when_active(app, client, begeleider, monkeypatch):
    app.config["SESSIE_INACTIEF_MINUTEN"] = 30
    app.config["SESSIE_MAXIMUM_MINUTEN"] = 120
    nu = [1_000_000.0]
    monkeypatch.setattr(inlogsessie, "klok", lambda: nu[0])
    login(client, begeleider.email)
    for _ in range(5):
        nu[0] += 20 * 60
        assert _signed_in(client)
    nu[0] += 21 * 60  # 121 minutes after sign-in
    assert not _signed_in(client)


def test_a_cookie_without_stamps_is_not_signed_in(app, client, begeleider):
    """A session made before these stamps existed (or forged without them) is anonymous."""
    with client.session_transaction() as sessie:
        sessie["_user_id"] = str(begeleider.id)
        sessie["_fresh"] = True
    assert not _signed_in(client)


def test_csrf_token_is_new_after_sign_in(client, begeleider):
    before = csrf_token(client, "/inloggen")
    login(client, begeleider.email)
    after = csrf_token(client, "/sessies")
    assert before != after
    # The token from before sign-in no longer works.
    stale = client.post("/uitloggen", data={"csrf_token": before})
    assert stale.status_code == 400
    assert _signed_in(client)


def test_settings_are_documented():
    readme = (inlogsessie.__file__.rsplit("/facilitatie/", 1)[0]) + "/README.md"
    text = open(readme, encoding="utf-8").read()
    for name in ("ONTMOET_SESSION_IDLE_MINUTES", "ONTMOET_SESSION_LIFETIME_MINUTES", "ONTMOET_PROXIES"):
        assert name in text


@pytest.mark.parametrize(
    ("stempels", "nu", "ok"),
    [
        ({VERSIE: 3, BEGIN: 0, ACTIEF: 0}, 100, True),
        ({VERSIE: 2, BEGIN: 0, ACTIEF: 0}, 100, False),  # the account moved on
        ({VERSIE: 3, BEGIN: 0, ACTIEF: 0}, 601, False),  # idle too long
        ({VERSIE: 3, BEGIN: 0, ACTIEF: 3000}, 3601, False),  # older than its lifetime
        ({VERSIE: 3, BEGIN: "0", ACTIEF: 0}, 100, False),
        ({}, 100, False),
    ],
)
def test_geldig_is_a_pure_rule(stempels, nu, ok):
    assert geldig(stempels, 3, nu, Termijnen(inactief=600, maximum=3600)) is ok


# --- passwords -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "wachtwoord",
    ["1234567890", "kort-ww", "qwerty123456", "Password1234", "Welkom2026!!", "wachtwoord-123456", "121212121212"],
)
def test_weak_passwords_are_refused(wachtwoord):
    assert bezwaar(wachtwoord) is not None


@pytest.mark.parametrize(
    "wachtwoord", ["ontmoet-demo-2026", "wachtwoord-voor-tests", "correct paard batterij nietje", "Vechtstede-Oost-7"]
)
def test_good_passwords_are_accepted(wachtwoord):
    assert bezwaar(wachtwoord) is None


def test_the_shipped_list_is_loaded():
    lijst = veelgebruikt()
    assert len(lijst) > 19_000
    assert {"password", "123456", "qwerty123456", "wachtwoord", "welkom"} <= lijst
    assert MIN_WACHTWOORD >= 12


def test_a_wethouder_cannot_get_1234567890(app, factory):
    with pytest.raises(Ongeldig, match="minstens 12 tekens"):
        service.create_user(email="w@ontmoet.test", naam="W", rol="wethouder", password="1234567890")
    with pytest.raises(Ongeldig, match="veelgebruikte of uitgelekte"):
        service.create_user(email="w@ontmoet.test", naam="W", rol="wethouder", password="123456789012")
    db.session.rollback()


def test_the_beheer_form_says_why_next_to_the_field(beheerder_client):
    response = post(
        beheerder_client,
        "/beheer/gebruikers/nieuw",
        {
            "naam": "W",
            "email": "w@ontmoet.test",
            "rol": "wethouder",
            "gemeente": 0,
            "team": 0,
            "wachtwoord": "Welkom2026!!",
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "veelgebruikte of uitgelekte wachtwoorden" in html
    veld = re.search(r'<input[^>]*name="wachtwoord"[^>]*>', html)
    assert veld and 'aria-invalid="true"' in veld.group(0)


def test_cli_refuses_a_common_password(runner):
    result = runner.invoke(
        args=[
            "create-user",
            "--email",
            "x@ontmoet.test",
            "--name",
            "X",
            "--role",
            "wethouder",
            "--password",
            "1234567890",
        ]
    )
    assert result.exit_code != 0 and "minstens 12 tekens" in result.output
