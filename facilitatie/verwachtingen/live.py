"""Fragments for live updates: rendered once per audience from the templates the pages use."""

from __future__ import annotations

from flask import render_template

from facilitatie.realtime import BEGELEIDER, DEELNEMERS, Fragment
from facilitatie.sessies.models import Sessie
from facilitatie.verwachtingen import lezen
from facilitatie.verwachtingen.uitslag import uitslag


def rondes_fragmenten(sessie: Sessie) -> dict[str, list[Fragment]]:
    """The begeleider's ronde controls (with empty CSRF: app.js fills in the page's token)."""
    html = render_template("verwachtingen/_rondes.html", sessie=sessie, **s_context(sessie), csrf_value="")
    return {BEGELEIDER: [Fragment("#verwachtingen-rondes", html)], DEELNEMERS: []}


def lijst_fragmenten(sessie: Sessie) -> dict[str, list[Fragment]]:
    """The begeleider's list of verwachtingen plus the ronde controls (they depend on it)."""
    lijst = render_template(
        "verwachtingen/_lijst.html",
        sessie=sessie,
        verwachtingen=lezen.verwachtingen_van(sessie),
        beoordeeld=lezen.beoordeelde_ids(sessie),
        csrf_value="",
    )
    uit = rondes_fragmenten(sessie)
    uit[BEGELEIDER].append(Fragment("#verwachtingen-lijst", lijst))
    return uit


def s_context(sessie: Sessie) -> dict:
    """What _rondes.html needs: the state and live count of each ronde."""
    return {
        "rondes": {n: lezen.ronde_status(sessie, n) for n in lezen.RONDES},
        "tellers": {n: lezen.aantal_beoordelaars(sessie, n) for n in lezen.RONDES},
        "aantal_deelnemers": lezen.aantal_deelnemers(sessie),
        "heeft_verwachtingen": bool(lezen.verwachtingen_van(sessie)),
    }


def teller_fragmenten(sessie: Sessie, ronde: int, aantal: int) -> dict[str, list[Fragment]]:
    """Only how many rated: the one figure of an open ronde anyone sees."""
    html = render_template(
        "verwachtingen/_teller.html", ronde=ronde, aantal=aantal, aantal_deelnemers=lezen.aantal_deelnemers(sessie)
    )
    fragment = Fragment(f"#verwachtingen-teller-{ronde}", html)
    return {DEELNEMERS: [fragment], BEGELEIDER: [fragment]}


def deelnemer_herladen(sessie: Sessie, ronde: int) -> list[Fragment]:
    """A placeholder that makes each deelnemer fetch their own form (it holds their answers)."""
    html = render_template("verwachtingen/_laden.html", sessie=sessie, ronde=ronde)
    return [Fragment(f"#verwachtingen-ronde-{ronde}", html)]


def deelnemer_gesloten(sessie: Sessie, ronde: int) -> list[Fragment]:
    """A closed ronde looks the same for every deelnemer: rendered once."""
    html = render_template(
        "verwachtingen/_deelnemer.html",
        sessie=sessie,
        ronde=ronde,
        status=lezen.GESLOTEN,
        uitslag=uitslag(sessie),
        csrf_value="",
        render_seq=sessie.laatste_seq + 1,  # the seq of the event that carries it
    )
    return [Fragment(f"#verwachtingen-ronde-{ronde}", html)]


def uitslag_fragment(sessie: Sessie) -> list[Fragment]:
    html = render_template("verwachtingen/_uitslag.html", sessie=sessie, uitslag=uitslag(sessie))
    return [Fragment("#verwachtingen-uitslag", html)]
