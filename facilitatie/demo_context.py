"""What the areas' demo loaders build on: the demo gemeente, its teams, users and two sessies.

Its own module, so `facilitatie.demo` (which calls the loaders) and the areas' `demo` modules
(which receive it) both import it without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass

from facilitatie.accounts.models import Gemeente, Team, User
from facilitatie.sessies.models import Sessie


@dataclass
class DemoContext:
    """What the areas' demo loaders build on."""

    gemeente: Gemeente
    teams: dict[str, Team]
    users: dict[str, User]
    afgerond: Sessie
    open_sessie: Sessie
