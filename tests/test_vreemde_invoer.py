"""Odd input answers 4xx with a Dutch message, never 500, the same on both databases (issue 11, item 8)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from facilitatie.extensions import db
from facilitatie.knelpunten.models import Knelpunt
from tests.conftest import post
from tests.knelpunten.helpers import HX, Live, deelnemer_client, dien_in, leider_client, naar_fase

GROOT = 2**70


@pytest.fixture
def opzet(app, factory):
    gemeente = factory.gemeente("Vechtstede")
    begeleider = factory.user("begeleider", gemeente=gemeente)
    sessie = Live(factory.sessie(begeleider))
    leider = leider_client(app, begeleider)
    naar_fase(leider, sessie, "knelpunten")
    return sessie, leider


@pytest.mark.parametrize(
    "pad",
    [
        "/sessies/{g}",
        "/sessies/{g}/qr.svg",
        "/sessies/{g}/paneel",
        "/sessies/{g}/verwachtingen",
        "/sessies/{g}/besluiten",
        "/opvolging/acties/{g}",
        "/api/v1/sessies/{g}",
    ],
)
def test_ids_beyond_any_row_are_not_found(opzet, pad):
    _, leider = opzet
    antwoord = leider.get(pad.format(g=GROOT))
    assert antwoord.status_code in (401, 404), antwoord.status_code


def test_a_post_to_an_id_beyond_any_row_is_not_found(opzet):
    sessie, leider = opzet
    assert post(leider, f"/s/{sessie.code}/knelpunten/{GROOT}/verbergen", {"reden": "x"}).status_code == 404
    assert post(leider, f"/sessies/{GROOT}/volgende").status_code == 404


@pytest.mark.parametrize("teken", ["\x00", "\x07", "\x1b", "\x7f"])
def test_a_control_character_is_refused_in_dutch_and_nothing_is_stored(app, opzet, teken):
    sessie, _ = opzet
    schrijver = deelnemer_client(app, sessie.code)
    for headers in ({}, HX):
        antwoord = dien_in(schrijver, sessie.code, f"Wachttijd{teken}lijst", headers=headers)
        assert antwoord.status_code == 400
        assert "stuurteken" in antwoord.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Knelpunt)) == 0
    # Tab, line feed and carriage return are ordinary text.
    assert dien_in(schrijver, sessie.code, "Regel een\r\n\tregel twee").status_code == 302


def test_a_control_character_in_an_api_query_answers_json(opzet):
    _, leider = opzet
    antwoord = leider.get("/api/v1/knelpunten?domein=%00")
    assert antwoord.status_code in (400, 401)
