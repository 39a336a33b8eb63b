"""A whole leerkring without paper (issue 15 items 1 and 7): a begeleider on a laptop and two
deelnemers on phones. The werkdruk peiling is answered (its result stays hidden below three
answers), the casus card appears on the phones live, a question and a reflection posted
anonymously show up live on the other phone and on the Scherm without a name, the kring is
evaluated, and the next inbrenger recorded at the end reaches the phones. axe clean on the
phone and the begeleider's page, no sideways scrolling at 320 px.
"""

from __future__ import annotations

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
    no_horizontal_scroll,
)

VORM = load_vormen(ROOT / "sessies")["leerkring"]
FASE = {f.soort: (i, f.titel) for i, f in enumerate(VORM.fasen)}
TELEFOON = {"viewport": {"width": 320, "height": 740}, "is_mobile": True, "has_touch": True}
CASUS = "Hoe kunnen we sneller schakelen als een jongere bijna achttien wordt?"
VRAAG = "Wie had de regie toen het vastliep?"
REFLECTIE = "Ik ga eerder de twee loketten aan één tafel zetten."


def _ga_naar(leider: Page, soort: str) -> None:
    index, titel = FASE[soort]
    leider.get_by_role("button", name=f"Ga naar fase {titel}").click()
    expect(leider.locator("#bediening")).to_contain_text(f"fase {index + 1} van {len(VORM.fasen)}")


def test_a_whole_leerkring_runs_on_phones_and_a_laptop(new_context, live_server):
    begeleider = create_user(live_server, "begeleider")
    leider = new_context(viewport={"width": 1366, "height": 900}).new_page()
    login(leider, begeleider.email)
    sessie_id = create_sessie(leider, f"Leerkring {live_server.unique()}", vorm="Leerkring")
    code = deelnamecode(leider)
    eerste = new_context(**TELEFOON).new_page()
    tweede = new_context(**TELEFOON).new_page()
    join(eerste, code, naam="Mehmet Uniek")
    join(tweede, code, naam="Lotte Uniek")

    # The werkdruk peiling: two answers, so nothing is shown yet but how many answered.
    _ga_naar(leider, "peiling")
    for telefoon, waarde in ((eerste, "4"), (tweede, "3")):
        groep = telefoon.get_by_role("group", name="Hoe ervaar je de werkdruk op dit moment?")
        groep.get_by_label(waarde, exact=True).check()
        telefoon.get_by_role("button", name="Antwoord geven").click()
        expect(telefoon.locator("[id^=peiling-form-]")).to_contain_text("je antwoord is opgeslagen")
    expect(leider.locator("[id^=peiling-uitslag-]")).to_contain_text("2 van 2 deelnemers hebben geantwoord")
    expect(eerste.locator("[id^=peiling-uitslag-]")).to_contain_text("De uitslag verschijnt vanaf 3 antwoorden")

    # The casus: the begeleider writes the card, the phones get it live.
    _ga_naar(leider, "casus")
    expect(eerste.get_by_role("heading", name="Casus", exact=True)).to_be_visible()
    leider.get_by_label("Inbrenger (optioneel)").fill("Priya")
    leider.get_by_label("Vraag van de inbrenger").fill(CASUS)
    leider.get_by_role("button", name="Casus opslaan").click()
    expect(leider.get_by_text("De casus is opgeslagen.")).to_be_visible()
    expect(eerste.locator("#leerkring-casus")).to_contain_text(CASUS)
    expect(tweede.locator("#leerkring-casus")).to_contain_text("blijft in de kring")

    # A question, anonymously: live on the other phone, without a name.
    eerste.get_by_label("Welke vraag heb je aan de inbrenger?").fill(VRAAG)
    eerste.get_by_label("Anoniem delen").check()
    eerste.get_by_role("button", name="Vraag stellen").click()
    expect(eerste.locator("#leerkring-vraag-form")).to_contain_text("Je vraag is gesteld.")
    vraag = tweede.locator("#leerkring-bijdragen-vraag li", has_text=VRAAG)
    expect(vraag).to_contain_text("Anoniem")
    expect(vraag).not_to_contain_text("Mehmet")
    expect(leider.locator("#leerkring-bijdragen-vraag")).to_contain_text(VRAAG)

    # The reflectie, anonymously: live on the other phone and on the Scherm, no name anywhere.
    _ga_naar(leider, "reflectie")
    scherm = leider.context.new_page()
    scherm.set_viewport_size({"width": 1920, "height": 1080})
    scherm.goto(f"/sessies/{sessie_id}/scherm")
    tweede.get_by_label("Wat neem je mee naar je eigen werk?").fill(REFLECTIE)
    tweede.get_by_label("Anoniem delen").check()
    tweede.get_by_role("button", name="Reflectie delen").click()
    expect(tweede.locator("#leerkring-reflectie-form")).to_contain_text("Je reflectie is gedeeld.")
    expect(eerste.locator("#leerkring-bijdragen-reflectie")).to_contain_text(REFLECTIE)
    expect(eerste.locator("#leerkring-bijdragen-reflectie")).not_to_contain_text("Lotte")
    expect(scherm.locator("#scherm-inhoud")).to_contain_text(REFLECTIE)
    expect(scherm.locator("#scherm-inhoud")).not_to_contain_text("Lotte")
    axe_check(eerste)
    no_horizontal_scroll(eerste)

    # The evaluatie: a cijfer and one word; a sentence is refused next to the field.
    _ga_naar(leider, "evaluatie")
    for telefoon, cijfer, woord in ((eerste, "4", "twee woorden"), (tweede, "5", "Leerzaam")):
        telefoon.get_by_role("group", name=re.compile("Cijfer")).get_by_label(cijfer, exact=True).check()
        telefoon.get_by_label("In één woord (optioneel)").fill(woord)
        telefoon.get_by_role("button", name="Evaluatie geven").click()
    expect(eerste.locator("#leerkring-evaluatie-form")).to_contain_text(
        "Vul één woord in, zonder spaties of leestekens."
    )
    eerste.get_by_label("In één woord (optioneel)").fill("Herkenbaar")
    eerste.get_by_role("button", name="Evaluatie geven").click()
    for telefoon in (eerste, tweede):
        expect(telefoon.locator("#leerkring-evaluatie-form")).to_contain_text("je evaluatie is opgeslagen")
    expect(leider.locator("#leerkring-evaluatie-uitslag")).to_contain_text("2 van 2 deelnemers hebben geantwoord")

    # The afsluiting: the next inbrenger and date reach the phones live.
    _ga_naar(leider, "afsluiting")
    leider.get_by_label("Inbrenger volgende casus").fill("Lotte")
    leider.get_by_label("Datum volgende leerkring (optioneel)").fill("2099-03-14")
    leider.get_by_role("button", name="Volgende leerkring vastleggen").click()
    expect(leider.get_by_text("De volgende leerkring is vastgelegd.")).to_be_visible()
    for telefoon in (eerste, tweede):
        expect(telefoon.locator("#leerkring-vooruitblik")).to_contain_text("Volgende casus: Lotte, op 14 maart 2099")
    axe_check(leider)
    axe_check(tweede)

    # The leerkring page sums it up; the casus stays in the kring, so the verslag leaves it out.
    leider.goto(f"/sessies/{sessie_id}/leerkring")
    expect(leider.get_by_role("heading", name="Verloop over de reeks")).to_be_visible()
    axe_check(leider)
    leider.goto(f"/sessies/{sessie_id}/verslag")
    expect(leider.get_by_text("De casus blijft in de kring en staat niet in dit verslag.")).to_be_visible()
    expect(leider.locator("main")).not_to_contain_text(CASUS)
