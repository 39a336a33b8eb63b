"""Demo: the reeks "Ontmoetingen Vechtstede" meets twice more after September, and one
verwachting goes along: "contact binnen vijf werkdagen", bijgesteld in September to ten
werkdagen, rated again in both later sessies (its trend on the verwachting's page), where the
group first decides to organise it differently (one loket) and then to hold on to it.

Runs after the opvolging demo, which made the reeks.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from facilitatie.accounts.rollen import Rol
from facilitatie.demo_context import DemoContext
from facilitatie.extensions import db
from facilitatie.models_base import utcnow
from facilitatie.opvolging.models import Reeks, sessie_reeks
from facilitatie.sessies import service as sessies
from facilitatie.sessies.lezen import vorm_van
from facilitatie.sessies.models import Deelnemer, Sessie
from facilitatie.verwachtingen.models import Ambitie, Beoordeling, Ronde, Uitkomst, Verwachting

LIJN_BEGIN = "Het wijkteam neemt binnen vijf werkdagen na een aanmelding contact op"

# (titel, days ago, ronde 1, ronde 2, ambitie); a ronde is (beleid, uitvoering) lists of
# (wenselijk, haalbaar), four beleid and five uitvoering deelnemers.
VERVOLG = [
    (
        "Ontmoeting Wmo en jeugd — november",
        30,
        ([(5, 4), (4, 3), (5, 4), (4, 4)], [(5, 3), (4, 3), (5, 2), (4, 3), (5, 3)]),
        ([(5, 4), (4, 4), (5, 4), (4, 3)], [(5, 3), (4, 3), (5, 3), (4, 3), (5, 4)]),
        (
            Uitkomst.ANDERS_ORGANISEREN,
            "Aanmeldingen komen binnen via één loket dat ze dezelfde dag aan een team toewijst; "
            "zo haalt elk team de tien werkdagen zonder eigen wachtlijst.",
        ),
    ),
    (
        "Ontmoeting Wmo en jeugd — januari",
        10,
        ([(5, 4), (5, 4), (4, 4), (5, 4)], [(5, 4), (4, 4), (5, 3), (4, 4), (5, 4)]),
        ([(5, 4), (5, 4), (4, 4), (5, 5)], [(5, 4), (4, 4), (5, 4), (4, 4), (5, 4)]),
        (Uitkomst.HANDHAVEN, "Met het loket lukt het; de groep houdt de tien werkdagen vast."),
    ),
]


def load(demo: DemoContext) -> None:
    """Two more finished sessies in the reeks, each rating the verwachting again."""
    reeks = db.session.scalar(select(Reeks).where(Reeks.gemeente_id == demo.gemeente.id).order_by(Reeks.id))
    vorige = db.session.scalar(
        select(Verwachting).where(Verwachting.sessie_id == demo.afgerond.id, Verwachting.tekst == LIJN_BEGIN)
    )
    if reeks is None or vorige is None:  # the opvolging or verwachtingen demo is not there
        return
    begeleider = demo.users[Rol.BEGELEIDER]
    for titel, dagen, ronde1, ronde2, (uitkomst, toelichting) in VERVOLG:
        sessie = _afgeronde_sessie(demo, titel, dagen)
        db.session.execute(sessie_reeks.insert().values(sessie_id=sessie.id, reeks_id=reeks.id))
        tekst = (
            vorige.ambitie.nieuwe_formulering if vorige.ambitie and vorige.ambitie.nieuwe_formulering else vorige.tekst
        )
        verwachting = Verwachting(
            sessie=sessie,
            gemeente_id=sessie.gemeente_id,
            tekst=tekst,
            bron=vorige.bron,
            volgorde=1,
            herkomst_id=vorige.id,
            lijn_id=vorige.lijn,
            aangemaakt_op=sessie.gestart_op,
        )
        db.session.add(verwachting)
        _beoordelingen(sessie, verwachting, ronde1, ronde2)
        db.session.add(
            Ambitie(
                verwachting=verwachting,
                uitkomst=uitkomst,
                toelichting=toelichting,
                vastgelegd_door=begeleider,
                vastgelegd_op=sessie.gestart_op + timedelta(minutes=135),
            )
        )
        db.session.flush()
        vorige = verwachting


def _afgeronde_sessie(demo: DemoContext, titel: str, dagen: int) -> Sessie:
    begeleider = demo.users[Rol.BEGELEIDER]
    sessie = sessies.create_sessie(
        begeleider=begeleider, titel=titel, vorm=demo.afgerond.sessievorm, teams=list(demo.afgerond.teams)
    )
    sessies.start(sessie, begeleider)
    for _ in range(len(vorm_van(sessie).fasen) - 1):
        sessies.volgende_fase(sessie, begeleider)
    sessies.afsluiten(sessie, begeleider)
    sessie.aangemaakt_op = sessie.gestart_op = utcnow() - timedelta(days=dagen)
    sessie.afgesloten_op = sessie.gestart_op + timedelta(hours=3)
    return sessie


def _beoordelingen(sessie: Sessie, verwachting: Verwachting, *rondes: tuple[list, list]) -> None:
    begin = sessie.gestart_op
    beleid = [Deelnemer(sessie=sessie, perspectief="beleid", aangemaakt_op=begin) for _ in range(4)]
    uitvoering = [Deelnemer(sessie=sessie, perspectief="uitvoering", aangemaakt_op=begin) for _ in range(5)]
    db.session.add_all(beleid + uitvoering)
    for nummer, (b_antwoorden, u_antwoorden) in enumerate(rondes, 1):
        open_na = timedelta(minutes=95 if nummer == 1 else 140)
        db.session.add(
            Ronde(
                sessie_id=sessie.id,
                ronde=nummer,
                geopend_op=begin + open_na,
                gesloten_op=begin + open_na + timedelta(minutes=10),
            )
        )
        for deelnemer, (wenselijk, haalbaar) in zip(beleid + uitvoering, b_antwoorden + u_antwoorden, strict=True):
            db.session.add(
                Beoordeling(
                    verwachting=verwachting,
                    deelnemer=deelnemer,
                    ronde=nummer,
                    wenselijk=wenselijk,
                    haalbaar=haalbaar,
                    perspectief=deelnemer.perspectief,
                    bijgewerkt_op=begin + open_na + timedelta(minutes=3),
                )
            )
