"""Verwachtingen in a real browser: two beleid and three uitvoering deelnemers rate three
verwachtingen in both rondes; ronde 2 shows each one's own ronde-1 answers; after closing, chart
and table show the hand-computed medians; the begeleider records a bijgesteld ambitieniveau;
axe-core finds no WCAG 2.1 A/AA violations on the rating and results pages.
"""

from __future__ import annotations

import pytest
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

V1 = "Elk gezin heeft binnen twee weken één plan"
V2 = "Het wijkteam neemt binnen vijf werkdagen contact op"
V3 = "Elke melding wordt dezelfde dag in twee systemen vastgelegd"
WN = "Weet niet"

# Per deelnemer (B1, B2 beleid; U1, U2, U3 uitvoering): {verwachting: (wenselijk, haalbaar)}.
RONDE_1 = {
    "B1": {V1: ("5", "4"), V2: ("4", "3"), V3: ("3", "3")},
    "B2": {V1: ("4", "4"), V2: ("5", "3"), V3: ("3", "2")},
    "U1": {V1: ("4", "2"), V2: ("2", "2"), V3: ("2", "3")},
    "U2": {V1: ("3", "1"), V2: ("3", "2"), V3: ("1", "1")},
    "U3": {V1: ("5", "2"), V2: ("4", WN), V3: ("2", "2")},
}
RONDE_2 = {
    "B1": {V1: ("5", "3"), V2: ("4", "3"), V3: ("2", "2")},
    "B2": {V1: ("4", "3"), V2: ("5", "3"), V3: ("2", "2")},
    "U1": {V1: ("4", "3"), V2: ("3", "2"), V3: ("2", "2")},
    "U2": {V1: ("4", "2"), V2: ("3", "2"), V3: ("1", "1")},
    "U3": {V1: ("5", "3"), V2: ("4", WN), V3: ("2", "2")},
}
# Beleid has two raters (< 3): only "Alle deelnemers" is shown. Medians by hand:
#   ronde 1  V1 W 3,4,4,5,5 -> 4   H 1,2,2,4,4 -> 2
#            V2 W 2,3,4,4,5 -> 4   H 2,2,3,3 (one Weet niet) -> 2,5
#            V3 W 1,2,2,3,3 -> 2   H 1,2,2,3,3 -> 2
#   ronde 2  V1 W 4,4,4,5,5 -> 4   H 2,3,3,3,3 -> 3
#            V2 W 3,3,4,4,5 -> 4   H 2,2,3,3 -> 2,5
#            V3 W 1,2,2,2,2 -> 2   H 1,2,2,2,2 -> 2
MEDIANEN = {
    1: {V1: ("4", "2"), V2: ("4", "2,5"), V3: ("2", "2")},
    2: {V1: ("4", "3"), V2: ("4", "2,5"), V3: ("2", "2")},
}


def _ga_naar_fase(leider: Page, key: str) -> None:
    index, titel = FASE[key]
    leider.get_by_role("button", name=f"Ga naar fase {titel}").click()
    expect(leider.locator("#bediening")).to_contain_text(f"fase {index + 1} van {len(VORM.fasen)}")


def _beoordeel(page: Page, antwoorden: dict[str, tuple[str, str]], ronde: int) -> None:
    panel = page.locator(f"#verwachtingen-ronde-{ronde}")
    for tekst, (wenselijk, haalbaar) in antwoorden.items():
        groep = panel.get_by_role("group", name=tekst)
        groep.get_by_role("group", name="Wenselijk").get_by_label(wenselijk, exact=True).check()
        groep.get_by_role("group", name="Haalbaar").get_by_label(haalbaar, exact=True).check()
    panel.get_by_role("button", name="Beoordeling opslaan").click()
    expect(page.locator(f"#verwachtingen-ronde-{ronde}")).to_contain_text("Opgeslagen")
    expect(page.locator("#live-melding")).to_contain_text("Opgeslagen")


def _toon(waarde: str) -> str:
    return "weet niet" if waarde == WN else waarde


def _check_medianen(page: Page, ids: dict[str, int], ronde: int) -> None:
    for tekst, (w, h) in MEDIANEN[ronde].items():
        item = page.locator(f"#uitslag-{ids[tekst]}")
        rij = item.locator(f'tr[data-ronde="{ronde}"][data-groep="alle"]')
        expect(rij.locator('[data-cel="wenselijk-mediaan"]')).to_have_text(w)
        expect(rij.locator('[data-cel="haalbaar-mediaan"]')).to_have_text(h)
        expect(item.locator('tr[data-groep="beleid"]')).to_have_count(0)
        naam = "ronde 1 (voormeting)" if ronde == 1 else "ronde 2 (nameting)"
        expect(item.locator("svg desc")).to_contain_text(f"Alle deelnemers, {naam}: haalbaar {h}, wenselijk {w}")
        expect(item.locator(f"svg g.punt.alle.ronde-{ronde}")).to_have_count(1)
        expect(item).to_contain_text("minder dan 3 beoordelaars")


@pytest.mark.timeout(420)  # six browsers, two rondes and axe on every step
def test_two_rondes_with_beleid_and_uitvoering(live_server, new_context):
    begeleider = create_user(live_server, "begeleider")
    leider = new_context().new_page()
    login(leider, begeleider.email, begeleider.password)
    sessie_id = create_sessie(leider, f"Verwachtingen {live_server.unique()}")
    code = deelnamecode(leider)

    # Verwachting toevoegen on the verwachtingen page.
    leider.goto(f"/sessies/{sessie_id}/verwachtingen")
    for tekst in (V1, V2, V3):
        leider.get_by_label("Verwachting", exact=True).fill(tekst)
        leider.get_by_role("button", name="Verwachting toevoegen").click()
        expect(leider.locator("#verwachtingen-lijst")).to_contain_text(tekst)
    axe_check(leider)
    ids = live_server.python_json(f"""
        from facilitatie.verwachtingen.models import Verwachting
        rows = db.session.query(Verwachting).filter_by(sessie_id={sessie_id}).all()
        print(json.dumps({{v.tekst: v.id for v in rows}}))
    """)

    # Five deelnemers; one beleid and one uitvoering on a 320 px phone.
    pages: dict[str, Page] = {}
    for naam, perspectief, phone in [
        ("B1", "Beleid", True),
        ("B2", "Beleid", False),
        ("U1", "Uitvoering", True),
        ("U2", "Uitvoering", False),
        ("U3", "Uitvoering", False),
    ]:
        page = new_context(phone=phone).new_page()
        join(page, code, naam=naam, perspectief=perspectief)
        expect(page.locator("[data-live-status]")).to_have_text("Live verbonden")
        pages[naam] = page

    # Ronde 1: the panel appears with the fase, the form when the begeleider opens the ronde.
    leider.goto(f"/sessies/{sessie_id}")
    _ga_naar_fase(leider, "beoordelen-ronde-1")
    for page in pages.values():
        expect(page.locator("#verwachtingen-ronde-1")).to_contain_text("De begeleider opent de ronde zo")
    leider.get_by_role("button", name="Ronde openen").click()
    expect(leider.locator("#verwachtingen-rondes")).to_contain_text("Open")
    for page in pages.values():
        expect(page.get_by_role("button", name="Beoordeling opslaan")).to_be_visible()
    axe_check(pages["B1"])
    no_horizontal_scroll(pages["B1"])
    for i, (naam, page) in enumerate(pages.items(), start=1):
        _beoordeel(page, RONDE_1[naam], 1)
        expect(leider.locator("#verwachtingen-teller-1")).to_contain_text(f"{i} van 5 deelnemers")
    expect(pages["U1"].locator("#verwachtingen-teller-1")).to_contain_text("5 van 5 deelnemers")
    # Nobody sees figures while the ronde is open.
    expect(pages["U2"].locator("#verwachtingen-uitslag")).to_have_count(0)
    expect(leider.locator("#verwachtingen-uitslag")).to_be_empty()
    axe_check(pages["U1"])
    no_horizontal_scroll(pages["U1"])

    # Ronde sluiten: the uitslag appears live for everyone.
    leider.get_by_role("button", name="Ronde sluiten").click()
    for page in (*pages.values(), leider):
        _check_medianen(page, ids, 1)
    axe_check(pages["B1"])
    no_horizontal_scroll(pages["B1"])
    axe_check(leider)

    # Dialoog, then ronde 2: each deelnemer sees their own ronde-1 answers.
    _ga_naar_fase(leider, "dialoog-verwachtingen")
    _ga_naar_fase(leider, "beoordelen-ronde-2")
    leider.get_by_role("button", name="Ronde openen").click()
    for naam, page in pages.items():
        expect(page.get_by_role("button", name="Beoordeling opslaan")).to_be_visible()
        for tekst, (w, h) in RONDE_1[naam].items():
            expect(page.locator(f'[data-eerder="{ids[tekst]}"]')).to_contain_text(
                f"wenselijk {_toon(w)}, haalbaar {_toon(h)}"
            )
    axe_check(pages["U3"])
    for naam, page in pages.items():
        _beoordeel(page, RONDE_2[naam], 2)
    expect(leider.locator("#verwachtingen-teller-2")).to_contain_text("5 van 5 deelnemers")
    leider.get_by_role("button", name="Ronde sluiten").click()
    for page in (pages["B2"], pages["U1"], leider):
        _check_medianen(page, ids, 1)
        _check_medianen(page, ids, 2)

    # Bijgesteld ambitieniveau on the verwachtingen page; it reaches the deelnemers live.
    leider.goto(f"/sessies/{sessie_id}/verwachtingen")
    _check_medianen(leider, ids, 2)
    axe_check(leider)
    blok = leider.locator(f"#ambitie-{ids[V1]}")
    blok.get_by_role("group", name="Bijgesteld ambitieniveau").get_by_label("Bijstellen", exact=True).check()
    nieuw = "Een gezin met vragen op meerdere terreinen heeft binnen vier weken één plan"
    blok.get_by_label("Nieuwe formulering").fill(nieuw)
    blok.get_by_label("Toelichting").fill("Twee weken haalt geen team; vier weken wel.")
    blok.get_by_role("button", name="Ambitieniveau vastleggen").click()
    expect(leider.locator(f"#ambitie-{ids[V1]}")).to_contain_text(f"Bijgesteld ambitieniveau: bijstellen: ‘{nieuw}’")
    expect(leider.locator(f"#uitslag-{ids[V1]}")).to_contain_text(nieuw)
    axe_check(leider)
    expect(pages["U2"].locator(f"#uitslag-{ids[V1]}")).to_contain_text(nieuw)

    # The verslag (the opvolging area's page includes templates/verwachtingen/_verslag.html).
    leider.goto(f"/sessies/{sessie_id}/verslag")
    verslag = leider.locator(".verslag-verwachtingen")
    expect(verslag).to_contain_text(f"Bijgesteld ambitieniveau: bijstellen: ‘{nieuw}’")
    expect(verslag.locator(f"#verslag-{ids[V1]}-bijschrift")).to_be_attached()
    axe_check(leider)
