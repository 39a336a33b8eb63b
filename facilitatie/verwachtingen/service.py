"""Verwachtingen rules: adding, rondes, beoordelen, the protected uitslag, ambitie, exports.

Plain Python on top of the models; no `request`. Every change a user makes in a sessie is
logged with `realtime.append_event` in the same transaction and only then committed.

Privacy is decided here, once, for every view, export and the verslag: ratings of a ronde
are only ever used after that ronde is closed; a group below `min_groep` raters is never
shown on its own (and then beleid and uitvoering are both left out, so neither can be
derived from "alle"); a scale with fewer than `min_groep` numeric answers (the rest said
"Weet niet") shows no figures either, since a median of one answer *is* that answer
(the rule itself is `statistiek.bescherm`).
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass, field, replace
from typing import Any

from markupsafe import Markup
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from facilitatie import privacy, realtime
from facilitatie.accounts.models import User
from facilitatie.accounts.rollen import kan_sessie_bekijken, leidt_sessie
from facilitatie.extensions import db
from facilitatie.fouten import Geweigerd, Ongeldig
from facilitatie.models_base import utcnow
from facilitatie.sessies.models import Deelnemer, Sessie, Status
from facilitatie.verwachtingen import live
from facilitatie.verwachtingen import statistiek as stat
from facilitatie.verwachtingen.grafiek import Punt, punten_uit_figuren, wenselijk_haalbaar_svg
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
)

RONDES = (1, 2)
RONDE_NAMEN = {1: "voormeting", 2: "nameting"}
GROEP_LABELS = {"alle": "Alle deelnemers", "beleid": "Beleid", "uitvoering": "Uitvoering"}
SCHAAL_LABELS = {"wenselijk": "Wenselijk", "haalbaar": "Haalbaar"}
WEET_NIET = "weet-niet"
ONDERDRUKT = "onderdrukt"

# Ronde states as the templates name them.
DICHT, OPEN, GESLOTEN = "dicht", "open", "gesloten"


class PrivacyWaarschuwing(Ongeldig):
    """Text that may hold client data; the begeleider can confirm with "Toch toevoegen"."""


# --- reading ------------------------------------------------------------------------------


def verwachtingen_van(sessie: Sessie) -> list[Verwachting]:
    return list(
        db.session.scalars(
            select(Verwachting).where(Verwachting.sessie_id == sessie.id).order_by(Verwachting.volgorde, Verwachting.id)
        )
    )


def rondes_van(sessie: Sessie) -> dict[int, Ronde]:
    return {r.ronde: r for r in db.session.scalars(select(Ronde).where(Ronde.sessie_id == sessie.id))}


def ronde_status(sessie: Sessie, ronde: int) -> str:
    """dicht (not opened yet), open, or gesloten."""
    r = rondes_van(sessie).get(ronde)
    if r is None:
        return DICHT
    return OPEN if r.is_open else GESLOTEN


def gesloten_rondes(sessie: Sessie) -> list[int]:
    return sorted(n for n, r in rondes_van(sessie).items() if not r.is_open)


def drempels(sessie: Sessie) -> stat.Drempels:
    inst = db.session.get(Instellingen, sessie.id)
    if inst is None:
        return stat.Drempels()
    return stat.Drempels(iqr_max=inst.iqr_max, aandeel_min=inst.aandeel_min, min_groep=inst.min_groep)


def aantal_beoordelaars(sessie: Sessie, ronde: int) -> int:
    """How many deelnemers rated at least one verwachting in this ronde (the only live figure)."""
    return (
        db.session.scalar(
            select(func.count(func.distinct(Beoordeling.deelnemer_id)))
            .join(Verwachting, Verwachting.id == Beoordeling.verwachting_id)
            .where(Verwachting.sessie_id == sessie.id, Beoordeling.ronde == ronde)
        )
        or 0
    )


def beoordeelde_ids(sessie: Sessie) -> set[int]:
    """Verwachtingen somebody rated: those can no longer be removed."""
    return set(
        db.session.scalars(
            select(Beoordeling.verwachting_id)
            .join(Verwachting, Verwachting.id == Beoordeling.verwachting_id)
            .where(Verwachting.sessie_id == sessie.id)
            .distinct()
        )
    )


def aantal_deelnemers(sessie: Sessie) -> int:
    return db.session.scalar(select(func.count(Deelnemer.id)).where(Deelnemer.sessie_id == sessie.id)) or 0


def eigen_antwoorden(deelnemer: Deelnemer, ronde: int) -> dict[int, Beoordeling]:
    """This deelnemer's own answers in a ronde, by verwachting id (shown to them only)."""
    rijen = db.session.scalars(
        select(Beoordeling).where(Beoordeling.deelnemer_id == deelnemer.id, Beoordeling.ronde == ronde)
    )
    return {b.verwachting_id: b for b in rijen}


def _verwachting_van(sessie: Sessie, verwachting_id: int) -> Verwachting:
    verwachting = db.session.get(Verwachting, verwachting_id)
    if verwachting is None or verwachting.sessie_id != sessie.id:
        raise Ongeldig("verwachting", "Deze verwachting hoort niet bij deze sessie.")
    return verwachting


def _require_leader(user: User | None, sessie: Sessie) -> None:
    if not leidt_sessie(user, sessie):
        raise Geweigerd("Alleen de begeleider van deze sessie kan de verwachtingen en rondes bedienen.")


# --- adding -------------------------------------------------------------------------------


def _schoon(waarde: str | None) -> str | None:
    waarde = (waarde or "").strip()
    return waarde or None


def _scan(teksten: list[str | None], toch: bool) -> None:
    uitkomst = privacy.scan("\n".join(t for t in teksten if t))
    if uitkomst.blokkeren:
        raise Ongeldig("tekst", uitkomst.melding().replace("Knelpunten gaan", "Verwachtingen gaan"))
    if uitkomst.waarschuwingen and not toch:
        raise PrivacyWaarschuwing("tekst", uitkomst.melding().replace("Toch indienen", "Toch toevoegen"))


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
    db.session.commit()
    return verwachting


def _knelpunt_van(sessie: Sessie, knelpunt_id: int) -> Any:
    from facilitatie.knelpunten.models import Knelpunt

    knelpunt = db.session.get(Knelpunt, knelpunt_id)
    if knelpunt is None or knelpunt.sessie_id != sessie.id:
        raise Ongeldig("knelpunt", "Dit knelpunt hoort niet bij deze sessie.")
    return knelpunt


def knelpunt_voorstel(sessie: Sessie, user: User | None, knelpunt_id: int) -> str:
    """A first wording taken from the knelpunt, for the begeleider to sharpen."""
    _require_leader(user, sessie)
    tekst = " ".join(_knelpunt_van(sessie, knelpunt_id).tekst.split())
    return tekst if len(tekst) <= MAX_TEKST else tekst[: MAX_TEKST - 1].rstrip() + "…"


def knelpunten_van(sessie: Sessie) -> list[Any]:
    from facilitatie.knelpunten.models import Knelpunt

    return list(db.session.scalars(select(Knelpunt).where(Knelpunt.sessie_id == sessie.id).order_by(Knelpunt.id)))


def eerdere_sessies(sessie: Sessie, user: User | None) -> list[Sessie]:
    """Earlier sessies of the same gemeente that have verwachtingen to copy."""
    kandidaten = db.session.scalars(
        select(Sessie)
        .where(
            Sessie.gemeente_id == sessie.gemeente_id,
            Sessie.id != sessie.id,
            Sessie.id.in_(select(Verwachting.sessie_id)),
        )
        .order_by(Sessie.aangemaakt_op.desc())
    )
    return [s for s in kandidaten if kan_sessie_bekijken(user, s)]


def kopieer(sessie: Sessie, user: User | None, bron_sessie_id: int) -> int:
    """Copy the verwachtingen of an earlier sessie of the gemeente (bijgesteld: the new wording).

    Losgelaten verwachtingen are not copied: the group let them go.
    """
    _require_leader(user, sessie)
    if sessie.status == Status.AFGESLOTEN:
        raise Ongeldig("bron_sessie", "Deze sessie is afgesloten; er kunnen geen verwachtingen meer bij.")
    bron = db.session.get(Sessie, bron_sessie_id)
    if bron is None or bron not in eerdere_sessies(sessie, user):
        raise Ongeldig("bron_sessie", "Kies een eerdere sessie van deze gemeente uit de lijst.")
    volgorde = db.session.scalar(select(func.max(Verwachting.volgorde)).where(Verwachting.sessie_id == sessie.id)) or 0
    bestaand = {v.tekst for v in verwachtingen_van(sessie)}
    aantal = 0
    for oud in verwachtingen_van(bron):
        if oud.ambitie is not None and oud.ambitie.uitkomst == Uitkomst.LOSGELATEN:
            continue
        tekst = oud.tekst
        if oud.ambitie is not None and oud.ambitie.uitkomst == Uitkomst.BIJGESTELD and oud.ambitie.nieuwe_formulering:
            tekst = oud.ambitie.nieuwe_formulering
        if tekst in bestaand:
            continue
        volgorde += 1
        aantal += 1
        bestaand.add(tekst)
        db.session.add(
            Verwachting(
                sessie_id=sessie.id,
                gemeente_id=sessie.gemeente_id,
                tekst=tekst,
                bron=oud.bron,
                toelichting=oud.toelichting,
                volgorde=volgorde,
            )
        )
    if aantal == 0:
        raise Ongeldig("bron_sessie", "Er waren geen nieuwe verwachtingen om over te nemen uit die sessie.")
    db.session.flush()
    _announce_lijst(sessie, "verwachtingen.gekopieerd", f"{aantal} verwachtingen overgenomen.")
    db.session.commit()
    return aantal


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
    _announce_lijst(sessie, "verwachtingen.verwijderd", None)
    db.session.commit()


def _announce_lijst(sessie: Sessie, type_: str, melding: str | None) -> None:
    fragmenten = live.lijst_fragmenten(sessie)
    open_ronde = next((n for n, r in rondes_van(sessie).items() if r.is_open), None)
    if open_ronde is not None:
        # Deelnemers' forms are per person: they fetch theirs again.
        fragmenten[realtime.DEELNEMERS] = live.deelnemer_herladen(sessie, open_ronde)
    realtime.append_event(sessie, type_, fragmenten, melding=melding if open_ronde else None)


# --- rondes -------------------------------------------------------------------------------


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
    _commit(sessie)


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
    _commit(sessie)


def _commit(sessie: Sessie) -> None:
    try:
        db.session.commit()
    except IntegrityError as exc:  # e.g. two clicks on "Ronde openen" at once
        db.session.rollback()
        raise Ongeldig("ronde", "Iemand anders wijzigde de ronde tegelijk. Probeer het opnieuw.") from exc


# --- beoordelen ---------------------------------------------------------------------------


def _score(ruw: str, schaal: str, verwachting_id: int) -> int | None:
    if ruw == WEET_NIET:
        return None
    if ruw in {"1", "2", "3", "4", "5"}:
        return int(ruw)
    raise Ongeldig(f"verwachting-{verwachting_id}", f"Kies bij {SCHAAL_LABELS[schaal]} 1 tot 5 of Weet niet.")


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
    db.session.commit()
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


# --- uitslag (closed rondes only, protected) ---------------------------------------------


# Small-group protection is a pure rule of statistiek; figuren already applies it.
bescherm = stat.bescherm


@dataclass
class Rij:
    """One line of the data table under a chart."""

    ronde: int
    groep: str
    label: str
    wenselijk: stat.Samenvatting
    haalbaar: stat.Samenvatting

    @property
    def consensus(self) -> bool:
        return self.wenselijk.consensus and self.haalbaar.consensus


@dataclass
class VerwachtingUitslag:
    verwachting: Verwachting
    rondes: dict[int, stat.RondeFiguren]
    rijen: list[Rij]
    notities: list[str]
    svg: Markup
    punten: list[Punt]
    beweging: stat.Beweging | None
    laatste: int | None

    @property
    def ambitie(self) -> Ambitie | None:
        return self.verwachting.ambitie

    @property
    def laatste_figuren(self) -> stat.RondeFiguren | None:
        return self.rondes.get(self.laatste) if self.laatste else None

    @property
    def kloof(self) -> float | None:
        f = self.laatste_figuren
        return f.kloof if f else None

    def verschil(self, ronde: int, schaal: str) -> float | None:
        f = self.rondes.get(ronde)
        return f.perspectiefverschil.get(schaal) if f else None

    @property
    def consensus(self) -> bool | None:
        f = self.laatste_figuren
        if f is None or "alle" not in f.per_perspectief:
            return None
        return all(f.per_perspectief["alle"][s].consensus for s in stat.SCHALEN)

    @property
    def beweging_tekst(self) -> str:
        if self.beweging is None:
            return "—"
        if self.beweging.stabiel:
            return "Stabiel"
        delen = []
        for schaal in stat.SCHALEN:
            delta = self.beweging.delta_mediaan.get(schaal)
            if delta:
                delen.append(f"{SCHAAL_LABELS[schaal]} {'+' if delta > 0 else '−'}{getal(abs(delta))}")
        if self.beweging.aandeel_gewijzigd is not None:
            delen.append(f"{round(self.beweging.aandeel_gewijzigd * 100)}% paste het oordeel aan")
        return "Verschoven: " + ", ".join(delen) if delen else "Verschoven"


@dataclass
class Uitslag:
    gesloten: list[int]
    items: list[VerwachtingUitslag] = field(default_factory=list)
    drempels: stat.Drempels = field(default_factory=stat.Drempels)

    @property
    def zichtbaar(self) -> bool:
        return bool(self.gesloten) and bool(self.items)


def getal(waarde: float | None) -> str:
    """A figure the Dutch way: 3, 3,5 or 0,25; "—" when unknown."""
    if waarde is None or (isinstance(waarde, float) and math.isnan(waarde)):
        return "—"
    if float(waarde).is_integer():
        return str(int(waarde))
    return f"{waarde:.2f}".rstrip("0").replace(".", ",")


def _stat_beoordelingen(rijen: list[Beoordeling]) -> list[stat.Beoordeling]:
    uit = []
    for b in rijen:
        perspectief = b.perspectief if b.perspectief in stat.PERSPECTIEVEN else "anders"
        uit.append(stat.Beoordeling(str(b.deelnemer_id), perspectief, b.ronde, b.wenselijk, b.haalbaar))
    return uit


def _gesloten_beoordelingen(sessie: Sessie, gesloten: list[int]) -> dict[int, list[Beoordeling]]:
    per: dict[int, list[Beoordeling]] = {}
    if not gesloten:
        return per
    rijen = db.session.scalars(
        select(Beoordeling)
        .join(Verwachting, Verwachting.id == Beoordeling.verwachting_id)
        .where(Verwachting.sessie_id == sessie.id, Beoordeling.ronde.in_(gesloten))
    )
    for b in rijen:
        per.setdefault(b.verwachting_id, []).append(b)
    return per


def _notities(f: stat.RondeFiguren, d: stat.Drempels) -> list[str]:
    notities = []
    r = f"ronde {f.ronde} ({RONDE_NAMEN[f.ronde]})"
    if "alle" in f.onderdrukt:
        notities.append(
            f"In {r} beoordeelden minder dan {d.min_groep} deelnemers deze verwachting. "
            "Om niemands oordeel herkenbaar te maken, tonen we daarvan geen cijfers."
        )
    elif "beleid" in f.onderdrukt or "uitvoering" in f.onderdrukt:
        klein = [GROEP_LABELS[g] for g in ("beleid", "uitvoering") if g in f.onderdrukt and g in f.onderdrukt]
        notities.append(
            f"In {r} hadden beleid of uitvoering minder dan {d.min_groep} beoordelaars. Om niemands oordeel "
            "herkenbaar te maken, tonen we alleen de cijfers van alle deelnemers samen"
            f" (niet apart voor {' en '.join(k.lower() for k in klein)})."
        )
    for groep, schalen in f.per_perspectief.items():
        for schaal, sam in schalen.items():
            if sam.n and sam.mediaan is None:
                reden = (
                    f"minder dan {d.min_groep} antwoorden anders dan ‘Weet niet’"
                    if sam.n < d.min_groep
                    else "niet apart getoond, omdat een kleine groep anders uit alle deelnemers af te leiden is"
                )
                notities.append(
                    f"{SCHAAL_LABELS[schaal]} ({GROEP_LABELS[groep].lower()}, {r}): {reden}, dus geen cijfers."
                )
    return notities


def uitslag(sessie: Sessie) -> Uitslag:
    """Everything the room sees after a ronde closed; ratings of an open ronde never count."""
    d = drempels(sessie)
    gesloten = gesloten_rondes(sessie)
    resultaat = Uitslag(gesloten=gesloten, drempels=d)
    if not gesloten:
        return resultaat
    per_verwachting = _gesloten_beoordelingen(sessie, gesloten)
    items: dict[int, VerwachtingUitslag] = {}
    for v in verwachtingen_van(sessie):
        beoordelingen = _stat_beoordelingen(per_verwachting.get(v.id, []))
        rondes = {n: bescherm(stat.figuren(beoordelingen, n, d), d) for n in gesloten}
        apart = all("beleid" in f.per_perspectief and "uitvoering" in f.per_perspectief for f in rondes.values())
        perspectieven = ("beleid", "uitvoering") if apart else ("alle",)
        punten = [
            Punt(p.perspectief, p.ronde, p.haalbaar_mediaan, p.wenselijk_mediaan)
            for p in punten_uit_figuren(list(rondes.values()), perspectieven)
        ]
        rijen = [
            Rij(
                n,
                groep,
                GROEP_LABELS[groep],
                f.per_perspectief[groep]["wenselijk"],
                f.per_perspectief[groep]["haalbaar"],
            )
            for n, f in rondes.items()
            for groep in stat.GROEPEN
            if groep in f.per_perspectief
        ]
        notities = [n for f in rondes.values() for n in _notities(f, d)]
        beweging = None
        if 1 in rondes and 2 in rondes:
            beweging = stat.beweging(beoordelingen, d)
            if beweging is not None:
                # Hide a change of a median that protection hid in either ronde.
                delta = {
                    s: (
                        beweging.delta_mediaan[s]
                        if all(
                            "alle" in rondes[n].per_perspectief
                            and rondes[n].per_perspectief["alle"][s].mediaan is not None
                            for n in (1, 2)
                        )
                        else None
                    )
                    for s in stat.SCHALEN
                }
                beweging = replace(
                    beweging, delta_mediaan=delta, stabiel=beweging.stabiel and None not in delta.values()
                )
        svg = Markup(wenselijk_haalbaar_svg(punten, v.tekst, id_prefix=f"verwachting-{v.id}"))  # noqa: S704 - escaped by grafiek
        items[v.id] = VerwachtingUitslag(v, rondes, rijen, notities, svg, punten, beweging, max(gesloten))
    volgorde = stat.rangschikking({vid: item.laatste_figuren for vid, item in items.items() if item.laatste_figuren})
    resultaat.items = [items[vid] for vid in volgorde]
    return resultaat


# --- ambitie and instellingen -------------------------------------------------------------


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
    """ "Bijgesteld ambitieniveau": behouden, bijgesteld (new wording) or losgelaten, with why."""
    _require_leader(user, sessie)
    verwachting = _verwachting_van(sessie, verwachting_id)
    if uitkomst not in UITKOMST_LABELS:
        raise Ongeldig("uitkomst", "Kies behouden, bijgesteld of losgelaten.")
    formulering, uitleg = _schoon(nieuwe_formulering), _schoon(toelichting)
    if uitkomst == Uitkomst.BIJGESTELD and not formulering:
        raise Ongeldig("nieuwe_formulering", "Schrijf op hoe de bijgestelde verwachting luidt.")
    if formulering and len(formulering) > MAX_TEKST:
        raise Ongeldig("nieuwe_formulering", f"Een verwachting heeft hoogstens {MAX_TEKST} tekens.")
    if uitkomst == Uitkomst.LOSGELATEN and not uitleg:
        raise Ongeldig("toelichting", "Schrijf kort op waarom de groep deze verwachting loslaat.")
    if uitleg and len(uitleg) > MAX_TOELICHTING:
        raise Ongeldig("toelichting", f"Een toelichting heeft hoogstens {MAX_TOELICHTING} tekens.")
    if uitkomst != Uitkomst.BIJGESTELD:
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
    db.session.commit()
    return ambitie


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
    db.session.commit()
    return drempels(sessie)


# --- exports ------------------------------------------------------------------------------


def _cel(waarde: object) -> str:
    """A CSV cell for Dutch Excel: decimal comma, and no formula injection from user text."""
    if waarde is None:
        return ""
    if isinstance(waarde, bool):
        return "ja" if waarde else "nee"
    if isinstance(waarde, float):
        return getal(waarde)
    tekst = str(waarde)
    if tekst[:1] in ("=", "+", "-", "@", "\t", "\r"):
        tekst = "'" + tekst
    return tekst


def _csv(kop: list[str], rijen: list[list[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(kop)
    for rij in rijen:
        writer.writerow([_cel(w) for w in rij])
    # The BOM makes Excel read UTF-8 (ë, ‘’) instead of guessing a Windows code page.
    return "\ufeff" + buffer.getvalue()


def beoordelingen_csv(sessie: Sessie) -> str:
    """Every rating of the closed rondes without identity: ronde, perspectief, schaal, waarde.

    Rows are sorted, and wenselijk and haalbaar are separate rows, so neither the order nor
    a pair can lead back to a deelnemer. A ronde with fewer than min_groep raters is left out;
    where any perspective present is below min_groep, no row of that ronde names one.
    """
    d = drempels(sessie)
    gesloten = gesloten_rondes(sessie)
    rijen: list[tuple[int, int, str, str, str]] = []
    volgorde = {v.id: i for i, v in enumerate(verwachtingen_van(sessie), start=1)}
    for verwachting_id, beoordelingen in _gesloten_beoordelingen(sessie, gesloten).items():
        for ronde in gesloten:
            in_ronde = [b for b in beoordelingen if b.ronde == ronde]
            if len(in_ronde) < d.min_groep:
                continue
            groottes: dict[str, int] = {}
            for b in in_ronde:
                groottes[b.perspectief] = groottes.get(b.perspectief, 0) + 1
            benoemen = all(n >= d.min_groep for n in groottes.values())

            # A scale where almost everyone in a group said "Weet niet" would show the few real answers.
            def groep(b: Beoordeling, benoemen: bool = benoemen) -> str:
                return b.perspectief if benoemen else ONDERDRUKT

            antwoorden: dict[tuple[str, str], int] = {}
            for b in in_ronde:
                for schaal in stat.SCHALEN:
                    if getattr(b, schaal) is not None:
                        antwoorden[(groep(b), schaal)] = antwoorden.get((groep(b), schaal), 0) + 1
            for b in in_ronde:
                perspectief = groep(b)
                for schaal in stat.SCHALEN:
                    waarde = getattr(b, schaal)
                    te_weinig = antwoorden.get((perspectief, schaal), 0) < d.min_groep
                    tekst = "weet niet" if waarde is None else (ONDERDRUKT if te_weinig else str(waarde))
                    rijen.append((volgorde[verwachting_id], ronde, perspectief, schaal, tekst))
    rijen.sort()
    return _csv(["verwachting", "ronde", "perspectief", "schaal", "waarde"], [list(r) for r in rijen])


def figuren_csv(sessie: Sessie) -> str:
    """The figures table of the uitslag, exactly as protected on screen."""
    u = uitslag(sessie)
    nummer = {v.id: i for i, v in enumerate(verwachtingen_van(sessie), start=1)}
    kop = [
        "verwachting",
        "tekst",
        "ronde",
        "groep",
        "schaal",
        "n",
        "mediaan",
        "q1",
        "q3",
        "iqr",
        "gemiddelde",
        "binnen één punt",
        "consensus",
        "kloof (alle)",
        "verschil beleid-uitvoering",
        "opmerking",
    ]
    rijen: list[list[object]] = []
    for item in sorted(u.items, key=lambda i: nummer[i.verwachting.id]):
        for ronde, f in item.rondes.items():
            for groep in stat.GROEPEN:
                if groep not in f.per_perspectief:
                    rijen.append(
                        [nummer[item.verwachting.id], item.verwachting.tekst, ronde, groep, "", "", "", "", "", "", "",
                         "", "", f.kloof, "", f"onderdrukt: minder dan {u.drempels.min_groep} beoordelaars"]
                    )  # fmt: skip
                    continue
                for schaal in stat.SCHALEN:
                    s = f.per_perspectief[groep][schaal]
                    opmerking = "" if s.mediaan is not None or not s.n else "onderdrukt: te weinig antwoorden"
                    rijen.append(
                        [
                            nummer[item.verwachting.id],
                            item.verwachting.tekst,
                            ronde,
                            groep,
                            schaal,
                            s.n,
                            s.mediaan,
                            s.q1,
                            s.q3,
                            s.iqr,
                            round(s.gemiddelde, 2) if s.gemiddelde is not None else None,
                            round(s.aandeel_binnen_een, 2) if s.aandeel_binnen_een is not None else None,
                            s.consensus if s.mediaan is not None else None,
                            f.kloof,
                            f.perspectiefverschil.get(schaal),
                            opmerking,
                        ]
                    )
    return _csv(kop, rijen)


# --- verslag ------------------------------------------------------------------------------


def verslag_onderdeel(sessie: Sessie) -> dict[str, Any]:
    """The verwachtingen part of the verslag: figures (protected) and the ambitie per verwachting.

    For templates/verwachtingen/_verslag.html (pass it as `verwachtingen_verslag`) and for
    other renderings (Markdown, CSV) of the verslag.
    """
    u = uitslag(sessie)
    per_id = {item.verwachting.id: item for item in u.items}
    lijst = []
    for v in verwachtingen_van(sessie):
        item = per_id.get(v.id)
        ambitie = v.ambitie
        lijst.append(
            {
                "id": v.id,
                "tekst": v.tekst,
                "bron": v.bron,
                "toelichting": v.toelichting,
                "ambitie": None
                if ambitie is None
                else {
                    "uitkomst": ambitie.uitkomst,
                    "label": ambitie.uitkomst_label,
                    "nieuwe_formulering": ambitie.nieuwe_formulering,
                    "toelichting": ambitie.toelichting,
                    "vastgelegd_door": ambitie.vastgelegd_door.naam if ambitie.vastgelegd_door else None,
                    "vastgelegd_op": ambitie.vastgelegd_op,
                },
                "svg": item.svg if item else None,
                "rijen": item.rijen if item else [],
                "notities": item.notities if item else [],
                "kloof": item.kloof if item else None,
                "consensus": item.consensus if item else None,
                "beweging": item.beweging_tekst if item else "—",
                "uitslag": item,
            }
        )
    return {"verwachtingen": lijst, "gesloten_rondes": u.gesloten, "min_groep": u.drempels.min_groep}
