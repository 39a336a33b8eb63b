"""Shared helpers of the volglink tests: a knelpunt posted through the form, its link, a besluit."""

from __future__ import annotations

import re
import uuid
from datetime import date

from flask.testing import FlaskClient
from sqlalchemy import select

from facilitatie.extensions import db
from facilitatie.knelpunten.models import Knelpunt
from facilitatie.opvolging import service as opvolging
from tests.knelpunten.helpers import HX, dien_in

VOLGLINK = re.compile(r'data-url="(?:https?://[^/"]+)?(/volg/([A-Za-z0-9_-]{43}))"')


def volglink_in(html: str) -> tuple[str, str]:
    """(path, token) of the one volglink in an answer."""
    gevonden = set(VOLGLINK.findall(html))
    assert len(gevonden) == 1, gevonden
    [(pad, token)] = gevonden
    return pad, token


def post_met_link(client: FlaskClient, code: str, tekst: str, *, htmx: bool = True, rid: str | None = None, **velden):
    """Post a knelpunt and return (response, path of its volglink, token)."""
    response = dien_in(
        client, code, tekst, headers=HX if htmx else None, client_request_id=rid or uuid.uuid4().hex, **velden
    )
    if htmx:
        assert response.status_code == 200, response.get_data(as_text=True)[:800]
        html = response.get_data(as_text=True)
    else:  # a redirect; the page it leads to shows the link once
        assert response.status_code == 302, response.get_data(as_text=True)[:800]
        html = client.get(response.headers["Location"]).get_data(as_text=True)
    pad, token = volglink_in(html)
    return response, pad, token


def knelpunt_met_tekst(tekst: str) -> Knelpunt:
    db.session.expire_all()
    return db.session.scalars(select(Knelpunt).where(Knelpunt.tekst == tekst)).one()


def opgepakt_met_actie(knelpunt: Knelpunt, door, eigenaar, omschrijving: str, streefdatum: date) -> None:
    """Besluit 'opgepakt' and one actie for this knelpunt, through the opvolging commands."""
    opvolging.besluit_nemen(knelpunt, door, soort="opgepakt", toelichting="We pakken dit op met de regio.")
    opvolging.actie_toevoegen(
        door,
        gemeente_id=knelpunt.sessie.gemeente_id,
        omschrijving=omschrijving,
        eigenaar_id=eigenaar.id,
        streefdatum=streefdatum,
        knelpunt_ids=[knelpunt.id],
    )
