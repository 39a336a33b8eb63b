"""Signing in behind one address: an office keeps working, a guessed account locks only its guesser."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher
from flask import Flask
from flask.testing import FlaskClient

from facilitatie.accounts import service
from facilitatie.accounts.models import User
from facilitatie.extensions import db
from tests.conftest import DEMO_PASSWORD, csrf_token, make_app

KANTOOR = "192.0.2.10"  # the gemeente's proxy: everyone in the building behind it


@pytest.fixture
def limiet_app(app: Flask, database_url: str) -> Flask:
    """The same database as `app`, with the limits on at their defaults."""
    return make_app(database_url, RATELIMIT_ENABLED=True)


def inloggen_vanaf(client: FlaskClient, email: str, wachtwoord: str, adres: str, token: str | None = None):
    data = {"email": email, "wachtwoord": wachtwoord, "csrf_token": token or csrf_token(client)}
    return client.post("/inloggen", data=data, environ_base={"REMOTE_ADDR": adres})


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)  # the limits live outside the database
def test_an_office_of_50_behind_one_address_signs_in_despite_15_wrong_passwords(limiet_app, factory, monkeypatch):
    # Cheap argon2 parameters: 65 sign-ins at ~50 ms (more on a busy machine) test the hasher, not the limits.
    monkeypatch.setattr(service, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    eerste = factory.user("beleidsmedewerker", gemeente=factory.gemeente())
    # One hash for all: the same password for everyone.
    for i in range(49):
        db.session.add(
            User(
                email=f"collega{i}@ontmoet.test",
                naam=f"Collega {i}",
                rol="beleidsmedewerker",
                password_hash=eerste.password_hash,
                gemeente_id=eerste.gemeente_id,
            )
        )
    db.session.commit()
    emails = [eerste.email] + [f"collega{i}@ontmoet.test" for i in range(49)]
    collegas = [limiet_app.test_client() for _ in emails]
    # 15 wrong passwords: ten colleagues once, the first five of them once more (two each, below their lock).
    fout = [inloggen_vanaf(collegas[i % 10], emails[i % 10], "verkeerd-wachtwoord", KANTOOR) for i in range(15)]
    assert {r.status_code for r in fout} == {400}
    statussen = [
        inloggen_vanaf(c, e, DEMO_PASSWORD, KANTOOR).status_code for c, e in zip(collegas, emails, strict=True)
    ]
    assert statussen == [302] * 50


def test_a_guessed_account_locks_for_the_guesser_not_for_its_owner(limiet_app, factory):
    nina = factory.user("begeleider", gemeente=factory.gemeente(), email="nina@ontmoet.test")
    gokker = limiet_app.test_client()
    token = csrf_token(gokker)
    pogingen = [inloggen_vanaf(gokker, "Nina@ontmoet.test", f"gok-{i}", "203.0.113.9", token) for i in range(5)]
    assert {r.status_code for r in pogingen} == {400}
    # Now locked for the guessing address, even with the right password: no oracle.
    response = inloggen_vanaf(gokker, nina.email, DEMO_PASSWORD, "203.0.113.9", token)
    body = response.get_data(as_text=True)
    assert response.status_code == 429 and 0 < int(response.headers["Retry-After"]) <= 300
    assert "Voor dit e-mailadres is te vaak een verkeerd wachtwoord ingevuld" in body and "opnieuw" in body
    assert 'value="nina@ontmoet.test"' in body  # what was typed stays (the password never does)
    # Nina, from her office, signs in at once.
    assert inloggen_vanaf(limiet_app.test_client(), nina.email, DEMO_PASSWORD, KANTOOR).status_code == 302


def test_an_expired_form_does_not_count_as_a_failed_sign_in(database_url, app, factory):
    limiet_app = make_app(database_url, RATELIMIT_ENABLED=True, LOGIN_LIMIT="1 per minute")
    user = factory.user("begeleider", gemeente=factory.gemeente())
    client = limiet_app.test_client()
    for _ in range(3):
        assert inloggen_vanaf(client, user.email, DEMO_PASSWORD, KANTOOR, token="verlopen").status_code == 400
    assert inloggen_vanaf(client, user.email, DEMO_PASSWORD, KANTOOR).status_code == 302
