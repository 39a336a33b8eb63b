"""Demo: regelruimte on the finished sessie's knelpunten and two entries in Gevonden ruimte.

Runs after the opvolging demo (it needs the besluiten): where each knel sits and who can
resolve it, so the dashboard and the verslag split by both, and two besluiten marked
'ruimte die er al was', so a wijkteamlid of any team finds them in Gevonden ruimte.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from facilitatie.demo_context import DemoContext
from facilitatie.extensions import db
from facilitatie.knelpunten.models import Knelpunt
from facilitatie.opvolging.models import Besluit, GevondenRuimte, Regelruimte
from facilitatie.opvolging.regelruimte import Knel, Oplosser

# Per knelpunt of the finished sessie, in order (see knelpunten/demo.py AFGEROND).
PLAN: list[tuple[Knel, Oplosser]] = [
    (Knel.LOKAAL, Oplosser.GEMEENTE),  # kleine aanpassing: volledige Wmo-aanvraag
    (Knel.LOKAAL, Oplosser.GEMEENTE),  # herindicatie bij ongewijzigde situatie
    (Knel.WERKINSTRUCTIE, Oplosser.GEMEENTE),  # dubbele registratie
    (Knel.SAMENWERKING, Oplosser.AANBIEDER),  # eigen intake van de aanbieder
    (Knel.INTERPRETATIE, Oplosser.TEAM),  # schulden: eerst een volledig overzicht
    (Knel.LOKAAL, Oplosser.REGIO),  # urgentieverklaring: regionale verordening
    (Knel.INTERPRETATIE, Oplosser.TEAM),  # uitkering stopt bij een kleine wijziging
    (Knel.RIJK, Oplosser.RIJK),  # terugkoppelen aan school zonder toestemming
]

GEVONDEN: dict[int, str] = {
    4: "Doorverwijzen naar schuldhulp mag al vóór er een volledig overzicht is. De wet vraagt alleen "
    "een snel eerste gesprek bij dreigende huisuitzetting of afsluiting; het 'eerst een volledig "
    "overzicht' was een interne afspraak. Meld acute achterstanden dus meteen aan.",
    6: "Een uitkering hoeft niet te stoppen bij een kleine inkomenswijziging: de consulent kan haar als "
    "voorschot laten doorlopen tot de herberekening klaar is. Dat mocht altijd al, het stond alleen "
    "niet in de werkinstructie. Vraag er in het overdrachtsformulier om.",
}


def load(demo: DemoContext) -> None:
    """Regelruimte for every knelpunt of the finished sessie; Gevonden ruimte on two besluiten."""
    knelpunten = list(
        db.session.scalars(select(Knelpunt).where(Knelpunt.sessie_id == demo.afgerond.id).order_by(Knelpunt.id))
    )
    besluiten = {
        b.knelpunt_id: b
        for b in db.session.scalars(select(Besluit).where(Besluit.knelpunt_id.in_([k.id for k in knelpunten])))
    }
    for knelpunt, (knel, oplosser) in zip(knelpunten, PLAN, strict=False):
        db.session.add(Regelruimte(knelpunt_id=knelpunt.id, knel=knel.value, oplosser=oplosser.value))
    for index, omschrijving in GEVONDEN.items():
        if index >= len(knelpunten) or knelpunten[index].id not in besluiten:
            continue
        besluit = besluiten[knelpunten[index].id]
        db.session.add(
            GevondenRuimte(
                knelpunt_id=knelpunten[index].id,
                gemeente_id=demo.gemeente.id,
                omschrijving=omschrijving,
                gepubliceerd_op=besluit.besloten_op + timedelta(days=1),
            )
        )
