"""Sessie commands: creating, joining, and moving through the fasen (plain Python, no request).

Each command is one unit of work (`werk.transactie`): it commits when it returns and rolls
back when it raises. Reads every area shares (sessievorm, current fase) are in `lezen`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from facilitatie import realtime
from facilitatie.accounts.models import Gemeente, Team, User
from facilitatie.accounts.perspectieven import keuzes_bij_deelnemen, volgorde_van
from facilitatie.accounts.rollen import PERSPECTIEF_VAN_ROL, Perspectief, kan_sessie_aanmaken, leidt_sessie
from facilitatie.extensions import db
from facilitatie.fouten import Geweigerd, Ongeldig
from facilitatie.invoer import geen_bsn
from facilitatie.models_base import utcnow
from facilitatie.sessies import live
from facilitatie.sessies.codes import generate_code, is_plausible, normalise_code
from facilitatie.sessies.deelname import sessie_met_code
from facilitatie.sessies.lezen import huidige_fase, inbreng_vooraf, vorm_van, vormen
from facilitatie.sessies.models import Deelnemer, Sessie, Status
from facilitatie.werk import transactie

MAX_TITEL = 200
MAX_NAAM = 80


@transactie
def create_sessie(
    *,
    begeleider: User,
    titel: str,
    vorm: str,
    gemeente: Gemeente | None = None,
    teams: list[Team] | None = None,
    naam_verplicht: bool = False,
    daarna: Sequence[Callable[[Sessie], None]] = (),
) -> Sessie:
    """A new sessie in concept, with a fresh deelnamecode so the begeleider can share it early.

    `daarna`: what later areas do with the new sessie (aanmaken.Onderdeel.na_aanmaken: a reeks,
    verwachtingen taken over), in this same unit of work, so a refusal there leaves no sessie.
    """
    if not kan_sessie_aanmaken(begeleider):
        raise Geweigerd("Alleen een begeleider kan een sessie aanmaken.")
    titel = titel.strip()
    if not titel:
        raise Ongeldig("titel", "Geef de sessie een titel.")
    if len(titel) > MAX_TITEL:
        raise Ongeldig("titel", f"Een titel heeft hoogstens {MAX_TITEL} tekens.")
    geen_bsn("titel", titel)
    if vorm not in vormen():
        raise Ongeldig("sessievorm", "Kies een sessievorm uit de lijst.")
    if begeleider.gemeente_id is not None and gemeente is not None and gemeente.id != begeleider.gemeente_id:
        raise Geweigerd("Je maakt alleen sessies voor je eigen gemeente.")
    gemeente = gemeente or begeleider.gemeente
    if gemeente is None:
        raise Ongeldig("gemeente", "Kies de gemeente waarvoor deze sessie is.")
    teams = teams or []
    if any(team.gemeente_id != gemeente.id for team in teams):
        raise Ongeldig("teams", "Kies alleen wijkteams van deze gemeente.")
    sessie = Sessie(
        titel=titel,
        sessievorm=vorm,
        gemeente=gemeente,
        begeleider=begeleider,
        teams=teams,
        naam_verplicht=naam_verplicht,
        status=Status.CONCEPT,
        deelnamecode=_unused_code(),
    )
    db.session.add(sessie)
    db.session.flush()
    for stap in daarna:
        stap(sessie)
    return sessie


def _unused_code() -> str:
    for _ in range(20):
        code = generate_code()
        taken = db.session.scalar(
            select(Sessie.id).where(Sessie.deelnamecode == code, Sessie.status != Status.AFGESLOTEN)
        )
        if taken is None:
            return code
    raise RuntimeError("geen vrije deelnamecode gevonden")  # 27^6 codes: practically unreachable


def _require_leader(user: User | None, sessie: Sessie) -> None:
    if not leidt_sessie(user, sessie):
        raise Geweigerd("Alleen de begeleider van deze sessie kan de fasen bedienen.")


@transactie
def start(sessie: Sessie, user: User | None) -> None:
    """Go live at the first fase; deelnemers can join from now on."""
    _require_leader(user, sessie)
    if sessie.status != Status.CONCEPT:
        raise Ongeldig("status", "Deze sessie is al gestart.")
    now = utcnow()
    sessie.status = Status.LIVE
    sessie.fase_index = 0
    sessie.gestart_op = now
    sessie.fase_gestart_op = now
    _announce_fase(sessie, "sessie.gestart")
    _flush_or_conflict(sessie)


@transactie
def ga_naar_fase(sessie: Sessie, user: User | None, index: int) -> None:
    """Move to another fase (next, previous, or any by number); only while live."""
    _require_leader(user, sessie)
    if sessie.status != Status.LIVE:
        raise Ongeldig("status", "De fasen kunnen alleen wisselen terwijl de sessie live is.")
    aantal = len(vorm_van(sessie).fasen)
    if not 0 <= index < aantal:
        raise Ongeldig("fase", "Die fase bestaat niet in deze sessievorm.")
    if index == sessie.fase_index:
        return
    sessie.fase_index = index
    sessie.fase_gestart_op = utcnow()
    _announce_fase(sessie, "fase.gewijzigd")
    _flush_or_conflict(sessie)


@transactie
def volgende_fase(sessie: Sessie, user: User | None) -> None:
    _require_leader(user, sessie)
    if sessie.fase_index is not None and sessie.fase_index + 1 >= len(vorm_van(sessie).fasen):
        raise Ongeldig("fase", "Dit is de laatste fase. Sluit de sessie af als jullie klaar zijn.")
    ga_naar_fase(sessie, user, (sessie.fase_index or 0) + 1)


@transactie
def vorige_fase(sessie: Sessie, user: User | None) -> None:
    _require_leader(user, sessie)
    if not sessie.fase_index:
        raise Ongeldig("fase", "Dit is de eerste fase.")
    ga_naar_fase(sessie, user, sessie.fase_index - 1)


@transactie
def afsluiten(sessie: Sessie, user: User | None) -> None:
    """Close the sessie: the code stops working and may be issued again later."""
    _require_leader(user, sessie)
    if sessie.status == Status.AFGESLOTEN:
        raise Ongeldig("status", "Deze sessie is al afgesloten.")
    sessie.status = Status.AFGESLOTEN
    sessie.afgesloten_op = utcnow()
    _announce_fase(sessie, "sessie.afgesloten")
    _flush_or_conflict(sessie)


def _announce_fase(sessie: Sessie, type_: str) -> None:
    fase = huidige_fase(sessie)
    if sessie.status == Status.AFGESLOTEN:
        melding = "De sessie is afgesloten."
    elif fase is not None:
        melding = f"Nieuwe fase: {fase.titel}."
    else:
        melding = None
    realtime.append_event(
        sessie,
        type_,
        live.fase_fragmenten(sessie, vorm_van(sessie)),
        melding=melding,
        data={"fase": sessie.fase_index, "status": sessie.status},
    )


def _flush_or_conflict(sessie: Sessie) -> None:
    try:
        db.session.flush()
    except IntegrityError as exc:  # a concurrent change won; the unit of work rolls it all back
        raise Ongeldig("status", "Iemand anders wijzigde de sessie tegelijk. Probeer het opnieuw.") from exc


class CodeFout(Ongeldig):
    """A deelnamecode that does not lead to a sessie one can join."""


def find_joinable(raw_code: str) -> Sessie:
    """The live sessie for a code, or a clear Dutch reason why not."""
    code = normalise_code(raw_code)
    if not code:
        raise CodeFout("code", "Vul de deelnamecode in die de begeleider laat zien.")
    if not is_plausible(code):
        raise CodeFout("code", "Deze deelnamecode bestaat niet. Een code heeft 6 tekens, bijvoorbeeld ABC 789.")
    sessie = sessie_met_code(code)
    if sessie is None:
        raise CodeFout("code", "Er is geen sessie met deze deelnamecode. Controleer de code.")
    if sessie.status == Status.AFGESLOTEN:
        raise CodeFout("code", "Deze sessie is afgesloten. Meedoen kan niet meer.")
    if sessie.status == Status.CONCEPT and not inbreng_vooraf(sessie):
        raise CodeFout("code", "Deze sessie is nog niet gestart. Probeer het zo opnieuw.")
    return sessie


def inbreng_vooraf_zetten(sessie: Sessie, open_: bool) -> bool:
    """Open or close a concept sessie for inbreng vooraf, inside the caller's unit of work.

    Returns whether it changed. Only before the start: a live sessie is joined anyway.
    """
    if open_ and sessie.status != Status.CONCEPT:
        raise Ongeldig("inbreng_open", "Inbreng vooraf kan alleen voordat de sessie start.")
    if bool(sessie.inbreng_open) == open_:
        return False
    sessie.inbreng_open = open_
    return True


@transactie
def join(
    sessie: Sessie, *, user: User | None, naam: str, perspectief: str, keuzes: list[tuple[str, str]] | None = None
) -> Deelnemer:
    """Add a deelnemer; an account is linked and sets the perspective where it implies one.

    `keuzes`: the perspectives of the sessie's gemeente (`keuzes_bij_deelnemen`), when the
    caller read them already for its form.
    """
    if sessie.status != Status.LIVE and not (sessie.status == Status.CONCEPT and inbreng_vooraf(sessie)):
        raise CodeFout("code", "Deze sessie is niet live. Meedoen kan nu niet.")
    naam = naam.strip()
    if len(naam) > MAX_NAAM:
        raise Ongeldig("naam", f"Een naam heeft hoogstens {MAX_NAAM} tekens.")
    geen_bsn("naam", naam)
    if user is not None and not naam:
        naam = user.naam
    if sessie.naam_verplicht and not naam:
        raise Ongeldig("naam", "Bij deze sessie vul je je naam in.")
    keuzes = keuzes if keuzes is not None else keuzes_bij_deelnemen(sessie.gemeente_id)
    if user is not None and (user.perspectief or PERSPECTIEF_VAN_ROL.get(user.rol)):
        perspectief = user.perspectief or PERSPECTIEF_VAN_ROL[user.rol]
        if perspectief not in set(Perspectief) | set(volgorde_van(sessie.gemeente_id)):
            perspectief = Perspectief.ANDERS  # an account's perspective from another gemeente counts as anders
    elif perspectief not in {sleutel for sleutel, _ in keuzes}:
        namen = ", ".join(label.lower() for _, label in keuzes[:-1]) + " of " + keuzes[-1][1].lower()
        raise Ongeldig("perspectief", f"Kies je perspectief: {namen}.")
    if user is not None:
        bestaand = db.session.scalar(
            select(Deelnemer).where(Deelnemer.sessie_id == sessie.id, Deelnemer.user_id == user.id)
        )
        if bestaand is not None:
            return bestaand
    # By ids, not relationships: the unit of work then only inserts the row, without walking the
    # sessie's deelnemers collection and the account (a third of a join's CPU in a wave).
    deelnemer = Deelnemer(
        sessie_id=sessie.id, user_id=user.id if user is not None else None, naam=naam or None, perspectief=perspectief
    )
    if "deelnemers" in sessie.__dict__:  # loaded in this unit already: it shows the new one too
        sessie.deelnemers.append(deelnemer)
    db.session.add(deelnemer)
    db.session.flush()
    # No event: a join changes nothing a deelnemer sees, and an event would be a fan-out to
    # everyone connected per join (a wave of 1,000 is 1,000,000 messages). The begeleider's
    # count follows as presence, batched (aanwezigheid.ververs_begeleider, after the commit).
    return deelnemer
