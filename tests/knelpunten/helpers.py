"""Shared helpers for the knelpunten tests: a live sessie at a given fase, browsers, posting."""

from __future__ import annotations

import uuid
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from facilitatie.extensions import db
from facilitatie.sessies import service as sessies
from facilitatie.sessies.models import Sessie
from tests.conftest import join, login, post


class Live:
    """A live sessie by plain values (socket handlers end the shared db session)."""

    def __init__(self, sessie: Sessie) -> None:
        self.id = sessie.id
        self.code = sessie.deelnamecode
        self.soorten = [fase.soort for fase in sessies.vorm_van(sessie).fasen]

    def get(self) -> Sessie:
        db.session.expire_all()
        return db.session.get(Sessie, self.id)

    def laatste_seq(self) -> int:
        db.session.expire_all()
        return db.session.scalar(select(Sessie.laatste_seq).where(Sessie.id == self.id)) or 0


def leider_client(app: Flask, begeleider) -> FlaskClient:
    client = app.test_client()
    assert login(client, begeleider.email).status_code == 302
    return client


def deelnemer_client(app: Flask, code: str, naam: str = "", perspectief: str = "uitvoering", account=None):
    client = app.test_client()
    if account is not None:
        assert login(client, account.email).status_code == 302
    response = join(client, code, naam=naam, perspectief=perspectief)
    assert response.status_code == 302, response.get_data(as_text=True)
    return client


def naar_fase(leider: FlaskClient, sessie: Live, soort: str) -> None:
    index = sessie.soorten.index(soort)
    response = post(leider, f"/sessies/{sessie.id}/fase/{index}")
    assert response.status_code == 302, response.get_data(as_text=True)


def dien_in(
    client: FlaskClient, code: str, tekst: str = "De herindicatie duurt acht weken.", headers=None, **velden: Any
):
    data = {"tekst": tekst, "domein": "Wmo", "client_request_id": uuid.uuid4().hex, **velden}
    return post(client, f"/s/{code}/knelpunten", data, headers=headers or {})


HX = {"HX-Request": "true"}
