"""Shared helpers for the signalen tests: a gemeente with two teams and its people, another gemeente."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import current_app

from facilitatie.extensions import db
from facilitatie.signalen import service


@dataclass
class Wereld:
    gemeente: Any
    noord: Any
    zuid: Any
    begeleider: Any
    beleid: Any
    wethouder: Any
    lid_noord: Any
    lid_zuid: Any
    andere: Any
    team_x: Any
    begeleider_x: Any
    lid_x: Any


def maak_wereld(factory) -> Wereld:
    gemeente = factory.gemeente("Vechtstede")
    noord = factory.team(gemeente, "Wijkteam Noord")
    zuid = factory.team(gemeente, "Wijkteam Zuid")
    andere = factory.gemeente("Anderdorp")
    team_x = factory.team(andere, "Wijkteam Anderdorp")
    return Wereld(
        gemeente=gemeente,
        noord=noord,
        zuid=zuid,
        begeleider=factory.user("begeleider", gemeente=gemeente, naam="Bea Begeleider"),
        beleid=factory.user("beleidsmedewerker", gemeente=gemeente, naam="Bart Beleid"),
        wethouder=factory.user("wethouder", gemeente=gemeente),
        lid_noord=factory.user("wijkteamlid", gemeente=gemeente, team=noord, naam="Noor Noord"),
        lid_zuid=factory.user("wijkteamlid", gemeente=gemeente, team=zuid),
        andere=andere,
        team_x=team_x,
        begeleider_x=factory.user("begeleider", gemeente=andere),
        lid_x=factory.user("wijkteamlid", gemeente=andere, team=team_x),
    )


def meld(w: Wereld, **velden: Any):
    """A signaal of Wijkteam Noord, reported by its member (overridable)."""
    standaard = {
        "gemeente_id": w.gemeente.id,
        "team_id": w.noord.id,
        "domein": "Wmo",
        "tekst": "De herindicatie voor een traplift duurt twaalf weken.",
        "anoniem": False,
        "bron": "signaal",
        "door": w.lid_noord,
    }
    with current_app.test_request_context("/"):
        knelpunt = service.melden(**{**standaard, **velden})
    db.session.expire_all()
    return knelpunt
