"""Fragments for live updates: rendered once per audience from the same templates the pages use."""

from __future__ import annotations

from flask import render_template

from facilitatie.realtime import BEGELEIDER, DEELNEMERS, Fragment
from facilitatie.sessies.lezen import deelnemers_per_perspectief
from facilitatie.sessies.models import Sessie, Status
from facilitatie.sessies.vormen import Sessievorm
from facilitatie.sessies.werkruimte import fase_afgerond


def fase_fragmenten(sessie: Sessie, vorm: Sessievorm) -> dict[str, list[Fragment]]:
    """The deelnemer's fase panel and the begeleider's fase controls (and the deelnemers count,
    whose words depend on whether the sessie has started or closed)."""
    begeleider = []
    if sessie.status == Status.AFGESLOTEN:  # the code and QR no longer invite anyone
        begeleider.append(Fragment("#uitnodiging", render_template("sessies/_uitnodiging_gesloten.html")))
    return {
        DEELNEMERS: [
            Fragment(
                "#fase",
                render_template("sessies/_fase.html", sessie=sessie, vorm=vorm, fase_afgerond=fase_afgerond(sessie)),
            )
        ],
        BEGELEIDER: [
            *begeleider,
            Fragment(
                "#bediening",
                render_template("sessies/_bediening.html", sessie=sessie, vorm=vorm, csrf_value=""),
            ),
            Fragment(
                "#deelnemers",
                render_template(
                    "sessies/_deelnemers.html", sessie=sessie, deelnemers_per=deelnemers_per_perspectief(sessie.id)
                ),
            ),
        ],
    }
