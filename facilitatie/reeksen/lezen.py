"""Reads of a reeks: its sessies, what its next sessie starts with, the reeks behind an id.

`volgende_sessie` is the one place that decides what a next sessie of a reeks is prefilled
with; a field more (the next inbrenger of a leerkring, say) is one line in `Voorinvulling`
and one in that function.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from facilitatie.accounts.models import Team, User
from facilitatie.extensions import db
from facilitatie.fouten import Geweigerd, NietGevonden
from facilitatie.leerkring import lezen as leerkring
from facilitatie.opvolging import rechten, regels
from facilitatie.opvolging.models import Actie, Reeks, sessie_reeks
from facilitatie.sessies.lezen import MAX_ID
from facilitatie.sessies.models import Sessie
from facilitatie.verwachtingen.lezen import overgenomen_tekst
from facilitatie.verwachtingen.models import Verwachting


def reeks_voor(user: User, reeks_id: int) -> Reeks:
    """The reeks behind an id, scope-checked before anything else is read.

    Unknown, or of another gemeente: NietGevonden (404), so no error page shows its name.
    Of the own gemeente but a role that reads no sessies (a wijkteamlid): Geweigerd (403).
    """
    reeks = db.session.get(Reeks, reeks_id) if 0 < reeks_id <= MAX_ID else None
    if reeks is None or not (rechten.ziet_alle_gemeenten(user) or user.gemeente_id == reeks.gemeente_id):
        raise NietGevonden("Reeks niet gevonden.")
    if not rechten.ziet_gemeente(user, reeks.gemeente_id):
        raise Geweigerd("Reeksen zie je als begeleider, beleidsmedewerker of wethouder van de gemeente.")
    return reeks


def kan_reeks_kiezen(user: User) -> bool:
    """Who may put a new sessie in a reeks: the begeleider (or beleid) of the own gemeente."""
    return user.gemeente_id is not None and rechten.kan_besluiten(user, user.gemeente_id)


def reeksen_van(gemeente_id: int) -> list[Reeks]:
    """The gemeente's reeksen, by name."""
    return list(db.session.scalars(select(Reeks).where(Reeks.gemeente_id == gemeente_id).order_by(Reeks.naam)))


def sessies_van(reeks: Reeks) -> list[Sessie]:
    """The sessies of a reeks, oldest first."""
    return list(
        db.session.scalars(
            select(Sessie)
            .join(sessie_reeks, sessie_reeks.c.sessie_id == Sessie.id)
            .where(sessie_reeks.c.reeks_id == reeks.id)
            .order_by(Sessie.aangemaakt_op, Sessie.id)
        )
    )


def open_acties(reeks: Reeks, vandaag: date) -> list[Actie]:
    """Open acties of the reeks' sessies to review, late ones first."""
    acties = list(
        db.session.scalars(
            select(Actie)
            .join(sessie_reeks, sessie_reeks.c.sessie_id == Actie.sessie_id)
            .where(
                sessie_reeks.c.reeks_id == reeks.id,
                Actie.gemeente_id == reeks.gemeente_id,
                Actie.status.in_((regels.Actiestatus.OPEN, regels.Actiestatus.IN_UITVOERING)),
            )
            .order_by(Actie.streefdatum, Actie.id)
        )
    )
    return sorted(acties, key=lambda a: not regels.is_te_laat(a.status, a.streefdatum, vandaag))


def te_herbeoordelen(sessies: list[Sessie]) -> list[Verwachting]:
    """Per lijn the latest verwachting in these sessies, unless the group let it go (loslaten)."""
    if not sessies:
        return []
    volgorde = {s.id: i for i, s in enumerate(sessies)}
    laatste: dict[int, Verwachting] = {}
    for v in db.session.scalars(
        select(Verwachting).where(Verwachting.sessie_id.in_(volgorde)).order_by(Verwachting.volgorde, Verwachting.id)
    ):
        huidig = laatste.get(v.lijn)
        if huidig is None or volgorde[v.sessie_id] >= volgorde[huidig.sessie_id]:
            laatste[v.lijn] = v
    gekozen = [v for v in laatste.values() if overgenomen_tekst(v) is not None]
    return sorted(gekozen, key=lambda v: (volgorde[v.sessie_id], v.volgorde, v.id))


@dataclass(frozen=True)
class Voorinvulling:
    """What the next sessie of a reeks starts with."""

    reeks: Reeks
    sessies: list[Sessie]
    titel: str
    sessievorm: str | None
    teams: list[Team]
    verwachtingen: list[Verwachting]  # taken over (keeping their lijn) to be rated again
    acties: list[Actie]  # shown to the begeleider in the new sessie, to review
    inbrenger: tuple[str, date | None] | None = None  # (naam, datum) recorded at the last leerkring
    vorige_casus: str | None = None  # the casus question the next leerkring looks back on

    @property
    def vorige(self) -> Sessie | None:
        return self.sessies[-1] if self.sessies else None


def volgende_sessie(reeks: Reeks, vandaag: date, kijker_id: int | None = None) -> Voorinvulling:
    """Everything the next sessie of this reeks is prefilled with (the one place to add a field).

    The previous casus only for a kijker who led it, or when the kring put it in its verslag.
    """
    sessies = sessies_van(reeks)
    vorige = sessies[-1] if sessies else None
    return Voorinvulling(
        reeks=reeks,
        sessies=sessies,
        titel=f"{reeks.naam}, sessie {len(sessies) + 1}",
        sessievorm=vorige.sessievorm if vorige else None,
        teams=list(vorige.teams) if vorige else [],
        verwachtingen=te_herbeoordelen(sessies),
        acties=open_acties(reeks, vandaag),
        inbrenger=leerkring.volgende_inbrenger(reeks.id),
        vorige_casus=leerkring.casus_vorige(reeks.id, kijker_id=kijker_id),
    )
