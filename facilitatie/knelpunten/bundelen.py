"""Bundelen: thema's made, renamed and dissolved, knelpunten moved between them (last writer wins)."""

from __future__ import annotations

from sqlalchemy import update

from facilitatie import realtime
from facilitatie.accounts.models import User
from facilitatie.extensions import db
from facilitatie.fouten import Geweigerd
from facilitatie.knelpunten import live, regels
from facilitatie.knelpunten.invoer import MAX_THEMA_NAAM, controleer_tekst
from facilitatie.knelpunten.lezen import mag_bundelen, van_sessie
from facilitatie.knelpunten.models import THEMA, Knelpunt, Thema
from facilitatie.knelpunten.schrijven import vergrendel
from facilitatie.sessies.models import Deelnemer, Sessie
from facilitatie.werk import transactie


def _bundelaar(sessie: Sessie, user: User | None, deelnemer: Deelnemer | None) -> None:
    if not mag_bundelen(sessie, user, deelnemer):
        raise Geweigerd("Bundelen doet de begeleider in deze sessie.")


def _thema_naam(naam: str, bevestigd: bool) -> str:
    return controleer_tekst(
        "naam", naam, bevestigd=bevestigd, leeg="Geef het thema een naam.", max_lengte=MAX_THEMA_NAAM
    )


@transactie
def thema_maken(
    sessie: Sessie, user: User | None, deelnemer: Deelnemer | None, naam: str, *, bevestigd: bool = False
) -> Thema:
    """A new, empty thema."""
    _bundelaar(sessie, user, deelnemer)
    naam = _thema_naam(naam, bevestigd)
    inst = vergrendel(sessie)
    thema = Thema(sessie_id=sessie.id, naam=naam)
    db.session.add(thema)
    db.session.flush()
    realtime.append_event(
        sessie,
        "thema.gemaakt",
        live.bord_opnieuw(sessie, inst),
        melding=f"Nieuw thema: {naam}.",
        data={"thema": thema.id},
    )
    return thema


@transactie
def thema_hernoemen(
    sessie: Sessie, user: User | None, deelnemer: Deelnemer | None, thema: Thema, naam: str, *, bevestigd: bool = False
) -> None:
    _bundelaar(sessie, user, deelnemer)
    van_sessie(sessie, thema)
    naam = _thema_naam(naam, bevestigd)
    inst = vergrendel(sessie)
    thema.naam = naam
    db.session.flush()
    realtime.append_event(
        sessie,
        "thema.hernoemd",
        live.bord_opnieuw(sessie, inst),
        melding=f"Thema hernoemd: {naam}.",
        data={"thema": thema.id},
        wis=True,
    )


@transactie
def thema_opheffen(sessie: Sessie, user: User | None, deelnemer: Deelnemer | None, thema: Thema) -> None:
    """Dissolve a thema: its knelpunten become loose again, nothing is lost."""
    _bundelaar(sessie, user, deelnemer)
    van_sessie(sessie, thema)
    inst = vergrendel(sessie)
    db.session.execute(
        update(Knelpunt)
        .where(Knelpunt.thema_id == thema.id)
        .values(thema_id=None)
        .execution_options(synchronize_session=False)
    )
    if inst.scherm_soort == THEMA and inst.scherm_id == thema.id:
        inst.scherm_soort = inst.scherm_id = None
    db.session.delete(thema)
    db.session.flush()
    db.session.expire_all()
    realtime.append_event(
        sessie,
        "thema.opgeheven",
        live.bord_opnieuw(sessie, inst),
        melding="Een thema is opgeheven; de knelpunten erin staan weer los.",
        data={"thema": thema.id},
        wis=True,
    )


@transactie
def verplaats(
    sessie: Sessie, user: User | None, deelnemer: Deelnemer | None, knelpunt: Knelpunt, thema: Thema | None
) -> None:
    """Move a knelpunt into a thema (or out of any): one UPDATE and one event, last writer wins."""
    _bundelaar(sessie, user, deelnemer)
    van_sessie(sessie, knelpunt)
    if thema is not None:
        van_sessie(sessie, thema)
    if knelpunt.verborgen:
        raise Geweigerd("Dit knelpunt is verborgen.")
    inst = vergrendel(sessie)
    db.session.refresh(knelpunt)
    naar = thema.id if thema else None
    _, kolommen = regels.verplaats({knelpunt.id: knelpunt.thema_id}, knelpunt.id, naar)
    db.session.execute(
        update(Knelpunt)
        .where(Knelpunt.id == knelpunt.id)
        .values(thema_id=naar)
        .execution_options(synchronize_session=False)
    )
    db.session.expire_all()
    naam = thema.naam if thema else "zonder thema"
    realtime.append_event(
        sessie,
        "knelpunt.verplaatst",
        live.themas_opnieuw(sessie, inst, kolommen),
        melding=f"Knelpunt verplaatst naar {naam}.",
        data={"knelpunt": knelpunt.id, "thema": naar},
    )
