"""The dashboard for bestuur: per gemeente and period, what was picked up, late, not picked up and why.

Every number links to the opvolging list with exactly the filter that counts it
(`filter_voor`). The counts and medians come from cijfers.py through the cache
(dashboard_cache.py); names, teams and the signals that came back are read fresh (cheap,
and not covered by the stamp).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select

from facilitatie.accounts.models import WERKMODEL_LABELS, Gemeente, Team
from facilitatie.extensions import db
from facilitatie.knelpunten.models import DOMEINEN, Knelpunt
from facilitatie.opvolging import dashboard_cache
from facilitatie.opvolging.cijfers import ActieTelling, Telling
from facilitatie.opvolging.filters import Filter, periode
from facilitatie.opvolging.lezen import knelpunt_zichtbaar
from facilitatie.opvolging.models import Besluit, EerderGemeld
from facilitatie.opvolging.regelruimte import KNEL_LABELS, ONBEKEND, OPLOSSER_LABELS
from facilitatie.sessies.models import Sessie


@dataclass
class Terugkomer:
    knelpunt: Knelpunt
    keer: int
    laatst: datetime
    dagen_sinds_eerste: int
    besluit: Besluit | None


@dataclass
class Dashboard:
    gemeente: Gemeente | None
    van: date | None
    tot: date | None
    vandaag: date
    totaal: Telling
    per_domein: dict[str, Telling]
    per_team: dict[int | None, Telling]
    teams: dict[int, str]
    trend: dict[str, Telling]
    acties: ActieTelling
    acties_per_domein: dict[str, ActieTelling]
    acties_per_team: dict[int | None, ActieTelling]
    terugkomers: list[Terugkomer] = field(default_factory=list)
    # Per werkmodel of the teams and per regelruimte (knel, oplosser); None: no team / not recorded.
    per_werkmodel: dict[str | None, Telling] = field(default_factory=dict)
    acties_per_werkmodel: dict[str | None, ActieTelling] = field(default_factory=dict)
    per_knel: dict[str | None, Telling] = field(default_factory=dict)
    acties_per_knel: dict[str | None, ActieTelling] = field(default_factory=dict)
    per_oplosser: dict[str | None, Telling] = field(default_factory=dict)
    acties_per_oplosser: dict[str | None, ActieTelling] = field(default_factory=dict)

    @staticmethod
    def werkmodel_naam(werkmodel: str | None) -> str:
        return WERKMODEL_LABELS.get(werkmodel, werkmodel) if werkmodel else "Geen wijkteam"

    @staticmethod
    def knel_naam(knel: str | None) -> str:
        return KNEL_LABELS.get(knel, knel) if knel else ONBEKEND

    @staticmethod
    def oplosser_naam(oplosser: str | None) -> str:
        return OPLOSSER_LABELS.get(oplosser, oplosser) if oplosser else ONBEKEND

    def als_dict(self) -> dict[str, Any]:
        """Plain figures for the JSON API."""

        def telling(t: Telling) -> dict[str, Any]:
            return {**asdict(t), "met_besluit": t.met_besluit}

        return {
            "gemeente": self.gemeente.id if self.gemeente else None,
            "van": self.van.isoformat() if self.van else None,
            "tot": self.tot.isoformat() if self.tot else None,
            "peildatum": self.vandaag.isoformat(),
            "knelpunten": telling(self.totaal),
            "per_domein": [{"domein": d, **telling(t)} for d, t in self.per_domein.items()],
            "per_team": [
                {
                    "team": team_id,
                    "naam": self.teams.get(team_id, "Geen team") if team_id else "Geen team",
                    **telling(t),
                }
                for team_id, t in self.per_team.items()
            ],
            "trend": [{"maand": m, **telling(t)} for m, t in self.trend.items()],
            "per_werkmodel": [
                {"werkmodel": w, "naam": self.werkmodel_naam(w), **telling(t)} for w, t in self.per_werkmodel.items()
            ],
            "per_knel": [{"knel": k, "naam": self.knel_naam(k), **telling(t)} for k, t in self.per_knel.items()],
            "per_oplosser": [
                {"oplosser": o, "naam": self.oplosser_naam(o), **telling(t)} for o, t in self.per_oplosser.items()
            ],
            "acties": asdict(self.acties),
            "terugkomers": [
                {
                    "knelpunt": t.knelpunt.id,
                    "keer": t.keer,
                    "dagen_sinds_eerste": t.dagen_sinds_eerste,
                    "besluit": t.besluit.soort if t.besluit else None,
                }
                for t in self.terugkomers
            ],
        }


def _maand_tekst(waarde: Any) -> str:
    return waarde.strftime("%Y-%m") if isinstance(waarde, datetime) else str(waarde)


def _domein_volgorde(domein: str) -> int:
    return DOMEINEN.index(domein) if domein in DOMEINEN else 99


def _in_volgorde(groepen: dict[Any, Any], labels: dict[str, str]) -> dict[Any, Any]:
    """Groups in the order of their labels (the order the glossary lists them), None last."""
    volgorde = list(labels)
    return dict(
        sorted(groepen.items(), key=lambda p: (p[0] is None, volgorde.index(p[0]) if p[0] in volgorde else 99))
    )


def dashboard_van(gemeente_id: int, van: date | None, tot: date | None, vandaag: date) -> Dashboard:
    """Every dashboard figure for one gemeente and period, in a handful of grouped queries.

    The counts and medians are reused until a write moves the gemeente's stamp; names,
    teams and the signals that came back are read fresh (cheap, and not covered by the stamp).
    """
    gemeente = db.session.get(Gemeente, gemeente_id)
    c = dashboard_cache.cijfers(gemeente_id, van, tot, vandaag)
    teams = {t.id: t.naam for t in db.session.scalars(select(Team).where(Team.gemeente_id == gemeente_id))}
    return Dashboard(
        gemeente=gemeente,
        van=van,
        tot=tot,
        vandaag=vandaag,
        totaal=c.totaal,
        per_domein=dict(sorted(c.per["domein"].items(), key=lambda p: _domein_volgorde(p[0]))),
        per_team=dict(sorted(c.per["team"].items(), key=lambda p: (p[0] is None, teams.get(p[0] or 0, "")))),
        teams=teams,
        trend=dict(sorted((_maand_tekst(m), t) for m, t in c.per["maand"].items())),
        acties=c.acties,
        acties_per_domein=c.acties_per["domein"],
        acties_per_team=c.acties_per["team"],
        terugkomers=terugkomers(gemeente_id, van, tot, vandaag),
        per_werkmodel=_in_volgorde(c.per["werkmodel"], WERKMODEL_LABELS),
        acties_per_werkmodel=c.acties_per["werkmodel"],
        per_knel=_in_volgorde(c.per["knel"], KNEL_LABELS),
        acties_per_knel=c.acties_per["knel"],
        per_oplosser=_in_volgorde(c.per["oplosser"], OPLOSSER_LABELS),
        acties_per_oplosser=c.acties_per["oplosser"],
    )


def terugkomers(
    gemeente_id: int, van: date | None, tot: date | None, vandaag: date, limiet: int = 10
) -> list[Terugkomer]:
    """Signals that keep coming back: first meldingen with the most 'eerder gemeld' links."""
    later = Knelpunt.__table__.alias("later")
    rijen = db.session.execute(
        select(EerderGemeld.eerder_id, func.count(), func.max(later.c.aangemaakt_op))
        .join(later, later.c.id == EerderGemeld.knelpunt_id)
        .join(Knelpunt, Knelpunt.id == EerderGemeld.eerder_id)
        .join(Sessie, Sessie.id == Knelpunt.sessie_id)
        .where(Sessie.gemeente_id == gemeente_id, knelpunt_zichtbaar(), *periode(later.c.aangemaakt_op, van, tot))
        .group_by(EerderGemeld.eerder_id)
        .order_by(func.count().desc(), EerderGemeld.eerder_id)
        .limit(limiet)
    ).all()
    if not rijen:
        return []
    knelpunten = {k.id: k for k in db.session.scalars(select(Knelpunt).where(Knelpunt.id.in_([r[0] for r in rijen])))}
    besluiten = {
        b.knelpunt_id: b for b in db.session.scalars(select(Besluit).where(Besluit.knelpunt_id.in_(knelpunten)))
    }
    return [
        Terugkomer(
            knelpunt=knelpunten[eerder_id],
            keer=keer,
            laatst=laatst,
            dagen_sinds_eerste=(vandaag - knelpunten[eerder_id].aangemaakt_op.date()).days,
            besluit=besluiten.get(eerder_id),
        )
        for eerder_id, keer, laatst in rijen
    ]


def filter_voor(dashboard_: Dashboard, **extra: Any) -> Filter:
    """The opvolging filter behind one dashboard number."""
    basis = Filter(
        gemeente=dashboard_.gemeente.id if dashboard_.gemeente else None, van=dashboard_.van, tot=dashboard_.tot
    )
    return replace(basis, **extra)
