"""Fragments for live updates: rendered once per audience from the templates the panels use."""

from __future__ import annotations

from flask import render_template

from facilitatie.leerkring import lezen
from facilitatie.realtime import BEGELEIDER, DEELNEMERS, Fragment
from facilitatie.sessies.models import Sessie
from facilitatie.sessies.vormen import Fase


def casus_fragmenten(sessie: Sessie) -> dict[str, list[Fragment]]:
    """The casus card, the same for everyone in the kring."""
    html = render_template("leerkring/_casus_kaart.html", sessie=sessie, casus=lezen.casus_van(sessie))
    return {DEELNEMERS: [Fragment("#leerkring-casus", html)], BEGELEIDER: [Fragment("#leerkring-casus", html)]}


def bijdragen_fragmenten(sessie: Sessie, soort: str) -> dict[str, list[Fragment]]:
    """The vragen or reflecties: deelnemers read them, the begeleider can also remove one."""
    bijdragen = lezen.bijdragen_van(sessie, soort)
    doel = f"#leerkring-bijdragen-{soort}"
    uit: dict[str, list[Fragment]] = {}
    for audience, beheren in ((DEELNEMERS, False), (BEGELEIDER, True)):
        html = render_template(
            "leerkring/_bijdragen.html",
            sessie=sessie,
            soort=soort,
            bijdragen=bijdragen,
            beheren=beheren,
            csrf_value="",
        )
        uit[audience] = [Fragment(doel, html)]
    return uit


def evaluatie_fragmenten(sessie: Sessie) -> dict[str, list[Fragment]]:
    html = render_template(
        "leerkring/_evaluatie_uitslag.html",
        uitslag=lezen.evaluatie_uitslag(sessie.id),
        aantal_deelnemers=lezen.aantal_deelnemers(sessie),
    )
    fragment = Fragment("#leerkring-evaluatie-uitslag", html)
    return {DEELNEMERS: [fragment], BEGELEIDER: [fragment]}


def peiling_fragmenten(sessie: Sessie, fase: Fase) -> dict[str, list[Fragment]]:
    html = render_template(
        "leerkring/_peiling_uitslag.html",
        uitslag=lezen.peiling_uitslag(sessie, fase),
        aantal_deelnemers=lezen.aantal_deelnemers(sessie),
    )
    fragment = Fragment(f"#peiling-uitslag-{fase.key}", html)
    return {DEELNEMERS: [fragment], BEGELEIDER: [fragment]}


def vooruitblik_fragmenten(sessie: Sessie) -> dict[str, list[Fragment]]:
    html = render_template("leerkring/_vooruitblik.html", vooruitblik=lezen.vooruitblik_van(sessie))
    fragment = Fragment("#leerkring-vooruitblik", html)
    return {DEELNEMERS: [fragment], BEGELEIDER: [fragment]}
