"""The kinds of mail an account can ask for, and who may ask for which: plain Python, no Flask."""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum
from typing import Protocol

from facilitatie.accounts.rollen import Rol


class Soort(StrEnum):
    """One switch on the "Meldingen per e-mail" page; a mail belongs to exactly one."""

    TERUGKOPPELING = "terugkoppeling"  # a knelpunt of my team got a besluit, its actie moved
    STREEFDATUM = "streefdatum"  # my actie's streefdatum is near or past
    MAANDSTAND = "maandstand"  # the monthly "stand van de opvolging" (wethouder)
    SIGNALEN = "signalen"  # new signalen in my gemeente's inbox, bundled daily (begeleider, beleid)


SOORT_LABELS: dict[str, str] = {
    Soort.TERUGKOPPELING: "Besluiten en acties over knelpunten van mijn team",
    Soort.STREEFDATUM: "Herinneringen bij de streefdatum van mijn acties",
    Soort.MAANDSTAND: "Maandelijkse stand van de opvolging",
    Soort.SIGNALEN: "Dagelijks overzicht van nieuwe signalen",
}

SOORT_UITLEG: dict[str, str] = {
    Soort.TERUGKOPPELING: "Een mail als een knelpunt van je team een besluit krijgt "
    "of de status van een actie verandert.",
    Soort.STREEFDATUM: "Een mail een week voor de streefdatum van een actie waarvan je eigenaar bent, en als die "
    "voorbij is terwijl de actie nog loopt.",
    Soort.MAANDSTAND: "Begin van elke maand de cijfers van het dashboard over de vorige maand.",
    Soort.SIGNALEN: "Eén mail per dag als er nieuwe signalen voor je gemeente zijn binnengekomen, "
    "met een link naar de binnengekomen signalen. Geen nieuwe signalen, geen mail.",
}

# Days before the streefdatum that the eigenaar hears of it.
DAGEN_VOORAF = 7

# The signalen digest looks back at most this far: an older signaal is no news, the inbox has it.
DIGEST_TERUG = timedelta(days=7)
# ... and stops this long before it runs: a signaal being stored at that moment is in the next one.
DIGEST_MARGE = timedelta(minutes=5)


class Account(Protocol):
    rol: str
    gemeente_id: int | None
    team_id: int | None


def soorten_voor(user: Account) -> list[Soort]:
    """The kinds of mail that can reach this account at all (the page offers only these)."""
    soorten: list[Soort] = []
    if user.team_id is not None:
        soorten.append(Soort.TERUGKOPPELING)
    if user.gemeente_id is not None and user.rol in (Rol.BELEIDSMEDEWERKER, Rol.BEGELEIDER, Rol.WIJKTEAMLID):
        soorten.append(Soort.STREEFDATUM)
    if user.gemeente_id is not None and user.rol == Rol.WETHOUDER:
        soorten.append(Soort.MAANDSTAND)
    if user.gemeente_id is not None and user.rol in (Rol.BEGELEIDER, Rol.BELEIDSMEDEWERKER):
        soorten.append(Soort.SIGNALEN)  # the roles that work the signalen inbox
    return soorten


def vorige_maand(vandaag: date) -> tuple[date, date]:
    """First and last day of the month before `vandaag`'s month."""
    laatste = vandaag.replace(day=1) - timedelta(days=1)
    return laatste.replace(day=1), laatste


# The mail outbox's back-off (meldingen.verzenden gives it to facilitatie.bezorging, without jitter).
TERUGVAL_BASIS = timedelta(minutes=1)
TERUGVAL_MAXIMUM = timedelta(hours=6)


def wachttijd(pogingen: int) -> timedelta:
    """Back-off before the next attempt after `pogingen` failed ones: 1, 2, 4, … minutes, at most 6 hours
    (the doubling `bezorging.Terugval.wacht` applies with these two values)."""
    return min(TERUGVAL_MAXIMUM, TERUGVAL_BASIS * 2 ** max(0, pogingen - 1))
