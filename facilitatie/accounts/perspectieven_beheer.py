"""Commands on a gemeente's perspectives: add, rename (and reorder), deactivate, delete.

Permission is the caller's (the view checks `rollen.beheert_perspectieven` before it loads
a form); these commands keep the rules: beleid, uitvoering and anders cannot be touched,
names are unique per gemeente, and a perspective in use is deactivated, never deleted.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from facilitatie.accounts.models import GemeentePerspectief
from facilitatie.accounts.perspectieven import (
    MAX_EIGEN,
    controleer_uniek_label,
    eigen_perspectieven,
    in_gebruik,
    maak_sleutel,
    perspectieven_van,
    schoon_label,
    vergeet_labels,
)
from facilitatie.extensions import db
from facilitatie.fouten import Ongeldig
from facilitatie.werk import transactie

MAX_VOLGORDE = 99


def _andere_labels(perspectief: GemeentePerspectief | None, gemeente_id: int) -> list[str]:
    return [
        p.label
        for p in perspectieven_van(gemeente_id, ook_inactief=True)
        if perspectief is None or p.id != perspectief.id
    ] + ["Anders", "Alle deelnemers"]


def _bewaar() -> None:
    """Flush now, so a key taken at the same moment by someone else is a message, not a 500."""
    try:
        db.session.flush()
    except IntegrityError:
        raise Ongeldig("label", "Dit perspectief is net door iemand anders toegevoegd. Probeer het nog eens.") from None
    vergeet_labels()


@transactie
def toevoegen(gemeente_id: int, label: str) -> GemeentePerspectief:
    """Add a perspective at the end of the gemeente's list, with a key made from its name."""
    label = schoon_label(label)
    controleer_uniek_label(label, _andere_labels(None, gemeente_id))
    eigen = eigen_perspectieven(gemeente_id)
    if len(eigen) >= MAX_EIGEN:
        raise Ongeldig("label", f"Een gemeente heeft hoogstens {MAX_EIGEN} eigen perspectieven.")
    bezet = set(db.session.scalars(select(GemeentePerspectief.sleutel)))
    volgorde = min(max((p.volgorde for p in eigen), default=0) + 1, MAX_VOLGORDE)
    perspectief = GemeentePerspectief(
        gemeente_id=gemeente_id, sleutel=maak_sleutel(label, bezet), label=label, volgorde=volgorde, actief=True
    )
    db.session.add(perspectief)
    _bewaar()
    return perspectief


@transactie
def wijzigen(perspectief: GemeentePerspectief, label: str, volgorde: int | None) -> None:
    """Rename and reorder; the key stays, so the data keeps pointing at it."""
    label = schoon_label(label)
    controleer_uniek_label(label, _andere_labels(perspectief, perspectief.gemeente_id))
    if volgorde is not None and not (1 <= volgorde <= MAX_VOLGORDE):
        raise Ongeldig("volgorde", f"Kies een volgorde van 1 tot en met {MAX_VOLGORDE}.")
    perspectief.label = label
    if volgorde is not None:
        perspectief.volgorde = volgorde
    _bewaar()


@transactie
def actief_zetten(perspectief: GemeentePerspectief, actief: bool) -> None:
    """Deactivate (no longer offered when joining; figures of earlier sessies keep it) or back on."""
    perspectief.actief = actief
    _bewaar()


@transactie
def verwijderen(perspectief: GemeentePerspectief) -> None:
    """Delete a perspective nobody used yet; one in use can only be deactivated."""
    if in_gebruik(perspectief.sleutel):
        raise Ongeldig(
            "label",
            f"‘{perspectief.label}’ is al gebruikt in een sessie of account: "
            "zet het uit in plaats van het te verwijderen.",
        )
    db.session.delete(perspectief)
    _bewaar()


__all__ = ["actief_zetten", "toevoegen", "verwijderen", "wijzigen"]
