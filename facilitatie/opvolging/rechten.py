"""Who may see and change what in the opvolging: the permission matrix as plain Python.

The UI and the JSON API both ask these functions, so a token can never do more than
the person who made it. The gemeente is the wall: nobody sees another gemeente's data,
except the beheerder, who administers every gemeente and only reads.
"""

from __future__ import annotations

from typing import Protocol

from facilitatie.accounts.rollen import Rol


class HeeftGemeente(Protocol):
    gemeente_id: int


class Persoon(Protocol):
    id: int
    rol: str
    gemeente_id: int | None
    team_id: int | None


STAF = (Rol.BEGELEIDER, Rol.BELEIDSMEDEWERKER, Rol.WETHOUDER)
"""Roles that read everything of their own gemeente."""

BEWERKERS = (Rol.BEGELEIDER, Rol.BELEIDSMEDEWERKER)
"""Roles that may take besluiten and update any actie of their own gemeente."""


def ziet_alle_gemeenten(user: Persoon | None) -> bool:
    """The beheerder reads every gemeente (read-only); everyone else only their own."""
    return user is not None and user.rol == Rol.BEHEERDER


def ziet_gemeente(user: Persoon | None, gemeente_id: int) -> bool:
    """Staff of this gemeente (or a beheerder) may read its opvolging and dashboard."""
    if user is None:
        return False
    if ziet_alle_gemeenten(user):
        return True
    return user.rol in STAF and user.gemeente_id is not None and user.gemeente_id == gemeente_id


def kan_opvolging_zien(user: Persoon | None) -> bool:
    """Every signed-in role has an opvolging; a wijkteamlid's is limited to its own team."""
    return user is not None and user.rol in (*STAF, Rol.BEHEERDER, Rol.WIJKTEAMLID)


def kan_dashboard_zien(user: Persoon | None) -> bool:
    """Wethouder, beleidsmedewerker and begeleider (and the beheerder) see the dashboard."""
    return user is not None and user.rol in (*STAF, Rol.BEHEERDER)


def kan_besluiten(user: Persoon | None, gemeente_id: int) -> bool:
    """Begeleiders and beleidsmedewerkers of the sessie's gemeente record besluiten."""
    return (
        user is not None and user.rol in BEWERKERS and user.gemeente_id is not None and user.gemeente_id == gemeente_id
    )


def kan_besluiten_in(user: Persoon | None, sessie: HeeftGemeente) -> bool:
    """kan_besluiten for the gemeente of this sessie (the shape the load-and-check helpers take)."""
    return kan_besluiten(user, sessie.gemeente_id)


def ziet_actie(user: Persoon | None, gemeente_id: int, eigenaar_id: int | None, team_ids: set[int | None]) -> bool:
    """Staff of the gemeente and the beheerder; a wijkteamlid when it owns the actie or its team raised a knelpunt."""
    if user is None:
        return False
    if ziet_gemeente(user, gemeente_id):
        return True
    if user.rol == Rol.WIJKTEAMLID and user.gemeente_id == gemeente_id:
        return user.id == eigenaar_id or (user.team_id is not None and user.team_id in team_ids)
    return False


def kan_actie_bijwerken(user: Persoon | None, gemeente_id: int, eigenaar_id: int | None) -> bool:
    """The eigenaar, and begeleiders and beleidsmedewerkers of the gemeente; never the wethouder."""
    if user is None or user.rol == Rol.WETHOUDER or user.gemeente_id != gemeente_id:
        return False
    return user.id == eigenaar_id or user.rol in BEWERKERS


def kan_terugkoppeling_zien(user: Persoon | None, team_id: int, team_gemeente_id: int) -> bool:
    """Wijkteamleden of that team; staff of its gemeente; the beheerder."""
    if user is None:
        return False
    if user.rol == Rol.WIJKTEAMLID:
        return user.team_id == team_id
    return ziet_gemeente(user, team_gemeente_id)


def ziet_gevonden_ruimte(user: Persoon | None, gemeente_id: int) -> bool:
    """Every signed-in role of the gemeente (wijkteamleden of every team too) reads its Gevonden ruimte.

    The point of the register is that one team's discovery reaches the others, so unlike the
    opvolging it is not limited to one's own team; the gemeente stays the wall.
    """
    if user is None:
        return False
    if ziet_alle_gemeenten(user) and user.gemeente_id is None:
        return True
    return user.gemeente_id is not None and user.gemeente_id == gemeente_id
