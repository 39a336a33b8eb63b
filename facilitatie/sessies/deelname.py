"""Who takes part in a sessie: the sessie behind a code, this browser's deelnemer, its audience.

Every view under /s/<code>/… and the realtime `volg` handler resolve a sessie and a person
through here, so the rules of who may see and do what in a sessie live in one place:
- a code leads to the newest sessie that carries it (codes are reused after a sessie closes);
- a browser is a deelnemer of a sessie when its signed session cookie names a deelnemer id of
  that sessie (no account needed);
- a socket may follow the begeleider's room only as the sessie's own begeleider, the
  deelnemers' room only as one of its deelnemers.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import abort, session
from sqlalchemy import bindparam, literal_column, select

from facilitatie.accounts.rollen import leidt_sessie
from facilitatie.extensions import db
from facilitatie.realtime import BEGELEIDER, DEELNEMERS
from facilitatie.sessies.codes import normalise_code
from facilitatie.sessies.models import Deelnemer, Sessie, Status

_SESSION_KEY = "deelnemer"  # {str(sessie_id): deelnemer_id} in the signed session cookie


# Built once: every join page, join, deelnemer page and `volg` runs it, and a statement object
# that is reused keeps its SQLAlchemy cache key instead of computing it again per request.
# The statuses are literals, not bound parameters: SQLite prepares a statement again on every
# run when a parameter sits in a term a partial index could use (about 0.1 ms each time, four
# times per join), and with the literal `status != 'afgesloten'` of the partial unique index
# the open sessie is found through that index instead of by a scan of every sessie ever held.
# The signalenbak of a gemeente is a sessie too, but nobody joins it with a code.
_MET_CODE_OPEN = select(Sessie).where(
    Sessie.deelnamecode == bindparam("code"),
    Sessie.status != literal_column(f"'{Status.AFGESLOTEN}'"),
    Sessie.status != literal_column(f"'{Status.SIGNALEN}'"),
)
_MET_CODE_AFGESLOTEN = (
    select(Sessie)
    .where(Sessie.deelnamecode == bindparam("code"), Sessie.status == literal_column(f"'{Status.AFGESLOTEN}'"))
    .order_by(Sessie.id.desc())
    .limit(1)
)


def sessie_met_code(code: str) -> Sessie | None:
    """The newest sessie with this deelnamecode (typed in any case, with or without spaces).

    A code is unique among sessies that are not afgesloten (the partial index) and a sessie is
    never reopened, so a sessie with this code that is not afgesloten is the newest one; only
    without it do the afgesloten ones count.
    """
    params = {"code": normalise_code(code)}
    return db.session.scalar(_MET_CODE_OPEN, params) or db.session.scalar(_MET_CODE_AFGESLOTEN, params)


def sessie_met_code_of_404(code: str) -> Sessie:
    return sessie_met_code(code) or abort(404)


def deelnemer_van(sessie: Sessie, deelnemer_id: object) -> Deelnemer | None:
    """The deelnemer behind an id from the signed cookie, only if it belongs to this sessie."""
    if not isinstance(deelnemer_id, int):
        return None
    deelnemer = db.session.get(Deelnemer, deelnemer_id)
    if deelnemer is None or deelnemer.sessie_id != sessie.id:
        return None
    # The identity map holds rows weakly: keep this one for the rest of the unit, so the next
    # check in the same request or socket event (volg asks twice) needs no second SELECT.
    db.session.info.setdefault("ontmoet_vast", []).append(deelnemer)
    return deelnemer


def _deelnemer_ids(cookie: Mapping[str, Any]) -> dict[str, int]:
    value = cookie.get(_SESSION_KEY)
    return value if isinstance(value, dict) else {}


def current_deelnemer(sessie: Sessie) -> Deelnemer | None:
    """The deelnemer this browser joined this sessie as, if any."""
    return deelnemer_van(sessie, _deelnemer_ids(session).get(str(sessie.id)))


def onthoud_deelnemer(sessie_id: int, deelnemer_id: int) -> None:
    """Remember in the signed session cookie that this browser is this deelnemer.

    By ids, not by the row: after the join's commit the row is expired, and reading it would
    begin a second writing transaction that holds SQLite's writer lock while the response is
    written, so every other join of a wave queues behind it.
    """
    ids = _deelnemer_ids(session)
    ids[str(sessie_id)] = deelnemer_id
    session[_SESSION_KEY] = ids
    session.permanent = True


def audience_for(sessie: Sessie, user: Any, cookie: Mapping[str, Any]) -> str | None:
    """Which room a socket may join: the sessie's own begeleider, or one of its deelnemers."""
    if getattr(user, "is_authenticated", False) and leidt_sessie(user, sessie):
        return BEGELEIDER
    if deelnemer_van(sessie, _deelnemer_ids(cookie).get(str(sessie.id))) is not None:
        return DEELNEMERS
    return None
