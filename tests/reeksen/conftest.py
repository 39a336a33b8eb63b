"""A small world for the reeksen tests: gemeente G with a reeks of one finished sessie (a
verwachting bijgesteld, one losgelaten, an open actie), and gemeente X with a reeks of its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from facilitatie.extensions import db
from facilitatie.models_base import utcnow
from facilitatie.opvolging.models import Actie, Reeks, sessie_reeks
from facilitatie.sessies.models import Deelnemer, Sessie
from facilitatie.verwachtingen.models import Ambitie, Beoordeling, Ronde, Verwachting


@dataclass
class Wereld:
    gemeente: object
    andere: object
    noord: object
    zuid: object
    begeleider: object
    beleid: object
    wethouder: object
    lid: object
    beheerder: object
    begeleider_x: object
    reeks: Reeks
    reeks_x: Reeks
    eerste: Sessie
    bijgesteld: Verwachting
    losgelaten: Verwachting
    actie: Actie
    verwachting_x: Verwachting


def beoordeel_direct(sessie: Sessie, verwachting: Verwachting, rondes: dict[int, list[tuple[str, int, int]]]) -> None:
    """Ratings as if rondes were held and closed: per ronde (perspectief, wenselijk, haalbaar) per deelnemer."""
    aantal = max(len(v) for v in rondes.values())
    eerste = rondes[min(rondes)]
    deelnemers = [Deelnemer(sessie_id=sessie.id, perspectief=eerste[i][0]) for i in range(aantal)]
    db.session.add_all(deelnemers)
    db.session.flush()
    for ronde, antwoorden in rondes.items():
        if db.session.get(Ronde, (sessie.id, ronde)) is None:
            db.session.add(Ronde(sessie_id=sessie.id, ronde=ronde, gesloten_op=utcnow()))
        for d, (perspectief, w, h) in zip(deelnemers, antwoorden, strict=True):
            db.session.add(
                Beoordeling(
                    verwachting_id=verwachting.id,
                    deelnemer_id=d.id,
                    ronde=ronde,
                    wenselijk=w,
                    haalbaar=h,
                    perspectief=perspectief,
                )
            )
    db.session.commit()


def in_reeks(sessie: Sessie, reeks: Reeks) -> None:
    db.session.execute(sessie_reeks.insert().values(sessie_id=sessie.id, reeks_id=reeks.id))
    db.session.commit()


@pytest.fixture
def wereld(app, factory) -> Wereld:
    g = factory.gemeente("Vechtstede")
    x = factory.gemeente("Elders")
    noord, zuid = factory.team(g, "Wijkteam Noord"), factory.team(g, "Wijkteam Zuid")
    team_x = factory.team(x, "Wijkteam Elders")
    begeleider = factory.user("begeleider", gemeente=g)
    beleid = factory.user("beleidsmedewerker", gemeente=g)
    wethouder = factory.user("wethouder", gemeente=g)
    lid = factory.user("wijkteamlid", gemeente=g, team=noord)
    beheerder = factory.user("beheerder")
    begeleider_x = factory.user("begeleider", gemeente=x)

    eerste = factory.sessie(begeleider, titel="Leerkring Noord 1")
    eerste.teams = [noord]
    eerste.aangemaakt_op = utcnow() - timedelta(days=40)
    reeks = Reeks(gemeente_id=g.id, naam="Leerkring Noord")
    reeks_x = Reeks(gemeente_id=x.id, naam="Geheime reeks Elders")
    db.session.add_all([reeks, reeks_x])
    bijgesteld = Verwachting(sessie_id=eerste.id, gemeente_id=g.id, tekst="Contact binnen vijf werkdagen", volgorde=1)
    losgelaten = Verwachting(sessie_id=eerste.id, gemeente_id=g.id, tekst="Alles dubbel registreren", volgorde=2)
    db.session.add_all([bijgesteld, losgelaten])
    db.session.flush()
    db.session.add_all(
        [
            Ambitie(
                verwachting_id=bijgesteld.id,
                uitkomst="bijstellen",
                nieuwe_formulering="Contact binnen tien werkdagen",
                toelichting="Vijf haalt niemand.",
            ),
            Ambitie(verwachting_id=losgelaten.id, uitkomst="loslaten", toelichting="Kost alleen tijd."),
        ]
    )
    actie = Actie(
        gemeente_id=g.id,
        sessie_id=eerste.id,
        omschrijving="Werkinstructie aanmelding herschrijven",
        eigenaar_id=beleid.id,
        streefdatum=date.today() - timedelta(days=3),
        status="open",
    )
    db.session.add(actie)
    sessie_x = factory.sessie(begeleider_x, titel="Sessie Elders")
    sessie_x.teams = [team_x]
    verwachting_x = Verwachting(sessie_id=sessie_x.id, gemeente_id=x.id, tekst="Geheime verwachting Elders")
    db.session.add(verwachting_x)
    db.session.commit()
    in_reeks(eerste, reeks)
    in_reeks(sessie_x, reeks_x)
    beoordeel_direct(
        eerste,
        bijgesteld,
        {2: [("beleid", 5, 4)] * 3 + [("uitvoering", 5, 2)] * 3},
    )
    return Wereld(
        g, x, noord, zuid, begeleider, beleid, wethouder, lid, beheerder, begeleider_x,
        reeks, reeks_x, eerste, bijgesteld, losgelaten, actie, verwachting_x,
    )  # fmt: skip
