"""Leerkring commands: the casus card, vragen and reflecties, the evaluatie, the vooruitblik, peilingen.

Plain Python on top of the models; no `request`. Each command is one unit of work
(`werk.transactie`) that logs its change with `realtime.append_event`, so phones, the
begeleider and the Scherm follow it live. Deelnemers only act in the fase that asks for it.
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from facilitatie import privacy, realtime
from facilitatie.accounts.models import Team, User
from facilitatie.accounts.rollen import leidt_sessie
from facilitatie.extensions import db
from facilitatie.fouten import Geweigerd, Ongeldig
from facilitatie.invoer import geen_bsn
from facilitatie.knelpunten.invoer import (
    PrivacyBlokkade,
    PrivacyWaarschuwing,
    controleer_tekst,
    geldige_request_id,
    herkomst,
)
from facilitatie.leerkring import live, regels
from facilitatie.leerkring.lezen import fase_met, teams_van
from facilitatie.leerkring.models import (
    MAX_BIJDRAGE,
    MAX_CONTEXT,
    MAX_NAAM,
    MAX_VRAAG,
    Bijdrage,
    Casus,
    Evaluatie,
    PeilingAntwoord,
    Soort,
    Vooruitblik,
)
from facilitatie.sessies.models import Deelnemer, Sessie, Status
from facilitatie.werk import transactie

__all__ = [
    "PrivacyBlokkade",
    "PrivacyWaarschuwing",
    "beantwoord_peiling",
    "evalueer",
    "leg_casus_vast",
    "leg_vooruitblik_vast",
    "plaats_bijdrage",
    "verwijder_bijdrage",
]

SOORT_FASE = {Soort.VRAAG: "casus", Soort.REFLECTIE: "reflectie"}
BIJDRAGE_NAAM = {Soort.VRAAG: "vraag", Soort.REFLECTIE: "reflectie"}


def _leider(user: User | None, sessie: Sessie) -> None:
    if not leidt_sessie(user, sessie):
        raise Geweigerd("Alleen de begeleider van deze sessie kan dit doen.")


def _deelnemer(sessie: Sessie, deelnemer: Deelnemer) -> None:
    if deelnemer.sessie_id != sessie.id:
        raise Geweigerd("Je doet niet mee aan deze sessie.")


def _schoon(waarde: str | None) -> str | None:
    return (waarde or "").strip() or None


def _scan_velden(velden: list[tuple[str, str | None]], toch: bool) -> None:
    """Privacy guard on each field: a BSN is refused, other client data asks 'Toch opslaan'."""
    for veld, tekst in velden:
        if not tekst:
            continue
        uitslag = privacy.scan(tekst)
        if uitslag.blokkeren:
            raise PrivacyBlokkade(veld, uitslag.melding().replace("Knelpunten gaan", "Een casus gaat"))
        if uitslag.waarschuwingen and not toch:
            raise PrivacyWaarschuwing(veld, uitslag.melding().replace("Toch indienen", "Toch opslaan"))


# --------------------------------------------------------------------------- casus


@transactie
def leg_casus_vast(
    sessie: Sessie,
    user: User | None,
    *,
    vraag: str,
    inbrenger: str | None = None,
    context: str | None = None,
    in_verslag: bool = False,
    toch: bool = False,
) -> Casus:
    """The begeleider writes (or corrects) the casus card, before or during the kring."""
    _leider(user, sessie)
    if sessie.status == Status.AFGESLOTEN:
        raise Ongeldig("vraag", "Deze sessie is afgesloten; de casus kan niet meer worden gewijzigd.")
    vraag_s, inbrenger_s, context_s = _schoon(vraag), _schoon(inbrenger), _schoon(context)
    if not vraag_s:
        raise Ongeldig(
            "vraag", "Schrijf de vraag van de inbrenger op, bijvoorbeeld ‘Wat ik van de kring wil weten, is …’."
        )
    if len(vraag_s) > MAX_VRAAG:
        raise Ongeldig("vraag", f"Gebruik hoogstens {MAX_VRAAG} tekens voor de vraag (nu {len(vraag_s)}).")
    if inbrenger_s and len(inbrenger_s) > MAX_NAAM:
        raise Ongeldig("inbrenger", f"Gebruik hoogstens {MAX_NAAM} tekens voor de naam.")
    if context_s and len(context_s) > MAX_CONTEXT:
        raise Ongeldig("context", f"Gebruik hoogstens {MAX_CONTEXT} tekens voor de context (nu {len(context_s)}).")
    if inbrenger_s:
        geen_bsn("inbrenger", inbrenger_s)
    _scan_velden([("vraag", vraag_s), ("context", context_s)], toch)
    casus = db.session.get(Casus, sessie.id)
    eerder = casus is not None
    if casus is None:
        casus = Casus(sessie_id=sessie.id, vraag=vraag_s)
        db.session.add(casus)
    casus.vraag, casus.inbrenger, casus.context, casus.in_verslag = vraag_s, inbrenger_s, context_s, in_verslag
    db.session.flush()
    # A changed casus wipes the old wording from the log: the correction may have removed a name.
    realtime.append_event(
        sessie, "leerkring.casus", live.casus_fragmenten(sessie), melding="De casus staat op de kaart.", wis=eerder
    )
    return casus


# --------------------------------------------------------------------------- vragen en reflecties


@transactie
def plaats_bijdrage(
    sessie: Sessie,
    deelnemer: Deelnemer,
    *,
    soort: str,
    tekst: str,
    anoniem: bool,
    client_request_id: str | None,
    bevestigd: bool = False,
) -> Bijdrage:
    """A deelnemer posts a vraag (casus fase) or reflectie (reflectie fase); anonymous keeps no author."""
    _deelnemer(sessie, deelnemer)
    if soort not in SOORT_FASE:
        raise Ongeldig("tekst", "Onbekende soort bijdrage.")
    request_id = geldige_request_id(client_request_id)
    if request_id:
        eerder = db.session.scalar(
            select(Bijdrage).where(Bijdrage.sessie_id == sessie.id, Bijdrage.client_request_id == request_id)
        )
        if eerder is not None:
            return eerder
    fase = fase_met(sessie, SOORT_FASE[soort])
    if fase is None or (soort == Soort.VRAAG and not fase.vragen):
        naam = BIJDRAGE_NAAM[soort]
        raise Ongeldig("tekst", f"Een {naam} delen kan nu niet: de begeleider is naar een andere fase gegaan.")
    tekst = controleer_tekst(
        "tekst",
        tekst,
        bevestigd=bevestigd,
        leeg=f"Schrijf je {BIJDRAGE_NAAM[soort]} op.",
        max_lengte=MAX_BIJDRAGE,
    )
    bijdrage = Bijdrage(
        sessie_id=sessie.id,
        soort=soort,
        tekst=tekst,
        anoniem=anoniem,
        deelnemer_id=None if anoniem else deelnemer.id,
        client_request_id=request_id or uuid.uuid4().hex,
    )
    db.session.add(bijdrage)
    try:
        db.session.flush()
    except IntegrityError:  # the same request id won a race with this one
        db.session.rollback()
        eerder = db.session.scalar(
            select(Bijdrage).where(Bijdrage.sessie_id == sessie.id, Bijdrage.client_request_id == request_id)
        )
        if eerder is None:
            raise
        return eerder
    realtime.append_event(
        sessie,
        f"leerkring.{soort}",
        live.bijdragen_fragmenten(sessie, soort),
        melding="Er is een nieuwe vraag gesteld." if soort == Soort.VRAAG else "Er is een nieuwe reflectie gedeeld.",
        data={"van": herkomst(request_id)},
    )
    return bijdrage


@transactie
def verwijder_bijdrage(sessie: Sessie, user: User | None, bijdrage_id: int) -> None:
    """The begeleider removes a vraag or reflectie (a name slipped in, or it hurts someone)."""
    _leider(user, sessie)
    bijdrage = db.session.get(Bijdrage, bijdrage_id)
    if bijdrage is None or bijdrage.sessie_id != sessie.id:
        raise Ongeldig("bijdrage", "Deze bijdrage hoort niet bij deze sessie.")
    soort = bijdrage.soort
    db.session.delete(bijdrage)
    db.session.flush()
    realtime.append_event(sessie, f"leerkring.{soort}_verwijderd", live.bijdragen_fragmenten(sessie, soort), wis=True)


# --------------------------------------------------------------------------- evaluatie


@transactie
def evalueer(sessie: Sessie, deelnemer: Deelnemer, *, cijfer: str | int | None, woord: str | None) -> Evaluatie:
    """A deelnemer's cijfer (1–5) and one word for the kring; given again, it replaces the first."""
    _deelnemer(sessie, deelnemer)
    if fase_met(sessie, "evaluatie") is None:
        raise Ongeldig("cijfer", "Evalueren kan alleen in de fase waarin de begeleider erom vraagt.")
    getal = regels.cijfer(cijfer, "cijfer")
    een = regels.een_woord(woord, "woord", verplicht=False)
    if een:
        geen_bsn("woord", een)
    evaluatie = db.session.scalar(
        select(Evaluatie).where(Evaluatie.sessie_id == sessie.id, Evaluatie.deelnemer_id == deelnemer.id)
    )
    if evaluatie is None:
        evaluatie = Evaluatie(sessie_id=sessie.id, deelnemer_id=deelnemer.id, cijfer=getal)
        db.session.add(evaluatie)
    evaluatie.cijfer, evaluatie.woord = getal, een
    db.session.flush()
    realtime.append_event(sessie, "leerkring.evaluatie", live.evaluatie_fragmenten(sessie))
    return evaluatie


# --------------------------------------------------------------------------- vooruitblik


@transactie
def leg_vooruitblik_vast(sessie: Sessie, user: User | None, *, inbrenger: str, datum: date | None) -> Vooruitblik:
    """The begeleider records who brings in the next casus and when the kring meets again."""
    _leider(user, sessie)
    naam = _schoon(inbrenger)
    if not naam:
        raise Ongeldig("inbrenger", "Vul in wie de volgende casus inbrengt.")
    if len(naam) > MAX_NAAM:
        raise Ongeldig("inbrenger", f"Gebruik hoogstens {MAX_NAAM} tekens voor de naam.")
    geen_bsn("inbrenger", naam)
    if datum is not None and datum < (sessie.gestart_op or sessie.aangemaakt_op).date():
        raise Ongeldig("datum", "De volgende leerkring kan niet vóór deze sessie liggen.")
    vooruitblik = db.session.get(Vooruitblik, sessie.id)
    eerder = vooruitblik is not None
    if vooruitblik is None:
        vooruitblik = Vooruitblik(sessie_id=sessie.id, inbrenger=naam)
        db.session.add(vooruitblik)
    vooruitblik.inbrenger, vooruitblik.datum = naam, datum
    db.session.flush()
    realtime.append_event(
        sessie,
        "leerkring.vooruitblik",
        live.vooruitblik_fragmenten(sessie),
        melding=f"Volgende casus: {naam}.",
        wis=eerder,
    )
    return vooruitblik


# --------------------------------------------------------------------------- peiling


@transactie
def beantwoord_peiling(
    sessie: Sessie,
    deelnemer: Deelnemer,
    *,
    waarde: str | int | None = None,
    woord: str | None = None,
    team_id: int | None = None,
) -> PeilingAntwoord:
    """A deelnemer answers the peiling of the current fase; answered again, it replaces the first."""
    _deelnemer(sessie, deelnemer)
    fase = fase_met(sessie, "peiling")
    if fase is None or fase.peiling is None:
        raise Ongeldig("waarde", "Deze peiling is gesloten: de begeleider is naar een andere fase gegaan.")
    if fase.peiling.vorm == "woord":
        getal, een = None, regels.een_woord(woord, "woord")
        if een:
            geen_bsn("woord", een)
    else:
        getal, een = regels.cijfer(waarde, "waarde", wat="een waarde"), None
    team = _team(sessie, team_id)
    antwoord = db.session.scalar(
        select(PeilingAntwoord).where(
            PeilingAntwoord.sessie_id == sessie.id,
            PeilingAntwoord.fase_key == fase.key,
            PeilingAntwoord.deelnemer_id == deelnemer.id,
        )
    )
    if antwoord is None:
        antwoord = PeilingAntwoord(
            sessie_id=sessie.id, fase_key=fase.key, deelnemer_id=deelnemer.id, waarde=getal, woord=een
        )
        db.session.add(antwoord)
    antwoord.waarde, antwoord.woord, antwoord.team_id = getal, een, team.id if team else None
    db.session.flush()
    realtime.append_event(sessie, "peiling.antwoord", live.peiling_fragmenten(sessie, fase))
    return antwoord


def _team(sessie: Sessie, team_id: int | None) -> Team | None:
    """The wijkteam the answer counts under: the sessie's only team, or the one chosen (optional)."""
    teams = teams_van(sessie)
    if len(teams) == 1:
        return teams[0]
    if not team_id:
        return None
    team = next((t for t in teams if t.id == team_id), None)
    if team is None:
        raise Ongeldig("team", "Kies een wijkteam uit de lijst.")
    return team
