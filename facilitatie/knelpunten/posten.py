"""Posting knelpunten: indienen once per request id, anonymity held server-side, bewerken, intrekken.

An anonymous knelpunt stores no deelnemer: only the hash of a secret that the author's browser
keeps in a cookie of its own, derived from the request id so a retried post gets the same one.
"""

from __future__ import annotations

import hashlib
import hmac
import uuid
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from facilitatie import realtime
from facilitatie.accounts.models import Team
from facilitatie.extensions import db
from facilitatie.fouten import Geweigerd, Ongeldig
from facilitatie.knelpunten import live
from facilitatie.knelpunten.invoer import controleer_tekst, geldige_request_id, herkomst
from facilitatie.knelpunten.lezen import is_auteur, mag_indienen, rij, sleutel_hash, team_keuzes, van_sessie
from facilitatie.knelpunten.models import DOMEINEN, Knelpunt
from facilitatie.knelpunten.schrijven import vergrendel
from facilitatie.models_base import utcnow
from facilitatie.sessies.models import Deelnemer, Sessie
from facilitatie.tekst import MAX_KNELPUNT_LENGTE
from facilitatie.werk import transactie


@dataclass(frozen=True)
class Ingediend:
    """Outcome of a post: the knelpunt, the browser secret of an anonymous post, and whether
    this request stored it (False for a retry of an earlier request)."""

    knelpunt: Knelpunt
    sleutel: str | None
    nieuw: bool


@transactie
def anonieme_sleutel(sessie_id: int, client_request_id: str) -> str:
    """The browser secret of an anonymous post, derived from its request id with the app key.

    Derived rather than random so a retried request hands out the same secret; it names no
    person, and the database only keeps its hash.
    """
    key = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(key, f"anoniem:{sessie_id}:{client_request_id}".encode(), hashlib.sha256).hexdigest()[:40]


def _team(sessie: Sessie, team_id: int | None, zonder_team: bool) -> Team | None:
    """The wijkteam a knelpunt is filed under; never none by accident where there is a choice."""
    keuzes = team_keuzes(sessie)
    if team_id:
        team = rij(Team, team_id)
        if team is None or team not in keuzes:
            raise Ongeldig("team", "Kies een wijkteam uit de lijst.")
        return team
    if len(keuzes) == 1:  # a sessie of one wijkteam: its knelpunten are that team's
        return keuzes[0]
    if keuzes and not zonder_team:
        raise Ongeldig("team", "Kies je wijkteam, of 'Geen wijkteam' als dit knelpunt bij geen team hoort.")
    return None


@transactie
def indienen(
    sessie: Sessie,
    deelnemer: Deelnemer,
    *,
    tekst: str,
    domein: str,
    team_id: int | None,
    anoniem: bool,
    client_request_id: str | None,
    bevestigd: bool = False,
    zonder_team: bool = False,
) -> Ingediend:
    """Store a knelpunt once per client request id; an anonymous one keeps no trace of its author."""
    if deelnemer.sessie_id != sessie.id:
        raise Geweigerd("Je doet niet mee aan deze sessie.")
    request_id = geldige_request_id(client_request_id)
    if request_id:
        eerder = _eerder_ingediend(sessie, request_id)
        if eerder is not None:
            return eerder
    if not mag_indienen(sessie):
        raise Ongeldig("tekst", "Knelpunten indienen kan nu niet: de begeleider heeft die fase gesloten.")
    tekst = controleer_tekst(
        "tekst", tekst, bevestigd=bevestigd, leeg="Schrijf je knelpunt op.", max_lengte=MAX_KNELPUNT_LENGTE
    )
    if not domein:  # no silent default: the deelnemer chooses
        raise Ongeldig("domein", "Kies het domein waar dit knelpunt over gaat.")
    if domein not in DOMEINEN:
        raise Ongeldig("domein", "Kies een domein uit de lijst.")
    team = _team(sessie, team_id, zonder_team)
    inst = vergrendel(sessie)
    knelpunt = Knelpunt(
        sessie_id=sessie.id,
        team_id=team.id if team else None,
        domein=domein,
        tekst=tekst,
        anoniem=anoniem,
        client_request_id=request_id,
        onthuld=not inst.verborgen_tot_onthulling,
    )
    sleutel = None
    if anoniem:
        sleutel = anonieme_sleutel(sessie.id, request_id or _nieuwe_id())
        knelpunt.sleutel_hash = sleutel_hash(sleutel)
    else:
        knelpunt.deelnemer_id = deelnemer.id
    db.session.add(knelpunt)
    try:
        db.session.flush()
    except IntegrityError:  # the same request id won a race with this one
        db.session.rollback()
        eerder = _eerder_ingediend(sessie, request_id or "")
        if eerder is None:
            raise
        return eerder
    realtime.append_event(
        sessie,
        "knelpunt.toegevoegd",
        live.knelpunt_toegevoegd(sessie, inst, knelpunt),
        melding="Er is een nieuw knelpunt ingediend." if knelpunt.onthuld else None,
        data={"knelpunt": knelpunt.id, "van": herkomst(request_id)},
    )
    return Ingediend(knelpunt, sleutel, True)


def _nieuwe_id() -> str:

    return uuid.uuid4().hex


def _eerder_ingediend(sessie: Sessie, request_id: str) -> Ingediend | None:
    knelpunt = db.session.scalar(
        select(Knelpunt).where(Knelpunt.sessie_id == sessie.id, Knelpunt.client_request_id == request_id)
    )
    if knelpunt is None:
        return None
    sleutel = anonieme_sleutel(sessie.id, request_id) if knelpunt.anoniem else None
    return Ingediend(knelpunt, sleutel, False)


@transactie
def bewerken(
    sessie: Sessie,
    knelpunt: Knelpunt,
    deelnemer: Deelnemer | None,
    sleutels: list[str],
    *,
    tekst: str,
    domein: str,
    bevestigd: bool = False,
) -> None:
    """The author changes their own knelpunt while the fase is open."""
    van_sessie(sessie, knelpunt)
    if not is_auteur(knelpunt, deelnemer, sleutels) or knelpunt.verborgen:
        raise Geweigerd("Je kunt alleen je eigen knelpunten bewerken.")
    if not mag_indienen(sessie):
        raise Ongeldig("tekst", "Bewerken kan alleen zolang de fase knelpunten ophalen open is.")
    tekst = controleer_tekst(
        "tekst", tekst, bevestigd=bevestigd, leeg="Schrijf je knelpunt op.", max_lengte=MAX_KNELPUNT_LENGTE
    )
    if domein not in DOMEINEN:
        raise Ongeldig("domein", "Kies een domein uit de lijst.")
    inst = vergrendel(sessie)
    knelpunt.tekst = tekst
    knelpunt.domein = domein
    knelpunt.bewerkt_op = utcnow()
    db.session.flush()
    realtime.append_event(
        sessie,
        "knelpunt.bewerkt",
        live.knelpunt_gewijzigd(sessie, inst, knelpunt),
        data={"knelpunt": knelpunt.id},
        wis=True,
    )


@transactie
def intrekken(sessie: Sessie, knelpunt: Knelpunt, deelnemer: Deelnemer | None, sleutels: list[str]) -> None:
    """The author withdraws their own knelpunt while the fase is open: it is deleted."""
    van_sessie(sessie, knelpunt)
    if not is_auteur(knelpunt, deelnemer, sleutels) or knelpunt.verborgen:
        raise Geweigerd("Je kunt alleen je eigen knelpunten intrekken.")
    if not mag_indienen(sessie):
        raise Ongeldig("tekst", "Intrekken kan alleen zolang de fase knelpunten ophalen open is.")
    inst = vergrendel(sessie)
    knelpunt_id = knelpunt.id
    db.session.delete(knelpunt)
    db.session.flush()
    realtime.append_event(
        sessie,
        "knelpunt.ingetrokken",
        live.knelpunt_weg(sessie, inst, knelpunt_id),
        data={"knelpunt": knelpunt_id},
        wis=True,
    )
