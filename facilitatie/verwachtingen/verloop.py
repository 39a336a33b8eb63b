"""Reads for a verwachting's own page: its lijn across sessies, the trend, the ambitie decisions.

The figures per sessie are protected as in the uitslag (`statistiek.figuren` applies
`bescherm` with that sessie's own thresholds), and only closed rondes count; the pure series
are built by `trend`, the pictures by `trendgrafiek`.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup
from sqlalchemy import select

from facilitatie.accounts.models import User
from facilitatie.accounts.perspectieven import groepen_van
from facilitatie.accounts.rollen import kan_sessie_bekijken
from facilitatie.extensions import db
from facilitatie.fouten import Geweigerd, NietGevonden
from facilitatie.sessies.lezen import MAX_ID
from facilitatie.sessies.models import Sessie
from facilitatie.verwachtingen import statistiek as stat
from facilitatie.verwachtingen.lezen import (
    RONDE_NAMEN,
    SCHAAL_LABELS,
    drempels,
    gesloten_rondes,
    lijn_van,
)
from facilitatie.verwachtingen.lezen import groep_label as _groep_label
from facilitatie.verwachtingen.models import Beoordeling, Verwachting
from facilitatie.verwachtingen.trend import Meting, Trend, ronde_die_telt, trend
from facilitatie.verwachtingen.trendgrafiek import trend_svg
from facilitatie.verwachtingen.uitslag import _stat_beoordelingen


def verwachting_voor(user: User, verwachting_id: int) -> Verwachting:
    """The verwachting behind an id, scope-checked before anything else is read.

    Unknown, or of another gemeente: NietGevonden (404), so nothing of it shows. Of the same
    gemeente but a role that may not read its sessie (a wijkteamlid): Geweigerd (403).
    """
    verwachting = db.session.get(Verwachting, verwachting_id) if 0 < verwachting_id <= MAX_ID else None
    if verwachting is None:
        raise NietGevonden("Verwachting niet gevonden.")
    if not kan_sessie_bekijken(user, verwachting.sessie):
        if user.gemeente_id != verwachting.gemeente_id:
            raise NietGevonden("Verwachting niet gevonden.")
        raise Geweigerd("Verwachtingen lees je als begeleider, beleidsmedewerker of wethouder van de gemeente.")
    return verwachting


def groep_label(groep: str) -> str:
    """The display name of a groep: a gemeente's own perspective by its label, else capitalised."""
    label = _groep_label(groep)
    return label if label != groep else groep[:1].upper() + groep[1:]


@dataclass(frozen=True)
class Stap:
    """One sessie of the lijn: the verwachting there, the ronde that counts, the ambitie decided."""

    verwachting: Verwachting
    sessie: Sessie
    ronde: int | None

    @property
    def ronde_naam(self) -> str:
        return f"ronde {self.ronde} ({RONDE_NAMEN[self.ronde]})" if self.ronde else "nog niet beoordeeld"


@dataclass(frozen=True)
class Overzicht:
    """Everything the verwachting's page shows."""

    verwachting: Verwachting
    herkomst: Verwachting | None
    stappen: list[Stap]
    trend: Trend
    grafieken: dict[str, Markup]
    min_groep: int

    @property
    def labels(self) -> dict[str, str]:
        return {g: groep_label(g) for g in self.trend.groepen}


def _figuren(v: Verwachting, sessie: Sessie, ronde: int | None) -> tuple[stat.RondeFiguren | None, int]:
    """The figures of the ronde that counts, grouped as the uitslag groups them: beleid,
    uitvoering and every perspective the gemeente configured (each its own line in the trend)."""
    d = drempels(sessie)
    if ronde is None:
        return None, d.min_groep
    rijen = list(
        db.session.scalars(select(Beoordeling).where(Beoordeling.verwachting_id == v.id, Beoordeling.ronde == ronde))
    )
    groepen = groepen_van(sessie.gemeente_id)
    return stat.figuren(_stat_beoordelingen(rijen, groepen), ronde, d, groepen), d.min_groep


def _zonder_lege_groepen(t: Trend) -> Trend:
    """Leave out a gemeente's own perspective that is shown in no sessie (a row of only dashes);
    alle, beleid and uitvoering always keep their rows."""
    groepen = tuple(
        g for g in t.groepen if g in stat.GROEPEN or any(any(v.n) for (h, _s), v in t.verloop.items() if h == g)
    )
    if groepen == t.groepen:
        return t
    return Trend(t.metingen, groepen, {k: v for k, v in t.verloop.items() if k[0] in groepen})


def overzicht(verwachting: Verwachting) -> Overzicht:
    """The lijn of this verwachting with its trend per groep and schaal, and the pictures."""
    lijn = lijn_van(verwachting)
    stappen: list[Stap] = []
    metingen: list[Meting] = []
    vloer = stat.Drempels().min_groep
    for v in lijn:
        ronde = ronde_die_telt(gesloten_rondes(v.sessie))
        figuren, min_groep = _figuren(v, v.sessie, ronde)
        vloer = max(vloer, min_groep)
        stappen.append(Stap(v, v.sessie, ronde))
        metingen.append(Meting(v.id, v.sessie.titel, figuren, min_groep))
    t = _zonder_lege_groepen(trend(metingen))
    labels = {g: groep_label(g) for g in t.groepen}
    grafieken = {
        schaal: Markup(  # noqa: S704 - every text in it is escaped by trendgrafiek
            trend_svg(
                t,
                schaal,
                f"{SCHAAL_LABELS[schaal]} over de sessies: {verwachting.tekst}",
                labels,
                id_prefix=f"trend-{verwachting.id}-{schaal}",
            )
        )
        for schaal in stat.SCHALEN
    }
    herkomst = db.session.get(Verwachting, verwachting.herkomst_id) if verwachting.herkomst_id else None
    if herkomst is not None and (herkomst.gemeente_id != verwachting.gemeente_id or herkomst.lijn != verwachting.lijn):
        herkomst = None  # the id of a removed verwachting, given again to another (SQLite reuses ids)
    return Overzicht(verwachting, herkomst, stappen, t, grafieken, vloer)
