"""Regelruimte and Gevonden ruimte in a real browser (issue 15, item 4).

A beleidsmedewerker records on the besluiten page where the knel sits and who can resolve it,
and marks the besluit as "ruimte die er al was"; a wijkteamlid of ANOTHER team of the same
gemeente finds it in Gevonden ruimte by searching on a 320 px phone; a wijkteamlid of another
gemeente does not see it, not even by its direct address. axe-core checks each page.
"""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import axe_check, create_sessie, create_user, login, no_horizontal_scroll

KNELPUNT = "Voor een kleine aanpassing moet de inwoner opnieuw een volledige Wmo-aanvraag doen."
RUIMTE = "Een Wmo-indicatie kan zonder nieuw huisbezoek worden verlengd als de situatie al bekend is."


def test_ruimte_die_er_al_was_reaches_the_other_teams_of_the_gemeente(new_context, live_server):
    gemeente = live_server.unique("Ruimtestad")
    andere = live_server.unique("Anderstad")
    begeleider = create_user(live_server, "begeleider", gemeente=gemeente)
    beleid = create_user(live_server, "beleidsmedewerker", gemeente=gemeente)
    lid_zuid = create_user(live_server, "wijkteamlid", gemeente=gemeente)
    lid_x = create_user(live_server, "wijkteamlid", gemeente=andere)

    leider = new_context().new_page()
    login(leider, begeleider.email)
    sessie_id = create_sessie(leider, live_server.unique("Ontmoeting "), starten=False)
    live_server.python(
        f"""
        from facilitatie.accounts.models import Team, User
        from facilitatie.knelpunten.models import Knelpunt
        from facilitatie.opvolging.models import Besluit
        from facilitatie.sessies.models import Sessie
        sessie = db.session.get(Sessie, {sessie_id})
        noord = Team(naam="Wijkteam Noord", gemeente_id=sessie.gemeente_id)
        zuid = Team(naam="Wijkteam Zuid", gemeente_id=sessie.gemeente_id)
        db.session.add_all([noord, zuid])
        db.session.flush()
        db.session.query(User).filter_by(email={lid_zuid.email!r}).one().team_id = zuid.id
        knelpunt = Knelpunt(sessie_id=sessie.id, team_id=noord.id, domein="Wmo", tekst={KNELPUNT!r}, anoniem=True)
        db.session.add(knelpunt)
        db.session.flush()
        db.session.add(Besluit(knelpunt_id=knelpunt.id, soort="al_opgelost", toelichting="Het mocht al."))
        db.session.commit()
        """
    )

    # Beleid records the regelruimte and marks the besluit as "ruimte die er al was".
    page = new_context().new_page()
    login(page, beleid.email)
    page.goto(f"/sessies/{sessie_id}/besluiten")
    kaart = page.locator(".knelpunt-besluit", has_text="kleine aanpassing")
    kaart.locator("summary", has_text="Regelruimte vastleggen").click()
    kaart.get_by_label("Waar zit de knel?").select_option(label="Werkinstructie of proces")
    kaart.get_by_role("button", name="Regelruimte opslaan").click()
    kaart = page.locator(".knelpunt-besluit", has_text="kleine aanpassing")
    expect(kaart.locator(".regelruimte-regel")).to_have_count(0)
    expect(kaart.get_by_text("Kies wie het kan oplossen.")).to_be_visible()  # next to its field
    kaart.get_by_label("Wie kan het oplossen?").select_option(label="Team zelf")
    kaart.get_by_role("button", name="Regelruimte opslaan").click()
    kaart = page.locator(".knelpunt-besluit", has_text="kleine aanpassing")
    expect(kaart.locator(".regelruimte-regel")).to_contain_text("Werkinstructie of proces")
    expect(kaart.locator(".regelruimte-regel")).to_contain_text("Team zelf")

    kaart.locator("summary", has_text="Ruimte die er al was").click()
    kaart.get_by_label("Welke ruimte was er al?").fill(RUIMTE)
    kaart.get_by_role("button", name="Publiceren in Gevonden ruimte").click()
    kaart = page.locator(".knelpunt-besluit", has_text="kleine aanpassing")
    expect(kaart.locator(".gevonden-ruimte-regel")).to_contain_text("zonder nieuw huisbezoek")
    axe_check(page)
    link = kaart.locator(".gevonden-ruimte-regel").get_by_role("link", name="Gevonden ruimte")
    adres = link.get_attribute("href")
    assert adres and re.fullmatch(r"/gevonden-ruimte/\d+", adres)

    # A wijkteamlid of Wijkteam Zuid finds it by searching, on a phone.
    lid = new_context(phone=True).new_page()
    login(lid, lid_zuid.email)
    lid.goto("/")
    menu_knop = lid.get_by_role("button", name=re.compile("Menu", re.I))
    if menu_knop.count() and menu_knop.first.is_visible():
        menu_knop.first.click()
    lid.get_by_role("link", name="Gevonden ruimte").first.click()
    expect(lid.get_by_role("heading", level=1)).to_have_text("Gevonden ruimte")
    lid.get_by_label("Zoeken in Gevonden ruimte").fill("parkeervergunning")
    lid.get_by_role("button", name="Zoeken").click()
    expect(lid.locator("p[role=status]")).to_contain_text('Niets gevonden voor "parkeervergunning"')
    lid.get_by_label("Zoeken in Gevonden ruimte").fill("huisbezoek wmo")
    lid.get_by_role("button", name="Zoeken").click()
    expect(lid.locator("p[role=status]")).to_contain_text("1 van 1 gevonden")
    vermelding = lid.get_by_role("article")
    expect(vermelding).to_contain_text("zonder nieuw huisbezoek")
    expect(vermelding).to_contain_text("Werkinstructie of proces")
    expect(vermelding).to_contain_text("Wijkteam Noord")
    expect(lid.get_by_role("main")).not_to_contain_text(KNELPUNT)  # the (anonymous) knelpunt stays out
    axe_check(lid)
    no_horizontal_scroll(lid)
    vermelding.get_by_role("link").click()
    expect(lid).to_have_url(re.compile(re.escape(adres) + "$"))
    axe_check(lid)
    no_horizontal_scroll(lid)

    # Another gemeente's wijkteamlid sees an empty register, and a 404 at the direct address.
    vreemd = new_context().new_page()
    login(vreemd, lid_x.email)
    vreemd.goto("/gevonden-ruimte")
    expect(vreemd.locator("p[role=status]")).to_contain_text("Er is nog geen gevonden ruimte gedeeld")
    axe_check(vreemd)
    antwoord = vreemd.goto(adres)
    assert antwoord is not None and antwoord.status == 404
    expect(vreemd.get_by_role("main")).not_to_contain_text("huisbezoek")
