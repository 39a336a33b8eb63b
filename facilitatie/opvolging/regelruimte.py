"""Regelruimte: where a knelpunt's knel sits and who can resolve it, and 'ruimte die er al was'.

Plain Python, free of Flask and the database: the forms, the service, the dashboard and
the verslag all take their labels and checks from here, so "Waar zit de knel?" means the
same thing on every page and in every export (GLOSSARY: regelruimte, gevonden ruimte).
"""

from __future__ import annotations

from enum import StrEnum

MAX_RUIMTE = 1000
"""Longest description of the room that was found: a short, reusable lesson, not a report."""

MIN_RUIMTE = 10
"""Shortest useful description: other teams must be able to act on it without the knelpunt."""


class Knel(StrEnum):
    """Where the knel sits; stored as its value, shown via KNEL_LABELS."""

    RIJK = "rijk"
    LOKAAL = "lokaal"
    WERKINSTRUCTIE = "werkinstructie"
    INTERPRETATIE = "interpretatie"
    CAPACITEIT = "capaciteit"
    SAMENWERKING = "samenwerking"


KNEL_LABELS: dict[str, str] = {
    Knel.RIJK: "Wet- en regelgeving van het Rijk",
    Knel.LOKAAL: "Lokale regel of verordening",
    Knel.WERKINSTRUCTIE: "Werkinstructie of proces",
    Knel.INTERPRETATIE: "Interpretatie",
    Knel.CAPACITEIT: "Capaciteit of middelen",
    Knel.SAMENWERKING: "Samenwerking",
}


class Oplosser(StrEnum):
    """Who can resolve the knel; stored as its value, shown via OPLOSSER_LABELS."""

    TEAM = "team"
    GEMEENTE = "gemeente"
    REGIO = "regio"
    RIJK = "rijk"
    AANBIEDER = "aanbieder"


OPLOSSER_LABELS: dict[str, str] = {
    Oplosser.TEAM: "Team zelf",
    Oplosser.GEMEENTE: "Gemeente",
    Oplosser.REGIO: "Regio",
    Oplosser.RIJK: "Rijk",
    Oplosser.AANBIEDER: "Aanbieder",
}

ONBEKEND = "Nog niet bepaald"
"""The label of knelpunten without regelruimte in the dashboard and verslag."""


class OngeldigeRegelruimte(ValueError):
    """Input the form must refuse; `veld` says which field to mark in the UI."""

    def __init__(self, veld: str, bericht: str) -> None:
        super().__init__(bericht)
        self.veld = veld
        self.bericht = bericht


def controleer_regelruimte(knel: str | None, oplosser: str | None) -> tuple[Knel, Oplosser]:
    """Both answers are required and must be one of the listed choices (no free text: they are counted)."""
    try:
        knel_ = Knel((knel or "").strip())
    except ValueError:
        raise OngeldigeRegelruimte("knel", "Kies waar de knel zit.") from None
    try:
        oplosser_ = Oplosser((oplosser or "").strip())
    except ValueError:
        raise OngeldigeRegelruimte("oplosser", "Kies wie het kan oplossen.") from None
    return knel_, oplosser_


def controleer_ruimte(omschrijving: str | None, heeft_besluit: bool) -> str:
    """The description of the room that was already there, trimmed; only on a knelpunt with a besluit.

    The register is read by other teams without the knelpunt itself (which may be anonymous
    or about one inwoner), so the description must stand on its own.
    """
    if not heeft_besluit:
        raise OngeldigeRegelruimte("omschrijving", "Neem eerst een besluit over dit knelpunt.")
    schoon = (omschrijving or "").strip()
    if not schoon:
        raise OngeldigeRegelruimte(
            "omschrijving", "Beschrijf welke ruimte er al was, zodat andere teams er iets mee kunnen."
        )
    if len(schoon) < MIN_RUIMTE:
        raise OngeldigeRegelruimte(
            "omschrijving", f"Beschrijf de ruimte iets uitgebreider: minstens {MIN_RUIMTE} tekens."
        )
    if len(schoon) > MAX_RUIMTE:
        raise OngeldigeRegelruimte("omschrijving", f"De omschrijving is te lang: hoogstens {MAX_RUIMTE} tekens.")
    return schoon


def zoekwoorden(zoek: str | None, maximum: int = 8) -> list[str]:
    """The words of a search in the register (all must match), bounded so a pasted essay stays cheap."""
    woorden = [w for w in (zoek or "").lower().split() if w][:maximum]
    return [w[:60] for w in woorden]
