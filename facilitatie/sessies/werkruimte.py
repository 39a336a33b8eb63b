"""The seam between the sessie and the areas: which panel each fase soort shows.

A deelnemer's werkruimte and the begeleider's paneel are rendered per person (they hold
their own votes, their own posts, forms with CSRF), so they are fetched over HTTP when the
fase changes; within a fase, areas push fragments into them through `realtime`.
Areas register a function per fase soort with the decorators below.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import render_template
from markupsafe import Markup

from facilitatie.accounts.models import User
from facilitatie.sessies.models import Deelnemer, Sessie
from facilitatie.sessies.vormen import Fase


@dataclass(frozen=True)
class Paneel:
    """A template and its context, rendered inside the werkruimte or the begeleider's paneel."""

    template: str
    context: dict[str, Any] = field(default_factory=dict)


DeelnemerBouwer = Callable[[Sessie, Fase, Deelnemer], Paneel | None]
BegeleiderBouwer = Callable[[Sessie, Fase, User], Paneel | None]
_voor_deelnemer: dict[str, list[DeelnemerBouwer]] = {}
_voor_begeleider: dict[str, list[BegeleiderBouwer]] = {}


def voor_deelnemer(*soorten: str) -> Callable[[DeelnemerBouwer], DeelnemerBouwer]:
    """Register a panel builder for deelnemers in fasen of these soorten."""

    def register(bouwer: DeelnemerBouwer) -> DeelnemerBouwer:
        for soort in soorten:
            lijst = _voor_deelnemer.setdefault(soort, [])
            if bouwer not in lijst:
                lijst.append(bouwer)
        return bouwer

    return register


def voor_begeleider(*soorten: str) -> Callable[[BegeleiderBouwer], BegeleiderBouwer]:
    """Register a panel builder for the leading begeleider in fasen of these soorten."""

    def register(bouwer: BegeleiderBouwer) -> BegeleiderBouwer:
        for soort in soorten:
            lijst = _voor_begeleider.setdefault(soort, [])
            if bouwer not in lijst:
                lijst.append(bouwer)
        return bouwer

    return register


# Pseudo fase soort for a sessie in concept: areas may offer inbreng vooraf (fase is None then).
VOORAF = "vooraf"


def _soort(sessie: Sessie, fase: Fase | None) -> str | None:
    if sessie.status == "concept":
        return VOORAF
    if fase is None or not sessie.is_live:
        return None
    return fase.soort


def deelnemer_panelen(sessie: Sessie, fase: Fase | None, deelnemer: Deelnemer) -> list[Paneel]:
    soort = _soort(sessie, fase)
    return [p for bouwer in _voor_deelnemer.get(soort or "", []) if (p := bouwer(sessie, fase, deelnemer))]


def begeleider_panelen(sessie: Sessie, fase: Fase | None, user: User) -> list[Paneel]:
    soort = _soort(sessie, fase)
    return [p for bouwer in _voor_begeleider.get(soort or "", []) if (p := bouwer(sessie, fase, user))]


def render(panelen: list[Paneel], **common: Any) -> list[Markup]:
    """Render each panel with its own context plus the common one (sessie, ik, …)."""
    # Jinja autoescapes every template, so its output is safe HTML by construction.
    return [Markup(render_template(p.template, **{**common, **p.context})) for p in panelen]  # noqa: S704
