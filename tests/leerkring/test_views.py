"""The leerkring through HTTP on both databases: phones post in their fase (htmx and plain forms),
refusals come back next to the field with a 4xx and store nothing, the begeleider's forms, who may
see what (the casus stays in the kring), the Scherm without names, and the verslag."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select

from facilitatie.extensions import db
from facilitatie.leerkring.models import Bijdrage, Casus, Evaluatie, PeilingAntwoord, Vooruitblik
from facilitatie.sessies import service as sessies
from tests.conftest import login, post
from tests.knelpunten.helpers import HX, Live, deelnemer_client, leider_client, naar_fase


@pytest.fixture
def opzet(app, factory):
    gemeente = factory.gemeente("Vechtstede")
    noord = factory.team(gemeente, "Wijkteam Noord")
    begeleider = factory.user("begeleider", gemeente=gemeente)
    with app.test_request_context("/"):
        sessie = sessies.create_sessie(begeleider=begeleider, titel="Leerkring Noord", vorm="leerkring", teams=[noord])
        sessies.start(sessie, begeleider)
    live = Live(sessie)
    leider = leider_client(app, begeleider)
    telefoon = deelnemer_client(app, live.code, naam="Sanne Zeldzaam")
    return live, leider, telefoon, begeleider, gemeente


def tel(model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def test_every_fase_renders_for_phone_begeleider_and_scherm(opzet):
    live, leider, telefoon, *_ = opzet
    for index, soort in enumerate(live.soorten):
        assert post(leider, f"/sessies/{live.id}/fase/{index}").status_code == 302
        for client, pad in (
            (telefoon, f"/s/{live.code}"),
            (telefoon, f"/s/{live.code}/werkruimte"),
            (leider, f"/sessies/{live.id}"),
            (leider, f"/sessies/{live.id}/paneel"),
            (leider, f"/sessies/{live.id}/scherm/inhoud"),
        ):
            antwoord = client.get(pad)
            assert antwoord.status_code == 200, (soort, pad, antwoord.status_code)


def test_casus_vraag_reflectie_evaluatie_peiling_and_vooruitblik_through_http(opzet):
    live, leider, telefoon, *_ = opzet
    naar_fase(leider, live, "peiling")
    assert "Antwoord geven" in telefoon.get(f"/s/{live.code}").get_data(as_text=True)
    antwoord = post(telefoon, f"/s/{live.code}/peiling", {"waarde": "4"}, headers=HX)
    assert antwoord.status_code == 200 and "je antwoord is opgeslagen" in antwoord.get_data(as_text=True)
    assert "Antwoord aanpassen" in antwoord.get_data(as_text=True)

    naar_fase(leider, live, "casus")
    antwoord = post(
        leider, f"/sessies/{live.id}/leerkring/casus", {"inbrenger": "Lotte", "vraag": "Hoe schakel ik sneller?"}
    )
    assert antwoord.status_code == 302
    pagina = telefoon.get(f"/s/{live.code}").get_data(as_text=True)
    assert "Hoe schakel ik sneller?" in pagina and "Vraag stellen" in pagina and "blijft in de kring" in pagina
    antwoord = post(
        telefoon,
        f"/s/{live.code}/leerkring/vraag",
        {"tekst": "Wie had de regie?", "anoniem": "1", "client_request_id": uuid.uuid4().hex},
        headers=HX,
    )
    assert antwoord.status_code == 200 and "Je vraag is gesteld." in antwoord.get_data(as_text=True)
    scherm = leider.get(f"/sessies/{live.id}/scherm/inhoud").get_data(as_text=True)
    assert "Hoe schakel ik sneller?" in scherm and "Wie had de regie?" in scherm

    naar_fase(leider, live, "reflectie")
    antwoord = post(
        telefoon,
        f"/s/{live.code}/leerkring/reflectie",
        {"tekst": "Ik vraag eerder door.", "client_request_id": uuid.uuid4().hex},
    )
    assert antwoord.status_code == 302
    scherm = leider.get(f"/sessies/{live.id}/scherm/inhoud").get_data(as_text=True)
    assert "Ik vraag eerder door." in scherm and "Sanne Zeldzaam" not in scherm  # the Scherm names nobody
    assert "Sanne Zeldzaam" in telefoon.get(f"/s/{live.code}").get_data(as_text=True)  # named, on purpose

    naar_fase(leider, live, "evaluatie")
    assert (
        post(telefoon, f"/s/{live.code}/leerkring/evaluatie", {"cijfer": "5", "woord": "Leerzaam"}).status_code == 302
    )
    naar_fase(leider, live, "afsluiting")
    antwoord = post(leider, f"/sessies/{live.id}/leerkring/vooruitblik", {"inbrenger": "Priya", "datum": "2099-03-14"})
    assert antwoord.status_code == 302
    assert "Priya" in telefoon.get(f"/s/{live.code}").get_data(as_text=True)
    assert (tel(Casus), tel(Bijdrage), tel(Evaluatie), tel(PeilingAntwoord), tel(Vooruitblik)) == (1, 2, 1, 1, 1)


@pytest.mark.parametrize("headers", [{}, HX])
def test_refused_phone_forms_say_why_next_to_the_field_and_store_nothing(opzet, headers):
    live, leider, telefoon, *_ = opzet
    naar_fase(leider, live, "reflectie")
    antwoord = post(telefoon, f"/s/{live.code}/leerkring/reflectie", {"tekst": "  "}, headers=headers)
    assert antwoord.status_code == 400 and "Schrijf je reflectie op." in antwoord.get_data(as_text=True)
    antwoord = post(telefoon, f"/s/{live.code}/leerkring/reflectie", {"tekst": "Bel me: 06-12345678"}, headers=headers)
    body = antwoord.get_data(as_text=True)
    assert antwoord.status_code == 422 and "Toch delen" in body and "06-12345678" in body  # kept to edit
    antwoord = post(telefoon, f"/s/{live.code}/leerkring/vraag", {"tekst": "Een vraag"}, headers=headers)
    assert antwoord.status_code in (302, 400)  # the casus fase is over: said where the person is
    naar_fase(leider, live, "evaluatie")
    antwoord = post(
        telefoon, f"/s/{live.code}/leerkring/evaluatie", {"cijfer": "9", "woord": "twee woorden"}, headers=headers
    )
    assert antwoord.status_code == 400 and "van 1 tot en met 5" in antwoord.get_data(as_text=True)
    naar_fase(leider, live, "peiling")
    antwoord = post(telefoon, f"/s/{live.code}/peiling", {"waarde": "nul"}, headers=headers)
    assert antwoord.status_code == 400 and "Kies een waarde van 1 tot en met 5." in antwoord.get_data(as_text=True)
    assert tel(Bijdrage) == tel(Evaluatie) == tel(PeilingAntwoord) == 0


def test_a_browser_that_did_not_join_cannot_post(app, opzet):
    live, leider, *_ = opzet
    naar_fase(leider, live, "reflectie")
    vreemde = app.test_client()
    assert post(vreemde, f"/s/{live.code}/leerkring/reflectie", {"tekst": "Hoi"}).status_code == 403
    assert post(vreemde, f"/s/{live.code}/peiling", {"waarde": "3"}).status_code == 403
    assert post(vreemde, "/s/ONBEKEND/peiling", {"waarde": "3"}).status_code == 404
    assert tel(Bijdrage) == 0


def test_posts_without_csrf_are_refused(opzet):
    live, leider, telefoon, *_ = opzet
    naar_fase(leider, live, "reflectie")
    assert telefoon.post(f"/s/{live.code}/leerkring/reflectie", data={"tekst": "Zonder token"}).status_code == 400
    assert leider.post(f"/sessies/{live.id}/leerkring/casus", data={"vraag": "Zonder token"}).status_code == 400
    assert tel(Bijdrage) == tel(Casus) == 0


def test_refused_begeleider_forms_come_back_with_the_message(opzet):
    live, leider, *_ = opzet
    # In another fase the form is not on the page: the reason is said at the top.
    antwoord = post(leider, f"/sessies/{live.id}/leerkring/casus", {"vraag": ""})
    assert antwoord.status_code == 400 and "Schrijf de vraag van de inbrenger op" in antwoord.get_data(as_text=True)
    naar_fase(leider, live, "casus")
    antwoord = post(leider, f"/sessies/{live.id}/leerkring/casus", {"vraag": "", "context": "Bewaard"})
    body = antwoord.get_data(as_text=True)
    assert antwoord.status_code == 400 and "Schrijf de vraag van de inbrenger op" in body and "Bewaard" in body
    antwoord = post(leider, f"/sessies/{live.id}/leerkring/casus", {"vraag": "Over 06-12345678"})
    assert antwoord.status_code == 422 and "Toch opslaan" in antwoord.get_data(as_text=True)
    assert (
        post(leider, f"/sessies/{live.id}/leerkring/casus", {"vraag": "Over 06-12345678", "toch": "1"}).status_code
        == 302
    )
    naar_fase(leider, live, "afsluiting")
    antwoord = post(leider, f"/sessies/{live.id}/leerkring/vooruitblik", {"inbrenger": "Priya", "datum": "31-02-2099"})
    assert antwoord.status_code == 400 and "Vul een datum in als dd-mm-jjjj" in antwoord.get_data(as_text=True)
    assert post(leider, f"/sessies/{live.id}/leerkring/bijdragen/999999/verwijderen").status_code == 404
    assert post(leider, "/sessies/999999/leerkring/casus", {"vraag": "x"}).status_code == 404
    assert tel(Vooruitblik) == 0


def test_the_leerkring_page_keeps_the_casus_in_the_kring(app, factory, opzet):
    live, leider, _telefoon, _begeleider, gemeente = opzet
    post(leider, f"/sessies/{live.id}/leerkring/casus", {"vraag": "Kringvraag?"})
    assert "Kringvraag?" in leider.get(f"/sessies/{live.id}/leerkring").get_data(as_text=True)
    wethouder = app.test_client()
    login(wethouder, factory.user("wethouder", gemeente=gemeente).email)
    pagina = wethouder.get(f"/sessies/{live.id}/leerkring")
    assert pagina.status_code == 200 and "Kringvraag?" not in pagina.get_data(as_text=True)
    assert "De casus blijft in de kring." in pagina.get_data(as_text=True)
    verslag = leider.get(f"/sessies/{live.id}/verslag").get_data(as_text=True)
    assert "Kringvraag?" not in verslag and "De casus blijft in de kring" in verslag
    post(leider, f"/sessies/{live.id}/leerkring/casus", {"vraag": "Kringvraag?", "in_verslag": "1"})
    assert "Kringvraag?" in wethouder.get(f"/sessies/{live.id}/leerkring").get_data(as_text=True)
    assert "Kringvraag?" in leider.get(f"/sessies/{live.id}/verslag.md").get_data(as_text=True)
    andere = app.test_client()
    login(andere, factory.user("beleidsmedewerker", gemeente=factory.gemeente("Anderstad")).email)
    antwoord = andere.get(f"/sessies/{live.id}/leerkring")
    assert antwoord.status_code in (403, 404) and "Kringvraag?" not in antwoord.get_data(as_text=True)


def test_the_begeleider_removes_a_reflectie(opzet):
    live, leider, telefoon, *_ = opzet
    naar_fase(leider, live, "reflectie")
    post(telefoon, f"/s/{live.code}/leerkring/reflectie", {"tekst": "Mevrouw Jansen uit de Dorpsstraat"})
    [bijdrage_id] = db.session.scalars(select(Bijdrage.id))
    assert post(telefoon, f"/sessies/{live.id}/leerkring/bijdragen/{bijdrage_id}/verwijderen").status_code in (
        302,
        401,
        403,
    )
    assert tel(Bijdrage) == 1
    assert post(leider, f"/sessies/{live.id}/leerkring/bijdragen/{bijdrage_id}/verwijderen").status_code == 302
    assert tel(Bijdrage) == 0
    assert "Dorpsstraat" not in telefoon.get(f"/s/{live.code}").get_data(as_text=True)


def test_the_casus_can_be_prepared_before_the_start(app, factory):
    gemeente = factory.gemeente()
    begeleider = factory.user("begeleider", gemeente=gemeente)
    leerkring = factory.sessie(begeleider, titel="Kring in concept", vorm="leerkring", live=False)
    ontmoeting = factory.sessie(begeleider, titel="Ontmoeting in concept", live=False)
    leider = leider_client(app, begeleider)
    assert "Casus opslaan" in leider.get(f"/sessies/{leerkring.id}").get_data(as_text=True)
    assert "Casus opslaan" not in leider.get(f"/sessies/{ontmoeting.id}").get_data(as_text=True)
    assert post(leider, f"/sessies/{leerkring.id}/leerkring/casus", {"vraag": "Voorbereid?"}).status_code == 302
    assert db.session.get(Casus, leerkring.id).vraag == "Voorbereid?"
