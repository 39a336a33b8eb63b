"""Opvolging in a real browser: at the end of a sessie the begeleider records besluiten (one
"Niet opgepakt" with a reden) and an actie with eigenaar and streefdatum; the beleidsmedewerker
moves it to "In uitvoering"; the wethouder sees it on the dashboard; a wijkteamlid reads the
reden on the terugkoppeling page; axe-core finds no WCAG 2.1 A/AA violations on these pages.
"""

from __future__ import annotations

import re

from playwright.sync_api import expect

from facilitatie.config import ROOT
from facilitatie.sessies.vormen import load_vormen
from tests.browser.conftest import axe_check, create_sessie, create_user, login, no_horizontal_scroll

VORM = load_vormen(ROOT / "sessies")["ontmoeten-en-ont-moeten"]
BESLUITEN = next(f.titel for f in VORM.fasen if f.soort == "besluiten")
REDEN = "De regel komt uit de landelijke wet; we brengen het in bij het ministerie."


def test_besluiten_actie_dashboard_and_terugkoppeling(new_context, live_server):
    gemeente = live_server.unique("Opvolgstad")
    begeleider = create_user(live_server, "begeleider", gemeente=gemeente)
    beleid = create_user(live_server, "beleidsmedewerker", gemeente=gemeente, naam=live_server.unique("Fatima "))
    wethouder = create_user(live_server, "wethouder", gemeente=gemeente)
    lid = create_user(live_server, "wijkteamlid", gemeente=gemeente)

    leider = new_context().new_page()
    login(leider, begeleider.email)
    titel = live_server.unique("Ontmoeting ")
    sessie_id = create_sessie(leider, titel)
    team_id = live_server.python_json(
        f"""
        from facilitatie.accounts.models import Gemeente, Team, User
        from facilitatie.knelpunten.models import Knelpunt
        from facilitatie.sessies.models import Sessie
        sessie = db.session.get(Sessie, {sessie_id})
        team = Team(naam="Wijkteam Oost", gemeente_id=sessie.gemeente_id)
        db.session.add(team)
        db.session.flush()
        db.session.query(User).filter_by(email={lid.email!r}).one().team_id = team.id
        for tekst, anoniem in [("Herindicatie Wmo kost weken", False), ("Dubbele registratie in twee systemen", True)]:
            db.session.add(Knelpunt(sessie_id=sessie.id, team_id=team.id, domein="Wmo", tekst=tekst, anoniem=anoniem))
        db.session.commit()
        print(json.dumps(team.id))
        """
    )

    # The begeleider moves to the besluiten fase; the panel lists every knelpunt.
    leider.reload()
    leider.get_by_role("button", name=f"Ga naar fase {BESLUITEN}").click()
    paneel = leider.locator("#besluiten")
    expect(paneel).to_contain_text("Herindicatie Wmo kost weken")
    eerste = paneel.locator(".knelpunt-besluit", has_text="Herindicatie Wmo kost weken")
    eerste.get_by_label("Opgepakt", exact=True).check()
    seq_voor = leider.locator("[data-live]").get_attribute("data-seq")
    eerste.get_by_role("button", name="Besluit vastleggen").click()
    expect(leider.locator("#besluiten .knelpunt-besluit", has_text="Herindicatie")).to_contain_text("Opgepakt")
    # Let the live echo of that besluit land first: it redraws #besluiten for every begeleider page.
    expect(leider.locator("[data-live]")).not_to_have_attribute("data-seq", seq_voor or "")

    tweede = leider.locator("#besluiten .knelpunt-besluit", has_text="Dubbele registratie")
    tweede.get_by_label("Niet opgepakt", exact=True).check()
    tweede.get_by_role("button", name="Besluit vastleggen").click()
    expect(leider.locator("#besluiten")).to_contain_text("Geef een reden")
    tweede = leider.locator("#besluiten .knelpunt-besluit", has_text="Dubbele registratie")
    tweede.get_by_label("Reden").fill(REDEN)
    tweede.get_by_role("button", name="Besluit vastleggen").click()
    expect(leider.locator("#besluiten .knelpunt-besluit", has_text="Dubbele registratie")).to_contain_text(REDEN)

    formulier = leider.locator("#besluiten form.actie-form")
    formulier.get_by_label("Omschrijving").fill("Voorstel herindicatie voorbereiden")
    formulier.get_by_label("Eigenaar").select_option(label=f"{beleid.naam} (Beleidsmedewerker)")
    formulier.get_by_label("Streefdatum").fill("2099-12-31")
    formulier.get_by_label("Herindicatie Wmo kost weken").check()
    formulier.get_by_role("button", name="Actie toevoegen").click()
    expect(leider.locator("#acties")).to_contain_text("Voorstel herindicatie voorbereiden")
    axe_check(leider)
    leider.get_by_role("button", name="Sessie afsluiten").click()

    # The beleidsmedewerker moves the actie to "In uitvoering" from the opvolging.
    beleid_page = new_context().new_page()
    login(beleid_page, beleid.email)
    beleid_page.goto("/opvolging")
    axe_check(beleid_page)
    rij = beleid_page.get_by_role("row", name=re.compile("Voorstel herindicatie voorbereiden"))
    rij.locator("summary").click()
    rij.get_by_label("Nieuwe status").select_option("in_uitvoering")
    rij.get_by_label("Voortgangsnotitie").fill("Eerste overleg gevoerd.")
    rij.get_by_role("button", name="Status bijwerken").click()
    expect(rij.get_by_role("status")).to_have_text("Status bijgewerkt.")
    # The table's own Status column follows, not only the panel (it said "Open" until a reload).
    expect(rij.locator("td").nth(3)).to_have_text(re.compile("In uitvoering"))

    # The wethouder sees it on the dashboard (read-only) and can click through.
    wethouder_page = new_context().new_page()
    login(wethouder_page, wethouder.email)
    wethouder_page.goto("/dashboard")
    expect(wethouder_page.get_by_role("heading", level=1)).to_contain_text(gemeente)
    tabel = wethouder_page.get_by_role("table", name="Acties per status (aangemaakt in de periode)")
    expect(tabel.get_by_role("row", name=re.compile("^In uitvoering"))).to_contain_text("1")
    axe_check(wethouder_page)
    tabel.get_by_role("row", name=re.compile("^In uitvoering")).get_by_role("link").click()
    expect(wethouder_page.get_by_role("status").filter(has_text="acties gevonden")).to_contain_text("1 acties gevonden")
    expect(wethouder_page.get_by_role("button", name="Status bijwerken")).to_have_count(0)

    # The wijkteamlid reads the reden on the terugkoppeling page, on a phone too.
    lid_page = new_context(phone=True).new_page()
    login(lid_page, lid.email)
    lid_page.goto(f"/teams/{team_id}/terugkoppeling")
    expect(lid_page.get_by_role("main")).to_contain_text(REDEN)
    expect(lid_page.get_by_role("main")).to_contain_text("Dubbele registratie in twee systemen")
    axe_check(lid_page)
    no_horizontal_scroll(lid_page)
