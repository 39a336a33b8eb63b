"""The one way out for live changes: event log row with the next seq, commit, then emit.

Every accepted change appends a SessieEvent in the same transaction as the change, with
the sessie's next sequence number. Only after the transaction commits is the update sent
to the sessie's rooms, one room per audience, so a fragment is rendered once per audience
and never per client. A client that (re)connects sends `volg` with the last seq it saw and
first receives, from the log, everything it missed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from flask import session as flask_session
from flask_login import current_user
from flask_socketio import emit, join_room
from sqlalchemy import event, select, update
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


def room(sessie_id: int, audience: str) -> str:
    return f"sessie:{sessie_id}:{audience}"


def append_event(
    sessie: Sessie,
    type_: str,
    fragmenten: dict[str, list[Fragment]],
    *,
    melding: str | None = None,
    data: dict[str, Any] | None = None,
) -> SessieEvent:
    """Log a change with the sessie's next seq, inside the caller's transaction.

    The UPDATE … RETURNING takes the sessie row's write lock, so concurrent writers queue
    and the sequence stays gapless; a rollback takes the number back with the change.
    """
    seq = db.session.execute(
        update(Sessie)
        .where(Sessie.id == sessie.id)
        .values(laatste_seq=Sessie.laatste_seq + 1)
        .returning(Sessie.laatste_seq)
        .execution_options(synchronize_session=False)
    ).scalar_one()
    payload = {
        "melding": melding,
        "data": data or {},
        "fragmenten": {aud: [asdict(f) for f in fragmenten.get(aud, [])] for aud in AUDIENCES},
    }
    entry = SessieEvent(sessie_id=sessie.id, seq=seq, type=type_, payload=payload)
    db.session.add(entry)
    db.session.info.setdefault(_PENDING, []).append(entry)
    return entry


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


def missed(sessie_id: int, sinds: int) -> list[SessieEvent]:
    """Every logged change after `sinds`, in order."""
    return list(
        db.session.scalars(
            select(SessieEvent)
            .where(SessieEvent.sessie_id == sessie_id, SessieEvent.seq > sinds)
            .order_by(SessieEvent.seq)
        )
    )


# Which audience a connected client belongs to; set by the sessies area (it knows deelnemers).
AudienceResolver = Callable[[Sessie, Any, dict], str | None]
_resolver: AudienceResolver | None = None


def set_audience_resolver(resolver: AudienceResolver) -> None:
    global _resolver
    _resolver = resolver


# Areas that track who is connected (presence) hook in here; called with (sessie, audience, sid)
# after `volg`, and with (sid) on disconnect. A failing hook never breaks following.
FollowHook = Callable[[Sessie, str, str], None]
LeaveHook = Callable[[str], None]
_follow_hooks: list[FollowHook] = []
_leave_hooks: list[LeaveHook] = []


def on_follow(hook: FollowHook) -> FollowHook:
    if hook not in _follow_hooks:
        _follow_hooks.append(hook)
    return hook


def on_leave(hook: LeaveHook) -> LeaveHook:
    if hook not in _leave_hooks:
        _leave_hooks.append(hook)
    return hook


def _run_hooks(hooks: list, *args: Any) -> None:
    import logging

    for hook in hooks:
        try:
            hook(*args)
        except Exception:  # presence is best effort; following must go on
            db.session.rollback()
            logging.getLogger(__name__).exception("realtime hook %s failed", getattr(hook, "__name__", hook))


_registered = False


def register_handlers() -> None:
    """Socket.IO handlers: `volg` joins the caller's own room and replays what it missed."""
    global _registered
    if _registered:  # the socketio object is global; tests build many apps
        return
    _registered = True

    @socketio.on("volg")
    def volg(data: Any) -> dict[str, Any]:
        from facilitatie.sessies.codes import normalise_code

        if not isinstance(data, dict):
            return {"ok": False, "fout": "Ongeldig verzoek."}
        code = normalise_code(str(data.get("code", "")))
        try:
            sinds = max(0, int(data.get("sinds", 0)))
        except (TypeError, ValueError):
            return {"ok": False, "fout": "Ongeldig volgnummer."}
        sessie = db.session.scalar(select(Sessie).where(Sessie.deelnamecode == code).order_by(Sessie.id.desc()))
        audience = _resolver(sessie, current_user, flask_session) if (sessie and _resolver) else None
        if sessie is None or audience is None:
            db.session.remove()
            return {"ok": False, "fout": "Je hebt geen toegang tot deze sessie."}
        # Join first, then replay: an update that lands in between arrives twice at most,
        # and the client drops any seq it already has.
        join_room(room(sessie.id, audience))
        for entry in missed(sessie.id, sinds):
            emit("update", message_for(entry, audience))
        seq = sessie.laatste_seq
        if _follow_hooks:
            from flask import request

            _run_hooks(_follow_hooks, sessie, audience, request.sid)
        db.session.remove()
        return {"ok": True, "seq": seq}

    @socketio.on("disconnect")
    def disconnect(*_args: Any) -> None:
        if _leave_hooks:
            from flask import request

            _run_hooks(_leave_hooks, request.sid)
            db.session.remove()
