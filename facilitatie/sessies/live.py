"""Fragments for live updates: rendered once per audience from the same templates the pages use."""

from __future__ import annotations

from flask import render_template

from facilitatie.realtime import BEGELEIDER, DEELNEMERS, Fragment
from facilitatie.sessies.models import Sessie
from facilitatie.sessies.vormen import Sessievorm


def fase_fragmenten(sessie: Sessie, vorm: Sessievorm) -> dict[str, list[Fragment]]:
    """The deelnemer's fase panel and the begeleider's fase controls."""
    return {
        DEELNEMERS: [Fragment("#fase", render_template("sessies/_fase.html", sessie=sessie, vorm=vorm))],
        BEGELEIDER: [
            Fragment(
                "#bediening",
                render_template("sessies/_bediening.html", sessie=sessie, vorm=vorm, csrf_value=""),
            )
        ],
    }
