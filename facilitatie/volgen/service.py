"""Issuing a volglink: once per post, the same link for every retry of it, only its hash stored.

`uitgeven` is the one way a volglink comes into being, for every path a knelpunt enters by (a
post in a sessie or as inbreng vooraf, and any later one such as a signaal). The token travels
only in the poster's own HTTP answer: never in an event payload, a socket message or a log line.
"""

from __future__ import annotations

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from facilitatie.extensions import db
from facilitatie.knelpunten.invoer import geldige_request_id
from facilitatie.knelpunten.models import Knelpunt
from facilitatie.volgen import regels
from facilitatie.volgen.models import Volglink
from facilitatie.werk import transactie


def _geheim() -> bytes:
    return str(current_app.config["SECRET_KEY"]).encode()


@transactie
def uitgeven(knelpunt: Knelpunt, client_request_id: str | None) -> str:
    """The volglink token of this post: stored as a hash the first time, found again on a retry.

    With a client request id the token is derived from it (regels.afgeleid), so whichever
    attempt of the request reaches the poster shows the same link; without one it is random.
    """
    request_id = geldige_request_id(client_request_id)
    token = regels.afgeleid(_geheim(), knelpunt.id, request_id) if request_id else regels.willekeurig()
    token_hash = regels.hash_van(token)
    if db.session.scalar(select(Volglink.id).where(Volglink.token_hash == token_hash)) is None:
        try:
            with db.session.begin_nested():
                db.session.add(Volglink(knelpunt_id=knelpunt.id, token_hash=token_hash))
        except IntegrityError:  # a simultaneous retry of the same request stored it first: same token
            pass
    return token
