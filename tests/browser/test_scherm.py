"""The Scherm (issue 14 item 1): the projector view of a sessie, opened by its begeleider in a
second window. It follows the fasen live without controls, shows the code and QR while people
join and each new knelpunt as it comes in, never an author's name, and is axe clean at
1920×1080. Only the begeleider who leads the sessie may open it.
"""

from __future__ import annotations

import os
import re

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
)

VORM = load_vormen(ROOT / "sessies")["ontmoeten-en-ont-moeten"]
FASE = {f.key: (i, f.titel) for i, f in enumerate(VORM.fasen)}
BEAMER = {"width": 1920, "height": 1080}
KLEIN = {"width": 1280, "height": 720}
SHOTS = os.environ.get("ONTMOET_SCHERMAFDRUKKEN")  # a folder: save screenshots to look at

A = "Een kleine aanpassing vraagt een volledige nieuwe aanvraag van de inwoner."
B = "Elk contact moet dezelfde dag in twee systemen worden vastgelegd."


def _shot(page: Page, naam: str) -> None:
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{naam}.png", full_page=True)


def _ga_naar_fase(leider: Page, key: str) -> None:
    index, titel = FASE[key]
    leider.get_by_role("button", name=f"Ga naar fase {titel}").click()
    expect(leider.locator("#bediening")).to_contain_text(f"fase {index + 1} van {len(VORM.fasen)}")


def _dien_in(page: Page, tekst: str, *, anoniem: bool = False) -> None:
    page.get_by_label("Knelpunt", exact=True).fill(tekst)
    page.get_by_label("Domein", exact=True).select_option("Wmo")
    if anoniem:
        page.get_by_label("Anoniem indienen").check()
    page.get_by_role("button", name="Knelpunt indienen").click()
    expect(page.locator("#knelpunt-indienen")).to_contain_text("Je knelpunt is ingediend")


def test_scherm_follows_the_fasen_and_new_knelpunten_live(new_context, live_server):
    begeleider = create_user(live_server, "begeleider")
    leider = new_context(viewport={"width": 1366, "height": 768}).new_page()
    login(leider, begeleider.email)
    titel = f"Scherm {live_server.unique()}"
    sessie_id = create_sessie(leider, titel)
    code = deelnamecode(leider)

    # "Open scherm" opens the projector view in a new window.
    link = leider.get_by_role("link", name=re.compile("^Open scherm"))
    expect(link).to_have_attribute("target", "_blank")
    with leider.expect_popup() as popup:
        link.click()
    scherm = popup.value
    scherm.set_viewport_size(BEAMER)
    expect(scherm).to_have_url(re.compile(rf"/sessies/{sessie_id}/scherm$"))
    scherm.wait_for_load_state("networkidle")

    # Welkom: the big code and the QR code, no controls at all.
    expect(scherm.get_by_role("heading", level=1)).to_have_text(FASE["welkom"][1])
    expect(scherm.get_by_label(re.compile("^Deelnamecode"))).to_be_visible()
    expect(scherm.get_by_role("img", name=re.compile("QR-code"))).to_be_visible()
    groot = scherm.locator(".scherm-code").evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert groot >= 100, f"the code is {groot}px: too small for the back of the room"
    expect(scherm.locator("button, form, input, select, textarea, a")).to_have_count(0)
    axe_check(scherm)
    _shot(scherm, "scherm-welkom-1920")

    anna = new_context(phone=True).new_page()
    bram = new_context(phone=True).new_page()
    join(anna, code, naam="Anna", perspectief="Uitvoering")
    join(bram, code, naam="Bram", perspectief="Uitvoering")

    # A fase move reaches the Scherm live (no reload), with the instruction of the fase.
    scherm.evaluate("() => { window.nietHerladen = true; }")
    _ga_naar_fase(leider, "knelpunten-ophalen")
    expect(scherm.get_by_role("heading", level=1)).to_have_text(FASE["knelpunten-ophalen"][1])
    expect(scherm.locator(".scherm-instructie")).to_contain_text("Knelpunt indienen")
    expect(scherm.locator(".scherm-code-klein")).to_contain_text(code[:3])
    expect(scherm.get_by_label(re.compile("^Deelnamecode"))).to_have_count(0)

    # New knelpunten appear live; no author, not even of a named post.
    _dien_in(anna, A)
    expect(scherm.locator(".scherm-knelpunten")).to_contain_text(A)
    _dien_in(bram, B, anoniem=True)
    expect(scherm.locator(".scherm-knelpunten")).to_contain_text(B)
    for naam in ("Anna", "Bram", "anoniem"):
        expect(scherm.locator("main")).not_to_contain_text(naam)
    # The timer the begeleider starts counts down on the Scherm.
    leider.get_by_role("button", name="Timer starten").click()
    expect(scherm.locator(".timer-tijd")).to_contain_text(re.compile(r"\b(10:00|9:\d\d)\b"))
    assert scherm.evaluate("() => window.nietHerladen") is True  # followed live, not reloaded
    expect(scherm.locator("button, form, input, select, textarea, a")).to_have_count(0)
    axe_check(scherm)
    _shot(scherm, "scherm-knelpunten-1920")
    scherm.set_viewport_size(KLEIN)
    _shot(scherm, "scherm-knelpunten-1280")
    tekst = scherm.locator(".scherm-knelpunt .knelpunt-tekst").first.evaluate(
        "e => parseFloat(getComputedStyle(e).fontSize)"
    )
    assert tekst >= 18, f"knelpunt text is {tekst}px at 1280×720"
    scherm.set_viewport_size(BEAMER)

    # The begeleider's page is a control panel: the gids is closed until asked for.
    gids = leider.locator("details.gids").first
    expect(gids).not_to_have_attribute("open", "")
    expect(leider.get_by_text(re.compile("^Gids bij Knelpunten ophalen"))).to_be_visible()
    _shot(leider, "begeleider-knelpunten-1366")


def test_scherm_shows_the_board_the_dialoog_and_the_besluiten_live(new_context, live_server):
    begeleider = create_user(live_server, "begeleider")
    leider = new_context().new_page()
    login(leider, begeleider.email)
    sessie_id = create_sessie(leider, f"Scherm dialoog {live_server.unique()}")
    code = deelnamecode(leider)
    anna = new_context(phone=True).new_page()
    join(anna, code, naam="Anna", perspectief="Uitvoering")
    _ga_naar_fase(leider, "knelpunten-ophalen")
    _dien_in(anna, A)
    _dien_in(anna, B)

    scherm = new_context(viewport=BEAMER, storage_state=leider.context.storage_state()).new_page()
    scherm.goto(f"/sessies/{sessie_id}/scherm")
    expect(scherm.locator(".scherm-knelpunten")).to_contain_text(A)

    _ga_naar_fase(leider, "bundelen")
    leider.get_by_label("Nieuw thema").fill("Dubbel werk")
    leider.get_by_role("button", name="Thema toevoegen").click()
    expect(scherm.get_by_role("region", name="Dubbel werk")).to_be_visible()
    expect(scherm.get_by_role("region", name="Zonder thema")).to_contain_text(A[:40])

    _ga_naar_fase(leider, "dialoog")
    expect(scherm.locator("#dialoog-titel")).to_contain_text("Nog geen onderwerp")
    leider.get_by_role("button", name=re.compile(r"^Op het scherm Een kleine")).click()
    expect(scherm.locator("#dialoog-titel")).to_contain_text("Een kleine aanpassing")
    anna.get_by_label(re.compile("^Reactie op Een kleine")).fill("Dat kost ons elke week uren.")
    anna.get_by_role("button", name="Reageren").click()
    expect(scherm.locator(".reactie")).to_contain_text("elke week uren")
    expect(scherm.locator("button, form, input, select, textarea")).to_have_count(0)
    axe_check(scherm)
    _shot(scherm, "scherm-dialoog-1920")

    _ga_naar_fase(leider, "besluiten-en-acties")
    expect(scherm.locator(".scherm-opvolging")).to_contain_text("0 van 2 knelpunten")
    besluit = leider.locator(".knelpunt-besluit", has_text=A[:40])
    besluit.get_by_label("Opgepakt", exact=True).check()
    besluit.get_by_role("button", name="Besluit vastleggen").click()
    expect(scherm.locator(".scherm-opvolging")).to_contain_text("1 van 2 knelpunten heeft een besluit")
    expect(scherm.locator(".scherm-besluit--genomen")).to_contain_text("Opgepakt")
    # "Kijk mee": the phones show the besluiten too, as they are recorded.
    expect(anna.locator("#besluiten-live .scherm-besluit--genomen")).to_contain_text("Opgepakt")
    expect(anna.locator("#besluiten-live")).to_contain_text("1 van 2 knelpunten heeft een besluit")
    axe_check(scherm)
    _shot(scherm, "scherm-besluiten-1920")


def test_only_the_leading_begeleider_opens_the_scherm(new_context, live_server):
    begeleider = create_user(live_server, "begeleider")
    leider = new_context().new_page()
    login(leider, begeleider.email)
    titel = f"Geheim scherm {live_server.unique()}"
    sessie_id = create_sessie(leider, titel)
    code = deelnamecode(leider)

    collega = create_user(live_server, "begeleider")
    beleid = create_user(live_server, "beleidsmedewerker")
    vreemd = create_user(live_server, "begeleider", gemeente=f"Elders {live_server.unique()}")
    for wie in (collega, beleid, vreemd):
        page = new_context().new_page()
        login(page, wie.email)
        for pad in (f"/sessies/{sessie_id}/scherm", f"/sessies/{sessie_id}/scherm/inhoud"):
            antwoord = page.request.get(pad, max_redirects=0)
            assert antwoord.status in (403, 404), (wie.rol, pad, antwoord.status)
            assert titel not in antwoord.text() and code not in antwoord.text()

    deelnemer = new_context().new_page()
    join(deelnemer, code, naam="Anna")
    for pad in (f"/sessies/{sessie_id}/scherm", f"/sessies/{sessie_id}/scherm/inhoud"):
        antwoord = deelnemer.request.get(pad, max_redirects=0)
        assert antwoord.status in (302, 401, 403, 404), (pad, antwoord.status)
        assert titel not in antwoord.text() and code not in antwoord.text()
    assert leider.request.get(f"/sessies/{sessie_id}/scherm").status == 200
    assert leider.request.get("/sessies/999999/scherm").status == 404
