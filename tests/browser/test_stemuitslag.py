"""The stemuitslag as bars, split by perspective (issue 14 item 3): on the begeleider's page,
on a deelnemer's phone (390×844) after "Stemmen sluiten", and on the Scherm (1920×1080). A
perspective with fewer than 3 voters is never shown apart: the page says so instead.
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

VORM = load_vormen(ROOT / "sessies")["ontmoeten-en-ont-moeten"]
FASE = {f.key: (i, f.titel) for i, f in enumerate(VORM.fasen)}
BEAMER = {"width": 1920, "height": 1080}
TELEFOON = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
K1 = "Herindicaties lopen af terwijl er niets veranderd is."
K2 = "Elk contact moet dezelfde dag in twee systemen worden vastgelegd."


def _ga_naar_fase(leider: Page, key: str) -> None:
    index, titel = FASE[key]
    leider.get_by_role("button", name=f"Ga naar fase {titel}").click()
    expect(leider.locator("#bediening")).to_contain_text(f"fase {index + 1} van {len(VORM.fasen)}")


def _zaai(live_server, sessie_id: int, stemmers: dict[str, str], stemmen: dict[str, dict[str, int]]) -> None:
    """Knelpunten K1 and K2, deelnemers (naam -> perspectief; existing ones are reused) and their
    stemmen (naam -> {K1/K2: n}), stored directly: only the closing happens in the browser."""
    live_server.python(f"""
        from facilitatie.knelpunten.models import Knelpunt, Stem
        from facilitatie.sessies.models import Deelnemer
        sid = {sessie_id}
        ks = {{}}
        for key, tekst in (("K1", {K1!r}), ("K2", {K2!r})):
            k = Knelpunt(sessie_id=sid, domein="Wmo", tekst=tekst, onthuld=True)
            db.session.add(k)
            ks[key] = k
        db.session.flush()
        for naam, perspectief in {stemmers!r}.items():
            d = db.session.query(Deelnemer).filter_by(sessie_id=sid, naam=naam).one_or_none()
            if d is None:
                d = Deelnemer(sessie_id=sid, naam=naam, perspectief=perspectief)
                db.session.add(d)
                db.session.flush()
            plek = 0
            for key, n in {stemmen!r}.get(naam, {{}}).items():
                for i in range(1, n + 1):
                    plek += 1
                    db.session.add(Stem(sessie_id=sid, deelnemer_id=d.id, knelpunt_id=ks[key].id, plek=plek, n=i))
    """)


def _start(new_context, live_server) -> tuple[Page, Page, int]:
    begeleider = create_user(live_server, "begeleider")
    leider = new_context(viewport={"width": 1366, "height": 768}).new_page()
    login(leider, begeleider.email)
    sessie_id = create_sessie(leider, f"Stemuitslag {live_server.unique()}")
    telefoon = new_context(**TELEFOON).new_page()
    join(telefoon, deelnamecode(leider), naam="B1", perspectief="Beleid")
    _ga_naar_fase(leider, "stemmen")
    return leider, telefoon, sessie_id


def test_stemuitslag_as_bars_split_by_perspective(new_context, live_server):
    leider, telefoon, sessie_id = _start(new_context, live_server)
    # Uitvoering U1-U3, beleid B1-B3. K2: 1 from uitvoering + 4 from beleid = 5; K1: 3 + 1 = 4.
    _zaai(
        live_server,
        sessie_id,
        {"U1": "uitvoering", "U2": "uitvoering", "U3": "uitvoering", "B1": "beleid", "B2": "beleid", "B3": "beleid"},
        {"U1": {"K1": 1, "K2": 1}, "U2": {"K1": 1}, "U3": {"K1": 1}, "B1": {"K1": 1}, "B2": {"K2": 2}, "B3": {"K2": 2}},
    )
    scherm = new_context(viewport=BEAMER, storage_state=leider.context.storage_state()).new_page()
    scherm.goto(f"/sessies/{sessie_id}/scherm")
    expect(scherm.locator(".scherm-stem-items")).to_contain_text(K1[:30])
    expect(scherm.locator(".uitslag-regel")).to_have_count(0)  # nothing before the vote closes

    leider.reload()
    leider.get_by_role("button", name="Stemmen sluiten").click()
    for page in (leider, telefoon, scherm):
        regels = page.locator(".uitslag-regel")
        expect(regels).to_have_count(2)
        eerste, tweede = regels.nth(0), regels.nth(1)
        expect(eerste).to_contain_text(K2)
        expect(eerste.locator(".uitslag-stemmen")).to_have_text("5 stemmen")
        expect(eerste.locator("svg.balk--totaal")).to_have_count(1)
        expect(eerste.locator('[data-perspectief="uitvoering"]')).to_contain_text(re.compile(r"Uitvoering\s*1 stem\b"))
        expect(eerste.locator('[data-perspectief="beleid"]')).to_contain_text(re.compile(r"Beleid\s*4 stemmen"))
        expect(tweede.locator('[data-perspectief="uitvoering"]')).to_contain_text(re.compile(r"Uitvoering\s*3 stemmen"))
        expect(tweede.locator('[data-perspectief="beleid"]')).to_contain_text(re.compile(r"Beleid\s*1 stem\b"))
        expect(page.locator('[data-perspectief="anders"]')).to_have_count(0)  # nobody from anders voted
        expect(page.locator("[data-klein]")).to_have_count(0)
    # The bars are drawn to scale: 5 of 5 is full, 4 of 5 is 80%.
    expect(telefoon.locator(".uitslag-regel").nth(0).locator("svg.balk--totaal .balk-vul")).to_have_attribute(
        "width", "100.0"
    )
    expect(telefoon.locator(".uitslag-regel").nth(1).locator("svg.balk--totaal .balk-vul")).to_have_attribute(
        "width", "80.0"
    )
    no_horizontal_scroll(telefoon)
    axe_check(telefoon)
    axe_check(leider)
    axe_check(scherm)
    telefoon.screenshot(path="/tmp/scherm-shots/stemuitslag-telefoon-390.png", full_page=True)
    scherm.screenshot(path="/tmp/scherm-shots/stemuitslag-scherm-1920.png")


def test_a_perspective_of_fewer_than_3_voters_is_not_shown_apart(new_context, live_server):
    leider, telefoon, sessie_id = _start(new_context, live_server)
    # Beleid has only B1 and B2: their split would show what those two voted.
    _zaai(
        live_server,
        sessie_id,
        {"U1": "uitvoering", "U2": "uitvoering", "U3": "uitvoering", "B1": "beleid", "B2": "beleid"},
        {"U1": {"K1": 2}, "U2": {"K1": 1}, "U3": {"K2": 1}, "B1": {"K2": 3}, "B2": {"K2": 1}},
    )
    leider.reload()
    leider.get_by_role("button", name="Stemmen sluiten").click()
    scherm = new_context(viewport=BEAMER, storage_state=leider.context.storage_state()).new_page()
    scherm.goto(f"/sessies/{sessie_id}/scherm")
    for page in (leider, telefoon, scherm):
        expect(page.locator(".uitslag-regel")).to_have_count(2)
        expect(page.locator(".uitslag-regel").nth(0)).to_contain_text("5 stemmen")
        klein = page.locator("[data-klein]")
        expect(klein).to_contain_text("Minder dan 3 mensen uit beleid stemden: niet apart getoond")
        expect(page.locator("[data-perspectief]")).to_have_count(0)
    axe_check(telefoon)
    no_horizontal_scroll(telefoon)
