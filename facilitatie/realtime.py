"""The one way out for live changes: event log row with the next seq, commit, then emit.

Every accepted change appends a SessieEvent in the same transaction as the change, with
the sessie's next sequence number. Only after the transaction commits is the update sent
to the sessie's rooms, one room per audience, so a fragment is rendered once per audience
and never per client. A client that (re)connects sends `volg` with the last seq it saw and
first receives, from the log, everything it missed.

Volatile news that is not part of a sessie's history (who is connected right now) goes out
through `vluchtig`: not logged, not replayed. `init_app` is told how to find a sessie by code
and who may follow which room; the sessies area knows that, this module only delivers.

Removed means removed everywhere: a change that withdraws, hides or replaces text
(`append_event(..., wis=True)`) wipes the payloads of every earlier event of the sessie in the
same transaction. Those seqs are never sent again; a client that is behind them gets
`herladen` in the answer to `volg` and loads the current state instead of the history.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from contextlib import suppress
from dataclasses import asdict, dataclass
from typing import Any

from flask import Flask, current_app, request
from flask import session as flask_session
from flask_login import current_user
from flask_socketio import emit, join_room
from redis import Redis
from redis.exceptions import RedisError
from sqlalchemy import bindparam, event, select, update
from sqlalchemy.orm import Session

from facilitatie.extensions import db, socketio
from facilitatie.sessies.models import Sessie, SessieEvent

DEELNEMERS = "deelnemers"
BEGELEIDER = "begeleider"
AUDIENCES = (DEELNEMERS, BEGELEIDER)
_PENDING = "ontmoet_pending_events"


@dataclass(frozen=True)
class Fragment:
    """One piece of HTML the client swaps in: target selector, htmx swap style, html."""

    doel: str
    html: str
    wijze: str = "outerHTML"


# What is left of an event whose payload was wiped: no text, no fragments, no data.
_GEWIST: dict[str, Any] = {"melding": None, "data": {}, "fragmenten": {aud: [] for aud in AUDIENCES}, "gewist": True}
MAX_SEQ = 2**31 - 1


def room(sessie_id: int, audience: str) -> str:
    return f"sessie:{sessie_id}:{audience}"


def append_event(
    sessie: Sessie,
    type_: str,
    fragmenten: dict[str, list[Fragment]],
    *,
    melding: str | None = None,
    data: dict[str, Any] | None = None,
    wis: bool = False,
) -> SessieEvent:
    """Log a change with the sessie's next seq, inside the caller's transaction.

    The UPDATE … RETURNING takes the sessie row's write lock, so concurrent writers queue
    and the sequence stays gapless; a rollback takes the number back with the change.
    `wis=True` for a change that removes text: every earlier event of the sessie is wiped.
    """
    seq, gewist_tot = db.session.execute(
        update(Sessie)
        .where(Sessie.id == sessie.id)
        .values(laatste_seq=Sessie.laatste_seq + 1)
        .returning(Sessie.laatste_seq, Sessie.gewist_tot_seq)
        .execution_options(synchronize_session=False)
    ).one()
    if wis:
        _wis_tot(sessie.id, gewist_tot, seq - 1)
    payload = {
        "melding": melding,
        "data": data or {},
        "fragmenten": {aud: [asdict(f) for f in fragmenten.get(aud, [])] for aud in AUDIENCES},
    }
    entry = SessieEvent(sessie_id=sessie.id, seq=seq, type=type_, payload=payload)
    db.session.add(entry)
    db.session.info.setdefault(_PENDING, []).append(entry)
    return entry


def _wis_tot(sessie_id: int, vanaf: int, tot: int) -> None:
    """Wipe the payloads of events vanaf < seq <= tot (earlier ones are wiped already)."""
    db.session.execute(
        update(SessieEvent)
        .where(SessieEvent.sessie_id == sessie_id, SessieEvent.seq > vanaf, SessieEvent.seq <= tot)
        .values(payload=_GEWIST)
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        update(Sessie)
        .where(Sessie.id == sessie_id)
        .values(gewist_tot_seq=tot)
        .execution_options(synchronize_session=False)
    )


def wis_log(sessie: Sessie) -> None:
    """Wipe every payload of the sessie's event log, inside the caller's transaction.

    For removing a sessie's text after the bewaartermijn: nothing is appended or emitted,
    and a client that asks for any of these seqs gets `herladen`.
    """
    laatste, gewist_tot = db.session.execute(
        select(Sessie.laatste_seq, Sessie.gewist_tot_seq).where(Sessie.id == sessie.id).with_for_update()
    ).one()
    if laatste > gewist_tot:
        _wis_tot(sessie.id, gewist_tot, laatste)


def message_for(entry: SessieEvent, audience: str) -> dict[str, Any]:
    """The `update` message of CONTRACT.md for one audience; the same seq always says the same."""
    payload = entry.payload
    return {
        "seq": entry.seq,
        "type": entry.type,
        "melding": payload.get("melding"),
        "fragmenten": payload["fragmenten"].get(audience, []),
        **payload.get("data", {}),
    }


def _broadcast(entries: list[tuple[int, dict[str, dict[str, Any]]]]) -> None:
    for sessie_id, by_audience in entries:
        for audience, message in by_audience.items():
            socketio.emit("update", message, to=room(sessie_id, audience))


@event.listens_for(Session, "after_flush")
def _capture(session: Session, _flush_context: Any) -> None:
    # Render the messages while the rows are loaded; after commit they are expired.
    pending = session.info.get(_PENDING)
    if not pending:
        return
    ready = session.info.setdefault(_PENDING + "_ready", [])
    for entry in pending:
        ready.append((entry.sessie_id, {aud: message_for(entry, aud) for aud in AUDIENCES}))
    pending.clear()


@event.listens_for(Session, "after_commit")
def _emit_after_commit(session: Session) -> None:
    ready = session.info.pop(_PENDING + "_ready", None)
    if ready:
        _broadcast(ready)


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop(_PENDING, None)
    session.info.pop(_PENDING + "_ready", None)


_GEMIST = (
    select(SessieEvent)
    .where(SessieEvent.sessie_id == bindparam("sessie_id"), SessieEvent.seq > bindparam("sinds"))
    .order_by(SessieEvent.seq)
)


def missed(sessie_id: int, sinds: int) -> list[SessieEvent]:
    """Every logged change after `sinds`, in order (a statement built once: every `volg` runs it)."""
    return list(db.session.scalars(_GEMIST, {"sessie_id": sessie_id, "sinds": sinds}))


def vluchtig(sessie_id: int, audience: str, fragmenten: list[Fragment]) -> None:
    """Send fragments that are not part of the sessie's history (not logged, not replayed)."""
    socketio.emit("vluchtig", {"fragmenten": [asdict(f) for f in fragmenten]}, to=room(sessie_id, audience))


# --- following a sessie over the socket ----------------------------------------------------

SessieZoeker = Callable[[str], Sessie | None]
AudienceResolver = Callable[[Sessie, Any, Mapping[str, Any]], str | None]
FollowHook = Callable[[Sessie, str, str], None]
LeaveHook = Callable[[str], None]


@dataclass(frozen=True)
class _Aansluiting:
    """What `volg` needs from the sessies area, given to `init_app` by create_app."""

    sessie_met_code: SessieZoeker
    audience_for: AudienceResolver
    bij_volgen: FollowHook | None
    bij_verlaten: LeaveHook | None


_EXTENSION = "ontmoet_realtime"
logger = logging.getLogger(__name__)


def berichtenwachtrij_fout(url: str | None) -> str | None:
    """Why the Socket.IO message queue at `url` cannot be used, in Dutch; None when it answers.

    Several processes only reach each other's sockets through it: a wrong setting would store
    every post and deliver none live, so the start stops and /healthz turns red instead.
    """
    if not url:
        return None
    if not url.startswith(("redis://", "rediss://", "unix://")):
        return f"SOCKETIO_MESSAGE_QUEUE moet een redis://-adres zijn, niet {url.split(':', 1)[0]}://…"
    try:
        verbinding = Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
        try:
            verbinding.ping()
        finally:
            verbinding.close()
    except (RedisError, OSError, ValueError) as exc:
        return f"SOCKETIO_MESSAGE_QUEUE ({url.split('@')[-1]}) is onbereikbaar: {type(exc).__name__}"
    return None


class EensPerInterval(logging.Filter):
    """Let one log line through per interval per message text: a lost queue is retried every
    second or so, and the log should say so once a minute, not 1,500 times."""

    def __init__(self, seconden: float = 60) -> None:
        super().__init__()
        self.seconden = seconden
        self._laatst: dict[str, float] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        sleutel = f"{record.name}:{record.levelno}:{record.msg}"
        nu = time.monotonic()
        if nu - self._laatst.get(sleutel, float("-inf")) < self.seconden:
            return False
        self._laatst[sleutel] = nu
        return True


def init_app(
    app: Flask,
    *,
    sessie_met_code: SessieZoeker,
    audience_for: AudienceResolver,
    bij_volgen: FollowHook | None = None,
    bij_verlaten: LeaveHook | None = None,
) -> None:
    """Bind the funnel to an app: how to find a sessie, who may follow it, presence hooks.

    Call before `socketio.init_app`, so every new Socket.IO server gets the handlers.
    """
    fout = berichtenwachtrij_fout(app.config.get("SOCKETIO_MESSAGE_QUEUE"))
    if fout:
        raise RuntimeError(f"Ontmoet start niet: {fout}. Controleer de instelling of start Redis.")
    for naam in ("socketio.client", "socketio.server", "engineio.server", "socketio"):
        if not any(isinstance(f, EensPerInterval) for f in logging.getLogger(naam).filters):
            logging.getLogger(naam).addFilter(EensPerInterval())
    app.extensions[_EXTENSION] = _Aansluiting(sessie_met_code, audience_for, bij_volgen, bij_verlaten)
    _register_handlers()


def _aansluiting() -> _Aansluiting:
    return current_app.extensions[_EXTENSION]


def _run_hook(hook: Callable[..., None] | None, *args: Any) -> None:
    if hook is None:
        return
    try:
        hook(*args)
    except Exception:  # presence is best effort; following must go on
        db.session.rollback()
        logger.exception("realtime hook %s failed", getattr(hook, "__name__", hook))


_registered = False


def _register_handlers() -> None:
    """Socket.IO handlers: `volg` joins the caller's own room and replays what it missed."""
    global _registered
    if _registered:  # the socketio object is global; tests build many apps
        return
    _registered = True
    socketio.on_event("volg", volg)
    socketio.on_event("disconnect", _disconnect)


def volg(data: Any) -> dict[str, Any]:
    """`volg` {code, sinds}: join the caller's own room, then replay every update after `sinds`.

    Always answers: {"ok": true, "seq": …} (with "herladen" when the history the client asks
    for was wiped), or {"ok": false, "fout": "<Dutch reason>"}; never an exception without reply.
    A failure on our side (a full pool, a dropped database) also says `"opnieuw": true`: the
    client shows it is not live and asks again after a while (static/js/live.js).
    """
    try:
        return _volg(data)
    except Exception:
        logger.exception("volg mislukt")
        with suppress(Exception):  # a broken connection must not cost the answer
            db.session.rollback()
        with suppress(Exception):
            db.session.remove()
        return {"ok": False, "opnieuw": True, "fout": "Live volgen lukt nu even niet. We proberen het opnieuw."}


def _volg(data: Any) -> dict[str, Any]:
    if not isinstance(data, dict):
        return {"ok": False, "fout": "Ongeldig verzoek."}
    try:
        sinds = min(max(0, int(data.get("sinds", 0))), MAX_SEQ)
    except (TypeError, ValueError, OverflowError):
        return {"ok": False, "fout": "Ongeldig volgnummer."}
    aansluiting = _aansluiting()
    sessie = aansluiting.sessie_met_code(str(data.get("code", "")))
    audience = aansluiting.audience_for(sessie, current_user, flask_session) if sessie else None
    if sessie is None or audience is None:
        db.session.remove()
        return {"ok": False, "fout": "Je hebt geen toegang tot deze sessie."}
    if sinds < sessie.gewist_tot_seq:
        # What the client missed held text that has since been removed: it loads the current state.
        seq = sessie.laatste_seq
        db.session.remove()
        return {"ok": True, "seq": seq, "herladen": True}
    # Join first, then replay: an update that lands in between arrives twice at most,
    # and the client drops any seq it already has.
    join_room(room(sessie.id, audience))
    for entry in missed(sessie.id, sinds):
        emit("update", message_for(entry, audience))
    seq = sessie.laatste_seq
    _run_hook(aansluiting.bij_volgen, sessie, audience, request.sid)
    db.session.remove()
    return {"ok": True, "seq": seq}


def _disconnect(*_args: Any) -> None:
    hook = _aansluiting().bij_verlaten
    if hook is not None:
        _run_hook(hook, request.sid)
        db.session.remove()
