"""Demo: what became of the knelpunten of the finished sessie. Besluiten (one niet opgepakt with
its reden, one still without besluit), acties (two te laat, one afgerond, one vervallen), and a
signal from the finished sessie that came back in the open leerkring ("Eerder gemeld"). The
open leerkring's reeks (of leerkringen) is the leerkring and reeksen demos' part.

The story stays within the two demo sessies (other areas' tests count them).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select

from facilitatie.accounts.models import User
from facilitatie.accounts.rollen import Rol
from facilitatie.demo_context import DemoContext
from facilitatie.extensions import db
from facilitatie.knelpunten.models import Knelpunt
from facilitatie.models_base import utcnow
from facilitatie.opvolging import gelijkenis
from facilitatie.opvolging.models import Actie, ActieHistorie, Besluit, EerderGemeld
from facilitatie.sessies.models import Sessie


def load(demo: DemoContext) -> None:
    """Besluiten and acties for the finished sessie, and a signal that came back."""
    beleid = demo.users[Rol.BELEIDSMEDEWERKER]
    begeleider = demo.users[Rol.BEGELEIDER]
    wijkteamlid = demo.users[Rol.WIJKTEAMLID]
    vandaag = utcnow()

    knelpunten = _knelpunten_van(demo.afgerond)
    if not knelpunten:  # the knelpunten area's demo is not there: bring our own
        knelpunten = _eigen_knelpunten(demo, demo.afgerond)
    _besluiten_en_acties(demo, knelpunten, beleid, begeleider, wijkteamlid, vandaag)
    _terugkomend_signaal(demo, knelpunten, begeleider)


def _knelpunten_van(sessie: Sessie) -> list[Knelpunt]:
    return list(db.session.scalars(select(Knelpunt).where(Knelpunt.sessie_id == sessie.id).order_by(Knelpunt.id)))


def _knelpunt(sessie: Sessie, team_id: int, domein: str, tekst: str, op: datetime, anoniem: bool = False) -> Knelpunt:
    knelpunt = Knelpunt(sessie_id=sessie.id, team_id=team_id, domein=domein, tekst=tekst, anoniem=anoniem)
    knelpunt.aangemaakt_op = op
    db.session.add(knelpunt)
    db.session.flush()
    return knelpunt


def _besluit(knelpunt: Knelpunt, soort: str, door: User, op: datetime, **velden: str) -> None:
    db.session.add(Besluit(knelpunt_id=knelpunt.id, soort=soort, besloten_door_id=door.id, besloten_op=op, **velden))


def _actie(
    demo: DemoContext,
    sessie: Sessie | None,
    omschrijving: str,
    eigenaar: User,
    streefdatum: date,
    aangemaakt: datetime,
    knelpunten: list[Knelpunt],
    stappen: list[tuple[str, str | None, timedelta]] = (),  # type: ignore[assignment]
    afdeling: str | None = None,
) -> Actie:
    """An actie with its history: each step (naar, reden, after) is a real status change."""
    actie = Actie(
        gemeente_id=demo.gemeente.id,
        sessie_id=sessie.id if sessie else None,
        omschrijving=omschrijving,
        eigenaar_id=eigenaar.id,
        afdeling=afdeling,
        streefdatum=streefdatum,
        status="open",
        aangemaakt_door_id=eigenaar.id,
        aangemaakt_op=aangemaakt,
        bijgewerkt_op=aangemaakt,
        knelpunten=knelpunten,
    )
    db.session.add(actie)
    db.session.flush()
    db.session.add(ActieHistorie(actie_id=actie.id, door_id=eigenaar.id, op=aangemaakt, veld="aangemaakt", naar="open"))
    for naar, reden, na in stappen:
        op = aangemaakt + na
        db.session.add(
            ActieHistorie(
                actie_id=actie.id, door_id=eigenaar.id, op=op, veld="status", van=actie.status, naar=naar, reden=reden
            )
        )
        actie.status = naar
        actie.bijgewerkt_op = op
        actie.afgerond_op = op if naar == "afgerond" else None
    return actie


def _eigen_knelpunten(demo: DemoContext, sessie: Sessie) -> list[Knelpunt]:
    start = sessie.gestart_op or sessie.aangemaakt_op
    teams = list(demo.teams.values())
    teksten = [
        ("Wmo", "Herindicaties bij een ongewijzigde situatie kosten inwoners en ons veel tijd."),
        ("Wmo", "Voor een kleine aanpassing moet een volledige Wmo-aanvraag opnieuw."),
        ("Anders", "Elk contact moet in twee systemen worden vastgelegd."),
        ("Jeugd", "De jeugdhulpaanbieder doet na onze verwijzing een eigen intake."),
        ("Schulden", "Bij acute achterstanden wachten gezinnen weken op de eerste stap."),
        ("Wonen", "De wachttijd voor een urgentieverklaring is zes maanden."),
        ("Participatie / werk en inkomen", "Een uitkering stopt bij een kleine wijziging in inkomen."),
        ("Onderwijs", "We mogen zonder toestemming niets terugkoppelen aan school."),
    ]
    return [
        _knelpunt(sessie, teams[i % len(teams)].id, domein, tekst, start + timedelta(minutes=15 + i), anoniem=i == 1)
        for i, (domein, tekst) in enumerate(teksten)
    ]


def _besluiten_en_acties(
    demo: DemoContext, k: list[Knelpunt], beleid: User, begeleider: User, wijkteamlid: User, vandaag: datetime
) -> None:
    sessie = demo.afgerond
    besloten = sessie.afgesloten_op or vandaag - timedelta(days=59)
    # Eight knelpunten: the last one has no besluit yet, so "zonder besluit" shows on the dashboard.
    plan = [
        ("opgepakt", {}),
        ("opgepakt", {}),
        ("opgepakt", {}),
        ("doorverwezen", {"doorverwezen_naar": "Regionale inkoop jeugdhulp", "toelichting": "Zij maken de afspraak."}),
        ("opgepakt", {}),
        (
            "niet_opgepakt",
            {
                "reden": "De urgentieregeling is regionaal vastgelegd in de huisvestingsverordening; "
                "de gemeente kan de wachttijd niet alleen verkorten. We brengen het wel in bij de regio."
            },
        ),
        ("al_opgelost", {"toelichting": "Sinds 1 oktober loopt de uitkering door tot de herberekening klaar is."}),
    ]
    for i, (soort, velden) in enumerate(plan[: len(k) - 1]):
        _besluit(k[i], soort, beleid, besloten + timedelta(days=i % 3), **velden)

    _actie(
        demo,
        sessie,
        "Voorstel aan de raad: geen herindicatie bij een ongewijzigde situatie",
        beleid,
        (vandaag + timedelta(days=30)).date(),
        besloten,
        k[:2],
        stappen=[("in_uitvoering", "Raadsvoorstel in voorbereiding.", timedelta(days=14))],
    )
    _actie(
        demo,
        sessie,
        "Onderzoeken of de twee registratiesystemen gekoppeld kunnen worden",
        beleid,
        (vandaag - timedelta(days=20)).date(),
        besloten,
        k[2:3],
        afdeling="Informatievoorziening",
    )
    if len(k) > 4:
        _actie(
            demo,
            sessie,
            "Snelle route schuldhulp bij acute achterstanden uitproberen in Centrum",
            wijkteamlid,
            (vandaag - timedelta(days=15)).date(),
            besloten,
            [k[4]],
            stappen=[
                ("in_uitvoering", None, timedelta(days=3)),
                ("afgerond", "Drie gezinnen binnen een week geholpen; wordt de werkwijze.", timedelta(days=40)),
            ],
        )
    if len(k) > 3:
        _actie(
            demo,
            sessie,
            "Afspraak maken met de regionale inkoop over één intake voor jeugdhulp",
            begeleider,
            (vandaag - timedelta(days=5)).date(),
            besloten,
            [k[3]],
            stappen=[("in_uitvoering", "Eerste overleg gepland.", timedelta(days=20))],
        )
    _actie(
        demo,
        sessie,
        "Folder over herindicatie voor inwoners maken",
        beleid,
        (vandaag - timedelta(days=30)).date(),
        besloten,
        k[:1],
        stappen=[("vervallen", "Niet meer nodig als het raadsvoorstel wordt aangenomen.", timedelta(days=10))],
    )
    db.session.flush()


def _terugkomend_signaal(demo: DemoContext, knelpunten: list[Knelpunt], door: User) -> None:
    """A knelpunt of the open leerkring resembles one of the finished sessie: link it as Eerder gemeld."""
    nieuw = _knelpunten_van(demo.open_sessie)
    corpus = {k.id: k.tekst for k in knelpunten}
    per_id = {k.id: k for k in knelpunten}
    beste: tuple[float, Knelpunt, Knelpunt] | None = None
    for knelpunt in nieuw:
        for kandidaat in gelijkenis.vergelijkbare(knelpunt.tekst, corpus, drempel=0.1, max_aantal=1):
            if beste is None or kandidaat.score > beste[0]:
                beste = (kandidaat.score, knelpunt, per_id[kandidaat.sleutel])
    if beste is None and nieuw and len(knelpunten) > 2:
        beste = (0.0, nieuw[min(1, len(nieuw) - 1)], knelpunten[2])
    if beste is not None:
        score, knelpunt, eerder = beste
        db.session.add(
            EerderGemeld(knelpunt_id=knelpunt.id, eerder_id=eerder.id, score=score or None, gekoppeld_door_id=door.id)
        )
