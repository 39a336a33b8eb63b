"""Roles, perspectives and the permission rules: plain Python, unit tested without Flask."""

from __future__ import annotations

from enum import StrEnum
from typing import Protocol


class Rol(StrEnum):
    BEHEERDER = "beheerder"
    BEGELEIDER = "begeleider"
    BELEIDSMEDEWERKER = "beleidsmedewerker"
    WIJKTEAMLID = "wijkteamlid"
    WETHOUDER = "wethouder"


ROL_LABELS: dict[str, str] = {
    Rol.BEHEERDER: "Beheerder",
    Rol.BEGELEIDER: "Begeleider",
    Rol.BELEIDSMEDEWERKER: "Beleidsmedewerker",
    Rol.WIJKTEAMLID: "Wijkteamlid",
    Rol.WETHOUDER: "Wethouder",
}


class Perspectief(StrEnum):
    UITVOERING = "uitvoering"
    BELEID = "beleid"
    ANDERS = "anders"


PERSPECTIEF_LABELS: dict[str, str] = {
    Perspectief.UITVOERING: "Uitvoering",
    Perspectief.BELEID: "Beleid",
    Perspectief.ANDERS: "Anders",
}

# An account's role implies a perspective, so a signed-in deelnemer is not asked again.
PERSPECTIEF_VAN_ROL: dict[str, str] = {
    Rol.WIJKTEAMLID: Perspectief.UITVOERING,
    Rol.BELEIDSMEDEWERKER: Perspectief.BELEID,
    Rol.WETHOUDER: Perspectief.BELEID,
}


class HeeftRol(Protocol):
    id: int
    rol: str
    gemeente_id: int | None


class HeeftBegeleider(Protocol):
    begeleider_id: int | None
    gemeente_id: int


def kan_sessie_aanmaken(user: HeeftRol | None) -> bool:
    """Only begeleiders (and beheerders, who set things up) prepare sessies."""
    return user is not None and user.rol in (Rol.BEGELEIDER, Rol.BEHEERDER)


def leidt_sessie(user: HeeftRol | None, sessie: HeeftBegeleider) -> bool:
    """Only the sessie's own begeleider moves it on; nobody else, not even a beheerder."""
    return user is not None and user.id == sessie.begeleider_id


def kan_sessie_bekijken(user: HeeftRol | None, sessie: HeeftBegeleider) -> bool:
    """The leading begeleider, a beheerder, and staff of the same gemeente may read a sessie."""
    if user is None:
        return False
    if leidt_sessie(user, sessie) or user.rol == Rol.BEHEERDER:
        return True
    return (
        user.gemeente_id is not None
        and user.gemeente_id == sessie.gemeente_id
        and user.rol
        in (
            Rol.BEGELEIDER,
            Rol.BELEIDSMEDEWERKER,
            Rol.WETHOUDER,
        )
    )


def ziet_sessielijst(user: HeeftRol | None) -> bool:
    """/sessies: begeleiders and beheerders their own; beleid and the wethouder those of their gemeente."""
    return user is not None and user.rol in (Rol.BEGELEIDER, Rol.BEHEERDER, Rol.BELEIDSMEDEWERKER, Rol.WETHOUDER)


# The main menu per role: (label, endpoint). One list, so every role finds its own work and
# the header shows nothing that would answer 403.
MENU: dict[str, tuple[tuple[str, str], ...]] = {
    Rol.BEGELEIDER: (
        ("Sessies", "sessies.lijst"),
        ("Signalen", "signalen.inbox"),
        ("Opvolging", "opvolging.opvolging"),
        ("Dashboard", "opvolging.dashboard"),
        ("Gevonden ruimte", "opvolging.gevonden_ruimte"),
    ),
    Rol.BELEIDSMEDEWERKER: (
        ("Sessies", "sessies.lijst"),
        ("Signalen", "signalen.inbox"),
        ("Opvolging", "opvolging.opvolging"),
        ("Dashboard", "opvolging.dashboard"),
        ("Gevonden ruimte", "opvolging.gevonden_ruimte"),
    ),
    Rol.WETHOUDER: (
        ("Dashboard", "opvolging.dashboard"),
        ("Opvolging", "opvolging.opvolging"),
        ("Signalen", "signalen.inbox"),
        ("Sessies", "sessies.lijst"),
        ("Gevonden ruimte", "opvolging.gevonden_ruimte"),
    ),
    Rol.WIJKTEAMLID: (
        ("Terugkoppeling", "opvolging.terugkoppeling_team"),
        ("Signaal melden", "signalen.nieuw"),
        ("Opvolging", "opvolging.opvolging"),
        ("Gevonden ruimte", "opvolging.gevonden_ruimte"),
    ),
    Rol.BEHEERDER: (
        ("Beheer", "beheer.overzicht"),
        ("Uitgaande mail", "meldingen.uitgaand"),
        ("Sessies", "sessies.lijst"),
        ("Opvolging", "opvolging.opvolging"),
        ("Dashboard", "opvolging.dashboard"),
        ("Gevonden ruimte", "opvolging.gevonden_ruimte"),
    ),
}


def is_beheerder(user: HeeftRol | None) -> bool:
    """Beheerders manage gemeenten, teams and accounts."""
    return user is not None and user.rol == Rol.BEHEERDER


def beheert_account(beheerder: HeeftRol | None, account: HeeftRol) -> bool:
    """A beheerder without a gemeente manages every account; one bound to a gemeente only its own."""
    if not is_beheerder(beheerder):
        return False
    assert beheerder is not None
    return beheerder.gemeente_id is None or beheerder.gemeente_id == account.gemeente_id


def beheert_gemeente(beheerder: HeeftRol | None, gemeente_id: int | None) -> bool:
    """Whether this beheerder's logboek and lists include what concerns `gemeente_id`."""
    if not is_beheerder(beheerder):
        return False
    assert beheerder is not None
    return beheerder.gemeente_id is None or beheerder.gemeente_id == gemeente_id


def mag_sessie_verwijderen(user: HeeftRol | None, sessie: HeeftBegeleider) -> bool:
    """Its own begeleider, or a beheerder of its gemeente (or of all gemeenten)."""
    return leidt_sessie(user, sessie) or beheert_gemeente(user, sessie.gemeente_id)


def beheert_perspectieven(user: HeeftRol | None, gemeente_id: int | None) -> bool:
    """A gemeente's perspectives: its beheerder (or one of all gemeenten) and its own begeleiders."""
    if user is None or gemeente_id is None:
        return False
    if user.rol == Rol.BEGELEIDER:
        return user.gemeente_id == gemeente_id
    return beheert_gemeente(user, gemeente_id)
