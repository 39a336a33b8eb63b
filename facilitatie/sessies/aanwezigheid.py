"""Presence: who joined a sessie and who is connected right now, shown to its begeleider.

One row per connected socket (sid) in the database, so every server process counts the same.
Presence is volatile: it goes out through `realtime.vluchtig`, never into the event log, and
only to the begeleider's room. It is batched: a join, a `volg` or a disconnect asks for a
refresh (`ververs_begeleider`), and one refresh per sessie per process goes out after
`AANWEZIGHEID_BUNDEL_SECONDEN`, however many asked. A join wave of 1,000 in 30 s is then about
30 small messages to one socket, not 1,000 renders of the counts (and no fan-out at all).

The rows themselves are batched the same way: a `volg` notes its socket in this process
(`_WACHTEND`), and the refresh writes every noted row of its sessie in one transaction just
before it counts. A join wave then takes SQLite's writer lock once a second for presence, not
once per socket. A socket stays in the process that holds it, so a disconnect before the write
finds its row here; other processes see the row once the refresh that announces it has run.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, current_app, render_template
from sqlalchemy import bindparam, delete, func, insert, select

from facilitatie import realtime
from facilitatie.database import als_schrijver
from facilitatie.extensions import db, socketio
from facilitatie.models_base import utcnow
from facilitatie.realtime import BEGELEIDER, DEELNEMERS, Fragment
from facilitatie.sessies.deelname import current_deelnemer
from facilitatie.sessies.lezen import deelnemers_per_perspectief
from facilitatie.sessies.models import Aanwezigheid, Sessie
from facilitatie.werk import eenheid

logger = logging.getLogger(__name__)
_GEPLAND = "ontmoet_aanwezigheid_gepland"
_WACHTEND = "ontmoet_aanwezigheid_wachtend"  # {sid: row} noted by `volg`, written by the next refresh


# On the table, not the mapped class: the ORM's bulk machinery (a third of their cost) has
# nothing to do for two plain statements.
_AANWEZIGHEID = Aanwezigheid.__table__
_VERGEET = delete(_AANWEZIGHEID).where(_AANWEZIGHEID.c.sid == bindparam("sid"))
_NOTEER = insert(_AANWEZIGHEID)


def verbonden(sid: str, sessie_id: int, *, deelnemer_id: int | None, perspectief: str | None) -> None:
    """Record a connected socket (a row per sid, so every process counts the same).

    Two prebuilt Core statements, no ORM round trip: this runs once per deelnemer in a join wave.
    """
    with eenheid():
        db.session.execute(_VERGEET, {"sid": sid})
        db.session.execute(
            _NOTEER,
            {
                "sid": sid,
                "sessie_id": sessie_id,
                "deelnemer_id": deelnemer_id,
                "perspectief": perspectief,
                "verbonden_op": utcnow(),
            },
        )


def _wachtend(app: Flask) -> dict[str, dict[str, Any]]:
    return app.extensions.setdefault(_WACHTEND, {})


def noteer_wachtend(sessie_id: int) -> int:
    """Write the sockets of this sessie that `volg` noted since the last refresh, in one transaction."""
    wachtend = _wachtend(current_app)
    rijen = [rij for rij in list(wachtend.values()) if rij["sessie_id"] == sessie_id]
    if not rijen:
        return 0
    # Written first, taken off the list after: a failed write leaves them for the next round.
    with als_schrijver(), eenheid():
        db.session.execute(_VERGEET, [{"sid": rij["sid"]} for rij in rijen])
        db.session.execute(_NOTEER, rijen)
    weg = []
    for rij in rijen:
        if wachtend.get(rij["sid"]) is rij:
            del wachtend[rij["sid"]]
        elif rij["sid"] not in wachtend:
            weg.append({"sid": rij["sid"]})  # left while its row was written: it found no row to delete
    if weg:
        with als_schrijver(), eenheid():
            db.session.execute(_VERGEET, weg)
    return len(rijen) - len(weg)


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
    """Show the begeleider the current numbers now: joined and connected (volatile, not logged)."""
    sessie = db.session.get(Sessie, sessie_id)
    if sessie is None:
        return
    per = deelnemers_per_perspectief(sessie_id)
    fragmenten = [
        Fragment("#deelnemers", render_template("sessies/_deelnemers.html", sessie=sessie, deelnemers_per=per)),
        Fragment("#aanwezig", render_template("sessies/_aanwezig.html", aanwezig_per=aanwezig(sessie_id))),
    ]
    realtime.vluchtig(sessie_id, BEGELEIDER, fragmenten)


def ververs_begeleider(sessie_id: int) -> None:
    """Ask for the begeleider's numbers to be refreshed; many asks within the interval make one.

    Call after the change is committed. With `AANWEZIGHEID_BUNDEL_SECONDEN` 0 it is sent at once.
    """
    interval = float(current_app.config.get("AANWEZIGHEID_BUNDEL_SECONDEN", 0))
    if interval <= 0:
        stuur_aanwezig(sessie_id)
        return
    gepland: set[int] = current_app.extensions.setdefault(_GEPLAND, set())
    if sessie_id in gepland:
        return
    gepland.add(sessie_id)
    socketio.start_background_task(_later, current_app._get_current_object(), sessie_id, interval)


def _later(app: Flask, sessie_id: int, interval: float) -> None:
    socketio.sleep(interval)
    # Off the list before reading: a join committed while this renders asks for the next round.
    app.extensions.get(_GEPLAND, set()).discard(sessie_id)
    with app.app_context():
        try:
            noteer_wachtend(sessie_id)
            stuur_aanwezig(sessie_id)
        except Exception:  # presence is best effort; the next change sends it again
            logger.exception("aanwezigheid voor sessie %s niet verstuurd", sessie_id)
        finally:
            db.session.remove()


def bij_volgen(sessie: Sessie, audience: str, sid: str) -> None:
    """realtime hook after `volg`: count a deelnemer's socket; the begeleider gets the numbers."""
    sessie_id = sessie.id
    if audience == DEELNEMERS:
        ik = current_deelnemer(sessie)
        ik_id, perspectief = (ik.id, ik.perspectief) if ik else (None, None)
        if float(current_app.config.get("AANWEZIGHEID_BUNDEL_SECONDEN", 0)) > 0:
            # Written with the refresh this asks for (noteer_wachtend), with the others of the wave.
            _wachtend(current_app)[sid] = {
                "sid": sid,
                "sessie_id": sessie_id,
                "deelnemer_id": ik_id,
                "perspectief": perspectief,
                "verbonden_op": utcnow(),
            }
        else:
            # Socket handlers get no before_request: take SQLite's write lock at BEGIN ourselves.
            with als_schrijver():
                verbonden(sid, sessie_id, deelnemer_id=ik_id, perspectief=perspectief)
    if audience == BEGELEIDER:
        noteer_wachtend(sessie_id)  # a begeleider who (re)connects sees the numbers at once
        stuur_aanwezig(sessie_id)
    elif audience == DEELNEMERS:
        ververs_begeleider(sessie_id)


def bij_verlaten(sid: str) -> None:
    """realtime hook on disconnect: forget the socket and refresh the begeleider's count."""
    nog_niet_geschreven = _wachtend(current_app).pop(sid, None)
    with als_schrijver():
        sessie_id = verbroken(sid)  # a socket that followed again may have a row already
    if sessie_id is None and nog_niet_geschreven is not None:
        sessie_id = nog_niet_geschreven["sessie_id"]
    if sessie_id is not None:
        ververs_begeleider(sessie_id)
