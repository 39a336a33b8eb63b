"""A signed-in session that ends: on sign-out, on a new password, on deactivation or a change
of rights, after a while without activity, and after a fixed lifetime.

The session itself is Flask's signed cookie. At sign-in it gets three stamps: the account's
`sessie_versie`, the moment of sign-in and the moment of last activity. Each request (and each
socket event) loads the user through `laad_gebruiker`, which refuses the cookie when

- the account's `sessie_versie` moved on: raised at sign-out, a new password (reset by a
  beheerder), deactivation, or a change of role, gemeente or team (`service.beeindig_sessies`),
  so a copied cookie stops working everywhere at once, the signing-out browser included;
- there was no request for `ONTMOET_SESSION_IDLE_MINUTES` (default 60);
- the sign-in is older than `ONTMOET_SESSION_LIFETIME_MINUTES` (default 720, a working day);
- the account was deactivated or removed.

A refused cookie is then anonymous (pages ask to sign in again). Signing in also gives a new
CSRF token, so a token seen before sign-in is worth nothing after it. The last-activity stamp is
rewritten at most once a minute, so not every request sends a new cookie.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, MutableMapping
from dataclasses import dataclass
from typing import Any

from flask import current_app, g, session

from facilitatie.accounts.models import User
from facilitatie.extensions import db

VERSIE = "_ontmoet_versie"
BEGIN = "_ontmoet_begin"
ACTIEF = "_ontmoet_actief"
BIJWERKEN_NA = 60  # seconds between rewrites of the last-activity stamp
# What Flask-Login and Flask-WTF keep for a signed-in browser; gone when the session ends.
_INLOG_SLEUTELS = ("_user_id", "_fresh", "_id", "_remember", "csrf_token", VERSIE, BEGIN, ACTIEF)

klok: Callable[[], float] = time.time  # tests move time by replacing this


@dataclass(frozen=True)
class Termijnen:
    inactief: float  # seconds without a request after which the session ends
    maximum: float  # seconds after sign-in after which the session ends


def geldig(stempels: Mapping[str, Any], versie: int, nu: float, termijnen: Termijnen) -> bool:
    """Whether a session with these stamps still holds for an account at `versie` (pure)."""
    begin, actief = stempels.get(BEGIN), stempels.get(ACTIEF)
    if not isinstance(begin, int | float) or not isinstance(actief, int | float):
        return False  # a cookie from before these stamps existed, or not made by sign-in
    if stempels.get(VERSIE) != versie:
        return False
    return nu - begin <= termijnen.maximum and nu - actief <= termijnen.inactief


def termijnen() -> Termijnen:
    """This app's idle timeout and absolute lifetime (minutes in the config)."""
    config = current_app.config
    return Termijnen(
        inactief=float(config["SESSIE_INACTIEF_MINUTEN"]) * 60,
        maximum=float(config["SESSIE_MAXIMUM_MINUTEN"]) * 60,
    )


def begin(user: User) -> None:
    """Right after login_user: stamp the session and give it a new CSRF token."""
    nu = klok()
    session[VERSIE] = user.sessie_versie or 0
    session[BEGIN] = nu
    session[ACTIEF] = nu
    # Flask-WTF keeps the raw token in the session and caches it in g: both go, and the next
    # page made gets a fresh one.
    session.pop("csrf_token", None)
    g.pop("csrf_token", None)


def vergeet(stempels: MutableMapping[str, Any]) -> None:
    """Drop the sign-in from this session (anything else in it, a deelnemer's place, stays)."""
    for sleutel in _INLOG_SLEUTELS:
        stempels.pop(sleutel, None)


def laad_gebruiker(user_id: str) -> User | None:
    """Flask-Login's user_loader: the user of this session, or None when the session has ended."""
    user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
    nu = klok()
    if user is None or not user.actief or not geldig(session, user.sessie_versie or 0, nu, termijnen()):
        vergeet(session)
        return None
    if nu - float(session.get(ACTIEF, 0)) >= BIJWERKEN_NA:
        session[ACTIEF] = nu
    return user
