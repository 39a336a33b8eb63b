"""The demo's leerkring reeks: three leerkringen with casussen, reflecties, evaluaties, the werkdruk
peiling per wijkteam and the next inbrenger, so `make run` shows the trend over the reeks."""

from __future__ import annotations

from sqlalchemy import select

from facilitatie.extensions import db
from facilitatie.leerkring import lezen
from facilitatie.leerkring.models import Bijdrage
from facilitatie.opvolging.lezen import reeks_van
from facilitatie.sessies.models import Sessie
from tests.conftest import login


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
