"""Personal API tokens: shown once, stored as a sha256 hash, revocable.

Two scopes: 'lezen' (the default: the token may what its user may, through every endpoint)
and 'signalen:schrijven' (only reporting signalen for one gemeente, through
POST /api/v1/knelpunten; made by a beheerder or begeleider of that gemeente for another system).
"""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select

from facilitatie.accounts.models import Gemeente, User
from facilitatie.api import rechten
from facilitatie.database import als_schrijver
from facilitatie.extensions import db
from facilitatie.fouten import Geweigerd, Ongeldig
from facilitatie.invoer import geen_bsn
from facilitatie.models_base import utcnow
from facilitatie.opvolging.models import ApiToken
from facilitatie.werk import eenheid, transactie

PREFIX = "ont_"
MAX_NAAM = 80
MAX_ACTIEVE = 20
LEZEN = "lezen"
SIGNALEN_SCHRIJVEN = "signalen:schrijven"
SCOPES = (LEZEN, SIGNALEN_SCHRIJVEN)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@transactie
def maak(user: User, naam: str, *, scope: str = LEZEN, gemeente_id: int | None = None) -> tuple[ApiToken, str]:
    """A new token for this user; the plain token is returned once and never stored."""
    if scope not in SCOPES:
        raise Ongeldig("scope", "Kies wat het token mag.")
    if scope == SIGNALEN_SCHRIJVEN:
        if gemeente_id is None or db.session.get(Gemeente, gemeente_id) is None:
            raise Ongeldig("gemeente", "Kies de gemeente waarvoor het token signalen meldt.")
        if not rechten.mag_koppelen(user, gemeente_id):
            raise Ongeldig("gemeente", "Alleen een begeleider of beheerder van deze gemeente maakt zo'n token.")
    else:
        gemeente_id = None
    naam = (naam or "").strip()
    if not naam:
        raise Ongeldig("naam", "Geef het token een naam, zodat je het later herkent.")
    if len(naam) > MAX_NAAM:
        raise Ongeldig("naam", f"Een naam heeft hoogstens {MAX_NAAM} tekens.")
    geen_bsn("naam", naam)
    if len(actieve(user)) >= MAX_ACTIEVE:
        raise Ongeldig("naam", f"Je hebt al {MAX_ACTIEVE} tokens. Trek er eerst een in.")
    token = PREFIX + secrets.token_urlsafe(32)
    rij = ApiToken(user_id=user.id, naam=naam, token_hash=_hash(token), scope=scope, gemeente_id=gemeente_id)
    db.session.add(rij)
    db.session.flush()
    return rij, token


def actieve(user: User) -> list[ApiToken]:
    return list(
        db.session.scalars(
            select(ApiToken)
            .where(ApiToken.user_id == user.id, ApiToken.ingetrokken_op.is_(None))
            .order_by(ApiToken.aangemaakt_op.desc())
        )
    )


@transactie
def intrekken(user: User, token_id: int) -> None:
    """Revoke one of the user's own tokens; it stops working at once."""
    rij = db.session.get(ApiToken, token_id)
    if rij is None or rij.user_id != user.id:
        raise Geweigerd("Dit token is niet van jou.")
    if rij.ingetrokken_op is None:
        rij.ingetrokken_op = utcnow()


def gebruiker_voor(token: str) -> User | None:
    """The active user this token belongs to, or None (unknown, revoked, or account inactive)."""
    rij = token_voor(token)
    return rij.user if rij is not None else None


def token_voor(token: str) -> ApiToken | None:
    """The active token row (its user active too), or None; notes when it was last used."""
    if not token or len(token) > 200:
        return None
    rij = db.session.scalar(
        select(ApiToken).where(ApiToken.token_hash == _hash(token), ApiToken.ingetrokken_op.is_(None))
    )
    if rij is None or not rij.user.actief:
        return None
    nu = utcnow()
    # Written at most once a minute, so reading the API does not turn every GET into a write.
    if rij.laatst_gebruikt_op is None or (nu - rij.laatst_gebruikt_op).total_seconds() > 60:
        token_id = rij.id
        with als_schrijver(), eenheid():  # a GET that writes: queue like every other writer
            rij = db.session.get(ApiToken, token_id)
            if rij is None:
                return None
            rij.laatst_gebruikt_op = nu
    return rij
