"""Demo: who asked for mail, and the outbox the beheerder reads after `make run`.

Sanne (wijkteam Noord) wants terugkoppeling and reminders, beleid and the begeleider want their
reminders, the begeleider also the daily overview of new signalen (switched on a week ago), the
wethouder the monthly stand. The mails that follow from the demo's besluiten, late acties, the
"Is het opgelost?" question to Sanne's team, the signalen of the past week and last month are
queued the way the running app queues them; `make run` has no mail server, so they wait in the
outbox (Beheer → Uitgaande mail).
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from facilitatie.accounts.rollen import Rol
from facilitatie.demo_context import DemoContext
from facilitatie.extensions import db
from facilitatie.knelpunten.models import Knelpunt
from facilitatie.meldingen import service
from facilitatie.meldingen.models import Meldingvoorkeur
from facilitatie.meldingen.soorten import Soort
from facilitatie.models_base import utcnow
from facilitatie.opvolging.models import Actie, Besluit, actie_knelpunt
from facilitatie.signalen import lezen as signalen_lezen


def load(demo: DemoContext) -> None:
    """Switches per demo account, and the mails they bring."""
    wijkteamlid = demo.users[Rol.WIJKTEAMLID]
    beleid = demo.users[Rol.BELEIDSMEDEWERKER]
    keuzes = {
        wijkteamlid: (Soort.TERUGKOPPELING, Soort.STREEFDATUM),
        beleid: (Soort.STREEFDATUM,),
        demo.users[Rol.BEGELEIDER]: (Soort.STREEFDATUM, Soort.SIGNALEN),
        demo.users[Rol.WETHOUDER]: (Soort.MAANDSTAND,),
    }
    nu = utcnow()
    for user, soorten in keuzes.items():
        for soort in soorten:
            db.session.add(Meldingvoorkeur(user_id=user.id, soort=soort, aangezet_op=nu - timedelta(days=7)))
    db.session.flush()

    if wijkteamlid.team_id is not None:
        eerste = db.session.execute(
            select(Knelpunt, Besluit)
            .join(Besluit, Besluit.knelpunt_id == Knelpunt.id)
            .where(Knelpunt.team_id == wijkteamlid.team_id, Knelpunt.sessie_id == demo.afgerond.id)
            .order_by(Besluit.besloten_op.desc(), Knelpunt.id)
            .limit(1)
        ).first()
        if eerste is not None:
            service.besluit_gemeld(eerste.Knelpunt, eerste.Besluit, beleid)
        actie = db.session.scalar(
            select(Actie)
            .join(actie_knelpunt, actie_knelpunt.c.actie_id == Actie.id)
            .join(Knelpunt, Knelpunt.id == actie_knelpunt.c.knelpunt_id)
            .where(Knelpunt.team_id == wijkteamlid.team_id, Actie.status == "in_uitvoering")
            .order_by(Actie.id)
            .limit(1)
        )
        if actie is not None:
            service.actiestatus_gemeld(actie, "open", "in_uitvoering", beleid)
        for vraag in signalen_lezen.open_vragen(wijkteamlid.team_id)[:1]:  # the signalen demo's "al opgelost"
            service.opgelost_gevraagd(vraag, beleid)
    db.session.flush()
    vandaag = date.today()
    service.streefdatum_herinneringen(vandaag)
    service.maandstanden(vandaag)
    service.signalen_digesten(nu)  # the signalen of the past week still waiting in the inbox
