"""The volglink page on SQLite and PostgreSQL: what it shows (and never shows), a wrong link, a
removed knelpunt (moderated, withdrawn, sessie deleted, bewaartermijn), the limit, the headers.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from facilitatie.avg import opschonen
from facilitatie.avg import service as avg
from facilitatie.extensions import db
from facilitatie.knelpunten.models import Reactie
from facilitatie.models_base import utcnow
from facilitatie.opvolging import service as opvolging
from facilitatie.sessies import service as sessies
from facilitatie.sessies.models import Sessie
from facilitatie.signalen.models import OpgelostVraag
from facilitatie.volgen import regels
from facilitatie.volgen.models import Volglink
from tests.conftest import post
from tests.knelpunten.helpers import Live, deelnemer_client, leider_client, naar_fase
from tests.volgen.helpers import knelpunt_met_tekst, opgepakt_met_actie, post_met_link

AUTEUR = "Zoë Zeldzaam-Auteur"
REACTIE_NAAM = "Rik Reactienaam"
TEKST = "Een kleine aanpassing vraagt om een volledig nieuwe Wmo-aanvraag."
ONBEKEND = "/volg/" + "A" * 43


class Opzet:
    def __init__(self, app, factory) -> None:
        self.gemeente = factory.gemeente("Vechtstede")
        self.team = factory.team(self.gemeente, "Wijkteam Noord")
        self.begeleider = factory.user("begeleider", gemeente=self.gemeente, naam="Gijs Begeleidernaam")
        self.beleid = factory.user("beleidsmedewerker", gemeente=self.gemeente, naam="Fatima Beleidsnaam")
        self.lid = factory.user("wijkteamlid", gemeente=self.gemeente, team=self.team, naam="Wim Uitvoerdernaam")
        self.sessie = Live(factory.sessie(self.begeleider))
        self.leider = leider_client(app, self.begeleider)
        naar_fase(self.leider, self.sessie, "knelpunten")
        self.auteur = deelnemer_client(app, self.sessie.code, naam=AUTEUR)


@pytest.fixture
def opzet(app, factory) -> Opzet:
    return Opzet(app, factory)


def _pagina(client, pad: str):
    response = client.get(pad)
    return response, response.get_data(as_text=True)


def test_the_page_shows_besluit_acties_and_beleids_reactie_and_names_no_deelnemer(app, opzet):
    _, pad, _ = post_met_link(opzet.auteur, opzet.sessie.code, TEKST, anoniem="1", team=str(opzet.team.id))
    knelpunt = knelpunt_met_tekst(TEKST)
    # Before anything happened: a clear empty state.
    response, html = _pagina(app.test_client(), pad)
    assert response.status_code == 200
    assert "Nog geen besluit" in html and "(nog) geen acties" in html and "nog) niet gereageerd" in html

    opgepakt_met_actie(knelpunt, opzet.beleid, opzet.beleid, "Werkinstructie aanpassen", date(2099, 3, 1))
    opvolging.actie_toevoegen(
        opzet.beleid,
        gemeente_id=opzet.gemeente.id,
        omschrijving="Het team instrueren",
        eigenaar_id=opzet.lid.id,
        streefdatum=date(2000, 1, 1),
        knelpunt_ids=[knelpunt.id],
    )
    opvolging.besluit_nemen(knelpunt, opzet.begeleider, soort="niet_opgepakt", reden="Landelijke regel, niet lokaal.")
    opvolging.besluit_nemen(knelpunt, opzet.beleid, soort="opgepakt", toelichting="Toch opgepakt na overleg.")
    db.session.add_all(
        [
            Reactie(sessie_id=opzet.sessie.id, knelpunt_id=knelpunt.id, perspectief="beleid", naam=REACTIE_NAAM,
                    tekst="Beleid **herkent** dit."),
            Reactie(sessie_id=opzet.sessie.id, knelpunt_id=knelpunt.id, perspectief="uitvoering", naam=REACTIE_NAAM,
                    tekst="Een reactie van het wijkteam."),
            Reactie(sessie_id=opzet.sessie.id, knelpunt_id=knelpunt.id, perspectief="beleid", naam=REACTIE_NAAM,
                    tekst="Verborgen reactie.", verborgen=True),
        ]
    )  # fmt: skip
    db.session.commit()

    response, html = _pagina(app.test_client(), pad)
    assert response.status_code == 200
    assert "volledig nieuwe Wmo-aanvraag" in html and "Wijkteam Noord" in html
    assert "Opgepakt" in html and "Toch opgepakt na overleg." in html
    # The history of the besluit, oldest first, without who recorded it.
    assert html.index("We pakken dit op met de regio.") < html.index("Landelijke regel") < html.rindex("Toch opgepakt")
    assert "Werkinstructie aanpassen" in html and "01-03-2099" in html and "Open" in html
    assert "Het team instrueren" in html and "Te laat" in html
    assert "Beleid <strong>herkent</strong> dit." in html
    assert "reactie van het wijkteam" not in html and "Verborgen reactie" not in html
    # Names: no deelnemer (author, reactie), no wijkteamlid as eigenaar; the beleidsmedewerker
    # who carries an actie in their role is named.
    for naam in (AUTEUR, REACTIE_NAAM, "Wim Uitvoerdernaam", "Gijs Begeleidernaam"):
        assert naam not in html, naam
    assert "Fatima Beleidsnaam" in html and "Een collega uit de uitvoering" in html
    assert "anoniem" in html


def test_a_named_post_gets_a_link_too_and_the_page_still_names_nobody(app, opzet):
    _, pad, _ = post_met_link(opzet.auteur, opzet.sessie.code, TEKST)
    assert knelpunt_met_tekst(TEKST).deelnemer_id is not None
    response, html = _pagina(app.test_client(), pad)
    assert response.status_code == 200 and TEKST[:30] in html and AUTEUR not in html


def test_the_page_is_private_uncached_unindexed_and_sends_no_referrer(app, opzet):
    _, pad, token = post_met_link(opzet.auteur, opzet.sessie.code, TEKST)
    for bezoeker in (app.test_client(), opzet.leider):  # also for a signed-in user
        for doel, status in ((pad, 200), (ONBEKEND, 404)):
            response = bezoeker.get(doel)
            assert response.status_code == status
            assert response.headers["Referrer-Policy"] == "no-referrer"
            assert "no-store" in response.headers["Cache-Control"]
            assert "noindex" in response.headers["X-Robots-Tag"]
            html = response.get_data(as_text=True)
            assert '<meta name="robots" content="noindex, nofollow">' in html
            assert '<meta name="referrer" content="no-referrer">' in html
    # Other pages keep the site's policy.
    assert app.test_client().get("/").headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert token not in opzet.leider.get(f"/sessies/{opzet.sessie.id}").get_data(as_text=True)


@pytest.mark.parametrize("pad", [ONBEKEND, "/volg/kort", "/volg/" + "a" * 44, "/volg/" + "%C3%A9" * 43, "/volg/x%20y"])
def test_a_wrong_link_gets_a_friendly_dutch_404(app, pad):
    response = app.test_client().get(pad)
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "Volglink niet gevonden" in html and "Mijn knelpunten" in html


def _niet_gevonden(client, pad: str) -> str:
    response = client.get(pad)
    assert response.status_code == 404
    return response.get_data(as_text=True)


def test_a_knelpunt_hidden_by_moderation_no_longer_opens(app, opzet):
    _, pad, _ = post_met_link(opzet.auteur, opzet.sessie.code, TEKST, anoniem="1")
    knelpunt = knelpunt_met_tekst(TEKST)
    kijker = app.test_client()
    assert kijker.get(pad).status_code == 200
    response = post(
        opzet.leider, f"/s/{opzet.sessie.code}/knelpunten/{knelpunt.id}/verbergen", {"reden": "Noemt een inwoner"}
    )
    assert response.status_code == 302
    # The same page as for a link that never existed: nothing says a knelpunt was there.
    assert _niet_gevonden(kijker, pad) == _niet_gevonden(kijker, ONBEKEND)


def test_a_withdrawn_knelpunt_takes_its_volglink_with_it(app, opzet):
    _, pad, token = post_met_link(opzet.auteur, opzet.sessie.code, TEKST, anoniem="1")
    knelpunt = knelpunt_met_tekst(TEKST)
    response = post(opzet.auteur, f"/s/{opzet.sessie.code}/knelpunten/{knelpunt.id}/intrekken")
    assert response.status_code == 302
    _niet_gevonden(app.test_client(), pad)
    db.session.expire_all()
    assert db.session.scalar(select(func.count(Volglink.id)).where(Volglink.token_hash == regels.hash_van(token))) == 0


def test_deleting_the_sessie_deletes_its_volglinks(app, opzet):
    _, pad, _ = post_met_link(opzet.auteur, opzet.sessie.code, TEKST)
    sessie = db.session.get(Sessie, opzet.sessie.id)
    sessies.afsluiten(sessie, opzet.begeleider)
    avg.sessie_verwijderen(sessie, opzet.begeleider)
    _niet_gevonden(app.test_client(), pad)
    assert db.session.scalar(select(func.count(Volglink.id))) == 0


def test_the_bewaartermijn_deletes_the_volglinks_of_a_cleaned_sessie(app, opzet):
    _, pad, _ = post_met_link(opzet.auteur, opzet.sessie.code, TEKST)
    sessie = db.session.get(Sessie, opzet.sessie.id)
    sessies.afsluiten(sessie, opzet.begeleider)
    opschonen.opschonen(maanden=1, nu=utcnow() + timedelta(days=62))
    _niet_gevonden(app.test_client(), pad)
    assert db.session.scalar(select(func.count(Volglink.id))) == 0


def test_wrong_links_are_limited_per_address_before_any_lookup(app, opzet):
    _, pad, _ = post_met_link(opzet.auteur, opzet.sessie.code, TEKST)
    app.config.update(RATELIMIT_ENABLED=True, VOLG_LIMIT="3 per minute")
    eigenaar = app.test_client()
    for _ in range(10):  # opening a working link never counts
        assert eigenaar.get(pad).status_code == 200
    raden = app.test_client()
    raden.environ_base["REMOTE_ADDR"] = "203.0.113.9"
    for i in range(3):
        assert raden.get(f"/volg/{'B' * 42}{i}").status_code == 404
    geweigerd = raden.get(pad)  # now even a working link waits: the refusal comes before the lookup
    assert geweigerd.status_code == 429 and int(geweigerd.headers["Retry-After"]) >= 1
    html = geweigerd.get_data(as_text=True)
    assert "te veel volglinks" in html and TEKST[:20] not in html
    assert geweigerd.headers["Referrer-Policy"] == "no-referrer"
    assert eigenaar.get(pad).status_code == 200  # another address is not affected


def test_the_volglink_asks_is_het_opgelost_and_nee_brings_the_knelpunt_back(app, opzet):
    """Issue 13 item 6: the question is also on the volglink page; whoever holds the link answers."""
    _, pad, _ = post_met_link(opzet.auteur, opzet.sessie.code, TEKST, anoniem="1", team=str(opzet.team.id))
    knelpunt = knelpunt_met_tekst(TEKST)
    bezoeker = app.test_client()
    _, html = _pagina(bezoeker, pad)
    assert "Is het opgelost?" not in html  # nothing to ask before a besluit

    opvolging.besluit_nemen(knelpunt, opzet.beleid, soort="al_opgelost", toelichting="Het formulier is al korter.")
    response, html = _pagina(bezoeker, pad)
    assert response.status_code == 200 and "Is het opgelost?" in html

    # "Nee" without a toelichting: refused next to the field, nothing stored.
    response = post(bezoeker, pad + "/opgelost", {"antwoord": "nee", "toelichting": ""})
    assert response.status_code == 400
    vraag = db.session.scalar(select(OpgelostVraag).where(OpgelostVraag.knelpunt_id == knelpunt.id))
    db.session.refresh(vraag)
    assert vraag.antwoord is None

    antwoord = {"antwoord": "nee", "toelichting": "Het nieuwe formulier mist de Wmo."}
    response = post(bezoeker, pad + "/opgelost", antwoord)
    assert response.status_code == 303
    db.session.refresh(vraag)
    assert vraag.antwoord == "nee"
    _, html = _pagina(bezoeker, response.headers["Location"])
    assert "Dank je" in html and 'name="antwoord"' not in html  # answered: no second question

    # A wrong token answers nothing.
    assert post(bezoeker, ONBEKEND + "/opgelost", {"antwoord": "ja"}).status_code == 404
