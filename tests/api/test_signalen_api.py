"""POST /api/v1/knelpunten: another system reports signalen with a scoped token (runs per database)."""

from __future__ import annotations

import json
import uuid

import pytest
from sqlalchemy import func, select

from facilitatie.api import tokens
from facilitatie.extensions import db
from facilitatie.fouten import Ongeldig
from facilitatie.knelpunten.models import Knelpunt
from facilitatie.opvolging.models import ApiToken
from tests.conftest import login, make_app, post

TEKST = "Een inwoner moet voor een traplift drie keer hetzelfde formulier invullen."


def _token(wereld, user=None, gemeente=None) -> str:
    user = user or wereld.begeleider
    gemeente = gemeente or wereld.gemeente
    _rij, token = tokens.maak(user, "Zaaksysteem", scope=tokens.SIGNALEN_SCHRIJVEN, gemeente_id=gemeente.id)
    return token


def _kop(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _api_knelpunten() -> list[Knelpunt]:
    db.session.expire_all()
    return list(db.session.scalars(select(Knelpunt).where(Knelpunt.bron == "api").order_by(Knelpunt.id)))


def _melden(client, token: str, **velden):
    body = {"tekst": TEKST, "domein": "Wmo", **velden}
    body.setdefault("team", None)
    if body["team"] is None:
        body.pop("team")
    return client.post("/api/v1/knelpunten", json=body, headers=_kop(token))


def test_a_signaal_is_stored_with_201_and_location(app, client, wereld):
    token = _token(wereld)
    response = _melden(client, token, team=wereld.noord.id, client_request_id=uuid.uuid4().hex)
    assert response.status_code == 201, response.get_json()
    data = response.get_json()
    [knelpunt] = _api_knelpunten()
    assert data["id"] == knelpunt.id and data["team"] == wereld.noord.id and data["tekst"] == TEKST
    assert response.headers["Location"].endswith(f"/api/v1/knelpunten/{knelpunt.id}")
    assert knelpunt.sessie.gemeente_id == wereld.gemeente.id and knelpunt.domein == "Wmo"
    assert knelpunt.deelnemer_id is None  # the author is in another system: no account of ours is stored

    # A read token of the gemeente's staff finds it at the Location.
    _r, lees = tokens.maak(wereld.beleid, "lezen")
    gelezen = client.get(response.headers["Location"], headers=_kop(lees))
    assert gelezen.status_code == 200 and gelezen.get_json()["id"] == knelpunt.id
    _r, lees_x = tokens.maak(wereld.beleid_x, "lezen")
    assert client.get(response.headers["Location"], headers=_kop(lees_x)).status_code == 404


def test_team_by_name_case_insensitive(app, client, wereld):
    response = _melden(client, _token(wereld), team="  wijkteam zuid ")
    assert response.status_code == 201 and response.get_json()["team"] == wereld.zuid.id


def test_anonymous_signaal_stores_no_author(app, client, wereld):
    response = _melden(client, _token(wereld), team=wereld.noord.id, anoniem=True)
    assert response.status_code == 201
    [knelpunt] = _api_knelpunten()
    assert knelpunt.anoniem and knelpunt.deelnemer_id is None
    assert response.get_json()["anoniem"] is True


def test_the_same_request_twice_is_stored_once_and_answered_alike(app, client, wereld):
    token = _token(wereld)
    rid = str(uuid.uuid4())
    eerste = _melden(client, token, team=wereld.noord.id, client_request_id=rid)
    tweede = _melden(client, token, team=wereld.noord.id, client_request_id=rid)
    assert (eerste.status_code, tweede.status_code) == (201, 200)
    assert eerste.get_json() == tweede.get_json()
    assert eerste.headers["Location"] == tweede.headers["Location"]
    assert len(_api_knelpunten()) == 1
    # The same id with other content is a conflict, and nothing is stored.
    ander = _melden(client, token, team=wereld.zuid.id, client_request_id=rid)
    assert ander.status_code == 409 and "client_request_id" in ander.get_json()["velden"]
    assert len(_api_knelpunten()) == 1
    # Without an id every request is a new signaal.
    assert _melden(client, token, team=wereld.noord.id).status_code == 201
    assert _melden(client, token, team=wereld.noord.id).status_code == 201
    assert len(_api_knelpunten()) == 3


def test_a_request_id_of_another_gemeente_or_a_sessie_post_is_not_found(app, client, wereld):
    rid = str(uuid.uuid4())
    token_x = _token(wereld, wereld.begeleider_x, wereld.andere)
    assert _melden(client, token_x, team=wereld.team_x.id, client_request_id=rid).status_code == 201
    wereld.k["k4"].client_request_id = "sessie-post-0001"
    db.session.commit()
    token = _token(wereld)
    assert _melden(client, token, team=wereld.noord.id, client_request_id=rid).status_code == 201
    response = _melden(client, token, team=wereld.noord.id, client_request_id="sessie-post-0001")
    assert response.status_code == 201 and response.get_json()["id"] != wereld.k["k4"].id


def test_a_bsn_is_refused_with_422_and_the_reason_per_field(app, client, wereld):
    response = _melden(client, _token(wereld), team=wereld.noord.id, tekst="Cliënt met BSN 111222333 wacht al weken.")
    assert response.status_code == 422
    data = response.get_json()
    assert data["privacy"] == "geweigerd" and "burgerservicenummer" in data["velden"]["tekst"]
    # Not even with toch.
    response = _melden(client, _token(wereld), team=wereld.noord.id, tekst="BSN 111222333", toch=True)
    assert response.status_code == 422
    assert _api_knelpunten() == []


def test_a_privacy_warning_needs_an_explicit_toch(app, client, wereld):
    token = _token(wereld)
    tekst = "Bel de inwoner op 06-12345678 over de aanvraag."
    response = _melden(client, token, team=wereld.noord.id, tekst=tekst)
    assert response.status_code == 422
    data = response.get_json()
    assert data["privacy"] == "waarschuwing" and '"toch": true' in data["velden"]["tekst"]
    assert _api_knelpunten() == []
    assert _melden(client, token, team=wereld.noord.id, tekst=tekst, toch="ja").status_code == 422
    response = _melden(client, token, team=wereld.noord.id, tekst=tekst, toch=True)
    assert response.status_code == 201
    assert len(_api_knelpunten()) == 1


@pytest.mark.parametrize(
    ("body", "velden"),
    [
        ({}, {"tekst", "domein", "team"}),
        ({"tekst": 5, "domein": "Wmo", "team": 1}, {"tekst"}),
        ({"tekst": "   ", "domein": "Wmo", "team": "Wijkteam Noord"}, {"tekst"}),
        ({"tekst": "x" * 2001, "domein": "Wmo", "team": "Wijkteam Noord"}, {"tekst"}),
        ({"tekst": "Nul\u0000teken", "domein": "Wmo", "team": "Wijkteam Noord"}, {"tekst"}),
        ({"tekst": "Half \ud800 teken", "domein": "Wmo", "team": "Wijkteam\u0007Noord"}, {"tekst", "team"}),
        ({"tekst": TEKST, "domein": "Kunst", "team": "Wijkteam Noord"}, {"domein"}),
        ({"tekst": TEKST, "domein": ["Wmo"], "team": "Wijkteam Noord"}, {"domein"}),
        ({"tekst": TEKST, "domein": "Wmo", "team": True}, {"team"}),
        ({"tekst": TEKST, "domein": "Wmo", "team": 1.5}, {"team"}),
        ({"tekst": TEKST, "domein": "Wmo", "team": {"id": 1}}, {"team"}),
        ({"tekst": TEKST, "domein": "Wmo", "team": "Wijkteam Nergens"}, {"team"}),
        ({"tekst": TEKST, "domein": "Wmo", "team": 2**40}, {"team"}),
        ({"tekst": TEKST, "domein": "Wmo", "team": -1}, {"team"}),
        ({"tekst": TEKST, "domein": "Wmo", "team": "Wijkteam Noord", "anoniem": "ja"}, {"anoniem"}),
        ({"tekst": TEKST, "domein": "Wmo", "team": "Wijkteam Noord", "anoniem": None}, {"anoniem"}),
        (
            {"tekst": TEKST, "domein": "Wmo", "team": "Wijkteam Noord", "client_request_id": "kort"},
            {"client_request_id"},
        ),
        (
            {"tekst": TEKST, "domein": "Wmo", "team": "Wijkteam Noord", "client_request_id": 12345678},
            {"client_request_id"},
        ),
        ({"tekst": TEKST, "domein": "Wmo", "team": "Wijkteam Noord", "auteur": "Sanne"}, {"auteur"}),
        ({"tekst": None, "domein": None, "team": None, "toch": 1}, {"tekst", "domein", "team", "toch"}),
    ],
)
def test_every_bad_field_is_named_in_dutch_with_422(app, client, wereld, body, velden):
    response = client.post("/api/v1/knelpunten", json=body, headers=_kop(_token(wereld)))
    assert response.status_code == 422, response.get_json()
    data = response.get_json()
    assert set(data["velden"]) == velden
    assert data["fout"].startswith("Het signaal is niet opgeslagen.")
    assert _api_knelpunten() == []


def test_another_gemeentes_team_is_refused_like_an_unknown_one(app, client, wereld):
    token = _token(wereld)
    per_id = _melden(client, token, team=wereld.team_x.id).get_json()
    per_naam = _melden(client, token, team="Wijkteam X").get_json()
    onbekend = _melden(client, token, team=999999).get_json()
    assert per_id["velden"]["team"] == per_naam["velden"]["team"] == onbekend["velden"]["team"]
    assert "Anderstad" not in json.dumps(per_id)
    assert _api_knelpunten() == []


@pytest.mark.parametrize(
    ("ruw", "soort"),
    [
        (b"geen json", "application/json"),
        (b"[1, 2]", "application/json"),
        (b'"tekst"', "application/json"),
        (b'{"tekst": "x"}', "text/plain"),
        (b"[" * 5000 + b"]" * 5000, "application/json"),
        (b'{"tekst": "' + b"x" * 70000 + b'"}', "application/json"),
    ],
)
def test_a_body_that_is_no_json_object_is_400(app, client, wereld, ruw, soort):
    response = client.post("/api/v1/knelpunten", data=ruw, content_type=soort, headers=_kop(_token(wereld)))
    assert response.status_code == 400 and response.is_json and response.get_json()["fout"]


def test_401_without_a_token_with_a_bad_one_and_with_a_revoked_one(app, client, wereld):
    body = {"tekst": TEKST, "domein": "Wmo", "team": wereld.noord.id}
    assert client.post("/api/v1/knelpunten", json=body).status_code == 401
    assert client.post("/api/v1/knelpunten", json=body, headers=_kop("ont_onzin")).status_code == 401
    assert client.post("/api/v1/knelpunten", json=body, headers={"Authorization": "Basic eDp5"}).status_code == 401
    token = _token(wereld)
    rij = db.session.scalar(select(ApiToken).where(ApiToken.scope == tokens.SIGNALEN_SCHRIJVEN))
    tokens.intrekken(wereld.begeleider, rij.id)
    response = client.post("/api/v1/knelpunten", json=body, headers=_kop(token))
    assert response.status_code == 401 and "WWW-Authenticate" in response.headers
    assert _api_knelpunten() == []


@pytest.mark.parametrize("rol", ["begeleider", "beleid", "wethouder", "lid_noord", "beheerder", "begeleider_x"])
def test_a_read_token_is_403_before_the_body_is_read(app, client, wereld, rol):
    _rij, token = tokens.maak(getattr(wereld, rol), "lezen")
    response = client.post(
        "/api/v1/knelpunten", data=b"geen json", content_type="application/json", headers=_kop(token)
    )
    assert response.status_code == 403 and "signalen" in response.get_json()["fout"]
    response = client.post(
        "/api/v1/knelpunten", json={"tekst": TEKST, "domein": "Wmo", "team": wereld.noord.id}, headers=_kop(token)
    )
    assert response.status_code == 403
    assert _api_knelpunten() == []


def test_a_browser_session_cannot_report_through_the_api(app, client, wereld):
    login(client, wereld.begeleider.email)
    response = client.post("/api/v1/knelpunten", json={"tekst": TEKST, "domein": "Wmo", "team": wereld.noord.id})
    assert response.status_code in (400, 403)  # CSRF first; with it, a session is no signalen token
    assert _api_knelpunten() == []


def test_a_signalen_token_reads_nothing(app, client, wereld):
    token = _token(wereld)
    for pad in ("/api/v1/sessies", "/api/v1/acties", f"/api/v1/acties/{wereld.a['a2'].id}", "/api/v1/dashboard"):
        assert client.get(pad, headers=_kop(token)).status_code == 403, pad
    response = client.post(
        f"/api/v1/acties/{wereld.a['a3'].id}/status", json={"status": "afgerond"}, headers=_kop(token)
    )
    assert response.status_code == 403


def test_a_token_of_gemeente_a_cannot_write_to_a_team_of_b(app, client, wereld):
    token_x = _token(wereld, wereld.begeleider_x, wereld.andere)
    response = _melden(client, token_x, team=wereld.noord.id)
    assert response.status_code == 422 and "team" in response.get_json()["velden"]
    assert _melden(client, token_x, team=wereld.team_x.id).status_code == 201
    [knelpunt] = _api_knelpunten()
    assert knelpunt.sessie.gemeente_id == wereld.andere.id


def test_a_token_stops_when_its_maker_may_no_longer_report_for_the_gemeente(app, client, wereld):
    token = _token(wereld)
    wereld.begeleider.gemeente_id = wereld.andere.id
    db.session.commit()
    response = _melden(client, token, team=wereld.noord.id)
    assert response.status_code == 403
    assert _api_knelpunten() == []


@pytest.mark.parametrize(
    ("rol", "gemeente", "mag"),
    [
        ("begeleider", "gemeente", True),
        ("beheerder", "gemeente", True),
        ("beheerder", "andere", True),
        ("begeleider", "andere", False),
        ("beleid", "gemeente", False),
        ("wethouder", "gemeente", False),
        ("lid_noord", "gemeente", False),
        ("begeleider_x", "gemeente", False),
    ],
)
def test_who_may_make_a_signalen_token(app, wereld, rol, gemeente, mag):
    user, gemeente_id = getattr(wereld, rol), getattr(wereld, gemeente).id
    if mag:
        rij, _token_tekst = tokens.maak(user, "Systeem", scope=tokens.SIGNALEN_SCHRIJVEN, gemeente_id=gemeente_id)
        assert (rij.scope, rij.gemeente_id) == (tokens.SIGNALEN_SCHRIJVEN, gemeente_id)
    else:
        with pytest.raises(Ongeldig):
            tokens.maak(user, "Systeem", scope=tokens.SIGNALEN_SCHRIJVEN, gemeente_id=gemeente_id)
        assert db.session.scalar(select(func.count()).select_from(ApiToken)) == 0


def test_the_token_page_makes_a_signalen_token_shown_once(app, client, wereld):
    login(client, wereld.begeleider.email)
    pagina = client.get("/account/tokens").get_data(as_text=True)
    assert "Signalen melden" in pagina
    response = post(client, "/account/tokens", {"naam": "Zaaksysteem", "scope": tokens.SIGNALEN_SCHRIJVEN})
    assert response.status_code == 200
    rij = db.session.scalar(select(ApiToken))
    assert (rij.scope, rij.gemeente_id) == (tokens.SIGNALEN_SCHRIJVEN, wereld.gemeente.id)
    html = response.get_data(as_text=True)
    assert "Kopieer het nu" in html and "signalen melden voor Vechtstede" in html
    # A made-up scope or another gemeente: a message next to the field, nothing stored.
    response = post(client, "/account/tokens", {"naam": "X", "scope": "alles"})
    assert response.status_code == 400 and "Kies wat het token mag" in response.get_data(as_text=True)
    response = post(
        client, "/account/tokens", {"naam": "X", "scope": tokens.SIGNALEN_SCHRIJVEN, "gemeente": str(wereld.andere.id)}
    )
    assert response.status_code == 400 and "Alleen een begeleider of beheerder" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(ApiToken)) == 1


def test_a_wijkteamlid_sees_no_scope_choice_and_makes_a_read_token(app, client, wereld):
    login(client, wereld.lid_noord.email)
    assert "Signalen melden" not in client.get("/account/tokens").get_data(as_text=True)
    response = post(client, "/account/tokens", {"naam": "Script", "scope": tokens.SIGNALEN_SCHRIJVEN})
    assert response.status_code == 200
    assert db.session.scalar(select(ApiToken)).scope == tokens.LEZEN


def test_reports_are_rate_limited_per_token(database_url, wereld):
    app = make_app(database_url, RATELIMIT_ENABLED=True, API_SIGNALEN_LIMIT="2 per minute")
    with app.app_context():
        token = _token(wereld)
        client = app.test_client()
        for _ in range(2):
            assert _melden(client, token, team="Wijkteam Noord").status_code == 201
        response = _melden(client, token, team="Wijkteam Noord")
        assert response.status_code == 429
        assert int(response.headers["Retry-After"]) >= 1 and "Te veel" in response.get_json()["fout"]
        assert len(_api_knelpunten()) == 2
        # Another token has its own count.
        assert _melden(client, _token(wereld), team="Wijkteam Noord").status_code == 201
