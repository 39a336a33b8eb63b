"""A person turns on meldingen per e-mail from Mijn account, on a laptop and on a 320 px phone."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import axe_check, create_user, login, no_horizontal_scroll


def test_a_user_turns_on_meldingen_per_email(new_context, live_server):
    lid = create_user(live_server, "wijkteamlid")
    page = new_context().new_page()
    login(page, lid.email)
    page.goto("/account")
    page.get_by_role("link", name="Meldingen per e-mail").click()
    expect(page.get_by_role("heading", level=1, name="Meldingen per e-mail")).to_be_visible()
    keuze = page.get_by_role("checkbox", name="Herinneringen bij de streefdatum van mijn acties")
    expect(keuze).not_to_be_checked()  # opt-in: nothing is on by default
    axe_check(page)

    keuze.check()
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Je keuze is opgeslagen.")).to_be_visible()
    expect(page.get_by_role("checkbox", name="Herinneringen bij de streefdatum van mijn acties")).to_be_checked()
    axe_check(page)

    # On a phone the same page fits, and switching it off again works with a tap.
    telefoon = new_context(phone=True).new_page()
    login(telefoon, lid.email)
    telefoon.goto("/account/meldingen")
    no_horizontal_scroll(telefoon)
    uit = telefoon.get_by_role("checkbox", name="Herinneringen bij de streefdatum van mijn acties")
    expect(uit).to_be_checked()
    uit.uncheck()
    telefoon.get_by_role("button", name="Opslaan").click()
    expect(telefoon.get_by_text("je krijgt geen meldingen per e-mail")).to_be_visible()
    axe_check(telefoon)
