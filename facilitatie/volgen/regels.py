"""The volglink token, free of Flask and the database: its form, its hash, how a retry finds it.

A token is 32 random-looking bytes, base64url without padding (43 characters). Where the post
has a client request id, the token is derived from it with the app's secret key (HMAC-SHA256),
so a retried post (the same request id, e.g. sent again by static/js/verzenden.js after the
phone lost its connection) is answered with the very link the first answer carried, and no
second, never-shown link is minted. Without a request id the token is random
(`secrets.token_urlsafe`). Either way the database keeps only its sha256 (`hash_van`).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets

TOKEN_LENGTE = 43
_TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")


def is_plausibel(token: str) -> bool:
    """Whether this text can be a volglink token at all (checked before any lookup)."""
    return bool(_TOKEN.fullmatch(token or ""))


def hash_van(token: str) -> str:
    """What the database keeps of a token: its sha256, hex (the token has 256 bits, no salt needed)."""
    return hashlib.sha256(token.encode()).hexdigest()


def afgeleid(geheim: bytes, knelpunt_id: int, client_request_id: str) -> str:
    """The token of one post, the same for every retry of that request (see the module)."""
    digest = hmac.new(geheim, f"volglink:{knelpunt_id}:{client_request_id}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def willekeurig() -> str:
    """A token for a post without a request id: shown once, never derivable."""
    return secrets.token_urlsafe(32)
