"""Helpers shared by the areas' forms."""

from __future__ import annotations


def int_or_zero(value: object) -> int:
    """Coerce a submitted id; junk becomes 0 (no such row), never an English WTForms error."""
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return 0
