"""Knelpunten rules: posting, anonymity, reveal, bundelen, stemmen, dialoog, timer, moderation.

Plain Python over the models (no `request`). Every change locks the sessie row first, so
writers of one sessie queue (SQLite already does with BEGIN IMMEDIATE); the fragments of the
event are rendered after the change, inside that lock, so the event with the higher seq always
carries the newer state and every screen that applies events in seq order ends up the same.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError

from facilitatie import privacy, realtime
from facilitatie.accounts.models import Team, User
from facilitatie.accounts.rollen import leidt_sessie
from facilitatie.extensions import db
from facilitatie.fouten import Geweigerd, Ongeldig
from facilitatie.knelpunten import live, regels
from facilitatie.knelpunten.models import (
    DOMEINEN,
    KNELPUNT,
    THEMA,
    Aanwezigheid,
    Knelpunt,
    KnelpuntInstellingen,
    Moderatie,
    Reactie,
    Stem,
    Thema,
)
from facilitatie.models_base import utcnow
from facilitatie.sessies.models import Deelnemer, Sessie, Status
from facilitatie.tekst import MAX_KNELPUNT_LENGTE

MAX_THEMA_NAAM = 120
MAX_REDEN = 500
MAX_STEMMEN = 1000
MAX_TIMER_MINUTEN = 240
_REQUEST_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


class PrivacyWaarschuwing(Ongeldig):
    """The text looks like it holds client data; the author may still choose 'Toch indienen'."""


class PrivacyBlokkade(Ongeldig):
    """The text holds a BSN: never stored."""


# --- settings and state -------------------------------------------------------------------


def instellingen(sessie: Sessie) -> KnelpuntInstellingen:
    """The sessie's settings; defaults (not stored) until the begeleider changes something."""
    inst = db.session.get(KnelpuntInstellingen, sessie.id)
    if inst is None:
        inst = KnelpuntInstellingen(
            sessie_id=sessie.id,
            verborgen_tot_onthulling=False,
            stemmen_per_deelnemer=3,
            max_per_item=3,
            deelnemers_bundelen=False,
            stemmen_op=THEMA,
            inbreng_open=False,
            stemmen_gesloten=False,
        )
    return inst


def _vergrendel(sessie: Sessie) -> KnelpuntInstellingen:
    """Take the sessie's write lock (PostgreSQL; SQLite writers are serialised at BEGIN) and
    return its stored settings row, created on first use."""
    db.session.execute(select(Sessie.id).where(Sessie.id == sessie.id).with_for_update(key_share=True))
    inst = db.session.get(KnelpuntInstellingen, sessie.id, populate_existing=True)
    if inst is None:
        inst = instellingen(sessie)
        db.session.add(inst)
        db.session.flush()
    return inst


def inbreng_open(sessie: Sessie) -> bool:
    """A concept sessie the begeleider opened for inbreng vooraf."""
    return sessie.status == Status.CONCEPT and instellingen(sessie).inbreng_open


def weergave(sessie: Sessie) -> str | None:
    """Which knelpunten panel the sessie shows now: knelpunten, bundelen, stemmen, dialoog or none."""
    if sessie.status == Status.CONCEPT:
        return "knelpunten" if instellingen(sessie).inbreng_open else None
    if sessie.status != Status.LIVE or sessie.fase_index is None:
        return None
    from facilitatie.sessies.service import huidige_fase

    fase = huidige_fase(sessie)
    if fase is None or fase.soort not in ("knelpunten", "bundelen", "stemmen", "dialoog"):
        return None
    if fase.soort == "dialoog" and na_beoordelen(sessie):
        return None  # a dialoog after a beoordelen ronde is about the verwachtingen, not the knelpunten
    return fase.soort


def na_beoordelen(sessie: Sessie) -> bool:
    """True when a fase of soort beoordelen comes before the current fase in the sessievorm."""
    from facilitatie.sessies.service import vorm_van

    fasen = vorm_van(sessie).fasen[: sessie.fase_index or 0]
    return any(f.soort == "beoordelen" for f in fasen)


def _leider(sessie: Sessie, user: User | None) -> None:
    if not leidt_sessie(user, sessie):
        raise Geweigerd("Alleen de begeleider van deze sessie kan dit doen.")


def _van_sessie(sessie: Sessie, obj: Knelpunt | Thema | Reactie | None) -> Knelpunt | Thema | Reactie:
    if obj is None or obj.sessie_id != sessie.id:
        raise Geweigerd("Dit hoort niet bij deze sessie.")
    return obj


_MAX_ID = 2**31 - 1  # larger ids cannot exist, and PostgreSQL refuses to compare with them


def _get(model: type, ident: int):
    return db.session.get(model, ident) if 0 < ident <= _MAX_ID else None


def knelpunt_van(sessie: Sessie, knelpunt_id: int) -> Knelpunt:
    return _van_sessie(sessie, _get(Knelpunt, knelpunt_id))  # type: ignore[return-value]


def thema_van(sessie: Sessie, thema_id: int) -> Thema:
    return _van_sessie(sessie, _get(Thema, thema_id))  # type: ignore[return-value]


def reactie_van(sessie: Sessie, reactie_id: int) -> Reactie:
    return _van_sessie(sessie, _get(Reactie, reactie_id))  # type: ignore[return-value]


def item_van(sessie: Sessie, soort: str, item_id: int, *, voor_begeleider: bool = False) -> Knelpunt | Thema:
    """A thema or knelpunt of this sessie that the caller may see."""
    if soort == THEMA:
        return thema_van(sessie, item_id)
    if soort == KNELPUNT:
        knelpunt = knelpunt_van(sessie, item_id)
        if knelpunt.verborgen or (not knelpunt.onthuld and not voor_begeleider):
            raise Geweigerd("Dit knelpunt is niet zichtbaar.")
        return knelpunt
    raise Ongeldig("item", "Kies een thema of knelpunt uit de lijst.")


# --- checking free text ------------------------------------------------------------------


def controleer_tekst(veld: str, tekst: str, *, bevestigd: bool, leeg: str, max_lengte: int) -> str:
    """Trim, require, cap, and run the privacy guard: a BSN is refused, other findings warn."""
    tekst = (tekst or "").strip()
    if not tekst:
        raise Ongeldig(veld, leeg)
    if len(tekst) > max_lengte:
        raise Ongeldig(veld, f"Gebruik hoogstens {max_lengte} tekens (nu {len(tekst)}).")
    uitslag = privacy.scan(tekst)
    if uitslag.blokkeren:
        raise PrivacyBlokkade(veld, uitslag.melding())
    if uitslag.waarschuwingen and not bevestigd:
        raise PrivacyWaarschuwing(veld, uitslag.melding())
    return tekst


def geldige_request_id(value: str | None) -> str | None:
    """A client request id as the forms send it (uuid4 hex); anything else is ignored."""
    value = (value or "").strip()
    return value if _REQUEST_ID.fullmatch(value) else None


# --- knelpunten ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Ingediend:
    """Outcome of a post: the knelpunt, the browser secret of an anonymous post, and whether
    this request stored it (False for a retry of an earlier request)."""

    knelpunt: Knelpunt
    sleutel: str | None
    nieuw: bool


def anonieme_sleutel(sessie_id: int, client_request_id: str) -> str:
    """The browser secret of an anonymous post, derived from its request id with the app key.

    Derived rather than random so a retried request hands out the same secret; it names no
    person, and the database only keeps its hash.
    """
    key = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(key, f"anoniem:{sessie_id}:{client_request_id}".encode(), hashlib.sha256).hexdigest()[:40]


def sleutel_hash(sleutel: str) -> str:
    return hashlib.sha256(sleutel.encode()).hexdigest()


def mag_indienen(sessie: Sessie) -> bool:
    return weergave(sessie) == "knelpunten"


def team_keuzes(sessie: Sessie) -> list[Team]:
    """The teams a knelpunt can be filed under: the sessie's teams, else the gemeente's."""
    if sessie.teams:
        return list(sessie.teams)
    return list(db.session.scalars(select(Team).where(Team.gemeente_id == sessie.gemeente_id).order_by(Team.naam)))


def _team(sessie: Sessie, team_id: int | None) -> Team | None:
    if not team_id:
        return None
    team = _get(Team, team_id)
    if team is None or team not in team_keuzes(sessie):
        raise Ongeldig("team", "Kies een wijkteam uit de lijst.")
    return team


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
    team = _team(sessie, team_id)
    inst = _vergrendel(sessie)
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
        data={"knelpunt": knelpunt.id},
    )
    db.session.commit()
    return Ingediend(knelpunt, sleutel, True)


def _nieuwe_id() -> str:
    import uuid

    return uuid.uuid4().hex


def _eerder_ingediend(sessie: Sessie, request_id: str) -> Ingediend | None:
    knelpunt = db.session.scalar(
        select(Knelpunt).where(Knelpunt.sessie_id == sessie.id, Knelpunt.client_request_id == request_id)
    )
    if knelpunt is None:
        return None
    sleutel = anonieme_sleutel(sessie.id, request_id) if knelpunt.anoniem else None
    return Ingediend(knelpunt, sleutel, False)


def is_auteur(knelpunt: Knelpunt, deelnemer: Deelnemer | None, sleutels: list[str]) -> bool:
    """The author: the deelnemer of a named post, or whoever holds an anonymous post's secret."""
    if knelpunt.anoniem:
        return knelpunt.sleutel_hash is not None and any(
            hmac.compare_digest(sleutel_hash(s), knelpunt.sleutel_hash) for s in sleutels
        )
    return deelnemer is not None and knelpunt.deelnemer_id == deelnemer.id


def mijn_knelpunten(sessie: Sessie, deelnemer: Deelnemer | None, sleutels: list[str]) -> list[Knelpunt]:
    """This browser's own posts: named ones by deelnemer, anonymous ones by secret."""
    hashes = [sleutel_hash(s) for s in sleutels[:100]]
    voorwaarden = []
    if deelnemer is not None:
        voorwaarden.append(Knelpunt.deelnemer_id == deelnemer.id)
    if hashes:
        voorwaarden.append(Knelpunt.sleutel_hash.in_(hashes))
    if not voorwaarden:
        return []
    from sqlalchemy import or_

    return list(
        db.session.scalars(
            select(Knelpunt)
            .where(Knelpunt.sessie_id == sessie.id, Knelpunt.verborgen.is_(False), or_(*voorwaarden))
            .order_by(Knelpunt.id)
        )
    )


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
    _van_sessie(sessie, knelpunt)
    if not is_auteur(knelpunt, deelnemer, sleutels) or knelpunt.verborgen:
        raise Geweigerd("Je kunt alleen je eigen knelpunten bewerken.")
    if not mag_indienen(sessie):
        raise Ongeldig("tekst", "Bewerken kan alleen zolang de fase knelpunten ophalen open is.")
    tekst = controleer_tekst(
        "tekst", tekst, bevestigd=bevestigd, leeg="Schrijf je knelpunt op.", max_lengte=MAX_KNELPUNT_LENGTE
    )
    if domein not in DOMEINEN:
        raise Ongeldig("domein", "Kies een domein uit de lijst.")
    inst = _vergrendel(sessie)
    knelpunt.tekst = tekst
    knelpunt.domein = domein
    knelpunt.bewerkt_op = utcnow()
    db.session.flush()
    realtime.append_event(
        sessie,
        "knelpunt.bewerkt",
        live.knelpunt_gewijzigd(sessie, inst, knelpunt),
        data={"knelpunt": knelpunt.id},
    )
    db.session.commit()


def intrekken(sessie: Sessie, knelpunt: Knelpunt, deelnemer: Deelnemer | None, sleutels: list[str]) -> None:
    """The author withdraws their own knelpunt while the fase is open: it is deleted."""
    _van_sessie(sessie, knelpunt)
    if not is_auteur(knelpunt, deelnemer, sleutels) or knelpunt.verborgen:
        raise Geweigerd("Je kunt alleen je eigen knelpunten intrekken.")
    if not mag_indienen(sessie):
        raise Ongeldig("tekst", "Intrekken kan alleen zolang de fase knelpunten ophalen open is.")
    inst = _vergrendel(sessie)
    knelpunt_id = knelpunt.id
    db.session.delete(knelpunt)
    db.session.flush()
    realtime.append_event(
        sessie,
        "knelpunt.ingetrokken",
        live.knelpunt_weg(sessie, inst, knelpunt_id),
        data={"knelpunt": knelpunt_id},
    )
    db.session.commit()


def onthullen(sessie: Sessie, user: User | None) -> int:
    """Show every hidden knelpunt to everyone; returns how many were revealed."""
    _leider(sessie, user)
    inst = _vergrendel(sessie)
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
    db.session.commit()
    return aantal


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
    _leider(sessie, user)
    if not 1 <= stemmen_per_deelnemer <= MAX_STEMMEN:
        raise Ongeldig("stemmen_per_deelnemer", f"Kies een aantal stemmen van 1 tot en met {MAX_STEMMEN}.")
    if not 1 <= max_per_item <= MAX_STEMMEN:
        raise Ongeldig("max_per_item", f"Kies een maximum per onderwerp van 1 tot en met {MAX_STEMMEN}.")
    if stemmen_op not in (THEMA, KNELPUNT):
        raise Ongeldig("stemmen_op", "Kies of er op thema's of op knelpunten gestemd wordt.")
    if inbreng_open and sessie.status != Status.CONCEPT:
        raise Ongeldig("inbreng_open", "Inbreng vooraf kan alleen voordat de sessie start.")
    inst = _vergrendel(sessie)
    onthul = inst.verborgen_tot_onthulling and not verborgen_tot_onthulling
    inst.verborgen_tot_onthulling = verborgen_tot_onthulling
    inst.stemmen_per_deelnemer = stemmen_per_deelnemer
    inst.max_per_item = max_per_item
    inst.deelnemers_bundelen = deelnemers_bundelen
    inst.stemmen_op = stemmen_op
    inbreng_wisselt = inbreng_open is not None and inbreng_open != inst.inbreng_open
    if inbreng_open is not None:
        inst.inbreng_open = inbreng_open
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
        melding=("Inbreng vooraf is geopend." if inst.inbreng_open else "Inbreng vooraf is gesloten.")
        if inbreng_wisselt
        else None,
        # Deelnemers' werkruimtes differ between open and closed inbreng: let them reload it.
        data={"verborgen": verborgen_tot_onthulling, "inbreng_open": inst.inbreng_open, "herladen": inbreng_wisselt},
    )
    db.session.commit()


def verbergen_knelpunt(sessie: Sessie, user: User | None, knelpunt: Knelpunt, reden: str) -> None:
    """Moderation: hide an improper knelpunt for everyone; the audit trail keeps who, when, why."""
    _leider(sessie, user)
    _van_sessie(sessie, knelpunt)
    reden = _reden(reden)
    if knelpunt.verborgen:
        return
    inst = _vergrendel(sessie)
    knelpunt.verborgen = True
    db.session.add(Moderatie(sessie_id=sessie.id, knelpunt_id=knelpunt.id, door_id=user.id, reden=reden))
    db.session.flush()
    realtime.append_event(
        sessie,
        "knelpunt.verborgen",
        live.knelpunt_weg(sessie, inst, knelpunt.id),
        melding="De begeleider heeft een knelpunt verborgen.",
        data={"knelpunt": knelpunt.id},
    )
    db.session.commit()


def _reden(reden: str) -> str:
    reden = (reden or "").strip()
    if not reden:
        raise Ongeldig("reden", "Geef een reden op, zodat later na te gaan is waarom.")
    if len(reden) > MAX_REDEN:
        raise Ongeldig("reden", f"Gebruik hoogstens {MAX_REDEN} tekens.")
    uitslag = privacy.scan(reden)
    if uitslag.blokkeren:
        raise PrivacyBlokkade("reden", uitslag.melding())
    return reden


# --- bundelen -----------------------------------------------------------------------------


def mag_bundelen(sessie: Sessie, user: User | None, deelnemer: Deelnemer | None) -> bool:
    """The begeleider always; deelnemers only in the bundelen fase of a sessie that allows it."""
    if leidt_sessie(user, sessie):
        return sessie.status != Status.AFGESLOTEN
    return (
        deelnemer is not None
        and deelnemer.sessie_id == sessie.id
        and weergave(sessie) == "bundelen"
        and instellingen(sessie).deelnemers_bundelen
    )


def _bundelaar(sessie: Sessie, user: User | None, deelnemer: Deelnemer | None) -> None:
    if not mag_bundelen(sessie, user, deelnemer):
        raise Geweigerd("Bundelen doet de begeleider in deze sessie.")


def _thema_naam(naam: str, bevestigd: bool) -> str:
    return controleer_tekst(
        "naam", naam, bevestigd=bevestigd, leeg="Geef het thema een naam.", max_lengte=MAX_THEMA_NAAM
    )


def thema_maken(
    sessie: Sessie, user: User | None, deelnemer: Deelnemer | None, naam: str, *, bevestigd: bool = False
) -> Thema:
    """A new, empty thema."""
    _bundelaar(sessie, user, deelnemer)
    naam = _thema_naam(naam, bevestigd)
    inst = _vergrendel(sessie)
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
    db.session.commit()
    return thema


def thema_hernoemen(
    sessie: Sessie, user: User | None, deelnemer: Deelnemer | None, thema: Thema, naam: str, *, bevestigd: bool = False
) -> None:
    _bundelaar(sessie, user, deelnemer)
    _van_sessie(sessie, thema)
    naam = _thema_naam(naam, bevestigd)
    inst = _vergrendel(sessie)
    thema.naam = naam
    db.session.flush()
    realtime.append_event(
        sessie,
        "thema.hernoemd",
        live.bord_opnieuw(sessie, inst),
        melding=f"Thema hernoemd: {naam}.",
        data={"thema": thema.id},
    )
    db.session.commit()


def thema_opheffen(sessie: Sessie, user: User | None, deelnemer: Deelnemer | None, thema: Thema) -> None:
    """Dissolve a thema: its knelpunten become loose again, nothing is lost."""
    _bundelaar(sessie, user, deelnemer)
    _van_sessie(sessie, thema)
    inst = _vergrendel(sessie)
    naam = thema.naam
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
        melding=f"Thema opgeheven: {naam}.",
        data={"thema": thema.id},
    )
    db.session.commit()


def verplaats(
    sessie: Sessie, user: User | None, deelnemer: Deelnemer | None, knelpunt: Knelpunt, thema: Thema | None
) -> None:
    """Move a knelpunt into a thema (or out of any): one UPDATE and one event, last writer wins."""
    _bundelaar(sessie, user, deelnemer)
    _van_sessie(sessie, knelpunt)
    if thema is not None:
        _van_sessie(sessie, thema)
    if knelpunt.verborgen:
        raise Geweigerd("Dit knelpunt is verborgen.")
    inst = _vergrendel(sessie)
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
    db.session.commit()


# --- stemmen ------------------------------------------------------------------------------


def stem_items(sessie: Sessie, inst: KnelpuntInstellingen | None = None) -> list[Knelpunt | Thema]:
    """What can be voted on: thema's plus loose knelpunten, or every knelpunt; visible ones only."""
    inst = inst or instellingen(sessie)
    knelpunten = list(
        db.session.scalars(
            select(Knelpunt)
            .where(Knelpunt.sessie_id == sessie.id, Knelpunt.verborgen.is_(False), Knelpunt.onthuld.is_(True))
            .order_by(Knelpunt.id)
        )
    )
    if inst.stemmen_op == KNELPUNT:
        return list(knelpunten)
    themas = list(db.session.scalars(select(Thema).where(Thema.sessie_id == sessie.id).order_by(Thema.id)))
    return [*themas, *[k for k in knelpunten if k.thema_id is None]]


def _stem_kolom(soort: str):
    return Stem.thema_id if soort == THEMA else Stem.knelpunt_id


def stemmen_open(sessie: Sessie) -> bool:
    return weergave(sessie) == "stemmen" and not instellingen(sessie).stemmen_gesloten


def mijn_stemmen(deelnemer: Deelnemer) -> dict[tuple[str, int], int]:
    rows = db.session.execute(
        select(Stem.thema_id, Stem.knelpunt_id, func.count())
        .where(Stem.deelnemer_id == deelnemer.id)
        .group_by(Stem.thema_id, Stem.knelpunt_id)
    )
    return {((THEMA, t) if t is not None else (KNELPUNT, k)): n for t, k, n in rows}


def stem(sessie: Sessie, deelnemer: Deelnemer, soort: str, item_id: int) -> None:
    """Give one stem. The deelnemer's row lock queues their concurrent votes; the unique slots
    (plek per deelnemer, n per item) make a limit that held under the lock hold in the database."""
    if deelnemer.sessie_id != sessie.id:
        raise Geweigerd("Je doet niet mee aan deze sessie.")
    item = item_van(sessie, soort, item_id)
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
    nieuw = Stem(sessie_id=sessie.id, deelnemer_id=deelnemer.id, plek=plek, n=n)
    if soort == THEMA:
        nieuw.thema_id = item_id
    else:
        nieuw.knelpunt_id = item_id
    db.session.add(nieuw)
    try:
        db.session.flush()
    except IntegrityError as exc:
        db.session.rollback()
        raise Ongeldig("stem", "Je stem kwam tegelijk met een andere binnen. Probeer het opnieuw.") from exc
    realtime.append_event(sessie, "stem.gegeven", live.stemmen_voortgang(sessie))
    db.session.commit()


def stem_intrekken(sessie: Sessie, deelnemer: Deelnemer, soort: str, item_id: int) -> None:
    """Take back one's latest stem on this item while voting is open."""
    if deelnemer.sessie_id != sessie.id:
        raise Geweigerd("Je doet niet mee aan deze sessie.")
    item_van(sessie, soort, item_id)
    if not stemmen_open(sessie):
        raise Ongeldig("stem", "Stemmen kan nu niet meer worden gewijzigd.")
    db.session.execute(select(Deelnemer.id).where(Deelnemer.id == deelnemer.id).with_for_update())
    laatste = db.session.scalar(
        select(Stem)
        .where(Stem.deelnemer_id == deelnemer.id, _stem_kolom(soort) == item_id)
        .order_by(Stem.n.desc())
        .limit(1)
    )
    if laatste is None:
        raise Ongeldig("stem", "Je hebt geen stem op dit onderwerp om in te trekken.")
    db.session.delete(laatste)
    db.session.flush()
    realtime.append_event(sessie, "stem.ingetrokken", live.stemmen_voortgang(sessie))
    db.session.commit()


@dataclass(frozen=True)
class Uitslag:
    item: Knelpunt | Thema
    stemmen: int


def uitslag(sessie: Sessie) -> list[Uitslag]:
    """Items by votes, most first; ties keep the order they were made in."""
    items = stem_items(sessie)
    tellingen: dict[tuple[str, int], int] = {}
    for t, k, n in db.session.execute(
        select(Stem.thema_id, Stem.knelpunt_id, func.count())
        .where(Stem.sessie_id == sessie.id)
        .group_by(Stem.thema_id, Stem.knelpunt_id)
    ):
        tellingen[(THEMA, t) if t is not None else (KNELPUNT, k)] = n
    regels = [Uitslag(item, tellingen.get((item.soort, item.id), 0)) for item in items]
    return sorted(regels, key=lambda r: -r.stemmen)


def stemmen_sluiten(sessie: Sessie, user: User | None) -> None:
    """Close the vote: from now on everyone sees the results, ordered by votes."""
    _leider(sessie, user)
    inst = _vergrendel(sessie)
    if inst.stemmen_gesloten:
        raise Ongeldig("stem", "Het stemmen is al gesloten.")
    inst.stemmen_gesloten = True
    db.session.flush()
    realtime.append_event(
        sessie,
        "stemmen.gesloten",
        live.stemmen_gesloten(sessie),
        melding="Het stemmen is gesloten. De uitslag staat op het scherm.",
    )
    db.session.commit()


def stemmen_heropenen(sessie: Sessie, user: User | None) -> None:
    _leider(sessie, user)
    inst = _vergrendel(sessie)
    inst.stemmen_gesloten = False
    db.session.flush()
    # Each deelnemer's ballot is personal: `herladen` makes every page fetch its own panel again.
    realtime.append_event(sessie, "stemmen.heropend", {}, melding="Het stemmen is weer open.", data={"herladen": True})
    db.session.commit()


# --- dialoog ------------------------------------------------------------------------------


def dialoog_items(sessie: Sessie) -> list[Uitslag]:
    """The order of the dialoog: by votes."""
    return uitslag(sessie)


def op_scherm(sessie: Sessie) -> Knelpunt | Thema | None:
    inst = instellingen(sessie)
    if not inst.scherm_soort or inst.scherm_id is None:
        return None
    model = Thema if inst.scherm_soort == THEMA else Knelpunt
    item = db.session.get(model, inst.scherm_id)
    if item is None or item.sessie_id != sessie.id or getattr(item, "verborgen", False):
        return None
    return item


def zet_op_scherm(sessie: Sessie, user: User | None, soort: str, item_id: int) -> None:
    """The begeleider puts one item on everyone's screen."""
    _leider(sessie, user)
    item = item_van(sessie, soort, item_id, voor_begeleider=True)
    inst = _vergrendel(sessie)
    inst.scherm_soort, inst.scherm_id = soort, item.id
    db.session.flush()
    realtime.append_event(
        sessie,
        "dialoog.scherm",
        live.dialoog_opnieuw(sessie, inst),
        melding=f"Nu op het scherm: {item.titel}",
        data={"soort": soort, "item": item.id},
    )
    db.session.commit()


def besproken(sessie: Sessie, user: User | None, soort: str, item_id: int, waarde: bool = True) -> None:
    _leider(sessie, user)
    item = item_van(sessie, soort, item_id, voor_begeleider=True)
    inst = _vergrendel(sessie)
    item.besproken_op = utcnow() if waarde else None
    db.session.flush()
    realtime.append_event(
        sessie,
        "dialoog.besproken",
        live.dialoog_opnieuw(sessie, inst, formulier=False),
        melding=f"Besproken: {item.titel}" if waarde else None,
        data={"soort": soort, "item": item.id},
    )
    db.session.commit()


def reacties(item: Knelpunt | Thema) -> list[Reactie]:
    kolom = Reactie.thema_id if item.soort == THEMA else Reactie.knelpunt_id
    return list(
        db.session.scalars(select(Reactie).where(kolom == item.id, Reactie.verborgen.is_(False)).order_by(Reactie.id))
    )


def mag_reageren(sessie: Sessie) -> bool:
    """During the dialoog, and beforehand while inbreng vooraf is open."""
    return weergave(sessie) == "dialoog" or inbreng_open(sessie)


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
    inst = _vergrendel(sessie)
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
        melding=f"Nieuwe reactie ({reactie.perspectief}) op {item.titel}",
        data={"reactie": reactie.id},
    )
    db.session.commit()
    return reactie


def verbergen_reactie(sessie: Sessie, user: User | None, reactie: Reactie, reden: str) -> None:
    """Moderation of a reactie, with an audit record."""
    _leider(sessie, user)
    _van_sessie(sessie, reactie)
    reden = _reden(reden)
    if reactie.verborgen:
        return
    _vergrendel(sessie)
    reactie.verborgen = True
    db.session.add(Moderatie(sessie_id=sessie.id, reactie_id=reactie.id, door_id=user.id, reden=reden))
    db.session.flush()
    realtime.append_event(
        sessie,
        "reactie.verborgen",
        live.reactie_weg(reactie.id),
        melding="De begeleider heeft een reactie verborgen.",
        data={"reactie": reactie.id},
    )
    db.session.commit()


# --- timer --------------------------------------------------------------------------------


def timer_stand(inst: KnelpuntInstellingen, sessie: Sessie) -> tuple[str, int]:
    """('loopt'|'pauze'|'uit', seconds left) from the stored end time or paused remainder.

    A timer belongs to the fase it was started in: in any other fase it is off.
    """
    if inst.timer_fase != sessie.fase_index:
        return "uit", 0
    if inst.timer_rest is not None:
        return "pauze", inst.timer_rest
    if inst.timer_eind is not None:
        return "loopt", max(0, int((inst.timer_eind - utcnow()).total_seconds()))
    return "uit", 0


def _minuten(n: int) -> str:
    return "1 minuut" if n == 1 else f"{n} minuten"


def timer(sessie: Sessie, user: User | None, actie: str, minuten: int = 0, label: str = "") -> None:
    """Start, pause, resume, extend or stop the sessie's timer; the server keeps the end time."""
    _leider(sessie, user)
    inst = _vergrendel(sessie)
    stand, rest = timer_stand(inst, sessie)
    now = utcnow()
    if actie == "start":
        if not 1 <= minuten <= MAX_TIMER_MINUTEN:
            raise Ongeldig("minuten", "Kies een tijd van 1 minuut tot en met 4 uur (240 minuten).")
        label = (label or "").strip()[:200]
        if label and privacy.scan(label).blokkeren:
            raise Ongeldig("label", privacy.scan(label).melding())
        inst.timer_eind, inst.timer_rest, inst.timer_label = now + timedelta(minutes=minuten), None, label or None
        inst.timer_fase = sessie.fase_index
    elif actie == "pauze":
        if stand != "loopt":
            raise Ongeldig("minuten", "De timer loopt niet.")
        inst.timer_rest, inst.timer_eind = rest, None
    elif actie == "hervat":
        if stand != "pauze":
            raise Ongeldig("minuten", "De timer staat niet op pauze.")
        inst.timer_eind, inst.timer_rest = now + timedelta(seconds=rest), None
    elif actie == "verlengen":
        if stand == "uit":
            raise Ongeldig("minuten", "Start eerst de timer.")
        if not 1 <= minuten <= MAX_TIMER_MINUTEN or rest + minuten * 60 > MAX_TIMER_MINUTEN * 60:
            raise Ongeldig("minuten", "De timer kan hoogstens 4 uur lopen.")
        if stand == "pauze":
            inst.timer_rest = rest + minuten * 60
        else:
            inst.timer_eind = max(inst.timer_eind or now, now) + timedelta(minutes=minuten)
    elif actie == "stop":
        inst.timer_eind = inst.timer_rest = inst.timer_label = inst.timer_fase = None
    else:
        raise Ongeldig("minuten", "Onbekende actie voor de timer.")
    db.session.flush()
    meldingen = {
        "start": f"De timer loopt: {_minuten(minuten)}.",
        "pauze": "De timer staat op pauze.",
        "hervat": "De timer loopt weer.",
        "verlengen": f"De timer is verlengd met {_minuten(minuten)}.",
        "stop": "De timer is gestopt.",
    }
    realtime.append_event(sessie, "timer." + actie, live.timer_opnieuw(sessie, inst), melding=meldingen[actie])
    db.session.commit()


# --- presence -----------------------------------------------------------------------------


def verbonden(sid: str, sessie: Sessie, *, ik_id: int | None) -> None:
    """Record a connected socket (a row per sid, so every process counts the same)."""
    deelnemer = db.session.get(Deelnemer, ik_id) if ik_id else None
    db.session.execute(delete(Aanwezigheid).where(Aanwezigheid.sid == sid))
    db.session.add(
        Aanwezigheid(
            sid=sid,
            sessie_id=sessie.id,
            deelnemer_id=deelnemer.id if deelnemer else None,
            perspectief=deelnemer.perspectief if deelnemer else None,
        )
    )
    db.session.commit()


def verbroken(sid: str) -> int | None:
    """Forget a socket; returns its sessie id so the begeleider's count can be refreshed."""
    rij = db.session.get(Aanwezigheid, sid)
    if rij is None:
        return None
    sessie_id = rij.sessie_id
    db.session.execute(delete(Aanwezigheid).where(Aanwezigheid.sid == sid))
    db.session.commit()
    return sessie_id


def aanwezig(sessie_id: int) -> dict[str, int]:
    """Connected deelnemers per perspective (distinct deelnemers; several tabs count once)."""
    rows = db.session.execute(
        select(Aanwezigheid.perspectief, func.count(func.distinct(Aanwezigheid.deelnemer_id)))
        .where(Aanwezigheid.sessie_id == sessie_id, Aanwezigheid.deelnemer_id.is_not(None))
        .group_by(Aanwezigheid.perspectief)
    )
    return {p or "anders": n for p, n in rows}
