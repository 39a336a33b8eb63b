"""Presence: which deelnemers are connected to a sessie right now, shown to its begeleider.

One row per connected socket (sid) in the database, so every server process counts the same.
Presence is volatile: it goes out through `realtime.vluchtig`, never into the event log.
"""

from __future__ import annotations

from flask import render_template
from sqlalchemy import delete, func, select

from facilitatie import realtime
from facilitatie.database import als_schrijver
from facilitatie.extensions import db
from facilitatie.realtime import BEGELEIDER, DEELNEMERS, Fragment
from facilitatie.sessies.deelname import current_deelnemer
from facilitatie.sessies.models import Aanwezigheid, Deelnemer, Sessie
from facilitatie.werk import eenheid


def verbonden(sid: str, sessie: Sessie, *, ik_id: int | None) -> None:
    """Record a connected socket (a row per sid, so every process counts the same)."""
    deelnemer = db.session.get(Deelnemer, ik_id) if ik_id else None
    with eenheid():
        db.session.execute(delete(Aanwezigheid).where(Aanwezigheid.sid == sid))
        db.session.add(
            Aanwezigheid(
                sid=sid,
                sessie_id=sessie.id,
                deelnemer_id=deelnemer.id if deelnemer else None,
                perspectief=deelnemer.perspectief if deelnemer else None,
            )
        )


def verbroken(sid: str) -> int | None:
    """Forget a socket; returns its sessie id so the begeleider's count can be refreshed."""
    rij = db.session.get(Aanwezigheid, sid)
    if rij is None:
        return None
    sessie_id = rij.sessie_id
    with eenheid():
        db.session.execute(delete(Aanwezigheid).where(Aanwezigheid.sid == sid))
    return sessie_id


def aanwezig(sessie_id: int) -> dict[str, int]:
    """Connected deelnemers per perspective (distinct deelnemers; several tabs count once)."""
    rows = db.session.execute(
        select(Aanwezigheid.perspectief, func.count(func.distinct(Aanwezigheid.deelnemer_id)))
        .where(Aanwezigheid.sessie_id == sessie_id, Aanwezigheid.deelnemer_id.is_not(None))
        .group_by(Aanwezigheid.perspectief)
    )
    return {p or "anders": n for p, n in rows}


def stuur_aanwezig(sessie_id: int) -> None:
    """Show the begeleider the current numbers (volatile: not logged as an event)."""
    html = render_template("sessies/_aanwezig.html", aanwezig_per=aanwezig(sessie_id))
    realtime.vluchtig(sessie_id, BEGELEIDER, [Fragment("#aanwezig", html)])


def bij_volgen(sessie: Sessie, audience: str, sid: str) -> None:
    """realtime hook after `volg`: count a deelnemer's socket; the begeleider gets the numbers."""
    sessie_id = sessie.id
    if audience == DEELNEMERS:
        ik = current_deelnemer(sessie)
        # Socket handlers get no before_request: take SQLite's write lock at BEGIN ourselves.
        with als_schrijver():
            verbonden(sid, sessie, ik_id=ik.id if ik else None)
    if audience in (DEELNEMERS, BEGELEIDER):
        stuur_aanwezig(sessie_id)


def bij_verlaten(sid: str) -> None:
    """realtime hook on disconnect: forget the socket and refresh the begeleider's count."""
    with als_schrijver():
        sessie_id = verbroken(sid)
    if sessie_id is not None and db.session.get(Sessie, sessie_id) is not None:
        stuur_aanwezig(sessie_id)
