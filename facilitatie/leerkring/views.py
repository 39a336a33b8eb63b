"""Leerkring and peiling actions and the leerkring page (thin: parse, authorise, call the service, render)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from markupsafe import Markup
from werkzeug.wrappers import Response

from facilitatie import tekst as tekst_module
from facilitatie.accounts.rollen import kan_sessie_bekijken, leidt_sessie
from facilitatie.fouten import Ongeldig
from facilitatie.leerkring import forms, lezen, panelen, regels, service, verslag
from facilitatie.leerkring.models import Soort
from facilitatie.sessies import werkruimte
from facilitatie.sessies.actie import Antwoord, Verzoek, klaar, sessie_actie, terug
from facilitatie.sessies.lezen import huidige_fase, sessie_voor
from facilitatie.sessies.models import Sessie, Status

bp = Blueprint("leerkring", __name__)

# Imported for their registrations: the werkruimte panels and the verslag's leerkring part.
__all__ = ["bp", "panelen", "verslag"]


@bp.app_template_filter("lk_markdown")
def _markdown(waarde: str | None) -> Markup:
    return tekst_module.render_markdown_markup(waarde or "")


@bp.app_template_filter("lk_getal")
def _getal(waarde: float | None) -> str:
    return regels.getal(waarde)


def _status(fout: Ongeldig) -> int:
    return 422 if isinstance(fout, service.PrivacyWaarschuwing) else 400


def _fout_staat(fout: Ongeldig, veld: str, **staat: Any) -> dict[str, Any]:
    if isinstance(fout, service.PrivacyWaarschuwing):
        return {**staat, "melding": fout.bericht}
    return {**staat, "fouten": {fout.veld or veld: fout.bericht}}


def _deelnemer_opnieuw(v: Verzoek, template: str, context: dict[str, Any], status: int, staat: dict) -> Antwoord:
    """A refused deelnemer form: the fragment again (htmx), or the whole page with it (no JavaScript)."""
    if request.htmx:
        return render_template(template, sessie=v.sessie, ik=v.ik, **context), status
    html = werkruimte.deelnemer_pagina(v.sessie, v.deelnemer, staat={panelen.GEBIED: staat}, fout=status >= 400)
    return html, status


def _niet_in_fase(v: Verzoek, fout: Ongeldig) -> Antwoord:
    """Refused before a form could be shown again (the fase moved on): say so where the person is."""
    if request.htmx:
        return render_template("leerkring/_melding.html", bericht=fout.bericht), _status(fout)
    flash(fout.bericht, "error")
    return terug(v)


# --------------------------------------------------------------------------- deelnemers


@bp.post("/s/<code>/leerkring/<any(vraag, reflectie):soort>")
@sessie_actie(bij_fout=_niet_in_fase, wie="deelnemer")
def bijdrage(v: Verzoek, soort: str) -> Antwoord:
    """ "Vraag stellen" (casus fase) or "Reflectie delen" (reflectie fase), anonymous if wanted."""
    form = request.form
    fase = huidige_fase(v.sessie)
    try:
        service.plaats_bijdrage(
            v.sessie,
            v.deelnemer,
            soort=soort,
            tekst=form.get("tekst", ""),
            anoniem=forms.aangevinkt(form, "anoniem"),
            client_request_id=form.get("client_request_id"),
            bevestigd=forms.aangevinkt(form, "bevestigd"),
        )
    except Ongeldig as fout:
        if fase is None or panelen.SOORT_VAN_FASE.get(fase.soort) != soort or not v.sessie.is_live:
            return _niet_in_fase(v, fout)
        staat = _fout_staat(fout, "tekst", soort=soort, invoer=forms.invoer(form, "tekst", "anoniem"))
        context = panelen.bijdrage_form_context(v.sessie, fase, soort, staat)
        return _deelnemer_opnieuw(v, "leerkring/_bijdrage_form.html", context, _status(fout), staat)
    bericht = "Je vraag is gesteld." if soort == Soort.VRAAG else "Je reflectie is gedeeld."
    if request.htmx:
        context = panelen.bijdrage_form_context(v.sessie, fase, soort, {"soort": soort, "gelukt": bericht})
        return render_template("leerkring/_bijdrage_form.html", sessie=v.sessie, **context)
    return klaar(v, bericht)


@bp.post("/s/<code>/leerkring/evaluatie")
@sessie_actie(bij_fout=_niet_in_fase, wie="deelnemer")
def evaluatie(v: Verzoek) -> Antwoord:
    """ "Evaluatie geven": a cijfer from 1 to 5 and one word; given again, it replaces the first."""
    form = request.form
    fase = huidige_fase(v.sessie)
    try:
        service.evalueer(v.sessie, v.deelnemer, cijfer=form.get("cijfer"), woord=form.get("woord"))
    except Ongeldig as fout:
        if fase is None or fase.soort != "evaluatie" or not v.sessie.is_live:
            return _niet_in_fase(v, fout)
        staat = _fout_staat(fout, "cijfer", invoer=forms.invoer(form, "cijfer", "woord"))
        context = panelen.evaluatie_form_context(v.sessie, fase, v.ik, staat)
        return _deelnemer_opnieuw(v, "leerkring/_evaluatie_form.html", context, _status(fout), staat)
    bericht = "Dank je wel, je evaluatie is opgeslagen. Je kunt haar nog aanpassen."
    if request.htmx:
        context = panelen.evaluatie_form_context(v.sessie, fase, v.ik, {"gelukt": bericht})
        return render_template("leerkring/_evaluatie_form.html", sessie=v.sessie, **context)
    return klaar(v, bericht)


@bp.post("/s/<code>/peiling")
@sessie_actie(bij_fout=_niet_in_fase, wie="deelnemer")
def peiling(v: Verzoek) -> Antwoord:
    """Answer the peiling of the current fase: a value on its scale or one word."""
    form = request.form
    fase = huidige_fase(v.sessie)
    try:
        service.beantwoord_peiling(
            v.sessie,
            v.deelnemer,
            waarde=form.get("waarde"),
            woord=form.get("woord"),
            team_id=forms.team_id(form),
        )
    except Ongeldig as fout:
        if fase is None or fase.soort != "peiling" or fase.peiling is None or not v.sessie.is_live:
            return _niet_in_fase(v, fout)
        staat = _fout_staat(fout, "waarde", invoer=forms.invoer(form, "waarde", "woord", "team"))
        context = panelen.peiling_form_context(v.sessie, fase, v.ik, staat)
        return _deelnemer_opnieuw(v, "leerkring/_peiling_form.html", context, _status(fout), staat)
    bericht = "Dank je wel, je antwoord is opgeslagen. Je kunt het nog aanpassen."
    if request.htmx:
        context = panelen.peiling_form_context(v.sessie, fase, v.ik, {"gelukt": bericht})
        return render_template("leerkring/_peiling_form.html", sessie=v.sessie, **context)
    return klaar(v, bericht)


# --------------------------------------------------------------------------- begeleider


def _sessie_om_te_leiden(sessie_id: int) -> Sessie:
    """The sessie, loaded and checked (its own begeleider) before any input is read."""
    return sessie_voor(current_user, sessie_id, leidt_sessie, "Alleen de begeleider van deze sessie kan dit doen.")


def _begeleider_opnieuw(sessie: Sessie, status: int, staat: dict[str, Any], bericht: str) -> tuple[str, int]:
    """The begeleider's page again with the refused form in its panel; said at the top when the
    panel is not on the page now (the fase moved on while the form was filled in)."""
    fase = huidige_fase(sessie)
    zichtbaar = (
        sessie.status == Status.CONCEPT or (fase is not None and fase.soort == "casus")
        if staat.get("form") == "casus"
        else sessie.is_live and fase is not None and fase.volgende_inbrenger
    )
    if not zichtbaar:
        flash(bericht, "error")
    html = werkruimte.begeleider_pagina(
        sessie, current_user, leidt=True, staat={panelen.GEBIED: staat}, fout=status >= 400
    )
    return html, status


def _naar_sessie(sessie: Sessie, anker: str) -> Response:
    return redirect(url_for("sessies.detail", sessie_id=sessie.id, _anchor=anker))


@bp.post("/sessies/<int:sessie_id>/leerkring/casus")
@login_required
def casus(sessie_id: int) -> Response | tuple[str, int]:
    """ "Casus opslaan": the inbrenger's question and context, and whether it goes in the verslag."""
    sessie = _sessie_om_te_leiden(sessie_id)
    form = request.form
    try:
        service.leg_casus_vast(
            sessie,
            current_user,
            inbrenger=form.get("inbrenger"),
            vraag=form.get("vraag", ""),
            context=form.get("context"),
            in_verslag=forms.aangevinkt(form, "in_verslag"),
            toch=forms.aangevinkt(form, "toch"),
        )
    except Ongeldig as fout:
        invoer = forms.invoer(form, "inbrenger", "vraag", "context")
        invoer["in_verslag"] = forms.aangevinkt(form, "in_verslag")
        staat = _fout_staat(fout, "vraag", form="casus", invoer=invoer)
        return _begeleider_opnieuw(sessie, _status(fout), staat, fout.bericht)
    flash("De casus is opgeslagen.", "ok")
    return _naar_sessie(sessie, "leerkring-casus-kop")


@bp.post("/sessies/<int:sessie_id>/leerkring/vooruitblik")
@login_required
def vooruitblik(sessie_id: int) -> Response | tuple[str, int]:
    """ "Volgende leerkring vastleggen": who brings in the next casus, and when."""
    sessie = _sessie_om_te_leiden(sessie_id)
    form = request.form
    try:
        service.leg_vooruitblik_vast(
            sessie, current_user, inbrenger=form.get("inbrenger", ""), datum=forms.datum(form.get("datum"))
        )
    except Ongeldig as fout:
        staat = _fout_staat(fout, "inbrenger", form="vooruitblik", invoer=forms.invoer(form, "inbrenger", "datum"))
        return _begeleider_opnieuw(sessie, _status(fout), staat, fout.bericht)
    flash("De volgende leerkring is vastgelegd.", "ok")
    return _naar_sessie(sessie, "leerkring-vooruitblik-kop")


@bp.post("/sessies/<int:sessie_id>/leerkring/bijdragen/<int:bijdrage_id>/verwijderen")
@login_required
def verwijderen(sessie_id: int, bijdrage_id: int) -> Response | tuple[str, int]:
    """Remove a vraag or reflectie (the begeleider of the sessie only)."""
    sessie = _sessie_om_te_leiden(sessie_id)
    try:
        service.verwijder_bijdrage(sessie, current_user, bijdrage_id)
    except Ongeldig:
        abort(404)
    flash("De bijdrage is verwijderd.", "ok")
    return redirect(url_for("sessies.detail", sessie_id=sessie.id))


# --------------------------------------------------------------------------- the leerkring page


@bp.get("/sessies/<int:sessie_id>/leerkring")
@login_required
def pagina(sessie_id: int) -> str:
    """The leerkring's results: evaluatie and peilingen of this sessie and their trend over the reeks."""
    sessie = sessie_voor(
        current_user, sessie_id, kan_sessie_bekijken, "Deze sessie hoort bij een andere begeleider of gemeente."
    )
    reeks, sessies = lezen.reeks_en_sessies(sessie)
    leidt = leidt_sessie(current_user, sessie)
    casus = lezen.casus_van(sessie)
    return render_template(
        "leerkring/pagina.html",
        sessie=sessie,
        reeks=reeks,
        leidt=leidt,
        # What is said about a casus stays in the kring: others see it only when the kring chose so.
        casus=casus if casus is not None and (leidt or casus.in_verslag) else None,
        casus_verborgen=casus is not None and not (leidt or casus.in_verslag),
        evaluatie=lezen.evaluatie_uitslag(sessie.id),
        peilingen=lezen.peilingen_van(sessie),
        vooruitblik=lezen.vooruitblik_van(sessie),
        evaluatie_trend=lezen.evaluatie_trend(sessies),
        peiling_trend=lezen.peiling_trend(sessies),
        aantal_deelnemers=lezen.aantal_deelnemers(sessie),
    )
