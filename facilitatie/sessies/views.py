"""Sessie pages for begeleiders and deelnemers: parse, authorise, call the service, render."""

from __future__ import annotations

import functools
import io
from typing import Any

import segno
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from markupsafe import Markup
from sqlalchemy import inspect as sa_inspect
from sqlalchemy import select
from werkzeug.wrappers import Response

from facilitatie import adres
from facilitatie.accounts.models import Gemeente, Team
from facilitatie.accounts.perspectieven import keuzes_bij_deelnemen
from facilitatie.accounts.rollen import (
    PERSPECTIEF_VAN_ROL,
    kan_sessie_aanmaken,
    kan_sessie_bekijken,
    leidt_sessie,
    ziet_sessielijst,
)
from facilitatie.extensions import db
from facilitatie.fouten import Geweigerd, Ongeldig
from facilitatie.sessies import aanmaken, aanwezigheid, service, toegang
from facilitatie.sessies import werkruimte as panelen
from facilitatie.sessies.codes import normalise_code
from facilitatie.sessies.deelname import (
    current_deelnemer,
    onthoud_deelnemer,
    sessie_met_code,
    sessie_met_code_of_404,
)
from facilitatie.sessies.forms import DeelnemenForm, SessieForm
from facilitatie.sessies.lezen import (
    gemeenten_voor_sessie,
    inbreng_vooraf,
    sessie_voor,
    sessies_in_lijst,
    vorm_van,
    vormen,
)
from facilitatie.sessies.models import Sessie, Status
from facilitatie.web_helpers import attach_error

bp = Blueprint("sessies", __name__)


LEIDER_BERICHT = "Alleen de begeleider van deze sessie kan de fasen bedienen."


def _sessie_om_te_bekijken(sessie_id: int) -> Sessie:
    return sessie_voor(
        current_user, sessie_id, kan_sessie_bekijken, "Deze sessie hoort bij een andere begeleider of gemeente."
    )


def _sessie_om_te_leiden(sessie_id: int, bericht: str = LEIDER_BERICHT) -> Sessie:
    return sessie_voor(current_user, sessie_id, leidt_sessie, bericht)


def _require_creator() -> None:
    if not kan_sessie_aanmaken(current_user):
        raise Geweigerd("Alleen een begeleider kan sessies aanmaken en beheren.")


@bp.get("/sessies")
@login_required
def lijst() -> str:
    """The sessies this person works on: a begeleider's own, the gemeente's for beleid, newest first."""
    if not ziet_sessielijst(current_user):
        raise Geweigerd("Sessies zie je via de terugkoppeling van je wijkteam.")
    return render_template(
        "sessies/lijst.html",
        rijen=sessies_in_lijst(current_user),
        vormen=vormen(),
        maakt_sessies=kan_sessie_aanmaken(current_user),
    )


def _sessie_form() -> SessieForm:
    form = SessieForm()
    form.sessievorm.choices = [(slug, vorm.titel) for slug, vorm in vormen().items()]
    gemeenten = gemeenten_voor_sessie(current_user)
    if current_user.gemeente_id:
        form.teams.choices = [(t.id, t.naam) for t in gemeenten[0].teams] if gemeenten else []
    else:
        form.gemeente.choices = [(0, "Kies een gemeente"), *((g.id, g.naam) for g in gemeenten)]
        form.teams.choices = [(t.id, f"{t.naam} ({g.naam})") for g in gemeenten for t in g.teams]
    if request.method == "GET" and not form.sessievorm.data:
        form.sessievorm.data = next(iter(vormen()), None)
    return form


def _gekozen_gemeente(form: SessieForm) -> Gemeente | None:
    """The user's own gemeente, or the one chosen from those this user may make sessies for."""
    if current_user.gemeente_id:
        return current_user.gemeente
    return next((g for g in gemeenten_voor_sessie(current_user) if g.id == form.gemeente.data), None)


def _invoer() -> aanmaken.Invoer:
    """What the areas read: the query on GET (?reeks=…), the posted form on POST (the form posts to
    the same address, query included, and what was chosen in it counts)."""
    return request.form if request.method == "POST" else request.args


def _voorstellen() -> list[aanmaken.Voorstel]:
    """The areas' proposals for this request; an object of another gemeente ends it here (404)."""
    return [v for o in aanmaken.onderdelen() if (v := o.voorstel(current_user, _invoer())) is not None]


def _vul_voor(form: SessieForm, voorstellen: list[aanmaken.Voorstel]) -> None:
    """On GET: the sessie's own fields as the areas propose (the last sessie of a reeks)."""
    for voorstel in voorstellen:
        if voorstel.titel and not form.titel.data:
            form.titel.data = voorstel.titel
        if voorstel.sessievorm in vormen():
            form.sessievorm.data = voorstel.sessievorm
        keuzes = {waarde for waarde, _label in form.teams.choices}
        if voorstel.team_ids:
            form.teams.data = [t for t in voorstel.team_ids if t in keuzes]


def _onderdelen_html(fout: Ongeldig | None) -> list[Markup]:
    panelen_lijst = [p for o in aanmaken.onderdelen() if (p := o.velden(current_user, _invoer(), fout))]
    return panelen.render(panelen_lijst)


@bp.route("/sessies/nieuw", methods=["GET", "POST"])
@login_required
def nieuw() -> Response | tuple[str, int] | str:
    """Create a sessie from a sessievorm, with a preview of each vorm's fasen (and a reeks to continue)."""
    _require_creator()
    voorstellen = _voorstellen()
    form = _sessie_form()
    if request.method == "GET":
        _vul_voor(form, voorstellen)
    onderdeel_fout: Ongeldig | None = None
    if form.validate_on_submit():
        team_ids = form.teams.data or []
        teams = list(db.session.scalars(select(Team).where(Team.id.in_(team_ids)))) if team_ids else []
        if len(teams) != len(set(team_ids)):
            form.teams.errors = ["Kies alleen wijkteams uit de lijst."]
        else:
            try:
                sessie = service.create_sessie(
                    begeleider=current_user,
                    titel=form.titel.data or "",
                    vorm=form.sessievorm.data or "",
                    gemeente=_gekozen_gemeente(form),
                    teams=teams,
                    naam_verplicht=bool(form.naam_verplicht.data),
                    daarna=[
                        functools.partial(_na_aanmaken, o, current_user._get_current_object(), request.form)
                        for o in aanmaken.onderdelen()
                    ],
                )
                flash(
                    "Sessie aangemaakt. Klik op 'Sessie starten' als iedereen er is: "
                    "vanaf dan doen deelnemers mee met de deelnamecode of de QR-code.",
                    "ok",
                )
                return redirect(url_for(".detail", sessie_id=sessie.id))
            except Ongeldig as fout:
                if any(fout.veld in o.velden_namen for o in aanmaken.onderdelen()):
                    onderdeel_fout = fout
                else:
                    attach_error(form, fout, "titel")
    status = 400 if request.method == "POST" else 200
    return render_template(
        "sessies/nieuw.html",
        form=form,
        vormen=vormen(),
        max_titel=service.MAX_TITEL,
        zonder_gemeente=not current_user.gemeente_id and len(form.gemeente.choices) <= 1,
        onderdelen=_onderdelen_html(onderdeel_fout),
    ), status


def _na_aanmaken(onderdeel: aanmaken.Onderdeel, user: Any, invoer: aanmaken.Invoer, sessie: Sessie) -> None:
    onderdeel.na_aanmaken(sessie, user, invoer)


@bp.get("/sessies/<int:sessie_id>")
@login_required
def detail(sessie_id: int) -> str:
    """The begeleider's view: code, QR, fasen and controls; staff of the gemeente read along."""
    sessie = _sessie_om_te_bekijken(sessie_id)
    return panelen.begeleider_pagina(sessie, current_user, leidt=leidt_sessie(current_user, sessie))


@bp.get("/sessies/<int:sessie_id>/qr.svg")
@login_required
def qr(sessie_id: int) -> Response:
    """QR code (SVG) for /deelnemen?code=… at the address phones reach (facilitatie/adres.py)."""
    sessie = _sessie_om_te_bekijken(sessie_id)
    qr_code = segno.make(adres.buiten_url("sessies.deelnemen", code=sessie.deelnamecode), error="m")
    buffer = io.BytesIO()
    # A standalone SVG file (with xmlns): svg_inline() output cannot be drawn by an <img>.
    qr_code.save(buffer, kind="svg", scale=6, border=2, title=f"QR-code om deel te nemen aan {sessie.titel}")
    return Response(buffer.getvalue(), mimetype="image/svg+xml")


_ACTIES = {
    "starten": service.start,
    "volgende": service.volgende_fase,
    "vorige": service.vorige_fase,
    "afsluiten": service.afsluiten,
}


_GEDAAN = {
    "starten": "De sessie is gestart. Deelnemers kunnen nu meedoen met de deelnamecode.",
    "volgende": "Door naar de volgende fase.",
    "vorige": "Terug naar de vorige fase.",
    "afsluiten": "De sessie is afgesloten. Het verslag staat klaar.",
}


def _bediening_antwoord(sessie: Sessie, fout: str | None, gedaan: str | None) -> Response | tuple[str, int] | str:
    if request.htmx:
        html = render_template("sessies/_bediening.html", sessie=sessie, vorm=vorm_van(sessie), fout=fout)
        return (html, 409) if fout else html
    if fout or gedaan:
        flash(fout or gedaan or "", "error" if fout else "ok")
    return redirect(url_for(".detail", sessie_id=sessie.id))


@bp.post("/sessies/<int:sessie_id>/<any(starten, volgende, vorige, afsluiten):actie>")
@login_required
def bedienen(sessie_id: int, actie: str) -> Response | tuple[str, int] | str:
    """Start, move through the fasen, or close: only the sessie's own begeleider."""
    sessie = _sessie_om_te_leiden(sessie_id)
    try:
        _ACTIES[actie](sessie, current_user)
    except Ongeldig as exc:
        return _bediening_antwoord(sessie, exc.bericht, None)
    return _bediening_antwoord(sessie, None, _GEDAAN[actie])


@bp.post("/sessies/<int:sessie_id>/fase/<int:index>")
@login_required
def naar_fase(sessie_id: int, index: int) -> Response | str | tuple[str, int]:
    """Jump to a given fase (the begeleider's fase list)."""
    sessie = _sessie_om_te_leiden(sessie_id)
    try:
        service.ga_naar_fase(sessie, current_user, index)
    except Ongeldig as exc:
        return _bediening_antwoord(sessie, exc.bericht, None)
    return _bediening_antwoord(sessie, None, None)


def _join_form() -> DeelnemenForm:
    form = DeelnemenForm()
    if request.method == "GET" and request.args.get("code"):
        form.code.data = normalise_code(request.args["code"])
    return form


@bp.route("/deelnemen", methods=["GET", "POST"])
def deelnemen() -> Response | tuple[str, int, dict[str, str]] | tuple[str, int] | str:
    """Join a live sessie with its code; no account needed. Unknown codes are limited (toegang.py)."""
    form = _join_form()
    sessie = None
    if request.method == "GET" and form.code.data:
        # Step 1 (the code from the start page, a link or the QR) is checked right away, under
        # the same limit as a post, not only after the name and perspectief of step 2.
        if (weigering := toegang.voor_poging(form.code.data, request.remote_addr)) is not None:
            form.code.errors = [weigering.bericht]
            return _join_page(form), 429, {"Retry-After": str(weigering.opnieuw_over)}
        try:
            sessie = service.find_joinable(form.code.data)
        except Ongeldig as fout:
            toegang.na_mislukte_poging(form.code.data, request.remote_addr)
            attach_error(form, fout, "code")
            return _join_page(form), 404
        form.perspectief.choices = keuzes_bij_deelnemen(sessie.gemeente_id)
    if form.validate_on_submit():
        if (weigering := toegang.voor_poging(form.code.data or "", request.remote_addr)) is not None:
            form.code.errors = [weigering.bericht]
            return _join_page(form), 429, {"Retry-After": str(weigering.opnieuw_over)}
        try:
            sessie = service.find_joinable(form.code.data or "")
            sessie_id, code = sessie.id, sessie.deelnamecode
            # The choices of this sessie's gemeente, also when the page comes back with an error.
            form.perspectief.choices = keuzes_bij_deelnemen(sessie.gemeente_id)
            existing = current_deelnemer(sessie)
            if existing is not None:
                return redirect(url_for(".deelnemer", code=code))
            user = current_user if current_user.is_authenticated else None
            deelnemer = service.join(
                sessie,
                user=user,
                naam=form.naam.data or "",
                perspectief=form.perspectief.data or "",
                keuzes=form.perspectief.choices,
            )
            # No query after the commit (see onthoud_deelnemer): the id from the identity map.
            onthoud_deelnemer(sessie_id, sa_inspect(deelnemer).identity[0])
            aanwezigheid.ververs_begeleider(sessie_id)  # batched; a join is no fan-out
            return redirect(url_for(".deelnemer", code=code))
        except Ongeldig as fout:
            toegang.na_mislukte_poging(form.code.data or "", request.remote_addr)
            attach_error(form, fout, "code")
    return _join_page(form), 400 if request.method == "POST" else 200


def _join_page(form: DeelnemenForm) -> str:
    account_perspectief = None
    if current_user.is_authenticated:
        account_perspectief = current_user.perspectief or PERSPECTIEF_VAN_ROL.get(current_user.rol)
    return render_template(
        "sessies/deelnemen.html", form=form, account_perspectief=account_perspectief, max_naam=service.MAX_NAAM
    )


@bp.get("/sessies/<int:sessie_id>/weigeringen")
@login_required
def weigeringen(sessie_id: int) -> str:
    """The begeleider's notice of refused joins (polled by the sessie page)."""
    sessie = _sessie_om_te_leiden(sessie_id, "Alleen de begeleider van deze sessie ziet dit.")
    return render_template("sessies/_weigeringen.html", sessie=sessie, alleen_inhoud=True)


@bp.get("/s/<code>")
def deelnemer(code: str) -> Response | str:
    """The live sessie as a deelnemer sees it; only for deelnemers of this sessie."""
    sessie = sessie_met_code(code)
    if sessie is None:  # a mistyped address: the join form says what is wrong
        return redirect(url_for(".deelnemen", code=code[:32]))
    ik = current_deelnemer(sessie)
    if ik is None:
        if sessie.status == Status.LIVE or inbreng_vooraf(sessie):
            return redirect(url_for(".deelnemen", code=sessie.deelnamecode))
        raise Geweigerd("Je doet niet mee aan deze sessie.")
    return panelen.deelnemer_pagina(sessie, ik)


@bp.get("/s/<code>/werkruimte")
def werkruimte(code: str) -> str:
    """This deelnemer's tools for the current fase (reloaded when the fase changes)."""
    sessie = sessie_met_code_of_404(code)
    ik = current_deelnemer(sessie)
    if ik is None:
        raise Geweigerd("Je doet niet mee aan deze sessie.")
    return render_template(
        "sessies/_werkruimte.html", sessie=sessie, ik=ik, panelen=panelen.deelnemer_werkruimte(sessie, ik)
    )


@bp.get("/sessies/<int:sessie_id>/paneel")
@login_required
def paneel(sessie_id: int) -> str:
    """The begeleider's tools for the current fase (reloaded when the fase changes)."""
    sessie = _sessie_om_te_leiden(sessie_id, "Alleen de begeleider van deze sessie ziet dit paneel.")
    return render_template(
        "sessies/_paneel.html", sessie=sessie, panelen=panelen.begeleider_paneel(sessie, current_user)
    )


SCHERM_BERICHT = "Alleen de begeleider van deze sessie opent het scherm."


@bp.get("/sessies/<int:sessie_id>/scherm")
@login_required
def scherm(sessie_id: int) -> str:
    """The Scherm: the projector view of the sessie, live, without controls."""
    sessie = _sessie_om_te_leiden(sessie_id, SCHERM_BERICHT)
    return panelen.scherm_pagina(sessie)


@bp.get("/sessies/<int:sessie_id>/scherm/inhoud")
@login_required
def scherm_inhoud(sessie_id: int) -> str:
    """The Scherm's content, fetched again when the socket announces a change."""
    sessie = _sessie_om_te_leiden(sessie_id, SCHERM_BERICHT)
    return panelen.scherm_inhoud(sessie)
