"""Demo: the reeks "Leerkring Vechtstede" carries one verwachting and its afspraken along.

Runs after the leerkring demo, which made the reeks of three leerkringen (October and November
finished, the open one live). One verwachting goes along all three: "één vast aanspreekpunt
binnen twee weken", bijgesteld in October to four weeks, rated again in November (where the
kring decides to organise it differently: one casusregisseur) and re-rated at the start of the
open leerkring, so its page (/verwachtingen/<id>) shows three points per perspective. The
earlier leerkringen made afspraken (acties) that are still open, so the open leerkring's welkom
fase looks back on them.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select

from facilitatie.accounts.models import User
from facilitatie.accounts.perspectieven import perspectieven_van
from facilitatie.accounts.rollen import Rol
from facilitatie.demo_context import DemoContext
from facilitatie.extensions import db
from facilitatie.leerkring.lezen import sessies_in_reeks
from facilitatie.models_base import utcnow
from facilitatie.opvolging.lezen import reeks_van
from facilitatie.opvolging.models import Actie, ActieHistorie
from facilitatie.sessies.models import Deelnemer, Sessie
from facilitatie.verwachtingen.lezen import overgenomen_tekst
from facilitatie.verwachtingen.models import Ambitie, Beoordeling, Ronde, Uitkomst, Verwachting

TEKST = "Een gezin met vragen op meerdere terreinen heeft binnen twee weken één vast aanspreekpunt"
BRON = "Beleidsplan Sociaal Domein 2025–2028"

# Per leerkring, oldest first: (beleid, uitvoering, partner) lists of (wenselijk, haalbaar), and
# the ambitie decided there (None: not yet, the open leerkring). Three partners (a huisarts, a
# school, the woningcorporatie) sit in each kring, so their own line shows in the trend.
Antwoorden = list[tuple[int, int]]
METINGEN: list[tuple[Antwoorden, Antwoorden, Antwoorden, tuple[str, str | None, str] | None]] = [
    (
        [(5, 4), (5, 3), (4, 4)],
        [(5, 2), (5, 1), (4, 2), (5, 2), (4, 1), (5, 2)],
        [(5, 2), (4, 2), (5, 3)],
        (
            Uitkomst.BIJSTELLEN,
            "Een gezin met vragen op meerdere terreinen heeft binnen vier weken één vast aanspreekpunt",
            "De casus liet zien dat twee loketten elk op de ander wachten; twee weken haalt niemand. "
            "Vier weken is haalbaar en houdt de ambitie van één aanspreekpunt overeind.",
        ),
    ),
    (
        [(5, 4), (4, 3), (5, 4)],
        [(5, 3), (4, 2), (5, 3), (5, 3), (4, 2), (5, 3)],
        [(5, 3), (5, 3), (4, 3)],
        (
            Uitkomst.ANDERS_ORGANISEREN,
            None,
            "Eén casusregisseur per gezin, aangewezen in het eerste gesprek, die de andere loketten aan "
            "tafel haalt; de verordening laat dat toe, het stond alleen niet in de werkinstructie.",
        ),
    ),
    (
        [(5, 4), (5, 4), (4, 4)],
        [(5, 4), (4, 3), (5, 4), (5, 3), (4, 4), (5, 4)],
        [(5, 4), (5, 3), (4, 4)],
        None,
    ),
]

# (index of the leerkring, omschrijving, eigenaar, streefdatum in days from today, status steps)
AFSPRAKEN: list[tuple[int, str, str, int, list[tuple[str, str | None]]]] = [
    (
        0,
        "Volgorde van schuldhulp en jeugdhulp in het convenant herzien",
        Rol.BELEIDSMEDEWERKER,
        -7,
        [("in_uitvoering", "Eerste gesprek met beide loketten gevoerd.")],
    ),
    (
        1,
        "Casusregisseur opnemen in de werkinstructie Wmo en jeugd",
        Rol.BEGELEIDER,
        14,
        [],
    ),
]


def load(demo: DemoContext) -> None:
    """The verwachting across the three leerkringen, and the afspraken the next one reviews."""
    reeks = reeks_van(demo.open_sessie)
    if reeks is None:  # the leerkring demo is not there
        return
    kringen = [s for s in sessies_in_reeks(reeks.id) if s.sessievorm == "leerkring"]
    begeleider = demo.users[Rol.BEGELEIDER]
    vorige: Verwachting | None = None
    partner = next((p.sleutel for p in perspectieven_van(demo.gemeente.id) if not p.vast), None)
    for sessie, (beleid, uitvoering, partners, ambitie) in zip(kringen, METINGEN, strict=False):
        begin = sessie.gestart_op or sessie.aangemaakt_op
        tekst = (overgenomen_tekst(vorige) if vorige is not None else None) or TEKST
        verwachting = Verwachting(
            sessie=sessie,
            gemeente_id=sessie.gemeente_id,
            tekst=tekst,
            bron=BRON,
            volgorde=1,
            herkomst_id=vorige.id if vorige else None,
            lijn_id=vorige.lijn if vorige else None,
            aangemaakt_op=begin,
        )
        db.session.add(verwachting)
        db.session.flush()
        groepen = {"beleid": beleid, "uitvoering": uitvoering, **({partner: partners} if partner else {})}
        _beoordelingen(sessie, verwachting, groepen, begin)
        if ambitie is not None:
            uitkomst, formulering, toelichting = ambitie
            db.session.add(
                Ambitie(
                    verwachting=verwachting,
                    uitkomst=uitkomst,
                    nieuwe_formulering=formulering,
                    toelichting=toelichting,
                    vastgelegd_door=begeleider,
                    vastgelegd_op=begin + timedelta(minutes=60),
                )
            )
        db.session.flush()
        vorige = verwachting
    for index, omschrijving, rol, dagen, stappen in AFSPRAKEN:
        if index < len(kringen) - 1:
            _actie(demo, kringen[index], omschrijving, demo.users[rol], dagen, stappen)


def _raters(sessie: Sessie, perspectief: str, aantal: int, begin: datetime) -> list[Deelnemer]:
    """The sessie's deelnemers of this perspective, topped up with nameless ones to `aantal`."""
    bestaand = list(
        db.session.scalars(
            select(Deelnemer)
            .where(Deelnemer.sessie_id == sessie.id, Deelnemer.perspectief == perspectief)
            .order_by(Deelnemer.id)
        )
    )[:aantal]
    extra = [
        Deelnemer(sessie_id=sessie.id, perspectief=perspectief, aangemaakt_op=begin)
        for _ in range(aantal - len(bestaand))
    ]
    db.session.add_all(extra)
    db.session.flush()
    return bestaand + extra


def _beoordelingen(sessie: Sessie, verwachting: Verwachting, groepen: dict[str, Antwoorden], begin: datetime) -> None:
    """One closed ronde: at the start of a leerkring the kring rates the verwachting it carries."""
    open_na, dicht_na = timedelta(minutes=10), timedelta(minutes=15)
    db.session.add(Ronde(sessie_id=sessie.id, ronde=1, geopend_op=begin + open_na, gesloten_op=begin + dicht_na))
    for perspectief, antwoorden in groepen.items():
        for deelnemer, (wenselijk, haalbaar) in zip(
            _raters(sessie, perspectief, len(antwoorden), begin), antwoorden, strict=True
        ):
            db.session.add(
                Beoordeling(
                    verwachting=verwachting,
                    deelnemer=deelnemer,
                    ronde=1,
                    wenselijk=wenselijk,
                    haalbaar=haalbaar,
                    perspectief=perspectief,
                    bijgewerkt_op=begin + open_na + timedelta(minutes=2),
                )
            )


def _actie(
    demo: DemoContext,
    sessie: Sessie,
    omschrijving: str,
    eigenaar: User,
    dagen: int,
    stappen: list[tuple[str, str | None]],
) -> None:
    """An afspraak of a leerkring with its history (each step a real status change)."""
    aangemaakt = (sessie.gestart_op or sessie.aangemaakt_op) + timedelta(minutes=80)
    actie = Actie(
        gemeente_id=demo.gemeente.id,
        sessie_id=sessie.id,
        omschrijving=omschrijving,
        eigenaar_id=eigenaar.id,
        streefdatum=date.today() + timedelta(days=dagen),
        status="open",
        aangemaakt_door_id=eigenaar.id,
        aangemaakt_op=aangemaakt,
        bijgewerkt_op=aangemaakt,
    )
    db.session.add(actie)
    db.session.flush()
    db.session.add(ActieHistorie(actie_id=actie.id, door_id=eigenaar.id, op=aangemaakt, veld="aangemaakt", naar="open"))
    for stap, (naar, reden) in enumerate(stappen, 1):
        op = min(aangemaakt + timedelta(days=7 * stap), utcnow())
        db.session.add(
            ActieHistorie(
                actie_id=actie.id, door_id=eigenaar.id, op=op, veld="status", van=actie.status, naar=naar, reden=reden
            )
        )
        actie.status = naar
        actie.bijgewerkt_op = op
