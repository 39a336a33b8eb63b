"""The opvolging filter: what a list (or the list behind a dashboard number) shows.

One Filter describes both the opvolging list and every dashboard figure: the dashboard links
each number to the list with exactly the filter that counts it, so a wethouder can always
click through to the knelpunten or acties behind a figure. Every field maps to one GET
parameter, so a filtered list is a shareable URL; unknown or malformed parameters are
ignored, never a 500.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement

from facilitatie.accounts.models import WERKMODEL_LABELS
from facilitatie.forms_base import positief_id
from facilitatie.knelpunten.models import DOMEINEN
from facilitatie.opvolging.regelruimte import KNEL_LABELS, OPLOSSER_LABELS
from facilitatie.opvolging.regels import BESLUIT_LABELS, STATUS_LABELS
from facilitatie.sessies.models import Status

ZONDER = "zonder"
"""Besluit filter value: knelpunt of an afgesloten sessie that has no besluit yet."""
IN_SESSIE = "in_sessie"
"""Besluit filter value: no besluit yet, but its sessie is still running (or yet to start)."""
SIGNAAL = "signaal"
"""Besluit filter value: a signaal still in the signalenbak: on no agenda, no besluit."""
MET = "met"

ZONDER_BESLUIT: dict[str, tuple[str, ...]] = {
    ZONDER: (Status.AFGESLOTEN,),
    IN_SESSIE: (Status.CONCEPT, Status.LIVE),
    # Still in the gemeente's signalenbak: on no agenda yet, so not "in sessie".
    SIGNAAL: (Status.SIGNALEN,),
}
"""A knelpunt without besluit, by the status of the sessie that holds it."""


def uitkomst_zonder_besluit(sessie_status: str) -> str:
    """The dashboard outcome of a knelpunt without besluit (a sessie status added later counts
    as in sessie until it says otherwise)."""
    return next((naam for naam, statussen in ZONDER_BESLUIT.items() if sessie_status in statussen), IN_SESSIE)


BESLUIT_FILTERS: dict[str, str] = {
    **{s.value: label for s, label in BESLUIT_LABELS.items()},
    MET: "Met besluit",
    ZONDER: "Zonder besluit",
    IN_SESSIE: "Nog in sessie",
    SIGNAAL: "Binnengekomen signaal",
}
STATUS_FILTERS: dict[str, str] = {s.value: label for s, label in STATUS_LABELS.items()}
WEERGAVEN = {"acties": "Acties", "knelpunten": "Knelpunten en besluiten"}
SORTERINGEN = {
    "acties": {
        "streefdatum": "Streefdatum",
        "status": "Status",
        "eigenaar": "Eigenaar",
        "aangemaakt": "Aangemaakt",
    },
    "knelpunten": {
        "datum": "Gemeld op",
        "domein": "Domein",
        "team": "Wijkteam",
        "besluit": "Besluit",
    },
}


GROEP_LABELS: dict[str, dict[str, str]] = {
    "werkmodel": dict(WERKMODEL_LABELS),
    "knel": KNEL_LABELS,
    "oplosser": OPLOSSER_LABELS,
}
"""The labels of the dashboard groups a list can be filtered on besides domein and team."""


@dataclass(frozen=True)
class Filter:
    """What the opvolging list shows; every field maps to one GET parameter (shareable URL)."""

    weergave: str = "acties"
    gemeente: int | None = None
    team: int | None = None
    domein: str | None = None
    status: str | None = None
    besluit: str | None = None
    eigenaar: int | None = None
    sessie: int | None = None
    signaal: int | None = None
    werkmodel: str | None = None
    knel: str | None = None
    oplosser: str | None = None
    te_laat: bool = False
    van: date | None = None
    tot: date | None = None
    sort: str = ""
    pagina: int = 1

    def als_args(self, **wijzig: Any) -> dict[str, str]:
        """GET parameters for this filter (changed by `wijzig`), leaving out defaults."""
        velden = {veld.name: getattr(self, veld.name) for veld in fields(self)} | wijzig
        args: dict[str, str] = {}
        for naam, waarde in velden.items():
            if waarde in (None, "", False) or (naam == "pagina" and waarde == 1):
                continue
            if naam == "weergave" and waarde == "acties":
                continue
            args[naam] = "1" if waarde is True else (waarde.isoformat() if isinstance(waarde, date) else str(waarde))
        return args


def _datum(waarde: str | None) -> date | None:
    try:
        return date.fromisoformat((waarde or "").strip())
    except ValueError:
        return None


def parse_filter(args: Mapping[str, str]) -> Filter:
    """Read a Filter from GET parameters; unknown or malformed values are ignored, never a 500."""
    weergave = args.get("weergave", "acties")
    weergave = weergave if weergave in WEERGAVEN else "acties"
    domein = args.get("domein") or None
    status = args.get("status") or None
    besluit = args.get("besluit") or None
    sort = args.get("sort", "")
    if sort.lstrip("-") not in SORTERINGEN[weergave]:
        sort = ""
    pagina = positief_id(args.get("pagina")) or 1
    werkmodel, knel, oplosser = (args.get(naam) or None for naam in ("werkmodel", "knel", "oplosser"))
    return Filter(
        weergave=weergave,
        gemeente=positief_id(args.get("gemeente")),
        team=positief_id(args.get("team")),
        domein=domein if domein in DOMEINEN else None,
        status=status if status in STATUS_FILTERS else None,
        besluit=besluit if besluit in BESLUIT_FILTERS else None,
        eigenaar=positief_id(args.get("eigenaar")),
        sessie=positief_id(args.get("sessie")),
        signaal=positief_id(args.get("signaal")),
        werkmodel=werkmodel if werkmodel in WERKMODEL_LABELS else None,
        knel=knel if knel in KNEL_LABELS else None,
        oplosser=oplosser if oplosser in OPLOSSER_LABELS else None,
        te_laat=args.get("te_laat") in ("1", "ja", "true", "on"),
        van=_datum(args.get("van")),
        tot=_datum(args.get("tot")),
        sort=sort,
        pagina=min(pagina, 100_000),
    )


def _begin(d: date) -> datetime:
    return datetime.combine(d, time.min)


def periode(kolom: Any, van: date | None, tot: date | None) -> list[ColumnElement[bool]]:
    """Conditions for a timestamp column within [van, tot], both whole days (either may be open)."""
    voorwaarden = []
    if van:
        voorwaarden.append(kolom >= _begin(van))
    if tot:
        voorwaarden.append(kolom < _begin(tot + timedelta(days=1)))
    return voorwaarden
