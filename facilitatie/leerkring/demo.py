"""Demo: the open leerkring is the third of its reeks. Two earlier leerkringen (Noord and Zuid)
hold a casus each, vragen and reflecties (some anonymous), the evaluatie of the kring, the
werkdruk peiling per wijkteam and who brought in the next casus; the open one has its casus
ready and its werkdruk peiling answered, so the trend over the reeks has three points."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select

from facilitatie.accounts.rollen import Rol
from facilitatie.demo_context import DemoContext
from facilitatie.extensions import db
from facilitatie.leerkring.models import Bijdrage, Casus, Evaluatie, PeilingAntwoord, Soort, Vooruitblik
from facilitatie.models_base import utcnow
from facilitatie.opvolging.lezen import reeks_van
from facilitatie.opvolging.models import Reeks, sessie_reeks
from facilitatie.sessies import service as sessies
from facilitatie.sessies.models import Deelnemer, Sessie

WERKDRUK = "werkdruk"

# (naam or None, perspectief, team)
KRING = [
    ("Sanne de Vries", "uitvoering", "Wijkteam Noord"),
    ("Mehmet Yilmaz", "uitvoering", "Wijkteam Noord"),
    ("Lotte Jansen", "uitvoering", "Wijkteam Noord"),
    ("Priya Ramdin", "uitvoering", "Wijkteam Zuid"),
    (None, "uitvoering", "Wijkteam Zuid"),
    ("Daan Visser", "uitvoering", "Wijkteam Zuid"),
    ("Fatima El Amrani", "beleid", None),
]

EERDERE: list[dict[str, Any]] = [
    {
        "titel": "Leerkring Noord en Zuid — oktober",
        "dagen_geleden": 42,
        "casus": (
            "Sanne de Vries",
            "Hoe help ik een gezin dat tussen twee loketten valt, als beide zeggen dat het niet bij hen hoort?",
            "Een ouder met schulden en een kind met een jeugdhulpvraag. De schuldhulp wacht op de jeugdhulp, "
            "de jeugdhulp op een stabiele thuissituatie.",
            False,
        ),
        "vragen": [
            ("Wie had de regie toen het vastliep?", False),
            ("Was er een casusoverleg met beide loketten?", True),
        ],
        "reflecties": [
            ("Ik ga eerder zelf de twee loketten aan één tafel zetten.", False),
            ("Ik wist niet dat de schuldhulp een spoedroute heeft.", True),
            ("Beleid: de volgorde in het convenant werkt hier averechts. Dat neem ik mee.", False),
        ],
        "evaluaties": [(4, "leerzaam"), (4, "herkenbaar"), (3, "zwaar"), (5, "leerzaam"), (4, "open")],
        "werkdruk": [4, 4, 5, 3, 4, 3],
        "volgende": "Lotte Jansen",
    },
    {
        "titel": "Leerkring Noord en Zuid — november",
        "dagen_geleden": 21,
        "casus": (
            "Lotte Jansen",
            "Mag ik een traplift voorschieten uit het flexbudget als het medisch advies maanden op zich laat wachten?",
            "Een oudere inwoner kan de trap niet meer op en slaapt in de woonkamer. Het advies komt pas over drie "
            "maanden; de aanvraag ligt stil.",
            True,
        ),
        "vragen": [("Wat zegt de verordening over een voorziening in afwachting van advies?", False)],
        "reflecties": [
            ("Er was meer ruimte dan ik dacht: de verordening laat een tijdelijke voorziening toe.", False),
            ("Ik ga vaker vragen wat de bedoeling van een regel is.", True),
            ("Goed om te horen hoe lang het advies echt duurt.", True),
        ],
        "evaluaties": [(5, "ruimte"), (4, "praktisch"), (4, "ruimte"), (5, "waardevol"), (3, "kort")],
        "werkdruk": [5, 4, 5, 4, 4, 4],
        "volgende": "Priya Ramdin",
    },
]

OPEN_CASUS = (
    "Priya Ramdin",
    "Hoe kunnen we sneller schakelen als een jongere bijna achttien wordt en de jeugdhulp stopt?",
    "Een jongere van zeventien met een ondersteuningsvraag; na de verjaardag moet alles opnieuw worden "
    "aangevraagd via de Wmo.",
)
OPEN_WERKDRUK = [5, 4, 5, 4, 5]


def load(demo: DemoContext) -> None:
    """Add the two earlier leerkringen to the open leerkring's reeks, with their content."""
    begeleider = demo.users[Rol.BEGELEIDER]
    reeks = reeks_van(demo.open_sessie)
    if reeks is None:
        reeks = Reeks(gemeente_id=demo.gemeente.id, naam="Leerkring Vechtstede")
        db.session.add(reeks)
        db.session.flush()
        db.session.execute(sessie_reeks.insert().values(sessie_id=demo.open_sessie.id, reeks_id=reeks.id))
    teams = [demo.teams["Wijkteam Noord"], demo.teams["Wijkteam Zuid"]]
    for gegevens in EERDERE:
        sessie = sessies.create_sessie(begeleider=begeleider, titel=gegevens["titel"], vorm="leerkring", teams=teams)
        sessies.start(sessie, begeleider)
        for _ in range(len(sessies.vorm_van(sessie).fasen) - 1):
            sessies.volgende_fase(sessie, begeleider)
        sessies.afsluiten(sessie, begeleider)
        moment = utcnow() - timedelta(days=gegevens["dagen_geleden"])
        sessie.aangemaakt_op = sessie.gestart_op = moment
        sessie.afgesloten_op = moment + timedelta(minutes=95)
        db.session.execute(sessie_reeks.insert().values(sessie_id=sessie.id, reeks_id=reeks.id))
        _inhoud(demo, sessie, gegevens, moment)
    _open(demo)
    db.session.flush()


def _kring(demo: DemoContext, sessie: Sessie) -> list[tuple[Deelnemer, int | None]]:
    """The kring's deelnemers of one sessie, each with the team their peiling answer counts under."""
    accounts = {u.naam: u for u in demo.users.values()}
    mensen = []
    for naam, perspectief, team in KRING:
        deelnemer = Deelnemer(sessie_id=sessie.id, naam=naam, perspectief=perspectief, user=accounts.get(naam or ""))
        db.session.add(deelnemer)
        mensen.append((deelnemer, demo.teams[team].id if team else None))
    db.session.flush()
    return mensen


def _inhoud(demo: DemoContext, sessie: Sessie, gegevens: dict[str, Any], moment: datetime) -> None:
    mensen = _kring(demo, sessie)
    inbrenger, vraag, context, in_verslag = gegevens["casus"]
    db.session.add(Casus(sessie_id=sessie.id, inbrenger=inbrenger, vraag=vraag, context=context, in_verslag=in_verslag))
    for soort, lijst in ((Soort.VRAAG, gegevens["vragen"]), (Soort.REFLECTIE, gegevens["reflecties"])):
        for nummer, (tekst, anoniem) in enumerate(lijst):
            deelnemer = mensen[nummer % len(mensen)][0]
            db.session.add(
                Bijdrage(
                    sessie_id=sessie.id,
                    soort=soort,
                    tekst=tekst,
                    anoniem=anoniem,
                    deelnemer_id=None if anoniem else deelnemer.id,
                    aangemaakt_op=moment + timedelta(minutes=20 + nummer),
                )
            )
    for (deelnemer, _team), (cijfer, woord) in zip(mensen, gegevens["evaluaties"], strict=False):
        db.session.add(Evaluatie(sessie_id=sessie.id, deelnemer_id=deelnemer.id, cijfer=cijfer, woord=woord))
    _werkdruk(sessie, mensen, gegevens["werkdruk"])
    volgende = moment.date() + timedelta(days=21)
    db.session.add(Vooruitblik(sessie_id=sessie.id, inbrenger=gegevens["volgende"], datum=min(volgende, date.today())))


def _werkdruk(sessie: Sessie, mensen: list[tuple[Deelnemer, int | None]], waarden: list[int]) -> None:
    for (deelnemer, team_id), waarde in zip(mensen, waarden, strict=False):
        db.session.add(
            PeilingAntwoord(
                sessie_id=sessie.id, fase_key=WERKDRUK, deelnemer_id=deelnemer.id, team_id=team_id, waarde=waarde
            )
        )


def _open(demo: DemoContext) -> None:
    """The open leerkring (one wijkteam): its casus is on the card and its werkdruk peiling answered."""
    sessie = demo.open_sessie
    inbrenger, vraag, context = OPEN_CASUS
    db.session.add(Casus(sessie_id=sessie.id, inbrenger=inbrenger, vraag=vraag, context=context))
    deelnemers = list(db.session.scalars(select(Deelnemer).where(Deelnemer.sessie_id == sessie.id)))
    team_id = demo.teams["Wijkteam Noord"].id
    _werkdruk(sessie, [(d, team_id) for d in deelnemers], OPEN_WERKDRUK)
