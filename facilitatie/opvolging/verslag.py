"""The verslag of a sessie (page, Markdown, CSV) and the terugkoppeling to wijkteams.

No author is ever named: knelpunten are shown by their wijkteam only, so an anonymous
knelpunt cannot be told apart from a named one in anything exported.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select

from facilitatie.extensions import db
from facilitatie.knelpunten.models import Knelpunt
from facilitatie.opvolging import regels, service
from facilitatie.opvolging.models import Actie, Besluit
from facilitatie.opvolging.overzicht import _periode
from facilitatie.sessies.models import Sessie
from facilitatie.templating import datum
from facilitatie.verwachtingen import export as verwachtingen_export
from facilitatie.verwachtingen.models import Ambitie, Verwachting


@dataclass
class Regel:
    """One knelpunt with what became of it."""

    knelpunt: Knelpunt
    besluit: Besluit | None
    acties: list[Actie]
    eerder: list[Knelpunt]


def _regels(knelpunten: list[Knelpunt]) -> list[Regel]:
    ids = [k.id for k in knelpunten]
    besluiten = service.besluiten_per_knelpunt(ids)
    acties = service.acties_per_knelpunt(ids)
    eerder = service.eerder_gemeld_van(ids)
    return [Regel(k, besluiten.get(k.id), acties.get(k.id, []), eerder.get(k.id, [])) for k in knelpunten]


def _verwachtingen_onderdeel(sessie: Sessie) -> dict[str, Any] | None:
    """The verwachtingen area's part of the verslag."""
    return verwachtingen_export.verslag_onderdeel(sessie)


def gegevens(sessie: Sessie, vandaag: date) -> dict[str, Any]:
    """Everything the verslag shows, for the page, the Markdown and the CSV."""
    knelpunten = service.knelpunten_van_sessie(sessie)
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
    return {
        "sessie": sessie,
        "regels": _regels(knelpunten),
        "acties": acties,
        "vandaag": vandaag,
        "is_te_laat": regels.is_te_laat,
        "verwachtingen_verslag": _verwachtingen_onderdeel(sessie),
    }


def _besluit_tekst(besluit: Besluit | None, sessie_afgesloten: bool) -> str:
    if besluit is None:
        return "Zonder besluit" if sessie_afgesloten else "Nog geen besluit"
    return besluit.label


def _actie_status(actie: Actie, vandaag: date) -> str:
    te_laat = regels.is_te_laat(actie.status, actie.streefdatum, vandaag)
    return actie.status_label + (" (te laat)" if te_laat else "")


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
    regels_md += ["", "## Knelpunten en besluiten", ""]
    if not g["regels"]:
        regels_md.append("Er zijn geen knelpunten ingediend.")
    for nummer, regel in enumerate(g["regels"], start=1):
        k = regel.knelpunt
        team = k.team.naam if k.team else "geen wijkteam"
        regels_md.append(f"{nummer}. **{_md(k.tekst)}** ({k.domein}; {team})")
        regels_md.append(f"   - Besluit: {_besluit_tekst(regel.besluit, afgesloten)}")
        if regel.besluit and regel.besluit.uitleg:
            regels_md.append(f"   - Toelichting: {_md(regel.besluit.uitleg)}")
        for actie in regel.acties:
            regels_md.append(f"   - Actie: {_md(actie.omschrijving)} — {_actie_status(actie, g['vandaag'])}")
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
    return "\n".join(regels_md) + "\n"


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
            "Actie",
            "Eigenaar",
            "Streefdatum",
            "Status",
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
        ]
        if not regel.acties:
            schrijver.writerow([_cel(w) for w in [*basis, "", "", "", ""]])
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
                    ]
                ]
            )
    for actie in g["acties"]:
        if actie.id not in gekoppeld:
            schrijver.writerow(
                [
                    _cel(w)
                    for w in [
                        "",
                        "",
                        "",
                        "",
                        "",
                        "",
                        "",
                        actie.omschrijving,
                        actie.eigenaar_naam,
                        datum_of_leeg(actie.streefdatum),
                        _actie_status(actie, g["vandaag"]),
                    ]
                ]
            )
    return ("\ufeff" + uit.getvalue()).encode("utf-8")


# --------------------------------------------------------------------------- terugkoppeling


def terugkoppeling(*, vandaag: date, team_id: int | None = None, sessie_id: int | None = None) -> dict[str, Any]:
    """Every knelpunt of a team (or of one sessie) with its besluit and the status of its acties."""
    query = (
        select(Knelpunt)
        .join(Sessie, Sessie.id == Knelpunt.sessie_id)
        .where(service.knelpunt_zichtbaar())
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
    """Verwachtingen whose ambitieniveau was bijgesteld."""
    return list(
        db.session.execute(
            select(Verwachting, Ambitie)
            .join(Ambitie, Ambitie.verwachting_id == Verwachting.id)
            .where(
                Verwachting.gemeente_id == gemeente_id,
                Ambitie.uitkomst == "bijgesteld",
                *_periode(Ambitie.vastgelegd_op, van, tot),
            )
            .order_by(Ambitie.vastgelegd_op.desc())
            .limit(50)
        )
    )
