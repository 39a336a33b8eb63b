"""AVG pages: delete a sessie or an account (a confirmation page, then a POST), download one account's data.

Every page checks who asks, on the object, before it reads any input.
"""

from __future__ import annotations

import json

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from facilitatie.accounts.models import User
from facilitatie.accounts.rollen import beheert_account, mag_sessie_verwijderen
from facilitatie.avg import lezen, service
from facilitatie.avg.forms import BevestigForm, LeegForm
from facilitatie.extensions import db
from facilitatie.fouten import Geweigerd, Ongeldig
from facilitatie.sessies.models import Sessie, Status

bp = Blueprint("avg", __name__)


def _sessie(sessie_id: int) -> Sessie:
    sessie = db.session.get(Sessie, sessie_id) or abort(404)
    if sessie.status == Status.SIGNALEN:  # a signalenbak is no sessie; its signalen follow the bewaartermijn
        abort(404)
    if not mag_sessie_verwijderen(current_user, sessie):
        raise Geweigerd("Alleen de begeleider van deze sessie of een beheerder kan haar verwijderen.")
    return sessie


def _account(user_id: int) -> User:
    account = db.session.get(User, user_id) or abort(404)
    if not beheert_account(current_user, account):
        raise Geweigerd("Alleen een beheerder van deze gemeente kan dit account beheren.")
    return account


@bp.route("/sessies/<int:sessie_id>/verwijderen", methods=["GET", "POST"])
@login_required
def sessie_verwijderen(sessie_id: int) -> Response | tuple[str, int] | str:
    """What deleting this sessie removes, and the POST that does it."""
    sessie = _sessie(sessie_id)
    form = BevestigForm()
    if form.validate_on_submit():
        try:
            aantal = service.sessie_verwijderen(sessie, current_user)
        except Ongeldig as fout:
            form.bevestigd.errors = [fout.bericht]
        else:
            flash(f"Sessie verwijderd, met {aantal} knelpunten.", "ok")
            return redirect(url_for("sessies.lijst"))
    status = 400 if form.is_submitted() else 200
    return render_template(
        "avg/sessie_verwijderen.html",
        sessie=sessie,
        form=form,
        tellingen=lezen.wat_verdwijnt(sessie),
        live=sessie.status == Status.LIVE,
    ), status


@bp.route("/beheer/gebruikers/<int:user_id>/verwijderen", methods=["GET", "POST"])
@login_required
def account_verwijderen(user_id: int) -> Response | tuple[str, int] | str:
    """What deleting this account does, and the POST that does it (beheerder of its gemeente)."""
    account = _account(user_id)
    form = BevestigForm()
    if form.validate_on_submit():
        try:
            service.account_verwijderen(account, current_user)
        except Ongeldig as fout:
            form.bevestigd.errors = [fout.bericht]
        else:
            flash("Account verwijderd.", "ok")
            return redirect(url_for("beheer.overzicht"))
    status = 400 if form.is_submitted() else 200
    return render_template("avg/account_verwijderen.html", account=account, form=form), status


def _download(account: User) -> Response:
    inhoud = json.dumps(lezen.gegevens_van(account), ensure_ascii=False, indent=2)
    return Response(
        inhoud,
        mimetype="application/json",
        headers={
            "Content-Disposition": f'attachment; filename="ontmoet-gegevens-account-{account.id}.json"',
            "Cache-Control": "no-store",
        },
    )


@bp.post("/beheer/gebruikers/<int:user_id>/gegevens")
@login_required
def gegevens_account(user_id: int) -> Response:
    """The beheerder downloads everything stored about one account (logged)."""
    account = _account(user_id)
    if not LeegForm().validate_on_submit():
        abort(400)
    service.export_vastleggen(account, current_user)
    return _download(account)


@bp.get("/account")
@login_required
def mijn_account() -> str:
    """The signed-in person's own account page: what is stored, and a download of it."""
    return render_template("avg/account.html", form=LeegForm())


@bp.post("/account/gegevens")
@login_required
def mijn_gegevens() -> Response:
    """The signed-in person downloads everything stored about their own account."""
    if not LeegForm().validate_on_submit():
        abort(400)
    return _download(current_user)
