"""Signalen commands: melden, the signalenbak, op de agenda, besluit without sessie, meldlinks,
and "is het opgelost?" (asked on the opvolging's events, answered by the team).

The one way in for a signaal is `melden`: the start page, a team's meldlink and the JSON API all
call it. Like posting in a sessie (knelpunten/posten.py): the privacy guard with its "toch"
confirmation, idempotent per client request id, and an anonymous signaal stores no author
anywhere (no deelnemer, no account, no log line). Each command is one unit of work.
"""

from __future__ import annotations

import secrets
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from facilitatie import realtime
from facilitatie.accounts.models import Gemeente, Team, User
from facilitatie.accounts.rollen import PERSPECTIEF_VAN_ROL, Perspectief, Rol
from facilitatie.extensions import db
from facilitatie.fouten import Geweigerd, NietGevonden, Ongeldig
from facilitatie.knelpunten import live
from facilitatie.knelpunten.invoer import controleer_tekst, geldige_request_id
from facilitatie.knelpunten.models import (
    BRON_API,
    BRON_HEROPEND,
    BRON_MELDLINK,
    BRON_SIGNAAL,
    DOMEINEN,
    Knelpunt,
)
from facilitatie.knelpunten.schrijven import vergrendel
from facilitatie.models_base import utcnow
from facilitatie.opvolging import gebeurtenissen
from facilitatie.opvolging import service as opvolging
from facilitatie.opvolging.lezen import eerste_melding
from facilitatie.opvolging.models import Actie, Besluit, EerderGemeld
from facilitatie.opvolging.regels import AFGESLOTEN, Actiestatus, Besluitsoort
from facilitatie.sessies.models import Deelnemer, Sessie, Status
from facilitatie.signalen import lezen
from facilitatie.signalen.models import Aanleiding, Antwoord, Meldlink, OpgelostVraag
from facilitatie.tekst import MAX_KNELPUNT_LENGTE
from facilitatie.werk import transactie

BAK_TITEL = "Binnengekomen signalen"
BAK_VORM = "signalen"  # no sessievorm of that name exists: nothing may run the bak as a sessie
MELDBRONNEN = (BRON_SIGNAAL, BRON_MELDLINK, BRON_API)
MAX_NAAM = 80
MAX_TOELICHTING = 2000


# --------------------------------------------------------------------------- the signalenbak


def signalenbak(gemeente_id: int) -> Sessie:
    """The gemeente's signalenbak, made on first use; one per gemeente, also under a race.

    Its deelnamecode starts with '~', which no typed code can become (codes are normalised to
    letters and digits), and the sessie code lookups skip status signalen as well.
    """
    bak = lezen.signalenbak_van(gemeente_id)
    if bak is not None:
        return bak
    bak = Sessie(
        titel=BAK_TITEL,
        sessievorm=BAK_VORM,
        gemeente_id=gemeente_id,
        begeleider_id=None,
        deelnamecode=f"~bak{gemeente_id}",
        status=Status.SIGNALEN,
    )
    try:
        with db.session.begin_nested():
            db.session.add(bak)
    except IntegrityError:  # another request made it at the same moment (unique open deelnamecode)
        bak = lezen.signalenbak_van(gemeente_id)
        if bak is None:
            raise
    return bak


def _melder(bak: Sessie, door: User | None, naam: str | None) -> Deelnemer | None:
    """The author of a named signaal: the account's deelnemer of the bak, or a name typed at a meldlink."""
    if door is not None:
        bestaand = db.session.scalar(
            select(Deelnemer).where(Deelnemer.sessie_id == bak.id, Deelnemer.user_id == door.id).limit(1)
        )
        if bestaand is not None:
            return bestaand
        deelnemer = Deelnemer(
            sessie_id=bak.id,
            user_id=door.id,
            naam=door.naam,
            perspectief=PERSPECTIEF_VAN_ROL.get(door.rol, Perspectief.ANDERS),
        )
    elif naam:
        deelnemer = Deelnemer(sessie_id=bak.id, naam=naam, perspectief=Perspectief.UITVOERING)
    else:
        return None
    db.session.add(deelnemer)
    db.session.flush()
    return deelnemer


def _eerder_gemeld(gemeente_id: int, request_id: str) -> Knelpunt | None:
    return db.session.scalar(
        select(Knelpunt)
        .join(Sessie, Sessie.id == Knelpunt.sessie_id)
        .where(Sessie.gemeente_id == gemeente_id, Knelpunt.client_request_id == request_id, Knelpunt.bron != "sessie")
        .limit(1)
    )


def _schone_naam(naam: str | None) -> str | None:
    naam = (naam or "").strip()
    if len(naam) > MAX_NAAM:
        raise Ongeldig("naam", f"Een naam heeft hoogstens {MAX_NAAM} tekens.")
    return naam or None


@transactie
def melden(
    *,
    gemeente_id: int,
    team_id: int | None,
    domein: str,
    tekst: str,
    anoniem: bool,
    bron: str,
    door: User | None = None,
    client_request_id: str | None = None,
    toch: bool = False,
    naam: str | None = None,
) -> Knelpunt:
    """Report a signaal into the gemeente's signalenbak; the same request id twice stores it once.

    `bron` is signaal (signed in: `door` required and of this gemeente), meldlink or api (the
    caller checked the link or token). Anonymous: no deelnemer, account or name is stored.
    `naam` is an optional name typed at a meldlink (ignored when anonymous).
    """
    if bron not in MELDBRONNEN:
        raise Ongeldig("bron", "Onbekende bron van een signaal.")
    if bron == BRON_SIGNAAL and not lezen.mag_melden(door, gemeente_id):
        raise Geweigerd("Je meldt alleen signalen voor je eigen gemeente.")
    if db.session.get(Gemeente, gemeente_id) is None:
        raise NietGevonden("Gemeente niet gevonden.")
    request_id = geldige_request_id(client_request_id)
    if request_id:
        eerder = _eerder_gemeld(gemeente_id, request_id)
        if eerder is not None:
            return eerder
    tekst = controleer_tekst(
        "tekst", tekst, bevestigd=toch, leeg="Schrijf je signaal op.", max_lengte=MAX_KNELPUNT_LENGTE
    )
    if not domein:
        raise Ongeldig("domein", "Kies het domein waar dit signaal over gaat.")
    if domein not in DOMEINEN:
        raise Ongeldig("domein", "Kies een domein uit de lijst.")
    team = None
    if team_id is not None:
        team = db.session.get(Team, team_id) if 0 < team_id <= 2**31 - 1 else None
        if team is None or team.gemeente_id != gemeente_id:
            raise Ongeldig("team", "Kies een wijkteam uit de lijst.")
    naam = None if anoniem else _schone_naam(naam)
    if naam:
        controleer_tekst("naam", naam, bevestigd=True, leeg="", max_lengte=MAX_NAAM)  # never a BSN as a name
    bak = signalenbak(gemeente_id)
    knelpunt = Knelpunt(
        sessie_id=bak.id,
        team_id=team.id if team else None,
        domein=domein,
        tekst=tekst,
        anoniem=anoniem,
        client_request_id=request_id,
        bron=bron,
        onthuld=True,
    )
    if not anoniem:
        melder = _melder(bak, door, naam)
        knelpunt.deelnemer_id = melder.id if melder else None
    try:
        with db.session.begin_nested():
            db.session.add(knelpunt)
    except IntegrityError:  # the same request id won a race with this one
        eerder = _eerder_gemeld(gemeente_id, request_id or "")
        if eerder is None:
            raise
        return eerder
    return knelpunt


# --------------------------------------------------------------------------- the inbox


@transactie
def op_agenda_zetten(signalen: list[Knelpunt], sessie: Sessie, door: User) -> list[Knelpunt]:
    """Move signalen from the bak into a concept sessie: there they are inbreng vooraf."""
    if not lezen.werkt_inbox(door, sessie.gemeente_id):
        raise Geweigerd("Alleen begeleiders en beleidsmedewerkers van deze gemeente zetten signalen op de agenda.")
    if sessie.status != Status.CONCEPT:
        raise Ongeldig("sessie", "Kies een sessie die nog niet is begonnen.")
    if not signalen:
        raise Ongeldig("signalen", "Kies een of meer signalen om op de agenda te zetten.")
    besloten = set(
        db.session.scalars(select(Besluit.knelpunt_id).where(Besluit.knelpunt_id.in_([k.id for k in signalen])))
    )
    for knelpunt in signalen:
        if knelpunt.sessie.gemeente_id != sessie.gemeente_id or not lezen.is_signaal(knelpunt):
            raise Ongeldig("signalen", "Kies alleen signalen van deze gemeente.")
        if knelpunt.sessie.status != Status.SIGNALEN or knelpunt.id in besloten:
            raise Ongeldig("signalen", "Alleen nieuwe signalen gaan op de agenda: dit signaal is al verder.")
    inst = vergrendel(sessie)
    for knelpunt in signalen:
        knelpunt.sessie_id = sessie.id
        knelpunt.onthuld = not inst.verborgen_tot_onthulling
    db.session.flush()
    for knelpunt in signalen:
        db.session.refresh(knelpunt)
        realtime.append_event(
            sessie,
            "knelpunt.toegevoegd",
            live.knelpunt_toegevoegd(sessie, inst, knelpunt),
            melding=None,
            data={"knelpunt": knelpunt.id},
        )
    return signalen


@transactie
def besluit_zonder_sessie(knelpunt: Knelpunt, door: User, **velden: Any) -> Besluit:
    """A besluit straight from the inbox (e.g. "al opgelost"), by the opvolging's own rules."""
    if not lezen.is_signaal(knelpunt) or knelpunt.sessie.status != Status.SIGNALEN:
        raise Ongeldig("soort", "Dit signaal staat op de agenda van een sessie: neem het besluit daar.")
    return opvolging.besluit_nemen(knelpunt, door, **velden)


# --------------------------------------------------------------------------- meldlinks


@transactie
def meldlink_maken(team: Team, door: User) -> str:
    """A new meldlink for the team (the old one stops working); returns its token, shown once."""
    if not lezen.beheert_meldlink(door, team):
        raise Geweigerd("Alleen een begeleider van deze gemeente beheert de meldlink van een wijkteam.")
    _intrekken(team)
    token = secrets.token_urlsafe(24)
    db.session.add(Meldlink(team_id=team.id, token_hash=lezen.token_hash(token)))
    db.session.flush()
    return token


def _intrekken(team: Team) -> bool:
    nu = utcnow()
    geraakt = False
    for link in db.session.scalars(
        select(Meldlink).where(Meldlink.team_id == team.id, Meldlink.ingetrokken_op.is_(None)).with_for_update()
    ):
        link.ingetrokken_op = nu
        geraakt = True
    return geraakt


@transactie
def meldlink_intrekken(team: Team, door: User) -> None:
    """Stop the team's meldlink: whoever still has it sees that it was revoked."""
    if not lezen.beheert_meldlink(door, team):
        raise Geweigerd("Alleen een begeleider van deze gemeente beheert de meldlink van een wijkteam.")
    if not _intrekken(team):
        raise Ongeldig("meldlink", "Dit wijkteam heeft geen meldlink in gebruik.")


# --------------------------------------------------------------------------- is het opgelost?


def _vraag(knelpunt: Knelpunt, aanleiding: Aanleiding, door: User | None) -> OpgelostVraag | None:
    """Ask the reporting team, once while a question about this knelpunt is open (and say so:
    `gebeurtenissen.opgelost_gevraagd`, for the mail)."""
    if knelpunt.team_id is None:
        return None  # no team to ask
    open_al = db.session.scalar(
        select(OpgelostVraag.id).where(OpgelostVraag.knelpunt_id == knelpunt.id, OpgelostVraag.antwoord.is_(None))
    )
    if open_al is not None:
        return None
    vraag = OpgelostVraag(knelpunt_id=knelpunt.id, team_id=knelpunt.team_id, aanleiding=aanleiding.value)
    db.session.add(vraag)
    db.session.flush()
    gebeurtenissen.opgelost_gevraagd.send(vraag, door=door)
    return vraag


@gebeurtenissen.besluit_vastgelegd.connect
def _bij_besluit(knelpunt: Knelpunt, *, besluit: Besluit, door: User | None = None, **_: Any) -> None:
    """Besluit "al opgelost": does the team agree?"""
    if besluit.soort == Besluitsoort.AL_OPGELOST:
        _vraag(knelpunt, Aanleiding.AL_OPGELOST, door)


@gebeurtenissen.actie_status_gewijzigd.connect
def _bij_actiestatus(actie: Actie, *, naar: str, door: User | None = None, **_: Any) -> None:
    """The last open actie of a knelpunt is afgerond: is the knelpunt solved?"""
    if naar != Actiestatus.AFGEROND:
        return
    for knelpunt in actie.knelpunten:
        acties = db.session.scalars(select(Actie).where(Actie.knelpunten.any(Knelpunt.id == knelpunt.id))).all()
        if all(Actiestatus(a.status) in AFGESLOTEN for a in acties):
            _vraag(knelpunt, Aanleiding.ACTIE_AFGEROND, door)


@transactie
def opgelost_beantwoorden(
    vraag: OpgelostVraag, antwoord: str, toelichting: str, door: User | None, *, toch: bool = False
) -> OpgelostVraag:
    """The team answers ja, deels or nee; "nee" puts the knelpunt back in the bak as a new signaal.

    `door` is a wijkteamlid of the team (in the app) or None (the volglink or a mail link, whose
    caller checked the token). Who answered is not stored: the answer is the team's.
    """
    if door is not None and (door.rol != Rol.WIJKTEAMLID or door.team_id != vraag.team_id):
        raise Geweigerd("Alleen leden van het wijkteam dat dit meldde beantwoorden deze vraag.")
    if vraag.antwoord is not None:
        raise Ongeldig("antwoord", "Deze vraag is al beantwoord.")
    try:
        keuze = Antwoord((antwoord or "").strip())
    except ValueError:
        raise Ongeldig("antwoord", "Kies ja, deels of nee.") from None
    schoon = (toelichting or "").strip()
    if schoon:
        schoon = controleer_tekst("toelichting", schoon, bevestigd=toch, leeg="", max_lengte=MAX_TOELICHTING)
    elif keuze == Antwoord.NEE:
        raise Ongeldig("toelichting", "Licht toe wat er nog knelt, zodat de volgende sessie erop verder kan.")
    vraag.antwoord = keuze.value
    vraag.toelichting = schoon or None
    vraag.beantwoord_op = utcnow()
    if keuze == Antwoord.NEE:
        origineel = vraag.knelpunt
        bak = signalenbak(origineel.sessie.gemeente_id)
        nieuw = Knelpunt(
            sessie_id=bak.id,
            team_id=origineel.team_id,
            domein=origineel.domein,
            tekst=origineel.tekst,
            anoniem=origineel.anoniem,
            bron=BRON_HEROPEND,
            onthuld=True,
        )
        db.session.add(nieuw)
        db.session.flush()
        vraag.heropend_id = nieuw.id
        db.session.add(EerderGemeld(knelpunt_id=nieuw.id, eerder_id=eerste_melding(origineel.id)))
    db.session.flush()
    return vraag
