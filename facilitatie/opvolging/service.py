"""Opvolging commands: besluiten, acties and their history, eerder gemeld, reeksen.

No `request` here: views and the JSON API parse and authorise, then call these commands,
which check the rules again (regels.py, rechten.py) and change the rows. Each command is
one unit of work (`werk.transactie`): it commits when it returns and rolls everything back
when it refuses, so no view commits or rolls back. Reads live in lezen.py, which never
imports this module.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from facilitatie import privacy, realtime
from facilitatie.accounts.models import User
from facilitatie.extensions import db
from facilitatie.fouten import Geweigerd, Ongeldig
from facilitatie.invoer import geen_bsn
from facilitatie.knelpunten.models import Knelpunt, Thema
from facilitatie.models_base import utcnow
from facilitatie.opvolging import fragmenten, gebeurtenissen, rechten, regels
from facilitatie.opvolging.lezen import eerste_melding, is_zichtbaar, knelpunt_zichtbaar, mogelijke_eigenaren
from facilitatie.opvolging.models import (
    Actie,
    ActieHistorie,
    Besluit,
    BesluitHistorie,
    EerderGemeld,
    Reeks,
    sessie_reeks,
)
from facilitatie.sessies.models import Sessie, Status
from facilitatie.verwachtingen.models import Verwachting
from facilitatie.werk import transactie

# --------------------------------------------------------------------------- privacy


def _schoon(tekst: str | None, veld: str, *, toch: bool, maximum: int = regels.MAX_TEKST) -> str | None:
    """Trim, bound and privacy-scan free text; a BSN is always refused, other hits unless `toch`."""
    schoon = (tekst or "").strip()
    if not schoon:
        return None
    if len(schoon) > maximum:
        raise Ongeldig(veld, f"Deze tekst is te lang: hoogstens {maximum} tekens.")
    uitslag = privacy.scan(schoon)
    if uitslag.blokkeren or (uitslag.waarschuwingen and not toch):
        raise Ongeldig(veld, uitslag.melding().replace("Toch indienen", "Toch opslaan"))
    return schoon


# --------------------------------------------------------------------------- besluiten


@transactie
def besluit_nemen(
    knelpunt: Knelpunt,
    user: User,
    *,
    soort: str,
    reden: str = "",
    doorverwezen_naar: str = "",
    toelichting: str = "",
    thema: Thema | None = None,
    toch: bool = False,
) -> Besluit:
    """Record (or change) the besluit on a knelpunt; who and when are stored with it."""
    sessie = knelpunt.sessie
    if not rechten.kan_besluiten(user, sessie.gemeente_id):
        raise Geweigerd("Alleen begeleiders en beleidsmedewerkers van deze gemeente leggen besluiten vast.")
    if not is_zichtbaar(knelpunt):
        raise Ongeldig("soort", "Dit knelpunt is verborgen en krijgt geen besluit.")
    try:
        besluitsoort = regels.controleer_besluit(soort, reden, doorverwezen_naar, toelichting)
    except regels.OngeldigBesluit as fout:
        raise Ongeldig(fout.veld, fout.bericht) from None
    besluit = db.session.scalar(select(Besluit).where(Besluit.knelpunt_id == knelpunt.id))
    nieuw = besluit is None
    if besluit is None:
        besluit = Besluit(knelpunt_id=knelpunt.id)
        db.session.add(besluit)
    besluit.soort = besluitsoort.value
    besluit.reden = _schoon(reden, "reden", toch=toch)
    besluit.doorverwezen_naar = _schoon(
        doorverwezen_naar, "doorverwezen_naar", toch=toch, maximum=regels.MAX_DOORVERWEZEN_NAAR
    )
    besluit.toelichting = _schoon(toelichting, "toelichting", toch=toch)
    besluit.thema_id = thema.id if thema else None
    besluit.besloten_door_id = user.id
    besluit.besloten_op = utcnow()
    db.session.add(
        BesluitHistorie(
            knelpunt_id=knelpunt.id,
            door_id=user.id,
            op=besluit.besloten_op,
            soort=besluit.soort,
            reden=besluit.reden,
            doorverwezen_naar=besluit.doorverwezen_naar,
            toelichting=besluit.toelichting,
        )
    )
    db.session.flush()
    gebeurtenissen.besluit_vastgelegd.send(knelpunt, besluit=besluit, door=user, nieuw=nieuw)
    if sessie.status == Status.LIVE:
        realtime.append_event(
            sessie,
            "opvolging.besluit",
            fragmenten.besluiten_live(sessie),
            melding=None,
            data={"knelpunt": knelpunt.id, "besluit": besluitsoort.value},
        )
    return besluit


@transactie
def besluit_voor_thema(thema: Thema, user: User, **velden: str | bool) -> list[Besluit]:
    """One besluit for every visible knelpunt of a thema, all or nothing."""
    knelpunten = [k for k in thema.knelpunten if is_zichtbaar(k)]
    if not knelpunten:
        raise Ongeldig("soort", "Dit thema heeft geen knelpunten.")
    besluiten = [besluit_nemen(k, user, thema=thema, **velden) for k in knelpunten]  # type: ignore[arg-type]
    return besluiten


# --------------------------------------------------------------------------- acties


def _eigenaar(gemeente_id: int, eigenaar_id: int | None) -> User:
    eigenaar = db.session.get(User, eigenaar_id) if eigenaar_id else None
    if eigenaar is None or eigenaar not in mogelijke_eigenaren(gemeente_id):
        raise Ongeldig("eigenaar", "Kies een eigenaar uit de lijst: een persoon van deze gemeente.")
    return eigenaar


def _streefdatum(waarde: date | str | None) -> date:
    if isinstance(waarde, date):
        return waarde
    try:
        return date.fromisoformat((waarde or "").strip())
    except ValueError:
        raise Ongeldig("streefdatum", "Vul een streefdatum in, bijvoorbeeld 2026-12-31.") from None


@transactie
def actie_toevoegen(
    user: User,
    *,
    gemeente_id: int,
    omschrijving: str,
    eigenaar_id: int | None,
    streefdatum: date | str | None,
    afdeling: str = "",
    knelpunt_ids: Iterable[int] = (),
    sessie: Sessie | None = None,
    verwachting_id: int | None = None,
    toch: bool = False,
) -> Actie:
    """A new actie with one eigenaar and a streefdatum, linked to knelpunten of the same gemeente."""
    if not rechten.kan_besluiten(user, gemeente_id):
        raise Geweigerd("Alleen begeleiders en beleidsmedewerkers van deze gemeente maken acties aan.")
    tekst = _schoon(omschrijving, "omschrijving", toch=toch, maximum=regels.MAX_OMSCHRIJVING)
    if not tekst:
        raise Ongeldig("omschrijving", "Beschrijf de actie: wat gaat er gebeuren?")
    eigenaar = _eigenaar(gemeente_id, eigenaar_id)
    datum = _streefdatum(streefdatum)
    afdeling_schoon = _schoon(afdeling, "afdeling", toch=toch, maximum=regels.MAX_AFDELING)
    ids = sorted(set(knelpunt_ids))
    knelpunten = list(
        db.session.scalars(
            select(Knelpunt)
            .join(Sessie, Sessie.id == Knelpunt.sessie_id)
            .where(Knelpunt.id.in_(ids), Sessie.gemeente_id == gemeente_id, knelpunt_zichtbaar())
        )
    )
    if len(knelpunten) != len(ids):
        raise Ongeldig("knelpunten", "Koppel alleen knelpunten van deze gemeente.")
    if verwachting_id is not None:
        verwachting = db.session.get(Verwachting, verwachting_id)
        if verwachting is None or verwachting.gemeente_id != gemeente_id:
            raise Ongeldig("verwachting", "Kies een verwachting van deze gemeente.")
    actie = Actie(
        gemeente_id=gemeente_id,
        sessie_id=sessie.id if sessie else None,
        omschrijving=tekst,
        eigenaar_id=eigenaar.id,
        afdeling=afdeling_schoon,
        streefdatum=datum,
        status=regels.Actiestatus.OPEN.value,
        aangemaakt_door_id=user.id,
        knelpunten=knelpunten,
        verwachting_id=verwachting_id,
    )
    db.session.add(actie)
    db.session.flush()
    db.session.add(
        ActieHistorie(actie_id=actie.id, door_id=user.id, veld="aangemaakt", van=None, naar=regels.Actiestatus.OPEN)
    )
    gebeurtenissen.actie_aangemaakt.send(actie, door=user)
    if sessie is not None and sessie.status == Status.LIVE:
        realtime.append_event(sessie, "opvolging.actie", fragmenten.besluiten_live(sessie), data={"actie": actie.id})
    return actie


def _mag_bijwerken(actie: Actie, user: User) -> None:
    if not rechten.kan_actie_bijwerken(user, actie.gemeente_id, actie.eigenaar_id):
        raise Geweigerd("Alleen de eigenaar, beleidsmedewerkers en begeleiders van deze gemeente werken acties bij.")


@transactie
def status_wijzigen(actie: Actie, user: User, naar: str, reden: str = "", *, toch: bool = False) -> Actie:
    """Move an actie along regels.OVERGANGEN only; the change and its voortgangsnotitie go into history."""
    _mag_bijwerken(actie, user)
    try:
        regels.controleer_overgang(actie.status, naar, reden)
    except regels.OngeldigeOvergang as fout:
        raise Ongeldig("status", fout.bericht) from None
    notitie = _schoon(reden, "reden", toch=toch)
    van = actie.status
    actie.status = regels.Actiestatus(naar).value
    nu = utcnow()
    actie.afgerond_op = nu if actie.status == regels.Actiestatus.AFGEROND else None
    actie.bijgewerkt_op = nu
    db.session.add(
        ActieHistorie(
            actie_id=actie.id, door_id=user.id, op=nu, veld="status", van=van, naar=actie.status, reden=notitie
        )
    )
    db.session.flush()
    gebeurtenissen.actie_status_gewijzigd.send(actie, van=van, naar=actie.status, door=user)
    return actie


@transactie
def notitie_toevoegen(actie: Actie, user: User, notitie: str, *, toch: bool = False) -> Actie:
    """A voortgangsnotitie without a status change: logged as history like everything else."""
    _mag_bijwerken(actie, user)
    schoon = _schoon(notitie, "reden", toch=toch)
    if not schoon:
        raise Ongeldig("reden", "Schrijf een voortgangsnotitie.")
    actie.bijgewerkt_op = utcnow()
    db.session.add(ActieHistorie(actie_id=actie.id, door_id=user.id, veld="notitie", reden=schoon))
    return actie


@transactie
def actie_wijzigen(
    actie: Actie,
    user: User,
    *,
    eigenaar_id: int | None,
    afdeling: str,
    streefdatum: date | str | None,
    toelichting: str,
    reden: str = "",
    toch: bool = False,
) -> Actie:
    """Change eigenaar, afdeling, streefdatum or toelichting; each changed field gets a history row."""
    _mag_bijwerken(actie, user)
    eigenaar = _eigenaar(actie.gemeente_id, eigenaar_id)
    datum = _streefdatum(streefdatum)
    afdeling_schoon = _schoon(afdeling, "afdeling", toch=toch, maximum=regels.MAX_AFDELING)
    toelichting_schoon = _schoon(toelichting, "toelichting", toch=toch)
    waarom = _schoon(reden, "reden", toch=toch)
    wijzigingen: list[tuple[str, str | None, str | None]] = []
    if eigenaar.id != actie.eigenaar_id:
        wijzigingen.append(("eigenaar", actie.eigenaar.naam if actie.eigenaar else None, eigenaar.naam))
        actie.eigenaar_id = eigenaar.id
    if afdeling_schoon != actie.afdeling:
        wijzigingen.append(("afdeling", actie.afdeling, afdeling_schoon))
        actie.afdeling = afdeling_schoon
    if datum != actie.streefdatum:
        wijzigingen.append(
            ("streefdatum", actie.streefdatum.isoformat() if actie.streefdatum else None, datum.isoformat())
        )
        actie.streefdatum = datum
    if toelichting_schoon != actie.toelichting:
        wijzigingen.append(
            ("toelichting", (actie.toelichting or "")[:200] or None, (toelichting_schoon or "")[:200] or None)
        )
        actie.toelichting = toelichting_schoon
    if not wijzigingen:
        raise Ongeldig("eigenaar", "Er is niets gewijzigd.")
    nu = utcnow()
    actie.bijgewerkt_op = nu
    for veld, van, naar in wijzigingen:
        db.session.add(
            ActieHistorie(actie_id=actie.id, door_id=user.id, op=nu, veld=veld, van=van, naar=naar, reden=waarom)
        )
    db.session.flush()
    db.session.refresh(actie)
    return actie


# --------------------------------------------------------------------------- eerder gemeld


@transactie
def eerder_gemeld_koppelen(
    knelpunt: Knelpunt, eerder: Knelpunt, user: User, score: float | None = None
) -> EerderGemeld:
    """Mark knelpunt as a signal that came back; the link points at its first melding."""
    if not rechten.kan_besluiten(user, knelpunt.sessie.gemeente_id):
        raise Geweigerd("Alleen begeleiders en beleidsmedewerkers van deze gemeente koppelen knelpunten.")
    if eerder.sessie.gemeente_id != knelpunt.sessie.gemeente_id or eerder.id == knelpunt.id:
        raise Ongeldig("eerder", "Koppel alleen aan een eerder knelpunt van deze gemeente.")
    if eerder.aangemaakt_op > knelpunt.aangemaakt_op:
        raise Ongeldig("eerder", "Het andere knelpunt is later gemeld; koppel het nieuwe aan het oudere.")
    eerste = eerste_melding(eerder.id)
    if eerste == knelpunt.id:
        raise Ongeldig("eerder", "Deze knelpunten zijn al aan elkaar gekoppeld.")
    bestaand = db.session.scalar(
        select(EerderGemeld).where(EerderGemeld.knelpunt_id == knelpunt.id, EerderGemeld.eerder_id == eerste)
    )
    if bestaand is not None:
        return bestaand
    koppeling = EerderGemeld(knelpunt_id=knelpunt.id, eerder_id=eerste, score=score, gekoppeld_door_id=user.id)
    db.session.add(koppeling)
    try:
        db.session.flush()
    except IntegrityError:  # linked at the same moment by someone else; the unit of work rolls back
        raise Ongeldig("eerder", "Deze koppeling bestaat al.") from None
    return koppeling


# --------------------------------------------------------------------------- reeksen


@transactie
def reeks_instellen(sessie: Sessie, user: User, *, reeks_id: int | None, nieuwe_naam: str = "") -> Reeks | None:
    """Put a sessie in an existing reeks, a new one, or none."""
    if not rechten.kan_besluiten(user, sessie.gemeente_id):
        raise Geweigerd("Alleen begeleiders en beleidsmedewerkers van deze gemeente beheren reeksen.")
    naam = (nieuwe_naam or "").strip()
    reeks: Reeks | None = None
    if naam:
        if len(naam) > regels.MAX_REEKSNAAM:
            raise Ongeldig("naam", f"Een reeksnaam heeft hoogstens {regels.MAX_REEKSNAAM} tekens.")
        geen_bsn("naam", naam)
        reeks = Reeks(gemeente_id=sessie.gemeente_id, naam=naam)
        db.session.add(reeks)
        db.session.flush()
    elif reeks_id:
        reeks = db.session.get(Reeks, reeks_id)
        if reeks is None or reeks.gemeente_id != sessie.gemeente_id:
            raise Ongeldig("reeks", "Kies een reeks van deze gemeente.")
    db.session.execute(sessie_reeks.delete().where(sessie_reeks.c.sessie_id == sessie.id))
    if reeks is not None:
        db.session.execute(sessie_reeks.insert().values(sessie_id=sessie.id, reeks_id=reeks.id))
    return reeks
