"""The meldlink's limit: a link that leaked cannot flood the inbox.

Two moving windows in the rate-limit storage (facilitatie/limieten.py, Redis when configured),
counted per post through a meldlink: per client address (`MELDLINK_LIMIT_ADRES`, default
5 per minute and 30 per hour: a colleague reports a few signalen, not dozens) and per link
(`MELDLINK_LIMIT_LINK`, default 100 per hour: a whole team after a team meeting still fits).
The counters' keys are keyed hashes, so no address is stored in clear; nothing goes into the
database, so an anonymous post stays anonymous.
"""

from __future__ import annotations

from flask import current_app

from facilitatie import limieten
from facilitatie.limieten import Weigering, wachttijd, wachttijd_tekst

STANDAARD_ADRES = "5 per minute; 30 per hour"
STANDAARD_LINK = "100 per hour"


def _grenzen() -> tuple[str, str]:
    config = current_app.config
    return config.get("MELDLINK_LIMIT_ADRES", STANDAARD_ADRES), config.get("MELDLINK_LIMIT_LINK", STANDAARD_LINK)


def weigering(link_hash: str, adres: str | None) -> Weigering | None:
    """Refuse this post before it is read, or None to go ahead."""
    if not limieten.aan():
        return None
    tellers = limieten.tellers()
    per_adres, per_link = _grenzen()
    nu = tellers.klok()
    for limiet, soort, wie in ((per_adres, "meld-adres", adres or "onbekend"), (per_link, "meld-link", link_hash)):
        stand = tellers.stand(limiet, soort, wie)
        if stand.vol:
            over = wachttijd(stand.vrij_om, nu)
            return Weigering(
                "Er zijn via deze meldlink net veel signalen gemeld. Je signaal is niet opgeslagen: "
                f"probeer het {wachttijd_tekst(over)} opnieuw.",
                over,
            )
    return None


def tel(link_hash: str, adres: str | None) -> None:
    """Count one post through this meldlink, from this address."""
    if not limieten.aan():
        return
    tellers = limieten.tellers()
    per_adres, per_link = _grenzen()
    tellers.tel(per_adres, "meld-adres", adres or "onbekend")
    tellers.tel(per_link, "meld-link", link_hash)
