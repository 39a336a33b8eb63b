"""Knelpunten over HTTP: posting, privacy guard, retry, reveal, bundelen, stemmen, dialoog,
moderation, timer, inbreng vooraf, and every denial. Runs against SQLite and PostgreSQL."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select

from facilitatie.extensions import db
from facilitatie.knelpunten.models import Knelpunt, KnelpuntInstellingen, Moderatie, Reactie, Stem, Thema
from facilitatie.sessies.models import SessieEvent
from tests.conftest import join, post
from tests.knelpunten.helpers import HX, Live, deelnemer_client, dien_in, leider_client, naar_fase

BSN = "111222333"  # passes the 11-proef


@pytest.fixture
def gemeente(factory):
    return factory.gemeente("Vechtstede")


@pytest.fixture
def begeleider(factory, gemeente):
    return factory.user("begeleider", gemeente=gemeente)


@pytest.fixture
def sessie(factory, begeleider) -> Live:
    return Live(factory.sessie(begeleider, titel="Ontmoeting jeugd"))


@pytest.fixture
def leider(app, begeleider):
    return leider_client(app, begeleider)


@pytest.fixture
def knelpunten_fase(leider, sessie):
    naar_fase(leider, sessie, "knelpunten")
    return sessie


def events(sessie: Live, type_: str | None = None) -> list[SessieEvent]:
    db.session.expire_all()
    query = select(SessieEvent).where(SessieEvent.sessie_id == sessie.id).order_by(SessieEvent.seq)
    rows = list(db.session.scalars(query))
    return [e for e in rows if type_ is None or e.type == type_]


# --- posting ----------------------------------------------------------------------------------


def test_deelnemer_posts_a_knelpunt_without_javascript(app, knelpunten_fase):
    sessie = knelpunten_fase
    browser = deelnemer_client(app, sessie.code, naam="Sanne")
    page = browser.get(f"/s/{sessie.code}").get_data(as_text=True)
    assert "Knelpunt indienen" in page and "Anoniem indienen" in page and 'name="client_request_id"' in page
    response = dien_in(browser, sessie.code, "Een **kleine** aanpassing vraagt een nieuwe aanvraag.")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/s/{sessie.code}")
    knelpunt = db.session.scalars(select(Knelpunt)).one()
    assert knelpunt.domein == "Wmo" and knelpunt.deelnemer_id is not None and not knelpunt.anoniem
    page = browser.get(f"/s/{sessie.code}").get_data(as_text=True)
    assert "Je knelpunt is ingediend" in page and "<strong>kleine</strong>" in page and "Jouw knelpunten" in page
    [event] = events(sessie, "knelpunt.toegevoegd")
    assert event.payload["melding"]  # announced to screen readers


def test_htmx_post_returns_a_fresh_form_and_own_posts(app, knelpunten_fase):
    sessie = knelpunten_fase
    browser = deelnemer_client(app, sessie.code)
    rid = uuid.uuid4().hex
    response = dien_in(browser, sessie.code, client_request_id=rid, headers=HX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="knelpunt-indienen"' in html and 'hx-swap-oob="outerHTML"' in html
    assert f'value="{rid}"' not in html  # a new request id for the next post


def test_same_client_request_id_twice_stores_one_knelpunt(app, knelpunten_fase):
    sessie = knelpunten_fase
    browser = deelnemer_client(app, sessie.code)
    rid = uuid.uuid4().hex
    first = dien_in(browser, sessie.code, client_request_id=rid, headers=HX)
    again = dien_in(browser, sessie.code, client_request_id=rid, headers=HX)
    assert first.status_code == again.status_code == 200
    assert db.session.scalar(select(func.count()).select_from(Knelpunt)) == 1
    assert len(events(sessie, "knelpunt.toegevoegd")) == 1
    plain = dien_in(browser, sessie.code, client_request_id=rid)
    assert plain.status_code == 302
    assert db.session.scalar(select(func.count()).select_from(Knelpunt)) == 1


def test_retry_of_an_anonymous_post_hands_out_the_same_secret(app, knelpunten_fase):
    sessie = knelpunten_fase
    browser = deelnemer_client(app, sessie.code)
    rid = uuid.uuid4().hex
    first = dien_in(browser, sessie.code, client_request_id=rid, anoniem="1")
    again = dien_in(app.test_client(), sessie.code, client_request_id=rid, anoniem="1") if False else None
    assert again is None
    cookie1 = first.headers.get("Set-Cookie", "")
    second = dien_in(browser, sessie.code, client_request_id=rid, anoniem="1")
    cookie2 = second.headers.get("Set-Cookie", "")
    assert "ontmoet_anoniem=" in cookie1 and cookie1.split(";")[0] == cookie2.split(";")[0]
    assert db.session.scalar(select(func.count()).select_from(Knelpunt)) == 1


def test_bad_input_is_refused_in_dutch_and_nothing_is_stored(app, knelpunten_fase):
    sessie = knelpunten_fase
    browser = deelnemer_client(app, sessie.code)
    cases = [
        ({"tekst": ""}, "Schrijf je knelpunt op", 400),
        ({"tekst": "x" * 2001}, "hoogstens 2000 tekens", 400),
        ({"domein": "Sport"}, "Kies een domein", 400),
        ({"team": "999999"}, "Kies een wijkteam", 400),
        ({"tekst": f"Cliënt met BSN {BSN} wacht al weken."}, "burgerservicenummer", 400),
        ({"tekst": "Bel de moeder op 06-12345678 terug."}, "Toch indienen", 422),
    ]
    for velden, bericht, status in cases:
        for headers in ({}, HX):
            response = dien_in(browser, sessie.code, **velden, headers=headers)
            html = response.get_data(as_text=True)
            assert response.status_code == status, (velden, html[:300])
            assert bericht in html, velden
    assert db.session.scalar(select(func.count()).select_from(Knelpunt)) == 0


def test_bsn_message_is_next_to_the_field(app, knelpunten_fase):
    sessie = knelpunten_fase
    browser = deelnemer_client(app, sessie.code)
    html = dien_in(browser, sessie.code, f"BSN {BSN}", headers=HX).get_data(as_text=True)
    assert 'id="knelpunt-tekst-fout"' in html and "Knelpunten gaan over regels, niet over cliënten" in html
    assert 'aria-invalid="true"' in html and f"BSN {BSN}" in html  # the text is kept to correct it


def test_warning_can_be_overridden_with_toch_indienen(app, knelpunten_fase):
    sessie = knelpunten_fase
    browser = deelnemer_client(app, sessie.code)
    tekst = "Het loket is alleen bereikbaar via 030-1234567."
    warned = dien_in(browser, sessie.code, tekst, headers=HX)
    html = warned.get_data(as_text=True)
    assert warned.status_code == 422 and "Aanpassen" in html and "Toch indienen" in html
    assert "een telefoonnummer" in html
    ok = dien_in(browser, sessie.code, tekst, bevestigd="1", headers=HX)
    assert ok.status_code == 200
    assert db.session.scalars(select(Knelpunt)).one().tekst == tekst


def test_aanpassen_after_a_warning_gives_the_text_back_and_checks_it_again(app, knelpunten_fase):
    """Issue 14 item 9: after 'Aanpassen' only 'Toch indienen' was left, so the edit went unchecked."""
    sessie = knelpunten_fase
    browser = deelnemer_client(app, sessie.code)
    tekst = "Het loket is alleen bereikbaar via 030-1234567."
    for headers in ({}, HX):
        terug = dien_in(browser, sessie.code, tekst, aanpassen="1", headers=headers)
        html = terug.get_data(as_text=True)
        assert terug.status_code == 200, html[:300]
        assert "Toch indienen" not in html and ">Knelpunt indienen</button>" in html
        veld = html[html.index('id="knelpunt-tekst"') :]
        veld = veld[: veld.index("</textarea>")]
        assert " autofocus" in veld and veld.endswith(">Het loket is alleen bereikbaar via 030-1234567.")
        assert "een telefoonnummer" not in html
    assert db.session.scalar(select(func.count()).select_from(Knelpunt)) == 0
    # The edited text still holds a number: the check runs again and warns again.
    again = dien_in(browser, sessie.code, "Het loket is alleen bereikbaar via 030 1234568.", headers=HX)
    assert again.status_code == 422 and "een telefoonnummer" in again.get_data(as_text=True)
    ok = dien_in(browser, sessie.code, "Het loket is alleen telefonisch bereikbaar.", headers=HX)
    assert ok.status_code == 200
    assert db.session.scalars(select(Knelpunt)).one().tekst == "Het loket is alleen telefonisch bereikbaar."


def test_posting_only_while_the_fase_is_open(app, sessie, leider):
    browser = deelnemer_client(app, sessie.code)  # still in the welkom fase
    response = dien_in(browser, sessie.code)
    assert response.status_code == 400 and "kan nu niet" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Knelpunt)) == 0


def test_non_deelnemer_cannot_post(app, knelpunten_fase, factory, begeleider):
    sessie = knelpunten_fase
    stranger = app.test_client()
    assert dien_in(stranger, sessie.code).status_code == 403
    other = Live(factory.sessie(begeleider, titel="Andere"))
    naar_fase(leider_client(app, begeleider), other, "knelpunten")
    browser = deelnemer_client(app, other.code)
    assert dien_in(browser, sessie.code).status_code == 403
    assert db.session.scalar(select(func.count()).select_from(Knelpunt)) == 0


def test_author_edits_and_withdraws_own_knelpunt_only(app, knelpunten_fase):
    sessie = knelpunten_fase
    author = deelnemer_client(app, sessie.code)
    other = deelnemer_client(app, sessie.code)
    dien_in(author, sessie.code, "Eerste versie.")
    knelpunt = db.session.scalars(select(Knelpunt)).one()
    url = f"/s/{sessie.code}/knelpunten/{knelpunt.id}"
    assert post(other, f"{url}/bewerken", {"tekst": "Gekaapt", "domein": "Wmo"}).status_code == 403
    assert post(other, f"{url}/intrekken").status_code == 403
    response = post(author, f"{url}/bewerken", {"tekst": "Tweede versie.", "domein": "Jeugd"}, headers=HX)
    assert response.status_code == 200 and "Tweede versie." in response.get_data(as_text=True)
    db.session.expire_all()
    assert (knelpunt.tekst, knelpunt.domein) == ("Tweede versie.", "Jeugd")
    assert post(author, f"{url}/intrekken").status_code == 302
    assert db.session.scalar(select(func.count()).select_from(Knelpunt)) == 0
    assert events(sessie)[-1].type == "knelpunt.ingetrokken"


def test_anonymous_author_edits_through_the_browser_secret_only(app, knelpunten_fase):
    sessie = knelpunten_fase
    author = deelnemer_client(app, sessie.code)
    dien_in(author, sessie.code, "Anonieme versie.", anoniem="1")
    knelpunt = db.session.scalars(select(Knelpunt)).one()
    assert knelpunt.deelnemer_id is None and knelpunt.sleutel_hash
    page = author.get(f"/s/{sessie.code}").get_data(as_text=True)
    assert "Jouw knelpunten" in page and "Anonieme versie." in page
    url = f"/s/{sessie.code}/knelpunten/{knelpunt.id}/bewerken"
    # Same deelnemer, but without the secret cookie (another browser of the same person): refused.
    author_cookie = author.get_cookie("ontmoet_anoniem", domain="ontmoet.test")
    assert author_cookie is not None
    author.delete_cookie("ontmoet_anoniem", domain="ontmoet.test")
    assert post(author, url, {"tekst": "Nee", "domein": "Wmo"}).status_code == 403
    author.set_cookie("ontmoet_anoniem", author_cookie.value, domain="ontmoet.test")
    assert post(author, url, {"tekst": "Ja", "domein": "Wmo"}).status_code == 302
    db.session.expire_all()
    assert knelpunt.tekst == "Ja"


# --- reveal, moderation, settings -------------------------------------------------------------


def test_hidden_until_reveal(app, knelpunten_fase, leider, begeleider):
    sessie = knelpunten_fase
    url = f"/s/{sessie.code}/knelpunten/instellingen"
    assert post(leider, url, _instellingen(verborgen_tot_onthulling="1")).status_code == 302
    author = deelnemer_client(app, sessie.code)
    other = deelnemer_client(app, sessie.code)
    dien_in(author, sessie.code, "Verborgen knelpunt over wachttijden.")
    [event] = events(sessie, "knelpunt.toegevoegd")
    deelnemers_html = "".join(f["html"] for f in event.payload["fragmenten"]["deelnemers"])
    assert "wachttijden" not in deelnemers_html and "wacht op onthulling" in deelnemers_html
    assert "wachttijden" in "".join(f["html"] for f in event.payload["fragmenten"]["begeleider"])
    assert "wachttijden" not in other.get(f"/s/{sessie.code}").get_data(as_text=True)
    assert "wachttijden" in author.get(f"/s/{sessie.code}").get_data(as_text=True)
    assert "wachttijden" in leider.get(f"/sessies/{sessie.id}").get_data(as_text=True)
    # Only the begeleider reveals.
    assert post(other, f"/s/{sessie.code}/knelpunten/onthullen").status_code == 403
    assert post(leider, f"/s/{sessie.code}/knelpunten/onthullen").status_code == 302
    assert "wachttijden" in other.get(f"/s/{sessie.code}").get_data(as_text=True)
    assert events(sessie)[-1].type == "knelpunten.onthuld"


def _instellingen(**velden):
    return {"stemmen_per_deelnemer": "3", "max_per_item": "3", "stemmen_op": "thema", **velden}


def test_settings_are_validated_and_only_for_the_begeleider(app, knelpunten_fase, leider):
    sessie = knelpunten_fase
    url = f"/s/{sessie.code}/knelpunten/instellingen"
    response = post(leider, url, _instellingen(stemmen_per_deelnemer="0"), headers=HX)
    assert response.status_code == 400 and "Kies een aantal stemmen" in response.get_data(as_text=True)
    response = post(leider, url, _instellingen(stemmen_op="alles"))
    assert response.status_code == 400 and "op knelpunten gestemd" in response.get_data(as_text=True)
    deelnemer = deelnemer_client(app, sessie.code)
    assert post(deelnemer, url, _instellingen(stemmen_per_deelnemer="99")).status_code == 403
    assert db.session.get(KnelpuntInstellingen, sessie.id) is None
    assert post(leider, url, _instellingen(stemmen_per_deelnemer="7")).status_code == 302
    assert db.session.get(KnelpuntInstellingen, sessie.id).stemmen_per_deelnemer == 7


def test_begeleider_hides_a_knelpunt_with_a_reason(app, knelpunten_fase, leider, begeleider):
    sessie = knelpunten_fase
    author = deelnemer_client(app, sessie.code)
    dien_in(author, sessie.code, "Een ongepaste tekst.")
    knelpunt = db.session.scalars(select(Knelpunt)).one()
    url = f"/s/{sessie.code}/knelpunten/{knelpunt.id}/verbergen"
    assert post(author, url, {"reden": "zelf"}).status_code == 403
    response = post(leider, url, {"reden": ""}, headers=HX)
    assert response.status_code == 400 and "Geef een reden op" in response.get_data(as_text=True)
    assert post(leider, url, {"reden": "Persoonlijke aanval"}).status_code == 302
    db.session.expire_all()
    assert knelpunt.verborgen
    audit = db.session.scalars(select(Moderatie)).one()
    assert (audit.knelpunt_id, audit.door_id, audit.reden) == (knelpunt.id, begeleider.id, "Persoonlijke aanval")
    event = events(sessie)[-1]
    assert event.type == "knelpunt.verborgen"
    weg = {"doel": f"#knelpunt-{knelpunt.id}", "html": "", "wijze": "delete"}
    assert weg in event.payload["fragmenten"]["deelnemers"]
    assert "ongepaste" not in author.get(f"/s/{sessie.code}").get_data(as_text=True)
    page = leider.get(f"/sessies/{sessie.id}").get_data(as_text=True)
    assert "Verborgen door moderatie (1)" in page and "Persoonlijke aanval" in page and begeleider.naam in page


# --- bundelen ---------------------------------------------------------------------------------


def _knelpunten(app, sessie, leider, n=3):
    naar_fase(leider, sessie, "knelpunten")
    browser = deelnemer_client(app, sessie.code)
    for i in range(n):
        dien_in(browser, sessie.code, f"Knelpunt nummer {i + 1}.")
    return browser, list(db.session.scalars(select(Knelpunt).order_by(Knelpunt.id)))


def test_bundelen_with_the_keyboard_path(app, sessie, leider):
    _, knelpunten = _knelpunten(app, sessie, leider)
    naar_fase(leider, sessie, "bundelen")
    assert post(leider, f"/s/{sessie.code}/themas", {"naam": "Wachttijden"}).status_code == 302
    thema = db.session.scalars(select(Thema)).one()
    page = leider.get(f"/sessies/{sessie.id}").get_data(as_text=True)
    assert "Verplaats naar thema…" in page and "Wachttijden" in page
    url = f"/s/{sessie.code}/knelpunten/{knelpunten[0].id}/verplaats"
    response = post(leider, url, {"thema": thema.id}, headers=HX)
    assert response.status_code == 204
    db.session.expire_all()
    assert knelpunten[0].thema_id == thema.id
    event = events(sessie)[-1]
    assert event.type == "knelpunt.verplaatst"
    assert sorted(f["doel"] for f in event.payload["fragmenten"]["deelnemers"]) == [f"#thema-{thema.id}", "#thema-los"]
    # Rename, then dissolve: its knelpunten become loose again.
    url = f"/s/{sessie.code}/themas/{thema.id}/hernoemen"
    assert post(leider, url, {"naam": "Lange wachttijden"}).status_code == 302
    db.session.expire_all()
    assert thema.naam == "Lange wachttijden"
    assert post(leider, f"/s/{sessie.code}/themas/{thema.id}/opheffen").status_code == 302
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Thema)) == 0
    assert db.session.get(Knelpunt, knelpunten[0].id).thema_id is None


def test_deelnemers_bundle_only_when_allowed(app, sessie, leider):
    browser, knelpunten = _knelpunten(app, sessie, leider, n=1)
    naar_fase(leider, sessie, "bundelen")
    assert post(browser, f"/s/{sessie.code}/themas", {"naam": "Van mij"}).status_code == 403
    post(leider, f"/s/{sessie.code}/themas", {"naam": "Thema A"})
    thema = db.session.scalars(select(Thema)).one()
    url = f"/s/{sessie.code}/knelpunten/{knelpunten[0].id}/verplaats"
    assert post(browser, url, {"thema": thema.id}).status_code == 403
    assert post(browser, f"/s/{sessie.code}/themas/{thema.id}/hernoemen", {"naam": "X"}).status_code == 403
    assert post(browser, f"/s/{sessie.code}/themas/{thema.id}/opheffen").status_code == 403
    post(leider, f"/s/{sessie.code}/knelpunten/instellingen", _instellingen(deelnemers_bundelen="1"))
    assert post(browser, url, {"thema": thema.id}).status_code == 302
    db.session.expire_all()
    assert knelpunten[0].thema_id == thema.id


def test_thema_name_goes_through_the_privacy_guard(app, sessie, leider):
    _knelpunten(app, sessie, leider, n=1)
    naar_fase(leider, sessie, "bundelen")
    response = post(leider, f"/s/{sessie.code}/themas", {"naam": f"Cliënt {BSN}"}, headers=HX)
    assert response.status_code == 400 and "burgerservicenummer" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Thema)) == 0


def test_another_sessies_items_cannot_be_touched(app, factory, begeleider, sessie, leider):
    _knelpunten(app, sessie, leider, n=1)
    naar_fase(leider, sessie, "bundelen")
    post(leider, f"/s/{sessie.code}/themas", {"naam": "Eigen thema"})
    mijn_thema = db.session.scalars(select(Thema)).one()
    mijn_knelpunt = db.session.scalars(select(Knelpunt)).one()
    other = Live(factory.sessie(begeleider, titel="Andere"))
    other_leider = leider  # same begeleider leads both
    naar_fase(other_leider, other, "bundelen")
    # Ids of this sessie through the other sessie's code: refused.
    assert post(leider, f"/s/{other.code}/knelpunten/{mijn_knelpunt.id}/verplaats", {"thema": 0}).status_code == 403
    assert post(leider, f"/s/{other.code}/themas/{mijn_thema.id}/hernoemen", {"naam": "X"}).status_code == 403
    assert post(leider, f"/s/{other.code}/knelpunten/{mijn_knelpunt.id}/verbergen", {"reden": "x"}).status_code == 403
    # Moving into another sessie's thema: refused.
    post(leider, f"/s/{other.code}/themas", {"naam": "Vreemd thema"})
    vreemd = db.session.scalars(select(Thema).where(Thema.sessie_id == other.id)).one()
    url = f"/s/{sessie.code}/knelpunten/{mijn_knelpunt.id}/verplaats"
    assert post(leider, url, {"thema": vreemd.id}).status_code == 403
    db.session.expire_all()
    assert mijn_knelpunt.thema_id is None and mijn_thema.naam == "Eigen thema"
    assert post(leider, f"/s/{other.code}/knelpunten/999999/verplaats", {"thema": 0}).status_code == 403


# --- stemmen ----------------------------------------------------------------------------------


def test_voting_limits_hidden_results_and_close(app, sessie, leider):
    author, knelpunten = _knelpunten(app, sessie, leider, n=2)
    post(leider, f"/s/{sessie.code}/knelpunten/instellingen", _instellingen(max_per_item="2"))
    naar_fase(leider, sessie, "stemmen")
    kiezer = deelnemer_client(app, sessie.code)
    a, b = knelpunten

    def stem(k, actie=""):
        return post(kiezer, f"/s/{sessie.code}/stemmen{actie}", {"soort": "knelpunt", "item": k.id}, headers=HX)

    assert stem(a).status_code == 200
    assert stem(a).status_code == 200
    response = stem(a)
    assert response.status_code == 409 and "hoogstens 2 stemmen" in response.get_data(as_text=True)
    assert stem(b).status_code == 200
    response = stem(b)
    assert response.status_code == 409 and "al je 3 stemmen gebruikt" in response.get_data(as_text=True)
    assert stem(a, "/intrekken").status_code == 200
    assert stem(b).status_code == 200
    assert db.session.scalar(select(func.count()).select_from(Stem)) == 3
    # Results stay hidden until closed: no counts on anyone's page.
    assert "Uitslag" not in author.get(f"/s/{sessie.code}").get_data(as_text=True)
    assert "Uitslag" not in leider.get(f"/sessies/{sessie.id}").get_data(as_text=True)
    assert post(kiezer, f"/s/{sessie.code}/stemmen/sluiten").status_code == 403
    assert post(leider, f"/s/{sessie.code}/stemmen/sluiten").status_code == 302
    page = author.get(f"/s/{sessie.code}").get_data(as_text=True)
    assert "Uitslag" in page
    assert page.index("Knelpunt nummer 2") < page.index("Knelpunt nummer 1")  # 2 votes before 1
    assert stem(a).status_code == 409  # closed


def test_vote_on_thema_and_on_hidden_or_foreign_items(app, factory, begeleider, sessie, leider):
    _knelpunten(app, sessie, leider, n=1)
    naar_fase(leider, sessie, "bundelen")
    post(leider, f"/s/{sessie.code}/themas", {"naam": "Thema"})
    thema = db.session.scalars(select(Thema)).one()
    naar_fase(leider, sessie, "stemmen")
    kiezer = deelnemer_client(app, sessie.code)
    assert post(kiezer, f"/s/{sessie.code}/stemmen", {"soort": "thema", "item": thema.id}).status_code == 302
    assert post(kiezer, f"/s/{sessie.code}/stemmen", {"soort": "raar", "item": thema.id}).status_code == 409
    other = Live(factory.sessie(begeleider, titel="Andere"))
    vreemde = deelnemer_client(app, other.code)
    assert post(vreemde, f"/s/{other.code}/stemmen", {"soort": "thema", "item": thema.id}).status_code == 403
    assert post(vreemde, f"/s/{sessie.code}/stemmen", {"soort": "thema", "item": thema.id}).status_code == 403
    assert db.session.scalar(select(func.count()).select_from(Stem)) == 1


def test_a_stem_sent_again_with_the_same_request_id_counts_once(app, sessie, leider):
    """A phone that lost its answer sends the stem again with the same client request id."""
    _, [a, b] = _knelpunten(app, sessie, leider, n=2)
    naar_fase(leider, sessie, "stemmen")
    kiezer = deelnemer_client(app, sessie.code)
    page = kiezer.get(f"/s/{sessie.code}").get_data(as_text=True)
    assert 'name="client_request_id"' in page.split('id="stemmen"', 1)[1]
    rid = uuid.uuid4().hex
    stem = {"soort": "knelpunt", "item": a.id, "client_request_id": rid}
    assert post(kiezer, f"/s/{sessie.code}/stemmen", stem, headers=HX).status_code == 200
    again = post(kiezer, f"/s/{sessie.code}/stemmen", stem, headers=HX)
    assert again.status_code == 200
    assert "Je hebt nog <strong>2</strong> van de 3 stemmen" in again.get_data(as_text=True)
    assert post(kiezer, f"/s/{sessie.code}/stemmen", stem).status_code == 302  # without JavaScript too
    assert db.session.scalar(select(func.count()).select_from(Stem)) == 1
    assert len(events(sessie, "stem.gegeven")) == 1
    # Another request id is another stem, also on another item.
    andere = {"soort": "knelpunt", "item": b.id, "client_request_id": uuid.uuid4().hex}
    assert post(kiezer, f"/s/{sessie.code}/stemmen", andere, headers=HX).status_code == 200
    assert db.session.scalar(select(func.count()).select_from(Stem)) == 2


def test_stem_intrekken_sent_again_takes_back_one_stem(app, sessie, leider):
    _, [a] = _knelpunten(app, sessie, leider, n=1)
    naar_fase(leider, sessie, "stemmen")
    kiezer = deelnemer_client(app, sessie.code)
    for _ in range(2):
        item = {"soort": "knelpunt", "item": a.id, "client_request_id": uuid.uuid4().hex}
        assert post(kiezer, f"/s/{sessie.code}/stemmen", item, headers=HX).status_code == 200
    page = kiezer.get(f"/s/{sessie.code}").get_data(as_text=True)
    assert 'name="van" value="2"' in page
    intrekken = {"soort": "knelpunt", "item": a.id, "van": "2"}
    for _ in range(2):
        assert post(kiezer, f"/s/{sessie.code}/stemmen/intrekken", intrekken, headers=HX).status_code == 200
    assert db.session.scalar(select(func.count()).select_from(Stem)) == 1
    assert len(events(sessie, "stem.ingetrokken")) == 1


# --- dialoog ----------------------------------------------------------------------------------


def test_dialoog_on_screen_reageren_besproken_and_moderation(app, factory, gemeente, sessie, leider, begeleider):
    author, knelpunten = _knelpunten(app, sessie, leider, n=2)
    naar_fase(leider, sessie, "dialoog")
    beleid_user = factory.user("beleidsmedewerker", gemeente=gemeente, naam="Fatima")
    beleid = deelnemer_client(app, sessie.code, account=beleid_user)
    k = knelpunten[1]
    item = {"soort": "knelpunt", "item": k.id}
    assert post(author, f"/s/{sessie.code}/dialoog/scherm", item).status_code == 403
    assert post(leider, f"/s/{sessie.code}/dialoog/scherm", item).status_code == 302
    page = beleid.get(f"/s/{sessie.code}").get_data(as_text=True)
    assert "Knelpunt nummer 2" in page and "Reageren" in page
    rid = uuid.uuid4().hex
    data = {**item, "tekst": "De regel is bedoeld om misbruik te voorkomen.", "client_request_id": rid}
    assert post(beleid, f"/s/{sessie.code}/reacties", data, headers=HX).status_code == 200
    assert post(beleid, f"/s/{sessie.code}/reacties", data, headers=HX).status_code == 200  # retry
    reactie = db.session.scalars(select(Reactie)).one()
    assert reactie.perspectief == "beleid" and reactie.naam == "Fatima"
    response = post(author, f"/s/{sessie.code}/reacties", {**item, "tekst": f"BSN {BSN}"}, headers=HX)
    assert response.status_code == 400 and "burgerservicenummer" in response.get_data(as_text=True)
    eens = {**item, "tekst": "Klopt, wij zien het elke week."}
    assert post(author, f"/s/{sessie.code}/reacties", eens).status_code == 302
    perspectieven = sorted(r.perspectief for r in db.session.scalars(select(Reactie)))
    assert perspectieven == ["beleid", "uitvoering"]
    assert post(author, f"/s/{sessie.code}/dialoog/besproken", item).status_code == 403
    assert post(leider, f"/s/{sessie.code}/dialoog/besproken", item).status_code == 302
    db.session.expire_all()
    assert db.session.get(Knelpunt, k.id).besproken_op is not None
    # Moderation of a reactie.
    url = f"/s/{sessie.code}/reacties/{reactie.id}/verbergen"
    assert post(author, url, {"reden": "x"}).status_code == 403
    assert post(leider, url, {"reden": "Off-topic"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Reactie, reactie.id).verborgen
    assert db.session.scalars(select(Moderatie)).one().reactie_id == reactie.id
    assert "misbruik" not in author.get(f"/s/{sessie.code}").get_data(as_text=True)


def test_timer_start_pause_extend_stop(app, knelpunten_fase, leider):
    sessie = knelpunten_fase
    url = f"/s/{sessie.code}/timer"
    deelnemer = deelnemer_client(app, sessie.code)
    assert post(deelnemer, url, {"actie": "start", "minuten": "5"}).status_code == 403
    response = post(leider, url, {"actie": "start", "minuten": "241"}, headers=HX)
    assert response.status_code == 400 and "4 uur" in response.get_data(as_text=True)
    assert post(leider, url, {"actie": "start", "minuten": "10"}).status_code == 302
    inst = db.session.get(KnelpuntInstellingen, sessie.id)
    assert inst.timer_eind is not None
    assert "data-eind" in deelnemer.get(f"/s/{sessie.code}").get_data(as_text=True)
    assert post(leider, url, {"actie": "pauze"}).status_code == 302
    db.session.expire_all()
    assert inst.timer_eind is None and 590 <= inst.timer_rest <= 600
    assert post(leider, url, {"actie": "verlengen", "minuten": "5"}).status_code == 302
    db.session.expire_all()
    assert 890 <= inst.timer_rest <= 900
    assert post(leider, url, {"actie": "verlengen", "minuten": "240"}).status_code == 400
    assert post(leider, url, {"actie": "hervat"}).status_code == 302
    assert post(leider, url, {"actie": "stop"}).status_code == 302
    db.session.expire_all()
    assert inst.timer_eind is None and inst.timer_rest is None
    assert [e.type for e in events(sessie)][-4:] == ["timer.pauze", "timer.verlengen", "timer.hervat", "timer.stop"]


# --- inbreng vooraf ---------------------------------------------------------------------------


def test_inbreng_vooraf_in_a_concept_sessie(app, factory, gemeente, begeleider, leider):
    sessie = Live(factory.sessie(begeleider, titel="Later", live=False))
    wijkteam = app.test_client()
    assert join(wijkteam, sessie.code).status_code == 400  # not open yet
    page = leider.get(f"/sessies/{sessie.id}").get_data(as_text=True)
    assert "Inbreng vooraf open" in page
    url = f"/s/{sessie.code}/knelpunten/instellingen"
    assert post(leider, url, _instellingen(inbreng_open="1")).status_code == 302
    # The link or QR leads a newcomer to the join form, like for a live sessie.
    assert "/deelnemen" in wijkteam.get(f"/s/{sessie.code}").headers["Location"]
    assert join(wijkteam, sessie.code).status_code == 302
    assert "Knelpunt indienen" in wijkteam.get(f"/s/{sessie.code}").get_data(as_text=True)
    assert dien_in(wijkteam, sessie.code, "Vooraf ingediend knelpunt.").status_code == 302
    knelpunt = db.session.scalars(select(Knelpunt)).one()
    beleid_user = factory.user("beleidsmedewerker", gemeente=gemeente)
    beleid = deelnemer_client(app, sessie.code, account=beleid_user)
    data = {"soort": "knelpunt", "item": knelpunt.id, "tekst": "Wij zoeken dit vooraf uit."}
    assert post(beleid, f"/s/{sessie.code}/reacties", data).status_code == 302
    reactie = db.session.scalars(select(Reactie)).one()
    assert reactie.vooraf and reactie.perspectief == "beleid"
    assert "Wij zoeken dit vooraf uit." in beleid.get(f"/s/{sessie.code}").get_data(as_text=True)
    # Closing inbreng stops new posts.
    post(leider, url, _instellingen())
    assert dien_in(wijkteam, sessie.code).status_code == 400


# --- every action refused to who may not do it --------------------------------------------------


def _alles_klaar(app, factory, begeleider, sessie, leider):
    """A sessie in the dialoog with a knelpunt, a thema, a reactie; returns the ids."""
    auteur, [knelpunt] = _knelpunten(app, sessie, leider, n=1)
    naar_fase(leider, sessie, "bundelen")
    post(leider, f"/s/{sessie.code}/themas", {"naam": "Thema"})
    thema = db.session.scalars(select(Thema)).one()
    naar_fase(leider, sessie, "dialoog")
    post(leider, f"/s/{sessie.code}/dialoog/scherm", {"soort": "knelpunt", "item": knelpunt.id})
    post(auteur, f"/s/{sessie.code}/reacties", {"soort": "knelpunt", "item": knelpunt.id, "tekst": "Eens."})
    reactie = db.session.scalars(select(Reactie)).one()
    return auteur, knelpunt.id, thema.id, reactie.id


BEGELEIDER_ACTIES = [
    ("knelpunten/{k}/verbergen", {"reden": "x"}),
    ("knelpunten/onthullen", {}),
    ("knelpunten/instellingen", {"stemmen_per_deelnemer": "9", "max_per_item": "9", "stemmen_op": "thema"}),
    ("stemmen/sluiten", {}),
    ("stemmen/heropenen", {}),
    ("dialoog/scherm", {"soort": "thema", "item": "{t}"}),
    ("dialoog/besproken", {"soort": "knelpunt", "item": "{k}"}),
    ("reacties/{r}/verbergen", {"reden": "x"}),
    ("timer", {"actie": "start", "minuten": "5"}),
    ("themas", {"naam": "Nieuw"}),
    ("themas/{t}/hernoemen", {"naam": "Anders"}),
    ("themas/{t}/opheffen", {}),
    ("knelpunten/{k}/verplaats", {"thema": "{t}"}),
]
DEELNEMER_ACTIES = [
    ("knelpunten", {"tekst": "Nog een", "domein": "Wmo"}),
    ("knelpunten/{k}/bewerken", {"tekst": "Anders", "domein": "Wmo"}),
    ("knelpunten/{k}/intrekken", {}),
    ("stemmen", {"soort": "thema", "item": "{t}"}),
    ("stemmen/intrekken", {"soort": "thema", "item": "{t}"}),
    ("reacties", {"soort": "knelpunt", "item": "{k}", "tekst": "Ook van mij"}),
]


def _vul(sjabloon, ids):
    k, t, r = ids
    if isinstance(sjabloon, dict):
        return {key: _vul(v, ids) for key, v in sjabloon.items()}
    return sjabloon.format(k=k, t=t, r=r)


def test_every_action_is_refused_to_who_may_not(app, factory, gemeente, begeleider, sessie, leider):
    auteur, *ids = _alles_klaar(app, factory, begeleider, sessie, leider)
    ids = tuple(ids)
    ander_deelnemer = deelnemer_client(app, sessie.code)
    vreemde = app.test_client()
    andere_begeleider = leider_client(app, factory.user("begeleider", gemeente=gemeente))
    other = Live(factory.sessie(begeleider, titel="Andere sessie"))
    van_andere_sessie = deelnemer_client(app, other.code)
    voor = len(events(sessie))

    for pad, data in BEGELEIDER_ACTIES:
        url = f"/s/{sessie.code}/" + _vul(pad, ids)
        for wie, client in [("deelnemer", auteur), ("vreemde", vreemde), ("andere begeleider", andere_begeleider)]:
            response = post(client, url, _vul(data, ids))
            assert response.status_code == 403, (pad, wie, response.status_code)
        # The sessie's own begeleider through another sessie's code: the ids do not belong there.
        if "{" in pad:
            response = post(leider, f"/s/{other.code}/" + _vul(pad, ids), _vul(data, ids))
            assert response.status_code == 403, (pad, "via andere code")
    for pad, data in DEELNEMER_ACTIES:
        url = f"/s/{sessie.code}/" + _vul(pad, ids)
        for wie, client in [("vreemde", vreemde), ("van andere sessie", van_andere_sessie)]:
            response = post(client, url, _vul(data, ids))
            assert response.status_code == 403, (pad, wie, response.status_code)
    # Another deelnemer cannot edit or withdraw the author's knelpunt.
    for pad in ("knelpunten/{k}/bewerken", "knelpunten/{k}/intrekken"):
        response = post(ander_deelnemer, f"/s/{sessie.code}/" + _vul(pad, ids), {"tekst": "x", "domein": "Wmo"})
        assert response.status_code == 403
    assert len(events(sessie)) == voor, "a refused action changed something"


def test_absurd_ids_are_refused_not_crashing(app, factory, begeleider, sessie, leider):
    auteur, *_ = _alles_klaar(app, factory, begeleider, sessie, leider)
    groot = str(2**40)
    for pad, data in [
        (f"knelpunten/{groot}/verbergen", {"reden": "x"}),
        (f"themas/{groot}/hernoemen", {"naam": "x"}),
        (f"reacties/{groot}/verbergen", {"reden": "x"}),
        ("dialoog/scherm", {"soort": "thema", "item": groot}),
        ("knelpunten/1/verplaats", {"thema": groot}),
    ]:
        assert post(leider, f"/s/{sessie.code}/{pad}", data).status_code in (400, 403, 404), pad
    for pad, data in [
        ("stemmen", {"soort": "knelpunt", "item": groot}),
        ("reacties", {"soort": "thema", "item": groot, "tekst": "x"}),
        ("knelpunten", {"tekst": "x", "domein": "Wmo", "team": groot, "client_request_id": "x" * 500}),
    ]:
        assert post(auteur, f"/s/{sessie.code}/{pad}", data).status_code in (400, 403, 404, 409), pad
    assert post(leider, "/s/ONBEKEND/knelpunten/onthullen").status_code == 404


def test_a_sessie_of_one_wijkteam_files_knelpunten_under_it_by_default(app, factory, knelpunten_fase):
    """A guest in the leerkring of Wijkteam Noord saw 'Geen wijkteam' preselected."""
    sessie = knelpunten_fase.get()
    noord = factory.team(sessie.gemeente, "Wijkteam Noord")
    factory.team(sessie.gemeente, "Wijkteam Zuid")
    sessie.teams = [noord]
    db.session.commit()
    browser = deelnemer_client(app, knelpunten_fase.code)
    html = browser.get(f"/s/{knelpunten_fase.code}").get_data(as_text=True)
    assert "<strong>Wijkteam:</strong> Wijkteam Noord" in html and f'name="team" value="{noord.id}"' in html
    assert "Wijkteam Zuid" not in html
    # Even a post that sends no team at all is that team's.
    assert dien_in(browser, knelpunten_fase.code).status_code == 302
    assert db.session.scalars(select(Knelpunt)).one().team_id == noord.id


@pytest.fixture
def twee_teams(factory, knelpunten_fase):
    noord = factory.team(knelpunten_fase.get().gemeente, "Wijkteam Noord")
    zuid = factory.team(knelpunten_fase.get().gemeente, "Wijkteam Zuid")
    return noord, zuid


def test_with_two_wijkteams_no_team_is_never_silently_chosen(app, knelpunten_fase, twee_teams):
    """Issue 14 item 5: 'Geen wijkteam' was preselected, and 4 of 8 knelpunten reached no team."""
    browser = deelnemer_client(app, knelpunten_fase.code)
    html = browser.get(f"/s/{knelpunten_fase.code}").get_data(as_text=True)
    assert '<option value="" selected>Kies je wijkteam</option>' in html
    assert '<option value="geen">Geen wijkteam: hoort bij geen team</option>' in html
    for headers in ({}, HX):
        refused = dien_in(browser, knelpunten_fase.code, headers=headers)
        assert refused.status_code == 400
        assert "Kies je wijkteam, of &#39;Geen wijkteam&#39;" in refused.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Knelpunt)) == 0
    assert dien_in(browser, knelpunten_fase.code, team="geen").status_code == 302
    assert db.session.scalars(select(Knelpunt)).one().team_id is None


def test_the_chosen_wijkteam_is_remembered_on_this_device_and_can_change(app, knelpunten_fase, twee_teams):
    noord, zuid = twee_teams
    browser = deelnemer_client(app, knelpunten_fase.code)
    na = dien_in(browser, knelpunten_fase.code, team=str(zuid.id), headers=HX)
    assert na.status_code == 200
    assert f'<option value="{zuid.id}" selected>Wijkteam Zuid</option>' in na.get_data(as_text=True)
    html = browser.get(f"/s/{knelpunten_fase.code}").get_data(as_text=True)
    assert f'<option value="{zuid.id}" selected>Wijkteam Zuid</option>' in html
    # The next knelpunt without touching the field goes to the same team, as the form sends it.
    assert dien_in(browser, knelpunten_fase.code, team=str(zuid.id)).status_code == 302
    assert dien_in(browser, knelpunten_fase.code, team=str(noord.id)).status_code == 302
    html = browser.get(f"/s/{knelpunten_fase.code}").get_data(as_text=True)
    assert f'<option value="{noord.id}" selected>Wijkteam Noord</option>' in html
    teams = [k.team_id for k in db.session.scalars(select(Knelpunt).order_by(Knelpunt.id))]
    assert teams == [zuid.id, zuid.id, noord.id]
    # Another device in the same sessie chooses for itself.
    ander = deelnemer_client(app, knelpunten_fase.code)
    assert '<option value="" selected>Kies je wijkteam</option>' in ander.get(f"/s/{knelpunten_fase.code}").get_data(
        as_text=True
    )


def test_closing_the_vote_stops_a_running_timer(app, sessie, leider):
    """Issue 14 item 6: a timer kept running after 'Stemmen sluiten'."""
    naar_fase(leider, sessie, "stemmen")
    assert post(leider, f"/s/{sessie.code}/timer", {"actie": "start", "minuten": "5"}).status_code == 302
    assert post(leider, f"/s/{sessie.code}/stemmen/sluiten").status_code == 302
    db.session.expire_all()
    inst = db.session.scalars(select(KnelpuntInstellingen)).one()
    assert inst.timer_eind is None and inst.timer_rest is None
    gesloten = events(sessie, "stemmen.gesloten")[-1]
    doelen = [f["doel"] for lijst in gesloten.payload["fragmenten"].values() for f in lijst]
    assert "#timer" in doelen


def test_after_stemmen_sluiten_the_fase_no_longer_asks_for_votes(app, sessie, leider):
    """Issue 14 item 6: 'Geef je stemmen' stayed on the phones after Stemmen sluiten."""
    from facilitatie.sessies.models import SessieEvent

    _knelpunten(app, sessie, leider, n=1)
    naar_fase(leider, sessie, "stemmen")
    kiezer = deelnemer_client(app, sessie.code)
    assert "Geef je stemmen" in kiezer.get(f"/s/{sessie.code}").get_data(as_text=True)
    assert post(leider, f"/s/{sessie.code}/stemmen/sluiten").status_code == 302
    page = kiezer.get(f"/s/{sessie.code}").get_data(as_text=True)
    assert "Geef je stemmen" not in page and "Het stemmen is gesloten" in page
    db.session.expire_all()
    laatste = db.session.query(SessieEvent).filter_by(sessie_id=sessie.id).order_by(SessieEvent.seq.desc()).first()
    fase = [f["html"] for f in laatste.payload["fragmenten"]["deelnemers"] if f["doel"] == "#fase"]
    assert fase and "Het stemmen is gesloten" in fase[0] and "Geef je stemmen" not in fase[0]
