"""The demo's finished sessie shows both rondes, movement and the recorded ambitieniveaus."""

from __future__ import annotations

from collections import Counter

from facilitatie.extensions import db
from facilitatie.sessies.models import Sessie
from facilitatie.verwachtingen import lezen, uitslag
from facilitatie.verwachtingen.models import Beoordeling
from tests.conftest import post


def test_demo_finished_sessie_has_two_rondes_and_ambitieniveaus(app, runner):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    sessie = db.session.query(Sessie).filter_by(status="afgesloten", sessievorm="ontmoeten-en-ont-moeten").one()
    verwachtingen = lezen.verwachtingen_van(sessie)
    assert len(verwachtingen) == 4
    assert Counter(v.ambitie.uitkomst for v in verwachtingen) == {"bijgesteld": 2, "behouden": 1, "losgelaten": 1}
    assert lezen.gesloten_rondes(sessie) == [1, 2]
    per_perspectief = Counter(
        (b.ronde, b.perspectief) for b in db.session.query(Beoordeling) if b.verwachting_id == verwachtingen[0].id
    )
    assert per_perspectief == {(1, "beleid"): 4, (1, "uitvoering"): 6, (2, "beleid"): 4, (2, "uitvoering"): 6}
    u = uitslag.uitslag(sessie)
    plan = next(i for i in u.items if i.verwachting.tekst.startswith("Elk gezin"))
    # Beleid haalbaar 3,4,4,4 -> 4 before; 2,3,3,3 -> 3 after: moved towards uitvoering (1,1,1,2,2,2 -> 1,5).
    assert plan.rondes[1].per_perspectief["beleid"]["haalbaar"].mediaan == 4
    assert plan.rondes[2].per_perspectief["beleid"]["haalbaar"].mediaan == 3
    assert plan.rondes[1].per_perspectief["uitvoering"]["haalbaar"].mediaan == 1.5
    assert plan.beweging is not None
    client = app.test_client()
    post(client, "/inloggen", {"email": "begeleider@ontmoet.demo", "wachtwoord": "ontmoet-demo-2026"})
    page = client.get(f"/sessies/{sessie.id}/verwachtingen").get_data(as_text=True)
    assert "Een gezin met vragen op meerdere terreinen heeft binnen vier weken één plan" in page
    assert 'class="punt beleid ronde-2"' in page
