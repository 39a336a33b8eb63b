"""Signalen pages (thin: load and check, parse, call the service, render).

/signalen/nieuw      a signed-in wijkteamlid (begeleider, beleid) reports a signaal without a code
/melden/<token>      anyone with a team's meldlink reports one, anonymous if they want
/signalen            the inbox "Binnengekomen signalen" of the user's gemeente
/signalen/meldlinks  the begeleider makes, renews and revokes the teams' meldlinks
/opgelost/<id>       a wijkteamlid answers "Is het opgelost?"
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import segno
from flask import Blueprint, Flask, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from facilitatie import adres
from facilitatie.accounts.models import Team
from facilitatie.accounts.rollen import Rol
from facilitatie.extensions import db
from facilitatie.fouten import Geweigerd, NietGevonden, Ongeldig
from facilitatie.knelpunten.invoer import PrivacyWaarschuwing
from facilitatie.knelpunten.models import DOMEINEN, Knelpunt
from facilitatie.opvolging import lezen as opvolging_lezen
from facilitatie.opvolging.forms import BesluitForm
from facilitatie.opvolging.regels import BESLUIT_LABELS
from facilitatie.sessies.lezen import MAX_ID
from facilitatie.sessies.models import Sessie
from facilitatie.signalen import lezen, service, toegang
from facilitatie.signalen.forms import AgendaForm, MeldlinkForm, OpgelostForm, SignaalForm
from facilitatie.signalen.models import ANTWOORD_LABELS, Meldlink
from facilitatie.tekst import MAX_KNELPUNT_LENGTE
from facilitatie.web_helpers import attach_error, safe_next

bp = Blueprint("signalen", __name__)

_NA_MELDEN = "ontmoet_signalen_na_melden"
NaMelden = Callable[[Knelpunt, "str | None"], Any]


def init_app(app: Flask, *, na_melden: NaMelden | None = None) -> None:
    """What create_app tells this area: how to issue and show the volglink of a signaal (volgen comes later)."""
    app.extensions[_NA_MELDEN] = na_melden


VERLOPEN = Ongeldig("tekst", "Het formulier is verlopen (beveiligingscontrole). Verstuur het nog eens.")


# --------------------------------------------------------------------------- melden


def _meldformulier(
    form: SignaalForm,
    *,
    status: int = 200,
    fout: Ongeldig | None = None,
    teams: list[Team],
    vast_team: Team | None,
    actie: str,
    token_pagina: bool,
) -> tuple[str, int]:
    fouten: dict[str, str] = {}
    melding = None
    if isinstance(fout, PrivacyWaarschuwing):
        melding = fout.bericht
    elif fout is not None:
        fouten[fout.veld] = fout.bericht
    return render_template(
        "signalen/melden.html",
        form=form,
        invoer=form.invoer() if request.method == "POST" else {},
        fouten=fouten,
        melding=melding,
        teams=teams,
        vast_team=vast_team,
        domeinen=DOMEINEN,
        actie=actie,
        token_pagina=token_pagina,
        rid=form.client_request_id.data or uuid.uuid4().hex,
        max_lengte=MAX_KNELPUNT_LENGTE,
    ), status


def _gemeld(
    knelpunt: Knelpunt, knelpunt_team: Team | None, client_request_id: str | None, token_pagina: bool
) -> tuple[str, int]:
    """The confirmation, with the melder's volglink ("Bewaar deze link"): the same one for a retry."""
    maak: NaMelden | None = current_app.extensions.get(_NA_MELDEN)
    return render_template(
        "signalen/gemeld.html",
        team=knelpunt_team,
        anoniem=knelpunt.anoniem,
        token_pagina=token_pagina,
        volglink=maak(knelpunt, client_request_id) if maak is not None else None,
    ), 201


@bp.route("/signalen/nieuw", methods=["GET", "POST"])
@login_required
def nieuw() -> tuple[str, int]:
    """ "Signaal melden" without a deelnamecode: it waits in the inbox until a sessie or a besluit."""
    gemeente_id = current_user.gemeente_id
    if gemeente_id is None or not lezen.mag_melden(current_user, gemeente_id):
        raise Geweigerd("Signalen melden kunnen wijkteamleden, begeleiders en beleidsmedewerkers van een gemeente.")
    vast_team = current_user.team if current_user.rol == Rol.WIJKTEAMLID and current_user.team else None
    teams = [] if vast_team else lezen.teams_van(gemeente_id)
    form = SignaalForm()
    opties = {"teams": teams, "vast_team": vast_team, "actie": url_for(".nieuw"), "token_pagina": False}
    if request.method == "GET":
        return _meldformulier(form, **opties)
    if not form.validate_on_submit():  # only a failed CSRF check gets here
        return _meldformulier(form, status=400, fout=VERLOPEN, **opties)
    if vast_team is not None:
        team_id = vast_team.id
    elif teams and not form.team_gekozen:
        return _meldformulier(
            form, status=400, fout=Ongeldig("team", "Kies het wijkteam, of 'Geen wijkteam'."), **opties
        )
    else:
        team_id = form.team_id
    try:
        knelpunt = service.melden(
            gemeente_id=gemeente_id,
            team_id=team_id,
            domein=form.domein.data or "",
            tekst=form.tekst.data or "",
            anoniem=bool(form.anoniem.data),
            bron="signaal",
            door=current_user,
            client_request_id=form.client_request_id.data,
            toch=bool(form.bevestigd.data),
        )
    except Ongeldig as fout:
        return _meldformulier(form, status=400, fout=fout, **opties)
    return _gemeld(knelpunt, knelpunt.team, form.client_request_id.data, token_pagina=False)


def _meldlink(token: str) -> Meldlink:
    link = lezen.meldlink_met_token(token)
    if link is None:
        raise NietGevonden("Deze meldlink bestaat niet.")
    return link


def _ingetrokken(link: Meldlink) -> tuple[str, int]:
    return render_template("signalen/ingetrokken.html", team=link.team), 410


@bp.route("/melden/<token>", methods=["GET", "POST"])
def melden(token: str) -> tuple[str, int] | tuple[str, int, dict[str, str]]:
    """A team's meldlink: report a signaal for that team without an account, anonymous if wanted."""
    link = _meldlink(token)
    if not link.actief:
        return _ingetrokken(link)
    team = link.team
    form = SignaalForm()
    opties = {"teams": [], "vast_team": team, "actie": url_for(".melden", token=token), "token_pagina": True}
    if request.method == "GET":
        return _meldformulier(form, **opties)
    if (weigering := toegang.weigering(link.token_hash, request.remote_addr)) is not None:
        html, _ = _meldformulier(form, fout=Ongeldig("tekst", weigering.bericht), **opties)
        return html, 429, {"Retry-After": str(weigering.opnieuw_over)}
    if not form.validate_on_submit():
        return _meldformulier(form, status=400, fout=VERLOPEN, **opties)
    toegang.tel(link.token_hash, request.remote_addr)
    try:
        # The team is the link's, whatever the form says: a link of one team posts for no other.
        knelpunt = service.melden(
            gemeente_id=team.gemeente_id,
            team_id=team.id,
            domein=form.domein.data or "",
            tekst=form.tekst.data or "",
            anoniem=bool(form.anoniem.data) or not (form.naam.data or "").strip(),
            bron="meldlink",
            door=None,
            client_request_id=form.client_request_id.data,
            toch=bool(form.bevestigd.data),
            naam=form.naam.data,
        )
    except Ongeldig as fout:
        return _meldformulier(form, status=400, fout=fout, **opties)
    return _gemeld(knelpunt, team, form.client_request_id.data, token_pagina=True)


# --------------------------------------------------------------------------- the inbox


def _inbox_gemeente() -> int:
    """The user's gemeente, checked before anything is read; another gemeente's inbox does not exist (404)."""
    gemeente_id = current_user.gemeente_id
    gevraagd = request.args.get("gemeente")
    if gevraagd is not None and gevraagd != str(gemeente_id):
        raise NietGevonden("Deze inbox bestaat niet.")
    if gemeente_id is None or not lezen.ziet_inbox(current_user, gemeente_id):
        raise Geweigerd("De binnengekomen signalen zijn voor begeleiders, beleidsmedewerkers en de wethouder.")
    return gemeente_id


def _inbox_pagina(
    gemeente_id: int,
    *,
    status: int = 200,
    agenda_form: AgendaForm | None = None,
    besluit: tuple[int, BesluitForm] | None = None,
) -> tuple[str, int]:
    team_filter = request.args.get("team", "")
    status_filter = request.args.get("status", "")
    team_id = int(team_filter) if team_filter.isdigit() and 0 < int(team_filter) <= MAX_ID else None
    status_keuze = status_filter if status_filter in lezen.STATUS_LABELS else None
    regels = lezen.inbox(gemeente_id, team_id=team_id, status=status_keuze)
    bak = lezen.signalenbak_van(gemeente_id)
    werkt = lezen.werkt_inbox(current_user, gemeente_id)
    return render_template(
        "signalen/inbox.html",
        regels=regels,
        teams=lezen.teams_van(gemeente_id),
        team_id=team_id,
        status_keuze=status_keuze,
        status_labels=lezen.STATUS_LABELS,
        concept_sessies=lezen.concept_sessies(gemeente_id) if werkt else [],
        werkt=werkt,
        agenda_form=agenda_form or AgendaForm(formdata=None),
        besluit_fout=besluit,
        nieuw_besluit=lambda: BesluitForm(formdata=None),
        besluit_labels=BESLUIT_LABELS,
        suggesties=opvolging_lezen.suggesties(bak) if (bak is not None and werkt) else {},
        bak=bak,
        vragen=lezen.vragen_over([r.knelpunt.id for r in regels]),
        antwoord_labels=ANTWOORD_LABELS,
    ), status


@bp.get("/signalen")
@login_required
def inbox() -> tuple[str, int]:
    """ "Binnengekomen signalen": new, on the agenda of a sessie, besloten; per team and status."""
    return _inbox_pagina(_inbox_gemeente())


@bp.post("/signalen/agenda")
@login_required
def agenda() -> Response | tuple[str, int]:
    """Put the chosen signalen on the agenda of a concept sessie: there they are inbreng vooraf."""
    gemeente_id = _inbox_gemeente()
    if not lezen.werkt_inbox(current_user, gemeente_id):
        raise Geweigerd("Alleen begeleiders en beleidsmedewerkers zetten signalen op de agenda.")
    form = AgendaForm()
    if not form.validate_on_submit():
        return _inbox_pagina(gemeente_id, status=400, agenda_form=form)
    sessie = db.session.get(Sessie, form.sessie_id) if form.sessie_id else None
    if sessie is not None and sessie.gemeente_id != gemeente_id:
        raise NietGevonden("Sessie niet gevonden.")
    signalen = [lezen.signaal_van(gemeente_id, i) for i in form.signaal_ids]
    try:
        if sessie is None:
            raise Ongeldig("sessie", "Kies de sessie op wier agenda de signalen komen.")
        service.op_agenda_zetten(signalen, sessie, current_user)
    except Ongeldig as fout:
        attach_error(form, fout, "signalen")
        return _inbox_pagina(gemeente_id, status=400, agenda_form=form)
    aantal = len(signalen)
    flash(
        f"{aantal} {'signaal staat' if aantal == 1 else 'signalen staan'} op de agenda van '{sessie.titel}'. "
        "Ze verschijnen daar als inbreng vooraf bij Knelpunten ophalen.",
        "ok",
    )
    return redirect(url_for(".inbox"))


@bp.post("/signalen/<int:knelpunt_id>/besluit")
@login_required
def besluit(knelpunt_id: int) -> Response | tuple[str, int]:
    """A besluit without a sessie (e.g. "Al opgelost"), by the same rules as in a sessie."""
    gemeente_id = _inbox_gemeente()
    knelpunt = lezen.signaal_van(gemeente_id, knelpunt_id)
    if not lezen.werkt_inbox(current_user, gemeente_id):
        raise Geweigerd("Alleen begeleiders en beleidsmedewerkers van deze gemeente leggen besluiten vast.")
    form = BesluitForm()
    try:
        if not form.validate_on_submit():
            raise Ongeldig("soort", "Het formulier is verlopen. Laad de pagina opnieuw en probeer het nog eens.")
        service.besluit_zonder_sessie(
            knelpunt,
            current_user,
            soort=form.soort.data or "",
            reden=form.reden.data or "",
            doorverwezen_naar=form.doorverwezen_naar.data or "",
            toelichting=form.toelichting.data or "",
            toch=form.toch.data,
        )
    except Ongeldig as fout:
        attach_error(form, fout, "soort")
        return _inbox_pagina(gemeente_id, status=400, besluit=(knelpunt.id, form))
    flash("Besluit vastgelegd.", "ok")
    return redirect(url_for(".inbox") + f"#signaal-{knelpunt.id}")


# --------------------------------------------------------------------------- meldlinks


def _meldlink_team(team_id: int) -> Team:
    """A team of the begeleider's own gemeente (404 for another gemeente's team)."""
    team = db.session.get(Team, team_id)
    if team is None or team.gemeente_id != current_user.gemeente_id:
        raise NietGevonden("Wijkteam niet gevonden.")
    if not lezen.beheert_meldlink(current_user, team):
        raise Geweigerd("Alleen een begeleider van deze gemeente beheert de meldlinks.")
    return team


def _meldlinks_pagina(status: int = 200, fout: str | None = None) -> tuple[str, int]:
    teams = lezen.teams_van(current_user.gemeente_id)
    return render_template(
        "signalen/meldlinks.html",
        teams=[(t, lezen.actieve_meldlink(t.id)) for t in teams],
        form=MeldlinkForm(formdata=None),
        fout=fout,
    ), status


@bp.get("/signalen/meldlinks")
@login_required
def meldlinks() -> tuple[str, int]:
    """Every wijkteam of the gemeente with its meldlink: in use since when, or none."""
    if current_user.rol != Rol.BEGELEIDER or current_user.gemeente_id is None:
        raise Geweigerd("Alleen een begeleider beheert de meldlinks van de wijkteams.")
    return _meldlinks_pagina()


@bp.post("/teams/<int:team_id>/meldlink")
@login_required
def meldlink_maken(team_id: int) -> tuple[str, int] | Response:
    """Make (or renew) the team's meldlink; the link and its QR code are shown this once."""
    team = _meldlink_team(team_id)
    if not MeldlinkForm().validate_on_submit():
        return _meldlinks_pagina(400, "Het formulier is verlopen. Laad de pagina opnieuw en probeer het nog eens.")
    token = service.meldlink_maken(team, current_user)
    link = adres.buiten_url("signalen.melden", token=token)
    qr = segno.make(link, error="m").svg_inline(scale=5, border=2, title=f"QR-code van de meldlink van {team.naam}")
    return render_template("signalen/meldlink_nieuw.html", team=team, link=link, qr=qr), 201


@bp.post("/teams/<int:team_id>/meldlink/intrekken")
@login_required
def meldlink_intrekken(team_id: int) -> Response | tuple[str, int]:
    """Revoke the team's meldlink: it stops working at once."""
    team = _meldlink_team(team_id)
    if not MeldlinkForm().validate_on_submit():
        return _meldlinks_pagina(400, "Het formulier is verlopen. Laad de pagina opnieuw en probeer het nog eens.")
    try:
        service.meldlink_intrekken(team, current_user)
    except Ongeldig as fout:
        return _meldlinks_pagina(400, fout.bericht)
    flash(f"De meldlink van {team.naam} is ingetrokken.", "ok")
    return redirect(url_for(".meldlinks"))


# --------------------------------------------------------------------------- is het opgelost?


def _vraag(vraag_id: int) -> Any:
    return lezen.vraag_voor(current_user, vraag_id)


@bp.route("/opgelost/<int:vraag_id>", methods=["GET", "POST"])
@login_required
def opgelost(vraag_id: int) -> Response | tuple[str, int]:
    """ "Is het opgelost?": ja, deels or nee; "nee" brings the knelpunt back as a new signaal."""
    vraag = _vraag(vraag_id)
    form = OpgelostForm().voor_vraag(vraag.id)
    terug = safe_next(form.next.data or request.args.get("next"), url_for("main.start"))
    if request.method == "GET":
        return render_template("signalen/opgelost.html", vraag=vraag, form=form, terug=terug), 200
    try:
        if not form.validate_on_submit():
            raise Ongeldig("antwoord", "Het formulier is verlopen. Laad de pagina opnieuw en probeer het nog eens.")
        service.opgelost_beantwoorden(
            vraag, form.antwoord.data or "", form.toelichting.data or "", current_user, toch=form.bevestigd.data
        )
    except Ongeldig as fout:
        attach_error(form, fout, "antwoord")
        return render_template("signalen/opgelost.html", vraag=vraag, form=form, terug=terug), 400
    if vraag.antwoord == "nee":
        flash("Dank je. Het knelpunt staat weer bij de binnengekomen signalen, voor de volgende sessie.", "ok")
    else:
        flash("Dank je voor je antwoord.", "ok")
    return redirect(terug)
