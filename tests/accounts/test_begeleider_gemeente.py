"""Issue 14 item 11: a begeleider never ends up without a gemeente and so without a way to make a sessie."""

from __future__ import annotations

from facilitatie.accounts import service
from facilitatie.accounts.models import User
from facilitatie.extensions import db
from facilitatie.sessies.models import Sessie
from tests.conftest import DEMO_PASSWORD, login, post

WACHTWOORD = "lang-genoeg-ww"


def _cli(runner, *extra: str):
    return runner.invoke(
        args=["create-user", "--email", "bea@ontmoet.test", "--name", "Bea", "--role", "begeleider",
              "--password", WACHTWOORD, *extra]
    )  # fmt: skip


def test_cli_refuses_a_begeleider_without_gemeente_and_says_how(runner, app):
    refused = _cli(runner)
    assert refused.exit_code != 0
    assert "--gemeente" in refused.output and "begeleider" in refused.output
    assert db.session.query(User).filter_by(email="bea@ontmoet.test").count() == 0


def test_cli_begeleider_with_gemeente_can_make_a_sessie(runner, client, app):
    made = _cli(runner, "--gemeente", "Rivierstad")
    assert made.exit_code == 0, made.output
    login(client, "bea@ontmoet.test", WACHTWOORD)
    assert client.get("/sessies/nieuw").status_code == 200
    response = post(client, "/sessies/nieuw", {"titel": "Eerste", "sessievorm": "ontmoeten-en-ont-moeten"})
    assert response.status_code == 302, response.get_data(as_text=True)
    assert db.session.query(Sessie).one().gemeente.naam == "Rivierstad"


def _beheerder(client, factory):
    beheerder = factory.user("beheerder")
    login(client, beheerder.email)
    return beheerder


def test_beheer_refuses_a_new_begeleider_with_geen_gemeente_next_to_the_field(client, factory):
    _beheerder(client, factory)
    factory.gemeente("Rivierstad")
    response = post(
        client,
        "/beheer/gebruikers/nieuw",
        {"naam": "Bea", "email": "bea@ontmoet.test", "rol": "begeleider", "perspectief": "", "gemeente": 0,
         "team": 0, "wachtwoord": WACHTWOORD},
    )  # fmt: skip
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Kies de gemeente van deze begeleider" in html
    assert 'id="gemeente-fout">Kies de gemeente van deze begeleider' in html
    assert db.session.query(User).filter_by(email="bea@ontmoet.test").count() == 0


def test_beheer_refuses_to_take_the_gemeente_from_a_begeleider(client, factory):
    _beheerder(client, factory)
    gemeente = factory.gemeente("Rivierstad")
    bea = factory.user("begeleider", gemeente=gemeente)
    response = post(
        client,
        f"/beheer/gebruikers/{bea.id}",
        {"naam": bea.naam, "email": bea.email, "rol": "begeleider", "perspectief": "", "gemeente": 0, "team": 0,
         "wachtwoord": ""},
    )  # fmt: skip
    assert response.status_code == 400
    assert "Kies de gemeente van deze begeleider" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, bea.id).gemeente_id == gemeente.id


def test_beheer_refuses_to_make_a_gemeenteloze_account_begeleider(client, factory):
    _beheerder(client, factory)
    wethouder = factory.user("wethouder")
    response = post(
        client,
        f"/beheer/gebruikers/{wethouder.id}",
        {"naam": wethouder.naam, "email": wethouder.email, "rol": "begeleider", "perspectief": "", "gemeente": 0,
         "team": 0, "wachtwoord": ""},
    )  # fmt: skip
    assert response.status_code == 400
    assert "Kies de gemeente van deze begeleider" in response.get_data(as_text=True)


def test_beheer_makes_a_begeleider_with_gemeente_who_can_make_a_sessie(client, factory):
    _beheerder(client, factory)
    gemeente = factory.gemeente("Rivierstad")
    response = post(
        client,
        "/beheer/gebruikers/nieuw",
        {"naam": "Bea", "email": "bea@ontmoet.test", "rol": "begeleider", "perspectief": "",
         "gemeente": gemeente.id, "team": 0, "wachtwoord": WACHTWOORD},
    )  # fmt: skip
    assert response.status_code == 302
    post(client, "/uitloggen", {})
    login(client, "bea@ontmoet.test", WACHTWOORD)
    response = post(client, "/sessies/nieuw", {"titel": "Eerste", "sessievorm": "ontmoeten-en-ont-moeten"})
    assert response.status_code == 302


def test_beheerder_of_all_gemeenten_chooses_the_gemeente_in_nieuwe_sessie(client, factory):
    _beheerder(client, factory)
    gemeente = factory.gemeente("Rivierstad")
    team = factory.team(gemeente, "Wijkteam Oost")
    page = client.get("/sessies/nieuw").get_data(as_text=True)
    assert "Kies een gemeente" in page and "Wijkteam Oost (Rivierstad)" in page
    missing = post(
        client, "/sessies/nieuw", {"titel": "Eerste", "sessievorm": "ontmoeten-en-ont-moeten", "gemeente": 0}
    )
    assert missing.status_code == 400
    html = missing.get_data(as_text=True)
    assert "Kies de gemeente waarvoor deze sessie is." in html
    assert '<p class="utrecht-form-field-error-message" id="gemeente-fout">Kies de gemeente waarvoor' in html
    made = post(
        client,
        "/sessies/nieuw",
        {"titel": "Eerste", "sessievorm": "ontmoeten-en-ont-moeten", "gemeente": gemeente.id, "teams": team.id},
    )
    assert made.status_code == 302
    sessie = db.session.query(Sessie).one()
    assert sessie.gemeente_id == gemeente.id and [t.naam for t in sessie.teams] == ["Wijkteam Oost"]


def test_a_begeleider_left_without_gemeente_gets_a_clear_message_not_a_form(client, factory, app):
    # An account from before a gemeente was required.
    bea = service.create_user(email="oud@ontmoet.test", naam="Oud", rol="wethouder", password=DEMO_PASSWORD)
    bea.rol = "begeleider"
    db.session.commit()
    login(client, bea.email)
    page = client.get("/sessies/nieuw")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Je account hoort nog niet bij een gemeente" in html and "Sessie aanmaken" not in html
