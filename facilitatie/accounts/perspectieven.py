"""A gemeente's perspectives: beleid and uitvoering always, plus the ones it added.

The one place every area asks which perspectives there are (`perspectieven_van`), which a
deelnemer may pick (`keuzes_bij_deelnemen`), which form a group in the statistics
(`groepen_van`) and what a stored key is called (`label_van`). Reads and plain rules only;
the commands are in `perspectieven_beheer`.

"anders" stays a choice when joining for whoever fits none: it counts in "alle" and never
forms a group of its own in the verwachtingen (it did not before either). Keys are unique
over all gemeenten, so a key stored in Deelnemer.perspectief is enough to find its label.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from flask import g, has_app_context
from sqlalchemy import bindparam, column, exists, or_, select, table

from facilitatie.accounts.models import GemeentePerspectief, User
from facilitatie.accounts.rollen import PERSPECTIEF_LABELS, Perspectief
from facilitatie.extensions import db
from facilitatie.fouten import Ongeldig

# Beleid and uitvoering exist in every gemeente, in this order (as PERSPECTIEF_LABELS).
VASTE = (Perspectief.UITVOERING.value, Perspectief.BELEID.value)
ANDERS = Perspectief.ANDERS.value
# Words that name a group or a state in the figures and exports, so never a perspective key.
GERESERVEERD = frozenset({*PERSPECTIEF_LABELS, "alle", "onderdrukt", "weet-niet"})
MAX_SLEUTEL = 20
MAX_LABEL = 80
MAX_EIGEN = 12  # a settings list, not a taxonomy: more groups means more of them below 3

_G_LABELS = "ontmoet_perspectief_labels"

# accounts sits below sessies (docs/architecture.md), so the tables that store a perspective
# key are named here rather than imported: a deelnemer, and the rows copied from one.
_GEBRUIKERS = tuple(
    table(naam, column("perspectief")) for naam in ("deelnemer", "verwachting_beoordeling", "reactie", "aanwezigheid")
)


@dataclass(frozen=True)
class PerspectiefKeuze:
    """One perspective of a gemeente as every area sees it; `id` is None for the built-in ones."""

    sleutel: str
    label: str
    actief: bool = True
    vast: bool = True
    id: int | None = None
    volgorde: int = 0


def _vaste() -> list[PerspectiefKeuze]:
    return [PerspectiefKeuze(p, PERSPECTIEF_LABELS[p]) for p in VASTE]


# Built once (every join page and join reads it): a reused statement keeps its cache key.
_EIGEN = (
    select(GemeentePerspectief)
    .where(GemeentePerspectief.gemeente_id == bindparam("gemeente_id"))
    .order_by(GemeentePerspectief.volgorde, GemeentePerspectief.id)
)


def eigen_perspectieven(gemeente_id: int | None) -> list[GemeentePerspectief]:
    """The rows a gemeente added, in their order (deactivated ones included)."""
    if gemeente_id is None:
        return []
    return list(db.session.scalars(_EIGEN, {"gemeente_id": gemeente_id}))


def perspectieven_van(gemeente_id: int | None, *, ook_inactief: bool = False) -> list[PerspectiefKeuze]:
    """Uitvoering, beleid, then the gemeente's own perspectives in order ("anders" not included)."""
    eigen = [
        PerspectiefKeuze(p.sleutel, p.label, p.actief, False, p.id, p.volgorde)
        for p in eigen_perspectieven(gemeente_id)
        if ook_inactief or p.actief
    ]
    return _vaste() + eigen


def keuzes_bij_deelnemen(gemeente_id: int | None) -> list[tuple[str, str]]:
    """(key, label) a deelnemer picks from when joining: the active perspectives, then "Anders"."""
    return [(p.sleutel, p.label) for p in perspectieven_van(gemeente_id)] + [(ANDERS, PERSPECTIEF_LABELS[ANDERS])]


def groepen_van(gemeente_id: int | None) -> tuple[str, ...]:
    """Keys that form a group of their own in the figures: beleid, uitvoering and every added one.

    Deactivated perspectives too: an earlier sessie's deelnemers keep their group.
    """
    return tuple(p.sleutel for p in perspectieven_van(gemeente_id, ook_inactief=True))


def volgorde_van(gemeente_id: int | None) -> tuple[str, ...]:
    """Every key in display order, "anders" last: for splits where "anders" shows too (the votes)."""
    return (*groepen_van(gemeente_id), ANDERS)


def _alle_labels(vers: bool = False) -> dict[str, str]:
    """Every added key with its label, read once per app context (small: a few per gemeente)."""
    if not vers and has_app_context() and _G_LABELS in g:
        return g.get(_G_LABELS)
    labels = dict(db.session.execute(select(GemeentePerspectief.sleutel, GemeentePerspectief.label)).tuples().all())
    if has_app_context():
        setattr(g, _G_LABELS, labels)
    return labels


def vergeet_labels() -> None:
    """After a change: the next `label_van` reads the labels again."""
    if has_app_context():
        g.pop(_G_LABELS, None)


def label_van(sleutel: str | None) -> str:
    """The label of a stored key; an unknown key reads as itself rather than disappearing."""
    if not sleutel:
        return ""
    if sleutel in PERSPECTIEF_LABELS:
        return PERSPECTIEF_LABELS[sleutel]
    labels = _alle_labels()
    if sleutel not in labels:  # added since the labels were read in this context
        labels = _alle_labels(vers=True)
    return labels.get(sleutel, sleutel)


def labels_van(sleutels: Iterable[str]) -> dict[str, str]:
    """Labels for several keys at once (exports, tables)."""
    return {s: label_van(s) for s in sleutels}


def in_groep(sleutel: str | None, groepen: Iterable[str]) -> str:
    """The key a rating counts under: its own when it forms a group, else "anders"."""
    return sleutel if sleutel and sleutel in set(groepen) else ANDERS


def in_gebruik(sleutel: str) -> bool:
    """Whether any deelnemer, rating, reactie or account carries this key (then: deactivate only)."""
    vragen = [exists().where(t.c.perspectief == sleutel) for t in _GEBRUIKERS]
    vragen.append(exists().where(User.perspectief == sleutel))
    return bool(db.session.scalar(select(or_(*vragen))))


# --- plain rules -------------------------------------------------------------------------


def schoon_label(label: str) -> str:
    """A label as stored: one line, spaces collapsed; refused when empty or too long."""
    schoon = " ".join((label or "").split())
    if len(schoon) < 2:
        raise Ongeldig("label", "Geef het perspectief een naam van minstens 2 tekens.")
    if len(schoon) > MAX_LABEL:
        raise Ongeldig("label", f"Een naam heeft hoogstens {MAX_LABEL} tekens.")
    return schoon


def maak_sleutel(label: str, bezet: Iterable[str]) -> str:
    """A readable key from the label (``Inwoner / cliëntenraad`` → ``inwoner-clientenraad``).

    At most MAX_SLEUTEL characters, cut at a word; never a reserved word and never one in
    `bezet` (then ``-2``, ``-3``, ...), so keys stay unique over all gemeenten.
    """
    ascii_ = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode().lower()
    woorden = re.findall(r"[a-z0-9]+", ascii_)
    basis = ""
    for woord in woorden:
        kandidaat = f"{basis}-{woord}" if basis else woord
        if len(kandidaat) > MAX_SLEUTEL:
            break
        basis = kandidaat
    if not basis:
        basis = (woorden[0][:MAX_SLEUTEL] if woorden else "") or "perspectief"
    genomen = set(bezet) | GERESERVEERD
    sleutel, teller = basis, 1
    while sleutel in genomen:
        teller += 1
        staart = f"-{teller}"
        sleutel = basis[: MAX_SLEUTEL - len(staart)].rstrip("-") + staart
    return sleutel


def controleer_uniek_label(label: str, bestaande: Iterable[str]) -> None:
    """Two perspectives of one gemeente may not share a name (case and spaces ignored)."""
    if label.casefold() in {b.casefold() for b in bestaande}:
        raise Ongeldig("label", f"Er is al een perspectief ‘{label}’.")
