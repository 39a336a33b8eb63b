"""Volglinks and permissions: a token opens exactly its own knelpunt, whoever holds it; removing
or deleting in one gemeente leaves the volglinks of another untouched. SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import func, select

from facilitatie.avg import service as avg
from facilitatie.extensions import db
from facilitatie.sessies import service as sessies
from facilitatie.sessies.models import Sessie
from facilitatie.volgen.models import Volglink
from tests.conftest import login, post
from tests.knelpunten.helpers import Live, deelnemer_client, leider_client, naar_fase
from tests.volgen.helpers import knelpunt_met_tekst, post_met_link


def _gemeente(app, factory, naam: str):
    gemeente = factory.gemeente(naam)
    begeleider = factory.user("begeleider", gemeente=gemeente)
    sessie = Live(factory.sessie(begeleider))
    leider = leider_client(app, begeleider)
    naar_fase(leider, sessie, "knelpunten")
    return begeleider, sessie, leider, deelnemer_client(app, sessie.code)


def test_a_token_opens_only_its_own_knelpunt_and_other_gemeenten_are_unaffected(app, factory):
    begeleider_a, sessie_a, leider_a, auteur_a = _gemeente(app, factory, "Aastad")
    begeleider_b, sessie_b, leider_b, auteur_b = _gemeente(app, factory, "Bedorp")
    _, pad_a1, _ = post_met_link(auteur_a, sessie_a.code, "Aastad een: de wachtlijst", anoniem="1")
    _, pad_a2, _ = post_met_link(auteur_a, sessie_a.code, "Aastad twee: het formulier")
    _, pad_b1, _ = post_met_link(auteur_b, sessie_b.code, "Bedorp een: de intake", anoniem="1")
    assert len({pad_a1, pad_a2, pad_b1}) == 3

    # Whoever holds the link sees that one knelpunt; signed in elsewhere or not makes no difference.
    buiten = app.test_client()
    login(buiten, begeleider_b.email)
    for kijker in (app.test_client(), buiten, auteur_b):
        html = kijker.get(pad_a1).get_data(as_text=True)
        assert "Aastad een" in html and "Aastad twee" not in html and "Bedorp" not in html
        assert f"/sessies/{sessie_a.id}" not in html and sessie_a.code not in html  # no way further in
    # The begeleider of another gemeente cannot remove Aastad's knelpunt.
    a1 = knelpunt_met_tekst("Aastad een: de wachtlijst")
    weigering = post(leider_b, f"/s/{sessie_a.code}/knelpunten/{a1.id}/verbergen", {"reden": "Niet van jou"})
    assert weigering.status_code in (403, 404)
    assert app.test_client().get(pad_a1).status_code == 200

    # Aastad hides one and deletes its sessie: Bedorp's volglink keeps working.
    assert (
        post(leider_a, f"/s/{sessie_a.code}/knelpunten/{a1.id}/verbergen", {"reden": "Te herleidbaar"}).status_code
        == 302
    )
    assert app.test_client().get(pad_a1).status_code == 404
    assert app.test_client().get(pad_a2).status_code == 200
    assert app.test_client().get(pad_b1).status_code == 200
    sessie = db.session.get(Sessie, sessie_a.id)
    sessies.afsluiten(sessie, begeleider_a)
    avg.sessie_verwijderen(sessie, begeleider_a)
    assert app.test_client().get(pad_a2).status_code == 404
    assert "Bedorp een" in app.test_client().get(pad_b1).get_data(as_text=True)
    assert db.session.scalar(select(func.count(Volglink.id))) == 1
