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

from facilitatie.accounts.perspectieven import groepen_van, in_groep
from facilitatie.extensions import db
from facilitatie.sessies.models import Sessie
from facilitatie.verwachtingen import statistiek as stat
from facilitatie.verwachtingen.grafiek import Punt, Stip, punten_uit_figuren, schalen_svg, wenselijk_haalbaar_svg
from facilitatie.verwachtingen.lezen import (
    GROEP_LABELS,
    RONDE_NAMEN,
    SCHAAL_LABELS,
    drempels,
    gesloten_rondes,
    getal,
    groep_label,
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


@dataclass(frozen=True)
class Eenvoudig:
    """One picture and one sentence in plain Dutch: what a deelnemer sees first on a phone.

    Built only from the protected figures (`bescherm` already applied): a group that is not
    shown there is not shown here either, and `klein` says why instead of a dash.
    """

    zin: str
    klein: list[str]
    svg: Markup | None
    groepen: tuple[str, ...] = ()  # the groups in the picture, for its legend
    # One sentence per perspective the gemeente added that is shown (partner: wenselijk 4, ...).
    extra: list[str] = field(default_factory=list)


_MEER = {"wenselijk": ("wenselijker", "even wenselijk"), "haalbaar": ("beter haalbaar", "even goed haalbaar")}


def _mediaan(f: stat.RondeFiguren, groep: str, schaal: str) -> float | None:
    return f.per_perspectief[groep][schaal].mediaan if groep in f.per_perspectief else None


def _vergelijk(schaal: str, beleid: float, uitvoering: float) -> str:
    meer, even = _MEER[schaal]
    if beleid == uitvoering:
        return f"beleid en uitvoering vinden dit {even} ({getal(beleid)})"
    if beleid > uitvoering:
        return f"beleid vindt dit {meer} dan uitvoering ({getal(beleid)} tegen {getal(uitvoering)})"
    return f"uitvoering vindt dit {meer} dan beleid ({getal(uitvoering)} tegen {getal(beleid)})"


def _afstand(f: stat.RondeFiguren) -> float | None:
    """How far beleid and uitvoering lie apart over both scales; None when not known on both."""
    verschillen = [f.perspectiefverschil.get(s) for s in stat.SCHALEN]
    if any(v is None for v in verschillen):
        return None
    return sum(abs(v) for v in verschillen if v is not None)


def eenvoudig(
    rondes: dict[int, stat.RondeFiguren], beoordelaars: dict[int, dict[str, int]], d: stat.Drempels
) -> Eenvoudig:
    """The picture and the sentence for one verwachting, from its protected figures per ronde.

    `beoordelaars`: raters per perspective per ronde, only to name which group was too small.
    """
    laatste = max(rondes)
    f = rondes[laatste]
    klein = []
    for g in ("beleid", "uitvoering"):
        n = beoordelaars.get(laatste, {}).get(g, 0)
        if 0 < n < d.min_groep:
            klein.append(f"Minder dan {d.min_groep} mensen uit {GROEP_LABELS[g].lower()}: niet apart getoond.")
        elif n == 0:
            klein.append(f"Niemand uit {GROEP_LABELS[g].lower()} beoordeelde deze verwachting.")
    eigen = [g for g in f.groepen if g not in stat.GROEPEN]
    # A gemeente's own perspectives: nobody of them is no news, a few is (added after the rest).
    klein_eigen = [
        f"Minder dan {d.min_groep} mensen uit {groep_label(g).lower()}: niet apart getoond."
        for g in eigen
        if 0 < beoordelaars.get(laatste, {}).get(g, 0) < d.min_groep
    ]
    if "alle" not in f.per_perspectief:
        zin = f"Minder dan {d.min_groep} mensen beoordeelden deze verwachting: we tonen geen uitkomst."
        return Eenvoudig(zin, [], None)
    extra = [_groep_zin(f, g) for g in eigen if g in f.per_perspectief]
    delen: list[str] = []
    stippen: dict[str, list[Stip]] = {}
    apart_overal = True
    for schaal in stat.SCHALEN:
        b, u = _mediaan(f, "beleid", schaal), _mediaan(f, "uitvoering", schaal)
        stippen[schaal] = []
        if b is not None and u is not None:
            delen.append(_vergelijk(schaal, b, u))
            for ronde, figuren in sorted(rondes.items()):
                for groep in ("beleid", "uitvoering"):
                    waarde = _mediaan(figuren, groep, schaal)
                    if waarde is not None:
                        stippen[schaal].append(Stip(groep, ronde, waarde))
            continue
        apart_overal = False
        alle = _mediaan(f, "alle", schaal)
        if alle is None:
            delen.append(f"op {SCHAAL_LABELS[schaal].lower()} zijn te weinig antwoorden om iets te tonen")
            continue
        delen.append(f"alle deelnemers samen geven {SCHAAL_LABELS[schaal].lower()} een {getal(alle)}")
        for ronde, figuren in sorted(rondes.items()):
            waarde = _mediaan(figuren, "alle", schaal)
            if waarde is not None:
                stippen[schaal].append(Stip("alle", ronde, waarde))
        if "beleid" in f.per_perspectief and not klein:
            klein.append(
                f"Op {SCHAAL_LABELS[schaal].lower()} tonen we beleid en uitvoering niet apart: een groep van "
                f"minder dan {d.min_groep} antwoorden zou anders herkenbaar zijn."
            )
    alle_w, alle_h = _mediaan(f, "alle", "wenselijk"), _mediaan(f, "alle", "haalbaar")
    alleen_alle = not any(s.perspectief != "alle" for lijst in stippen.values() for s in lijst)
    if alleen_alle and alle_w is not None and alle_h is not None:
        zin = f"Alle deelnemers samen: wenselijk {getal(alle_w)}, haalbaar {getal(alle_h)}."
        if alle_w - alle_h >= 1:
            zin += " Dit is wenselijker dan haalbaar."
    else:
        zin = delen[0][0].upper() + delen[0][1:] + "; " + delen[1] + "."
    if len(rondes) == 2:
        voor, na = _afstand(rondes[min(rondes)]), _afstand(f)
        if apart_overal and voor is not None and na is not None:
            if na < voor:
                zin += " Na de dialoog liggen beleid en uitvoering dichter bij elkaar."
            elif na > voor:
                zin += " Na de dialoog liggen beleid en uitvoering verder uit elkaar."
            else:
                zin += " Na de dialoog liggen beleid en uitvoering even ver uit elkaar."
    beschrijving = " ".join(
        f"{SCHAAL_LABELS[s]}: "
        + ", ".join(
            f"{GROEP_LABELS[p.perspectief].lower()} {getal(p.waarde)}"
            + (f" ({RONDE_NAMEN[p.ronde]})" if len(rondes) == 2 else "")
            for p in stippen[s]
        )
        + "."
        for s in stat.SCHALEN
        if stippen[s]
    )
    svg = Markup(schalen_svg(stippen, beschrijving)) if any(stippen.values()) else None  # noqa: S704 - escaped by grafiek
    groepen = tuple(
        g
        for g in ("beleid", "uitvoering", "alle")
        if any(s.perspectief == g for lijst in stippen.values() for s in lijst)
    )
    return Eenvoudig(zin, klein + klein_eigen, svg, groepen, extra)


def _groep_zin(f: stat.RondeFiguren, groep: str) -> str:
    """One added perspective in plain Dutch: its medians, or why a scale is not shown apart."""
    delen = []
    for schaal in stat.SCHALEN:
        waarde = _mediaan(f, groep, schaal)
        naam = SCHAAL_LABELS[schaal].lower()
        delen.append(f"{naam} niet apart getoond" if waarde is None else f"{naam} {getal(waarde)}")
    return f"{groep_label(groep)}: {', '.join(delen)}."


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
    eenvoudig: Eenvoudig | None = None

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


def _stat_beoordelingen(
    rijen: list[Beoordeling], groepen: tuple[str, ...] = ("beleid", "uitvoering")
) -> list[stat.Beoordeling]:
    """The stored ratings for statistiek; a perspective that forms no group counts as "anders"."""
    uit = []
    for b in rijen:
        perspectief = in_groep(b.perspectief, groepen)
        eigen = perspectief not in stat.PERSPECTIEVEN
        uit.append(stat.Beoordeling(str(b.deelnemer_id), perspectief, b.ronde, b.wenselijk, b.haalbaar, eigen))
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


def _notities(f: stat.RondeFiguren, d: stat.Drempels, beoordelaars: dict[str, int] | None = None) -> list[str]:
    """Why figures are missing, in words; `beoordelaars` (raters per perspective) names small own groups."""
    notities = []
    r = f"ronde {f.ronde} ({RONDE_NAMEN[f.ronde]})"
    for groep in f.groepen:
        n = (beoordelaars or {}).get(groep, 0)
        if groep not in stat.GROEPEN and "alle" not in f.onderdrukt and 0 < n < d.min_groep:
            notities.append(
                f"In {r} beoordeelden minder dan {d.min_groep} mensen uit {groep_label(groep).lower()} deze "
                "verwachting: niet apart getoond, ze tellen mee bij alle deelnemers samen."
            )
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
                    f"{SCHAAL_LABELS[schaal]} ({groep_label(groep).lower()}, {r}): {reden}, dus geen cijfers."
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
    groepen = groepen_van(sessie.gemeente_id)  # beleid, uitvoering and the gemeente's own
    items: dict[int, VerwachtingUitslag] = {}
    for v in verwachtingen_van(sessie):
        beoordelingen = _stat_beoordelingen(per_verwachting.get(v.id, []), groepen)
        rondes = {n: bescherm(stat.figuren(beoordelingen, n, d, groepen), d) for n in gesloten}
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
                groep_label(groep),
                f.per_perspectief[groep]["wenselijk"],
                f.per_perspectief[groep]["haalbaar"],
            )
            for n, f in rondes.items()
            for groep in f.groepen
            if groep in f.per_perspectief
        ]
        beoordelaars = {
            n: {
                p: len({b.rater_id for b in beoordelingen if b.ronde == n and b.perspectief == p})
                for p in (*groepen, "anders")
            }
            for n in gesloten
        }
        notities = [n for f in rondes.values() for n in _notities(f, d, beoordelaars.get(f.ronde, {}))]
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
        items[v.id] = VerwachtingUitslag(
            v, rondes, rijen, notities, svg, punten, beweging, max(gesloten), eenvoudig(rondes, beoordelaars, d)
        )
    volgorde = stat.rangschikking({vid: item.laatste_figuren for vid, item in items.items() if item.laatste_figuren})
    resultaat.items = [items[vid] for vid in volgorde]
    return resultaat
