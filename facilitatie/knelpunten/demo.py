"""Demo: knelpunten in both demo sessies.

The open leerkring is played through the services (so its event log is real): deelnemers post
knelpunten (one anonymous), the begeleider bundles them into thema's, the votes are in and
closed, and the dialoog has an item on screen with reacties from beleid and uitvoering. The
finished sessie gets eight realistic knelpunten across domeinen and teams, with thema's,
stemmen and reacties, for the opvolging to build on.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import select

from facilitatie.accounts.rollen import Rol
from facilitatie.demo_context import DemoContext
from facilitatie.extensions import db
from facilitatie.knelpunten import bundelen, dialoog, lezen, posten
from facilitatie.knelpunten.models import Knelpunt, Reactie, Stem, Thema
from facilitatie.sessies import service as sessies
from facilitatie.sessies.models import Deelnemer, Sessie

# (tekst, domein, team, anoniem, thema)
AFGEROND = [
    (
        "Voor een kleine aanpassing van een woonvoorziening moet een inwoner opnieuw een volledige "
        "Wmo-aanvraag doen, ook als de situatie al bekend is. Dat kost de inwoner weken en ons uren.",
        "Wmo",
        "Wijkteam Noord",
        False,
        "Herindicatie bij ongewijzigde situatie",
    ),
    (
        "Herindicaties voor hulp bij het huishouden lopen af terwijl er niets veranderd is. We voeren "
        "gesprekken die niemand iets opleveren.",
        "Wmo",
        "Wijkteam Centrum",
        True,
        "Herindicatie bij ongewijzigde situatie",
    ),
    (
        "Elk contact moet dezelfde dag in twee systemen worden vastgelegd. Een half uur per dag gaat naar overtypen.",
        "Anders",
        "Wijkteam Zuid",
        False,
        "Dubbele registratie",
    ),
    (
        "Voor jeugdhulp met verblijf is een verwijzing van de huisarts of het wijkteam nodig, maar de "
        "aanbieder vraagt daarna een eigen intake. Ouders vertellen hun verhaal drie keer.",
        "Jeugd",
        "Wijkteam Noord",
        False,
        "Dubbele registratie",
    ),
    (
        "Bij schulden mogen we pas doorverwijzen als er een volledig overzicht is. Gezinnen met "
        "acute betalingsachterstanden wachten daardoor weken op hulp.",
        "Schulden",
        "Wijkteam Centrum",
        True,
        "Wachten op de eerste stap",
    ),
    (
        "De wachttijd voor een urgentieverklaring is zes maanden. Voor gezinnen die uit huis moeten, "
        "is er in die tijd geen passende plek.",
        "Wonen",
        "Wijkteam Zuid",
        False,
        "Wachten op de eerste stap",
    ),
    (
        "Een uitkering stopt bij een kleine wijziging in inkomen, en wordt pas weeks later hersteld. "
        "Inwoners komen daardoor in de schulden.",
        "Participatie / werk en inkomen",
        "Wijkteam Noord",
        False,
        None,
    ),
    (
        "Scholen melden zorgen over leerlingen bij het wijkteam, maar we mogen zonder toestemming van "
        "ouders niets terugkoppelen. De school haakt af.",
        "Onderwijs",
        "Wijkteam Centrum",
        False,
        None,
    ),
]

# (deelnemer name or None, perspective, tekst, index of the knelpunt or thema name)
AFGEROND_REACTIES = [
    (
        "Fatima El Amrani",
        "beleid",
        "De herindicatie is bedoeld om veranderde situaties te zien. Bij een blijvende beperking "
        "kunnen we de looptijd verlengen; dat nemen we mee.",
        "Herindicatie bij ongewijzigde situatie",
    ),
    (
        "Sanne de Vries",
        "uitvoering",
        "Een langere looptijd helpt al veel. Zou een korte check zonder volledige aanvraag kunnen?",
        "Herindicatie bij ongewijzigde situatie",
    ),
    (
        "Joris Bakker",
        "beleid",
        "De koppeling tussen de systemen staat voor volgend jaar gepland. Tot die tijd zoeken we naar wat er weg kan.",
        "Dubbele registratie",
    ),
]

# The open leerkring: (tekst, domein, author index, anoniem)
OPEN = [
    (
        "Jongeren die 18 worden vallen tussen jeugdhulp en Wmo. De overdracht begint te laat, "
        "waardoor de hulp een paar maanden stilvalt.",
        "Jeugd",
        0,
        False,
    ),
    (
        "We moeten voor elk gezin een plan maken in ons eigen format én in dat van de aanbieder. "
        "Twee plannen voor één gezin.",
        "Jeugd",
        1,
        False,
    ),
    (
        "Ik durf het in het team niet te zeggen, maar de caseload is zo hoog dat we huisbezoeken "
        "overslaan. Dat is niet veilig.",
        "Veiligheid",
        2,
        True,
    ),
    (
        "De toegang tot beschermd wonen loopt via de centrumgemeente. Wij horen pas dat iemand "
        "instroomt als die er al woont.",
        "Wmo",
        1,
        False,
    ),
    (
        "Voor een eenvoudige traplift is een uitgebreid medisch advies nodig. De inwoner wacht "
        "maanden op iets wat in een week geregeld kan zijn.",
        "Wmo",
        0,
        False,
    ),
]
OPEN_THEMAS = {"Overgang 18-/18+": [0], "Dubbel werk voor één gezin": [1, 3], "Werkdruk en veiligheid": [2]}


def load(demo: DemoContext) -> None:
    """Add the knelpunten story to the demo sessies."""
    _afgerond(demo)
    _open(demo)


def _deelnemers(sessie: Sessie, perspectief: str, namen: list[str | None], demo: DemoContext) -> list[Deelnemer]:
    bestaand = [d for d in sessie.deelnemers if d.perspectief == perspectief]
    if bestaand:
        return bestaand
    accounts = {u.naam: u for u in demo.users.values()}
    nieuw = [
        Deelnemer(sessie=sessie, naam=naam, perspectief=perspectief, user=accounts.get(naam or "")) for naam in namen
    ]
    db.session.add_all(nieuw)
    db.session.flush()
    return nieuw


def _afgerond(demo: DemoContext) -> None:
    sessie = demo.afgerond
    uitvoering = _deelnemers(sessie, "uitvoering", ["Sanne de Vries", "Mehmet Yilmaz", None], demo)
    beleid = _deelnemers(sessie, "beleid", ["Fatima El Amrani", "Joris Bakker"], demo)
    start = sessie.gestart_op or sessie.aangemaakt_op
    themas: dict[str, Thema] = {}
    knelpunten: list[Knelpunt] = []
    for i, (tekst, domein, team, anoniem, thema_naam) in enumerate(AFGEROND):
        thema = None
        if thema_naam:
            thema = themas.get(thema_naam)
            if thema is None:
                thema = themas[thema_naam] = Thema(
                    sessie_id=sessie.id, naam=thema_naam, aangemaakt_op=start + timedelta(minutes=40)
                )
                db.session.add(thema)
        knelpunt = Knelpunt(
            sessie_id=sessie.id,
            deelnemer_id=None if anoniem else uitvoering[i % len(uitvoering)].id,
            team_id=demo.teams[team].id,
            thema=thema,
            domein=domein,
            tekst=tekst,
            anoniem=anoniem,
            onthuld=True,
            aangemaakt_op=start + timedelta(minutes=15 + 2 * i),
            besproken_op=start + timedelta(minutes=70) if thema_naam else None,
        )
        if anoniem:
            knelpunt.sleutel_hash = lezen.sleutel_hash(uuid.uuid4().hex)
        knelpunten.append(knelpunt)
        db.session.add(knelpunt)
    db.session.flush()
    # Three stemmen each: most on herindicatie, then dubbele registratie, then wachten.
    h, r, w = (
        themas[n].id
        for n in ("Herindicatie bij ongewijzigde situatie", "Dubbele registratie", "Wachten op de eerste stap")
    )
    for d, deelnemer in enumerate(uitvoering + beleid):
        keuzes = [h, h, r] if d % 2 == 0 else [h, r, w]
        for plek, thema_id in enumerate(keuzes, start=1):
            n = keuzes[:plek].count(thema_id)
            db.session.add(Stem(sessie_id=sessie.id, deelnemer_id=deelnemer.id, thema_id=thema_id, plek=plek, n=n))
    inst = lezen.instellingen(sessie)
    inst.stemmen_gesloten = True
    db.session.merge(inst)
    namen = {d.naam: d for d in uitvoering + beleid if d.naam}
    for naam, perspectief, tekst, thema_naam in AFGEROND_REACTIES:
        auteur = namen.get(naam)
        db.session.add(
            Reactie(
                sessie_id=sessie.id,
                thema_id=themas[thema_naam].id,
                deelnemer_id=auteur.id if auteur else None,
                perspectief=perspectief,
                naam=naam,
                tekst=tekst,
                aangemaakt_op=start + timedelta(minutes=80),
            )
        )
    db.session.flush()


def _open(demo: DemoContext) -> None:
    sessie = demo.open_sessie
    begeleider = demo.users[Rol.BEGELEIDER]
    soorten = [f.soort for f in sessies.vorm_van(sessie).fasen]
    sessies.ga_naar_fase(sessie, begeleider, soorten.index("knelpunten"))
    wijkteam = demo.users[Rol.WIJKTEAMLID]
    schrijvers = [
        sessies.join(sessie, user=wijkteam, naam="", perspectief="uitvoering"),
        sessies.join(sessie, user=None, naam="Mehmet", perspectief="uitvoering"),
        sessies.join(sessie, user=None, naam="", perspectief="uitvoering"),
    ]
    beleid = sessies.join(sessie, user=demo.users[Rol.BELEIDSMEDEWERKER], naam="", perspectief="beleid")
    noord = demo.teams["Wijkteam Noord"].id
    knelpunten = []
    for tekst, domein, auteur, anoniem in OPEN:
        uitkomst = posten.indienen(
            sessie,
            schrijvers[auteur],
            tekst=tekst,
            domein=domein,
            team_id=noord,
            anoniem=anoniem,
            client_request_id=uuid.uuid4().hex,
        )
        knelpunten.append(uitkomst.knelpunt)
    for naam, leden in OPEN_THEMAS.items():
        thema = bundelen.thema_maken(sessie, begeleider, None, naam)
        for i in leden:
            bundelen.verplaats(sessie, begeleider, None, knelpunten[i], thema)
    # The leerkring has no stemmen fase of its own; the votes below were cast on paper dots.
    themas = list(db.session.scalars(select(Thema).where(Thema.sessie_id == sessie.id).order_by(Thema.id)))
    stemmen = {themas[1].id: [2, 1, 2, 1], themas[2].id: [1, 1, 1, 1], themas[0].id: [0, 1, 0, 1]}
    for d, deelnemer in enumerate([*schrijvers, beleid]):
        plek = 1
        for thema_id, aantallen in stemmen.items():
            for n in range(1, aantallen[d] + 1):
                db.session.add(Stem(sessie_id=sessie.id, deelnemer_id=deelnemer.id, thema_id=thema_id, plek=plek, n=n))
                plek += 1
    inst = lezen.instellingen(sessie)
    inst.stemmen_gesloten = True
    db.session.merge(inst)
    db.session.commit()
    sessies.ga_naar_fase(sessie, begeleider, soorten.index("dialoog"))
    eerste = lezen.uitslag(sessie)[0].item
    dialoog.zet_op_scherm(sessie, begeleider, eerste.soort, eerste.id)
    dialoog.reageren(
        sessie,
        schrijvers[1],
        eerste.soort,
        eerste.id,
        tekst="Bij ons kost het per gezin zeker een uur extra: alles twee keer invullen.",
        client_request_id=uuid.uuid4().hex,
    )
    dialoog.reageren(
        sessie,
        beleid,
        eerste.soort,
        eerste.id,
        tekst="Het format van de aanbieder is een eis uit het inkoopcontract. Dat kunnen we bij de "
        "volgende inkoopronde aanpassen; tot die tijd kijken we of één van de twee kan vervallen.",
        client_request_id=uuid.uuid4().hex,
    )
