"""Reeks commands: a new sessie joins a reeks (an existing one or a new one) and takes over
its verwachtingen to rate them again. Runs inside `sessies.service.create_sessie`'s unit of work
(see `sessies.aanmaken`), so a refusal here leaves no sessie behind.
"""

from __future__ import annotations

from datetime import date

from facilitatie.accounts.models import User
from facilitatie.fouten import Ongeldig
from facilitatie.opvolging import service as opvolging
from facilitatie.reeksen.lezen import reeks_voor, volgende_sessie
from facilitatie.sessies.aanmaken import Invoer
from facilitatie.sessies.models import Sessie
from facilitatie.verwachtingen import service as verwachtingen
from facilitatie.werk import transactie

NIEUW = "nieuw"


def _getal(waarde: str) -> int | None:
    waarde = waarde.strip()
    return int(waarde) if waarde.isascii() and waarde.isdigit() and len(waarde) <= 20 else None


@transactie
def na_aanmaken(sessie: Sessie, user: User, invoer: Invoer, vandaag: date | None = None) -> None:
    """Put the new sessie in the chosen reeks (or a new one) and take over the ticked verwachtingen."""
    keuze = (invoer.get("reeks") or "").strip()
    naam = (invoer.get("reeks_naam") or "").strip()
    if keuze == NIEUW or (not keuze and naam):
        if not naam:
            raise Ongeldig("reeks_naam", "Geef de nieuwe reeks een naam, bijvoorbeeld ‘Leerkring Noord’.")
        opvolging.reeks_instellen(sessie, user, reeks_id=None, nieuwe_naam=naam)
        return
    if not keuze:
        return
    reeks_id = _getal(keuze)
    if reeks_id is None:
        raise Ongeldig("reeks", "Kies een reeks uit de lijst.")
    reeks = reeks_voor(user, reeks_id)  # another gemeente's: 404, before anything is read
    voor = volgende_sessie(reeks, vandaag or date.today())
    aangeboden = {v.id: v for v in voor.verwachtingen}
    gekozen_ids = [_getal(w) for w in invoer.getlist("neem_over")]
    if any(i is None or i not in aangeboden for i in gekozen_ids):
        raise Ongeldig("neem_over", "Kies alleen verwachtingen uit de lijst van deze reeks.")
    opvolging.reeks_instellen(sessie, user, reeks_id=reeks.id)
    gekozen = [aangeboden[i] for i in dict.fromkeys(gekozen_ids) if i is not None]
    if gekozen:
        verwachtingen.neem_over(sessie, user, gekozen)
