"""Opvolging rules with the database: besluiten, acties and their history, eerder gemeld, reeksen.

No `request` here: views and the JSON API parse and authorise, then call these functions,
which check the rules again (regels.py, rechten.py), change the rows and commit.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, func, select, true
from sqlalchemy.exc import IntegrityError

from facilitatie import privacy, realtime
from facilitatie.accounts.models import User
from facilitatie.accounts.rollen import Rol
from facilitatie.extensions import db
from facilitatie.fouten import Geweigerd, Ongeldig
from facilitatie.knelpunten.models import Knelpunt, Thema
from facilitatie.models_base import utcnow
from facilitatie.opvolging import gelijkenis, rechten, regels
from facilitatie.opvolging.models import (
    Actie,
    ActieHistorie,
    Besluit,
    EerderGemeld,
    Reeks,
    actie_knelpunt,
    sessie_reeks,
)
from facilitatie.sessies.models import Sessie, Status
from facilitatie.verwachtingen.models import Verwachting

MAX_OMSCHRIJVING = 500
MAX_AFDELING = 120
MAX_REEKSNAAM = 120


# --------------------------------------------------------------------------- knelpunten in scope


def knelpunt_zichtbaar() -> ColumnElement[bool]:
    """Knelpunten hidden by moderation (if the knelpunten area has such a column) do not count."""
    kolommen = Knelpunt.__table__.c
    for naam in ("verborgen", "is_verborgen", "gemodereerd"):
        if naam in kolommen:
            return kolommen[naam].is_not(True)
    for naam in ("verborgen_op", "gemodereerd_op", "verwijderd_op"):
        if naam in kolommen:
            return kolommen[naam].is_(None)
    return true()


def is_zichtbaar(knelpunt: Knelpunt) -> bool:
    """Python twin of knelpunt_zichtbaar() for one loaded row."""
    for naam in ("verborgen", "is_verborgen", "gemodereerd"):
        if hasattr(knelpunt, naam):
            return not getattr(knelpunt, naam)
    for naam in ("verborgen_op", "gemodereerd_op", "verwijderd_op"):
        if hasattr(knelpunt, naam):
            return getattr(knelpunt, naam) is None
    return True


def knelpunten_van_sessie(sessie: Sessie) -> list[Knelpunt]:
    """The sessie's visible knelpunten, by thema then in order of posting."""
    return list(
        db.session.scalars(
            select(Knelpunt)
            .where(Knelpunt.sessie_id == sessie.id, knelpunt_zichtbaar())
            .order_by(Knelpunt.thema_id.is_(None), Knelpunt.thema_id, Knelpunt.id)
        )
    )


def besluiten_per_knelpunt(knelpunt_ids: Iterable[int]) -> dict[int, Besluit]:
    ids = list(knelpunt_ids)
    if not ids:
        return {}
    return {b.knelpunt_id: b for b in db.session.scalars(select(Besluit).where(Besluit.knelpunt_id.in_(ids)))}


def acties_per_knelpunt(knelpunt_ids: Iterable[int]) -> dict[int, list[Actie]]:
    ids = list(knelpunt_ids)
    uitkomst: dict[int, list[Actie]] = {i: [] for i in ids}
    if not ids:
        return uitkomst
    rijen = db.session.execute(
        select(actie_knelpunt.c.knelpunt_id, Actie)
        .join(Actie, Actie.id == actie_knelpunt.c.actie_id)
        .where(actie_knelpunt.c.knelpunt_id.in_(ids))
        .order_by(Actie.id)
    )
    for knelpunt_id, actie in rijen:
        uitkomst[knelpunt_id].append(actie)
    return uitkomst


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
    commit: bool = True,
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
    if besluit is None:
        besluit = Besluit(knelpunt_id=knelpunt.id)
        db.session.add(besluit)
    besluit.soort = besluitsoort.value
    besluit.reden = _schoon(reden, "reden", toch=toch)
    besluit.doorverwezen_naar = _schoon(doorverwezen_naar, "doorverwezen_naar", toch=toch, maximum=200)
    besluit.toelichting = _schoon(toelichting, "toelichting", toch=toch)
    besluit.thema_id = thema.id if thema else None
    besluit.besloten_door_id = user.id
    besluit.besloten_op = utcnow()
    if sessie.status == Status.LIVE:
        realtime.append_event(
            sessie,
            "opvolging.besluit",
            {},
            melding=None,
            data={"knelpunt": knelpunt.id, "besluit": besluitsoort.value},
        )
    if commit:
        db.session.commit()
    return besluit


def besluit_voor_thema(thema: Thema, user: User, **velden: str | bool) -> list[Besluit]:
    """One besluit for every visible knelpunt of a thema, all or nothing."""
    knelpunten = [k for k in thema.knelpunten if is_zichtbaar(k)]
    if not knelpunten:
        raise Ongeldig("soort", "Dit thema heeft geen knelpunten.")
    besluiten = [besluit_nemen(k, user, thema=thema, commit=False, **velden) for k in knelpunten]  # type: ignore[arg-type]
    db.session.commit()
    return besluiten


# --------------------------------------------------------------------------- acties


def mogelijke_eigenaren(gemeente_id: int) -> list[User]:
    """People of the gemeente who can carry an actie (not the wethouder: bestuur reviews)."""
    return list(
        db.session.scalars(
            select(User)
            .where(
                User.gemeente_id == gemeente_id,
                User.actief.is_(True),
                User.rol.in_((Rol.BELEIDSMEDEWERKER, Rol.BEGELEIDER, Rol.WIJKTEAMLID)),
            )
            .order_by(User.naam)
        )
    )


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
    tekst = _schoon(omschrijving, "omschrijving", toch=toch, maximum=MAX_OMSCHRIJVING)
    if not tekst:
        raise Ongeldig("omschrijving", "Beschrijf de actie: wat gaat er gebeuren?")
    eigenaar = _eigenaar(gemeente_id, eigenaar_id)
    datum = _streefdatum(streefdatum)
    afdeling_schoon = _schoon(afdeling, "afdeling", toch=toch, maximum=MAX_AFDELING)
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
    if sessie is not None and sessie.status == Status.LIVE:
        realtime.append_event(sessie, "opvolging.actie", {}, data={"actie": actie.id})
    db.session.commit()
    return actie


def verwachtingen_van(sessie: Sessie) -> list[Verwachting]:
    """The sessie's verwachtingen an actie can follow up (bijgestelde first)."""
    lijst = list(
        db.session.scalars(select(Verwachting).where(Verwachting.sessie_id == sessie.id).order_by(Verwachting.id))
    )
    return sorted(lijst, key=lambda v: not (v.ambitie and v.ambitie.uitkomst == "bijgesteld"))


def _mag_bijwerken(actie: Actie, user: User) -> None:
    if not rechten.kan_actie_bijwerken(user, actie.gemeente_id, actie.eigenaar_id):
        raise Geweigerd("Alleen de eigenaar, beleidsmedewerkers en begeleiders van deze gemeente werken acties bij.")


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
    db.session.commit()
    return actie


def notitie_toevoegen(actie: Actie, user: User, notitie: str, *, toch: bool = False) -> Actie:
    """A voortgangsnotitie without a status change: logged as history like everything else."""
    _mag_bijwerken(actie, user)
    schoon = _schoon(notitie, "reden", toch=toch)
    if not schoon:
        raise Ongeldig("reden", "Schrijf een voortgangsnotitie.")
    actie.bijgewerkt_op = utcnow()
    db.session.add(ActieHistorie(actie_id=actie.id, door_id=user.id, veld="notitie", reden=schoon))
    db.session.commit()
    return actie


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
    afdeling_schoon = _schoon(afdeling, "afdeling", toch=toch, maximum=MAX_AFDELING)
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
    db.session.commit()
    db.session.refresh(actie)
    return actie


# --------------------------------------------------------------------------- eerder gemeld


@dataclass(frozen=True)
class Suggestie:
    knelpunt: Knelpunt
    eerder: Knelpunt
    score: float


MAX_CORPUS = 3000
"""Earlier knelpunten compared per request; older ones than this rarely come back unnoticed."""


def suggesties(sessie: Sessie, *, max_per_knelpunt: int = 3) -> dict[int, list[Suggestie]]:
    """Per knelpunt of this sessie, similar knelpunten from earlier sessies of the same gemeente."""
    eigen = knelpunten_van_sessie(sessie)
    if not eigen:
        return {}
    gekoppeld = {
        (k, e)
        for k, e in db.session.execute(
            select(EerderGemeld.knelpunt_id, EerderGemeld.eerder_id).where(
                EerderGemeld.knelpunt_id.in_([k.id for k in eigen])
            )
        )
    }
    eerdere = list(
        db.session.scalars(
            select(Knelpunt)
            .join(Sessie, Sessie.id == Knelpunt.sessie_id)
            .where(
                Sessie.gemeente_id == sessie.gemeente_id,
                Knelpunt.sessie_id != sessie.id,
                Knelpunt.aangemaakt_op <= func.coalesce(sessie.gestart_op, utcnow()),
                knelpunt_zichtbaar(),
            )
            .order_by(Knelpunt.aangemaakt_op.desc())
            .limit(MAX_CORPUS)
        )
    )
    corpus = {k.id: k.tekst for k in eerdere}
    per_id = {k.id: k for k in eerdere}
    uitkomst: dict[int, list[Suggestie]] = {}
    for knelpunt in eigen:
        kandidaten = gelijkenis.vergelijkbare(knelpunt.tekst, corpus, max_aantal=max_per_knelpunt + 2)
        lijst = [
            Suggestie(knelpunt, per_id[k.sleutel], k.score)
            for k in kandidaten
            if (knelpunt.id, k.sleutel) not in gekoppeld
        ][:max_per_knelpunt]
        if lijst:
            uitkomst[knelpunt.id] = lijst
    return uitkomst


def eerste_melding(knelpunt_id: int) -> int:
    """Follow 'eerder gemeld' links back to the first time a signal was raised."""
    gezien = {knelpunt_id}
    huidig = knelpunt_id
    while True:
        eerder = db.session.scalar(
            select(EerderGemeld.eerder_id).where(EerderGemeld.knelpunt_id == huidig).order_by(EerderGemeld.id).limit(1)
        )
        if eerder is None or eerder in gezien:
            return huidig
        gezien.add(eerder)
        huidig = eerder


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
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise Ongeldig("eerder", "Deze koppeling bestaat al.") from None
    return koppeling


def eerder_gemeld_van(knelpunt_ids: Iterable[int]) -> dict[int, list[Knelpunt]]:
    """Per knelpunt the earlier knelpunten it is linked to."""
    ids = list(knelpunt_ids)
    uitkomst: dict[int, list[Knelpunt]] = {}
    if not ids:
        return uitkomst
    for koppeling in db.session.scalars(select(EerderGemeld).where(EerderGemeld.knelpunt_id.in_(ids))):
        uitkomst.setdefault(koppeling.knelpunt_id, []).append(koppeling.eerder)
    return uitkomst


# --------------------------------------------------------------------------- reeksen


def reeks_van(sessie: Sessie) -> Reeks | None:
    reeks_id = db.session.scalar(select(sessie_reeks.c.reeks_id).where(sessie_reeks.c.sessie_id == sessie.id))
    return db.session.get(Reeks, reeks_id) if reeks_id else None


def reeksen(gemeente_id: int) -> list[Reeks]:
    return list(db.session.scalars(select(Reeks).where(Reeks.gemeente_id == gemeente_id).order_by(Reeks.naam)))


def reeks_instellen(sessie: Sessie, user: User, *, reeks_id: int | None, nieuwe_naam: str = "") -> Reeks | None:
    """Put a sessie in an existing reeks, a new one, or none."""
    if not rechten.kan_besluiten(user, sessie.gemeente_id):
        raise Geweigerd("Alleen begeleiders en beleidsmedewerkers van deze gemeente beheren reeksen.")
    naam = (nieuwe_naam or "").strip()
    reeks: Reeks | None = None
    if naam:
        if len(naam) > MAX_REEKSNAAM:
            raise Ongeldig("naam", f"Een reeksnaam heeft hoogstens {MAX_REEKSNAAM} tekens.")
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
    db.session.commit()
    return reeks


def acties_uit_reeks(sessie: Sessie, vandaag: date) -> list[Actie]:
    """Open and late acties from earlier sessies of the same reeks, late ones first."""
    reeks = reeks_van(sessie)
    if reeks is None:
        return []
    eerdere = (
        select(sessie_reeks.c.sessie_id)
        .join(Sessie, Sessie.id == sessie_reeks.c.sessie_id)
        .where(
            sessie_reeks.c.reeks_id == reeks.id,
            Sessie.id != sessie.id,
            Sessie.aangemaakt_op <= sessie.aangemaakt_op,
        )
    )
    acties = list(
        db.session.scalars(
            select(Actie)
            .where(
                Actie.sessie_id.in_(eerdere),
                Actie.status.in_((regels.Actiestatus.OPEN, regels.Actiestatus.IN_UITVOERING)),
            )
            .order_by(Actie.streefdatum, Actie.id)
        )
    )
    return sorted(acties, key=lambda a: not regels.is_te_laat(a.status, a.streefdatum, vandaag))
