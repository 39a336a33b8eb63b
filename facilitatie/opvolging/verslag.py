"""The verslag of a sessie (page, Markdown, CSV) and the terugkoppeling to wijkteams.

The verslag holds the whole meeting: the thema's with their knelpunten, the stemuitslag (per
perspective only for groups of at least three voters), the dialoog's reacties by perspective,
the besluiten and acties (eigenaar, streefdatum), and the verwachtingen as protected by their
own rules (`verwachtingen.uitslag`). No author is ever named: knelpunten are shown by their
wijkteam only and reacties by perspective, so an anonymous knelpunt cannot be told apart from a
named one in anything exported.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select

from facilitatie.accounts.perspectieven import label_van
from facilitatie.extensions import db
from facilitatie.knelpunten import export as knelpunten_export
from facilitatie.knelpunten.models import Knelpunt, Thema
from facilitatie.opvolging import gevonden, lezen, regels
from facilitatie.opvolging.filters import periode
from facilitatie.opvolging.models import Actie, Besluit, GevondenRuimte, Regelruimte
from facilitatie.opvolging.regelruimte import KNEL_LABELS, ONBEKEND, OPLOSSER_LABELS
from facilitatie.sessies.models import Sessie
from facilitatie.templating import datum
from facilitatie.verwachtingen import export as verwachtingen_export
from facilitatie.verwachtingen.models import Ambitie, Uitkomst, Verwachting


@dataclass
class Regel:
    """One knelpunt with what became of it."""

    knelpunt: Knelpunt
    besluit: Besluit | None
    acties: list[Actie]
    eerder: list[Knelpunt]
    regelruimte: Regelruimte | None = None
    gevonden: GevondenRuimte | None = None


@dataclass(frozen=True)
class Onderdeel:
    """A later area's part of the verslag (the leerkring's, say): a template for the page, its Markdown."""

    template: str
    context: dict[str, Any] = field(default_factory=dict)
    markdown: list[str] = field(default_factory=list)


OnderdeelBouwer = Callable[[Sessie], "Onderdeel | None"]
_onderdelen: list[OnderdeelBouwer] = []


def onderdeel(bouwer: OnderdeelBouwer) -> OnderdeelBouwer:
    """Register an area's part of the verslag; areas after opvolging add theirs without an import cycle."""
    if bouwer not in _onderdelen:
        _onderdelen.append(bouwer)
    return bouwer


def _regels(knelpunten: list[Knelpunt]) -> list[Regel]:
    ids = [k.id for k in knelpunten]
    besluiten = lezen.besluiten_per_knelpunt(ids)
    acties = lezen.acties_per_knelpunt(ids)
    eerder = lezen.eerder_gemeld_van(ids)
    regelruimte = gevonden.regelruimte_per_knelpunt(ids)
    ruimte = gevonden.gevonden_per_knelpunt(ids)
    return [
        Regel(
            k, besluiten.get(k.id), acties.get(k.id, []), eerder.get(k.id, []), regelruimte.get(k.id), ruimte.get(k.id)
        )
        for k in knelpunten
    ]


@dataclass
class Verdeling:
    """Knelpunten split by where the knel sits (rows) and who can resolve it (columns), with totals.

    Only the knels and oplossers that occur are listed, in the glossary's order; knelpunten
    without regelruimte count as ONBEKEND on both sides.
    """

    knels: list[str]
    oplossers: list[str]
    aantal: dict[tuple[str, str], int]
    per_knel: dict[str, int]
    per_oplosser: dict[str, int]
    totaal: int
    vastgelegd: int


def verdeling(regels_: list[Regel]) -> Verdeling:
    """The regelruimte of a sessie's knelpunten, split by both dimensions (verslag page, Markdown, CSV)."""
    aantal: dict[tuple[str, str], int] = {}
    for regel in regels_:
        r = regel.regelruimte
        sleutel = (r.knel_label, r.oplosser_label) if r else (ONBEKEND, ONBEKEND)
        aantal[sleutel] = aantal.get(sleutel, 0) + 1
    knels = [label for label in [*KNEL_LABELS.values(), ONBEKEND] if any(k == label for k, _o in aantal)]
    oplossers = [label for label in [*OPLOSSER_LABELS.values(), ONBEKEND] if any(o == label for _k, o in aantal)]
    return Verdeling(
        knels=knels,
        oplossers=oplossers,
        aantal=aantal,
        per_knel={k: sum(n for (kk, _o), n in aantal.items() if kk == k) for k in knels},
        per_oplosser={o: sum(n for (_k, oo), n in aantal.items() if oo == o) for o in oplossers},
        totaal=len(regels_),
        vastgelegd=sum(1 for r in regels_ if r.regelruimte),
    )


def _verwachtingen_onderdeel(sessie: Sessie) -> dict[str, Any] | None:
    """The verwachtingen area's part of the verslag (rendered by verwachtingen/_verslag.html)."""
    return verwachtingen_export.verslag_onderdeel(sessie)


def gegevens(sessie: Sessie, vandaag: date) -> dict[str, Any]:
    """Everything the verslag shows, for the page, the Markdown and the CSV."""
    knelpunten = lezen.knelpunten_van_sessie(sessie)
    acties = list(
        db.session.scalars(
            select(Actie)
            .where(
                (Actie.sessie_id == sessie.id)
                | Actie.id.in_(select(Actie.id).join(Actie.knelpunten).where(Knelpunt.sessie_id == sessie.id))
            )
            .order_by(Actie.id)
        )
    )
    regels_ = _regels(knelpunten)
    return {
        "sessie": sessie,
        "regels": regels_,
        "verdeling": verdeling(regels_),
        "acties": acties,
        "vandaag": vandaag,
        "is_te_laat": regels.is_te_laat,
        "verwachtingen_verslag": _verwachtingen_onderdeel(sessie),
        "knelpunten_verslag": knelpunten_export.verslag_onderdeel(sessie),
        "onderdelen": [o for bouwer in _onderdelen if (o := bouwer(sessie)) is not None],
    }


def _besluit_tekst(besluit: Besluit | None, sessie_afgesloten: bool) -> str:
    if besluit is None:
        return "Zonder besluit" if sessie_afgesloten else "Nog geen besluit"
    return besluit.label


def _actie_status(actie: Actie, vandaag: date) -> str:
    te_laat = regels.is_te_laat(actie.status, actie.streefdatum, vandaag)
    return actie.status_label + (" (te laat)" if te_laat else "")


def _actie_regel(actie: Actie, vandaag: date) -> str:
    """One actie in a line: what, who, by when, and how it stands."""
    streef = datum_of_leeg(actie.streefdatum) or "geen"
    return (
        f"{_md(actie.omschrijving)} — eigenaar: {_md(actie.eigenaar_naam) or 'onbekend'}, "
        f"streefdatum: {streef} — {_actie_status(actie, vandaag)}"
    )


def _onderwerp(item: Knelpunt | Thema) -> str:
    return f"Thema: {item.naam}" if isinstance(item, Thema) else item.tekst


def _perspectief(p: str) -> str:
    return label_van(p)  # a gemeente's own perspectives too


def markdown(g: dict[str, Any]) -> str:
    """The verslag as Markdown, for e-mail or an intranet page."""
    sessie: Sessie = g["sessie"]
    afgesloten = sessie.status == "afgesloten"
    regels_md = [
        f"# Verslag: {sessie.titel}",
        "",
        f"- Gemeente: {sessie.gemeente.naam}",
        f"- Datum: {datum(sessie.gestart_op or sessie.aangemaakt_op)}",
    ]
    if sessie.teams:
        regels_md.append(f"- Wijkteams: {', '.join(t.naam for t in sessie.teams)}")
    regels_md += _markdown_knelpunten(g["knelpunten_verslag"])
    regels_md += ["", "## Knelpunten en besluiten", ""]
    if not g["regels"]:
        regels_md.append("Er zijn geen knelpunten ingediend.")
    for nummer, regel in enumerate(g["regels"], start=1):
        k = regel.knelpunt
        team = k.team.naam if k.team else "geen wijkteam"
        thema = f"; thema: {_md(k.thema.naam)}" if k.thema else ""
        regels_md.append(f"{nummer}. **{_md(k.tekst)}** ({k.domein}; {team}{thema})")
        regels_md.append(f"   - Besluit: {_besluit_tekst(regel.besluit, afgesloten)}")
        if regel.besluit and regel.besluit.uitleg:
            regels_md.append(f"   - Toelichting: {_md(regel.besluit.uitleg)}")
        if regel.regelruimte:
            regels_md.append(
                f"   - Waar zit de knel? {regel.regelruimte.knel_label}; "
                f"wie kan het oplossen? {regel.regelruimte.oplosser_label}"
            )
        if regel.gevonden:
            regels_md.append(f"   - Ruimte die er al was: {_md(regel.gevonden.omschrijving)}")
        for actie in regel.acties:
            regels_md.append(f"   - Actie: {_actie_regel(actie, g['vandaag'])}")
    regels_md += _markdown_verdeling(g["verdeling"])
    regels_md += ["", "## Acties", ""]
    if not g["acties"]:
        regels_md.append("Er zijn geen acties afgesproken.")
    else:
        regels_md += ["| Actie | Eigenaar | Streefdatum | Status |", "|---|---|---|---|"]
        for actie in g["acties"]:
            regels_md.append(
                f"| {_md(actie.omschrijving, tabel=True)} | {_md(actie.eigenaar_naam, tabel=True)} | "
                f"{datum_of_leeg(actie.streefdatum)} | {_actie_status(actie, g['vandaag'])} |"
            )
    onderdeel = g.get("verwachtingen_verslag")
    if onderdeel and onderdeel.get("verwachtingen"):
        regels_md += ["", "## Verwachtingen", ""]
        for v in onderdeel["verwachtingen"]:
            ambitie = v.get("ambitie")
            uitkomst = f" — {ambitie['label']}" if ambitie else ""
            regels_md.append(f"- {_md(v['tekst'])}{uitkomst}")
            if ambitie and ambitie.get("nieuwe_formulering"):
                regels_md.append(f"  - Bijgesteld ambitieniveau: {_md(ambitie['nieuwe_formulering'])}")
            regels_md += [f"  - {r}" for r in _verwachting_cijfers(v)]
        regels_md.append("")
        regels_md.append(
            f"Groepen met minder dan {onderdeel['min_groep']} beoordelaars staan niet apart vermeld; "
            "'—' is een cijfer dat daarom niet getoond wordt."
        )
    for extra in g.get("onderdelen", []):
        regels_md += ["", *extra.markdown]
    return "\n".join(regels_md) + "\n"


def _markdown_verdeling(v: Verdeling) -> list[str]:
    """The regelruimte table: knel per row, oplosser per column."""
    uit = ["", "## Regelruimte", ""]
    if not v.vastgelegd:
        return [*uit, "Bij geen enkel knelpunt is vastgelegd waar de knel zit."]
    kolommen = ["Waar zit de knel? / Wie kan het oplossen?", *v.oplossers, "Totaal"]
    uit += ["| " + " | ".join(kolommen) + " |", "|" + "---|" * len(kolommen)]
    for knel in v.knels:
        cellen = [knel, *(str(v.aantal.get((knel, o), 0)) for o in v.oplossers), str(v.per_knel[knel])]
        uit.append("| " + " | ".join(cellen) + " |")
    uit.append("| Totaal | " + " | ".join([*(str(v.per_oplosser[o]) for o in v.oplossers), str(v.totaal)]) + " |")
    return uit


def _getal(waarde: float | None) -> str:
    if waarde is None:
        return "—"
    return (f"{waarde:.1f}".rstrip("0").rstrip(".")).replace(".", ",")


def _verwachting_cijfers(v: dict[str, Any]) -> list[str]:
    """The protected figures of one verwachting, a line per ronde and group."""
    if not v.get("uitslag"):
        return []
    uit = [
        f"Kloof (wenselijk − haalbaar): {_getal(v['kloof'])}; consensus: "
        f"{'—' if v['consensus'] is None else ('ja' if v['consensus'] else 'nee')}; beweging: {v['beweging']}"
    ]
    for rij in v["rijen"]:
        uit.append(
            f"Ronde {rij.ronde}, {rij.label}: wenselijk {_getal(rij.wenselijk.mediaan)} (n={rij.wenselijk.n}), "
            f"haalbaar {_getal(rij.haalbaar.mediaan)} (n={rij.haalbaar.n})"
        )
    return uit


def _markdown_knelpunten(kv: dict[str, Any]) -> list[str]:
    """Thema's, stemuitslag and dialoog in Markdown; nobody named."""
    uit = ["", "## Thema's en knelpunten", ""]
    if not kv["themas"]:
        uit.append("Er zijn geen knelpunten ingediend.")
    for groep in kv["themas"]:
        uit += [f"### {_md(groep.naam)}", ""]
        for k in groep.knelpunten:
            team = f"; {k.team.naam}" if k.team else ""
            uit.append(f"- {_md(k.tekst)} ({k.domein}{team})")
        uit.append("")
    su: knelpunten_export.Stemuitslag = kv["stemuitslag"]
    uit += ["", "## Stemuitslag", ""]
    if not su.gestemd:
        uit.append("Er is niet gestemd.")
    else:
        kolommen = ["Onderwerp", "Stemmen", *(_perspectief(p) for p in su.perspectieven)]
        uit += ["| " + " | ".join(kolommen) + " |", "|" + "---|" * len(kolommen)]
        for r in su.regels:
            apart = (str(r.per_perspectief[p]) for p in su.perspectieven)
            cellen = [_md(_onderwerp(r.item), tabel=True), str(r.totaal), *apart]
            uit.append("| " + " | ".join(cellen) + " |")
        uit.append("")
        if su.beschermd:
            uit.append(
                f"{su.stemmers} deelnemers stemden. Per perspectief tonen we de stemmen niet: minstens één "
                f"perspectief had minder dan {su.min_groep} stemmers."
            )
        else:
            uit.append(f"{su.stemmers} deelnemers stemden.")
    uit += ["", "## Dialoog", ""]
    if not kv["dialoog"]:
        uit.append("Er zijn geen reacties gegeven.")
    for d in kv["dialoog"]:
        uit += [f"### {_md(_onderwerp(d.item))}", ""]
        for perspectief, reacties in d.per_perspectief:
            for r in reacties:
                vooraf = " _(vooraf geschreven)_" if r.vooraf else ""
                uit.append(f"- **{_perspectief(perspectief)}:** {_md(r.tekst)}{vooraf}")
        uit.append("")
    return uit


def _md(tekst: str, *, tabel: bool = False) -> str:
    """One line of user text, so it cannot break the Markdown structure around it."""
    schoon = " ".join((tekst or "").split())
    return schoon.replace("|", "\\|") if tabel else schoon


def datum_of_leeg(waarde: date | None) -> str:
    return waarde.isoformat() if waarde else ""


def _cel(waarde: object) -> str:
    """A CSV cell that Excel will not read as a formula."""
    tekst = "" if waarde is None else str(waarde)
    return "'" + tekst if tekst[:1] in ("=", "+", "-", "@", "\t", "\r") else tekst


def csv_bytes(g: dict[str, Any]) -> bytes:
    """Knelpunten with besluit and acties, one row per knelpunt-actie pair, for Dutch Excel.

    UTF-8 with a BOM and semicolons: that is what Excel with Dutch regional settings opens
    correctly by double-click.
    """
    sessie: Sessie = g["sessie"]
    afgesloten = sessie.status == "afgesloten"
    uit = io.StringIO()
    schrijver = csv.writer(uit, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    schrijver.writerow(
        [
            "Knelpunt",
            "Domein",
            "Wijkteam",
            "Gemeld op",
            "Besluit",
            "Reden of toelichting",
            "Besloten op",
            "Waar zit de knel?",
            "Wie kan het oplossen?",
            "Actie",
            "Eigenaar",
            "Streefdatum",
            "Status",
            "Thema",
        ]
    )
    gekoppeld: set[int] = set()
    for regel in g["regels"]:
        k = regel.knelpunt
        basis = [
            k.tekst,
            k.domein,
            k.team.naam if k.team else "",
            k.aangemaakt_op.date().isoformat(),
            _besluit_tekst(regel.besluit, afgesloten),
            regel.besluit.uitleg if regel.besluit else "",
            regel.besluit.besloten_op.date().isoformat() if regel.besluit else "",
            regel.regelruimte.knel_label if regel.regelruimte else "",
            regel.regelruimte.oplosser_label if regel.regelruimte else "",
        ]
        thema = k.thema.naam if k.thema else ""
        if not regel.acties:
            schrijver.writerow([_cel(w) for w in [*basis, "", "", "", "", thema]])
        for actie in regel.acties:
            gekoppeld.add(actie.id)
            schrijver.writerow(
                [
                    _cel(w)
                    for w in [
                        *basis,
                        actie.omschrijving,
                        actie.eigenaar_naam,
                        datum_of_leeg(actie.streefdatum),
                        _actie_status(actie, g["vandaag"]),
                        thema,
                    ]
                ]
            )
    for actie in g["acties"]:
        if actie.id not in gekoppeld:
            schrijver.writerow(
                [
                    _cel(w)
                    for w in [
                        *[""] * 9,
                        actie.omschrijving,
                        actie.eigenaar_naam,
                        datum_of_leeg(actie.streefdatum),
                        _actie_status(actie, g["vandaag"]),
                        "",
                    ]
                ]
            )
    return ("\ufeff" + uit.getvalue()).encode("utf-8")


def _csv(kop: list[str], rijen: list[list[object]]) -> bytes:
    """A CSV file for Dutch Excel: UTF-8 with a BOM, semicolons, no formulas from user text."""
    uit = io.StringIO()
    schrijver = csv.writer(uit, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    schrijver.writerow(kop)
    for rij in rijen:
        schrijver.writerow([_cel(w) for w in rij])
    return ("\ufeff" + uit.getvalue()).encode("utf-8")


def stemmen_csv(g: dict[str, Any]) -> bytes:
    """The stemuitslag: a row per item, per perspective only where the small-group rule allows."""
    su: knelpunten_export.Stemuitslag = g["knelpunten_verslag"]["stemuitslag"]
    opmerking = (
        f"per perspectief niet getoond: minder dan {su.min_groep} stemmers in een perspectief" if su.beschermd else ""
    )
    kop = ["Onderwerp", "Soort", "Stemmen", *(_perspectief(p) for p in su.perspectieven), "Opmerking"]
    rijen = [
        [
            r.titel,
            "Thema" if isinstance(r.item, Thema) else "Knelpunt",
            r.totaal,
            *(r.per_perspectief[p] for p in su.perspectieven),
            opmerking,
        ]
        for r in su.regels
    ]
    return _csv(kop, rijen)


def dialoog_csv(g: dict[str, Any]) -> bytes:
    """Every reactie of the dialoog with its onderwerp and perspective; no names."""
    rijen: list[list[object]] = []
    for d in g["knelpunten_verslag"]["dialoog"]:
        for perspectief, reacties in d.per_perspectief:
            rijen += [
                [d.titel, "Thema" if isinstance(d.item, Thema) else "Knelpunt", _perspectief(perspectief), r.tekst,
                 "ja" if r.vooraf else "nee"]
                for r in reacties
            ]  # fmt: skip
    return _csv(["Onderwerp", "Soort", "Perspectief", "Reactie", "Vooraf geschreven"], rijen)


def verwachtingen_csv(g: dict[str, Any]) -> bytes:
    """The verwachtingen with their bijgesteld ambitieniveau and protected figures, a row per ronde and group."""
    onderdeel = g.get("verwachtingen_verslag") or {"verwachtingen": []}
    kop = [
        "Verwachting",
        "Bijgesteld ambitieniveau",
        "Nieuwe formulering",
        "Ronde",
        "Groep",
        "Wenselijk (n)",
        "Wenselijk mediaan",
        "Haalbaar (n)",
        "Haalbaar mediaan",
        "Kloof (laatste ronde)",
    ]
    rijen: list[list[object]] = []
    for v in onderdeel["verwachtingen"]:
        ambitie = v.get("ambitie") or {}
        basis = [v["tekst"], ambitie.get("label", "nog niet vastgelegd"), ambitie.get("nieuwe_formulering") or ""]
        if not v.get("rijen"):
            rijen.append([*basis, "", "", "", "", "", "", ""])
        for rij in v.get("rijen", []):
            rijen.append(
                [
                    *basis,
                    rij.ronde,
                    rij.label,
                    rij.wenselijk.n,
                    _getal(rij.wenselijk.mediaan),
                    rij.haalbaar.n,
                    _getal(rij.haalbaar.mediaan),
                    _getal(v.get("kloof")),
                ]
            )
    return _csv(kop, rijen)


def regelruimte_csv(g: dict[str, Any]) -> bytes:
    """The regelruimte split: a row per (knel, oplosser) that occurs, with the number of knelpunten."""
    v: Verdeling = g["verdeling"]
    rijen: list[list[object]] = [
        [knel, oplosser, v.aantal[(knel, oplosser)]]
        for knel in v.knels
        for oplosser in v.oplossers
        if v.aantal.get((knel, oplosser))
    ]
    return _csv(["Waar zit de knel?", "Wie kan het oplossen?", "Knelpunten"], rijen)


CSV_ONDERDELEN = {
    "stemmen": stemmen_csv,
    "dialoog": dialoog_csv,
    "verwachtingen": verwachtingen_csv,
    "regelruimte": regelruimte_csv,
}


# --------------------------------------------------------------------------- terugkoppeling


def terugkoppeling(*, vandaag: date, team_id: int | None = None, sessie_id: int | None = None) -> dict[str, Any]:
    """Every knelpunt of a team (or of one sessie) with its besluit and the status of its acties."""
    query = (
        select(Knelpunt)
        .join(Sessie, Sessie.id == Knelpunt.sessie_id)
        .where(lezen.knelpunt_zichtbaar())
        .order_by(Sessie.aangemaakt_op.desc(), Knelpunt.id)
    )
    if team_id is not None:
        query = query.where(Knelpunt.team_id == team_id)
    if sessie_id is not None:
        query = query.where(Knelpunt.sessie_id == sessie_id)
    knelpunten = list(db.session.scalars(query))
    per_sessie: dict[int, list[Regel]] = {}
    sessies: dict[int, Sessie] = {}
    for regel in _regels(knelpunten):
        sessies[regel.knelpunt.sessie_id] = regel.knelpunt.sessie
        per_sessie.setdefault(regel.knelpunt.sessie_id, []).append(regel)
    return {
        "per_sessie": [(sessies[i], lijst) for i, lijst in per_sessie.items()],
        "vandaag": vandaag,
        "is_te_laat": regels.is_te_laat,
    }


# --------------------------------------------------------------------------- verwachtingen


def bijgestelde_verwachtingen(gemeente_id: int, van: date | None, tot: date | None) -> list[Any] | None:
    """Verwachtingen of the gemeente whose ambitieniveau was bijgesteld in the period (newest first)."""
    return list(
        db.session.execute(
            select(Verwachting, Ambitie)
            .join(Ambitie, Ambitie.verwachting_id == Verwachting.id)
            .where(
                Verwachting.gemeente_id == gemeente_id,
                Ambitie.uitkomst == Uitkomst.BIJSTELLEN,
                *periode(Ambitie.vastgelegd_op, van, tot),
            )
            .order_by(Ambitie.vastgelegd_op.desc())
            .limit(50)
        )
    )
