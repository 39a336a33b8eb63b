"""Signalen in a real browser (issue 13): a wijkteamlid reports without a code; a colleague
without an account reports anonymously through the team's meldlink on a phone; the begeleider
puts it on the agenda of a sessie in preparation, where it shows as inbreng vooraf; marking the
actie afgerond asks the team "Is het opgelost?", and "nee" brings it back in the inbox.
axe-core finds no WCAG 2.1 A/AA violations on the new pages.
"""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import axe_check, create_sessie, create_user, login, no_horizontal_scroll


def _team(live_server, gemeente: str, naam: str, *leden) -> int:
    """A wijkteam of the gemeente, with these wijkteamleden in it."""
    emails = [lid.email for lid in leden]
    return live_server.python_json(
        f"""
        from facilitatie.accounts.models import Gemeente, Team, User
        gemeente = db.session.query(Gemeente).filter_by(naam={gemeente!r}).one()
        team = Team(naam={naam!r}, gemeente_id=gemeente.id)
        db.session.add(team)
        db.session.flush()
        for email in {emails!r}:
            db.session.query(User).filter_by(email=email).one().team_id = team.id
        db.session.commit()
        print(json.dumps(team.id))
        """
    )


def test_a_wijkteamlid_reports_a_signaal_without_a_code(new_context, live_server):
    gemeente = live_server.unique("Meldstad")
    create_user(live_server, "begeleider", gemeente=gemeente)
    lid = create_user(live_server, "wijkteamlid", gemeente=gemeente)
    _team(live_server, gemeente, "Wijkteam West", lid)

    page = new_context().new_page()
    login(page, lid.email)
    page.goto("/")
    page.get_by_role("link", name="Signaal melden").first.click()
    expect(page.get_by_role("heading", name="Signaal melden")).to_be_visible()
    expect(page.get_by_text("Wijkteam West")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Signaal melden").click()  # empty: the browser's own check stops it
    page.get_by_label("Signaal", exact=True).fill("Een *kleine* wijziging in de indicatie vraagt een nieuwe aanvraag.")
    page.get_by_label("Domein").select_option("Wmo")
    page.get_by_role("button", name="Signaal melden").click()
    expect(page.get_by_role("heading", name="Dank je, je signaal is gemeld")).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="Wijkteam West")).to_be_visible()
    axe_check(page)


def test_meldlink_on_a_phone_agenda_afgerond_and_nee_brings_it_back(new_context, live_server):
    gemeente = live_server.unique("Signaalstad")
    begeleider = create_user(live_server, "begeleider", gemeente=gemeente)
    lid = create_user(live_server, "wijkteamlid", gemeente=gemeente)
    team_id = _team(live_server, gemeente, "Wijkteam Oost", lid)
    tekst = "De wachttijd voor schuldhulp is opgelopen tot tien weken."

    # The begeleider makes the team's meldlink; link and QR code are shown once.
    leider = new_context().new_page()
    login(leider, begeleider.email)
    leider.goto("/signalen/meldlinks")
    axe_check(leider)
    leider.get_by_role("button", name="Meldlink maken voor Wijkteam Oost").click()
    expect(leider.get_by_role("heading", name="Meldlink van Wijkteam Oost")).to_be_visible()
    expect(leider.locator("figure.meldlink-qr svg")).to_be_visible()
    axe_check(leider)
    link = leider.get_by_label("Meldlink").input_value()
    pad = re.sub(r"^https?://[^/]+", "", link)

    # A colleague without an account reports on a phone, anonymously.
    telefoon = new_context(phone=True).new_page()
    telefoon.goto(pad)
    expect(telefoon.get_by_role("heading", name="Signaal melden voor Wijkteam Oost")).to_be_visible()
    no_horizontal_scroll(telefoon)
    axe_check(telefoon)
    telefoon.get_by_label("Signaal", exact=True).fill(tekst)
    telefoon.get_by_label("Domein").select_option("Schulden")
    telefoon.get_by_label("Anoniem indienen").check()
    telefoon.get_by_role("button", name="Signaal melden").click()
    expect(telefoon.get_by_role("heading", name="Dank je, je signaal is gemeld")).to_be_visible()
    expect(telefoon.get_by_text("anoniem: er is niets bewaard")).to_be_visible()
    no_horizontal_scroll(telefoon)

    # The begeleider puts it on the agenda of a sessie in preparation.
    titel = live_server.unique("Ontmoeting ")
    sessie_id = create_sessie(leider, titel, starten=False)
    leider.goto("/signalen")
    item = leider.locator(".signalen-lijst li", has_text=tekst)
    expect(item).to_contain_text("anoniem")
    expect(item).to_contain_text("Nieuw")
    axe_check(leider)
    item.get_by_label("Op de agenda").check()
    leider.get_by_label("Sessie", exact=True).select_option(label=titel)
    leider.get_by_role("button", name="Op de agenda zetten").click()
    expect(leider.get_by_text("staat op de agenda van")).to_be_visible()
    expect(leider.locator(".signalen-lijst li", has_text=tekst)).to_contain_text("Op de agenda")

    # In the sessie it is inbreng vooraf (once the begeleider opens inbreng vooraf).
    live_server.python(
        f"""
        from facilitatie.sessies.models import Sessie
        db.session.get(Sessie, {sessie_id}).inbreng_open = True
        db.session.commit()
        """
    )
    leider.goto(f"/sessies/{sessie_id}")
    expect(leider.get_by_role("heading", name="Inbreng vooraf")).to_be_visible()
    kaart = leider.locator("li.knelpunt", has_text=tekst)
    expect(kaart).to_contain_text("signaal van vóór de sessie")

    # Opgepakt with an actie (set up directly); the begeleider marks the actie afgerond.
    actie_id = live_server.python_json(
        f"""
        from facilitatie.accounts.models import User
        from facilitatie.knelpunten.models import Knelpunt
        from facilitatie.opvolging import service
        knelpunt = db.session.query(Knelpunt).filter_by(team_id={team_id}).one()
        door = db.session.query(User).filter_by(email={begeleider.email!r}).one()
        service.besluit_nemen(knelpunt, door, soort="opgepakt")
        actie = service.actie_toevoegen(door, gemeente_id=door.gemeente_id, omschrijving="Snelle route schuldhulp",
                                        eigenaar_id=door.id, streefdatum="2030-01-31", knelpunt_ids=[knelpunt.id])
        print(json.dumps(actie.id))
        """
    )
    leider.goto(f"/acties/{actie_id}")
    leider.get_by_label("Nieuwe status").select_option("afgerond")
    leider.get_by_role("button", name="Status bijwerken").click()
    expect(leider.get_by_text("Status bijgewerkt.")).to_be_visible()

    # The team is asked on its start page; "nee" brings the knelpunt back.
    teamlid = new_context().new_page()
    login(teamlid, lid.email)
    teamlid.goto("/")
    vraag = teamlid.locator("form.opgelost-vraag", has_text=tekst)
    expect(vraag).to_be_visible()
    axe_check(teamlid)
    vraag.get_by_role("radio", name="Nee").check()
    vraag.get_by_role("button", name="Antwoord versturen").click()
    expect(teamlid.locator(".utrecht-form-field-error-message", has_text="Licht toe wat er nog knelt")).to_be_visible()
    teamlid.locator("form.opgelost-vraag").get_by_role("radio", name="Nee").check()
    teamlid.locator("form.opgelost-vraag").get_by_label("Toelichting").fill("Bij de zorgverzekeraar lukt het nog niet.")
    teamlid.locator("form.opgelost-vraag").get_by_role("button", name="Antwoord versturen").click()
    expect(teamlid.get_by_text("staat weer bij de binnengekomen signalen")).to_be_visible()

    leider.goto("/signalen?status=nieuw")
    terug = leider.locator(".signalen-lijst li", has_text=tekst)
    expect(terug).to_contain_text("Heropend")
    expect(terug).to_contain_text("Bij de zorgverzekeraar lukt het nog niet.")
    axe_check(leider)
