"""Removed means removed everywhere: withdrawn, hidden, edited and dissolved text leaves the
event log, and a late joiner's replay never carries it (issue 11, item 2). Both databases."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from facilitatie.extensions import db
from facilitatie.knelpunten.models import Knelpunt, Moderatie, Reactie, Thema
from facilitatie.sessies.models import SessieEvent
from tests.conftest import post
from tests.knelpunten.helpers import HX, Live, deelnemer_client, dien_in, leider_client, naar_fase
from tests.knelpunten.test_realtime import connect, ontvangen, volg

GEHEIM = "Mevrouw Zeldenrust op de Kerkstraat"


def _opzet(app, factory):
    gemeente = factory.gemeente("Vechtstede")
    begeleider = factory.user("begeleider", gemeente=gemeente)
    sessie = Live(factory.sessie(begeleider))
    leider = leider_client(app, begeleider)
    naar_fase(leider, sessie, "knelpunten")
    return sessie, leider


def _log(sessie: Live) -> str:
    db.session.expire_all()
    return json.dumps(
        [e.payload for e in db.session.scalars(select(SessieEvent).where(SessieEvent.sessie_id == sessie.id))],
        ensure_ascii=False,
    )


def _late_joiner_hoort(app, sessie: Live) -> tuple[dict, str]:
    sock = connect(app, deelnemer_client(app, sessie.code))
    ack = volg(sock, sessie.code, 0)
    return ack, json.dumps(ontvangen(sock), ensure_ascii=False)


def _knelpunt() -> Knelpunt:
    db.session.expire_all()
    return db.session.scalars(select(Knelpunt).order_by(Knelpunt.id.desc())).first()


def test_a_withdrawn_knelpunt_leaves_no_text_in_the_log_or_the_replay(app, factory):
    sessie, _ = _opzet(app, factory)
    schrijver = deelnemer_client(app, sessie.code)
    dien_in(schrijver, sessie.code, f"{GEHEIM} wacht al maanden.")
    dien_in(schrijver, sessie.code, "Een ander knelpunt blijft staan.")
    assert GEHEIM in _log(sessie)
    eerste = db.session.scalars(select(Knelpunt).order_by(Knelpunt.id)).first()
    assert post(schrijver, f"/s/{sessie.code}/knelpunten/{eerste.id}/intrekken").status_code == 302

    assert GEHEIM not in _log(sessie)
    ack, gehoord = _late_joiner_hoort(app, sessie)
    assert ack["ok"] and ack["herladen"] and ack["seq"] == sessie.laatste_seq()
    assert GEHEIM not in gehoord
    # The page the late joiner loads instead shows what is there now, not what was withdrawn.
    pagina = schrijver.get(f"/s/{sessie.code}").get_data(as_text=True)
    assert GEHEIM not in pagina and "Een ander knelpunt blijft staan." in pagina


def test_a_hidden_knelpunt_keeps_no_text_in_any_table_or_the_log(app, factory):
    sessie, leider = _opzet(app, factory)
    dien_in(deelnemer_client(app, sessie.code), sessie.code, f"{GEHEIM} krijgt geen hulp.")
    knelpunt = _knelpunt()
    assert (
        post(leider, f"/s/{sessie.code}/knelpunten/{knelpunt.id}/verbergen", {"reden": "Herleidbaar"}).status_code
        == 302
    )

    knelpunt = _knelpunt()
    assert knelpunt.verborgen and GEHEIM not in knelpunt.tekst
    assert all(GEHEIM not in m.reden for m in db.session.scalars(select(Moderatie)))
    assert GEHEIM not in _log(sessie)
    assert GEHEIM not in _late_joiner_hoort(app, sessie)[1]


def test_an_edit_takes_the_old_text_out_of_the_log(app, factory):
    sessie, _ = _opzet(app, factory)
    schrijver = deelnemer_client(app, sessie.code)
    dien_in(schrijver, sessie.code, f"{GEHEIM} is het voorbeeld.")
    knelpunt = _knelpunt()
    response = post(
        schrijver,
        f"/s/{sessie.code}/knelpunten/{knelpunt.id}/bewerken",
        {"tekst": "Een inwoner wacht al maanden.", "domein": "Wmo"},
    )
    assert response.status_code == 302
    log = _log(sessie)
    assert GEHEIM not in log and "Een inwoner wacht al maanden." in log


def test_a_hidden_reactie_and_a_dissolved_thema_leave_the_log(app, factory):
    sessie, leider = _opzet(app, factory)
    schrijver = deelnemer_client(app, sessie.code)
    dien_in(schrijver, sessie.code, "De herindicatie duurt acht weken.")
    naar_fase(leider, sessie, "bundelen")
    assert post(leider, f"/s/{sessie.code}/themas", {"naam": "Thema Zeldenrust"}).status_code == 302
    thema = db.session.scalars(select(Thema)).one()
    assert post(leider, f"/s/{sessie.code}/themas/{thema.id}/opheffen").status_code == 302
    assert "Thema Zeldenrust" not in _log(sessie)

    naar_fase(leider, sessie, "dialoog")
    knelpunt = _knelpunt()
    post(leider, f"/s/{sessie.code}/dialoog/scherm", {"soort": "knelpunt", "item": knelpunt.id})
    reageren = {"soort": "knelpunt", "item": knelpunt.id, "tekst": f"{GEHEIM} belde gisteren."}
    assert post(schrijver, f"/s/{sessie.code}/reacties", reageren).status_code == 302
    assert GEHEIM in _log(sessie)
    reactie = db.session.scalars(select(Reactie)).one()
    assert post(leider, f"/s/{sessie.code}/reacties/{reactie.id}/verbergen", {"reden": "Naam"}).status_code == 302
    db.session.expire_all()
    assert GEHEIM not in _log(sessie) and GEHEIM not in db.session.get(Reactie, reactie.id).tekst


@pytest.mark.parametrize("sinds", [10**30, -(10**30), None, "x", 1.5, float("inf"), [1], {"a": 1}])
def test_volg_answers_every_odd_sinds(app, factory, sinds):
    sessie, _ = _opzet(app, factory)
    sock = connect(app, deelnemer_client(app, sessie.code))
    ack = sock.emit("volg", {"code": sessie.code, "sinds": sinds}, callback=True)
    assert isinstance(ack, dict) and "ok" in ack
    assert ack["ok"] or ack["fout"]


def test_htmx_withdraw_answers_the_authors_list_without_the_text(app, factory):
    sessie, _ = _opzet(app, factory)
    schrijver = deelnemer_client(app, sessie.code)
    dien_in(schrijver, sessie.code, f"{GEHEIM} als voorbeeld.")
    knelpunt = _knelpunt()
    response = post(schrijver, f"/s/{sessie.code}/knelpunten/{knelpunt.id}/intrekken", headers=HX)
    assert response.status_code == 200 and GEHEIM not in response.get_data(as_text=True)


def test_a_possible_bsn_in_a_field_without_toch_is_refused(app, factory):
    """A reden or timer label has no 'Toch …' button: a number that may be a BSN is refused there."""
    sessie, leider = _opzet(app, factory)
    dien_in(deelnemer_client(app, sessie.code), sessie.code, "De herindicatie duurt acht weken.")
    knelpunt = _knelpunt()
    antwoord = post(leider, f"/s/{sessie.code}/knelpunten/{knelpunt.id}/verbergen", {"reden": "dossier 123456782"})
    assert antwoord.status_code == 400 and "burgerservicenummer" in antwoord.get_data(as_text=True)
    assert not _knelpunt().verborgen
    timer = post(leider, f"/s/{sessie.code}/timer", {"actie": "start", "minuten": "5", "label": "zaak 123456782"})
    assert timer.status_code == 400 and "burgerservicenummer" in timer.get_data(as_text=True)


def test_a_refused_post_without_javascript_says_fout_in_the_title(app, factory):
    """Issue 18, item 5: after a full page load with an error, the title starts with 'Fout:'."""
    sessie, _ = _opzet(app, factory)
    schrijver = deelnemer_client(app, sessie.code)
    antwoord = dien_in(schrijver, sessie.code, "   ")
    html = antwoord.get_data(as_text=True)
    assert antwoord.status_code == 400 and "<title>Fout: " in html
    assert "<title>Fout: " not in schrijver.get(f"/s/{sessie.code}").get_data(as_text=True)
