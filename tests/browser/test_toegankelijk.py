"""Accessible beyond axe (issue 18): a whole sessie with the keyboard only, a deelnemer on a
390×844 phone and the begeleider on a laptop. After every action the test asserts where focus is
(never on <body>) and what the one live region (#live-melding) said; half a knelpunt survives the
begeleider moving the fase on, a reload, and comes back in its form; errors put focus on the
error summary or the invalid field; targets are at least 24×24 px; the timer's end is said once.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import BrowserContext, Locator, Page, expect

from facilitatie.config import ROOT
from facilitatie.sessies.vormen import load_vormen
from tests.browser.conftest import create_sessie, create_user, deelnamecode, join, login

VORM = load_vormen(ROOT / "sessies")["ontmoeten-en-ont-moeten"]
FASE = {f.key: (i, f.titel) for i, f in enumerate(VORM.fasen)}
TELEFOON = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}

HALF = "Voor een kleine aanpassing moet een inwoner"
HEEL = HALF + " opnieuw een volledige aanvraag doen."
ANDER = "Elk contact moet dezelfde dag in twee systemen worden vastgelegd."
THEMA = "Dubbel werk"

# Every text the live region ever held, in order (a MutationObserver from the first paint).
LUISTER = """
window.__gezegd = [];
document.addEventListener("DOMContentLoaded", () => {
  const regio = document.getElementById("live-melding");
  if (!regio) { return; }
  new MutationObserver(() => {
    const tekst = regio.textContent.trim();
    if (tekst) { window.__gezegd.push(tekst); }
  }).observe(regio, {childList: true, characterData: true, subtree: true});
});
// Where focus went, in order (a failed focus assertion prints it: which swap or script took it).
window.__focus = [];
const beschrijf = (el) => !el ? "-" : el === document.body ? "BODY" :
  el.tagName + (el.id ? "#" + el.id : "") + (el.isConnected ? "" : "(weg)");
const spoor = (wat) => window.__focus.push(Math.round(performance.now()) + " " + wat);
document.addEventListener("focusin", (e) => spoor("in " + beschrijf(e.target)), true);
document.addEventListener("focusout", (e) => spoor("uit " + beschrijf(e.target)), true);
for (const naam of ["htmx:beforeSwap", "htmx:afterSwap", "htmx:sendError", "htmx:timeout", "ontmoet:update"]) {
  document.addEventListener(naam, (e) => spoor(naam + " " + beschrijf(e.target) + " nu " +
    beschrijf(document.activeElement)));
}
"""


def _context(new_context, *, telefoon: bool) -> BrowserContext:
    if telefoon:
        context = new_context(phone=True, viewport=TELEFOON)
    else:
        context = new_context(viewport=LAPTOP)
    context.add_init_script(LUISTER)
    return context


def _gezegd(page: Page) -> str:
    return " | ".join(page.evaluate("() => window.__gezegd || []"))


def _hoort(page: Page, tekst: str) -> None:
    page.wait_for_function("t => (window.__gezegd || []).some(s => s.includes(t))", arg=tekst)


def _gefocust(page: Page, doel: Locator) -> None:
    """`expect(doel).to_be_focused()`, saying where focus went instead when it fails."""
    try:
        expect(doel).to_be_focused()
    except AssertionError as exc:
        staat = page.evaluate(
            "() => ({actief: document.activeElement ? document.activeElement.outerHTML.slice(0, 160) : null,"
            " heeftFocus: document.hasFocus(), spoor: (window.__focus || []).slice(-40)})"
        )
        raise AssertionError(f"{exc}\nfocus: {staat}") from None


def _niet_op_body(page: Page) -> None:
    tag = page.evaluate("() => document.activeElement ? document.activeElement.tagName : 'NONE'")
    assert tag not in ("BODY", "HTML", "NONE"), f"focus dropped to {tag}"


def _tab_naar(page: Page, doel: Locator, *, max_stappen: int = 80) -> None:
    """Press Tab (only Tab) until the control has focus, as a keyboard user would."""
    for _ in range(max_stappen):
        page.keyboard.press("Tab")
        if doel.evaluate_all("(els) => els.includes(document.activeElement)"):
            return
    raise AssertionError(f"{doel} never got focus with Tab")


def _ga_naar_fase(leider: Page, key: str) -> None:
    """The begeleider's fase list, with the keyboard: focus the button, Enter."""
    index, titel = FASE[key]
    knop = leider.get_by_role("button", name=f"Ga naar fase {titel}")
    knop.focus()
    leider.keyboard.press("Enter")
    expect(leider.locator("#bediening")).to_contain_text(f"fase {index + 1} van {len(VORM.fasen)}")
    _niet_op_body(leider)


def _kleine_doelen(page: Page) -> list[str]:
    """Visible controls smaller than 24×24 px (WCAG 2.2 2.5.8), except links inside running text.
    Measured once the page is settled (panels fetched, images laid out)."""
    page.wait_for_load_state("networkidle")
    klein: list[str] = []
    for _ in range(5):
        klein = _meet_doelen(page)
        if not klein:
            return klein
        page.wait_for_timeout(300)
    return klein


def _meet_doelen(page: Page) -> list[str]:
    return page.evaluate(
        """() => Array.from(document.querySelectorAll(
              'a[href], button, input:not([type=hidden]), select, textarea, summary'))
            .filter(el => el.getClientRects().length && !el.closest('.visually-hidden, .skip-link'))
            .filter(el => !(el.tagName === 'A' && el.closest('p, li') && !el.closest('nav, .sessie-opvolging-links')
                            && el.closest('p, li').textContent.trim() !== el.textContent.trim()))
            .map(el => [el, el.getBoundingClientRect()])
            .filter(([el, r]) => r.width < 24 || r.height < 24)
            .map(([el, r]) => `${el.tagName.toLowerCase()}#${el.id} "${el.textContent.trim().slice(0, 30)}"`
                              + ` ${Math.round(r.width)}x${Math.round(r.height)}`)"""
    )


@pytest.mark.timeout(300)
def test_a_whole_sessie_with_the_keyboard_only(new_context, live_server):
    begeleider = create_user(live_server, "begeleider")
    leider = _context(new_context, telefoon=False).new_page()
    login(leider, begeleider.email)
    create_sessie(leider, f"Toetsenbord {live_server.unique()}")
    code = deelnamecode(leider)
    # The begeleider's links to Besluiten en acties, Verslag and Verwachtingen are real targets.
    assert _kleine_doelen(leider) == []

    anna = _context(new_context, telefoon=True).new_page()
    bram = _context(new_context, telefoon=False).new_page()
    join(anna, code, naam="Anna", perspectief="Uitvoering")
    join(bram, code, naam="Bram", perspectief="Beleid")
    for page in (anna, bram):
        expect(page.locator("[data-live-status]")).to_have_text("Live verbonden")
        # The connection state is there for assistive technology too.
        assert page.locator("[data-live-status]").get_attribute("aria-hidden") is None

    # --- Knelpunten ophalen: half a knelpunt typed when the begeleider moves on -------------
    _ga_naar_fase(leider, "knelpunten-ophalen")
    veld = anna.get_by_label("Knelpunt", exact=True)
    expect(veld).to_be_visible()
    _tab_naar(anna, veld)
    anna.keyboard.type(HALF)
    _ga_naar_fase(leider, "bundelen")
    expect(anna.get_by_role("heading", level=2, name=FASE["bundelen"][1])).to_be_visible()
    niet_verstuurd = anna.get_by_role("region", name="Niet verstuurd")
    expect(niet_verstuurd).to_contain_text("Je tekst is nog niet verstuurd")
    expect(niet_verstuurd).to_contain_text(HALF)
    _gefocust(anna, anna.locator("#concepten-kop"))
    _hoort(anna, f"Nieuwe fase: {FASE['bundelen'][1]}.")
    _hoort(anna, "Je tekst is nog niet verstuurd")

    # A reload keeps it too.
    anna.reload()
    expect(anna.get_by_role("region", name="Niet verstuurd")).to_contain_text(HALF)

    # Back to knelpunten: the text is in its form again, said and shown.
    _ga_naar_fase(leider, "knelpunten-ophalen")
    expect(anna.get_by_label("Knelpunt", exact=True)).to_have_value(HALF)
    expect(anna.locator("#knelpunt-indienen")).to_contain_text("Je tekst is nog niet verstuurd")
    expect(anna.get_by_role("region", name="Niet verstuurd")).to_have_count(0)

    # A knelpunt without domein: focus on the invalid field, which says why.
    veld = anna.get_by_label("Knelpunt", exact=True)
    _tab_naar(anna, veld)
    anna.keyboard.press("End")
    anna.keyboard.type(HEEL[len(HALF) :])
    knop = anna.get_by_role("button", name="Knelpunt indienen")
    _tab_naar(anna, knop)
    anna.keyboard.press("Enter")
    domein = anna.get_by_label("Domein", exact=True)
    _gefocust(anna, domein)
    expect(domein).to_have_attribute("aria-invalid", "true")
    expect(anna.get_by_label("Knelpunt", exact=True)).to_have_value(HEEL)

    # Choose the domein with the keyboard and send: focus back on the button, the
    # confirmation said once, and the poster is not told about their own post as news.
    anna.keyboard.press("ArrowDown")
    knop = anna.get_by_role("button", name="Knelpunt indienen")
    _tab_naar(anna, knop)
    anna.keyboard.press("Enter")
    expect(anna.locator("#mijn-knelpunten")).to_contain_text(HEEL)
    _gefocust(anna, anna.get_by_role("button", name="Knelpunt indienen"))
    _hoort(anna, "Je knelpunt is ingediend.")
    _hoort(bram, "Er is een nieuw knelpunt ingediend.")
    expect(bram.locator("#knelpunten-lijst")).to_contain_text(HEEL)
    assert "nieuw knelpunt" not in _gezegd(anna)
    expect(anna.get_by_role("region", name="Niet verstuurd")).to_have_count(0)

    # An empty knelpunt (spaces only): focus on the field, marked invalid.
    veld = anna.get_by_label("Knelpunt", exact=True)
    _tab_naar(anna, veld)
    anna.keyboard.type("   ")
    _tab_naar(anna, anna.get_by_role("button", name="Knelpunt indienen"))
    anna.keyboard.press("Enter")
    _gefocust(anna, anna.get_by_label("Knelpunt", exact=True))
    expect(anna.get_by_label("Knelpunt", exact=True)).to_have_attribute("aria-invalid", "true")

    bram.get_by_label("Knelpunt", exact=True).fill(ANDER)
    bram.get_by_label("Domein", exact=True).select_option("Wmo")
    bram.get_by_role("button", name="Knelpunt indienen").click()
    expect(leider.locator("#knelpunten-lijst")).to_contain_text(ANDER)
    _hoort(anna, "Er is een nieuw knelpunt ingediend.")

    # --- Bundelen with the keyboard: focus follows the knelpunt that moved ---------------
    _ga_naar_fase(leider, "bundelen")
    _tab_naar(leider, leider.get_by_label("Nieuw thema"))
    leider.keyboard.type(THEMA)
    leider.keyboard.press("Enter")
    expect(leider.locator("#themas")).to_contain_text(THEMA)
    _gefocust(leider, leider.get_by_label("Nieuw thema"))
    item = leider.locator(".bord-knelpunt", has_text=ANDER)
    keuze = item.get_by_label("Verplaats naar thema…")
    keuze.focus()
    keuze.select_option(label=THEMA)
    verplaats = item.get_by_role("button", name=re.compile("^Verplaatsen"))
    # The button says what moves, as on screen (no internal id).
    expect(verplaats).to_have_accessible_name(re.compile(r"^Verplaatsen ?: Elk contact"))
    leider.keyboard.press("Tab")
    _gefocust(leider, verplaats)
    leider.keyboard.press("Enter")
    thema = leider.get_by_role("region", name=THEMA)
    expect(thema).to_contain_text(ANDER)
    verplaatst = thema.get_by_role("button", name=re.compile(r"^Verplaatsen ?: Elk contact"))
    _gefocust(leider, verplaatst)
    expect(verplaatst).to_be_in_viewport()

    # --- Stemmen: focus stays on the Stem that was used, the count is said --------------
    _ga_naar_fase(leider, "stemmen")
    stem = anna.get_by_role("button", name=f"Stem op {THEMA}", exact=True)
    _tab_naar(anna, stem)
    anna.keyboard.press("Enter")
    expect(anna.locator("#stemmen")).to_contain_text("Je hebt nog 2 van de 3 stemmen")
    _gefocust(anna, anna.get_by_role("button", name=f"Stem op {THEMA}", exact=True))
    _hoort(anna, "Je hebt nog 2 van de 3 stemmen")
    anna.keyboard.press("Tab")  # onwards from the Stem button, not from "Naar de inhoud"
    assert anna.evaluate("() => document.activeElement.textContent.trim()") != "Naar de inhoud"
    _niet_op_body(anna)
    assert _kleine_doelen(anna) == []
    stem_b = bram.get_by_role("button", name=f"Stem op {THEMA}", exact=True)
    stem_b.focus()
    bram.keyboard.press("Enter")
    expect(bram.locator("#stemmen")).to_contain_text("Je hebt nog 2 van de 3 stemmen")
    knop = leider.get_by_role("button", name="Stemmen sluiten")
    knop.focus()
    leider.keyboard.press("Enter")
    expect(anna.locator(".uitslag-regel").first).to_contain_text(THEMA)

    # --- Dialoog: one heading "Reacties", reageren keeps focus, the timer's end is said --
    _ga_naar_fase(leider, "dialoog")
    scherm = leider.get_by_role("button", name=f"Op het scherm {THEMA}")
    scherm.focus()
    leider.keyboard.press("Enter")
    expect(anna.locator("#dialoog-titel")).to_contain_text(THEMA)
    _niet_op_body(leider)
    expect(anna.locator("#dialoog").get_by_role("heading", name="Reacties")).to_have_count(1)
    reactie = anna.get_by_label(f"Reactie op {THEMA}")
    _tab_naar(anna, reactie)
    anna.keyboard.type("Dat scheelt ons elke week uren.")
    _tab_naar(anna, anna.get_by_role("button", name="Reageren"))
    anna.keyboard.press("Enter")
    expect(bram.locator(".reactie--uitvoering")).to_contain_text("uren")
    _gefocust(anna, anna.get_by_role("button", name="Reageren"))
    _hoort(anna, "Je reactie is geplaatst.")
    _hoort(bram, f"Nieuwe reactie (uitvoering) op {THEMA}")
    assert "Nieuwe reactie" not in _gezegd(anna)

    leider.get_by_label("Minuten").fill("1")
    start = leider.get_by_role("button", name="Timer starten")
    start.focus()
    leider.keyboard.press("Enter")
    _gefocust(leider, leider.get_by_role("button", name="Pauzeren"))
    expect(anna.locator("#timer [data-eind]")).to_be_attached()
    # Let this phone's countdown reach its end soon (the server's end time is a minute away).
    anna.locator("#timer [data-eind]").evaluate("el => el.setAttribute('data-eind', String(Date.now() + 1500))")
    _hoort(anna, "De tijd is om")
    anna.wait_for_timeout(1500)
    assert _gezegd(anna).count("De tijd is om") == 1


@pytest.mark.timeout(180)
def test_verwachtingen_errors_and_ratings_in_progress(new_context, live_server):
    begeleider = create_user(live_server, "begeleider")
    leider = _context(new_context, telefoon=False).new_page()
    login(leider, begeleider.email)
    sessie_id = create_sessie(leider, f"Beoordelen {live_server.unique()}")
    code = deelnamecode(leider)
    leider.goto(f"/sessies/{sessie_id}/verwachtingen")
    for tekst in ("Elk gezin heeft binnen twee weken één plan", "Het wijkteam belt binnen vijf werkdagen"):
        leider.get_by_label("Verwachting", exact=True).fill(tekst)
        leider.get_by_role("button", name="Verwachting toevoegen").click()
        expect(leider.locator("#verwachtingen-lijst")).to_contain_text(tekst)
    leider.goto(f"/sessies/{sessie_id}")
    anna = _context(new_context, telefoon=True).new_page()
    join(anna, code, naam="Anna", perspectief="Uitvoering")
    expect(anna.locator("[data-live-status]")).to_have_text("Live verbonden")
    _ga_naar_fase(leider, "beoordelen-ronde-1")
    open_knop = leider.get_by_role("button", name="Ronde openen")
    open_knop.focus()
    leider.keyboard.press("Enter")
    opslaan = anna.get_by_role("button", name="Beoordeling opslaan")
    expect(opslaan).to_be_visible()
    # One heading per thing: the fase heading and the panel's differ.
    koppen = anna.locator("h2, h3").all_inner_texts()
    assert len(koppen) == len(set(koppen)), koppen
    assert not any(k.startswith("Verwachtingen beoordelen:") for k in koppen), koppen

    # Only Wenselijk for the first: focus on the error summary, Haalbaar marked invalid.
    eerste = anna.get_by_role("group", name="Elk gezin heeft binnen twee weken één plan")
    radio = eerste.get_by_role("group", name="Wenselijk").get_by_label("4", exact=True)
    _tab_naar(anna, eerste.get_by_role("group", name="Wenselijk").get_by_role("radio").first)
    radio.check()  # arrow keys move within the group; checking the one we want is the same
    _tab_naar(anna, anna.get_by_role("button", name="Beoordeling opslaan"))
    anna.keyboard.press("Enter")
    overzicht = anna.locator("[data-foutoverzicht]")
    expect(overzicht).to_be_focused()
    expect(overzicht).to_contain_text("Haalbaar")
    haalbaar = anna.get_by_role("group", name="Elk gezin heeft binnen twee weken één plan").get_by_role(
        "group", name="Haalbaar"
    )
    for r in haalbaar.get_by_role("radio").all():
        expect(r).to_have_attribute("aria-invalid", "true")
    # The summary links to the fieldset's message.
    link = overzicht.get_by_role("link")
    link.focus()
    anna.keyboard.press("Enter")
    _gefocust(anna, anna.locator("[id$='-fout'][tabindex='-1']"))

    # A rating in progress survives a reload.
    expect(eerste.get_by_role("group", name="Wenselijk").get_by_label("4", exact=True)).to_be_checked()
    anna.get_by_role("group", name="Elk gezin heeft binnen twee weken één plan").get_by_role(
        "group", name="Haalbaar"
    ).get_by_label("2", exact=True).check()
    anna.reload()
    eerste = anna.get_by_role("group", name="Elk gezin heeft binnen twee weken één plan")
    expect(eerste.get_by_role("group", name="Haalbaar").get_by_label("2", exact=True)).to_be_checked()
    expect(anna.locator("#verwachtingen-ronde-1")).to_contain_text("Je tekst is nog niet verstuurd")
    _tab_naar(anna, anna.get_by_role("button", name="Beoordeling opslaan"))
    anna.keyboard.press("Enter")
    expect(anna.locator("#verwachtingen-ronde-1")).to_contain_text("Opgeslagen")
    _gefocust(anna, anna.get_by_role("button", name="Beoordeling opslaan"))
    _hoort(anna, "Opgeslagen")


def test_errors_after_a_full_page_load_say_so_first(new_context, live_server):
    page = _context(new_context, telefoon=True).new_page()
    page.goto("/deelnemen")
    page.get_by_label("Deelnamecode").fill("ZZZZZZ")
    page.get_by_role("button", name="Deelnemen").click()
    expect(page).to_have_title(re.compile(r"^Fout: Deelnemen"))
    overzicht = page.locator("[data-foutoverzicht]")
    expect(overzicht).to_be_focused()
    link = overzicht.get_by_role("link").first
    expect(link).to_contain_text("Deelnamecode")
    link.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_label("Deelnamecode")).to_be_focused()
    expect(page.get_by_label("Deelnamecode")).to_have_attribute("aria-invalid", "true")

    page.goto("/inloggen")
    page.get_by_label("E-mailadres").fill("niemand@ontmoet.test")
    page.get_by_label("Wachtwoord", exact=True).fill("fout-wachtwoord")
    page.get_by_role("button", name="Inloggen").click()
    expect(page).to_have_title(re.compile(r"^Fout: Inloggen"))
    expect(page.locator("[data-foutoverzicht]")).to_be_focused()
    expect(page.locator("[data-foutoverzicht]")).to_contain_text("Wachtwoord")
