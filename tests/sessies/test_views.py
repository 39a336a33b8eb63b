"""Creating sessies, joining with a code, moving through fasen, and every denial."""

from __future__ import annotations

import pytest

from facilitatie.extensions import db
from facilitatie.sessies.lezen import vormen
from facilitatie.sessies.models import Deelnemer, Sessie, SessieEvent
from tests.conftest import csrf_token, join, login, make_app, post


@pytest.fixture
def gemeente(factory):
    return factory.gemeente("Vechtstede")


@pytest.fixture
def begeleider(factory, gemeente):
    return factory.user("begeleider", gemeente=gemeente)


def test_begeleider_creates_sessie_from_a_vorm(client, begeleider, factory, gemeente):
    team = factory.team(gemeente, "Wijkteam Noord")
    login(client, begeleider.email)
    page = client.get("/sessies/nieuw").get_data(as_text=True)
    assert "Ontmoeten en ont-moeten" in page and "Leerkring" in page and "Bekijk de fasen" in page
    response = post(
        client, "/sessies/nieuw", {"titel": "Ontmoeting jeugd", "sessievorm": "leerkring", "teams": [team.id]}
    )
    assert response.status_code == 302
    sessie = db.session.query(Sessie).one()
    assert sessie.status == "concept" and sessie.teams == [team] and len(sessie.deelnamecode) == 6
    detail = client.get(f"/sessies/{sessie.id}").get_data(as_text=True)
    assert sessie.deelnamecode[:3] in detail and "Sessie starten" in detail
    qr = client.get(f"/sessies/{sessie.id}/qr.svg")
    assert qr.mimetype == "image/svg+xml" and b"<svg" in qr.data
    # An <img> only draws a standalone SVG: without the namespace the QR code stays blank.
    assert b'xmlns="http://www.w3.org/2000/svg"' in qr.data


def test_new_sessie_bad_input(client, begeleider):
    login(client, begeleider.email)
    cases = [
        ({"titel": "", "sessievorm": "leerkring"}, "Geef de sessie een titel"),
        ({"titel": "x" * 201, "sessievorm": "leerkring"}, "hoogstens 200"),
        ({"titel": "Goed", "sessievorm": "bestaat-niet"}, "Kies een sessievorm"),
        ({"titel": "Goed", "sessievorm": "leerkring", "teams": ["999"]}, "Kies alleen wijkteams"),
        ({"titel": "Goed", "sessievorm": "leerkring", "teams": ["abc"]}, "Kies alleen wijkteams"),
    ]
    for data, message in cases:
        response = post(client, "/sessies/nieuw", data)
        assert response.status_code == 400, data
        assert message in response.get_data(as_text=True), data
    assert db.session.query(Sessie).count() == 0


def test_wijkteamlid_cannot_create_a_sessie(client, factory, gemeente):
    lid = factory.user("wijkteamlid", gemeente=gemeente)
    login(client, lid.email)
    assert client.get("/sessies/nieuw").status_code == 403
    assert post(client, "/sessies/nieuw", {"titel": "X", "sessievorm": "leerkring"}).status_code == 403
    assert db.session.query(Sessie).count() == 0


def test_join_fase_moves_and_close(client, app, begeleider, factory):
    sessie = factory.sessie(begeleider, live=False)
    login(client, begeleider.email)
    assert post(client, f"/sessies/{sessie.id}/starten").status_code == 302
    deelnemer = app.test_client()
    response = join(deelnemer, sessie.deelnamecode.lower(), naam="Sanne", perspectief="uitvoering")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/s/{sessie.deelnamecode}")
    page = deelnemer.get(f"/s/{sessie.deelnamecode}").get_data(as_text=True)
    assert "Welkom" in page or "welkom" in page
    post(client, f"/sessies/{sessie.id}/volgende")
    db.session.refresh(sessie)
    assert sessie.fase_index == 1
    page = deelnemer.get(f"/s/{sessie.deelnamecode}").get_data(as_text=True)
    assert "Fase 2 van" in page
    post(client, f"/sessies/{sessie.id}/vorige")
    db.session.refresh(sessie)
    assert sessie.fase_index == 0
    post(client, f"/sessies/{sessie.id}/afsluiten")
    db.session.refresh(sessie)
    assert sessie.status == "afgesloten"
    late = join(app.test_client(), sessie.deelnamecode)
    assert late.status_code == 400 and "afgesloten" in late.get_data(as_text=True)
    types = [e.type for e in db.session.query(SessieEvent).filter_by(sessie_id=sessie.id).order_by(SessieEvent.seq)]
    assert types == ["sessie.gestart", "fase.gewijzigd", "fase.gewijzigd", "sessie.afgesloten"]  # a join is no event
    seqs = [e.seq for e in db.session.query(SessieEvent).filter_by(sessie_id=sessie.id).order_by(SessieEvent.seq)]
    assert seqs == [1, 2, 3, 4]


def test_htmx_fase_move_returns_the_controls_fragment(client, begeleider, factory):
    sessie = factory.sessie(begeleider)
    login(client, begeleider.email)
    response = post(client, f"/sessies/{sessie.id}/volgende", headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and html.lstrip().startswith("{#") is False and 'id="bediening"' in html


def test_last_fase_cannot_go_further(client, begeleider, factory):
    sessie = factory.sessie(begeleider, vorm="leerkring")
    login(client, begeleider.email)
    for _ in range(20):
        post(client, f"/sessies/{sessie.id}/volgende")
    db.session.refresh(sessie)
    assert sessie.fase_index == len(vormen()["leerkring"].fasen) - 1
    response = post(client, f"/sessies/{sessie.id}/volgende", headers={"HX-Request": "true"})
    assert response.status_code == 409 and "laatste fase" in response.get_data(as_text=True)


def test_join_with_account_links_user_and_takes_perspective(client, app, begeleider, factory, gemeente):
    sessie = factory.sessie(begeleider)
    beleid = factory.user("beleidsmedewerker", gemeente=gemeente, naam="Fatima")
    login(client, beleid.email)
    join(client, sessie.deelnamecode, perspectief="uitvoering")
    deelnemer = db.session.query(Deelnemer).one()
    assert deelnemer.user_id == beleid.id and deelnemer.perspectief == "beleid" and deelnemer.naam == "Fatima"


def test_join_bad_input_is_a_dutch_4xx(client, app, begeleider, factory):
    sessie = factory.sessie(begeleider)
    cases = [
        ({"code": ""}, "Vul de deelnamecode in"),
        ({"code": "YYYYYY"}, "geen sessie met deze deelnamecode"),
        ({"code": "abc"}, "Deze deelnamecode bestaat niet"),
        ({"code": "x" * 500}, "6 tekens"),
        ({"code": sessie.deelnamecode, "naam": "n" * 81}, "hoogstens 80"),
        ({"code": sessie.deelnamecode, "perspectief": "koning"}, "Kies je perspectief"),
    ]
    for data, message in cases:
        response = post(app.test_client(), "/deelnemen", {"perspectief": "uitvoering", **data})
        assert response.status_code == 400, data
        assert message in response.get_data(as_text=True), data
    assert db.session.query(Deelnemer).count() == 0


def test_name_required_when_the_sessie_says_so(client, app, begeleider, factory):
    sessie = factory.sessie(begeleider)
    sessie.naam_verplicht = True
    db.session.commit()
    response = join(client, sessie.deelnamecode, naam="")
    assert response.status_code == 400 and "vul je je naam in" in response.get_data(as_text=True)


def test_concept_sessie_cannot_be_joined_yet(client, begeleider, factory):
    sessie = factory.sessie(begeleider, live=False)
    response = join(client, sessie.deelnamecode)
    assert response.status_code == 400 and "nog niet gestart" in response.get_data(as_text=True)


def test_deelnemer_cannot_move_a_fase(client, app, begeleider, factory):
    sessie = factory.sessie(begeleider)
    join(client, sessie.deelnamecode)
    response = post(client, f"/sessies/{sessie.id}/volgende")
    assert response.status_code in (302, 401, 403)
    assert response.status_code != 302 or "/inloggen" in response.headers["Location"]
    db.session.refresh(sessie)
    assert sessie.fase_index == 0


def test_signed_in_non_leader_cannot_move_a_fase(client, begeleider, factory, gemeente):
    sessie = factory.sessie(begeleider)
    other = factory.user("begeleider", gemeente=gemeente)
    login(client, other.email)
    for actie in ("volgende", "vorige", "afsluiten"):
        assert post(client, f"/sessies/{sessie.id}/{actie}").status_code == 403
    assert post(client, f"/sessies/{sessie.id}/fase/3").status_code == 403
    db.session.refresh(sessie)
    assert sessie.fase_index == 0 and sessie.status == "live"


def test_wijkteamlid_signed_in_cannot_move_a_fase(client, begeleider, factory, gemeente):
    sessie = factory.sessie(begeleider)
    lid = factory.user("wijkteamlid", gemeente=gemeente)
    login(client, lid.email)
    assert post(client, f"/sessies/{sessie.id}/volgende").status_code == 403


def test_begeleider_of_other_gemeente_cannot_see_sessie(client, begeleider, factory):
    sessie = factory.sessie(begeleider)
    other = factory.user("begeleider", gemeente=factory.gemeente("Elders"))
    login(client, other.email)
    assert client.get(f"/sessies/{sessie.id}").status_code == 403
    assert client.get(f"/sessies/{sessie.id}/qr.svg").status_code == 403
    assert client.get("/sessies/999999").status_code == 404


def test_deelnemer_cannot_open_another_sessies_page(client, app, begeleider, factory):
    mine = factory.sessie(begeleider, titel="Mijn sessie")
    other = factory.sessie(begeleider, titel="Andere sessie")
    join(client, mine.deelnamecode)
    assert client.get(f"/s/{mine.deelnamecode}").status_code == 200
    response = client.get(f"/s/{other.deelnamecode}")
    assert response.status_code == 302 and "/deelnemen" in response.headers["Location"]
    assert "Andere sessie" not in client.get(f"/s/{other.deelnamecode}", follow_redirects=True).get_data(as_text=True)
    assert client.get(f"/sessies/{mine.id}").status_code == 302  # not signed in: to sign-in page
    onbekend = client.get("/s/NIETS", follow_redirects=True)
    assert onbekend.status_code == 404 and "Deze deelnamecode bestaat niet" in onbekend.get_data(as_text=True)


def test_joining_twice_from_one_browser_keeps_one_deelnemer(client, begeleider, factory):
    sessie = factory.sessie(begeleider)
    join(client, sessie.deelnamecode)
    join(client, sessie.deelnamecode)
    assert db.session.query(Deelnemer).count() == 1


def test_failed_joins_are_rate_limited_per_client(database_url, factory):
    app = make_app(database_url, RATELIMIT_ENABLED=True, JOIN_LIMIT="5 per minute")
    client = app.test_client()
    with app.app_context():
        statuses = [join(client, "YYYYYY").status_code for _ in range(7)]
    assert statuses[:5] == [400] * 5
    assert statuses[5] == 429 and statuses[6] == 429


def test_codes_unique_among_open_sessies(app, begeleider, factory):
    first = factory.sessie(begeleider)
    second = factory.sessie(begeleider)
    assert first.deelnamecode != second.deelnamecode
    second.deelnamecode = first.deelnamecode
    with pytest.raises(Exception):  # noqa: B017 - the database refuses, whichever dialect's error
        db.session.commit()
    db.session.rollback()


def test_broadcast_fragments_carry_no_csrf_token(client, begeleider, factory):
    """A fragment goes to every socket in the room; a token in it would be someone else's."""
    sessie = factory.sessie(begeleider)
    login(client, begeleider.email)
    post(client, f"/sessies/{sessie.id}/volgende")
    entry = db.session.query(SessieEvent).filter_by(sessie_id=sessie.id).order_by(SessieEvent.seq.desc()).first()
    for fragmenten in entry.payload["fragmenten"].values():
        for fragment in fragmenten:
            assert 'name="csrf_token" value=""' in fragment["html"] or "csrf_token" not in fragment["html"]


def test_a_join_writes_in_one_transaction_and_reads_nothing_after_its_commit(
    client, app, begeleider, factory, monkeypatch
):
    """After the commit the view used the expired row: a second writing transaction (on SQLite
    BEGIN IMMEDIATE and the process's writer lock) held open while the response was written, so
    every other join of a wave waited behind it."""
    from sqlalchemy import event

    from facilitatie.extensions import socketio

    gepland: list[tuple] = []  # the begeleider's refresh runs later, in a background task
    monkeypatch.setitem(app.config, "AANWEZIGHEID_BUNDEL_SECONDEN", 1)
    monkeypatch.setattr(socketio, "start_background_task", lambda *args: gepland.append(args))
    sessie = factory.sessie(begeleider)
    code = sessie.deelnamecode
    token = csrf_token(client, f"/deelnemen?code={code}")
    statements: list[str] = []
    opnemen = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", opnemen)
    try:
        response = client.post(
            "/deelnemen", data={"csrf_token": token, "code": code, "naam": "", "perspectief": "uitvoering"}
        )
    finally:
        event.remove(db.engine, "before_cursor_execute", opnemen)
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/s/{code}")
    na_insert = statements[[s.startswith("INSERT INTO deelnemer") for s in statements].index(True) + 1 :]
    assert na_insert == [], f"queries after the join's commit: {na_insert}"
    assert len(gepland) == 1  # and the begeleider's numbers follow, batched
    assert client.get(f"/s/{code}").status_code == 200  # the cookie names the new deelnemer


def _laatste_fragmenten(sessie) -> dict[str, str]:
    db.session.expire_all()
    entry = db.session.query(SessieEvent).filter_by(sessie_id=sessie.id).order_by(SessieEvent.seq.desc()).first()
    return {f["doel"]: f["html"] for lijst in entry.payload["fragmenten"].values() for f in lijst}


def test_starting_updates_the_stale_nobody_joined_words(client, begeleider, factory):
    """Issue 14 item 6: 'Deelnemen kan zodra je de sessie start' stayed after the start."""
    sessie = factory.sessie(begeleider, live=False)
    login(client, begeleider.email)
    assert "zodra je de sessie start" in client.get(f"/sessies/{sessie.id}").get_data(as_text=True)
    post(client, f"/sessies/{sessie.id}/starten", headers={"HX-Request": "true"})
    deelnemers = _laatste_fragmenten(sessie)["#deelnemers"]
    assert "zodra je de sessie start" not in deelnemers and "met de deelnamecode" in deelnemers


def test_closing_takes_the_code_and_qr_off_the_begeleiders_screen(client, begeleider, factory):
    """Issue 14 item 6: code and QR still invited people after the sessie was closed."""
    sessie = factory.sessie(begeleider)
    login(client, begeleider.email)
    assert 'id="uitnodiging"' in client.get(f"/sessies/{sessie.id}").get_data(as_text=True)
    post(client, f"/sessies/{sessie.id}/afsluiten", headers={"HX-Request": "true"})
    fragmenten = _laatste_fragmenten(sessie)
    assert "werkt niet meer" in fragmenten["#uitnodiging"] and sessie.deelnamecode not in fragmenten["#uitnodiging"]
    assert "Niemand deed mee" in fragmenten["#deelnemers"]


def test_a_wrong_code_is_refused_at_step_one_next_to_the_code_field(client, begeleider, factory):
    """Issue 14 item 6: a wrong deelnamecode was only refused after step 2; /s/<wrong> was a bare 404."""
    response = client.get("/deelnemen?code=ZZZZZZ")
    html = response.get_data(as_text=True)
    assert response.status_code == 404
    assert 'id="code-fout"' in html and ("bestaat niet" in html or "geen sessie met deze deelnamecode" in html)
    gesloten = factory.sessie(begeleider)
    gesloten.status = "afgesloten"
    db.session.commit()
    response = client.get(f"/s/{gesloten.deelnamecode}")
    assert response.status_code in (302, 403)
    html = client.get(f"/deelnemen?code={gesloten.deelnamecode}").get_data(as_text=True)
    assert "Deze sessie is afgesloten" in html
    live = factory.sessie(begeleider)
    assert client.get(f"/deelnemen?code={live.deelnamecode}").status_code == 200
    typo = client.get("/s/ZZZZZZ", follow_redirects=True)
    assert typo.status_code == 404 and 'id="code-fout"' in typo.get_data(as_text=True)


def test_once_under_way_the_controls_come_before_joining(client, begeleider, factory):
    """Issue 14 item 1: on a laptop the begeleider's first screen was the code and QR, not the fasen."""
    sessie = factory.sessie(begeleider)
    login(client, begeleider.email)
    page = client.get(f"/sessies/{sessie.id}").get_data(as_text=True)
    assert page.index('id="deelname-kop"') < page.index('id="bediening-kop"')  # joining first
    post(client, f"/sessies/{sessie.id}/fase/1")
    page = client.get(f"/sessies/{sessie.id}").get_data(as_text=True)
    assert page.index('id="bediening-kop"') < page.index('id="deelname-kop"')
    assert sessie.deelnamecode[:3] in page  # still there, below the controls


def test_a_code_leads_to_its_open_sessie_through_the_index_and_an_afgesloten_one_still_answers(
    app, client, begeleider, factory
):
    """Four lookups per join: by the partial unique index, with no bound status (SQLite then
    prepared the statement again on every run, and scanned every sessie ever held)."""
    from sqlalchemy import text

    from facilitatie.sessies import service
    from facilitatie.sessies.deelname import _MET_CODE_OPEN, sessie_met_code

    oud = factory.sessie(begeleider)
    service.afsluiten(oud, begeleider)
    db.session.commit()
    assert sessie_met_code(oud.deelnamecode).id == oud.id  # an afgesloten sessie still answers its code
    nieuw = factory.sessie(begeleider)
    nieuw.deelnamecode = oud.deelnamecode  # codes are reused once a sessie is afgesloten
    db.session.commit()
    assert sessie_met_code(oud.deelnamecode.lower()).id == nieuw.id

    if db.engine.dialect.name == "sqlite":
        sql = str(_MET_CODE_OPEN.compile(db.engine))
        assert sql.count("?") == 1, sql  # only the code is bound
        plan = db.session.execute(text("EXPLAIN QUERY PLAN " + sql.replace("?", ":code")), {"code": "X"}).all()
        assert any("uq_sessie_open_deelnamecode" in str(rij) for rij in plan), plan


def test_a_deelnemer_page_does_not_send_the_session_cookie_again(client, begeleider, factory):
    """The signed cookie goes out when the session changed (the join), not re-signed on every page."""
    sessie = factory.sessie(begeleider)
    joined = join(client, sessie.deelnamecode)
    assert "session=" in joined.headers.get("Set-Cookie", "")
    pagina = client.get(f"/s/{sessie.deelnamecode}")
    assert pagina.status_code == 200
    assert not any(c.startswith("session=") for c in pagina.headers.getlist("Set-Cookie"))
