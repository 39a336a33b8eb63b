"""Helpers shared by the areas' forms."""

from __future__ import annotations


def int_or_zero(value: object) -> int:
    """Coerce a submitted id; junk becomes 0 (no such row), never an English WTForms error."""
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return 0


def positief_id(waarde: str | None) -> int | None:
    """A submitted id or page number: a positive integer that fits a database id, else None."""
    try:
        getal = int((waarde or "").strip())
    except ValueError:
        return None
    return getal if 0 < getal < 2**31 else None
