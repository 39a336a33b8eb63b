"""Sign in and out."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response

from facilitatie.accounts import inlogsessie, pogingen, service
from facilitatie.accounts.forms import LoginForm
from facilitatie.accounts.models import User
from facilitatie.accounts.rollen import Rol
from facilitatie.web_helpers import safe_next

bp = Blueprint("accounts", __name__)


def _home_for(user: User) -> str:
    """Where each role starts its work after signing in."""
    if user.rol in (Rol.BEGELEIDER, Rol.BEHEERDER):
        return url_for("sessies.lijst")
    if user.rol in (Rol.WETHOUDER, Rol.BELEIDSMEDEWERKER):
        return url_for("opvolging.dashboard")
    if user.rol == Rol.WIJKTEAMLID and user.team_id:
        return url_for("opvolging.terugkoppeling_team", team_id=user.team_id)
    return url_for("main.start")


@bp.route("/inloggen", methods=["GET", "POST"])
def inloggen() -> Response | tuple[str, int, dict[str, str]] | tuple[str, int] | str:
    """Sign in with e-mail and password; failures are limited per address and account (pogingen.py)."""
    if current_user.is_authenticated:
        return redirect(_home_for(current_user))
    form = LoginForm()
    if form.validate_on_submit():
        email = form.email.data or ""
        if (weigering := pogingen.voor_poging(email, request.remote_addr)) is not None:
            form.wachtwoord.errors = [weigering.bericht]
            wacht = {"Retry-After": str(weigering.opnieuw_over)}
            return render_template("accounts/inloggen.html", form=form), 429, wacht
        user = service.authenticate(email, form.wachtwoord.data or "")
        pogingen.na_poging(email, request.remote_addr, gelukt=user is not None)
        if user is not None:
            login_user(user)
            inlogsessie.begin(user)  # stamps for ending it, and a new CSRF token
            flash(f"Welkom, {user.naam}.", "ok")
            return redirect(safe_next(request.args.get("next"), _home_for(user)))
        form.wachtwoord.errors = [
            "Dit e-mailadres en wachtwoord horen niet bij elkaar. Controleer ze en probeer opnieuw."
        ]
    status = 400 if request.method == "POST" else 200
    return render_template("accounts/inloggen.html", form=form), status


@bp.post("/uitloggen")
@login_required
def uitloggen() -> Response:
    """Sign out (POST, so a link cannot sign someone out): every copy of the session cookie ends."""
    service.uitloggen(current_user._get_current_object())
    logout_user()
    flash("Je bent uitgelogd.", "ok")
    return redirect(url_for("main.start"))
