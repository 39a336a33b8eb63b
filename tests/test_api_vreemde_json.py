"""Odd JSON on the API answers 400 JSON with a Dutch message, never an HTML 500 (issue 11, item 8)."""

from __future__ import annotations

import pytest

from facilitatie.api import tokens
from facilitatie.extensions import db
from facilitatie.opvolging.models import Actie, ActieHistorie


@pytest.fixture
def opzet(app, factory):
    from datetime import date

    gemeente = factory.gemeente("Vechtstede")
    beleid = factory.user("beleidsmedewerker", gemeente=gemeente)
    actie = Actie(
        gemeente_id=gemeente.id,
        omschrijving="Overleg",
        eigenaar_id=beleid.id,
        status="open",
        streefdatum=date(2099, 1, 1),
    )
    db.session.add(actie)
    db.session.commit()
    _rij, token = tokens.maak(beleid, "test")
    db.session.commit()
    return actie.id, {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}


def _historie() -> int:
    db.session.expire_all()
    return db.session.query(ActieHistorie).count()


DIEP = 100_000


@pytest.mark.parametrize(
    "body",
    [
        "[" * DIEP + "]" * DIEP,
        '{"status": ' + "[" * DIEP + "]" * DIEP + "}",
        '{"status": "afgerond", "reden": ' + '{"a": ' * 5000 + "1" + "}" * 5000 + "}",
        '{"status": "afgerond", "reden": "' + "x" * 200_000 + '"}',  # huge, under the app's 1 MB
        '{"status": "afgerond", "extra": [' + ",".join(["1"] * 300_000) + "]}",
        '{"status": "afgerond", "reden": "' + "x" * 1_100_000 + '"}',  # beyond the app's 1 MB
        '{"status": "afgerond", "reden": ' + "1" * 5000 + "}",  # an integer of 5000 digits
        b'{"status": "afgerond", "reden": "\xff\xfe"}',  # not UTF-8
        '{"status": NaN}',
        "",
    ],
    ids=["diep", "diep-in-object", "diep-object", "groot", "lange-lijst", "te-groot", "groot-getal", "geen-utf8",
         "nan", "leeg"],
)  # fmt: skip
def test_odd_json_answers_400_json_in_dutch(app, opzet, body):
    actie_id, kop = opzet
    voor = _historie()
    antwoord = app.test_client().post(f"/api/v1/acties/{actie_id}/status", data=body, headers=kop)
    assert antwoord.status_code == 400, antwoord.status_code
    assert antwoord.is_json
    bericht = antwoord.get_json()["fout"]
    assert any(woord in bericht for woord in ("JSON", "verzoek", "tekst", "tekens")), bericht
    assert _historie() == voor


def test_ordinary_json_still_works(app, opzet):
    actie_id, kop = opzet
    antwoord = app.test_client().post(
        f"/api/v1/acties/{actie_id}/status", json={"status": "in_uitvoering"}, headers=kop
    )
    assert antwoord.status_code == 200
    assert antwoord.get_json()["status"] == "in_uitvoering"
