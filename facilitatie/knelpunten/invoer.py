"""Checking what people type in the knelpunten area: length, privacy guard, request ids, reasons."""

from __future__ import annotations

import hashlib
import re

from facilitatie import privacy
from facilitatie.fouten import Ongeldig
from facilitatie.invoer import PrivacyBlokkade, geen_bsn

__all__ = ["PrivacyBlokkade", "PrivacyWaarschuwing", "controleer_reden", "controleer_tekst", "geen_bsn"]

MAX_THEMA_NAAM = 120


MAX_REDEN = 500


MAX_STEMMEN = 1000


MAX_TIMER_MINUTEN = 240
MAX_TIMER_LABEL = 200


_REQUEST_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


class PrivacyWaarschuwing(Ongeldig):
    """The text looks like it holds client data; the author may still choose 'Toch indienen'."""


def controleer_tekst(veld: str, tekst: str, *, bevestigd: bool, leeg: str, max_lengte: int) -> str:
    """Trim, require, cap, and run the privacy guard: a BSN is refused, other findings warn."""
    tekst = (tekst or "").strip()
    if not tekst:
        raise Ongeldig(veld, leeg)
    if len(tekst) > max_lengte:
        raise Ongeldig(veld, f"Gebruik hoogstens {max_lengte} tekens (nu {len(tekst)}).")
    uitslag = privacy.scan(tekst)
    if uitslag.blokkeren:
        raise PrivacyBlokkade(veld, uitslag.melding())
    if uitslag.waarschuwingen and not bevestigd:
        raise PrivacyWaarschuwing(veld, uitslag.melding())
    return tekst


def geldige_request_id(value: str | None) -> str | None:
    """A client request id as the forms send it (uuid4 hex); anything else is ignored."""
    value = (value or "").strip()
    return value if _REQUEST_ID.fullmatch(value) else None


def herkomst(request_id: str | None) -> str | None:
    """A short tag of a post's client request id for the live event, so the poster's browser can
    recognise its own post (and not announce it twice). One-way: the request id itself is never
    broadcast, since a retry with it hands out an anonymous post's browser secret."""
    if not request_id:
        return None
    return hashlib.sha256(request_id.encode()).hexdigest()[:16]


def controleer_reden(reden: str) -> str:
    """A moderation reason: required, bounded, and never holding a (possible) BSN."""
    reden = (reden or "").strip()
    if not reden:
        raise Ongeldig("reden", "Geef een reden op, zodat later na te gaan is waarom.")
    if len(reden) > MAX_REDEN:
        raise Ongeldig("reden", f"Gebruik hoogstens {MAX_REDEN} tekens.")
    geen_bsn("reden", reden)
    return reden
