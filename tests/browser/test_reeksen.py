"""A reeks in a real browser: "Nieuwe sessie" offers the next sessie of a reeks, which opens
prefilled (its wijkteam ticked, the verwachting to rate again ticked, the open actie listed);
the new sessie's page shows that actie to the begeleider; once the copy is rated, a
beleidsmedewerker on a 320 px phone reads the verwachting's trend across both sessies and the
ambitieniveau decided on the way. axe-core finds no WCAG 2.1 A/AA violations on these pages.
"""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import axe_check, create_user, deelnamecode, join, login, no_horizontal_scroll


def _vorige_sessie(
    *,
    begeleider: str,
    beleid: str,
    titel: str,
    reeks: str,
    vorm: str,
    teams: list[str],
    verwachting: str,
    ambitie: tuple[str, str],
    actie: str,
    streefdatum_over_dagen: int,
    extra: str = "",
) -> str:
    """A script for `live_server.python_json`: an earlier sessie of a new reeks, 42 days ago, for
    the first of `teams`, with a rated verwachting (beleid 5/4, uitvoering 5/2), its ambitieniveau
    bijgesteld to `ambitie` (formulering, toelichting), an open actie, and `extra` lines (which
    may use `sessie`). Prints the ids of the reeks, the teams and the verwachting."""
    return f"""
from datetime import date, timedelta
from facilitatie.accounts.models import Team, User
from facilitatie.leerkring.models import Casus, Vooruitblik
from facilitatie.models_base import utcnow
from facilitatie.opvolging.models import Actie, Reeks, sessie_reeks
from facilitatie.sessies import service
from facilitatie.sessies.models import Deelnemer
from facilitatie.verwachtingen.models import Ambitie, Beoordeling, Ronde, Verwachting

begeleider = db.session.query(User).filter_by(email={begeleider!r}).one()
beleid = db.session.query(User).filter_by(email={beleid!r}).one()
teams = {{naam: Team(naam=naam, gemeente_id=begeleider.gemeente_id) for naam in {teams!r}}}
db.session.add_all(teams.values())
db.session.flush()
sessie = service.create_sessie(begeleider=begeleider, titel={titel!r}, vorm={vorm!r}, teams=[teams[{teams[0]!r}]])
sessie.aangemaakt_op = utcnow() - timedelta(days=42)
reeks = Reeks(gemeente_id=begeleider.gemeente_id, naam={reeks!r})
db.session.add(reeks)
db.session.flush()
db.session.execute(sessie_reeks.insert().values(sessie_id=sessie.id, reeks_id=reeks.id))
{extra}
v = Verwachting(sessie_id=sessie.id, gemeente_id=sessie.gemeente_id, tekst={verwachting!r}, volgorde=1)
db.session.add(v)
db.session.flush()
db.session.add(Ambitie(verwachting_id=v.id, uitkomst="bijstellen", nieuwe_formulering={ambitie[0]!r},
                       toelichting={ambitie[1]!r}))
db.session.add(Ronde(sessie_id=sessie.id, ronde=1, gesloten_op=utcnow()))
for perspectief, w, h in [("beleid", 5, 4)] * 3 + [("uitvoering", 5, 2)] * 3:
    d = Deelnemer(sessie_id=sessie.id, perspectief=perspectief)
    db.session.add(d)
    db.session.flush()
    db.session.add(Beoordeling(verwachting_id=v.id, deelnemer_id=d.id, ronde=1, wenselijk=w, haalbaar=h,
                               perspectief=perspectief))
db.session.add(Actie(gemeente_id=sessie.gemeente_id, sessie_id=sessie.id, omschrijving={actie!r},
                     eigenaar_id=beleid.id, streefdatum=date.today() + timedelta(days={streefdatum_over_dagen}),
                     status="open"))
db.session.commit()
print(json.dumps({{"reeks": reeks.id, "teams": {{n: t.id for n, t in teams.items()}}, "verwachting": v.id}}))
"""


BEOORDEEL = """
from facilitatie.models_base import utcnow
from facilitatie.sessies.models import Deelnemer
from facilitatie.verwachtingen.models import Beoordeling, Ronde, Verwachting
v = db.session.get(Verwachting, {verwachting})
db.session.add(Ronde(sessie_id=v.sessie_id, ronde=1, gesloten_op=utcnow()))
for perspectief, w, h in [("beleid", 5, 4)] * 3 + [("uitvoering", 5, 4)] * 3:
    d = Deelnemer(sessie_id=v.sessie_id, perspectief=perspectief)
    db.session.add(d)
    db.session.flush()
    db.session.add(Beoordeling(verwachting_id=v.id, deelnemer_id=d.id, ronde=1, wenselijk=w, haalbaar=h,
                               perspectief=perspectief))
db.session.commit()
"""


def test_next_sessie_of_a_reeks_opens_prefilled_and_the_verwachting_shows_its_trend(new_context, live_server):
    gemeente = live_server.unique("Reeksstad")
    begeleider = create_user(live_server, "begeleider", gemeente=gemeente)
    beleid = create_user(live_server, "beleidsmedewerker", gemeente=gemeente)
    reeks = live_server.unique("Leerkring Noord ")
    eerste = live_server.unique("Leerkring eerste ")
    ids = live_server.python_json(
        _vorige_sessie(
            begeleider=begeleider.email,
            beleid=beleid.email,
            titel=eerste,
            reeks=reeks,
            vorm="ontmoeten-en-ont-moeten",
            teams=["Wijkteam Noord", "Wijkteam Zuid"],
            verwachting="Contact binnen vijf werkdagen",
            ambitie=("Contact binnen tien werkdagen", "Vijf haalt geen team."),
            actie="Werkinstructie herschrijven",
            streefdatum_over_dagen=14,
        )
    )

    leider = new_context().new_page()
    login(leider, begeleider.email)
    leider.goto("/sessies/nieuw")
    leider.get_by_role("link", name=f"Volgende sessie van {reeks}").click()
    expect(leider.get_by_label("Titel")).to_have_value(f"{reeks}, sessie 2")
    expect(leider.get_by_label("Reeks", exact=True)).to_have_value(str(ids["reeks"]))
    teams = leider.get_by_role("group", name="Wijkteams")
    expect(teams.get_by_label("Wijkteam Noord")).to_be_checked()
    expect(teams.get_by_label("Wijkteam Zuid")).not_to_be_checked()
    opnieuw = leider.get_by_role("group", name="Verwachtingen om opnieuw te beoordelen")
    expect(opnieuw.get_by_label(re.compile("Contact binnen tien werkdagen"))).to_be_checked()
    expect(leider.locator(".reeks-voorinvulling")).to_contain_text("Werkinstructie herschrijven")
    axe_check(leider)

    leider.get_by_role("button", name="Sessie aanmaken").click()
    leider.wait_for_url(re.compile(r"/sessies/\d+$"))
    sessie_id = int(leider.url.rsplit("/", 1)[1])
    # The begeleider sees the open actie of the reeks on the new sessie's page, before the start.
    expect(leider.get_by_role("heading", name=re.compile(f"Terugblik: acties uit {reeks}"))).to_be_visible()
    expect(leider.get_by_text("Werkinstructie herschrijven")).to_be_visible()
    axe_check(leider)

    leider.goto(f"/sessies/{sessie_id}/verwachtingen")
    expect(leider.locator("#verwachtingen-lijst")).to_contain_text("Contact binnen tien werkdagen")
    kopie = live_server.python_json(
        f"""
        from facilitatie.verwachtingen.models import Verwachting
        v = db.session.query(Verwachting).filter_by(sessie_id={sessie_id}).one()
        print(json.dumps({{"id": v.id, "herkomst": v.herkomst_id, "lijn": v.lijn}}))
        """
    )
    assert kopie["herkomst"] == ids["verwachting"] and kopie["lijn"] == ids["verwachting"]
    live_server.python(BEOORDEEL.format(verwachting=kopie["id"]))

    # A beleidsmedewerker on a phone follows the link to the verwachting's page.
    telefoon = new_context(phone=True).new_page()
    login(telefoon, beleid.email)
    telefoon.goto(f"/sessies/{sessie_id}/verwachtingen")
    telefoon.get_by_role("link", name=re.compile("Verloop over de sessies")).click()
    expect(telefoon).to_have_url(re.compile(f"/verwachtingen/{kopie['id']}$"))
    tabel = telefoon.get_by_role("table", name=re.compile("Wenselijk en haalbaar per sessie"))
    uitvoering = tabel.locator("tr[data-groep='uitvoering']")
    expect(uitvoering.nth(0).locator("[data-cel='haalbaar']")).to_have_text("2")
    expect(uitvoering.nth(1).locator("[data-cel='haalbaar']")).to_have_text("4")
    expect(telefoon.get_by_role("img", name=re.compile("Haalbaar over de sessies"))).to_be_visible()
    expect(telefoon.locator("#stap-1")).to_contain_text("Bijgesteld ambitieniveau: bijstellen")
    axe_check(telefoon)
    no_horizontal_scroll(telefoon)


VORIGE_CASUS = "Mag ik een traplift voorschieten als het medisch advies maanden op zich laat wachten?"


def test_the_next_leerkring_opens_with_the_earlier_casus_the_open_acties_and_the_trend(new_context, live_server):
    gemeente = live_server.unique("Kringstad")
    begeleider = create_user(live_server, "begeleider", gemeente=gemeente)
    beleid = create_user(live_server, "beleidsmedewerker", gemeente=gemeente)
    reeks = live_server.unique("Leerkring Zuid ")
    live_server.python_json(
        _vorige_sessie(
            begeleider=begeleider.email,
            beleid=beleid.email,
            titel=live_server.unique("Leerkring oktober "),
            reeks=reeks,
            vorm="leerkring",
            teams=["Wijkteam Noord"],
            verwachting="Eén plan binnen twee weken",
            ambitie=("Eén plan binnen vier weken", "Twee weken haalt niemand."),
            actie="Convenant loketten herzien",
            streefdatum_over_dagen=-3,
            extra=(
                f"db.session.add(Casus(sessie_id=sessie.id, inbrenger='Sanne', vraag={VORIGE_CASUS!r}))\n"
                "db.session.add(Vooruitblik(sessie_id=sessie.id, inbrenger='Lotte Uniek', datum=date.today()))"
            ),
        )
    )

    # The begeleider on a laptop starts the next leerkring of the reeks from "Nieuwe sessie".
    leider = new_context(viewport={"width": 1366, "height": 900}).new_page()
    login(leider, begeleider.email)
    leider.goto("/sessies/nieuw")
    leider.get_by_role("link", name=f"Volgende sessie van {reeks}").click()
    voorinvulling = leider.locator(".reeks-voorinvulling")
    leerkring = voorinvulling.locator(".reeks-leerkring")
    expect(leerkring.locator("dt").first).to_have_text("Vorige casus")
    expect(leerkring.locator("dd").first).to_have_text(VORIGE_CASUS)
    expect(leerkring.locator("dt").nth(1)).to_have_text("Volgende inbrenger")
    expect(leerkring.locator("dd").nth(1)).to_contain_text("Lotte Uniek")
    expect(voorinvulling).to_contain_text("Convenant loketten herzien")
    expect(leider.get_by_role("group", name="Sessievorm").get_by_label("Leerkring")).to_be_checked()
    axe_check(leider)
    leider.get_by_role("button", name="Sessie aanmaken").click()
    leider.wait_for_url(re.compile(r"/sessies/\d+$"))

    # Before the start: the casus card names the inbrenger and shows the casus before it; the
    # open actie and the verwachting's trend are there to look back on.
    expect(leider.get_by_label("Inbrenger (optioneel)")).to_have_value("Lotte Uniek")
    expect(leider.locator(".leerkring-vorige-casus")).to_have_text(f"Vorige casus: {VORIGE_CASUS}")
    expect(leider.get_by_text("Convenant loketten herzien")).to_be_visible()
    trend = leider.get_by_role("link", name=re.compile("Verloop over 2 sessies"))
    expect(trend).to_be_visible()
    axe_check(leider)

    # Started, in the welkom fase: the terugblik of the reeks is on the begeleider's panel.
    leider.get_by_role("button", name="Sessie starten").click()
    expect(leider.get_by_role("button", name="Volgende fase")).to_be_visible()
    terugblik = leider.locator(".paneel-terugblik")
    expect(terugblik).to_contain_text(f"Vorige casus: {VORIGE_CASUS}")
    expect(terugblik).to_contain_text("Inbrenger deze keer: Lotte Uniek")
    expect(leider.get_by_role("heading", name=re.compile(f"Terugblik: acties uit {reeks}"))).to_be_visible()
    axe_check(leider)

    # A deelnemer on a phone sees the casus before this one in the casus fase.
    telefoon = new_context(phone=True).new_page()
    join(telefoon, deelnamecode(leider), naam="Mehmet Uniek")
    leider.get_by_role("button", name=re.compile("Ga naar fase Casus inbrengen")).click()
    expect(telefoon.locator(".leerkring-vorige-casus")).to_have_text(f"Vorige casus: {VORIGE_CASUS}")
    axe_check(telefoon)
    no_horizontal_scroll(telefoon)

    # The link leads to the verwachting's trend across both leerkringen.
    leider.get_by_role("button", name=re.compile("Ga naar fase Welkom")).click()
    leider.locator(".paneel-terugblik").get_by_role("link", name=re.compile("Verloop over 2 sessies")).click()
    expect(leider).to_have_url(re.compile(r"/verwachtingen/\d+$"))
    expect(leider.get_by_role("img", name=re.compile("Haalbaar over de sessies"))).to_be_visible()
    expect(leider.get_by_role("main")).to_contain_text("Eén plan binnen vier weken")
    axe_check(leider)
