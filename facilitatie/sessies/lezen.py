"""Reads about a sessie that every area asks: its sessievorm, its current fase, inbreng vooraf."""

from __future__ import annotations

from flask import current_app

from facilitatie.sessies.models import Sessie, Status
from facilitatie.sessies.vormen import Fase, Sessievorm


def vormen() -> dict[str, Sessievorm]:
    """The sessievormen loaded (and validated) when the app started."""
    return current_app.extensions["sessievormen"]


def vorm_van(sessie: Sessie) -> Sessievorm:
    return vormen()[sessie.sessievorm]


def huidige_fase(sessie: Sessie) -> Fase | None:
    if sessie.fase_index is None:
        return None
    return vorm_van(sessie).fasen[sessie.fase_index]


def inbreng_vooraf(sessie: Sessie) -> bool:
    """A concept sessie the begeleider opened for inbreng vooraf: it can be joined before it starts."""
    return sessie.status == Status.CONCEPT and bool(sessie.inbreng_open)


def na_soort(sessie: Sessie, soort: str) -> bool:
    """True when a fase of this soort comes before the current fase in the sessievorm."""
    return any(f.soort == soort for f in vorm_van(sessie).fasen[: sessie.fase_index or 0])
