"""Signing in and out, CSRF, rate limits, and the beheerder's pages."""

from __future__ import annotations

import pytest

from facilitatie.accounts.models import User
from facilitatie.extensions import db
from tests.conftest import DEMO_PASSWORD, csrf_token, login, make_app, post


def test_begeleider_signs_in_and_lands_on_sessies(client, factory):
    user = factory.user("begeleider", gemeente=factory.gemeente())
    response = login(client, user.email)
    assert response.status_code == 302 and response.headers["Location"].endswith("/sessies")
    assert "Uitloggen" in client.get("/sessies").get_data(as_text=True)


@pytest.mark.parametrize(
    ("rol", "path"),
    [("wethouder", "/dashboard"), ("beleidsmedewerker", "/dashboard"), ("wijkteamlid", "/teams/{team}/terugkoppeling")],
)
def test_each_role_lands_on_its_own_work(client, factory, rol, path):
    gemeente = factory.gemeente()
    team = factory.team(gemeente)
    user = factory.user(rol, gemeente=gemeente, team=team if rol == "wijkteamlid" else None)
    response = login(client, user.email)
    assert response.headers["Location"].endswith(path.format(team=team.id))
    assert client.get(response.headers["Location"]).status_code == 200


def test_wrong_password_is_refused_in_dutch_next_to_the_field(client, factory):
    user = factory.user("begeleider")
    response = login(client, user.email, "verkeerd-wachtwoord")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "horen niet bij elkaar" in html and 'aria-invalid="true"' in html


def test_unknown_email_gets_the_same_message(client):
    response = login(client, "niemand@ontmoet.test", "wat-dan-ook-123")
    assert response.status_code == 400
    assert "horen niet bij elkaar" in response.get_data(as_text=True)


def test_passwords_are_hashed_with_argon2(app, factory):
    user = factory.user("begeleider")
    stored = db.session.get(User, user.id).password_hash
    assert stored.startswith("$argon2") and DEMO_PASSWORD not in stored


def test_sign_out_is_a_post_and_ends_the_session(client, factory):
    user = factory.user("begeleider")
    login(client, user.email)
    assert client.get("/uitloggen").status_code == 405
    post(client, "/uitloggen")
    assert client.get("/sessies").status_code == 302  # back to sign-in


def test_missing_or_forged_csrf_is_refused(client, factory):
    user = factory.user("begeleider")
    csrf_token(client)
    missing = client.post("/inloggen", data={"email": user.email, "wachtwoord": DEMO_PASSWORD})
    forged = client.post("/inloggen", data={"email": user.email, "wachtwoord": DEMO_PASSWORD, "csrf_token": "vals"})
    for response in (missing, forged):
        assert response.status_code == 400
        assert "beveiligingscontrole" in response.get_data(as_text=True)
    assert client.get("/sessies").status_code == 302  # still signed out


def test_session_cookie_is_httponly_and_lax(client, factory):
    user = factory.user("begeleider")
    response = login(client, user.email)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie


def test_session_cookie_is_secure_over_https(client, factory):
    user = factory.user("begeleider")
    token = csrf_token(client)
    response = client.post(
        "/inloggen",
        data={"email": user.email, "wachtwoord": DEMO_PASSWORD, "csrf_token": token},
        base_url="https://ontmoet.test",
        headers={"Referer": "https://ontmoet.test/inloggen"},
    )
    assert "Secure" in response.headers["Set-Cookie"]


def test_failed_logins_are_rate_limited(database_url, factory):
    app = make_app(database_url, RATELIMIT_ENABLED=True, LOGIN_LIMIT="3 per minute")
    client = app.test_client()
    with app.app_context():
        statuses = [login(client, "x@ontmoet.test", "fout-wachtwoord-1").status_code for _ in range(5)]
    assert statuses[:3] == [400, 400, 400]
    assert statuses[3] == 429


@pytest.fixture
def beheerder_client(client, factory):
    beheerder = factory.user("beheerder")
    login(client, beheerder.email)
    return client


def test_beheerder_adds_gemeente_team_and_user(beheerder_client, app):
    client = beheerder_client
    assert post(client, "/beheer/gemeenten", {"g-naam": "Rivierstad"}).status_code == 302
    from facilitatie.accounts.models import Gemeente

    gemeente = db.session.query(Gemeente).filter_by(naam="Rivierstad").one()
    response = post(
        client, "/beheer/teams", {"t-naam": "Wijkteam Oost", "t-gemeente": gemeente.id, "t-werkmodel": "netwerkmodel"}
    )
    assert response.status_code == 302
    response = post(
        client,
        "/beheer/gebruikers/nieuw",
        {
            "naam": "Nina",
            "email": "nina@ontmoet.test",
            "rol": "wijkteamlid",
            "perspectief": "",
            "gemeente": gemeente.id,
            "team": gemeente.teams[0].id,
            "wachtwoord": "lang-genoeg-ww",
        },
    )
    assert response.status_code == 302
    nina = db.session.query(User).filter_by(email="nina@ontmoet.test").one()
    assert nina.perspectief == "uitvoering" and nina.team.naam == "Wijkteam Oost"
    assert "Wijkteam Oost" in client.get("/beheer/").get_data(as_text=True)


def test_beheer_bad_input_gets_dutch_message_and_keeps_data(beheerder_client):
    client = beheerder_client
    post(client, "/beheer/gemeenten", {"g-naam": "Rivierstad"})
    again = post(client, "/beheer/gemeenten", {"g-naam": "rivierstad"})
    assert again.status_code == 400 and "bestaat al" in again.get_data(as_text=True)
    empty = post(client, "/beheer/gemeenten", {"g-naam": ""})
    assert empty.status_code == 400 and "Vul de naam in" in empty.get_data(as_text=True)
    long = post(client, "/beheer/gemeenten", {"g-naam": "x" * 500})
    assert long.status_code == 400
    short_pw = post(
        client,
        "/beheer/gebruikers/nieuw",
        {
            "naam": "A",
            "email": "a@ontmoet.test",
            "rol": "begeleider",
            "gemeente": "abc",
            "team": "",
            "wachtwoord": "kort",
        },
    )
    assert short_pw.status_code == 400 and "minstens 12 tekens" in short_pw.get_data(as_text=True)
    bad_role = post(
        client,
        "/beheer/gebruikers/nieuw",
        {"naam": "A", "email": "a@ontmoet.test", "rol": "koning", "wachtwoord": "lang-genoeg-ww"},
    )
    assert bad_role.status_code == 400 and "Onbekende rol" in bad_role.get_data(as_text=True)


def test_non_beheerder_cannot_reach_beheer(client, factory):
    user = factory.user("begeleider")
    login(client, user.email)
    assert client.get("/beheer/").status_code == 403
    assert post(client, "/beheer/gemeenten", {"g-naam": "X"}).status_code == 403


def test_cli_create_user_and_seed_demo(runner, app):
    result = runner.invoke(
        args=[
            "create-user",
            "--email",
            "c@ontmoet.test",
            "--name",
            "C",
            "--role",
            "wethouder",
            "--password",
            "lang-genoeg-ww",
        ]
    )
    assert result.exit_code == 0, result.output
    refused = runner.invoke(args=["seed-demo"])
    assert refused.exit_code != 0 and "--force" in refused.output
    skipped = runner.invoke(args=["seed-demo", "--if-empty"])
    assert skipped.exit_code == 0 and "begeleider@ontmoet.demo" in skipped.output
    bad = runner.invoke(
        args=["create-user", "--email", "d@ontmoet.test", "--name", "D", "--role", "koning", "--password", "x"]
    )
    assert bad.exit_code != 0


def test_seed_demo_loads_an_open_and_a_finished_sessie(runner, app):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    from facilitatie.sessies.models import Sessie

    statuses = sorted((s.sessievorm, s.status) for s in db.session.query(Sessie))
    # The leerkring demo makes the open leerkring the third of a reeks of leerkringen
    # (facilitatie/leerkring/demo.py); the reeksen demo carries a verwachting through it.
    assert statuses == [
        ("leerkring", "afgesloten"),
        ("leerkring", "afgesloten"),
        ("leerkring", "live"),
        ("ontmoeten-en-ont-moeten", "afgesloten"),
        ("ontmoeten-en-ont-moeten", "concept"),  # a signaal is on its agenda (facilitatie/signalen/demo.py)
        ("signalen", "signalen"),  # the gemeente's signalenbak
    ]
