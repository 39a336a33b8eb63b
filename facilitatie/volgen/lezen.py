"""Reads of the volglink page: the knelpunt behind a token, and what became of it.

Nothing here names a deelnemer: reacties are shown without their author, the besluit historie
without who recorded it; an actie names its eigenaar only where that is an official acting in
their role (a beleidsmedewerker or begeleider, or an afdeling), since a volglink is a bearer
link that can travel beyond the gemeente.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select

from facilitatie.accounts.rollen import Perspectief, Rol
from facilitatie.extensions import db
from facilitatie.knelpunten.models import Knelpunt, Reactie
from facilitatie.opvolging.lezen import acties_per_knelpunt, knelpunt_zichtbaar
from facilitatie.opvolging.models import Actie, Besluit, BesluitHistorie
from facilitatie.opvolging.regels import Besluitsoort
from facilitatie.volgen import regels
from facilitatie.volgen.models import Volglink

AMBTELIJK = frozenset({Rol.BELEIDSMEDEWERKER, Rol.BEGELEIDER})
"""Roles whose name may stand beside an actie on the volglink page: they act in their role."""


@dataclass(frozen=True)
class Volgstand:
    """Everything the volglink page shows of one knelpunt."""

    knelpunt: Knelpunt
    besluit: Besluit | None
    historie: list[BesluitHistorie]  # every recorded version, oldest first
    acties: list[Actie]
    reacties: list[Reactie]  # beleid's, on the knelpunt or on its thema, oldest first
    vandaag: date


def knelpunt_bij_token(token: str) -> Knelpunt | None:
    """The visible knelpunt this token opens, or None (malformed, unknown, withdrawn or removed)."""
    if not regels.is_plausibel(token):
        return None
    return db.session.scalar(
        select(Knelpunt)
        .join(Volglink, Volglink.knelpunt_id == Knelpunt.id)
        .where(Volglink.token_hash == regels.hash_van(token), knelpunt_zichtbaar())
    )


def volgstand(knelpunt: Knelpunt, vandaag: date) -> Volgstand:
    """Besluit with its history, acties, and beleid's reacties of one knelpunt."""
    besluit = db.session.scalar(select(Besluit).where(Besluit.knelpunt_id == knelpunt.id))
    historie = list(
        db.session.scalars(
            select(BesluitHistorie).where(BesluitHistorie.knelpunt_id == knelpunt.id).order_by(BesluitHistorie.id)
        )
    )
    waar = [Reactie.knelpunt_id == knelpunt.id]
    if knelpunt.thema_id is not None:
        waar.append(Reactie.thema_id == knelpunt.thema_id)
    reacties = list(
        db.session.scalars(
            select(Reactie)
            .where(or_(*waar), Reactie.perspectief == Perspectief.BELEID, Reactie.verborgen.is_(False))
            .order_by(Reactie.aangemaakt_op, Reactie.id)
        )
    )
    acties = acties_per_knelpunt([knelpunt.id])[knelpunt.id]
    return Volgstand(knelpunt, besluit, historie, acties, reacties, vandaag)


def eigenaar_tekst(actie: Actie) -> str:
    """Who carries the actie, as the volglink page may say it (see the module)."""
    eigenaar = actie.eigenaar
    ambtelijk = eigenaar is not None and eigenaar.rol in AMBTELIJK
    if actie.afdeling:
        return f"{actie.afdeling} (contact: {eigenaar.naam})" if ambtelijk and eigenaar else actie.afdeling
    if ambtelijk and eigenaar:
        return eigenaar.naam
    return "Een collega uit de uitvoering" if eigenaar is not None else "Nog geen eigenaar"


def historie_uitleg(versie: BesluitHistorie) -> str:
    """The reason of one version of a besluit, as Besluit.uitleg says it for the current one."""
    if versie.soort == Besluitsoort.DOORVERWEZEN:
        extra = f". {versie.toelichting}" if versie.toelichting else ""
        return f"Doorverwezen naar {versie.doorverwezen_naar}{extra}"
    return versie.reden or versie.toelichting or ""
