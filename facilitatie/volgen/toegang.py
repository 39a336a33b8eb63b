"""Who may try a volglink: a limit on wrong tokens per address, checked before any lookup.

A token has 256 bits, so guessing one is hopeless anyway; the limit keeps a scanner from
hammering the database and the logs. Only a token that opens nothing counts (`VOLG_LIMIT`,
default 30 per 10 minutes per address): a deelnemer who opens their own link a hundred times
is never refused. The refusal is decided before the token is looked at, so it tells nothing
about whether a knelpunt exists.
"""

from __future__ import annotations

from flask import current_app

from facilitatie import limieten
from facilitatie.limieten import Weigering, wachttijd, wachttijd_tekst

_SOORT = "volg-adres"


def voor_poging(adres: str | None) -> Weigering | None:
    """A refusal when this address tried too many wrong volglinks lately, else None."""
    if not limieten.aan():
        return None
    tellers = limieten.tellers()
    stand = tellers.stand(current_app.config["VOLG_LIMIT"], _SOORT, adres or "onbekend")
    if not stand.vol:
        return None
    seconden = wachttijd(stand.vrij_om, tellers.klok())
    return Weigering(
        "Vanaf dit netwerk zijn te veel volglinks geprobeerd die niet werken. Controleer de link en probeer "
        f"het {wachttijd_tekst(seconden)} opnieuw.",
        seconden,
    )


def na_mislukte_poging(adres: str | None) -> None:
    """Count a volglink that opened nothing against this address."""
    if limieten.aan():
        limieten.tellers().tel(current_app.config["VOLG_LIMIT"], _SOORT, adres or "onbekend")
