"""Demo: the finished sessie gets verwachtingen rated before and after the dialoog, and the
ambitieniveaus the group agreed on (one handhaven, two bijstellen, one loslaten)."""

from __future__ import annotations

from datetime import timedelta

from facilitatie.accounts.rollen import Rol
from facilitatie.demo_context import DemoContext
from facilitatie.extensions import db
from facilitatie.sessies.models import Deelnemer
from facilitatie.verwachtingen.models import Ambitie, Beoordeling, Ronde, Uitkomst, Verwachting

# Four beleid and six uitvoering deelnemers; the first of each is a demo account.
BELEID = ["Fatima El Amrani", "Joris Bakker", None, "Ingrid Smit"]
UITVOERING = ["Sanne de Vries", "Mehmet Yilmaz", "Lotte Jansen", None, "Priya Ramdin", None]

# (tekst, bron, ronde 1, ronde 2, ambitie); a ronde is (beleid, uitvoering) lists of
# (wenselijk, haalbaar) per deelnemer in the order above; None = "Weet niet".
VERWACHTINGEN = [
    (
        "Elk gezin heeft binnen twee weken één plan",
        "Beleidsplan Jeugd 2025–2028",
        ([(5, 4), (5, 3), (4, 4), (5, 4)], [(4, 1), (5, 2), (4, 1), (3, 2), (4, 2), (5, 1)]),
        ([(5, 3), (4, 2), (4, 3), (5, 3)], [(4, 2), (5, 2), (4, 1), (4, 2), (4, 2), (5, 2)]),
        (
            Uitkomst.BIJSTELLEN,
            "Een gezin met vragen op meerdere terreinen heeft binnen vier weken één plan en één vast aanspreekpunt",
            "Twee weken lukt alleen als alle partners tegelijk aanschuiven; vier weken is haalbaar "
            "en houdt de ambitie van één plan overeind.",
        ),
    ),
    (
        "Het wijkteam neemt binnen vijf werkdagen na een aanmelding contact op",
        "Dienstverleningsovereenkomst wijkteams",
        ([(5, 4), (4, 4), (5, 5), (5, 4)], [(5, 3), (5, 2), (4, 3), (5, 3), (4, 2), (5, 3)]),
        ([(5, 3), (4, 4), (5, 3), (5, 3)], [(5, 3), (5, 3), (4, 3), (5, 3), (4, 2), (5, 3)]),
        (
            Uitkomst.BIJSTELLEN,
            "Het wijkteam neemt binnen tien werkdagen contact op; bij spoed binnen 24 uur",
            "Met de huidige bezetting haalt geen team vijf werkdagen. Spoed krijgt voorrang.",
        ),
    ),
    (
        "Het wijkteam is zichtbaar in de wijk en werkt preventief",
        "Koersdocument Sociaal Domein",
        ([(5, 4), (5, 3), (5, 4), (4, 3)], [(4, 2), (4, 3), (5, 2), (4, 2), (3, 3), (4, 2)]),
        ([(5, 3), (5, 3), (5, 3), (4, 3)], [(5, 3), (4, 3), (5, 3), (4, 2), (4, 3), (4, None)]),
        (
            Uitkomst.HANDHAVEN,
            None,
            "De groep wil deze ambitie houden. Beleid regelt tijd voor wijkgericht werken; "
            "dat wordt een actie in de opvolging.",
        ),
    ),
    (
        "Elke melding wordt dezelfde dag in twee systemen vastgelegd",
        "Werkinstructie registratie",
        ([(4, 4), (3, 3), (4, 3), (4, 4)], [(2, 2), (1, 2), (2, 1), (2, 3), (1, 2), (2, 2)]),
        ([(2, 3), (2, 3), (3, 3), (2, 3)], [(1, 2), (2, 2), (1, 1), (2, 2), (1, 2), (2, 2)]),
        (
            Uitkomst.LOSLATEN,
            None,
            "Dubbele registratie kost elke dag tijd en levert niets op wat het tweede systeem niet al heeft. "
            "Eén systeem volstaat.",
        ),
    ),
]


def load(demo: DemoContext) -> None:
    """Verwachtingen, deelnemers and both rondes for the finished sessie."""
    sessie = demo.afgerond
    begin = sessie.gestart_op
    beleid_user = demo.users.get(Rol.BELEIDSMEDEWERKER)
    wijkteam_user = demo.users.get(Rol.WIJKTEAMLID)
    beleid = [
        Deelnemer(
            sessie=sessie, naam=naam, perspectief="beleid", user=beleid_user if i == 0 else None, aangemaakt_op=begin
        )
        for i, naam in enumerate(BELEID)
    ]
    uitvoering = [
        Deelnemer(
            sessie=sessie,
            naam=naam,
            perspectief="uitvoering",
            user=wijkteam_user if i == 0 else None,
            aangemaakt_op=begin,
        )
        for i, naam in enumerate(UITVOERING)
    ]
    db.session.add_all(beleid + uitvoering)
    rondes = {1: (timedelta(minutes=95), timedelta(minutes=105)), 2: (timedelta(minutes=140), timedelta(minutes=150))}
    for nummer, (open_na, dicht_na) in rondes.items():
        db.session.add(
            Ronde(sessie_id=sessie.id, ronde=nummer, geopend_op=begin + open_na, gesloten_op=begin + dicht_na)
        )
    for volgorde, (tekst, bron, ronde1, ronde2, (uitkomst, formulering, toelichting)) in enumerate(VERWACHTINGEN, 1):
        verwachting = Verwachting(
            sessie=sessie,
            gemeente_id=sessie.gemeente_id,
            tekst=tekst,
            bron=bron,
            volgorde=volgorde,
            aangemaakt_op=begin,
        )
        db.session.add(verwachting)
        for nummer, (b_antwoorden, u_antwoorden) in ((1, ronde1), (2, ronde2)):
            moment = begin + rondes[nummer][0] + timedelta(minutes=3)
            for deelnemer, (wenselijk, haalbaar) in zip(beleid + uitvoering, b_antwoorden + u_antwoorden, strict=True):
                db.session.add(
                    Beoordeling(
                        verwachting=verwachting,
                        deelnemer=deelnemer,
                        ronde=nummer,
                        wenselijk=wenselijk,
                        haalbaar=haalbaar,
                        perspectief=deelnemer.perspectief,
                        bijgewerkt_op=moment,
                    )
                )
        db.session.add(
            Ambitie(
                verwachting=verwachting,
                uitkomst=uitkomst,
                nieuwe_formulering=formulering,
                toelichting=toelichting,
                vastgelegd_door=sessie.begeleider,
                vastgelegd_op=begin + timedelta(minutes=135),
            )
        )
    db.session.flush()
