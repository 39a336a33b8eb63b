"""Plain rules of the leerkring and the peiling: one word, protected figures, word clouds, trends.

No Flask and no database: the figures a group sees are computed here from plain lists, so the
suppression of small groups (fewer than three answers: nothing shown) is tested on its own.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass

from facilitatie.fouten import Ongeldig

MIN_GROEP = 3
SCHAAL = (1, 2, 3, 4, 5)
MAX_WOORD = 30
WOLK_GROOTTES = 5

# One word: letters (any script), digits, and a hyphen or apostrophe inside ("ont-moeten", "zo'n").
_WOORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")


def een_woord(tekst: str | None, veld: str = "woord", *, verplicht: bool = True) -> str | None:
    """The one word someone typed, trimmed and in lower case; a sentence or a number is refused."""
    woord = (tekst or "").strip().strip(".,!?;:").strip()
    if not woord:
        if verplicht:
            raise Ongeldig(veld, "Vul één woord in.")
        return None
    if len(woord) > MAX_WOORD:
        raise Ongeldig(veld, f"Gebruik één woord van hoogstens {MAX_WOORD} tekens.")
    if not _WOORD.fullmatch(woord):
        raise Ongeldig(veld, "Vul één woord in, zonder spaties of leestekens.")
    if woord.isdigit():
        raise Ongeldig(veld, "Vul een woord in, geen getal.")
    return woord.casefold()


def cijfer(waarde: str | int | None, veld: str = "cijfer", *, wat: str = "een cijfer") -> int:
    """A 1–5 answer as the form sends it; anything else is refused in Dutch."""
    try:
        getal = int(str(waarde).strip())
    except (TypeError, ValueError):
        raise Ongeldig(veld, f"Kies {wat} van 1 tot en met 5.") from None
    if getal not in SCHAAL:
        raise Ongeldig(veld, f"Kies {wat} van 1 tot en met 5.")
    return getal


@dataclass(frozen=True)
class Schaaluitslag:
    """What a group sees of 1–5 answers: nothing below MIN_GROEP answers but how many there are."""

    aantal: int
    gemiddelde: float | None = None
    verdeling: tuple[tuple[int, int], ...] = ()

    @property
    def zichtbaar(self) -> bool:
        return self.gemiddelde is not None


def schaal(waarden: list[int], min_groep: int = MIN_GROEP) -> Schaaluitslag:
    """Mean and distribution of 1–5 answers, hidden while fewer than `min_groep` answered."""
    if len(waarden) < max(min_groep, MIN_GROEP):
        return Schaaluitslag(len(waarden))
    telling = Counter(waarden)
    return Schaaluitslag(
        len(waarden),
        round(statistics.fmean(waarden), 1),
        tuple((w, telling.get(w, 0)) for w in SCHAAL),
    )


@dataclass(frozen=True)
class Wolkwoord:
    """One word of a word cloud: how often it was given and its size class (1 small to 5 large)."""

    woord: str
    aantal: int
    grootte: int


def woordwolk(woorden: list[str], min_groep: int = MIN_GROEP, maximaal: int = 40) -> list[Wolkwoord] | None:
    """The words given, most frequent first, sized by frequency; None while too few answered."""
    if len(woorden) < max(min_groep, MIN_GROEP):
        return None
    telling = Counter(woorden).most_common(maximaal)
    meest = telling[0][1] if telling else 1
    wolk = [
        Wolkwoord(woord, aantal, 1 + round((aantal - 1) / max(meest - 1, 1) * (WOLK_GROOTTES - 1)))
        for woord, aantal in telling
    ]
    # Alphabetical reads calmer on a screen than a ranking; the size carries the frequency.
    return sorted(wolk, key=lambda w: w.woord)


def getal(waarde: float | None) -> str:
    """A mean in Dutch notation ('3,4'), or '—' when not shown."""
    if waarde is None:
        return "—"
    return f"{waarde:.1f}".replace(".", ",")
