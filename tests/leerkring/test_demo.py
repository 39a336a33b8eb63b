"""The demo's leerkring reeks: three leerkringen with casussen, reflecties, evaluaties, the werkdruk
peiling per wijkteam, the next inbrenger and a verwachting rated in all three, so `make run`
shows the trend over the reeks and the open leerkring looks back on it."""

from __future__ import annotations

from sqlalchemy import select

from facilitatie.extensions import db
from facilitatie.leerkring import lezen
from facilitatie.leerkring.models import Bijdrage
from facilitatie.opvolging.lezen import reeks_van
from facilitatie.opvolging.models import Reeks
from facilitatie.sessies.models import Sessie
from facilitatie.verwachtingen import verloop
from facilitatie.verwachtingen.models import Verwachting
from tests.conftest import login, post


def test_demo_has_a_reeks_of_three_leerkringen_with_their_content(runner, app):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    open_sessie = db.session.scalars(select(Sessie).where(Sessie.status == "live")).one()
    reeks = reeks_van(open_sessie)
    kringen = [s for s in lezen.sessies_in_reeks(reeks.id) if s.sessievorm == "leerkring"]
    assert len(kringen) == 3 and kringen[-1].id == open_sessie.id
    assert all(lezen.casus_van(s) is not None for s in kringen)
    for kring in kringen[:2]:
        assert lezen.bijdragen_van(kring, "reflectie") and lezen.evaluatie_uitslag(kring.id).schaal.zichtbaar
    assert any(b.anoniem and b.deelnemer_id is None for b in db.session.scalars(select(Bijdrage)))
    assert lezen.volgende_inbrenger(reeks.id)[0] == "Priya Ramdin"
    assert lezen.casus_vorige(reeks.id, open_sessie.id).startswith("Mag ik een traplift")
    [werkdruk] = lezen.peiling_trend(lezen.sessies_in_reeks(reeks.id))
    assert len(werkdruk.punten) == 3 and all(p["alle"].zichtbaar for p in werkdruk.punten)

    leider = app.test_client()
    login(leider, "begeleider@ontmoet.demo", "ontmoet-demo-2026")
    pagina = leider.get(f"/sessies/{open_sessie.id}/leerkring").get_data(as_text=True)
    assert "Verloop over de reeks" in pagina and "Wijkteam Zuid" in pagina and "leerzaam" in pagina


def test_demo_reeks_carries_a_verwachting_through_three_leerkringen(runner, app):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    [reeks] = db.session.scalars(select(Reeks)).all()  # one reeks: the leerkringen
    open_sessie = db.session.scalars(select(Sessie).where(Sessie.status == "live")).one()
    assert reeks_van(open_sessie).id == reeks.id
    assert [s.sessievorm for s in lezen.sessies_in_reeks(reeks.id)] == ["leerkring"] * 3
    [verwachting] = db.session.scalars(select(Verwachting).where(Verwachting.sessie_id == open_sessie.id))
    o = verloop.overzicht(verwachting)
    assert len(o.stappen) == 3 and [s.verwachting.ambitie is not None for s in o.stappen] == [True, True, False]
    for groep in ("alle", "beleid", "uitvoering", "partner-huisarts"):
        for schaal in ("wenselijk", "haalbaar"):
            assert len(o.trend.reeks(groep, schaal).bekend) == 3, (groep, schaal)

    leider = app.test_client()
    login(leider, "begeleider@ontmoet.demo", "ontmoet-demo-2026")
    trend = leider.get(f"/verwachtingen/{verwachting.id}").get_data(as_text=True)
    assert 'class="punt partner-huisarts sessie-3"' in trend and "anders organiseren" in trend.lower()
    # The open leerkring, back in its welkom fase, looks back on the reeks.
    welkom = [f.soort for f in lezen.vorm_van(open_sessie).fasen].index("welkom")
    assert post(leider, f"/sessies/{open_sessie.id}/fase/{welkom}").status_code == 302
    pagina = leider.get(f"/sessies/{open_sessie.id}").get_data(as_text=True)
    assert "Mag ik een traplift voorschieten" in pagina and "Priya Ramdin" in pagina
    assert f'href="/verwachtingen/{verwachting.id}"' in pagina and "Verloop over 3 sessies" in pagina
    assert "Casusregisseur opnemen in de werkinstructie" in pagina  # an open afspraak to review
