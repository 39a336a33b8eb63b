"""Domain rules for the opvolging (follow-up tracker), free of Flask and the database.

Routes, forms and the dashboard all ask these functions, so a rule such as
"niet opgepakt needs a reden" or "afgerond cannot jump to vervallen" lives in
exactly one place and is tested without a request or a session.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

MAX_TEKST = 2000
"""Longest reden/toelichting we store; longer text is an essay, not a besluit."""

MAX_DOORVERWEZEN_NAAR = 200
"""Longest 'doorverwezen naar' (a name of a person, team or organisation)."""

MAX_OMSCHRIJVING = 500
"""Longest actie omschrijving: an actie is small and concrete."""

MAX_AFDELING = 120
MAX_REEKSNAAM = 120


# --------------------------------------------------------------------------- besluit


class Besluitsoort(StrEnum):
    """What happens to a knelpunt; stored as its value, shown via BESLUIT_LABELS."""

    OPGEPAKT = "opgepakt"
    NIET_OPGEPAKT = "niet_opgepakt"
    DOORVERWEZEN = "doorverwezen"
    AL_OPGELOST = "al_opgelost"


BESLUIT_LABELS: dict[Besluitsoort, str] = {
    Besluitsoort.OPGEPAKT: "Opgepakt",
    Besluitsoort.NIET_OPGEPAKT: "Niet opgepakt",
    Besluitsoort.DOORVERWEZEN: "Doorverwezen",
    Besluitsoort.AL_OPGELOST: "Al opgelost",
}


class OngeldigBesluit(ValueError):
    """A besluit the form must refuse; `veld` says which field to mark in the UI."""

    def __init__(self, veld: str, bericht: str) -> None:
        super().__init__(bericht)
        self.veld = veld
        self.bericht = bericht


_VERPLICHT_VELD: dict[Besluitsoort, tuple[str, str]] = {
    Besluitsoort.NIET_OPGEPAKT: (
        "reden",
        "Geef een reden waarom dit knelpunt niet wordt opgepakt.",
    ),
    Besluitsoort.DOORVERWEZEN: (
        "doorverwezen_naar",
        "Geef aan naar wie of welke organisatie dit knelpunt is doorverwezen.",
    ),
    Besluitsoort.AL_OPGELOST: (
        "toelichting",
        "Licht toe hoe dit knelpunt al is opgelost.",
    ),
}
"""Per soort the one field that makes the besluit accountable to the wijkteam."""

_MAXIMA: tuple[tuple[str, str, int], ...] = (
    ("reden", "De reden", MAX_TEKST),
    ("doorverwezen_naar", "Doorverwezen naar", MAX_DOORVERWEZEN_NAAR),
    ("toelichting", "De toelichting", MAX_TEKST),
)


def controleer_besluit(soort: str, reden: str, doorverwezen_naar: str, toelichting: str) -> Besluitsoort:
    """Check a besluit as entered and return its soort, or raise OngeldigBesluit.

    Text is judged after trimming, so a reden of only spaces counts as missing:
    the wijkteam must always be able to read *why* (terugkoppeling). Fields that
    a soort does not require are optional, but still bounded in length.
    """
    try:
        besluitsoort = Besluitsoort((soort or "").strip())
    except ValueError:
        raise OngeldigBesluit(
            "soort",
            "Kies een besluit: Opgepakt, Niet opgepakt, Doorverwezen of Al opgelost.",
        ) from None

    waarden = {
        "reden": (reden or "").strip(),
        "doorverwezen_naar": (doorverwezen_naar or "").strip(),
        "toelichting": (toelichting or "").strip(),
    }

    verplicht = _VERPLICHT_VELD.get(besluitsoort)
    if verplicht is not None:
        veld, bericht = verplicht
        if not waarden[veld]:
            raise OngeldigBesluit(veld, bericht)

    for veld, naam, maximum in _MAXIMA:
        if len(waarden[veld]) > maximum:
            raise OngeldigBesluit(veld, f"{naam} is te lang: hoogstens {maximum} tekens.")

    return besluitsoort


# --------------------------------------------------------------------------- actiestatus


class Actiestatus(StrEnum):
    """Status of an actie; 'te laat' is deliberately not a status but derived."""

    OPEN = "open"
    IN_UITVOERING = "in_uitvoering"
    AFGEROND = "afgerond"
    VERVALLEN = "vervallen"


STATUS_LABELS: dict[Actiestatus, str] = {
    Actiestatus.OPEN: "Open",
    Actiestatus.IN_UITVOERING: "In uitvoering",
    Actiestatus.AFGEROND: "Afgerond",
    Actiestatus.VERVALLEN: "Vervallen",
}

AFGESLOTEN: frozenset[Actiestatus] = frozenset({Actiestatus.AFGEROND, Actiestatus.VERVALLEN})
"""Statuses in which an actie needs no more work, so it can never be te laat."""


@dataclass(frozen=True)
class Overgang:
    """One allowed status change: its button label and whether a reden is required."""

    reden_verplicht: bool
    label: str


_A = Actiestatus

OVERGANGEN: dict[tuple[Actiestatus, Actiestatus], Overgang] = {
    # Forward towards done: no reden needed, progress explains itself.
    (_A.OPEN, _A.IN_UITVOERING): Overgang(reden_verplicht=False, label="Starten"),
    (_A.OPEN, _A.AFGEROND): Overgang(reden_verplicht=False, label="Afronden"),
    (_A.IN_UITVOERING, _A.AFGEROND): Overgang(reden_verplicht=False, label="Afronden"),
    # Dropping an afspraak: the wijkteam is owed an explanation.
    (_A.OPEN, _A.VERVALLEN): Overgang(reden_verplicht=True, label="Laten vervallen"),
    (_A.IN_UITVOERING, _A.VERVALLEN): Overgang(reden_verplicht=True, label="Laten vervallen"),
    # Going back: work stalled or was closed too early; say why, so the
    # dashboard history stays readable.
    (_A.IN_UITVOERING, _A.OPEN): Overgang(reden_verplicht=True, label="Terugzetten naar open"),
    (_A.AFGEROND, _A.IN_UITVOERING): Overgang(reden_verplicht=True, label="Heropenen"),
    (_A.VERVALLEN, _A.OPEN): Overgang(reden_verplicht=True, label="Heropenen"),
}
"""THE table of allowed transitions; every pair not listed (also same → same) is refused.

Rule of thumb: moving forward needs no reden; dropping, stepping back or
heropenen does. A closed actie (afgerond/vervallen) only leaves via heropenen.
"""

del _A


class OngeldigeOvergang(ValueError):
    """A status change the tracker refuses; `bericht` is shown to the user as is."""

    def __init__(self, bericht: str) -> None:
        super().__init__(bericht)
        self.bericht = bericht


def _als_status(waarde: str) -> Actiestatus:
    """Parse a status, turning a bad value into a Dutch OngeldigeOvergang."""
    try:
        return Actiestatus(waarde)
    except ValueError:
        raise OngeldigeOvergang(f"Onbekende status: '{waarde}'.") from None


def controleer_overgang(van: str, naar: str, reden: str) -> Overgang:
    """Return the Overgang for van → naar, or raise OngeldigeOvergang explaining why not.

    The reden is judged after trimming and bounded like any other free text.
    """
    van_status = _als_status(van)
    naar_status = _als_status(naar)

    overgang = OVERGANGEN.get((van_status, naar_status))
    if overgang is None:
        van_label = STATUS_LABELS[van_status]
        naar_label = STATUS_LABELS[naar_status]
        if van_status == naar_status:
            raise OngeldigeOvergang(f"De actie heeft al status {van_label}.")
        bericht = f"Een actie met status {van_label} kan niet naar {naar_label}."
        if van_status in AFGESLOTEN:
            bericht += " Heropen haar eerst."
        raise OngeldigeOvergang(bericht)

    schoon = (reden or "").strip()
    if overgang.reden_verplicht and not schoon:
        raise OngeldigeOvergang(
            f"Geef een reden: '{overgang.label}' "
            f"({STATUS_LABELS[van_status]} → {STATUS_LABELS[naar_status]}) "
            "kan niet zonder reden."
        )
    if len(schoon) > MAX_TEKST:
        raise OngeldigeOvergang(f"De reden is te lang: hoogstens {MAX_TEKST} tekens.")
    return overgang


def toegestane_overgangen(van: str) -> list[tuple[Actiestatus, Overgang]]:
    """The buttons to offer for an actie in status `van`, in table order."""
    van_status = _als_status(van)
    return [(naar, overgang) for (bron, naar), overgang in OVERGANGEN.items() if bron == van_status]


# --------------------------------------------------------------------------- tijd


def is_te_laat(status: str, streefdatum: date | None, vandaag: date) -> bool:
    """True when the streefdatum has passed and the actie is not afgerond or vervallen.

    `vandaag` is passed in (not read from the clock) so the dashboard and tests
    agree on what day it is. On the streefdatum itself an actie is still on time.
    """
    if streefdatum is None:
        return False
    if Actiestatus(status) in AFGESLOTEN:
        return False
    return streefdatum < vandaag


def dagen_tussen(begin: datetime, eind: datetime | None) -> float | None:
    """Days from begin to eind (e.g. knelpunt → besluit), or None while still pending.

    Negative spans (clock skew, imported data) are clamped to 0 so one bad row
    cannot drag a mediaan below zero.
    """
    if eind is None:
        return None
    return max(0.0, (eind - begin).total_seconds() / 86400)


def mediaan_dagen(waarden: Iterable[float | None]) -> float | None:
    """Median of the known durations, ignoring pending (None); None if none known.

    The median, not the mean, because one knelpunt that lingered for a year
    should not hide that most get a besluit within weeks.
    """
    bekend = [w for w in waarden if w is not None]
    if not bekend:
        return None
    return float(statistics.median(bekend))
