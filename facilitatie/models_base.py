"""Column helpers shared by the areas' models."""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    """Naive UTC now: SQLite keeps no time zone, so every timestamp is stored as plain UTC."""
    return datetime.now(UTC).replace(tzinfo=None)
