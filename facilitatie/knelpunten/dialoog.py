"""Dialoog: the begeleider puts an item on everyone's screen, marks it besproken; reacties in the open."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from facilitatie import realtime
from facilitatie.accounts.models import User
from facilitatie.accounts.perspectieven import label_van
from facilitatie.extensions import db
from facilitatie.fouten import Geweigerd, Ongeldig
from facilitatie.knelpunten import live
from facilitatie.knelpunten.invoer import controleer_tekst, geldige_request_id, herkomst
from facilitatie.knelpunten.lezen import item_van, mag_reageren
from facilitatie.knelpunten.models import THEMA, Reactie
from facilitatie.knelpunten.schrijven import leider, vergrendel
from facilitatie.models_base import utcnow
from facilitatie.sessies.models import Deelnemer, Sessie, Status
from facilitatie.tekst import MAX_KNELPUNT_LENGTE
from facilitatie.werk import transactie


@transactie
def zet_op_scherm(sessie: Sessie, user: User | None, soort: str, item_id: int) -> None:
    """The begeleider puts one item on everyone's screen."""
    leider(sessie, user)
    item = item_van(sessie, soort, item_id, voor_begeleider=True)
    inst = vergrendel(sessie)
    inst.scherm_soort, inst.scherm_id = soort, item.id
    db.session.flush()
    realtime.append_event(
        sessie,
        "dialoog.scherm",
        live.dialoog_opnieuw(sessie, inst),
        melding=f"Nu op het scherm: {item.titel}",
        data={"soort": soort, "item": item.id},
    )


@transactie
def besproken(sessie: Sessie, user: User | None, soort: str, item_id: int, waarde: bool = True) -> None:
    leider(sessie, user)
    item = item_van(sessie, soort, item_id, voor_begeleider=True)
    inst = vergrendel(sessie)
    item.besproken_op = utcnow() if waarde else None
    db.session.flush()
    realtime.append_event(
        sessie,
        "dialoog.besproken",
        live.dialoog_opnieuw(sessie, inst, formulier=False),
        melding=f"Besproken: {item.titel}" if waarde else None,
        data={"soort": soort, "item": item.id},
    )


@transactie
def reageren(
    sessie: Sessie,
    deelnemer: Deelnemer,
    soort: str,
    item_id: int,
    *,
    tekst: str,
    client_request_id: str | None,
    bevestigd: bool = False,
) -> Reactie:
    """A reactie, marked beleid or uitvoering by the deelnemer's perspective; once per request id."""
    if deelnemer.sessie_id != sessie.id:
        raise Geweigerd("Je doet niet mee aan deze sessie.")
    item = item_van(sessie, soort, item_id)
    request_id = geldige_request_id(client_request_id)
    if request_id:
        eerder = db.session.scalar(
            select(Reactie).where(Reactie.sessie_id == sessie.id, Reactie.client_request_id == request_id)
        )
        if eerder is not None:
            return eerder
    if not mag_reageren(sessie):
        raise Ongeldig("reactie", "Reageren kan nu niet.")
    tekst = controleer_tekst(
        "reactie", tekst, bevestigd=bevestigd, leeg="Schrijf je reactie op.", max_lengte=MAX_KNELPUNT_LENGTE
    )
    inst = vergrendel(sessie)
    reactie = Reactie(
        sessie_id=sessie.id,
        deelnemer_id=deelnemer.id,
        perspectief=deelnemer.perspectief,
        naam=deelnemer.naam,
        tekst=tekst,
        vooraf=sessie.status == Status.CONCEPT,
        client_request_id=request_id,
    )
    if soort == THEMA:
        reactie.thema_id = item.id
    else:
        reactie.knelpunt_id = item.id
    db.session.add(reactie)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        eerder = db.session.scalar(
            select(Reactie).where(Reactie.sessie_id == sessie.id, Reactie.client_request_id == request_id)
        )
        if eerder is None:
            raise
        return eerder
    realtime.append_event(
        sessie,
        "reactie.toegevoegd",
        live.reactie_toegevoegd(sessie, inst, reactie, item),
        melding=f"Nieuwe reactie ({label_van(reactie.perspectief).lower()}) op {item.titel}",
        data={"reactie": reactie.id, "van": herkomst(request_id)},
    )
    return reactie
