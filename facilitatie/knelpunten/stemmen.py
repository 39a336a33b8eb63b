"""Stemmen: dots on thema's or knelpunten within the sessie's limits; closing shows the results.

A deelnemer's row lock queues their concurrent votes; the unique slots (plek per deelnemer,
n per item) make a limit that held under the lock hold in the database too.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from facilitatie import realtime
from facilitatie.accounts.models import User
from facilitatie.extensions import db
from facilitatie.fouten import Geweigerd, Ongeldig
from facilitatie.knelpunten import live, regels
from facilitatie.knelpunten.invoer import geldige_request_id
from facilitatie.knelpunten.lezen import instellingen, item_van, stem_items, stemmen_open
from facilitatie.knelpunten.models import THEMA, Stem
from facilitatie.knelpunten.schrijven import leider, vergrendel
from facilitatie.sessies.models import Deelnemer, Sessie
from facilitatie.werk import transactie


def _stem_kolom(soort: str):
    return Stem.thema_id if soort == THEMA else Stem.knelpunt_id


def _eerdere_stem(sessie: Sessie, request_id: str | None) -> Stem | None:
    if not request_id:
        return None
    return db.session.scalar(select(Stem).where(Stem.sessie_id == sessie.id, Stem.client_request_id == request_id))


@transactie
def stem(sessie: Sessie, deelnemer: Deelnemer, soort: str, item_id: int, client_request_id: str | None = None) -> None:
    """Give one stem, once per client request id (a retry after a lost connection counts once).
    The deelnemer's row lock queues their concurrent votes; the unique slots (plek per deelnemer,
    n per item) make a limit that held under the lock hold in the database."""
    if deelnemer.sessie_id != sessie.id:
        raise Geweigerd("Je doet niet mee aan deze sessie.")
    item = item_van(sessie, soort, item_id)
    request_id = geldige_request_id(client_request_id)
    if _eerdere_stem(sessie, request_id) is not None:
        return  # this very stem was counted already; its answer got lost on the way back
    if not stemmen_open(sessie):
        raise Ongeldig("stem", "Stemmen kan nu niet.")
    if item not in stem_items(sessie):
        raise Ongeldig("stem", "Op dit onderwerp kun je niet stemmen.")
    db.session.execute(select(Deelnemer.id).where(Deelnemer.id == deelnemer.id).with_for_update())
    inst = instellingen(sessie)
    eigen = list(
        db.session.execute(select(Stem.plek, _stem_kolom(soort), Stem.n).where(Stem.deelnemer_id == deelnemer.id))
    )
    plek, n = regels.kies_stemplek(
        (plek for plek, _item, _n in eigen),
        (n for _plek, i, n in eigen if i == item_id),
        per_deelnemer=inst.stemmen_per_deelnemer,
        per_item=inst.max_per_item,
    )
    nieuw = Stem(sessie_id=sessie.id, deelnemer_id=deelnemer.id, plek=plek, n=n, client_request_id=request_id)
    if soort == THEMA:
        nieuw.thema_id = item_id
    else:
        nieuw.knelpunt_id = item_id
    db.session.add(nieuw)
    try:
        db.session.flush()
    except IntegrityError as exc:
        db.session.rollback()
        if _eerdere_stem(sessie, request_id) is not None:
            return  # the same request id won a race with this one
        raise Ongeldig("stem", "Je stem kwam tegelijk met een andere binnen. Probeer het opnieuw.") from exc
    realtime.append_event(sessie, "stem.gegeven", live.stemmen_voortgang(sessie))


@transactie
def stem_intrekken(sessie: Sessie, deelnemer: Deelnemer, soort: str, item_id: int, van: int | None = None) -> None:
    """Take back one's latest stem on this item while voting is open.

    `van` is the number of stemmen on the item the deelnemer saw when asking: only that stem is
    taken back, so a request sent again after a lost connection never takes back a second one.
    """
    if deelnemer.sessie_id != sessie.id:
        raise Geweigerd("Je doet niet mee aan deze sessie.")
    item_van(sessie, soort, item_id)
    if not stemmen_open(sessie):
        raise Ongeldig("stem", "Stemmen kan nu niet meer worden gewijzigd.")
    db.session.execute(select(Deelnemer.id).where(Deelnemer.id == deelnemer.id).with_for_update())
    eigen = select(Stem).where(Stem.deelnemer_id == deelnemer.id, _stem_kolom(soort) == item_id)
    if van:
        laatste = db.session.scalar(eigen.where(Stem.n == van))
        if laatste is None:
            return  # the stem seen was taken back already (this request, sent again)
    else:
        laatste = db.session.scalar(eigen.order_by(Stem.n.desc()).limit(1))
    if laatste is None:
        raise Ongeldig("stem", "Je hebt geen stem op dit onderwerp om in te trekken.")
    db.session.delete(laatste)
    db.session.flush()
    realtime.append_event(sessie, "stem.ingetrokken", live.stemmen_voortgang(sessie))


@transactie
def stemmen_sluiten(sessie: Sessie, user: User | None) -> None:
    """Close the vote: from now on everyone sees the results, ordered by votes."""
    leider(sessie, user)
    inst = vergrendel(sessie)
    if inst.stemmen_gesloten:
        raise Ongeldig("stem", "Het stemmen is al gesloten.")
    inst.stemmen_gesloten = True
    # A timer still counting down the vote would tell everyone to keep voting: it stops too.
    timer_liep = inst.timer_eind is not None or inst.timer_rest is not None
    if timer_liep:
        inst.timer_eind = inst.timer_rest = inst.timer_label = inst.timer_fase = None
    db.session.flush()
    fragmenten = live.stemmen_gesloten(sessie)
    if timer_liep:
        for publiek, lijst in live.timer_opnieuw(sessie, inst).items():
            fragmenten[publiek] = [*fragmenten.get(publiek, []), *lijst]
    realtime.append_event(
        sessie,
        "stemmen.gesloten",
        fragmenten,
        melding="Het stemmen is gesloten. De uitslag staat op het scherm.",
    )


@transactie
def stemmen_heropenen(sessie: Sessie, user: User | None) -> None:
    leider(sessie, user)
    inst = vergrendel(sessie)
    inst.stemmen_gesloten = False
    db.session.flush()
    # Each deelnemer's ballot is personal: `herladen` makes every page fetch its own panel again.
    realtime.append_event(sessie, "stemmen.heropend", {}, melding="Het stemmen is weer open.", data={"herladen": True})
