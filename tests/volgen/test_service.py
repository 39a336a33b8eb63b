"""Issuing volglinks: once per request, the same link for a retry, only a hash stored, and the
token only in the poster's own answer: not in the database, an event, a socket message or a log.
Runs against SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
import logging
import uuid

from sqlalchemy import func, select

from facilitatie.extensions import db
from facilitatie.knelpunten.models import Knelpunt
from facilitatie.sessies.models import SessieEvent
from facilitatie.volgen import regels, service
from facilitatie.volgen.models import Volglink
from tests.conftest import csrf_token, post
from tests.knelpunten.helpers import HX, Live, deelnemer_client, dien_in, leider_client, naar_fase
from tests.knelpunten.test_gelijktijdig import parallel
from tests.knelpunten.test_realtime import connect, ontvangen, volg
from tests.volgen.helpers import post_met_link, volglink_in


def _sessie(app, factory) -> Live:
    gemeente = factory.gemeente("Vechtstede")
    begeleider = factory.user("begeleider", gemeente=gemeente)
    sessie = Live(factory.sessie(begeleider))
    naar_fase(leider_client(app, begeleider), sessie, "knelpunten")
    return sessie


def _aantal_volglinks() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count(Volglink.id))) or 0


def test_uitgeven_is_idempotent_per_request_and_stores_only_the_hash(app, factory):
    sessie = _sessie(app, factory)
    dien_in(deelnemer_client(app, sessie.code), sessie.code, "Een knelpunt zonder link uit de service.")
    knelpunt = db.session.scalars(select(Knelpunt)).one()
    volglinks_voor = _aantal_volglinks()
    rid = uuid.uuid4().hex
    with app.test_request_context("/"):
        eerste = service.uitgeven(knelpunt, rid)
        tweede = service.uitgeven(knelpunt, rid)
        ander = service.uitgeven(knelpunt, uuid.uuid4().hex)
        los_1, los_2 = service.uitgeven(knelpunt, None), service.uitgeven(knelpunt, "te kort")
    assert eerste == tweede and regels.is_plausibel(eerste)
    assert len({eerste, ander, los_1, los_2}) == 4  # no request id: a random token each time
    assert _aantal_volglinks() == volglinks_voor + 4
    rijen = db.session.scalars(select(Volglink).where(Volglink.token_hash == regels.hash_van(eerste))).all()
    assert [r.knelpunt_id for r in rijen] == [knelpunt.id]
    assert set(Volglink.__table__.columns.keys()) == {"id", "knelpunt_id", "token_hash", "aangemaakt_op"}
    # The token itself is nowhere in the database.
    for table in db.metadata.sorted_tables:
        for rij in db.session.execute(select(table)).all():
            assert eerste not in json.dumps([str(v) for v in rij]), table.name


def test_a_retried_post_shows_the_same_link_and_mints_no_second_one(app, factory):
    sessie = _sessie(app, factory)
    auteur = deelnemer_client(app, sessie.code)
    rid = uuid.uuid4().hex
    tekst = "De indicatie moet elk jaar opnieuw, ook als niets veranderde."
    _, pad, _token = post_met_link(auteur, sessie.code, tekst, rid=rid, anoniem="1")
    # The answer got lost (no connection): verzenden.js sends the same request id again, with
    # htmx or, after a reload without JavaScript, as a plain form.
    _, pad_htmx, _ = post_met_link(auteur, sessie.code, tekst, rid=rid, anoniem="1")
    _, pad_plat, _ = post_met_link(auteur, sessie.code, tekst, rid=rid, anoniem="1", htmx=False)
    assert pad == pad_htmx == pad_plat
    db.session.expire_all()
    assert db.session.scalar(select(func.count(Knelpunt.id))) == 1
    assert _aantal_volglinks() == 1
    assert auteur.get(pad).status_code == 200


def test_two_simultaneous_attempts_of_one_request_store_one_volglink(app, factory):
    sessie = _sessie(app, factory)
    auteur = deelnemer_client(app, sessie.code)
    rid = uuid.uuid4().hex
    tekst = "Twee keer tegelijk verstuurd door een haperende verbinding."
    csrf_token(auteur, f"/s/{sessie.code}")  # the session has its token before the race

    def versturen() -> str:
        return dien_in(auteur, sessie.code, tekst, headers=HX, client_request_id=rid).get_data(as_text=True)

    antwoorden = parallel([versturen, versturen])
    assert all(isinstance(a, str) for a in antwoorden), antwoorden
    assert len({volglink_in(a) for a in antwoorden}) == 1
    assert _aantal_volglinks() == 1


def test_the_token_reaches_only_the_posters_answer(app, factory, caplog):
    sessie = _sessie(app, factory)
    kijker = connect(app, deelnemer_client(app, sessie.code))
    auteur_client = deelnemer_client(app, sessie.code, naam="Auteur Zeldzaam")
    auteur = connect(app, auteur_client)
    for sock in (kijker, auteur):
        assert volg(sock, sessie.code, sessie.laatste_seq())["ok"]
        ontvangen(sock)
    with caplog.at_level(logging.DEBUG):
        response, pad, token = post_met_link(auteur_client, sessie.code, "Een knelpunt dat iedereen live ziet.")
        assert auteur_client.get(pad).status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    berichten = json.dumps(ontvangen(kijker) + ontvangen(auteur))
    assert "knelpunt.toegevoegd" in berichten and token not in berichten and "/volg/" not in berichten
    db.session.expire_all()
    for event in db.session.scalars(select(SessieEvent)):
        assert token not in json.dumps(event.payload, default=str)
    for record in caplog.records:
        assert token not in f"{record.getMessage()} {record.args!r} {record.__dict__}", record.name


def test_no_volglink_when_the_post_is_refused(app, factory):
    sessie = _sessie(app, factory)
    auteur = deelnemer_client(app, sessie.code)
    response = dien_in(auteur, sessie.code, "", headers=HX)
    assert response.status_code == 400 and "/volg/" not in response.get_data(as_text=True)
    assert _aantal_volglinks() == 0


def test_without_javascript_the_next_page_shows_the_link_once_and_no_cookie_holds_it(app, factory):
    sessie = _sessie(app, factory)
    auteur = deelnemer_client(app, sessie.code)
    rid = uuid.uuid4().hex
    response = dien_in(auteur, sessie.code, "Zonder JavaScript ingediend.", client_request_id=rid, anoniem="1")
    assert response.status_code == 302
    koekjes = response.headers.getlist("Set-Cookie")
    [volg_koekje] = [k for k in koekjes if k.startswith("ontmoet_volglink=")]
    assert rid in volg_koekje and f"Path=/s/{sessie.code}" in volg_koekje and "HttpOnly" in volg_koekje
    pagina = auteur.get(response.headers["Location"])
    html = pagina.get_data(as_text=True)
    assert "Bewaar deze link" in html and "Je knelpunt is ingediend. Bewaar de volglink" in html
    _pad, token = volglink_in(html)
    assert "ontmoet_volglink=;" in " ".join(pagina.headers.getlist("Set-Cookie"))  # shown once: forgotten
    assert "Bewaar deze link" not in auteur.get(response.headers["Location"]).get_data(as_text=True)
    for koekje in (*koekjes, auteur.get_cookie("session", domain="ontmoet.test").value):
        assert token not in koekje
    assert _aantal_volglinks() == 1


def test_a_forged_redirect_cookie_opens_nobody_elses_knelpunt(app, factory):
    sessie = _sessie(app, factory)
    auteur = deelnemer_client(app, sessie.code)
    rid = uuid.uuid4().hex
    dien_in(auteur, sessie.code, "Van iemand anders.", client_request_id=rid, headers=HX)
    ander = deelnemer_client(app, sessie.code)
    ander.set_cookie("ontmoet_volglink", uuid.uuid4().hex, domain="ontmoet.test", path=f"/s/{sessie.code}")
    assert "/volg/" not in ander.get(f"/s/{sessie.code}").get_data(as_text=True)
    assert _aantal_volglinks() == 1


def test_a_post_without_request_id_and_without_javascript_mints_no_link(app, factory):
    sessie = _sessie(app, factory)
    response = dien_in(deelnemer_client(app, sessie.code), sessie.code, "Zonder verzoek-id.", client_request_id="")
    assert response.status_code == 302
    assert _aantal_volglinks() == 0


def test_an_app_without_the_volglink_hook_posts_as_before(app, factory):
    """knelpunten works alone: create_app hands in the volglink, the area does not need it."""
    app.extensions["knelpunten_na_indienen"] = None
    sessie = _sessie(app, factory)
    response = dien_in(deelnemer_client(app, sessie.code), sessie.code, "Zonder volglink.")
    assert response.status_code == 302
    assert _aantal_volglinks() == 0


def test_inbreng_vooraf_gets_a_volglink_too(app, factory):
    gemeente = factory.gemeente()
    begeleider = factory.user("begeleider", gemeente=gemeente)
    sessie = Live(factory.sessie(begeleider, titel="Later", live=False))
    leider = leider_client(app, begeleider)
    instellingen = {"stemmen_per_deelnemer": "3", "max_per_item": "3", "stemmen_op": "thema", "inbreng_open": "1"}
    assert post(leider, f"/s/{sessie.code}/knelpunten/instellingen", instellingen).status_code == 302
    wijkteam = deelnemer_client(app, sessie.code)
    _, pad, _ = post_met_link(wijkteam, sessie.code, "Vooraf ingediend, met volglink.", anoniem="1")
    html = app.test_client().get(pad).get_data(as_text=True)
    assert "Vooraf ingediend, met volglink." in html and "Nog geen besluit" in html
