"""A small hand-made world for the opvolging tests: two gemeenten, a closed sessie, besluiten, acties.

The numbers in the dashboard tests are computed by hand from exactly these rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import pytest

from facilitatie.extensions import db
from facilitatie.knelpunten.models import Knelpunt
from facilitatie.opvolging.models import Actie, ActieHistorie, Besluit
from facilitatie.sessies.models import Sessie

VANDAAG = date(2026, 3, 1)


@dataclass
class Wereld:
    gemeente: object
    andere: object
    noord: object
    zuid: object
    team_x: object
    begeleider: object
    beleid: object
    wethouder: object
    lid_noord: object
    lid_zuid: object
    beheerder: object
    begeleider_x: object
    beleid_x: object
    wethouder_x: object
    lid_x: object
    sessie: Sessie
    sessie_x: Sessie
    k: dict[str, Knelpunt]
    a: dict[str, Actie]
    kx: Knelpunt
    ax: Actie


def _knelpunt(sessie: Sessie, domein: str, team, tekst: str, op: datetime, anoniem: bool = False) -> Knelpunt:
    knelpunt = Knelpunt(
        sessie_id=sessie.id,
        team_id=team.id if team else None,
        domein=domein,
        tekst=tekst,
        anoniem=anoniem,
        aangemaakt_op=op,
    )
    db.session.add(knelpunt)
    db.session.flush()
    return knelpunt


def _besluit(knelpunt: Knelpunt, soort: str, op: datetime, door, **velden: str) -> Besluit:
    besluit = Besluit(knelpunt_id=knelpunt.id, soort=soort, besloten_op=op, besloten_door_id=door.id, **velden)
    db.session.add(besluit)
    return besluit


def _actie(
    gemeente, omschrijving: str, eigenaar, status: str, streefdatum: date, op: datetime, knelpunten, **kw
) -> Actie:
    actie = Actie(
        gemeente_id=gemeente.id,
        omschrijving=omschrijving,
        eigenaar_id=eigenaar.id,
        status=status,
        streefdatum=streefdatum,
        aangemaakt_op=op,
        bijgewerkt_op=op,
        knelpunten=list(knelpunten),
        **kw,
    )
    db.session.add(actie)
    db.session.flush()
    db.session.add(ActieHistorie(actie_id=actie.id, door_id=eigenaar.id, veld="aangemaakt", naar="open", op=op))
    return actie


@pytest.fixture
def wereld(factory) -> Wereld:
    gemeente = factory.gemeente("Vechtstede")
    andere = factory.gemeente("Anderstad")
    noord = factory.team(gemeente, "Wijkteam Noord")
    zuid = factory.team(gemeente, "Wijkteam Zuid")
    team_x = factory.team(andere, "Wijkteam X")
    begeleider = factory.user("begeleider", gemeente=gemeente, naam="Gijs Begeleider")
    beleid = factory.user("beleidsmedewerker", gemeente=gemeente, naam="Fatima Beleid")
    wethouder = factory.user("wethouder", gemeente=gemeente, naam="Wethouder Jansen")
    lid_noord = factory.user("wijkteamlid", gemeente=gemeente, team=noord, naam="Sanne Noord")
    lid_zuid = factory.user("wijkteamlid", gemeente=gemeente, team=zuid, naam="Piet Zuid")
    beheerder = factory.user("beheerder", naam="Bea Beheer")
    begeleider_x = factory.user("begeleider", gemeente=andere)
    beleid_x = factory.user("beleidsmedewerker", gemeente=andere)
    wethouder_x = factory.user("wethouder", gemeente=andere)
    lid_x = factory.user("wijkteamlid", gemeente=andere, team=team_x)

    sessie = factory.sessie(begeleider, titel="Ontmoeting januari", live=False)
    sessie.teams = [noord, zuid]
    sessie.status = "afgesloten"
    sessie.aangemaakt_op = sessie.gestart_op = datetime(2026, 1, 10, 9)
    sessie.afgesloten_op = datetime(2026, 2, 3, 12)
    sessie_x = factory.sessie(begeleider_x, titel="Sessie Anderstad", live=False)
    sessie_x.status = "afgesloten"
    db.session.flush()

    k = {
        "k1": _knelpunt(sessie, "Wmo", noord, "Wmo-indicatie duurt te lang", datetime(2026, 1, 10)),
        "k2": _knelpunt(sessie, "Wmo", zuid, "Te veel formulieren bij de Wmo-aanvraag", datetime(2026, 1, 10)),
        "k3": _knelpunt(
            sessie, "Jeugd", noord, "Wachtlijst jeugdhulp is langer dan 12 weken", datetime(2026, 2, 1), anoniem=True
        ),
        "k4": _knelpunt(sessie, "Jeugd", noord, "Geen zicht op de jeugdhulp na 18 jaar", datetime(2026, 2, 1)),
        "k5": _knelpunt(sessie, "Schulden", None, "Schuldhulp vraagt te veel papier", datetime(2026, 2, 3)),
    }
    _besluit(k["k1"], "opgepakt", datetime(2026, 1, 12), beleid)
    _besluit(
        k["k2"], "niet_opgepakt", datetime(2026, 1, 20), beleid, reden="Landelijke regel, daar gaan wij niet over."
    )
    _besluit(k["k3"], "doorverwezen", datetime(2026, 2, 5), beleid, doorverwezen_naar="Regionaal jeugdteam")
    _besluit(k["k5"], "al_opgelost", datetime(2026, 2, 4), beleid, toelichting="Het nieuwe formulier is korter.")

    a = {
        "a1": _actie(
            gemeente,
            "Doorlooptijd Wmo-indicaties meten",
            beleid,
            "afgerond",
            date(2026, 2, 1),
            datetime(2026, 1, 12),
            [k["k1"]],
            afgerond_op=datetime(2026, 1, 22),
            sessie_id=sessie.id,
        ),
        "a2": _actie(
            gemeente,
            "Werkinstructie Wmo herschrijven",
            lid_noord,
            "open",
            date(2026, 1, 31),
            datetime(2026, 1, 13),
            [k["k1"]],
            sessie_id=sessie.id,
        ),
        "a3": _actie(
            gemeente,
            "Overleg met de zorgverzekeraar",
            beleid,
            "in_uitvoering",
            date(2099, 1, 1),
            datetime(2026, 2, 10),
            [],
        ),
        "a4": _actie(
            gemeente,
            "Afspraak met het regionale jeugdteam",
            beleid,
            "vervallen",
            date(2026, 2, 20),
            datetime(2026, 2, 5),
            [k["k3"]],
            sessie_id=sessie.id,
        ),
    }
    kx = _knelpunt(sessie_x, "Wmo", team_x, "Anderstad: Wmo duurt te lang", datetime(2026, 1, 15))
    ax = _actie(andere, "Actie in Anderstad", beleid_x, "open", date(2026, 1, 1), datetime(2026, 1, 16), [kx])
    db.session.commit()
    return Wereld(
        gemeente=gemeente,
        andere=andere,
        noord=noord,
        zuid=zuid,
        team_x=team_x,
        begeleider=begeleider,
        beleid=beleid,
        wethouder=wethouder,
        lid_noord=lid_noord,
        lid_zuid=lid_zuid,
        beheerder=beheerder,
        begeleider_x=begeleider_x,
        beleid_x=beleid_x,
        wethouder_x=wethouder_x,
        lid_x=lid_x,
        sessie=sessie,
        sessie_x=sessie_x,
        k=k,
        a=a,
        kx=kx,
        ax=ax,
    )
