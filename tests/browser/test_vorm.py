"""Issue 14 items 5, 9 and 11 in a real browser, on a phone (390×844) where deelnemers are."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from facilitatie.config import ROOT
from facilitatie.sessies.vormen import load_vormen
from tests.browser.conftest import axe_check, create_sessie, create_user, deelnamecode, join, login

VORM = load_vormen(ROOT / "sessies")["ontmoeten-en-ont-moeten"]
KNELPUNTEN = next(f.titel for f in VORM.fasen if f.key == "knelpunten-ophalen")


def _gemeente_met_teams(live_server, *teams: str) -> str:
    """A gemeente of its own (others share Vechtstede) with these wijkteams."""
    naam = live_server.unique("Tweeteamstad")
    live_server.python(
        f"""
        from facilitatie.accounts import service
        gemeente = service.create_gemeente({naam!r})
        for team in {list(teams)!r}:
            service.create_team(team, gemeente)
        """
    )
    return naam


def _sessie_in_knelpunten(new_context, live_server, gemeente: str) -> str:
    begeleider = create_user(live_server, "begeleider", gemeente=gemeente)
    leider = new_context().new_page()
    login(leider, begeleider.email)
    create_sessie(leider, "Twee teams")
    leider.get_by_role("button", name=f"Ga naar fase {KNELPUNTEN}").click()
    expect(leider.locator("#kp-onthullen")).to_be_attached()
    return deelnamecode(leider)


def _dien_in(page: Page, tekst: str) -> None:
    page.get_by_label("Knelpunt", exact=True).fill(tekst)
    page.get_by_label("Domein", exact=True).select_option("Wmo")
    page.get_by_role("button", name="Knelpunt indienen").click()


def test_a_phone_chooses_its_wijkteam_once_and_keeps_it(new_context, live_server):
    gemeente = _gemeente_met_teams(live_server, "Wijkteam Noord", "Wijkteam Zuid")
    code = _sessie_in_knelpunten(new_context, live_server, gemeente)
    telefoon = new_context(phone=True).new_page()
    join(telefoon, code)
    team = telefoon.get_by_label("Wijkteam", exact=True)
    expect(team).to_have_value("")  # nothing chosen for the deelnemer, and no team by default

    _dien_in(telefoon, "Elk contact moet twee keer worden vastgelegd.")
    expect(telefoon.locator("#knelpunt-team-fout")).to_contain_text("Kies je wijkteam")
    axe_check(telefoon)

    team.select_option(label="Wijkteam Zuid")
    _dien_in(telefoon, "Elk contact moet twee keer worden vastgelegd.")
    expect(telefoon.locator("#knelpunt-indienen")).to_contain_text("Je knelpunt is ingediend")
    expect(telefoon.get_by_label("Wijkteam", exact=True).locator("option:checked")).to_have_text("Wijkteam Zuid")
    telefoon.reload()
    expect(telefoon.get_by_label("Wijkteam", exact=True).locator("option:checked")).to_have_text("Wijkteam Zuid")
    _dien_in(telefoon, "Herindicaties lopen af terwijl er niets veranderd is.")
    expect(telefoon.locator("#knelpunt-indienen")).to_contain_text("Je knelpunt is ingediend")

    telefoon.get_by_label("Wijkteam", exact=True).select_option(label="Geen wijkteam: hoort bij geen team")
    _dien_in(telefoon, "Het formulier is alleen op papier te krijgen.")
    expect(telefoon.locator("#knelpunt-indienen")).to_contain_text("Je knelpunt is ingediend")
    teams = live_server.python_json(
        f"""
        from sqlalchemy import select
        from facilitatie.knelpunten.models import Knelpunt
        from facilitatie.sessies.models import Sessie
        sessie = db.session.scalar(select(Sessie).where(Sessie.deelnamecode == {code!r}))
        rows = db.session.scalars(select(Knelpunt).where(Knelpunt.sessie_id == sessie.id).order_by(Knelpunt.id))
        print(json.dumps([k.team.naam if k.team else None for k in rows]))
        """
    )
    assert teams == ["Wijkteam Zuid", "Wijkteam Zuid", None]


def test_aanpassen_after_a_privacy_warning_checks_the_edit_again(new_context, live_server):
    gemeente = _gemeente_met_teams(live_server, "Wijkteam Oost")
    code = _sessie_in_knelpunten(new_context, live_server, gemeente)
    telefoon = new_context(phone=True).new_page()
    join(telefoon, code)
    expect(telefoon.locator(".knelpunt-team-vast")).to_contain_text("Wijkteam Oost")

    _dien_in(telefoon, "Het loket is alleen bereikbaar via 030-1234567.")
    expect(telefoon.locator("#knelpunt-tekst-fout")).to_contain_text("telefoonnummer")
    telefoon.get_by_role("button", name="Aanpassen").click()
    veld = telefoon.get_by_label("Knelpunt", exact=True)
    expect(veld).to_be_focused()
    expect(veld).to_have_value("Het loket is alleen bereikbaar via 030-1234567.")
    expect(telefoon.get_by_role("button", name="Toch indienen")).to_have_count(0)
    axe_check(telefoon)

    veld.fill("Het loket is alleen bereikbaar via 030 7654321.")
    telefoon.get_by_role("button", name="Knelpunt indienen").click()
    expect(telefoon.locator("#knelpunt-tekst-fout")).to_contain_text("telefoonnummer")  # checked again
    telefoon.get_by_role("button", name="Aanpassen").click()
    telefoon.get_by_label("Knelpunt", exact=True).fill("Het loket is alleen telefonisch bereikbaar.")
    telefoon.get_by_role("button", name="Knelpunt indienen").click()
    expect(telefoon.locator("#knelpunt-indienen")).to_contain_text("Je knelpunt is ingediend")


def test_a_begeleider_without_gemeente_is_refused_with_a_clear_message(new_context, live_server):
    refused = live_server.flask(
        "create-user", "--email", f"{live_server.unique('bea')}@ontmoet.test", "--name", "Bea",
        "--role", "begeleider", "--password", "lang-genoeg-wachtwoord", check=False,
    )  # fmt: skip
    assert refused.returncode != 0 and "--gemeente" in refused.stderr

    gemeente = _gemeente_met_teams(live_server, "Wijkteam West")
    beheerder = create_user(live_server, "beheerder", gemeente=None)
    page = new_context().new_page()
    login(page, beheerder.email)
    page.goto("/beheer/gebruikers/nieuw")
    page.get_by_label("Naam").fill("Bea Begeleider")
    page.get_by_label("E-mailadres").fill(f"{live_server.unique('bea')}@ontmoet.test")
    page.get_by_label("Rol").select_option("begeleider")
    page.get_by_label("Gemeente").select_option(label="Geen gemeente")
    page.get_by_label("Wachtwoord").fill("lang-genoeg-wachtwoord")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator("#gemeente-fout")).to_contain_text("Kies de gemeente van deze begeleider")
    axe_check(page)

    # The beheerder of all gemeenten picks the gemeente in Nieuwe sessie.
    page.goto("/sessies/nieuw")
    page.get_by_label("Titel").fill("Voor een gemeente")
    page.get_by_role("button", name="Sessie aanmaken").click()
    expect(page.locator("#gemeente-fout")).to_contain_text("Kies de gemeente waarvoor deze sessie is")
    page.get_by_label("Gemeente").select_option(label=gemeente)
    page.get_by_label(f"Wijkteam West ({gemeente})").check()  # a beheerder sees the teams of every gemeente
    page.get_by_role("button", name="Sessie aanmaken").click()
    expect(page.get_by_role("button", name="Sessie starten")).to_be_visible()


def test_ga_naar_deze_fase_sits_on_the_baseline_of_its_fase(new_context, live_server):
    """Issue 14 item 6: the "Ga naar deze fase" buttons sat below the line of their fase's titel."""
    begeleider = create_user(live_server, "begeleider")
    leider = new_context().new_page()
    leider.set_viewport_size({"width": 1366, "height": 768})
    login(leider, begeleider.email)
    create_sessie(leider, "Op de lijn")
    verschillen = leider.evaluate(
        """() => [...document.querySelectorAll('.fasen-lijst > li')].filter(li => li.querySelector('form'))
             .map(li => Math.abs(li.querySelector('.fase-titel').getBoundingClientRect().bottom
                                 - li.querySelector('button [aria-hidden]').getBoundingClientRect().bottom))"""
    )
    assert verschillen and max(verschillen) <= 2, verschillen
