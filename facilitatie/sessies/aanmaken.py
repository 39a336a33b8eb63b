"""The seam of "Nieuwe sessie": what later areas add to the form and do with the new sessie.

sessies sits low in the import order, so it cannot know reeksen, verwachtingen or acties. An
area registers an `Onderdeel` (as areas register werkruimte panels). The sessies view then, on
GET and POST alike and before the form is validated, asks each for its `voorstel` (an area
refuses an object of another gemeente there, with NietGevonden: 404), fills the sessie's own
fields from it on GET, renders each one's `velden` inside the form, and hands each one's
`na_aanmaken` to `service.create_sessie`, which runs it in the same unit of work: a refusal
(`Ongeldig`) leaves no sessie behind.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeAlias

from werkzeug.datastructures import MultiDict

from facilitatie.accounts.models import User
from facilitatie.fouten import Ongeldig
from facilitatie.sessies.models import Sessie
from facilitatie.sessies.werkruimte import Paneel

Invoer: TypeAlias = "MultiDict[str, str]"


@dataclass(frozen=True)
class Voorstel:
    """What an area proposes for the sessie's own fields (a reeks: the teams of its last sessie)."""

    titel: str | None = None
    sessievorm: str | None = None
    team_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class Onderdeel:
    """One area's part of "Nieuwe sessie"."""

    gebied: str
    # From the query (GET) or the posted form; may raise NietGevonden or Geweigerd.
    voorstel: Callable[[User, Invoer], Voorstel | None]
    # The area's fields inside the form; `fout` is a refusal to show next to its own field.
    velden: Callable[[User, Invoer, Ongeldig | None], Paneel | None]
    # Runs inside create_sessie's unit of work, after the sessie has its id.
    na_aanmaken: Callable[[Sessie, User, Invoer], None]
    # The names of its fields: a refusal naming one of them is shown there, not at the Titel.
    velden_namen: frozenset[str] = field(default_factory=frozenset)


_onderdelen: list[Onderdeel] = []


def registreer(onderdeel: Onderdeel) -> Onderdeel:
    """Add an area's part (once; a second import of the module changes nothing)."""
    if all(o.gebied != onderdeel.gebied for o in _onderdelen):
        _onderdelen.append(onderdeel)
    return onderdeel


def onderdelen() -> list[Onderdeel]:
    """The registered parts, in registration order."""
    return list(_onderdelen)
