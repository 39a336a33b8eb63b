"""Deelnamecodes: short, easy to read aloud and type on a phone."""

from __future__ import annotations

import secrets

# No 0/O, 1/I/L, 5/S or 2/Z: letters people confuse when read from a projector.
ALFABET = "ABCDEFGHJKMNPQRTUVWXY346789"
LENGTE = 6


def generate_code(length: int = LENGTE) -> str:
    """A random code from ALFABET (27^6 ≈ 387 million combinations)."""
    return "".join(secrets.choice(ALFABET) for _ in range(length))


def normalise_code(raw: str) -> str:
    """Case-insensitive, and forgiving of spaces and dashes people type between groups."""
    return "".join(ch for ch in raw.upper() if ch.isalnum())[:32]


def is_plausible(code: str) -> bool:
    """True when the code could have been issued, so junk is refused before a query."""
    return len(code) == LENGTE and all(ch in ALFABET for ch in code)


def display(code: str) -> str:
    """Show in two groups of three (ABC DEF): easier to read aloud."""
    return f"{code[:3]} {code[3:]}" if len(code) == LENGTE else code
