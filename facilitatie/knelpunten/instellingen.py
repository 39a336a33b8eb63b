"""The begeleider's settings of the knelpunten fasen (reveal, stemmen, bundelen, inbreng vooraf) and Onthullen."""

from __future__ import annotations

from sqlalchemy import update

from facilitatie import realtime
from facilitatie.accounts.models import User
from facilitatie.extensions import db
from facilitatie.fouten import Ongeldig
from facilitatie.knelpunten import live
from facilitatie.knelpunten.invoer import MAX_STEMMEN
from facilitatie.knelpunten.models import KNELPUNT, THEMA, Knelpunt
from facilitatie.knelpunten.schrijven import leider, vergrendel
from facilitatie.sessies import service as sessies
from facilitatie.sessies.models import Sessie
from facilitatie.werk import transactie


@transactie
def onthullen(sessie: Sessie, user: User | None) -> int:
    """Show every hidden knelpunt to everyone; returns how many were revealed."""
    leider(sessie, user)
    inst = vergrendel(sessie)
    aantal = db.session.execute(
        update(Knelpunt)
        .where(Knelpunt.sessie_id == sessie.id, Knelpunt.onthuld.is_(False))
        .values(onthuld=True)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.expire_all()
    realtime.append_event(
        sessie,
        "knelpunten.onthuld",
        live.lijst_opnieuw(sessie, inst),
        melding="De knelpunten zijn onthuld.",
        data={"aantal": aantal},
    )
    return aantal


@transactie
def instellingen_opslaan(
    sessie: Sessie,
    user: User | None,
    *,
    verborgen_tot_onthulling: bool,
    stemmen_per_deelnemer: int,
    max_per_item: int,
    deelnemers_bundelen: bool,
    stemmen_op: str,
    inbreng_open: bool | None = None,
) -> None:
    """The begeleider's choices for this sessie (any positive number of stemmen)."""
    leider(sessie, user)
    if not 1 <= stemmen_per_deelnemer <= MAX_STEMMEN:
        raise Ongeldig("stemmen_per_deelnemer", f"Kies een aantal stemmen van 1 tot en met {MAX_STEMMEN}.")
    if not 1 <= max_per_item <= MAX_STEMMEN:
        raise Ongeldig("max_per_item", f"Kies een maximum per onderwerp van 1 tot en met {MAX_STEMMEN}.")
    if stemmen_op not in (THEMA, KNELPUNT):
        raise Ongeldig("stemmen_op", "Kies of er op thema's of op knelpunten gestemd wordt.")
    inst = vergrendel(sessie)
    inbreng_wisselt = inbreng_open is not None and sessies.inbreng_vooraf_zetten(sessie, inbreng_open)
    onthul = inst.verborgen_tot_onthulling and not verborgen_tot_onthulling
    inst.verborgen_tot_onthulling = verborgen_tot_onthulling
    inst.stemmen_per_deelnemer = stemmen_per_deelnemer
    inst.max_per_item = max_per_item
    inst.deelnemers_bundelen = deelnemers_bundelen
    inst.stemmen_op = stemmen_op
    if onthul:  # no longer hiding: what was hidden shows now too
        db.session.execute(
            update(Knelpunt)
            .where(Knelpunt.sessie_id == sessie.id, Knelpunt.onthuld.is_(False))
            .values(onthuld=True)
            .execution_options(synchronize_session=False)
        )
        db.session.expire_all()
    db.session.flush()
    realtime.append_event(
        sessie,
        "knelpunten.instellingen",
        live.instellingen_gewijzigd(sessie, inst, lijst=onthul),
        melding=("Inbreng vooraf is geopend." if sessie.inbreng_open else "Inbreng vooraf is gesloten.")
        if inbreng_wisselt
        else None,
        # Deelnemers' werkruimtes differ between open and closed inbreng: let them reload it.
        data={
            "verborgen": verborgen_tot_onthulling,
            "inbreng_open": sessie.inbreng_open,
            "herladen": inbreng_wisselt,
        },
    )
