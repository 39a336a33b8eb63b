"""Keeps viewed dashboards warm: after a change, recompute them before the next view.

A background task per process (a greenlet under gevent, a daemon thread otherwise),
started by the first dashboard view, checks every DASHBOARD_VERVERS_SECONDEN whether the
stamp of a recently viewed dashboard moved and recomputes it (dashboard_cache.ververs). It only
fills the cache; pages still check the stamp themselves, so nothing is ever shown stale.
"""

from __future__ import annotations

import logging
import threading
from datetime import date
from typing import Any

from flask import Flask, current_app

from facilitatie.extensions import db, socketio
from facilitatie.opvolging import dashboard_cache

log = logging.getLogger(__name__)
_SLEUTEL = "ontmoet.dashboard_verversen"
_start = threading.Lock()


def start() -> None:
    """Start the refresher of this app once (no-op when the interval is 0, as in the tests)."""
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    interval = float(app.config.get("DASHBOARD_VERVERS_SECONDEN", 0))
    if interval <= 0 or app.extensions.get(_SLEUTEL):
        return
    with _start:
        if app.extensions.get(_SLEUTEL):
            return
        app.extensions[_SLEUTEL] = True
    socketio.start_background_task(_lus, app, interval)


def een_ronde(app: Flask, vorige: dict[tuple[Any, ...], str]) -> int:
    """One refresh round in its own app context; returns how many dashboards were recomputed."""
    with app.app_context():
        try:
            return dashboard_cache.ververs(date.today(), vorige)
        finally:
            db.session.remove()


def _lus(app: Flask, interval: float) -> None:
    vorige: dict[tuple[Any, ...], str] = {}
    while True:
        socketio.sleep(interval)
        try:
            een_ronde(app, vorige)
        except Exception:  # keep refreshing; a failed round only means the next view computes
            log.exception("dashboard verversen mislukt")
