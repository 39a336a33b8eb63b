"""A gemeente with a filled, closed sessie (every kind of row it can own) and a second gemeente."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pytest
from flask import current_app

from facilitatie import realtime
from facilitatie.extensions import db
from facilitatie.knelpunten.models import Knelpunt, KnelpuntInstellingen, Moderatie, Reactie, Stem, Thema
from facilitatie.opvolging import service as opvolging
from facilitatie.opvolging.models import Actie, ApiToken
from facilitatie.sessies import service as sessies
from facilitatie.sessies.models import Sessie
from facilitatie.verwachtingen.models import Ambitie, Beoordeling, Verwachting

GEHEIM = "Mevrouw Jansen wacht al acht weken op haar herindicatie."


@dataclass
class Wereld:
    gemeente: object
    andere: object
    beheerder: object  # of all gemeenten
    beheerder_gemeente: object  # bound to `gemeente`
    beheerder_andere: object  # bound to `andere`
    begeleider: object
    begeleider_andere: object
    beleid: object
    lid: object
    sessie_id: int
    andere_sessie_id: int
    actie_id: int


def vul(sessie: Sessie, begeleider, deelnemer_account, beleid) -> int:
    """Give a sessie every kind of row; returns the id of an actie linked to it."""
    with current_app.test_request_context("/"):
        deelnemer = sessies.join(sessie, user=deelnemer_account, naam="Wim Wijkteam", perspectief="uitvoering")
        thema = Thema(sessie_id=sessie.id, naam="Wachttijden bij familie De Vries")
        db.session.add(thema)
        db.session.flush()
        knelpunt = Knelpunt(
            sessie_id=sessie.id,
            deelnemer_id=deelnemer.id,
            domein="Wmo",
            tekst=GEHEIM,
            thema_id=thema.id,
            sleutel_hash="a" * 64,
            client_request_id="req-1",
        )
        anoniem = Knelpunt(sessie_id=sessie.id, domein="Jeugd", tekst="Anoniem: " + GEHEIM, anoniem=True)
        db.session.add_all([knelpunt, anoniem])
        db.session.flush()
        db.session.add_all(
            [
                Reactie(
                    sessie_id=sessie.id,
                    knelpunt_id=knelpunt.id,
                    deelnemer_id=deelnemer.id,
                    perspectief="beleid",
                    naam="Wim Wijkteam",
                    tekst="Reactie over " + GEHEIM,
                ),
                Stem(sessie_id=sessie.id, deelnemer_id=deelnemer.id, thema_id=thema.id, plek=1, n=1),
                Moderatie(sessie_id=sessie.id, knelpunt_id=anoniem.id, door_id=begeleider.id, reden="Noemt " + GEHEIM),
                KnelpuntInstellingen(sessie_id=sessie.id, timer_label="Timer voor Jansen"),
            ]
        )
        verwachting = Verwachting(
            sessie_id=sessie.id,
            gemeente_id=sessie.gemeente_id,
            tekst="Wijkteams lossen alles binnen 2 weken op",
            toelichting="Toelichting over " + GEHEIM,
        )
        db.session.add(verwachting)
        db.session.flush()
        db.session.add_all(
            [
                Beoordeling(
                    verwachting_id=verwachting.id,
                    deelnemer_id=deelnemer.id,
                    ronde=1,
                    wenselijk=4,
                    haalbaar=2,
                    perspectief="uitvoering",
                ),
                Ambitie(
                    verwachting_id=verwachting.id,
                    uitkomst="bijstellen",
                    nieuwe_formulering="Binnen 4 weken",
                    toelichting="Ambitie over " + GEHEIM,
                    vastgelegd_door_id=begeleider.id,
                ),
            ]
        )
        realtime.append_event(sessie, "test.knelpunt", {}, data={"tekst": GEHEIM})
        db.session.commit()
        opvolging.besluit_nemen(knelpunt, beleid, soort="opgepakt", toelichting="Eerste versie")
        opvolging.besluit_nemen(knelpunt, beleid, soort="niet_opgepakt", reden="Tweede versie: past niet in beleid")
        actie = Actie(
            gemeente_id=sessie.gemeente_id,
            sessie_id=sessie.id,
            verwachting_id=verwachting.id,
            omschrijving="Werkinstructie herindicatie aanpassen",
            eigenaar_id=beleid.id,
            aangemaakt_door_id=beleid.id,
            streefdatum=date(2030, 1, 1),
            knelpunten=[knelpunt],
        )
        db.session.add(actie)
        db.session.add(ApiToken(user_id=deelnemer_account.id, naam="Mijn script", token_hash=f"{sessie.id:064d}"))
        db.session.commit()
        sessies.afsluiten(sessie, begeleider)
        db.session.commit()
        return actie.id


def sluit_af_op(sessie_id: int, wanneer: datetime) -> None:
    sessie = db.session.get(Sessie, sessie_id)
    sessie.afgesloten_op = wanneer
    db.session.commit()


@pytest.fixture
def wereld(app, factory) -> Wereld:
    gemeente = factory.gemeente("Gemeente Een")
    andere = factory.gemeente("Gemeente Twee")
    team = factory.team(gemeente, "Noord")
    begeleider = factory.user("begeleider", gemeente=gemeente)
    begeleider_andere = factory.user("begeleider", gemeente=andere)
    beleid = factory.user("beleidsmedewerker", gemeente=gemeente)
    lid = factory.user("wijkteamlid", gemeente=gemeente, team=team, naam="Wim Wijkteam")
    beleid_andere = factory.user("beleidsmedewerker", gemeente=andere)
    lid_andere = factory.user("wijkteamlid", gemeente=andere)
    sessie = factory.sessie(begeleider, titel="Leerkring Wmo")
    andere_sessie = factory.sessie(begeleider_andere, titel="Leerkring elders")
    actie_id = vul(sessie, begeleider, lid, beleid)
    vul(andere_sessie, begeleider_andere, lid_andere, beleid_andere)
    return Wereld(
        gemeente=gemeente,
        andere=andere,
        beheerder=factory.user("beheerder"),
        beheerder_gemeente=factory.user("beheerder", gemeente=gemeente),
        beheerder_andere=factory.user("beheerder", gemeente=andere),
        begeleider=begeleider,
        begeleider_andere=begeleider_andere,
        beleid=beleid,
        lid=lid,
        sessie_id=sessie.id,
        andere_sessie_id=andere_sessie.id,
        actie_id=actie_id,
    )


def lang_geleden() -> datetime:
    return datetime.now() - timedelta(days=3 * 365)
