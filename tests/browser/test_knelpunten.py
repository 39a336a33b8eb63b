"""Knelpunten in a real browser: a begeleider and three deelnemers (one beleid) in separate
contexts. Post (one anonymous), a BSN refused with the Dutch message, hidden until "Onthullen",
bundelen through the keyboard path, stemmen, "Stemmen sluiten", results in order, "Reageren";
every screen converges live; axe-core finds no WCAG 2.1 A/AA violations in each fase.
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
FASE = {f.key: (i, f.titel) for i, f in enumerate(VORM.fasen)}

A = "Voor een kleine aanpassing moet een inwoner opnieuw een volledige aanvraag doen."
B = "Elk contact moet dezelfde dag in twee systemen worden vastgelegd."
C = "Herindicaties lopen af terwijl er niets veranderd is."
THEMA = "Herindicatie bij ongewijzigde situatie"


# What the begeleider's panel shows once it has been fetched for the fase.
PANEEL = {
    "knelpunten-ophalen": "#kp-onthullen",
    "bundelen": "#bord",
    "stemmen": "#stemmen-begeleider",
    "dialoog": "#dialoog-volgorde",
}


def _ga_naar_fase(leider: Page, key: str) -> None:
    index, titel = FASE[key]
    leider.get_by_role("button", name=f"Ga naar fase {titel}").click()
    expect(leider.locator("#bediening")).to_contain_text(f"fase {index + 1} van {len(VORM.fasen)}")
    expect(leider.locator(PANEEL[key])).to_be_attached()


def _live(page: Page) -> None:
    expect(page.locator("[data-live-status]")).to_have_attribute("data-state", "connected")


def _dien_in(page: Page, tekst: str, *, anoniem: bool = False) -> None:
    page.get_by_label("Knelpunt", exact=True).fill(tekst)
    page.get_by_label("Domein", exact=True).select_option("Wmo")
    if anoniem:
        page.get_by_label("Anoniem indienen").check()
    page.get_by_role("button", name="Knelpunt indienen").click()
    expect(page.locator("#knelpunt-indienen")).to_contain_text("Je knelpunt is ingediend")
    expect(page.locator("#live-melding")).to_contain_text("Je knelpunt is ingediend")


def test_knelpunten_from_posting_to_dialoog(new_context, live_server):
    begeleider = create_user(live_server, "begeleider")
    leider = new_context().new_page()
    login(leider, begeleider.email)
    sessie_id = create_sessie(leider, "Knelpunten in de browser")
    code = deelnamecode(leider)
    assert leider.url.endswith(f"/sessies/{sessie_id}")

    u1 = new_context().new_page()
    u2 = new_context(phone=True).new_page()
    b1 = new_context().new_page()
    join(u1, code, naam="Anna", perspectief="Uitvoering")
    join(u2, code, perspectief="Uitvoering")
    join(b1, code, naam="Bram", perspectief="Beleid")
    deelnemers = [u1, u2, b1]
    for page in deelnemers:
        _live(page)

    # --- knelpunten ophalen, hidden until the reveal ---
    _ga_naar_fase(leider, "knelpunten-ophalen")
    for page in deelnemers:
        expect(page.get_by_role("heading", name="Knelpunt indienen")).to_be_visible()
    expect(leider.locator("#aanwezig")).to_contain_text("3 deelnemers verbonden: 2 uitvoering, 1 beleid")
    leider.get_by_text("Instellingen voor knelpunten en stemmen").click()
    leider.get_by_label("Verborgen tot onthulling").check()
    leider.get_by_label("Stemmen per deelnemer").fill("3")
    leider.get_by_role("button", name="Instellingen opslaan").click()
    expect(leider.locator("#kp-instellingen")).to_contain_text("Instellingen opgeslagen")
    expect(leider.locator("#live-melding")).to_contain_text("Instellingen opgeslagen")

    # A BSN is refused, with the Dutch explanation next to the field, and nothing is posted.
    u1.get_by_label("Knelpunt", exact=True).fill("Cliënt met BSN 111222333 wacht al acht weken.")
    u1.get_by_role("button", name="Knelpunt indienen").click()
    expect(u1.locator("#knelpunt-tekst-fout")).to_contain_text("Knelpunten gaan over regels, niet over cliënten")
    expect(u1.get_by_label("Knelpunt", exact=True)).to_have_attribute("aria-invalid", "true")

    _dien_in(u1, A)
    _dien_in(u2, B, anoniem=True)
    _dien_in(u1, C)
    expect(u1.locator("#mijn-knelpunten")).to_contain_text(C)
    expect(u2.locator("#mijn-knelpunten")).to_contain_text(B)  # found by this browser's secret
    no_horizontal_scroll(u2)
    for tekst in (A, B, C):
        expect(leider.locator("#knelpunten-lijst")).to_contain_text(tekst)
    expect(b1.locator("#knelpunten-teller")).to_contain_text("3 wachten op onthulling")
    expect(leider.locator("#kp-onthullen")).to_contain_text("3 wachten op onthulling")
    expect(leider.get_by_role("button", name="Onthullen")).to_be_enabled()
    expect(b1.locator("#knelpunten-lijst")).not_to_contain_text(A)
    expect(leider.locator("#knelpunten-lijst")).to_contain_text("anoniem")
    axe_check(u1)
    axe_check(leider)

    leider.get_by_role("button", name="Onthullen").click()
    for page in deelnemers:
        for tekst in (A, B, C):
            expect(page.locator("#knelpunten-lijst")).to_contain_text(tekst)
    # Deelnemers never see who wrote what.
    expect(b1.locator("#knelpunten")).not_to_contain_text("Anna")

    # --- bundelen through the keyboard path ---
    _ga_naar_fase(leider, "bundelen")
    leider.get_by_label("Nieuw thema").fill(THEMA)
    leider.get_by_role("button", name="Thema toevoegen").click()
    expect(leider.locator("#themas")).to_contain_text(THEMA)
    for tekst in (A, C):
        item = leider.locator(".bord-knelpunt", has_text=tekst)
        keuze = item.get_by_label("Verplaats naar thema…")
        keuze.focus()
        keuze.select_option(label=THEMA)
        item.get_by_role("button", name="Verplaatsen").focus()
        leider.keyboard.press("Enter")
        expect(leider.get_by_role("region", name=THEMA)).to_contain_text(tekst)
    for page in [leider, *deelnemers]:
        thema = page.get_by_role("region", name=THEMA)
        expect(thema).to_contain_text(A)
        expect(thema).to_contain_text(C)
        expect(page.locator("#thema-los")).to_contain_text(B)
        expect(page.locator("#thema-los")).not_to_contain_text(A)
    axe_check(u2)
    no_horizontal_scroll(u2)  # the board at 320 px
    axe_check(leider)

    # --- stemmen: the thema gets 4, the loose knelpunt 3; results hidden until closed ---
    _ga_naar_fase(leider, "stemmen")

    def stem(page: Page, titel: str, keer: int = 1) -> None:
        for _ in range(keer):
            page.get_by_role("button", name=f"Stem op {titel}", exact=True).click()
            page.wait_for_load_state("networkidle")

    b_titel = B
    stem(u1, THEMA, 2)
    stem(u1, b_titel)
    stem(u2, b_titel, 2)
    stem(u2, THEMA)
    u2.get_by_role("button", name=f"Stem intrekken op {THEMA}", exact=True).click()
    expect(u2.locator("#stemmen")).to_contain_text("Je hebt nog 1 van de 3 stemmen")
    stem(b1, THEMA, 2)
    expect(b1.locator("#stemmen")).to_contain_text("Je hebt nog 1 van de 3 stemmen")
    expect(leider.locator("#stemmen-voortgang")).to_contain_text("7 stemmen uitgebracht door 3 deelnemers")
    expect(u1.get_by_text("Uitslag")).to_have_count(0)
    axe_check(b1)
    axe_check(leider)

    leider.get_by_role("button", name="Stemmen sluiten").click()
    for page in [leider, *deelnemers]:
        regels = page.locator(".uitslag-regel")
        expect(regels).to_have_count(2)
        expect(regels.nth(0)).to_contain_text(THEMA)
        expect(regels.nth(0)).to_contain_text("4 stemmen")
        expect(regels.nth(1)).to_contain_text("3 stemmen")
    axe_check(u1)

    # --- dialoog: the top item on screen, reageren by beleid and uitvoering ---
    _ga_naar_fase(leider, "dialoog")
    leider.get_by_role("button", name=f"Op het scherm {THEMA}").click()
    for page in [leider, *deelnemers]:
        expect(page.locator("#dialoog-titel")).to_contain_text(THEMA)
    reactie = "De regel is bedoeld om veranderingen te zien; bij een blijvende beperking kan het anders."
    b1.get_by_label(f"Reactie op {THEMA}").fill(reactie)
    b1.get_by_role("button", name="Reageren").click()
    u1.get_by_label(f"Reactie op {THEMA}").fill("Dat zou ons elke week uren schelen.")
    u1.get_by_role("button", name="Reageren").click()
    for page in [leider, *deelnemers]:
        reacties = page.locator(".reactie")
        expect(reacties).to_have_count(2)
        expect(page.locator(".reactie--beleid")).to_contain_text(reactie)
        expect(page.locator(".reactie--uitvoering")).to_contain_text("uren schelen")
    leider.get_by_role("button", name=f"Besproken {THEMA}").click()
    for page in deelnemers:
        expect(page.locator("#dialoog-kop")).to_contain_text("Besproken")
    axe_check(b1)
    axe_check(leider)


def test_an_empty_knelpunt_field_does_not_look_wrong_before_anyone_typed(new_context, live_server):
    """The required textarea is :invalid while empty; it showed the red error border on arrival."""
    begeleider = create_user(live_server, "begeleider")
    leider = new_context().new_page()
    login(leider, begeleider.email)
    create_sessie(leider, "Rustige velden")
    code = deelnamecode(leider)
    deelnemer = new_context().new_page()
    join(deelnemer, code, perspectief="Uitvoering")
    _ga_naar_fase(leider, "knelpunten-ophalen")
    veld = deelnemer.get_by_label("Knelpunt", exact=True)
    expect(veld).to_be_visible()
    kleur = "el => getComputedStyle(el).borderTopColor"
    gewoon = deelnemer.evaluate(
        "() => { const t = document.createElement('textarea'); t.className = 'utrecht-textarea "
        "utrecht-textarea--html-textarea'; document.body.append(t); const c = getComputedStyle(t).borderTopColor;"
        " t.remove(); return c; }"
    )
    assert veld.evaluate(kleur) == gewoon
    _dien_in(deelnemer, "Een formulier vraagt drie keer hetzelfde adres.")
    assert deelnemer.get_by_label("Knelpunt", exact=True).evaluate(kleur) == gewoon
