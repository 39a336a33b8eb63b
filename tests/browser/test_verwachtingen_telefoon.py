"""Verwachtingen results for people on a phone (issue 14 item 2): each verwachting first shows
one simple picture and one sentence in plain Dutch; the full figures are one tap away in a
<details>; a group that is too small is named ("minder dan 3 mensen uit beleid: niet apart
getoond") instead of dashes. At 390×844, axe clean, no sideways scrolling.
"""

from __future__ import annotations

import re

from playwright.sync_api import expect

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
TELEFOON = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
V1 = "Elk gezin heeft binnen twee weken één plan"
V2 = "Het wijkteam neemt binnen vijf werkdagen contact op"


def test_each_verwachting_first_shows_a_picture_and_a_sentence(new_context, live_server):
    begeleider = create_user(live_server, "begeleider")
    leider = new_context().new_page()
    login(leider, begeleider.email)
    sessie_id = create_sessie(leider, f"Verwachtingen op de telefoon {live_server.unique()}")
    telefoon = new_context(**TELEFOON).new_page()
    join(telefoon, deelnamecode(leider), naam="U1", perspectief="Uitvoering")

    # Ronde 1, closed: V1 by three of beleid and three of uitvoering, V2 by only two of beleid.
    ids = live_server.python_json(f"""
        from facilitatie.models_base import utcnow
        from facilitatie.sessies.models import Deelnemer, Sessie
        from facilitatie.verwachtingen.models import Beoordeling, Ronde, Verwachting
        sessie = db.session.get(Sessie, {sessie_id})
        vs = {{}}
        for i, tekst in enumerate(({V1!r}, {V2!r})):
            vs[tekst] = Verwachting(sessie_id=sessie.id, gemeente_id=sessie.gemeente_id, tekst=tekst, volgorde=i)
            db.session.add(vs[tekst])
        mensen = {{}}
        for naam, perspectief in [("U1", "uitvoering"), ("U2", "uitvoering"), ("U3", "uitvoering"),
                                  ("B1", "beleid"), ("B2", "beleid"), ("B3", "beleid")]:
            d = db.session.query(Deelnemer).filter_by(sessie_id=sessie.id, naam=naam).one_or_none()
            if d is None:
                d = Deelnemer(sessie_id=sessie.id, naam=naam, perspectief=perspectief)
                db.session.add(d)
            mensen[naam] = d
        db.session.flush()
        antwoorden = {{
            {V1!r}: {{"U1": (4, 2), "U2": (4, 2), "U3": (5, 2), "B1": (4, 4), "B2": (4, 4), "B3": (5, 3)}},
            {V2!r}: {{"U1": (3, 2), "U2": (4, 2), "U3": (4, 3), "B1": (5, 4), "B2": (5, 4)}},
        }}
        for tekst, per in antwoorden.items():
            for naam, (w, h) in per.items():
                d = mensen[naam]
                db.session.add(Beoordeling(verwachting_id=vs[tekst].id, deelnemer_id=d.id, ronde=1,
                                           wenselijk=w, haalbaar=h, perspectief=d.perspectief))
        db.session.add(Ronde(sessie_id=sessie.id, ronde=1, gesloten_op=utcnow()))
        db.session.flush()
        print(json.dumps({{t: v.id for t, v in vs.items()}}))
    """)

    _index, titel = FASE["dialoog-verwachtingen"]
    leider.get_by_role("button", name=f"Ga naar fase {titel}").click()
    eerste = telefoon.locator(f"#uitslag-{ids[V1]}")
    expect(eerste.locator("[data-zin]")).to_have_text(
        "Beleid en uitvoering vinden dit even wenselijk (4); "
        "beleid vindt dit beter haalbaar dan uitvoering (4 tegen 2)."
    )
    expect(
        eerste.get_by_role("img", name=re.compile(r"^Wenselijk: beleid 4, uitvoering 4\. Haalbaar: beleid 4"))
    ).to_be_visible()
    # The full figures are one tap away.
    tabel = eerste.locator("table.figuren-tabel")
    expect(tabel).to_be_hidden()
    eerste.get_by_text("Alle cijfers en de grote grafiek").click()
    expect(tabel).to_be_visible()
    expect(telefoon.locator("table.overzicht-tabel")).to_be_hidden()

    # Too small a group is named, not shown as a dash.
    tweede = telefoon.locator(f"#uitslag-{ids[V2]}")
    expect(tweede.locator("[data-klein]")).to_have_text("Minder dan 3 mensen uit beleid: niet apart getoond.")
    expect(tweede.locator("[data-zin]")).to_contain_text("Alle deelnemers samen: wenselijk 4, haalbaar 3.")
    expect(tweede.locator("[data-zin]")).not_to_contain_text("—")
    expect(tweede.locator("svg.schalen .stip.beleid")).to_have_count(0)
    no_horizontal_scroll(telefoon)
    axe_check(telefoon)
    telefoon.screenshot(path="/tmp/scherm-shots/verwachtingen-telefoon-390.png", full_page=True)

    # The Scherm says the same sentence beside the chart.
    scherm = new_context(
        viewport={"width": 1920, "height": 1080}, storage_state=leider.context.storage_state()
    ).new_page()
    scherm.goto(f"/sessies/{sessie_id}/scherm")
    expect(scherm.locator(".scherm-grafiek-zin").first).to_contain_text("beleid vindt dit beter haalbaar")
    expect(scherm.locator(".scherm-grafieken")).to_contain_text("Minder dan 3 mensen uit beleid: niet apart getoond.")
    axe_check(scherm)
    scherm.screenshot(path="/tmp/scherm-shots/verwachtingen-scherm-1920.png")
