"""Reads behind the API's signalen endpoint: the gemeente's teams, an earlier report by request id."""

from __future__ import annotations

from sqlalchemy import select

from facilitatie.accounts.models import Team
from facilitatie.extensions import db
from facilitatie.knelpunten.models import BRON_API, Knelpunt
from facilitatie.sessies.models import Sessie


def teams_van(gemeente_id: int) -> list[Team]:
    """The wijkteams a signaal of this gemeente can come from."""
    return list(db.session.scalars(select(Team).where(Team.gemeente_id == gemeente_id).order_by(Team.naam)))


def api_signaal(gemeente_id: int, client_request_id: str | None) -> Knelpunt | None:
    """The signaal an API client already reported with this request id in this gemeente, if any.

    Only reports that came in through the API count, so a request id can never reveal a
    knelpunt posted in a sessie or through a meldlink.
    """
    if not client_request_id:
        return None
    return db.session.scalar(
        select(Knelpunt)
        .join(Sessie, Sessie.id == Knelpunt.sessie_id)
        .where(
            Sessie.gemeente_id == gemeente_id,
            Knelpunt.client_request_id == client_request_id,
            Knelpunt.bron == BRON_API,
        )
        .limit(1)
    )
