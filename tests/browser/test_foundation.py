"""The walking skeleton in a real browser: a begeleider runs a sessie, two deelnemers follow live.

Controls are found by role and accessible name (GLOSSARY.md labels); axe-core checks every page
on the way for WCAG 2.1 A/AA violations; the phone-sized deelnemer must not scroll sideways.
"""

from __future__ import annotations

from playwright.sync_api import Page, expect

from facilitatie.config import ROOT
from facilitatie.sessies.vormen import load_vormen
from tests.browser.conftest import (
    axe_check,
    create_sessie,
    create_user,
    deelnamecode,
    join,
    login,
    no_horizontal_scroll,
)

VORM = load_vormen(ROOT / "sessies")["ontmoeten-en-ont-moeten"]


def _mark_page(page: Page) -> None:
    """Set a flag that only survives as long as the page is not reloaded."""
    page.evaluate("() => { window.__zelfdePagina = true; }")


def _not_reloaded(page: Page) -> bool:
    return page.evaluate("() => window.__zelfdePagina === true")


def test_begeleider_runs_a_sessie_and_two_deelnemers_follow_live(live_server, new_context):
    begeleider = create_user(live_server, "begeleider")
    titel = f"Ontmoeting {live_server.unique('jeugd')}"

    # The begeleider: start page, sign-in, Nieuwe sessie, create, start.
    leider = new_context().new_page()
    leider.goto("/")
    expect(leider.get_by_role("heading", name="Doe mee aan een sessie")).to_be_visible()
    axe_check(leider)
    leider.get_by_role("link", name="Inloggen").first.click()
    expect(leider.get_by_role("heading", name="Inloggen")).to_be_visible()
    axe_check(leider)
    login(leider, begeleider.email, begeleider.password)

    leider.goto("/")
    leider.get_by_role("link", name="Nieuwe sessie").click()
    expect(leider.get_by_role("heading", name="Nieuwe sessie")).to_be_visible()
    axe_check(leider)
    leider.get_by_label("Titel").fill(titel)
    leider.get_by_role("group", name="Sessievorm").get_by_label(VORM.titel).check()
    leider.get_by_role("button", name="Sessie aanmaken").click()
    expect(leider.get_by_role("heading", level=1, name=titel)).to_be_visible()
    axe_check(leider)

    leider.get_by_role("button", name="Sessie starten").click()
    volgende = leider.get_by_role("button", name="Volgende fase")
    expect(volgende).to_be_visible()
    expect(leider.locator("#bediening")).to_contain_text(f"fase 1 van {len(VORM.fasen)}")
    code = deelnamecode(leider)
    assert len(code) >= 6
    expect(leider.locator("[data-live]")).to_have_attribute("data-code", code)
    axe_check(leider)

    # Deelnemer 1 on a desktop, through the start page and the join form.
    anna = new_context().new_page()
    anna.goto("/")
    anna.get_by_label("Deelnamecode").fill(code.lower())  # case-insensitive
    anna.get_by_role("button", name="Deelnemen").click()
    expect(anna.get_by_role("heading", name="Deelnemen", level=1)).to_be_visible()
    expect(anna.get_by_label("Deelnamecode")).to_have_value(code)
    axe_check(anna)
    anna.get_by_label("Naam (optioneel)").fill("Anna")
    anna.get_by_role("group", name="Perspectief").get_by_label("Uitvoering", exact=True).check()
    anna.get_by_role("button", name="Deelnemen").click()
    anna.wait_for_url(f"**/s/{code}")

    # Deelnemer 2 on a 320 px phone, straight from the QR link, anonymous.
    telefoon = new_context(phone=True).new_page()
    telefoon.goto(f"/deelnemen?code={code}")
    no_horizontal_scroll(telefoon)
    axe_check(telefoon)
    telefoon.get_by_role("group", name="Perspectief").get_by_label("Beleid", exact=True).check()
    telefoon.get_by_role("button", name="Deelnemen").click()
    telefoon.wait_for_url(f"**/s/{code}")

    eerste, tweede = VORM.fasen[0].titel, VORM.fasen[1].titel
    for deelnemer in (anna, telefoon):
        expect(deelnemer.get_by_role("heading", level=2, name=eerste)).to_be_visible()
        expect(deelnemer.locator("[data-live-status]")).to_have_text("Live verbonden")
        _mark_page(deelnemer)
    expect(anna.get_by_text("Je doet mee als Anna")).to_be_visible()
    no_horizontal_scroll(telefoon)
    axe_check(anna)
    axe_check(telefoon)

    # The begeleider sees how many joined, per perspectief, live (names stay private).
    expect(leider.locator("#deelnemers")).to_contain_text("1 beleid, 1 uitvoering")

    # "Volgende fase": both deelnemer screens change without a reload and announce it.
    _mark_page(leider)
    volgende.click()
    expect(leider.locator("#bediening")).to_contain_text(f"fase 2 van {len(VORM.fasen)}")
    for deelnemer in (anna, telefoon):
        expect(deelnemer.get_by_role("heading", level=2, name=tweede)).to_be_visible()
        expect(deelnemer.get_by_text(f"Fase 2 van {len(VORM.fasen)}")).to_be_visible()
        expect(deelnemer.locator("#live-melding")).to_have_attribute("aria-live", "polite")
        expect(deelnemer.locator("#live-melding")).to_have_text(f"Nieuwe fase: {tweede}.")
        expect(deelnemer.locator("[data-live-status]")).to_have_text("Live verbonden")
        assert _not_reloaded(deelnemer), "the deelnemer page was reloaded"
        expect(deelnemer.locator("[data-live]")).to_have_attribute("data-seq", _seq_in_db(live_server, code))
    assert _not_reloaded(leider)
    expect(leider.locator("[data-live]")).to_have_attribute("data-seq", _seq_in_db(live_server, code))
    no_horizontal_scroll(telefoon)
    axe_check(telefoon)
    axe_check(leider)

    # And back: "Vorige fase" reaches them too.
    leider.get_by_role("button", name="Vorige fase").click()
    for deelnemer in (anna, telefoon):
        expect(deelnemer.get_by_role("heading", level=2, name=eerste)).to_be_visible()
        expect(deelnemer.locator("#live-melding")).to_have_text(f"Nieuwe fase: {eerste}.")

    # "Sessie afsluiten" (after confirming): the deelnemers see the end, live.
    leider.once("dialog", lambda dialog: dialog.accept())
    leider.get_by_role("button", name="Sessie afsluiten").click()
    expect(leider.locator("#bediening")).to_contain_text("Afgesloten")
    for deelnemer in (anna, telefoon):
        expect(deelnemer.get_by_role("heading", level=2, name="De sessie is afgesloten")).to_be_visible()
        expect(deelnemer.locator("#live-melding")).to_have_text("De sessie is afgesloten.")
        assert _not_reloaded(deelnemer)


def _seq_in_db(live_server, code: str) -> str:
    """The sessie's last seq as stored (what every follower must end up at)."""
    return str(
        live_server.python_json(f"""
            from sqlalchemy import select
            from facilitatie.sessies.models import Sessie
            sessie = db.session.scalar(select(Sessie).where(Sessie.deelnamecode == {code!r}))
            print(json.dumps(sessie.laatste_seq))
        """)
    )


def test_deelnemer_catches_up_after_missing_updates(live_server, new_context):
    """A page that was offline while the fase moved gets what it missed when it reconnects."""
    begeleider = create_user(live_server, "begeleider")
    leider = new_context().new_page()
    login(leider, begeleider.email, begeleider.password)
    leider.goto("/sessies/nieuw")
    leider.get_by_label("Titel").fill(f"Inhaalsessie {live_server.unique()}")
    leider.get_by_role("group", name="Sessievorm").get_by_label(VORM.titel).check()
    leider.get_by_role("button", name="Sessie aanmaken").click()
    leider.get_by_role("button", name="Sessie starten").click()
    expect(leider.get_by_role("button", name="Volgende fase")).to_be_visible()
    code = deelnamecode(leider)

    context = new_context(phone=True)
    deelnemer = context.new_page()
    deelnemer.goto(f"/deelnemen?code={code}")
    deelnemer.get_by_role("button", name="Deelnemen").click()
    deelnemer.wait_for_url(f"**/s/{code}")
    expect(deelnemer.locator("[data-live-status]")).to_have_text("Live verbonden")
    _mark_page(deelnemer)

    context.set_offline(True)
    expect(deelnemer.locator("[data-live-status]")).to_have_text("Niet verbonden – opnieuw verbinden…")
    expect(deelnemer.locator("#live-melding")).to_have_text("Niet verbonden – opnieuw verbinden…")
    for fase in (2, 3, 4):  # one move at a time: a click while the controls are redrawn can miss
        leider.get_by_role("button", name="Volgende fase").click()
        expect(leider.locator("#bediening")).to_contain_text(f"fase {fase} van {len(VORM.fasen)}")
    expect(leider.locator("#bediening")).to_contain_text(f"fase 4 van {len(VORM.fasen)}")
    context.set_offline(False)

    expect(deelnemer.get_by_role("heading", level=2, name=VORM.fasen[3].titel)).to_be_visible(timeout=30_000)
    expect(deelnemer.locator("[data-live-status]")).to_have_text("Live verbonden")
    expect(deelnemer.locator("[data-live]")).to_have_attribute("data-seq", _seq_in_db(live_server, code))
    # Caught up: only the last fase is said, and that the connection is back (once).
    expect(deelnemer.locator("#live-melding")).to_contain_text(f"Nieuwe fase: {VORM.fasen[3].titel}.")
    expect(deelnemer.locator("#live-melding")).to_contain_text("Weer verbonden.")
    expect(deelnemer.locator("#live-melding")).not_to_contain_text(VORM.fasen[2].titel)
    assert _not_reloaded(deelnemer)


def test_every_foundation_page_fits_320px_and_is_axe_clean(live_server, new_context):
    """Phone width for the begeleider too, and the error state of a wrong code."""
    begeleider = create_user(live_server, "begeleider")
    telefoon = new_context(phone=True).new_page()
    for path in ("/", "/inloggen", "/deelnemen"):
        telefoon.goto(path)
        no_horizontal_scroll(telefoon)
    login(telefoon, begeleider.email, begeleider.password)
    sessie_id = create_sessie(telefoon, f"Een sessie met een lange titel {live_server.unique()}")
    for path in ("/", "/sessies", "/sessies/nieuw", f"/sessies/{sessie_id}"):
        telefoon.goto(path)
        no_horizontal_scroll(telefoon)
        axe_check(telefoon)

    # A wrong code: a Dutch message next to the field, tied to it, 4xx, still fits and passes axe.
    gast = new_context(phone=True).new_page()
    gast.goto("/deelnemen")
    gast.get_by_label("Deelnamecode").fill("QQQQQQ")
    with gast.expect_response(lambda r: r.request.method == "POST") as antwoord:
        gast.get_by_role("button", name="Deelnemen").click()
    assert antwoord.value.status == 400
    veld = gast.get_by_label("Deelnamecode")
    expect(veld).to_have_attribute("aria-invalid", "true")
    expect(veld).to_have_accessible_description("Er is geen sessie met deze deelnamecode. Controleer de code.")
    no_horizontal_scroll(gast)
    axe_check(gast)


def test_skip_link_moves_keyboard_focus_to_the_content(page):
    page.goto("/deelnemen")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Naar de inhoud")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.locator("main#inhoud")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_label("Deelnamecode")).to_be_focused()


def test_the_foundation_works_without_javascript(live_server, new_context):
    """Server-rendered forms: start, move on and join with plain POSTs; a reload shows the fase."""
    begeleider = create_user(live_server, "begeleider")
    leider = new_context(java_script_enabled=False).new_page()
    login(leider, begeleider.email, begeleider.password)
    create_sessie(leider, f"Zonder script {live_server.unique()}")
    code = deelnamecode(leider)

    deelnemer = new_context(java_script_enabled=False, phone=True).new_page()
    join(deelnemer, code, naam="Bram", perspectief="Anders")
    expect(deelnemer.get_by_role("heading", level=2, name=VORM.fasen[0].titel)).to_be_visible()

    leider.get_by_role("button", name="Volgende fase").click()
    expect(leider.locator("#bediening")).to_contain_text(f"fase 2 van {len(VORM.fasen)}")
    deelnemer.reload()
    expect(deelnemer.get_by_role("heading", level=2, name=VORM.fasen[1].titel)).to_be_visible()
