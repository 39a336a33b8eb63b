"""The uitslag of the verwachtingen: figures per group and scale, protected, for every view.

Privacy is decided here, once, for every view, export and the verslag (the rule itself is
`statistiek.bescherm`): ratings of a ronde are only ever used after that ronde is closed; a
scale is shown for a group only with at least `min_groep` ratings on it ("Weet niet" is not a
rating), and beleid and uitvoering are not shown apart on a scale where any perspective has
1 or 2 ratings, so no single answer can be read off a group or derived from "alle".
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from markupsafe import Markup
from sqlalchemy import select

from facilitatie.extensions import db
from facilitatie.sessies.models import Sessie
from facilitatie.verwachtingen import statistiek as stat
from facilitatie.verwachtingen.grafiek import Punt, punten_uit_figuren, wenselijk_haalbaar_svg
from facilitatie.verwachtingen.lezen import (
    GROEP_LABELS,
    RONDE_NAMEN,
    SCHAAL_LABELS,
    drempels,
    gesloten_rondes,
    getal,
    verwachtingen_van,
)
from facilitatie.verwachtingen.models import Ambitie, Beoordeling, Verwachting

# Small-group protection is a pure rule of statistiek (`statistiek.bescherm`); figuren applies it.
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


def _stat_beoordelingen(rijen: list[Beoordeling]) -> list[stat.Beoordeling]:
    uit = []
    for b in rijen:
        perspectief = b.perspectief if b.perspectief in stat.PERSPECTIEVEN else "anders"
        uit.append(stat.Beoordeling(str(b.deelnemer_id), perspectief, b.ronde, b.wenselijk, b.haalbaar))
    return uit


def gesloten_beoordelingen(sessie: Sessie, gesloten: list[int]) -> dict[int, list[Beoordeling]]:
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
    per_verwachting = gesloten_beoordelingen(sessie, gesloten)
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
