"""Demo: a volglink for one knelpunt of the finished sessie that was opgepakt and has an actie
(an anonymous one where there is one), so `make run` shows the volglink page; `make run` prints it.

The token is derived like every volglink (regels.afgeleid, from the app's secret key), so the
line can be printed again on a later start without anything secret in the database.
"""

from __future__ import annotations

from flask import current_app
from sqlalchemy import select

from facilitatie import adres
from facilitatie.demo_context import DemoContext
from facilitatie.extensions import db
from facilitatie.knelpunten.models import Knelpunt
from facilitatie.opvolging.models import Besluit, actie_knelpunt
from facilitatie.opvolging.regels import Besluitsoort
from facilitatie.volgen import regels, service
from facilitatie.volgen.models import Volglink

DEMO_REQUEST_ID = "demo-volglink-0001"


def load(demo: DemoContext) -> None:
    """Issue the demo volglink (after the opvolging demo: it needs a besluit and an actie)."""
    kandidaten = list(
        db.session.scalars(
            select(Knelpunt)
            .join(Besluit, Besluit.knelpunt_id == Knelpunt.id)
            .join(actie_knelpunt, actie_knelpunt.c.knelpunt_id == Knelpunt.id)
            .where(Knelpunt.sessie_id == demo.afgerond.id, Besluit.soort == Besluitsoort.OPGEPAKT)
            .order_by(Knelpunt.anoniem.desc(), Knelpunt.id)
        )
    )
    if not kandidaten:
        return
    knelpunt = kandidaten[0]
    knelpunt.client_request_id = DEMO_REQUEST_ID  # demo data, as if posted through the form with this id
    service.uitgeven(knelpunt, DEMO_REQUEST_ID)


def volglink_regel() -> str | None:
    """ "Volglink (demo): <address>" for `make run`, when the demo volglink is there."""
    knelpunt = db.session.scalar(select(Knelpunt).where(Knelpunt.client_request_id == DEMO_REQUEST_ID))
    if knelpunt is None:
        return None
    token = regels.afgeleid(str(current_app.config["SECRET_KEY"]).encode(), knelpunt.id, DEMO_REQUEST_ID)
    if db.session.scalar(select(Volglink.id).where(Volglink.token_hash == regels.hash_van(token))) is None:
        return None
    return f"Volglink van een {'anoniem ' if knelpunt.anoniem else ''}knelpunt (demo): " + adres.buiten_url(
        "volgen.volgen", token=token
    )
