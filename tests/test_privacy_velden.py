"""Every free-text field a person types passes the privacy guard (issue 11, item 7).

A BSN hidden by a zero-width space or broken over two lines is refused in every field, with
a Dutch message and a 4xx, and nothing is stored. Short fields without 'Toch …' (sessie
titel, deelnemer naam, reeks naam, token naam, beheer's names) refuse a possible BSN too.
What is stored is what the person typed: the guard scans a normalised copy only.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from facilitatie.accounts.models import Gemeente, Team
from facilitatie.extensions import db
from facilitatie.knelpunten.models import Knelpunt, Thema
from facilitatie.opvolging.models import Actie, ApiToken, Besluit, Reeks
from facilitatie.sessies.models import Deelnemer, Sessie
from facilitatie.verwachtingen.models import Verwachting
from tests.conftest import login, post
from tests.knelpunten.helpers import Live, deelnemer_client, dien_in, leider_client, naar_fase

VERBORGEN = ["111\u200b222\u200b333", "111222\n333", "111 222\r\n333", "١١١٢٢٢٣٣٣"]


def _aantal(model: type) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def _geweigerd(antwoord) -> None:
    assert antwoord.status_code in (400, 422), antwoord.status_code
    assert "burgerservicenummer" in antwoord.get_data(as_text=True)


@pytest.fixture
def opzet(app, factory):
    gemeente = factory.gemeente("Vechtstede")
    begeleider = factory.user("begeleider", gemeente=gemeente)
    sessie = Live(factory.sessie(begeleider))
    leider = leider_client(app, begeleider)
    return gemeente, begeleider, sessie, leider


@pytest.mark.parametrize("bsn", VERBORGEN)
def test_sessie_titel_and_deelnemer_naam(app, opzet, bsn):
    _gemeente, _begeleider, sessie, leider = opzet
    _geweigerd(post(leider, "/sessies/nieuw", {"titel": f"Sessie {bsn}", "sessievorm": "ontmoeten-en-ont-moeten"}))
    assert _aantal(Sessie) == 1
    gast = app.test_client()
    _geweigerd(post(gast, "/deelnemen", {"code": sessie.code, "naam": f"Jan {bsn}", "perspectief": "uitvoering"}))
    assert _aantal(Deelnemer) == 0


@pytest.mark.parametrize("bsn", VERBORGEN)
def test_knelpunt_and_thema_naam(app, opzet, bsn):
    _gemeente, _begeleider, sessie, leider = opzet
    naar_fase(leider, sessie, "knelpunten")
    schrijver = deelnemer_client(app, sessie.code)
    _geweigerd(dien_in(schrijver, sessie.code, f"Cliënt {bsn} wacht te lang"))
    _geweigerd(dien_in(schrijver, sessie.code, f"Cliënt {bsn} wacht te lang", bevestigd="y"))
    assert _aantal(Knelpunt) == 0
    naar_fase(leider, sessie, "bundelen")
    _geweigerd(post(leider, f"/s/{sessie.code}/themas", {"naam": f"Thema {bsn}", "bevestigd": "y"}))
    assert _aantal(Thema) == 0


@pytest.mark.parametrize("bsn", VERBORGEN)
def test_verwachting(app, opzet, bsn):
    _gemeente, _begeleider, sessie, leider = opzet
    for velden in ({"tekst": f"Elk gezin {bsn} één plan"}, {"tekst": "Elk gezin één plan", "toelichting": bsn}):
        _geweigerd(post(leider, f"/sessies/{sessie.id}/verwachtingen", {**velden, "toch": "y"}))
    assert _aantal(Verwachting) == 0


@pytest.mark.parametrize("bsn", VERBORGEN)
def test_besluit_actie_and_reeks(app, factory, opzet, bsn):
    _gemeente, begeleider, sessie, leider = opzet
    knelpunt = Knelpunt(sessie_id=sessie.id, domein="Wmo", tekst="De indicatie duurt te lang")
    db.session.add(knelpunt)
    db.session.commit()
    _geweigerd(
        post(leider, f"/knelpunten/{knelpunt.id}/besluit", {"soort": "niet_opgepakt", "reden": bsn, "toch": "y"})
    )
    assert _aantal(Besluit) == 0
    actie = {"omschrijving": f"Bel cliënt {bsn}", "eigenaar": str(begeleider.id), "streefdatum": "2099-01-01"}
    _geweigerd(post(leider, f"/sessies/{sessie.id}/acties", {**actie, "toch": "y"}))
    assert _aantal(Actie) == 0
    _geweigerd(post(leider, f"/sessies/{sessie.id}/reeks", {"naam": f"Leerkring {bsn}"}))
    assert _aantal(Reeks) == 0


@pytest.mark.parametrize("bsn", VERBORGEN)
def test_token_naam_and_beheer_names(app, factory, opzet, bsn):
    gemeente, _begeleider, _sessie, leider = opzet
    _geweigerd(post(leider, "/account/tokens", {"naam": f"Token {bsn}"}))
    assert _aantal(ApiToken) == 0
    beheerder = factory.user("beheerder")
    client = app.test_client()
    login(client, beheerder.email)
    _geweigerd(post(client, "/beheer/gemeenten", {"g-naam": f"Gemeente {bsn}"}))
    assert _aantal(Gemeente) == 1
    _geweigerd(post(client, "/beheer/teams", {"t-naam": f"Team {bsn}", "t-gemeente": str(gemeente.id)}))
    assert _aantal(Team) == 0


def test_a_possible_bsn_is_refused_in_a_short_field_without_toch(app, opzet):
    """'zaaknummer 111222333' is only a warning in a knelpunt; a reeks naam has no 'Toch'."""
    _gemeente, _begeleider, sessie, leider = opzet
    _geweigerd(post(leider, f"/sessies/{sessie.id}/reeks", {"naam": "Zaaknummer 111222333"}))
    assert _aantal(Reeks) == 0


def test_what_is_stored_is_what_was_typed(app, opzet):
    _gemeente, _begeleider, sessie, leider = opzet
    titel = "Ｏntmoeting\u00a0２０２６ — wijk\u200bteams"
    antwoord = post(leider, "/sessies/nieuw", {"titel": titel, "sessievorm": "ontmoeten-en-ont-moeten"})
    assert antwoord.status_code == 302
    assert db.session.scalar(select(Sessie.titel).order_by(Sessie.id.desc()).limit(1)) == titel
    naar_fase(leider, sessie, "knelpunten")
    schrijver = deelnemer_client(app, sessie.code)
    # A phone number in full-width digits is found (a warning), and stored as typed after 'Toch indienen'.
    tekst = "Bel het loket op ０３０\u200b-１２３４５６７"
    assert dien_in(schrijver, sessie.code, tekst).status_code == 422
    assert dien_in(schrijver, sessie.code, tekst, bevestigd="y").status_code == 302
    assert db.session.scalar(select(Knelpunt.tekst)) == tekst
