"""What the leerkring shows in a live sessie: its panels for phones, the begeleider and the Scherm.

The same context builders serve a first page load, an htmx answer and a refused form shown
again (`staat`), so a form looks the same whichever way it arrives. Nothing here writes.
"""

from __future__ import annotations

import uuid
from typing import Any

from facilitatie.accounts.models import User
from facilitatie.leerkring import lezen
from facilitatie.leerkring.models import Soort
from facilitatie.opvolging.lezen import reeks_van
from facilitatie.sessies import werkruimte
from facilitatie.sessies.models import Deelnemer, Sessie
from facilitatie.sessies.vormen import Fase

GEBIED = "leerkring"
SOORT_VAN_FASE = {"casus": Soort.VRAAG, "reflectie": Soort.REFLECTIE}


def bijdrage_form_context(sessie: Sessie, fase: Fase | None, soort: str, staat: werkruimte.Staat) -> dict[str, Any]:
    """The 'Vraag stellen' or 'Reflectie delen' form, empty or as refused (`staat`)."""
    eigen = staat if staat.get("soort") == soort else {}
    prompt = (fase.vraag if fase is not None and soort == Soort.REFLECTIE else None) or lezen.STANDAARD_VRAGEN[soort]
    return {
        "soort": soort,
        "prompt": prompt,
        "fouten": eigen.get("fouten", {}),
        "melding": eigen.get("melding"),
        "invoer": eigen.get("invoer", {}),
        "gelukt": eigen.get("gelukt"),
        "rid": uuid.uuid4().hex,
    }


def evaluatie_form_context(sessie: Sessie, fase: Fase | None, ik: Deelnemer | None, staat: werkruimte.Staat) -> dict:
    eigen = lezen.eigen_evaluatie(sessie, ik)
    invoer = staat.get("invoer") or (
        {"cijfer": str(eigen.cijfer), "woord": eigen.woord or ""} if eigen is not None else {}
    )
    return {
        "prompt": (fase.vraag if fase is not None else None) or lezen.STANDAARD_VRAGEN["evaluatie"],
        "eigen": eigen,
        "invoer": invoer,
        "fouten": staat.get("fouten", {}),
        "gelukt": staat.get("gelukt"),
    }


def peiling_form_context(sessie: Sessie, fase: Fase, ik: Deelnemer | None, staat: werkruimte.Staat) -> dict:
    eigen = lezen.eigen_peiling(sessie, fase.key, ik)
    invoer = staat.get("invoer") or (
        {
            "waarde": str(eigen.waarde or ""),
            "woord": eigen.woord or "",
            "team": str(eigen.team_id or ""),
        }
        if eigen is not None
        else {}
    )
    return {
        "fase": fase,
        "peiling": fase.peiling,
        "eigen": eigen,
        "teams": lezen.teams_van(sessie),
        "invoer": invoer,
        "fouten": staat.get("fouten", {}),
        "gelukt": staat.get("gelukt"),
    }


def _uitslag_context(sessie: Sessie) -> dict[str, Any]:
    return {"aantal_deelnemers": lezen.aantal_deelnemers(sessie)}


# --------------------------------------------------------------------------- deelnemers


@werkruimte.voor_deelnemer("casus", "reflectie", gebied=GEBIED)
def _deelnemer_bijdragen(sessie: Sessie, fase: Fase, ik: Deelnemer, staat: werkruimte.Staat) -> werkruimte.Paneel:
    soort = SOORT_VAN_FASE[fase.soort]
    mag_posten = fase.soort == "reflectie" or fase.vragen
    return werkruimte.Paneel(
        "leerkring/_deelnemer.html",
        {
            "casus": lezen.casus_van(sessie) if fase.soort == "casus" else None,
            "toon_casus": fase.soort == "casus",
            "vorige_casus": vorige_casus(sessie) if fase.soort == "casus" else None,
            "mag_posten": mag_posten,
            "bijdragen": lezen.bijdragen_van(sessie, soort) if mag_posten else [],
            **bijdrage_form_context(sessie, fase, soort, staat),
        },
    )


@werkruimte.voor_deelnemer("evaluatie", gebied=GEBIED)
def _deelnemer_evaluatie(sessie: Sessie, fase: Fase, ik: Deelnemer, staat: werkruimte.Staat) -> werkruimte.Paneel:
    return werkruimte.Paneel(
        "leerkring/_deelnemer_evaluatie.html",
        {
            **evaluatie_form_context(sessie, fase, ik, staat),
            "uitslag": lezen.evaluatie_uitslag(sessie.id),
            **_uitslag_context(sessie),
        },
    )


@werkruimte.voor_deelnemer("peiling", gebied=GEBIED)
def _deelnemer_peiling(sessie: Sessie, fase: Fase, ik: Deelnemer, staat: werkruimte.Staat) -> werkruimte.Paneel | None:
    if fase.peiling is None:
        return None
    return werkruimte.Paneel(
        "leerkring/_deelnemer_peiling.html",
        {
            **peiling_form_context(sessie, fase, ik, staat),
            "uitslag": lezen.peiling_uitslag(sessie, fase),
            **_uitslag_context(sessie),
        },
    )


@werkruimte.voor_deelnemer("afsluiting", gebied=GEBIED)
def _deelnemer_vooruitblik(
    sessie: Sessie, fase: Fase, _ik: Deelnemer, _staat: werkruimte.Staat
) -> werkruimte.Paneel | None:
    if not fase.volgende_inbrenger:
        return None
    return werkruimte.Paneel("leerkring/_deelnemer_vooruitblik.html", {"vooruitblik": lezen.vooruitblik_van(sessie)})


# --------------------------------------------------------------------------- begeleider


def vorige_casus(sessie: Sessie) -> str | None:
    """The casus question of the previous leerkring of the sessie's reeks, to look back on."""
    reeks = reeks_van(sessie)
    return lezen.casus_vorige(reeks.id, sessie.id, in_kring=True) if reeks else None


def casus_form_context(sessie: Sessie, staat: werkruimte.Staat) -> dict[str, Any]:
    """The casus card form; a new card of a reeks starts with the inbrenger the kring named last time."""
    casus = lezen.casus_van(sessie)
    reeks = reeks_van(sessie)
    if casus is not None:
        bewaard: dict[str, Any] = {
            "inbrenger": casus.inbrenger or "",
            "vraag": casus.vraag,
            "context": casus.context or "",
            "in_verslag": casus.in_verslag,
        }
    else:
        volgende = lezen.volgende_inbrenger(reeks.id, sessie.id) if reeks else None
        bewaard = {"inbrenger": volgende[0]} if volgende else {}
    return {
        "casus": casus,
        "invoer": staat.get("invoer") or bewaard,
        "fouten": staat.get("fouten", {}),
        "melding": staat.get("melding"),
        "vorige_casus": lezen.casus_vorige(reeks.id, sessie.id, in_kring=True) if reeks else None,
    }


def vooruitblik_form_context(sessie: Sessie, staat: werkruimte.Staat) -> dict[str, Any]:
    vooruitblik = lezen.vooruitblik_van(sessie)
    invoer = staat.get("invoer") or (
        {
            "inbrenger": vooruitblik.inbrenger,
            "datum": vooruitblik.datum.isoformat() if vooruitblik.datum else "",
        }
        if vooruitblik is not None
        else {}
    )
    return {"vooruitblik": vooruitblik, "invoer": invoer, "fouten": staat.get("fouten", {})}


@werkruimte.voor_begeleider("casus", werkruimte.VOORAF, gebied=GEBIED)
def _begeleider_casus(
    sessie: Sessie, fase: Fase | None, _user: User, staat: werkruimte.Staat
) -> werkruimte.Paneel | None:
    if fase is None and not lezen.heeft_soort(sessie, "casus"):
        return None  # inbreng vooraf of a sessievorm without a casus
    return werkruimte.Paneel(
        "leerkring/_begeleider_casus.html",
        {
            **casus_form_context(sessie, staat if staat.get("form") == "casus" else {}),
            "vragen": fase is not None and fase.vragen,
            "bijdragen": lezen.bijdragen_van(sessie, Soort.VRAAG) if fase is not None else [],
            "soort": Soort.VRAAG,
        },
    )


@werkruimte.voor_begeleider("reflectie", gebied=GEBIED)
def _begeleider_reflectie(sessie: Sessie, _fase: Fase, _user: User, _staat: werkruimte.Staat) -> werkruimte.Paneel:
    return werkruimte.Paneel(
        "leerkring/_begeleider_reflectie.html",
        {"bijdragen": lezen.bijdragen_van(sessie, Soort.REFLECTIE), "soort": Soort.REFLECTIE},
    )


@werkruimte.voor_begeleider("evaluatie", gebied=GEBIED)
def _begeleider_evaluatie(sessie: Sessie, _fase: Fase, _user: User, _staat: werkruimte.Staat) -> werkruimte.Paneel:
    return werkruimte.Paneel(
        "leerkring/_begeleider_evaluatie.html",
        {"uitslag": lezen.evaluatie_uitslag(sessie.id), **_uitslag_context(sessie)},
    )


@werkruimte.voor_begeleider("peiling", gebied=GEBIED)
def _begeleider_peiling(sessie: Sessie, fase: Fase, _user: User, _staat: werkruimte.Staat) -> werkruimte.Paneel | None:
    if fase.peiling is None:
        return None
    return werkruimte.Paneel(
        "leerkring/_begeleider_peiling.html",
        {"fase": fase, "uitslag": lezen.peiling_uitslag(sessie, fase), **_uitslag_context(sessie)},
    )


@werkruimte.voor_begeleider("afsluiting", gebied=GEBIED)
def _begeleider_vooruitblik(
    sessie: Sessie, fase: Fase, _user: User, staat: werkruimte.Staat
) -> werkruimte.Paneel | None:
    if not fase.volgende_inbrenger:
        return None
    return werkruimte.Paneel(
        "leerkring/_begeleider_vooruitblik.html",
        vooruitblik_form_context(sessie, staat if staat.get("form") == "vooruitblik" else {}),
    )


# --------------------------------------------------------------------------- Scherm


@werkruimte.voor_scherm("casus", "reflectie", "evaluatie", "peiling", "afsluiting", gebied=GEBIED)
def _scherm(sessie: Sessie, fase: Fase) -> werkruimte.Paneel | None:
    """What the room sees: the casus question, vragen and reflecties without names, the results."""
    context: dict[str, Any] = {**_uitslag_context(sessie)}
    if fase.soort == "casus":
        context.update(
            casus=lezen.casus_van(sessie), bijdragen=lezen.bijdragen_van(sessie, Soort.VRAAG) if fase.vragen else []
        )
    elif fase.soort == "reflectie":
        context.update(bijdragen=lezen.bijdragen_van(sessie, Soort.REFLECTIE))
    elif fase.soort == "evaluatie":
        context.update(uitslag=lezen.evaluatie_uitslag(sessie.id))
    elif fase.soort == "peiling":
        if fase.peiling is None:
            return None
        context.update(uitslag=lezen.peiling_uitslag(sessie, fase))
    elif fase.volgende_inbrenger:
        context.update(vooruitblik=lezen.vooruitblik_van(sessie))
    else:
        return None
    return werkruimte.Paneel("leerkring/scherm.html", context)
