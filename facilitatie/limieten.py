"""Counters behind the join and sign-in limits: moving windows in the rate-limit storage.

Plain Python over `limits` (the engine under Flask-Limiter), kept in the storage that
`RATELIMIT_STORAGE_URI` names: memory for one process, Redis so that every process counts the
same attempts. Which attempts count is decided by the rules that use these counters
(`sessies/toegang.py`, `accounts/pogingen.py`), never by an HTTP status.

When the storage cannot be reached (Redis down), the counters fail open: nobody is refused,
the failure is logged, and /healthz turns red, so a broken Redis stops no meeting in silence
and still reaches whoever watches the service (the choice Flask-Limiter's swallow_errors makes).

Keys hold no client address or e-mail address in clear: each is a keyed hash (HMAC with the
app's secret), so a Redis dump does not list who tried to sign in from where.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, current_app
from limits import RateLimitItem, parse_many
from limits.storage import MovingWindowSupport, Storage, storage_from_string
from limits.strategies import MovingWindowRateLimiter

_EXTENSIE = "ontmoet_tellers"
logger = logging.getLogger(__name__)
_aanmaken = threading.Lock()


@dataclass(frozen=True)
class Stand:
    """How far one counter is in its window(s)."""

    gebruikt: int  # attempts counted in the window (the fullest window when there are several)
    vol: bool  # a further attempt would exceed a limit
    vrij_om: float  # epoch seconds at which a full window has room again (now when not full)


@dataclass(frozen=True)
class Weigering:
    """An attempt refused before it is looked at: the Dutch reason and when to try again."""

    bericht: str
    opnieuw_over: int  # seconds, for Retry-After


def wachttijd(vrij_om: float, nu: float) -> int:
    """Whole seconds until `vrij_om`, at least 1 (Retry-After must not invite a retry storm at 0)."""
    return max(1, math.ceil(vrij_om - nu))


def wachttijd_tekst(seconden: int) -> str:
    """'over 40 seconden', 'over 1 minuut', 'over 7 minuten': when to try again, in Dutch."""
    if seconden < 60:
        return f"over {seconden} {'seconde' if seconden == 1 else 'seconden'}"
    minuten = math.ceil(seconden / 60)
    return f"over {minuten} {'minuut' if minuten == 1 else 'minuten'}"


class Tellers:
    """Moving-window counters over one `limits` storage, keyed by hashed identifiers."""

    def __init__(self, storage: Storage, geheim: str | bytes, klok: Callable[[], float] = time.time) -> None:
        if not isinstance(storage, MovingWindowSupport):
            raise ValueError("De opslag voor limieten moet een 'moving window' ondersteunen (memory of Redis).")
        self._storage = storage
        self._venster = MovingWindowRateLimiter(storage)
        self._geheim = geheim.encode() if isinstance(geheim, str) else geheim
        self.klok = klok

    @classmethod
    def uit_uri(cls, uri: str, geheim: str | bytes, **opties: float | str | bool) -> Tellers:
        """Counters in the storage at `uri` (memory://, redis://…), as Flask-Limiter reads it."""
        return cls(storage_from_string(uri, **opties), geheim)

    def _id(self, soort: str, wie: str) -> str:
        digest = hmac.new(self._geheim, wie.encode(), hashlib.sha256).hexdigest()[:32]
        return f"ontmoet/{soort}/{digest}"

    @staticmethod
    def _items(limiet: str) -> list[RateLimitItem]:
        return list(parse_many(limiet))

    def stand(self, limiet: str, soort: str, wie: str) -> Stand:
        """The count of `wie` under `limiet` (one or more windows, '5 per minute; 50 per hour')."""
        sleutel = self._id(soort, wie)
        nu = self.klok()
        gebruikt, vol, vrij_om = 0, False, nu
        try:
            for item in self._items(limiet):
                reset, over = self._venster.get_window_stats(item, sleutel)
                gebruikt = max(gebruikt, item.amount - over)
                if over <= 0:
                    vol, vrij_om = True, max(vrij_om, reset)
        except Exception:
            logger.exception("limietopslag onbereikbaar; de limiet geldt nu niet")
            return Stand(gebruikt=0, vol=False, vrij_om=nu)
        return Stand(gebruikt=gebruikt, vol=vol, vrij_om=vrij_om)

    def tel(self, limiet: str, soort: str, wie: str) -> None:
        """Count one attempt of `wie` in every window of `limiet` (a full window stays full)."""
        sleutel = self._id(soort, wie)
        try:
            for item in self._items(limiet):
                self._venster.hit(item, sleutel)
        except Exception:
            logger.exception("limietopslag onbereikbaar; poging niet geteld")

    def wis(self, limiet: str, soort: str, wie: str) -> None:
        """Forget the attempts of `wie` (after a correct password, say)."""
        sleutel = self._id(soort, wie)
        try:
            for item in self._items(limiet):
                self._venster.clear(item, sleutel)
        except Exception:
            logger.exception("limietopslag onbereikbaar; pogingen niet gewist")

    def bereikbaar(self) -> bool:
        """Whether the storage answers (for /healthz)."""
        try:
            return bool(self._storage.check())
        except Exception:  # noqa: BLE001 - any storage failure means unhealthy
            return False


def tellers(app: Flask | None = None) -> Tellers:
    """This app's counters, made on first use from RATELIMIT_STORAGE_URI (and its options)."""
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    bestaand = app.extensions.get(_EXTENSIE)
    if bestaand is not None:
        return bestaand
    with _aanmaken:
        if _EXTENSIE not in app.extensions:
            opties = dict(app.config.get("RATELIMIT_STORAGE_OPTIONS") or {})
            uri = app.config.get("RATELIMIT_STORAGE_URI") or "memory://"
            if uri.startswith(("redis", "valkey")):
                opties.setdefault("key_prefix", (app.config.get("RATELIMIT_KEY_PREFIX") or "") + "LIMITS")
            app.extensions[_EXTENSIE] = Tellers.uit_uri(uri, app.config["SECRET_KEY"], **opties)
    return app.extensions[_EXTENSIE]


def aan(app: Flask | None = None) -> bool:
    """Whether limits apply (RATELIMIT_ENABLED, the switch Flask-Limiter reads too)."""
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    return bool(app.config.get("RATELIMIT_ENABLED", True))
