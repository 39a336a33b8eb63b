"""Verwachtingen commands: adding, copying, rondes, beoordelen, the bijgesteld ambitieniveau.

Plain Python on top of the models; no `request`. Every change a user makes in a sessie is
logged with `realtime.append_event` in the same unit of work (`werk.transactie`), which
commits it, or rolls all of it back when a rule refuses. Reads are in `lezen`, the protected
results in `uitslag`, CSV and verslag in `export`.
"""

from __future__ import annotations

import math
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from facilitatie import privacy, realtime
from facilitatie.accounts.models import User
from facilitatie.accounts.rollen import leidt_sessie
from facilitatie.extensions import db
from facilitatie.fouten import Geweigerd, Ongeldig
from facilitatie.knelpunten.models import Knelpunt
from facilitatie.models_base import utcnow
from facilitatie.sessies.models import Deelnemer, Sessie, Status
from facilitatie.verwachtingen import live
from facilitatie.verwachtingen import statistiek as stat
from facilitatie.verwachtingen.lezen import (
    OPEN,
    RONDE_NAMEN,
    RONDES,
    SCHAAL_LABELS,
    WEET_NIET,
    aantal_beoordelaars,
    drempels,
    eerdere_sessies,
    overgenomen_tekst,
    ronde_status,
    rondes_van,
    verwachtingen_van,
)
from facilitatie.verwachtingen.models import (
    MAX_BRON,
    MAX_TEKST,
    MAX_TOELICHTING,
    UITKOMST_LABELS,
    Ambitie,
    Beoordeling,
    Instellingen,
    Ronde,
    Uitkomst,
    Verwachting,
    uitkomst_van,
)
from facilitatie.werk import transactie


class PrivacyWaarschuwing(Ongeldig):
    """Text that may hold client data; the begeleider can confirm with "Toch toevoegen"."""


def _verwachting_van(sessie: Sessie, verwachting_id: int) -> Verwachting:
    verwachting = db.session.get(Verwachting, verwachting_id)
    if verwachting is None or verwachting.sessie_id != sessie.id:
        raise Ongeldig("verwachting", "Deze verwachting hoort niet bij deze sessie.")
    return verwachting


def _require_leader(user: User | None, sessie: Sessie) -> None:
    if not leidt_sessie(user, sessie):
        raise Geweigerd("Alleen de begeleider van deze sessie kan de verwachtingen en rondes bedienen.")


def _schoon(waarde: str | None) -> str | None:
    waarde = (waarde or "").strip()
    return waarde or None


def _scan(teksten: list[str | None], toch: bool) -> None:
    # Each field on its own: joined, the end of one and the start of the next could read as one number.
    uitkomsten = [privacy.scan(t) for t in teksten if t]
    uitkomst = privacy.Scan(
        blokkeren=tuple(b for u in uitkomsten for b in u.blokkeren),
        waarschuwingen=tuple(b for u in uitkomsten for b in u.waarschuwingen),
    )
    if uitkomst.blokkeren:
        raise Ongeldig("tekst", uitkomst.melding().replace("Knelpunten gaan", "Verwachtingen gaan"))
    if uitkomst.waarschuwingen and not toch:
        raise PrivacyWaarschuwing("tekst", uitkomst.melding().replace("Toch indienen", "Toch toevoegen"))


@transactie
def voeg_toe(
    sessie: Sessie,
    user: User | None,
    *,
    tekst: str,
    bron: str | None = None,
    toelichting: str | None = None,
    knelpunt_id: int | None = None,
    toch: bool = False,
) -> Verwachting:
    """ "Verwachting toevoegen": before or during the sessie, never after it closed."""
    _require_leader(user, sessie)
    if sessie.status == Status.AFGESLOTEN:
        raise Ongeldig("tekst", "Deze sessie is afgesloten; er kunnen geen verwachtingen meer bij.")
    tekst_s, bron_s, toelichting_s = _schoon(tekst), _schoon(bron), _schoon(toelichting)
    if not tekst_s:
        raise Ongeldig("tekst", "Schrijf de verwachting op, bijvoorbeeld ‘Elk gezin heeft binnen twee weken één plan’.")
    if len(tekst_s) > MAX_TEKST:
        raise Ongeldig("tekst", f"Een verwachting heeft hoogstens {MAX_TEKST} tekens. Maak haar korter.")
    if bron_s and len(bron_s) > MAX_BRON:
        raise Ongeldig("bron", f"Een bron heeft hoogstens {MAX_BRON} tekens.")
    if toelichting_s and len(toelichting_s) > MAX_TOELICHTING:
        raise Ongeldig("toelichting", f"Een toelichting heeft hoogstens {MAX_TOELICHTING} tekens.")
    if knelpunt_id is not None:
        _knelpunt_van(sessie, knelpunt_id)
    _scan([tekst_s, bron_s, toelichting_s], toch)
    volgorde = (
        db.session.scalar(select(func.max(Verwachting.volgorde)).where(Verwachting.sessie_id == sessie.id)) or 0
    ) + 1
    verwachting = Verwachting(
        sessie_id=sessie.id,
        gemeente_id=sessie.gemeente_id,
        tekst=tekst_s,
        bron=bron_s,
        toelichting=toelichting_s,
        knelpunt_id=knelpunt_id,
        volgorde=volgorde,
    )
    db.session.add(verwachting)
    db.session.flush()
    _announce_lijst(sessie, "verwachtingen.toegevoegd", f"Nieuwe verwachting: {tekst_s}")
    return verwachting


def _knelpunt_van(sessie: Sessie, knelpunt_id: int) -> Any:

    knelpunt = db.session.get(Knelpunt, knelpunt_id)
    if knelpunt is None or knelpunt.sessie_id != sessie.id:
        raise Ongeldig("knelpunt", "Dit knelpunt hoort niet bij deze sessie.")
    return knelpunt


def knelpunt_voorstel(sessie: Sessie, user: User | None, knelpunt_id: int) -> str:
    """A first wording taken from the knelpunt, for the begeleider to sharpen."""
    _require_leader(user, sessie)
    tekst = " ".join(_knelpunt_van(sessie, knelpunt_id).tekst.split())
    return tekst if len(tekst) <= MAX_TEKST else tekst[: MAX_TEKST - 1].rstrip() + "…"


@transactie
def kopieer(sessie: Sessie, user: User | None, bron_sessie_id: int) -> int:
    """Copy the verwachtingen of an earlier sessie of the gemeente, each keeping its herkomst.

    Bijgesteld: the new wording; losgelaten verwachtingen are not copied: the group let them go.
    """
    _require_leader(user, sessie)
    if sessie.status == Status.AFGESLOTEN:
        raise Ongeldig("bron_sessie", "Deze sessie is afgesloten; er kunnen geen verwachtingen meer bij.")
    bron = db.session.get(Sessie, bron_sessie_id)
    if bron is None or bron not in eerdere_sessies(sessie, user):
        raise Ongeldig("bron_sessie", "Kies een eerdere sessie van deze gemeente uit de lijst.")
    aantal = _neem_over(sessie, verwachtingen_van(bron))
    if aantal == 0:
        raise Ongeldig("bron_sessie", "Er waren geen nieuwe verwachtingen om over te nemen uit die sessie.")
    _announce_lijst(sessie, "verwachtingen.gekopieerd", f"{aantal} verwachtingen overgenomen.")
    return aantal


@transactie
def neem_over(sessie: Sessie, user: User | None, verwachtingen: list[Verwachting]) -> int:
    """Take verwachtingen of earlier sessies into this one to be rated again (a reeks' next sessie).

    The caller chose them (e.g. the latest of each line in the reeks); each must be of this
    gemeente and of another sessie. Returns how many were taken over.
    """
    _require_leader(user, sessie)
    if sessie.status == Status.AFGESLOTEN:
        raise Ongeldig("verwachtingen", "Deze sessie is afgesloten; er kunnen geen verwachtingen meer bij.")
    if any(v.gemeente_id != sessie.gemeente_id or v.sessie_id == sessie.id for v in verwachtingen):
        raise Ongeldig("verwachtingen", "Kies alleen verwachtingen van eerdere sessies van deze gemeente.")
    aantal = _neem_over(sessie, verwachtingen)
    if aantal:
        _announce_lijst(sessie, "verwachtingen.gekopieerd", f"{aantal} verwachtingen overgenomen.")
    return aantal


def _neem_over(sessie: Sessie, oude: list[Verwachting]) -> int:
    """Copy each into `sessie` with its herkomst and lijn; a line or text already here is skipped."""
    volgorde = db.session.scalar(select(func.max(Verwachting.volgorde)).where(Verwachting.sessie_id == sessie.id)) or 0
    hier = verwachtingen_van(sessie)
    bestaand = {v.tekst for v in hier}
    lijnen = {v.lijn for v in hier}
    aantal = 0
    for oud in oude:
        tekst = overgenomen_tekst(oud)
        if tekst is None or tekst in bestaand or oud.lijn in lijnen:
            continue
        volgorde += 1
        aantal += 1
        bestaand.add(tekst)
        lijnen.add(oud.lijn)
        db.session.add(
            Verwachting(
                sessie_id=sessie.id,
                gemeente_id=sessie.gemeente_id,
                tekst=tekst,
                bron=oud.bron,
                toelichting=oud.toelichting,
                volgorde=volgorde,
                herkomst_id=oud.id,
                lijn_id=oud.lijn,
            )
        )
    db.session.flush()
    return aantal


@transactie
def verwijder(sessie: Sessie, user: User | None, verwachting_id: int) -> None:
    """Remove a verwachting that nobody rated yet (a typo, a double)."""
    _require_leader(user, sessie)
    verwachting = _verwachting_van(sessie, verwachting_id)
    beoordeeld = db.session.scalar(
        select(func.count(Beoordeling.id)).where(Beoordeling.verwachting_id == verwachting.id)
    )
    if beoordeeld:
        raise Ongeldig("verwachting", "Deze verwachting is al beoordeeld en kan niet meer weg.")
    db.session.delete(verwachting)
    db.session.flush()
    _announce_lijst(sessie, "verwachtingen.verwijderd", None, wis=True)


def _announce_lijst(sessie: Sessie, type_: str, melding: str | None, *, wis: bool = False) -> None:
    fragmenten = live.lijst_fragmenten(sessie)
    open_ronde = next((n for n, r in rondes_van(sessie).items() if r.is_open), None)
    if open_ronde is not None:
        # Deelnemers' forms are per person: they fetch theirs again.
        fragmenten[realtime.DEELNEMERS] = live.deelnemer_herladen(sessie, open_ronde)
    realtime.append_event(sessie, type_, fragmenten, melding=melding if open_ronde else None, wis=wis)


@transactie
def open_ronde(sessie: Sessie, user: User | None, ronde: int) -> None:
    """ "Ronde openen": ronde 2 only after ronde 1 closed; one ronde open at a time."""
    _require_leader(user, sessie)
    if ronde not in RONDES:
        raise Ongeldig("ronde", "Er zijn alleen ronde 1 en ronde 2.")
    if sessie.status != Status.LIVE:
        raise Ongeldig("ronde", "Een ronde kan alleen open terwijl de sessie live is.")
    if not verwachtingen_van(sessie):
        raise Ongeldig("ronde", "Voeg eerst een verwachting toe; daarna kan de ronde open.")
    rondes = rondes_van(sessie)
    if any(r.is_open for r in rondes.values()):
        raise Ongeldig("ronde", "Er is al een ronde open. Sluit die eerst.")
    if ronde == 2 and (1 not in rondes):
        raise Ongeldig("ronde", "Open en sluit eerst ronde 1 (voormeting).")
    if ronde == 1 and 2 in rondes:
        raise Ongeldig("ronde", "Ronde 2 is al begonnen; ronde 1 kan niet meer open.")
    bestaand = rondes.get(ronde)
    if bestaand is None:
        db.session.add(Ronde(sessie_id=sessie.id, ronde=ronde, geopend_op=utcnow()))
    else:  # opened again after closing: the results hide until it closes again
        bestaand.gesloten_op = None
    db.session.flush()
    fragmenten = live.rondes_fragmenten(sessie)
    fragmenten[realtime.DEELNEMERS] = live.deelnemer_herladen(sessie, ronde) + live.uitslag_fragment(sessie)
    fragmenten[realtime.BEGELEIDER] += live.uitslag_fragment(sessie)
    realtime.append_event(
        sessie,
        "verwachtingen.ronde_geopend",
        fragmenten,
        melding=f"Ronde {ronde} ({RONDE_NAMEN[ronde]}) is open: beoordeel de verwachtingen.",
        data={"ronde": ronde},
    )
    _flush_or_conflict(sessie)


@transactie
def sluit_ronde(sessie: Sessie, user: User | None, ronde: int) -> None:
    """ "Ronde sluiten": ratings stop and the uitslag appears for everyone at once."""
    _require_leader(user, sessie)
    r = rondes_van(sessie).get(ronde)
    if r is None or not r.is_open:
        raise Ongeldig("ronde", f"Ronde {ronde} is niet open.")
    r.gesloten_op = utcnow()
    db.session.flush()
    fragmenten = live.rondes_fragmenten(sessie)
    fragmenten[realtime.DEELNEMERS] = live.deelnemer_gesloten(sessie, ronde) + live.uitslag_fragment(sessie)
    fragmenten[realtime.BEGELEIDER] += live.uitslag_fragment(sessie)
    realtime.append_event(
        sessie,
        "verwachtingen.ronde_gesloten",
        fragmenten,
        melding=f"Ronde {ronde} is gesloten. De uitkomst staat op het scherm.",
        data={"ronde": ronde},
    )
    _flush_or_conflict(sessie)


def _flush_or_conflict(sessie: Sessie) -> None:
    try:
        db.session.flush()
    except IntegrityError as exc:  # e.g. two clicks on "Ronde openen" at once; the unit of work rolls back
        raise Ongeldig("ronde", "Iemand anders wijzigde de ronde tegelijk. Probeer het opnieuw.") from exc


def _score(ruw: str, schaal: str, verwachting_id: int) -> int | None:
    if ruw == WEET_NIET:
        return None
    if ruw in {"1", "2", "3", "4", "5"}:
        return int(ruw)
    raise Ongeldig(f"verwachting-{verwachting_id}", f"Kies bij {SCHAAL_LABELS[schaal]} 1 tot 5 of Weet niet.")


@transactie
def beoordeel(
    sessie: Sessie,
    deelnemer: Deelnemer | None,
    ronde: int,
    antwoorden: dict[int, tuple[str | None, str | None]],
) -> int:
    """Store this deelnemer's answers (wenselijk, haalbaar as "1".."5" or "weet-niet").

    A verwachting left blank on both scales is skipped; one scale blank is an error. The
    database holds one row per deelnemer, verwachting and ronde: a second post (another tab,
    a retry) updates it, also when two posts race. Returns the number of answers stored.
    """
    if deelnemer is None or deelnemer.sessie_id != sessie.id:
        raise Geweigerd("Je doet niet mee aan deze sessie.")
    if sessie.status != Status.LIVE:
        raise Ongeldig("beoordeling", "De sessie is niet live; beoordelen kan nu niet.")
    if ronde not in RONDES or ronde_status(sessie, ronde) != OPEN:
        raise Ongeldig(
            "beoordeling", "Deze ronde is niet open. Beoordelen kan alleen als de begeleider de ronde opent."
        )
    geldig = {v.id: v for v in verwachtingen_van(sessie)}
    scores: dict[int, tuple[int | None, int | None]] = {}
    for verwachting_id, (wenselijk, haalbaar) in antwoorden.items():
        if verwachting_id not in geldig:
            continue  # not of this sessie: never stored
        if wenselijk is None and haalbaar is None:
            continue
        if wenselijk is None or haalbaar is None:
            ontbreekt = "Wenselijk" if wenselijk is None else "Haalbaar"
            raise Ongeldig(f"verwachting-{verwachting_id}", f"Kies ook bij {ontbreekt} een waarde, of Weet niet.")
        scores[verwachting_id] = (
            _score(wenselijk, "wenselijk", verwachting_id),
            _score(haalbaar, "haalbaar", verwachting_id),
        )
    if not scores:
        raise Ongeldig("beoordeling", "Kies bij minstens één verwachting een waarde voor Wenselijk en Haalbaar.")
    # Queue behind other writers of this sessie, so the live count below is exact.
    db.session.execute(select(Sessie.id).where(Sessie.id == sessie.id).with_for_update())
    for verwachting_id, (wenselijk, haalbaar) in sorted(scores.items()):
        _upsert(verwachting_id, deelnemer, ronde, wenselijk, haalbaar)
    db.session.flush()
    aantal = aantal_beoordelaars(sessie, ronde)
    realtime.append_event(
        sessie,
        "verwachtingen.beoordeeld",
        live.teller_fragmenten(sessie, ronde, aantal),
        data={"ronde": ronde, "aantal": aantal},
    )
    return len(scores)


def _upsert(verwachting_id: int, deelnemer: Deelnemer, ronde: int, wenselijk: int | None, haalbaar: int | None) -> None:
    def bestaand() -> Beoordeling | None:
        return db.session.scalar(
            select(Beoordeling).where(
                Beoordeling.verwachting_id == verwachting_id,
                Beoordeling.deelnemer_id == deelnemer.id,
                Beoordeling.ronde == ronde,
            )
        )

    rij = bestaand()
    if rij is None:
        try:
            with db.session.begin_nested():
                db.session.add(
                    Beoordeling(
                        verwachting_id=verwachting_id,
                        deelnemer_id=deelnemer.id,
                        ronde=ronde,
                        wenselijk=wenselijk,
                        haalbaar=haalbaar,
                        perspectief=deelnemer.perspectief,
                    )
                )
            return
        except IntegrityError:
            rij = bestaand()  # a concurrent post of the same deelnemer won: update theirs
            if rij is None:
                raise
    rij.wenselijk, rij.haalbaar = wenselijk, haalbaar
    rij.perspectief = deelnemer.perspectief
    rij.bijgewerkt_op = utcnow()


@transactie
def leg_ambitie_vast(
    sessie: Sessie,
    user: User | None,
    verwachting_id: int,
    *,
    uitkomst: str,
    nieuwe_formulering: str | None,
    toelichting: str | None,
    toch: bool = False,
) -> Ambitie:
    """ "Bijgesteld ambitieniveau": handhaven, bijstellen (new wording), anders organiseren (how:
    toelichting required) or loslaten (why: toelichting required); the draaiboek's words."""
    _require_leader(user, sessie)
    verwachting = _verwachting_van(sessie, verwachting_id)
    uitkomst = uitkomst_van(uitkomst)  # a form or script with the words from before 0016 still works
    if uitkomst not in UITKOMST_LABELS:
        raise Ongeldig("uitkomst", "Kies handhaven, bijstellen, anders organiseren of loslaten.")
    formulering, uitleg = _schoon(nieuwe_formulering), _schoon(toelichting)
    if uitkomst == Uitkomst.BIJSTELLEN and not formulering:
        raise Ongeldig("nieuwe_formulering", "Schrijf op hoe de bijgestelde verwachting luidt.")
    if formulering and len(formulering) > MAX_TEKST:
        raise Ongeldig("nieuwe_formulering", f"Een verwachting heeft hoogstens {MAX_TEKST} tekens.")
    if uitkomst == Uitkomst.ANDERS_ORGANISEREN and not uitleg:
        raise Ongeldig("toelichting", "Schrijf kort op hoe de groep hetzelfde doel langs een andere weg bereikt.")
    if uitkomst == Uitkomst.LOSLATEN and not uitleg:
        raise Ongeldig("toelichting", "Schrijf kort op waarom de groep deze verwachting loslaat.")
    if uitleg and len(uitleg) > MAX_TOELICHTING:
        raise Ongeldig("toelichting", f"Een toelichting heeft hoogstens {MAX_TOELICHTING} tekens.")
    if uitkomst != Uitkomst.BIJSTELLEN:
        formulering = None
    _scan([formulering, uitleg], toch)
    ambitie = verwachting.ambitie
    if ambitie is None:
        ambitie = Ambitie(verwachting=verwachting, uitkomst=uitkomst)
        db.session.add(ambitie)
    ambitie.uitkomst = uitkomst
    ambitie.nieuwe_formulering = formulering
    ambitie.toelichting = uitleg
    ambitie.vastgelegd_door_id = user.id if user is not None else None
    ambitie.vastgelegd_op = utcnow()
    db.session.flush()
    fragmenten = live.lijst_fragmenten(sessie)
    fragmenten[realtime.BEGELEIDER] += live.uitslag_fragment(sessie)
    fragmenten[realtime.DEELNEMERS] = live.uitslag_fragment(sessie)
    realtime.append_event(
        sessie,
        "verwachtingen.ambitie",
        fragmenten,
        melding=f"Ambitieniveau vastgelegd: {ambitie.uitkomst_label.lower()}.",
    )
    return ambitie


@transactie
def wijzig_instellingen(
    sessie: Sessie, user: User | None, *, iqr_max: float, aandeel_min: float, min_groep: int
) -> stat.Drempels:
    """Consensus thresholds and the small-group floor (never below 3) for this sessie."""
    _require_leader(user, sessie)
    if not (math.isfinite(iqr_max) and 0 <= iqr_max <= 4):
        raise Ongeldig("iqr_max", "Kies een interkwartielafstand van 0 tot en met 4.")
    if not (math.isfinite(aandeel_min) and 0 <= aandeel_min <= 1):
        raise Ongeldig("aandeel_min", "Kies een percentage van 0 tot en met 100.")
    if min_groep < 3:
        raise Ongeldig("min_groep", "De kleinste groep is minstens 3: zo blijft ieders oordeel onherkenbaar.")
    if min_groep > 50:
        raise Ongeldig("min_groep", "Kies een kleinste groep van 3 tot en met 50.")
    inst = db.session.get(Instellingen, sessie.id)
    if inst is None:
        inst = Instellingen(sessie_id=sessie.id)
        db.session.add(inst)
    inst.iqr_max, inst.aandeel_min, inst.min_groep = iqr_max, aandeel_min, min_groep
    db.session.flush()
    realtime.append_event(
        sessie,
        "verwachtingen.instellingen",
        {realtime.BEGELEIDER: live.uitslag_fragment(sessie), realtime.DEELNEMERS: live.uitslag_fragment(sessie)},
    )
    return drempels(sessie)
