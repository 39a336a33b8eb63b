"""Demo data: one gemeente, three wijkteams, an account per role, a finished and an open sessie."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from facilitatie.accounts import perspectieven_demo
from facilitatie.accounts import service as accounts
from facilitatie.accounts.models import Werkmodel
from facilitatie.accounts.rollen import Rol
from facilitatie.api import demo as api_demo
from facilitatie.demo_context import DemoContext
from facilitatie.extensions import db
from facilitatie.knelpunten import demo as knelpunten_demo
from facilitatie.leerkring import demo as leerkring_demo
from facilitatie.meldingen import demo as meldingen_demo
from facilitatie.models_base import utcnow
from facilitatie.opvolging import demo as opvolging_demo
from facilitatie.opvolging import demo_ruimte
from facilitatie.reeksen import demo as reeksen_demo
from facilitatie.sessies import service as sessies
from facilitatie.signalen import demo as signalen_demo
from facilitatie.verwachtingen import demo as verwachtingen_demo
from facilitatie.volgen import demo as volgen_demo

# Demo accounts only: printed by `make run`, never meant for real data.
DEMO_WACHTWOORD = "ontmoet-demo-2026"
DEMO_ACCOUNTS = [
    ("beheerder@ontmoet.demo", "Bea Beheer", Rol.BEHEERDER, None),
    ("begeleider@ontmoet.demo", "Gijs Begeleider", Rol.BEGELEIDER, None),
    ("beleid@ontmoet.demo", "Fatima El Amrani", Rol.BELEIDSMEDEWERKER, None),
    ("wijkteam@ontmoet.demo", "Sanne de Vries", Rol.WIJKTEAMLID, "Wijkteam Noord"),
    ("wethouder@ontmoet.demo", "Wethouder Jansen", Rol.WETHOUDER, None),
]


def logins_text() -> str:
    """The demo logins as `make run` prints them."""
    lines = ["Demo-logins (wachtwoord voor allemaal: " + DEMO_WACHTWOORD + "):"]
    lines += [f"  {rol.value:<18} {email}" for email, _naam, rol, _team in DEMO_ACCOUNTS]
    if volglink := volgen_demo.volglink_regel():
        lines.append(volglink)
    return "\n".join(lines)


def load() -> None:
    """Create the demo gemeente Vechtstede with its teams, accounts and two sessies."""
    gemeente = accounts.create_gemeente("Vechtstede")
    teams = {
        naam: accounts.create_team(naam, gemeente, werkmodel)
        for naam, werkmodel in [
            ("Wijkteam Noord", Werkmodel.TEAMMODEL),
            ("Wijkteam Centrum", Werkmodel.FRONT_BACKOFFICE),
            ("Wijkteam Zuid", Werkmodel.NETWERKMODEL),
        ]
    }
    users = {}
    for email, naam, rol, team in DEMO_ACCOUNTS:
        users[rol] = accounts.create_user(
            email=email,
            naam=naam,
            rol=rol,
            password=DEMO_WACHTWOORD,
            gemeente=gemeente,
            team=teams.get(team) if team else None,
        )
    db.session.commit()
    begeleider = users[Rol.BEGELEIDER]

    afgerond = sessies.create_sessie(
        begeleider=begeleider,
        titel="Ontmoeting Wmo en jeugd — september",
        vorm="ontmoeten-en-ont-moeten",
        teams=list(teams.values()),
    )
    sessies.start(afgerond, begeleider)
    for _ in range(len(sessies.vorm_van(afgerond).fasen) - 1):
        sessies.volgende_fase(afgerond, begeleider)
    sessies.afsluiten(afgerond, begeleider)
    afgerond.aangemaakt_op = afgerond.gestart_op = utcnow() - timedelta(days=60)
    afgerond.afgesloten_op = afgerond.gestart_op + timedelta(hours=3)

    open_sessie = sessies.create_sessie(
        begeleider=begeleider,
        titel="Leerkring Wijkteam Noord",
        vorm="leerkring",
        teams=[teams["Wijkteam Noord"]],
    )
    sessies.start(open_sessie, begeleider)
    db.session.commit()

    demo = DemoContext(gemeente=gemeente, teams=teams, users=users, afgerond=afgerond, open_sessie=open_sessie)
    # Each area adds its part of the story (knelpunten, verwachtingen, opvolging) below.
    for load_area in _area_loaders():
        load_area(demo)
        db.session.commit()


def _area_loaders() -> list[Callable[[DemoContext], None]]:
    """The areas' demo loaders, in story order; an area adds its own line here."""
    loaders: list[Callable[[DemoContext], None]] = []
    loaders.append(perspectieven_demo.load)
    loaders.append(verwachtingen_demo.load)
    loaders.append(knelpunten_demo.load)
    loaders.append(opvolging_demo.load)
    loaders.append(signalen_demo.load)
    loaders.append(api_demo.load)  # a webhook with its delivery log, a token that reports signalen
    loaders.append(volgen_demo.load)
    loaders.append(meldingen_demo.load)
    loaders.append(leerkring_demo.load)  # the reeks of three leerkringen
    loaders.append(reeksen_demo.load)  # after leerkring: a verwachting and afspraken across its reeks
    loaders.append(demo_ruimte.load)
    return loaders
