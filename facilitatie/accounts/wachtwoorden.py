"""Which passwords are accepted: long enough and not on a list of common or leaked ones.

As the NCSC advises (and NIST SP 800-63B): a minimum length instead of composition rules, and a
check against passwords attackers try first. The list ships with the project
(`wachtwoordlijst/veelgebruikt.txt.gz`, origin and licence in its README). A password is also
refused when it is a listed word with digits or punctuation around it ('Welkom2026!!',
'wachtwoord-123456'), when it is a run along the keyboard or the digits ('123456789012'), or
when it uses fewer than five different characters ('121212121212').
Pure rules: no Flask, no database.
"""

from __future__ import annotations

import functools
import gzip
from pathlib import Path

MIN_WACHTWOORD = 12
MAX_WACHTWOORD = 200
MIN_VERSCHILLEND = 5
LIJST = Path(__file__).with_name("wachtwoordlijst") / "veelgebruikt.txt.gz"
# Rows people slide along: a password that is a piece of one is guessed first ('123456789012').
_REEKSEN = (
    "0123456789" * 3,
    "9876543210" * 3,
    "abcdefghijklmnopqrstuvwxyz",
    "zyxwvutsrqponmlkjihgfedcba",
    "qwertyuiopasdfghjklzxcvbnm",
    "azertyuiopqsdfghjklmwxcvbn",
    "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p",
)
_RAND = "0123456789!@#$%^&*()-_=+.,;:?/\\|'\"`~[]{}<> "

TE_KORT = f"Een wachtwoord heeft minstens {MIN_WACHTWOORD} tekens."
TE_LANG = f"Een wachtwoord heeft hoogstens {MAX_WACHTWOORD} tekens."
VEELGEBRUIKT = (
    "Dit wachtwoord staat op een lijst van veelgebruikte of uitgelekte wachtwoorden. Kies een ander, "
    "bijvoorbeeld een zin van een paar woorden."
)
EENTONIG = (
    "Dit wachtwoord herhaalt te weinig verschillende tekens. Kies een ander, bijvoorbeeld een zin van een paar woorden."
)


@functools.cache
def veelgebruikt() -> frozenset[str]:
    """The shipped list, lowercased (read once)."""
    with gzip.open(LIJST, "rt", encoding="utf-8") as lijst:
        return frozenset(regel.strip() for regel in lijst if regel.strip())


def bezwaar(wachtwoord: str) -> str | None:
    """The Dutch reason this password is refused, or None when it is accepted."""
    if len(wachtwoord) < MIN_WACHTWOORD:
        return TE_KORT
    if len(wachtwoord) > MAX_WACHTWOORD:
        return TE_LANG
    klein = wachtwoord.lower()
    lijst = veelgebruikt()
    kern = klein.strip(_RAND)
    if klein in lijst or klein.strip() in lijst or (kern and kern in lijst):
        return VEELGEBRUIKT
    if any(klein in reeks for reeks in _REEKSEN):
        return VEELGEBRUIKT
    if len(set(klein)) < MIN_VERSCHILLEND:
        return EENTONIG
    return None
