"""The permission matrix on the error paths (issue 11, item 1).

Every POST route with an object id loads that object through one scope-checked path
before it reads any input. So INVALID input on another gemeente's objects answers 403 or
404, never a 400 page that renders their sessie, knelpunten, teams or acties; and a role
that may read but not change (wethouder, wijkteamlid, a deelnemer) gets 403 too, before
any validation message.
"""

from __future__ import annotations

import pytest

from facilitatie.api import tokens
from facilitatie.extensions import db
from facilitatie.knelpunten.models import Thema
from facilitatie.verwachtingen.models import Verwachting
from tests.conftest import login, post
from tests.knelpunten.helpers import HX, Live, deelnemer_client, leider_client, naar_fase

LEGE_THEMA_NAAM = "Onvindbare thema Vechtstede"


def _eigen_strings(w) -> list[str]:
    """Text only gemeente Vechtstede's people may read."""
    return [
        "Ontmoeting januari",
        "Wmo-indicatie duurt te lang",
        "Te veel formulieren bij de Wmo-aanvraag",
        "Wijkteam Noord",
        "Werkinstructie Wmo herschrijven",
        LEGE_THEMA_NAAM,
        "Vechtstede",
    ]


@pytest.fixture
def opzet(wereld):
    leeg = Thema(sessie_id=wereld.sessie.id, naam=LEGE_THEMA_NAAM)
    vol = Thema(sessie_id=wereld.sessie.id, naam="Thema met knelpunten")
    db.session.add_all([leeg, vol])
    db.session.flush()
    wereld.k["k1"].thema_id = vol.id
    verwachting = Verwachting(sessie_id=wereld.sessie.id, gemeente_id=wereld.gemeente.id, tekst="Elk gezin één plan")
    db.session.add(verwachting)
    db.session.commit()
    return wereld, leeg.id, vol.id, verwachting.id


def _ongeldige_posts(w, leeg: int, vol: int, verwachting: int) -> list[tuple[str, dict[str, str]]]:
    """(path, invalid form) for every POST route that takes an id of gemeente Vechtstede's objects."""
    s, k1, k4, a2 = w.sessie.id, w.k["k1"].id, w.k["k4"].id, w.a["a2"].id
    return [
        (f"/themas/{leeg}/besluit", {"soort": "opgepakt"}),
        (f"/themas/{vol}/besluit", {"soort": "onzin"}),
        (f"/knelpunten/{k4}/besluit", {"soort": "onzin"}),
        (f"/knelpunten/{k4}/besluit", {"soort": "niet_opgepakt", "reden": ""}),
        (f"/knelpunten/{k1}/eerder-gemeld", {"eerder": ""}),
        (f"/knelpunten/{k1}/eerder-gemeld", {"eerder": str(w.kx.id)}),
        (f"/sessies/{s}/acties", {"omschrijving": "", "eigenaar": "x", "streefdatum": "gisteren"}),
        (f"/sessies/{s}/reeks", {"naam": "x" * 500}),
        (f"/sessies/{s}/reeks", {"reeks": "999999"}),
        (f"/acties/{a2}/status", {"status": "onzin", "reden": ""}),
        (f"/acties/{a2}/wijzigen", {"eigenaar": "", "streefdatum": "morgen"}),
        (f"/sessies/{s}/starten", {}),
        (f"/sessies/{s}/volgende", {}),
        (f"/sessies/{s}/fase/99", {}),
        (f"/sessies/{s}/verwachtingen", {"tekst": ""}),
        (f"/sessies/{s}/verwachtingen/uit-knelpunt/{k1}", {"tekst": ""}),
        (f"/sessies/{s}/verwachtingen/kopieren", {"bron_sessie": "0"}),
        (f"/sessies/{s}/verwachtingen/{verwachting}/verwijderen", {}),
        (f"/sessies/{s}/verwachtingen/{verwachting}/ambitie", {f"a{verwachting}-uitkomst": "onzin"}),
        (f"/sessies/{s}/verwachtingen/ronde/1/openen", {}),
        (f"/sessies/{s}/verwachtingen/instellingen", {"iqr_max": "veel", "min_groep": "1"}),
        (f"/sessies/{s}/leerkring/casus", {"vraag": "", "context": "x" * 5000}),
        (f"/sessies/{s}/leerkring/vooruitblik", {"inbrenger": "", "datum": "morgen"}),
        (f"/sessies/{s}/leerkring/bijdragen/999999/verwijderen", {}),
        (f"/knelpunten/{k4}/regelruimte", {"knel": "onzin", "oplosser": ""}),
        (f"/themas/{vol}/regelruimte", {"knel": ""}),
        (f"/themas/{leeg}/regelruimte", {"knel": "rijk", "oplosser": "rijk"}),
        (f"/knelpunten/{k1}/gevonden-ruimte", {"omschrijving": ""}),
        (f"/knelpunten/{k4}/gevonden-ruimte", {"omschrijving": "Er was al ruimte in de regels."}),
        (f"/knelpunten/{k1}/gevonden-ruimte/intrekken", {}),
    ]


ANDERE_GEMEENTE = ["begeleider_x", "beleid_x", "wethouder_x", "lid_x"]


@pytest.mark.parametrize("rol", ANDERE_GEMEENTE)
def test_invalid_input_on_another_gemeentes_objects_shows_nothing_of_theirs(app, client, opzet, rol):
    w, leeg, vol, verwachting = opzet
    login(client, getattr(w, rol).email)
    for path, data in _ongeldige_posts(w, leeg, vol, verwachting):
        for headers in ({}, HX):
            antwoord = post(client, path, data, headers=headers)
            assert antwoord.status_code in (403, 404), (rol, path, headers, antwoord.status_code)
            body = antwoord.get_data(as_text=True)
            for tekst in _eigen_strings(w):
                assert tekst not in body, (rol, path, headers, tekst)


@pytest.mark.parametrize("rol", ["wethouder", "lid_noord", "beheerder"])
def test_roles_that_may_not_change_get_403_before_any_validation(app, client, opzet, rol):
    """Reading is not changing: the wethouder, a wijkteamlid and the beheerder are refused first."""
    w, leeg, vol, verwachting = opzet
    login(client, getattr(w, rol).email)
    for path, data in _ongeldige_posts(w, leeg, vol, verwachting):
        if rol == "lid_noord" and path.startswith(f"/acties/{w.a['a2'].id}/"):
            continue  # lid_noord is the eigenaar of a2 and may update it
        for headers in ({}, HX):
            antwoord = post(client, path, data, headers=headers)
            assert antwoord.status_code == 403, (rol, path, headers, antwoord.status_code)


def test_an_empty_thema_of_another_gemeente_is_refused_not_rendered(app, client, opzet):
    """The reported case: the rule 'Dit thema heeft geen knelpunten' ran before the permission check."""
    w, leeg, _vol, _verwachting = opzet
    login(client, w.beleid_x.email)
    antwoord = post(client, f"/themas/{leeg}/besluit", {"soort": "opgepakt"})
    assert antwoord.status_code == 403
    body = antwoord.get_data(as_text=True)
    assert "geen knelpunten" not in body
    assert "Wmo-indicatie duurt te lang" not in body


def test_the_api_refuses_before_it_reads_the_body(app, opzet):
    w, *_ = opzet
    api = app.test_client()
    for rol, verwacht in (("beleid_x", 403), ("wethouder", 403), ("lid_zuid", 403)):
        _rij, token = tokens.maak(getattr(w, rol), "test")
        kop = {"Authorization": f"Bearer {token}"}
        for body in ({"data": "{niet json"}, {"json": {"status": 5}}, {"json": [1, 2]}):
            antwoord = api.post(f"/api/v1/acties/{w.a['a3'].id}/status", headers=kop, **body)
            assert antwoord.status_code == verwacht, (rol, body)
            assert antwoord.is_json
            assert "Overleg met de zorgverzekeraar" not in antwoord.get_data(as_text=True)


@pytest.fixture
def live(app, factory, wereld):
    """A live sessie of Vechtstede at bundelen, with a thema, and a sessie of Anderstad."""
    sessie = Live(factory.sessie(wereld.begeleider, titel="Live sessie Vechtstede"))
    leider = leider_client(app, wereld.begeleider)
    naar_fase(leider, sessie, "bundelen")
    thema = Thema(sessie_id=sessie.id, naam=LEGE_THEMA_NAAM)
    db.session.add(thema)
    db.session.commit()
    andere = Live(factory.sessie(wereld.begeleider_x, titel="Live sessie Anderstad"))
    naar_fase(leider_client(app, wereld.begeleider_x), andere, "bundelen")
    return sessie, thema.id, andere


def test_live_actions_refuse_other_sessies_objects_and_non_leaders_first(app, client, wereld, live):
    sessie, thema_id, andere = live
    k1 = wereld.k["k1"].id
    # A deelnemer of Anderstad's sessie names Vechtstede's objects in its own sessie's URLs.
    buiten = deelnemer_client(app, andere.code)
    for path, data in [
        (f"/s/{andere.code}/themas/{thema_id}/hernoemen", {"naam": ""}),
        (f"/s/{andere.code}/themas/{thema_id}/opheffen", {}),
        (f"/s/{andere.code}/knelpunten/{k1}/verbergen", {"reden": ""}),
        (f"/s/{andere.code}/knelpunten/{k1}/bewerken", {"tekst": "", "domein": "onzin"}),
        (f"/s/{andere.code}/knelpunten/{k1}/verplaats", {"thema": "abc"}),
    ]:
        for headers in ({}, HX):
            antwoord = post(buiten, path, data, headers=headers)
            assert antwoord.status_code in (403, 404), (path, headers, antwoord.status_code)
            body = antwoord.get_data(as_text=True)
            assert LEGE_THEMA_NAAM not in body and "Wmo-indicatie" not in body, (path, headers)
    # A deelnemer of the sessie itself is no begeleider: refused before the input is read.
    deelnemer = deelnemer_client(app, sessie.code)
    for path, data in [
        (f"/s/{sessie.code}/themas/{thema_id}/hernoemen", {"naam": ""}),
        (f"/s/{sessie.code}/themas/{thema_id}/opheffen", {}),
        (f"/s/{sessie.code}/knelpunten/instellingen", {"stemmen_per_deelnemer": "-1"}),
        (f"/s/{sessie.code}/timer", {"actie": "onzin"}),
        (f"/s/{sessie.code}/stemmen/sluiten", {}),
    ]:
        for headers in ({}, HX):
            antwoord = post(deelnemer, path, data, headers=headers)
            assert antwoord.status_code == 403, (path, headers, antwoord.status_code)
    # A signed-in begeleider of another gemeente who did not join is refused the same way.
    login(client, wereld.begeleider_x.email)
    for path, data in [
        (f"/s/{sessie.code}/themas/{thema_id}/hernoemen", {"naam": ""}),
        (f"/s/{sessie.code}/knelpunten/{k1}/verbergen", {"reden": ""}),
        (f"/s/{sessie.code}/timer", {"actie": "onzin"}),
    ]:
        for headers in ({}, HX):
            antwoord = post(client, path, data, headers=headers)
            assert antwoord.status_code in (403, 404), (path, headers, antwoord.status_code)
            assert LEGE_THEMA_NAAM not in antwoord.get_data(as_text=True)
