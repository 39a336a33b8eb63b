"""The seam between the sessie and the areas: which panel each fase soort shows.

A deelnemer's werkruimte and the begeleider's paneel are rendered per person (they hold
their own votes, their own posts, forms with CSRF), so they are fetched over HTTP when the
fase changes; within a fase, areas push fragments into them through `realtime`.
Areas register a function per fase soort with the decorators below. A builder gets the
request's `staat` for its own area (what a refused form should show again, say), keyed by the
`gebied` it registered with, so no panel context travels through `flask.g`.

`begeleider_pagina` and `deelnemer_pagina` render the two whole pages of a live sessie; every
area's no-JavaScript answer renders them again with its own panel's staat.

The Scherm (the projector view) has a register of its own (`voor_scherm`): what the room sees
of a fase, the same for everyone in it, without controls and without anyone's name on an
anonymous post. It is rendered whole on each change (`scherm_inhoud`), so it needs no fragments.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import render_template
from markupsafe import Markup

from facilitatie import adres
from facilitatie.accounts.models import User
from facilitatie.accounts.rollen import mag_sessie_verwijderen
from facilitatie.sessies.lezen import deelnemers_per_perspectief, huidige_fase, vorm_van
from facilitatie.sessies.models import Deelnemer, Sessie, Status
from facilitatie.sessies.vormen import Fase


@dataclass(frozen=True)
class Paneel:
    """A template and its context, rendered inside the werkruimte or the begeleider's paneel."""

    template: str
    context: dict[str, Any] = field(default_factory=dict)


Staat = dict[str, Any]
DeelnemerBouwer = Callable[[Sessie, Fase | None, Deelnemer, Staat], Paneel | None]
BegeleiderBouwer = Callable[[Sessie, Fase | None, User, Staat], Paneel | None]
_voor_deelnemer: dict[str, list[tuple[str, DeelnemerBouwer]]] = {}
_voor_begeleider: dict[str, list[tuple[str, BegeleiderBouwer]]] = {}
SchermBouwer = Callable[[Sessie, Fase], Paneel | None]
_voor_scherm: dict[str, list[tuple[str, SchermBouwer]]] = {}


def _registreer(register: dict[str, list[tuple[str, Any]]], soorten: tuple[str, ...], gebied: str, bouwer: Any) -> None:
    for soort in soorten:
        lijst = register.setdefault(soort, [])
        if (gebied, bouwer) not in lijst:
            lijst.append((gebied, bouwer))


def voor_deelnemer(*soorten: str, gebied: str) -> Callable[[DeelnemerBouwer], DeelnemerBouwer]:
    """Register an area's panel builder for deelnemers in fasen of these soorten."""

    def register(bouwer: DeelnemerBouwer) -> DeelnemerBouwer:
        _registreer(_voor_deelnemer, soorten, gebied, bouwer)
        return bouwer

    return register


def voor_begeleider(*soorten: str, gebied: str) -> Callable[[BegeleiderBouwer], BegeleiderBouwer]:
    """Register an area's panel builder for the leading begeleider in fasen of these soorten."""

    def register(bouwer: BegeleiderBouwer) -> BegeleiderBouwer:
        _registreer(_voor_begeleider, soorten, gebied, bouwer)
        return bouwer

    return register


def voor_scherm(*soorten: str, gebied: str) -> Callable[[SchermBouwer], SchermBouwer]:
    """Register an area's part of the Scherm (the projector view) in live fasen of these soorten."""

    def register(bouwer: SchermBouwer) -> SchermBouwer:
        _registreer(_voor_scherm, soorten, gebied, bouwer)
        return bouwer

    return register


# Pseudo fase soort for a sessie in concept: areas may offer inbreng vooraf (fase is None then).
VOORAF = "vooraf"

# A fase can be over before the begeleider moves on (Stemmen sluiten): the area that knows
# says so in one line for deelnemers, shown instead of the fase's instruction.
FaseAfgerond = Callable[[Sessie], "str | None"]
_fase_afgerond: dict[str, FaseAfgerond] = {}


def fase_afgerond_als(soort: str) -> Callable[[FaseAfgerond], FaseAfgerond]:
    """Register the check that tells whether the work of a fase of this soort is done."""

    def registreer(check: FaseAfgerond) -> FaseAfgerond:
        _fase_afgerond[soort] = check
        return check

    return registreer


def fase_afgerond(sessie: Sessie) -> str | None:
    """The line that replaces the instruction of the current fase once its work is done, if any."""
    fase = huidige_fase(sessie)
    check = _fase_afgerond.get(fase.soort) if fase is not None and sessie.is_live else None
    return check(sessie) if check else None


def _soort(sessie: Sessie, fase: Fase | None) -> str | None:
    if sessie.status == Status.CONCEPT:
        return VOORAF
    if fase is None or not sessie.is_live:
        return None
    return fase.soort


def deelnemer_panelen(
    sessie: Sessie, fase: Fase | None, deelnemer: Deelnemer, staat: dict[str, Staat] | None = None
) -> list[Paneel]:
    staat = staat or {}
    bouwers = _voor_deelnemer.get(_soort(sessie, fase) or "", [])
    return [p for gebied, bouwer in bouwers if (p := bouwer(sessie, fase, deelnemer, staat.get(gebied, {})))]


def begeleider_panelen(
    sessie: Sessie, fase: Fase | None, user: User, staat: dict[str, Staat] | None = None
) -> list[Paneel]:
    staat = staat or {}
    bouwers = _voor_begeleider.get(_soort(sessie, fase) or "", [])
    return [p for gebied, bouwer in bouwers if (p := bouwer(sessie, fase, user, staat.get(gebied, {})))]


def render(panelen: list[Paneel], **common: Any) -> list[Markup]:
    """Render each panel with its own context plus the common one (sessie, ik, …)."""
    # Jinja autoescapes every template, so its output is safe HTML by construction.
    return [Markup(render_template(p.template, **{**common, **p.context})) for p in panelen]  # noqa: S704


def deelnemer_werkruimte(sessie: Sessie, ik: Deelnemer, staat: dict[str, Staat] | None = None) -> list[Markup]:
    """This deelnemer's panels for the current fase, rendered."""
    fase = huidige_fase(sessie)
    return render(deelnemer_panelen(sessie, fase, ik, staat), sessie=sessie, fase=fase, ik=ik)


def begeleider_paneel(sessie: Sessie, user: User, staat: dict[str, Staat] | None = None) -> list[Markup]:
    """The leading begeleider's panels for the current fase, rendered."""
    fase = huidige_fase(sessie)
    return render(begeleider_panelen(sessie, fase, user, staat), sessie=sessie, fase=fase, user=user)


def begeleider_pagina(
    sessie: Sessie, user: User, *, leidt: bool, staat: dict[str, Staat] | None = None, fout: bool = False
) -> str:
    """The begeleider's whole page of a sessie; staff of the gemeente read along without panels.

    `fout`: the page comes back with a refused form in it (its title then starts with "Fout:").
    """
    return render_template(
        "sessies/detail.html",
        fout_pagina=fout,
        sessie=sessie,
        vorm=vorm_van(sessie),
        leidt=leidt,
        mag_verwijderen=mag_sessie_verwijderen(user, sessie),
        deelnemers_per=deelnemers_per_perspectief(sessie.id),
        panelen=begeleider_paneel(sessie, user, staat) if leidt else [],
        join_url=adres.buiten_url("sessies.deelnemen", code=sessie.deelnamecode),
        alleen_deze_computer=adres.alleen_deze_computer(),
    )


def deelnemer_pagina(sessie: Sessie, ik: Deelnemer, staat: dict[str, Staat] | None = None, fout: bool = False) -> str:
    """The deelnemer's whole page of a live sessie (`fout`: with a refused form in it)."""
    return render_template(
        "sessies/deelnemer.html",
        fout_pagina=fout,
        fase_afgerond=fase_afgerond(sessie),
        sessie=sessie,
        vorm=vorm_van(sessie),
        ik=ik,
        panelen=deelnemer_werkruimte(sessie, ik, staat),
    )


def scherm_context(sessie: Sessie) -> dict[str, Any]:
    """What the Scherm shows now: the fase, its instruction, the areas' parts, how to join."""
    fase = huidige_fase(sessie) if sessie.is_live else None
    panelen: list[Paneel] = []
    if fase is not None:
        panelen = [p for _gebied, bouwer in _voor_scherm.get(fase.soort, []) if (p := bouwer(sessie, fase))]
    return {
        "sessie": sessie,
        "vorm": vorm_van(sessie),
        "fase": fase,
        "panelen": render(panelen, sessie=sessie, fase=fase, voor_scherm=True),
        # Joining is what the room needs before the start and in the welkom fase.
        "groot_deelnemen": sessie.status == Status.CONCEPT or (fase is not None and fase.soort == "welkom"),
        "join_url": adres.buiten_url("sessies.deelnemen"),
    }


def scherm_pagina(sessie: Sessie) -> str:
    """The whole Scherm page: big type, no controls, follows the sessie live."""
    return render_template("sessies/scherm.html", **scherm_context(sessie))


def scherm_inhoud(sessie: Sessie) -> str:
    """The Scherm's content, fetched again after every change the socket announces."""
    return render_template("sessies/_scherm.html", **scherm_context(sessie))
