"""Demo: signalen between sessies. Three wait in the inbox (one named from the start page, one
anonymous through Wijkteam Centrum's meldlink, one of Wijkteam Zuid), one is on the agenda of a
sessie in preparation, one got "al opgelost" without a sessie (so Wijkteam Noord is asked "Is het
opgelost?" on its start page), and one came back after the team answered "nee" about a knelpunt
whose actie was afgerond. An "al opgelost" of the finished sessie was confirmed ("ja").
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import select

from facilitatie.accounts.rollen import Rol
from facilitatie.demo_context import DemoContext
from facilitatie.extensions import db
from facilitatie.knelpunten.models import Knelpunt
from facilitatie.models_base import utcnow
from facilitatie.opvolging.models import Actie, Besluit, actie_knelpunt
from facilitatie.opvolging.regels import Actiestatus
from facilitatie.sessies import service as sessies
from facilitatie.signalen import service
from facilitatie.signalen.models import Aanleiding, OpgelostVraag


def load(demo: DemoContext) -> None:
    """Signalen in the inbox, one on an agenda, one besloten, one reopened, a meldlink."""
    begeleider = demo.users[Rol.BEGELEIDER]
    beleid = demo.users[Rol.BELEIDSMEDEWERKER]
    wijkteamlid = demo.users[Rol.WIJKTEAMLID]
    noord, centrum, zuid = (demo.teams[n] for n in ("Wijkteam Noord", "Wijkteam Centrum", "Wijkteam Zuid"))
    nu = utcnow()

    def melden(team, domein: str, tekst: str, dagen: int, **extra) -> Knelpunt:
        knelpunt = service.melden(
            gemeente_id=demo.gemeente.id,
            team_id=team.id,
            domein=domein,
            tekst=tekst,
            client_request_id=uuid.uuid4().hex,
            **{"anoniem": False, "bron": "signaal", "door": wijkteamlid, **extra},
        )
        knelpunt.aangemaakt_op = nu - timedelta(days=dagen)
        return knelpunt

    melden(
        noord,
        "Wmo",
        "Een **huishoudelijke hulp** die tijdelijk meer uren nodig heeft, moet een nieuwe aanvraag doen.",
        6,
    )
    melden(
        centrum,
        "Participatie / werk en inkomen",
        "Bij een kleine bijverdienste stopt de uitkering eerst en komt ze pas weken later terug.",
        3,
        anoniem=True,
        bron="meldlink",
        door=None,
    )
    melden(
        zuid,
        "Jeugd",
        "Ouders krijgen bij elke wisseling van jeugdhulpaanbieder opnieuw dezelfde vragenlijst.",
        2,
        door=None,
        bron="meldlink",
        naam="Ahmed (Zuid)",
    )
    op_agenda = melden(
        noord,
        "Wonen",
        "Urgentie voor een woning na een scheiding met kinderen duurt langer dan het tijdelijke verblijf.",
        9,
    )
    besloten = melden(
        noord,
        "Schulden",
        "Het formulier voor een betalingsregeling met de gemeente vraagt om bankafschriften van een jaar.",
        12,
    )
    db.session.flush()

    voorjaar = sessies.create_sessie(
        begeleider=begeleider,
        titel="Ontmoeting voorjaar",
        vorm="ontmoeten-en-ont-moeten",
        teams=list(demo.teams.values()),
    )
    db.session.flush()
    service.op_agenda_zetten([op_agenda], voorjaar, begeleider)
    service.besluit_zonder_sessie(
        besloten,
        beleid,
        soort="al_opgelost",
        toelichting="Sinds 1 maart vragen we alleen de afschriften van de laatste drie maanden.",
    )
    service.meldlink_maken(centrum, begeleider)  # the token is shown once; the demo keeps none
    _heropend(demo)
    _bevestigd(demo)


def _heropend(demo: DemoContext) -> None:
    """The knelpunt of an afgeronde actie: the team answered "nee", so it is back as a signaal."""
    knelpunt = db.session.scalar(
        select(Knelpunt)
        .join(actie_knelpunt, actie_knelpunt.c.knelpunt_id == Knelpunt.id)
        .join(Actie, Actie.id == actie_knelpunt.c.actie_id)
        .where(
            Knelpunt.sessie_id == demo.afgerond.id,
            Actie.status == Actiestatus.AFGEROND,
            Knelpunt.team_id.is_not(None),
        )
        .limit(1)
    )
    if knelpunt is None:
        return
    vraag = OpgelostVraag(knelpunt_id=knelpunt.id, team_id=knelpunt.team_id, aanleiding=Aanleiding.ACTIE_AFGEROND)
    vraag.gevraagd_op = utcnow() - timedelta(days=8)
    db.session.add(vraag)
    db.session.flush()
    service.opgelost_beantwoorden(
        vraag,
        "nee",
        "De snelle route werkt alleen als de schuldeiser meewerkt; bij de zorgverzekeraar lukt het nog niet.",
        None,
    )


def _bevestigd(demo: DemoContext) -> None:
    """An "al opgelost" of the finished sessie that the reporting team confirmed."""
    knelpunt = db.session.scalar(
        select(Knelpunt)
        .join(Besluit, Besluit.knelpunt_id == Knelpunt.id)
        .where(Knelpunt.sessie_id == demo.afgerond.id, Besluit.soort == "al_opgelost", Knelpunt.team_id.is_not(None))
        .limit(1)
    )
    if knelpunt is None:
        return
    vraag = OpgelostVraag(knelpunt_id=knelpunt.id, team_id=knelpunt.team_id, aanleiding=Aanleiding.AL_OPGELOST)
    db.session.add(vraag)
    db.session.flush()
    service.opgelost_beantwoorden(vraag, "ja", "Klopt, we merken het in de praktijk.", None)
