"""A gemeente's own perspective in a real browser (issue 15 item 6).

The begeleider adds "Partner (huisarts, school, woningcorporatie)" on the Perspectieven page;
partners join with the deelnamecode and pick it; while two partners rated, their group is
named as too small ("Minder dan 3 …") and beleid and uitvoering are not split either; once
three partners rated, the phone shows the partner group's own sentence and figures. Three
partners in their own browsers (one a 320 px phone); beleid and uitvoering rate through the
database. axe-core finds no WCAG 2.1 A/AA violation on the settings page, the join form and the
results.
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
    login,
    no_horizontal_scroll,
)

VORM = load_vormen(ROOT / "sessies")["ontmoeten-en-ont-moeten"]
FASE = {f.key: (i, f.titel) for i, f in enumerate(VORM.fasen)}
PARTNER = "Partner (huisarts, school, woningcorporatie)"
V1 = "Elk gezin heeft binnen twee weken één plan"


def _ga_naar_fase(leider: Page, key: str) -> None:
    index, titel = FASE[key]
    leider.get_by_role("button", name=f"Ga naar fase {titel}").click()
    expect(leider.locator("#bediening")).to_contain_text(f"fase {index + 1} van {len(VORM.fasen)}")


def _join_als_partner(page: Page, code: str, naam: str) -> None:
    page.goto(f"/deelnemen?code={code}")
    page.get_by_label("Naam (optioneel)").fill(naam)
    page.get_by_role("radio", name=PARTNER, exact=True).check()
    page.get_by_role("button", name="Deelnemen").click()
    page.wait_for_url("**/s/*")
    expect(page.locator("[data-live-status]")).to_have_text("Live verbonden")


def _beoordeel(page: Page, ronde: int, wenselijk: str, haalbaar: str) -> None:
    panel = page.locator(f"#verwachtingen-ronde-{ronde}")
    groep = panel.get_by_role("group", name=V1)
    groep.get_by_role("group", name="Wenselijk").get_by_label(wenselijk, exact=True).check()
    groep.get_by_role("group", name="Haalbaar").get_by_label(haalbaar, exact=True).check()
    panel.get_by_role("button", name="Beoordeling opslaan").click()
    expect(page.locator(f"#verwachtingen-ronde-{ronde}")).to_contain_text("Opgeslagen")


def _anderen_beoordelen(live_server, sessie_id: int, verwachting_id: int, ronde: int) -> None:
    """Three of beleid (4, 4) and three of uitvoering (4, 2) rate, straight into the database."""
    live_server.python(f"""
        from facilitatie.sessies.models import Deelnemer
        from facilitatie.verwachtingen.models import Beoordeling
        for i, (perspectief, w, h) in enumerate([("beleid", 4, 4)] * 3 + [("uitvoering", 4, 2)] * 3):
            naam = f"{{perspectief[0].upper()}}{{i}}"
            d = db.session.query(Deelnemer).filter_by(sessie_id={sessie_id}, naam=naam).one_or_none()
            if d is None:
                d = Deelnemer(sessie_id={sessie_id}, naam=naam, perspectief=perspectief)
                db.session.add(d)
                db.session.flush()
            db.session.add(Beoordeling(verwachting_id={verwachting_id}, deelnemer_id=d.id, ronde={ronde},
                                       wenselijk=w, haalbaar=h, perspectief=perspectief))
    """)


@pytest.mark.timeout(420)  # four browsers, two rondes and axe on every step
def test_partners_form_their_own_group_from_three_raters_on(live_server, new_context):
    begeleider = create_user(live_server, "begeleider", gemeente=f"Partnerstad {live_server.unique()}")
    leider = new_context().new_page()
    login(leider, begeleider.email, begeleider.password)

    # The settings page, from the sessies page.
    leider.goto("/sessies")
    leider.get_by_role("link", name="perspectieven van je gemeente").click()
    expect(leider.get_by_role("heading", level=1)).to_contain_text("Perspectieven van Partnerstad")
    expect(leider.get_by_text("Nog geen eigen perspectieven")).to_be_visible()
    leider.get_by_label("Naam van het perspectief").fill("P")
    leider.get_by_role("button", name="Perspectief toevoegen").click()
    expect(leider.locator("#nieuw-label-fout")).to_contain_text("minstens 2 tekens")
    axe_check(leider)
    leider.get_by_label("Naam van het perspectief").fill(PARTNER)
    leider.get_by_role("button", name="Perspectief toevoegen").click()
    expect(leider.get_by_role("heading", level=3, name=PARTNER)).to_be_visible()
    expect(leider.get_by_label(f"Naam van ‘{PARTNER}’")).to_have_value(PARTNER)
    axe_check(leider)

    sessie_id = create_sessie(leider, f"Met partners {live_server.unique()}")
    code = deelnamecode(leider)
    leider.goto(f"/sessies/{sessie_id}/verwachtingen")
    leider.get_by_label("Verwachting", exact=True).fill(V1)
    leider.get_by_role("button", name="Verwachting toevoegen").click()
    expect(leider.locator("#verwachtingen-lijst")).to_contain_text(V1)
    verwachting_id = live_server.python_json(f"""
        from facilitatie.verwachtingen.models import Verwachting
        print(json.dumps(db.session.query(Verwachting).filter_by(sessie_id={sessie_id}).one().id))
    """)

    # Two partners join: one on a 320 px phone. The join form offers the gemeente's own perspective.
    telefoon = new_context(phone=True).new_page()
    telefoon.goto(f"/deelnemen?code={code}")
    expect(telefoon.get_by_role("radio", name=PARTNER, exact=True)).to_be_visible()
    expect(telefoon.get_by_role("radio", name="Anders", exact=True)).to_be_visible()
    axe_check(telefoon)
    no_horizontal_scroll(telefoon)
    _join_als_partner(telefoon, code, "Huisarts Jansen")
    expect(telefoon.get_by_text("Je doet mee als Huisarts Jansen (partner (huisarts")).to_be_visible()
    tweede = new_context().new_page()
    _join_als_partner(tweede, code, "Juf Mirjam")

    # Ronde 1: two partners rate; six of beleid and uitvoering too.
    leider.goto(f"/sessies/{sessie_id}")
    _ga_naar_fase(leider, "beoordelen-ronde-1")
    leider.get_by_role("button", name="Ronde openen").click()
    _beoordeel(telefoon, 1, "5", "2")
    _beoordeel(tweede, 1, "4", "2")
    _anderen_beoordelen(live_server, sessie_id, verwachting_id, 1)
    leider.get_by_role("button", name="Ronde sluiten").click()
    uitslag = telefoon.locator(f"#uitslag-{verwachting_id}")
    expect(uitslag.locator("[data-klein]").filter(has_text="Minder dan 3 mensen uit partner")).to_have_text(
        f"Minder dan 3 mensen uit {PARTNER.lower()}: niet apart getoond."
    )
    expect(uitslag.locator("[data-groep-zin]")).to_have_count(0)
    # With two partners, alle minus beleid minus uitvoering would give their answers: not split either.
    expect(uitslag.locator("[data-zin]")).to_contain_text("Alle deelnemers samen")
    axe_check(telefoon)
    no_horizontal_scroll(telefoon)

    # A third partner joins; ronde 2: now three partners rated.
    derde = new_context().new_page()
    _join_als_partner(derde, code, "Woningcorporatie")
    _ga_naar_fase(leider, "dialoog-verwachtingen")
    _ga_naar_fase(leider, "beoordelen-ronde-2")
    leider.get_by_role("button", name="Ronde openen").click()
    for page, (w, h) in ((telefoon, ("5", "2")), (tweede, ("4", "2")), (derde, ("5", "1"))):
        expect(page.get_by_role("button", name="Beoordeling opslaan")).to_be_visible()
        _beoordeel(page, 2, w, h)
    _anderen_beoordelen(live_server, sessie_id, verwachting_id, 2)
    leider.get_by_role("button", name="Ronde sluiten").click()
    for page in (telefoon, leider):
        item = page.locator(f"#uitslag-{verwachting_id}")
        expect(item.locator("[data-groep-zin]")).to_have_text(f"{PARTNER}: wenselijk 5, haalbaar 2.")
        expect(item.locator("[data-zin]").first).to_contain_text("beleid vindt dit beter haalbaar dan uitvoering")
    item = telefoon.locator(f"#uitslag-{verwachting_id}")
    item.get_by_text("Alle cijfers en de grote grafiek").click()
    rij = item.locator("tr[data-ronde='2']").filter(has_text=PARTNER)
    expect(rij.locator('[data-cel="wenselijk-mediaan"]')).to_have_text("5")
    expect(rij.locator('[data-cel="haalbaar-mediaan"]')).to_have_text("2")
    axe_check(telefoon)
    no_horizontal_scroll(telefoon)
    axe_check(leider)
