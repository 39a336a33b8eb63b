"""What the opvolging pages and panels show: their context and their forms, filled from the reads.

The same builders serve a first page load, an htmx answer and a begeleider's werkruimte
panel, so a fragment looks the same whichever way it arrives. Nothing here writes: the
views call the commands (service.py), then render what these builders give.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import render_template
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select

from facilitatie.accounts.models import User
from facilitatie.accounts.rollen import ROL_LABELS
from facilitatie.extensions import db
from facilitatie.knelpunten.models import Knelpunt, Thema
from facilitatie.opvolging import gevonden, lezen, rechten, regels
from facilitatie.opvolging.forms import (
    ActieForm,
    ActieWijzigenForm,
    BesluitForm,
    GevondenRuimteForm,
    ReeksForm,
    RegelruimteForm,
    StatusForm,
    met_ids,
)
from facilitatie.opvolging.models import Actie, Reeks
from facilitatie.realtime import DEELNEMERS, Fragment
from facilitatie.sessies import werkruimte
from facilitatie.sessies.models import Sessie
from facilitatie.sessies.vormen import Fase


def vandaag() -> date:
    """Today's date, the one place pages ask (so 'te laat' is the same everywhere in a request)."""
    return date.today()


def _kort(tekst: str, lengte: int) -> str:
    """Jinja's truncate(lengte, True, '…'), for option labels built here."""
    return tekst if len(tekst) <= lengte + 5 else tekst[: lengte - 1] + "…"


# --------------------------------------------------------------------------- besluiten


def actie_form(
    sessie: Sessie, knelpunten: list[Knelpunt], eigenaren: list[User], form: ActieForm | None = None
) -> ActieForm:
    """The 'Nieuwe actie' form with its choices: the posted one, or an empty one."""
    form = form or ActieForm(formdata=None)
    form.eigenaar.choices = [("", "Kies een eigenaar")] + [
        (str(u.id), f"{u.naam} ({ROL_LABELS.get(u.rol, u.rol)})") for u in eigenaren
    ]
    form.verwachting.choices = [("", "Geen verwachting")] + [
        (
            str(v.id),
            _kort(v.tekst, 80) + (f" ({v.ambitie.uitkomst_label.lower()})" if v.ambitie else ""),
        )
        for v in lezen.verwachtingen_van(sessie)
    ]
    form.knelpunten.choices = [(str(k.id), _kort(k.tekst, 90)) for k in knelpunten]
    return met_ids(form, "actie")


def besluiten_context(sessie: Sessie, ingediend: tuple[str, FlaskForm] | None = None) -> dict[str, Any]:
    """Everything the besluiten fragment needs (page, begeleider panel, htmx answer).

    `ingediend` is a refused form (its key, e.g. 'knelpunt-3', and the form with its errors):
    it is shown as posted, every other form as the current state.
    """
    knelpunten = lezen.knelpunten_van_sessie(sessie)
    ids = [k.id for k in knelpunten]
    themas: dict[int | None, list[Knelpunt]] = {}
    for knelpunt in knelpunten:
        themas.setdefault(knelpunt.thema_id, []).append(knelpunt)
    thema_rijen = {
        t.id: t for t in db.session.scalars(select(Thema).where(Thema.id.in_([i for i in themas if i is not None])))
    }
    mag = rechten.kan_besluiten(current_user, sessie.gemeente_id)
    besluiten_ = lezen.besluiten_per_knelpunt(ids)
    regelruimte = gevonden.regelruimte_per_knelpunt(ids)
    gevonden_ruimte = gevonden.gevonden_per_knelpunt(ids)
    forms: dict[str, FlaskForm] = {}
    if mag:
        for knelpunt in knelpunten:
            forms[f"knelpunt-{knelpunt.id}"] = BesluitForm(formdata=None, obj=besluiten_.get(knelpunt.id))
            forms[f"regelruimte-knelpunt-{knelpunt.id}"] = RegelruimteForm(
                formdata=None, obj=regelruimte.get(knelpunt.id)
            )
            forms[f"ruimte-{knelpunt.id}"] = GevondenRuimteForm(formdata=None, obj=gevonden_ruimte.get(knelpunt.id))
        for thema_id in thema_rijen:
            forms[f"thema-{thema_id}"] = BesluitForm(formdata=None)
            forms[f"regelruimte-thema-{thema_id}"] = RegelruimteForm(formdata=None)
        eigenaren = lezen.mogelijke_eigenaren(sessie.gemeente_id)
        ingediende_actie = ingediend[1] if ingediend and ingediend[0] == "actie" else None
        forms["actie"] = actie_form(sessie, knelpunten, eigenaren, ingediende_actie)  # type: ignore[arg-type]
    if ingediend:
        forms[ingediend[0]] = ingediend[1]
    for sleutel, form in forms.items():
        if sleutel != "actie":
            met_ids(form, sleutel)
    return {
        "sessie": sessie,
        "knelpunten": knelpunten,
        "themas": themas,
        "thema_rijen": thema_rijen,
        "besluiten": besluiten_,
        "regelruimte": regelruimte,
        "gevonden_ruimte": gevonden_ruimte,
        "besluit_historie": lezen.besluit_historie_per_knelpunt(ids),
        "acties": lezen.acties_per_knelpunt(ids),
        "sessie_acties": list(db.session.scalars(select(Actie).where(Actie.sessie_id == sessie.id).order_by(Actie.id))),
        "mag_besluiten": mag,
        "forms": forms,
        "ingediend": ingediend[0] if ingediend else None,
        "vandaag": vandaag(),
        "is_te_laat": regels.is_te_laat,
    }


@werkruimte.voor_begeleider("besluiten", gebied="opvolging")
def _besluiten_paneel(sessie: Sessie, _fase: Fase, user: User, _staat: werkruimte.Staat) -> werkruimte.Paneel | None:
    if not rechten.kan_besluiten(user, sessie.gemeente_id):
        return None
    return werkruimte.Paneel("opvolging/_paneel_besluiten.html", besluiten_context(sessie))


def besluiten_live_context(sessie: Sessie) -> dict[str, Any]:
    """The besluiten and acties as the room sees them (Scherm, phones): no forms, no history."""
    knelpunten = [k for k in lezen.knelpunten_van_sessie(sessie) if k.onthuld]
    return {
        "sessie": sessie,
        "knelpunten": knelpunten,
        "besluiten": lezen.besluiten_per_knelpunt([k.id for k in knelpunten]),
        "acties": list(db.session.scalars(select(Actie).where(Actie.sessie_id == sessie.id).order_by(Actie.id))),
        "vandaag": vandaag(),
        "is_te_laat": regels.is_te_laat,
    }


def besluiten_live(sessie: Sessie) -> dict[str, list[Fragment]]:
    """The deelnemers' list of besluiten and acties, pushed as each one is recorded ("Kijk mee")."""
    html = render_template("opvolging/_besluiten_live.html", **besluiten_live_context(sessie))
    return {DEELNEMERS: [Fragment("#besluiten-live", html)]}


@werkruimte.voor_scherm("besluiten", "afsluiting", gebied="opvolging")
def _besluiten_scherm(sessie: Sessie, _fase: Fase) -> werkruimte.Paneel | None:
    context = besluiten_live_context(sessie)
    if not context["knelpunten"] and not context["acties"]:
        return None
    return werkruimte.Paneel("opvolging/_besluiten_live.html", context)


@werkruimte.voor_deelnemer("besluiten", gebied="opvolging")
def _besluiten_deelnemer(sessie: Sessie, _fase: Fase, _ik: Any, _staat: werkruimte.Staat) -> werkruimte.Paneel:
    return werkruimte.Paneel("opvolging/_besluiten_live.html", besluiten_live_context(sessie))


@werkruimte.voor_begeleider("knelpunten", "bundelen", gebied="opvolging")
def _eerder_gemeld_paneel(
    sessie: Sessie, _fase: Fase, user: User, _staat: werkruimte.Staat
) -> werkruimte.Paneel | None:
    if not rechten.kan_besluiten(user, sessie.gemeente_id):
        return None
    return werkruimte.Paneel(
        "opvolging/_eerder_gemeld.html", {"suggesties": lezen.suggesties(sessie), "in_paneel": True}
    )


# Also before the start: the next sessie of a reeks shows its begeleider what to review.
@werkruimte.voor_begeleider("welkom", werkruimte.VOORAF, gebied="opvolging")
def _reeks_paneel(sessie: Sessie, _fase: Fase, user: User, _staat: werkruimte.Staat) -> werkruimte.Paneel | None:
    acties = lezen.acties_uit_reeks(sessie, vandaag())
    if not acties:
        return None
    return werkruimte.Paneel(
        "opvolging/_paneel_reeks.html",
        {
            "acties": acties,
            "reeks": lezen.reeks_van(sessie),
            "vandaag": vandaag(),
            "is_te_laat": regels.is_te_laat,
            "kan_bijwerken": rechten.kan_actie_bijwerken,
        },
    )


def reeks_form(sessie: Sessie, huidig: Reeks | None, form: ReeksForm | None = None) -> ReeksForm:
    form = form or ReeksForm(formdata=None, reeks=str(huidig.id) if huidig else "")
    form.reeks.choices = [("", "Geen reeks")] + [(str(r.id), r.naam) for r in lezen.reeksen(sessie.gemeente_id)]
    return met_ids(form, "reeks")


# --------------------------------------------------------------------------- acties


def status_form(actie: Actie, form: StatusForm | None = None) -> StatusForm:
    """The status form of one actie: only the transitions regels.OVERGANGEN allows from its status."""
    form = form or StatusForm(formdata=None)
    form.status.choices = [("", "Status niet wijzigen (alleen notitie)")] + [
        (
            naar.value,
            f"{regels.STATUS_LABELS[naar]} ({overgang.label.lower()}"
            + (", reden verplicht)" if overgang.reden_verplicht else ")"),
        )
        for naar, overgang in regels.toegestane_overgangen(actie.status)
    ]
    return met_ids(form, f"actie-{actie.id}")


def wijzig_form(actie: Actie, form: ActieWijzigenForm | None = None) -> ActieWijzigenForm:
    if form is None:
        form = ActieWijzigenForm(
            formdata=None,
            eigenaar=str(actie.eigenaar_id or ""),
            afdeling=actie.afdeling or "",
            streefdatum=actie.streefdatum.isoformat() if actie.streefdatum else "",
            toelichting=actie.toelichting or "",
        )
    form.eigenaar.choices = [(str(u.id), u.naam) for u in lezen.mogelijke_eigenaren(actie.gemeente_id)]
    return met_ids(form, "wijzig")


def actie_context(actie: Actie, geweigerd: StatusForm | ActieWijzigenForm | None = None) -> dict[str, Any]:
    """One actie with its status and change forms; `geweigerd` is a refused form, shown as posted."""
    mag = rechten.kan_actie_bijwerken(current_user, actie.gemeente_id, actie.eigenaar_id)
    return {
        "actie": actie,
        "mag_bijwerken": mag,
        "status_form": status_form(actie, geweigerd if isinstance(geweigerd, StatusForm) else None) if mag else None,
        "wijzig_form": wijzig_form(actie, geweigerd if isinstance(geweigerd, ActieWijzigenForm) else None)
        if mag
        else None,
        "vandaag": vandaag(),
        "is_te_laat": regels.is_te_laat,
    }
