"""Checks on what a person types that every area shares: no BSN in a short field.

Longer texts have the privacy guard with its 'Toch …' choice (knelpunten/invoer.py,
opvolging/service.py, verwachtingen/service.py). Short fields have no such choice
(a sessie titel, a deelnemer's naam, a reeks or token naam, beheer's names): there a
BSN is refused, and so is a number that may be one, since nobody types a nine-digit
number that passes the 11-proef into a name. Other client data is not refused here:
these fields are names, and the guard's other warnings would have no 'Toch' to answer.
The guard scans a normalised copy; what is stored is what the person typed.
"""

from __future__ import annotations

from facilitatie import privacy
from facilitatie.fouten import Ongeldig


class PrivacyBlokkade(Ongeldig):
    """The text holds a BSN: never stored."""


ZONDER_TOCH = (
    "Dit lijkt een burgerservicenummer (9 cijfers die de elfproef halen). Laat het weg: "
    "in dit veld kan het niet toch worden opgeslagen."
)


def geen_bsn(veld: str, tekst: str) -> None:
    """For short fields without a 'Toch …' choice: refuse a BSN, and also a number that may be one."""
    uitslag = privacy.scan(tekst)
    if uitslag.blokkeren:
        raise PrivacyBlokkade(veld, uitslag.melding())
    if any(b.soort == "bsn_mogelijk" for b in uitslag.waarschuwingen):
        raise PrivacyBlokkade(veld, ZONDER_TOCH)
