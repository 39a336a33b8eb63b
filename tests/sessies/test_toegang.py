"""Joining behind one address: only unknown codes count, a room gets in, a guesser is stopped."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from facilitatie.extensions import db
from facilitatie.sessies import service
from facilitatie.sessies.codes import ALFABET, generate_code
from facilitatie.sessies.models import Deelnemer
from tests.conftest import csrf_token, login, make_app, post

ZAAL = "198.51.100.20"  # the venue's one public address
# The hundreds of requests run once, on SQLite: the counters live outside the database, and the
# smaller tests below run on both databases.
ALLEEN_SQLITE = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


@pytest.fixture
def begeleider(factory):
    return factory.user("begeleider", gemeente=factory.gemeente("Vechtstede"))


@pytest.fixture
def limiet_app(app: Flask, database_url: str) -> Flask:
    """The same database as `app`, with the limits on at their defaults (or a test's own)."""
    return make_app(database_url, RATELIMIT_ENABLED=True)


def join_vanaf(client: FlaskClient, code: str, adres: str, naam: str = "", token: str | None = None):
    """Join as a browser behind `adres` does: read the form's CSRF token, post the code."""
    data = {"code": code, "naam": naam, "perspectief": "uitvoering", "csrf_token": token or csrf_token(client)}
    return client.post("/deelnemen", data=data, environ_base={"REMOTE_ADDR": adres})


def typo(code: str) -> str:
    """The code with its first letter mistyped as another letter of the alphabet."""
    return next(ch for ch in ALFABET if ch != code[0]) + code[1:]


def onbekende_codes(n: int, bekend: str) -> list[str]:
    codes: list[str] = []
    while len(codes) < n:
        if (code := generate_code()) != bekend:
            codes.append(code)
    return codes


def begeleider_ziet(app: Flask, begeleider, sessie_id: int) -> str:
    client = app.test_client()
    login(client, begeleider.email)
    return client.get(f"/sessies/{sessie_id}").get_data(as_text=True)


@ALLEEN_SQLITE
def test_a_room_of_300_behind_one_address_all_get_in(limiet_app, begeleider, factory):
    sessie = factory.sessie(begeleider, live=False)
    code, sessie_id = sessie.deelnamecode, sessie.id
    db.session.commit()
    mensen = [limiet_app.test_client() for _ in range(300)]

    te_vroeg = [join_vanaf(mens, code, ZAAL) for mens in mensen[:40]]
    assert {r.status_code for r in te_vroeg} == {400}
    assert "nog niet gestart" in te_vroeg[0].get_data(as_text=True)
    pagina = begeleider_ziet(limiet_app, begeleider, sessie_id)
    assert "Deelnemen geweigerd: 40 keer" in pagina and 'role="status"' in pagina

    leider = limiet_app.test_client()
    login(leider, begeleider.email)
    assert post(leider, f"/sessies/{sessie_id}/starten").status_code == 302

    typos = [join_vanaf(mens, typo(code), ZAAL) for mens in mensen[40:60]]
    assert {r.status_code for r in typos} == {400}
    assert "geen sessie met deze deelnamecode" in typos[0].get_data(as_text=True)

    statussen = [join_vanaf(mens, code, ZAAL).status_code for mens in mensen]
    assert statussen == [302] * 300
    db.session.commit()
    assert db.session.query(Deelnemer).filter_by(sessie_id=sessie_id).count() == 300


@ALLEEN_SQLITE
def test_a_guesser_behind_one_address_is_stopped_after_50(limiet_app, begeleider, factory):
    code = factory.sessie(begeleider).deelnamecode
    client = limiet_app.test_client()
    token = csrf_token(client)
    antwoorden = [join_vanaf(client, gok, "203.0.113.9", token=token) for gok in onbekende_codes(1000, code)]
    statussen = [r.status_code for r in antwoorden]
    assert statussen[:50] == [400] * 50 and statussen[50:] == [429] * 950
    assert int(antwoorden[-1].headers["Retry-After"]) > 0
    # The oracle is closed: the right code gets the same answer as a wrong one.
    assert join_vanaf(client, code, "203.0.113.9", token=token).status_code == 429
    assert join_vanaf(limiet_app.test_client(), code, ZAAL).status_code == 302  # the room elsewhere is in


@ALLEEN_SQLITE
def test_a_guesser_behind_50_addresses_is_stopped_by_the_global_limit(limiet_app, begeleider, factory):
    sessie = factory.sessie(begeleider)
    code, sessie_id = sessie.deelnamecode, sessie.id
    db.session.commit()
    client = limiet_app.test_client()
    token = csrf_token(client)
    gokken = onbekende_codes(1000, code)
    statussen = [
        join_vanaf(client, gok, f"203.0.113.{i % 50}", token=token).status_code for i, gok in enumerate(gokken)
    ]
    assert statussen.count(400) == 300 and statussen.count(429) == 700  # 300 tried, not 1,000
    assert join_vanaf(client, code, "203.0.113.1", token=token).status_code == 429
    assert join_vanaf(limiet_app.test_client(), code, ZAAL).status_code == 302  # a clean address joins
    pagina = begeleider_ziet(limiet_app, begeleider, sessie_id)
    assert "Deelnemen geweigerd: 1 keer" in pagina and "te veel onbekende deelnamecodes" in pagina


def test_refused_join_says_when_and_keeps_what_was_typed(database_url, app, begeleider, factory):
    limiet_app = make_app(database_url, RATELIMIT_ENABLED=True, JOIN_LIMIT="2 per minute")
    sessie = factory.sessie(begeleider)
    code, sessie_id = sessie.deelnamecode, sessie.id
    db.session.commit()
    client = limiet_app.test_client()
    for gok in onbekende_codes(2, code):
        assert join_vanaf(client, gok, ZAAL).status_code == 400
    response = join_vanaf(client, code.lower(), ZAAL, naam="Fatima")
    body = response.get_data(as_text=True)
    assert response.status_code == 429 and 1 <= int(response.headers["Retry-After"]) <= 60
    assert "probeer het over 1 minuut opnieuw" in body or re.search(r"over \d+ seconden opnieuw", body)
    assert 'value="Fatima"' in body and f'value="{code.lower()}"' in body and 'aria-invalid="true"' in body
    # The begeleider sees it, on the page and in the polled notice, and no one else does.
    assert "Deelnemen geweigerd: 1 keer" in begeleider_ziet(limiet_app, begeleider, sessie_id)
    leider = limiet_app.test_client()
    login(leider, begeleider.email)
    assert "Deelnemen geweigerd" in leider.get(f"/sessies/{sessie_id}/weigeringen").get_data(as_text=True)
    anderen = limiet_app.test_client()
    login(anderen, factory.user("begeleider", gemeente=begeleider.gemeente).email)
    assert anderen.get(f"/sessies/{sessie_id}/weigeringen").status_code == 403


def test_failures_that_are_not_guessing_do_not_count(database_url, app, begeleider, factory, monkeypatch):
    limiet_app = make_app(database_url, RATELIMIT_ENABLED=True, JOIN_LIMIT="1 per minute")
    live = factory.sessie(begeleider, titel="Live")
    concept = factory.sessie(begeleider, titel="Nog niet", live=False)
    dicht = factory.sessie(begeleider, titel="Dicht")
    with app.test_request_context("/"):
        service.afsluiten(dicht, begeleider)
    codes = {"live": live.deelnamecode, "concept": concept.deelnamecode, "dicht": dicht.deelnamecode}
    db.session.commit()
    client = limiet_app.test_client()
    pogingen = [
        join_vanaf(client, codes["live"], ZAAL, token="verlopen"),  # expired form (CSRF)
        join_vanaf(client, codes["live"], ZAAL, naam="x" * 81),  # form error
        join_vanaf(client, codes["concept"], ZAAL),  # not started
        join_vanaf(client, codes["dicht"], ZAAL),  # closed
        join_vanaf(client, "ABC", ZAAL),  # malformed: cannot hit a sessie
    ]
    assert [r.status_code for r in pogingen] == [400] * 5
    monkeypatch.setattr(service, "join", lambda *a, **k: 1 / 0)
    assert join_vanaf(client, codes["live"], ZAAL).status_code == 500  # a server error
    monkeypatch.undo()
    assert join_vanaf(client, codes["live"], ZAAL).status_code == 302
    # …and the limit is there: one unknown code, then the address waits.
    assert join_vanaf(limiet_app.test_client(), "YYYYYY", ZAAL).status_code == 400
    assert join_vanaf(limiet_app.test_client(), "YYYYYY", ZAAL).status_code == 429
