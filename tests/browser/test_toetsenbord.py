"""Issue 14, item 10: the toegankelijkheidsverklaring and a whole sessie with the keyboard only.

No mouse and no programmatic focus or fill: every control is reached with Tab and used with
Enter or Space; text is typed; keuzerondjes and keuzelijsten change with the arrow keys (their
standard keyboard interaction). Pages are opened by address or by a link reached with Tab.
The deelnemer joins, posts a knelpunt, votes and rates; the begeleider signs in, creates and
starts the sessie, adds a verwachting, moves on with "Volgende fase" and records a besluit.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from facilitatie.config import ROOT
from facilitatie.sessies.vormen import load_vormen
from tests.browser.conftest import axe_check, create_user

VORM = load_vormen(ROOT / "sessies")["ontmoeten-en-ont-moeten"]
FASEN = [f.key for f in VORM.fasen]
KNELPUNT = "De aanvraag voor een traplift duurt vier maanden."
VERWACHTING = "Elk gezin heeft binnen twee weken één plan"


def _actief_in(doel: Locator) -> bool:
    return doel.evaluate_all("(els) => els.includes(document.activeElement)")


def _tab_naar(page: Page, doel: Locator, *, max_stappen: int = 150) -> None:
    """Press Tab until one of `doel`'s elements has focus, as a keyboard user would."""
    for _ in range(max_stappen):
        page.keyboard.press("Tab")
        if _actief_in(doel):
            return
    raise AssertionError(f"{doel} never got focus with Tab")


def _druk(page: Page, doel: Locator, toets: str = "Enter") -> None:
    _tab_naar(page, doel)
    page.keyboard.press(toets)


def _typ(page: Page, veld: Locator, tekst: str) -> None:
    _tab_naar(page, veld)
    page.keyboard.type(tekst)


def _kies_rondje(page: Page, rondje: Locator) -> None:
    """Tab into the radio group of `rondje`, then Space and arrow keys until it is checked."""
    naam = rondje.get_attribute("name")
    _tab_naar(page, page.locator(f'input[type="radio"][name="{naam}"]'))
    for _ in range(12):
        if rondje.is_checked():
            return
        page.keyboard.press("Space" if _actief_in(rondje) else "ArrowRight")
    raise AssertionError(f"{rondje} could not be checked with the keyboard")


def _kies_optie(page: Page, lijst: Locator) -> None:
    """Tab to a keuzelijst and pick the next option with the arrow key."""
    _tab_naar(page, lijst)
    page.keyboard.press("ArrowDown")
    expect(lijst).not_to_have_value("")


def _volgende_fase(leider: Page, naar: str) -> None:
    """Volgende fase, with Tab and Enter, until the begeleider is in fase `naar`."""
    doel = FASEN.index(naar)
    for _ in range(len(FASEN)):
        bediening = leider.locator("#bediening")
        huidig = int(re.search(r"fase (\d+) van", bediening.inner_text()).group(1)) - 1
        if huidig == doel:
            return
        _druk(leider, leider.get_by_role("button", name="Volgende fase"))
        expect(bediening).to_contain_text(f"fase {huidig + 2} van {len(FASEN)}")
    raise AssertionError(f"never reached fase {naar}")


def test_toegankelijkheidsverklaring_from_the_footer_with_the_keyboard(new_context):
    page = new_context(phone=True).new_page()
    page.goto("/")
    _druk(page, page.get_by_role("contentinfo").get_by_role("link", name="Toegankelijkheid"))
    page.wait_for_url("**/toegankelijkheid")
    expect(page.get_by_role("heading", level=1)).to_have_text("Toegankelijkheidsverklaring")
    for kop in ("Status: voldoet gedeeltelijk", "Wat is getest", "Hoe is getest", "Bekende beperkingen",
                "Feedback en contact"):  # fmt: skip
        expect(page.get_by_role("heading", level=2, name=kop)).to_be_visible()
    axe_check(page)
    desktop = new_context().new_page()
    desktop.goto("/toegankelijkheid")
    axe_check(desktop)


@pytest.mark.timeout(300)
def test_a_whole_sessie_as_deelnemer_and_begeleider_with_tab_enter_and_space(new_context, live_server):
    begeleider = create_user(live_server, "begeleider")
    leider = new_context().new_page()

    # --- the begeleider signs in, creates and starts a sessie ---------------------------------
    leider.goto("/inloggen")
    _typ(leider, leider.get_by_label("E-mailadres"), begeleider.email)
    _typ(leider, leider.get_by_label("Wachtwoord", exact=True), begeleider.password)
    leider.keyboard.press("Enter")
    leider.wait_for_url(lambda url: "/inloggen" not in url)
    leider.goto("/sessies/nieuw")
    _typ(leider, leider.get_by_label("Titel"), f"Toetsenbord {live_server.unique()}")
    _kies_rondje(leider, leider.get_by_role("group", name="Sessievorm").get_by_label("Ontmoeten en ont-moeten"))
    _druk(leider, leider.get_by_role("button", name="Sessie aanmaken"))
    leider.wait_for_url(re.compile(r"/sessies/\d+$"))
    sessie_pad = leider.url.split(live_server.url, 1)[1]
    _druk(leider, leider.get_by_role("button", name="Sessie starten"))
    expect(leider.get_by_role("button", name="Volgende fase")).to_be_visible()
    code = "".join((leider.locator(".deelnamecode").get_attribute("aria-label") or "").split()[1:])

    # A verwachting to rate later, through the Verwachtingen link.
    _druk(leider, leider.get_by_role("link", name="Verwachtingen", exact=True))
    leider.wait_for_url("**/verwachtingen")
    _typ(leider, leider.get_by_label("Verwachting", exact=True), VERWACHTING)
    _druk(leider, leider.get_by_role("button", name="Verwachting toevoegen"))
    expect(leider.locator("#verwachtingen-lijst")).to_contain_text(VERWACHTING)
    leider.goto(sessie_pad)

    # --- a deelnemer joins on a phone ---------------------------------------------------------
    anna = new_context(phone=True).new_page()
    anna.goto("/deelnemen")
    _typ(anna, anna.get_by_label("Deelnamecode"), code)
    _typ(anna, anna.get_by_label("Naam (optioneel)"), "Anna")
    _kies_rondje(anna, anna.get_by_role("radio", name="Uitvoering", exact=True))
    _druk(anna, anna.get_by_role("button", name="Deelnemen"))
    anna.wait_for_url("**/s/*")
    expect(anna.locator("[data-live-status]")).to_have_text("Live verbonden")

    # --- knelpunten ophalen: the deelnemer posts one --------------------------------------------
    _volgende_fase(leider, "knelpunten-ophalen")
    veld = anna.get_by_label("Knelpunt", exact=True)
    expect(veld).to_be_visible()
    _typ(anna, veld, KNELPUNT)
    _kies_optie(anna, anna.get_by_label("Domein", exact=True))
    _druk(anna, anna.get_by_role("button", name="Knelpunt indienen"))
    expect(anna.locator("#mijn-knelpunten")).to_contain_text(KNELPUNT)
    expect(leider.locator("#knelpunten-lijst")).to_contain_text(KNELPUNT)

    # --- stemmen: on the loose knelpunt ---------------------------------------------------------
    _volgende_fase(leider, "stemmen")
    stem = anna.get_by_role("button", name=re.compile(r"^Stem op De aanvraag voor een traplift"))
    expect(stem).to_be_visible()
    _druk(anna, stem)
    expect(anna.locator("#stemmen")).to_contain_text("Je hebt nog 2 van de 3 stemmen")

    # --- beoordelen: the begeleider opens the ronde, the deelnemer rates --------------------------
    _volgende_fase(leider, "beoordelen-ronde-1")
    _druk(leider, leider.get_by_role("button", name="Ronde openen"))
    opslaan = anna.get_by_role("button", name="Beoordeling opslaan")
    expect(opslaan).to_be_visible()
    verwachting = anna.get_by_role("group", name=VERWACHTING)
    _kies_rondje(anna, verwachting.get_by_role("group", name="Wenselijk").get_by_label("4", exact=True))
    _kies_rondje(anna, verwachting.get_by_role("group", name="Haalbaar").get_by_label("2", exact=True))
    _druk(anna, anna.get_by_role("button", name="Beoordeling opslaan"), "Space")
    expect(anna.locator("#verwachtingen-ronde-1")).to_contain_text("Opgeslagen")

    # --- besluiten en acties: the begeleider records a besluit ------------------------------------
    _volgende_fase(leider, "besluiten-en-acties")
    kaart = leider.locator("#besluiten .knelpunt-besluit", has_text=KNELPUNT)
    expect(kaart).to_be_visible()
    _kies_rondje(leider, kaart.get_by_label("Opgepakt", exact=True))
    _druk(leider, kaart.get_by_role("button", name="Besluit vastleggen"))
    expect(leider.locator("#besluiten .knelpunt-besluit", has_text=KNELPUNT)).to_contain_text("Opgepakt")

    # The verslag of this sessie, with its new parts (one voter: totals only), is axe clean too.
    leider.goto(f"{sessie_pad}/verslag")
    expect(leider.get_by_role("heading", level=2, name="Stemuitslag")).to_be_visible()
    expect(leider.locator(".verslag-stemmen")).to_contain_text("minder dan 3 stemmers")
    axe_check(leider)
