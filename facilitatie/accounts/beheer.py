"""The beheerder's simple pages for gemeenten, wijkteams and accounts."""

from __future__ import annotations

from functools import wraps
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.wrappers import Response

from facilitatie.accounts import service
from facilitatie.accounts.forms import GemeenteForm, TeamForm, UserForm
from facilitatie.accounts.models import Gemeente, Team, User
from facilitatie.accounts.rollen import PERSPECTIEF_VAN_ROL, Perspectief, Rol, is_beheerder
from facilitatie.extensions import db
from facilitatie.fouten import Geweigerd, Ongeldig
from facilitatie.web_helpers import attach_error
from facilitatie.werk import eenheid

bp = Blueprint("beheer", __name__, url_prefix="/beheer")


class _Afgewezen(Exception):
    """The form had errors: the unit of work rolls back what was already changed."""


def beheerder_required(view: Any) -> Any:
    @wraps(view)
    @login_required
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not is_beheerder(current_user):
            raise Geweigerd("Alleen een beheerder kan gemeenten, wijkteams en accounts beheren.")
        return view(*args, **kwargs)

    return wrapped


def _gemeenten() -> list[Gemeente]:
    return list(db.session.scalars(select(Gemeente).order_by(Gemeente.naam)))


def _fill_choices(form: TeamForm | UserForm) -> None:
    gemeenten = _gemeenten()
    form.gemeente.choices = [(0, "Geen gemeente")] + [(g.id, g.naam) for g in gemeenten]
    if isinstance(form, UserForm):
        form.team.choices = [(0, "Geen wijkteam")] + [
            (t.id, f"{t.naam} ({g.naam})") for g in gemeenten for t in g.teams
        ]


def _overzicht(**forms: Any) -> str:
    gemeente_form = forms.get("gemeente_form") or GemeenteForm(prefix="g")
    team_form = forms.get("team_form") or TeamForm(prefix="t")
    _fill_choices(team_form)
    users = list(db.session.scalars(select(User).order_by(User.naam)))
    return render_template(
        "accounts/beheer.html",
        gemeenten=_gemeenten(),
        users=users,
        gemeente_form=gemeente_form,
        team_form=team_form,
    )


@bp.get("/")
@beheerder_required
def overzicht() -> str:
    """Gemeenten, wijkteams and accounts on one page."""
    return _overzicht()


@bp.post("/gemeenten")
@beheerder_required
def gemeente_toevoegen() -> Response | tuple[str, int]:
    """Add a gemeente."""
    form = GemeenteForm(prefix="g")
    if form.validate_on_submit():
        try:
            with eenheid():
                service.create_gemeente(form.naam.data or "")
        except Ongeldig as fout:
            attach_error(form, fout, "naam")
        else:
            flash("Gemeente toegevoegd.", "ok")
            return redirect(url_for(".overzicht"))
    return _overzicht(gemeente_form=form), 400


@bp.post("/teams")
@beheerder_required
def team_toevoegen() -> Response | tuple[str, int]:
    """Add a wijkteam to a gemeente."""
    form = TeamForm(prefix="t")
    _fill_choices(form)
    if form.validate_on_submit():
        gemeente = db.session.get(Gemeente, form.gemeente.data or 0)
        if gemeente is None:
            form.gemeente.errors = ["Kies de gemeente van dit wijkteam."]
        else:
            try:
                with eenheid():
                    service.create_team(form.naam.data or "", gemeente, form.werkmodel.data or "")
            except Ongeldig as fout:
                attach_error(form, fout, "naam")
            else:
                flash("Wijkteam toegevoegd.", "ok")
                return redirect(url_for(".overzicht"))
    return _overzicht(team_form=form), 400


@bp.route("/gebruikers/nieuw", methods=["GET", "POST"])
@beheerder_required
def gebruiker_nieuw() -> Response | tuple[str, int] | str:
    """Create an account."""
    form = UserForm()
    _fill_choices(form)
    if form.validate_on_submit():
        try:
            with eenheid():
                service.create_user(
                    email=form.email.data or "",
                    naam=form.naam.data or "",
                    rol=form.rol.data or "",
                    password=form.wachtwoord.data or "",
                    gemeente=db.session.get(Gemeente, form.gemeente.data or 0),
                    team=db.session.get(Team, form.team.data or 0),
                    perspectief=form.perspectief.data or None,
                )
        except Ongeldig as fout:
            attach_error(form, fout if fout.veld != "password" else Ongeldig("wachtwoord", fout.bericht), "naam")
        else:
            flash("Account aangemaakt.", "ok")
            return redirect(url_for(".overzicht"))
    status = 400 if request.method == "POST" else 200
    return render_template("accounts/gebruiker.html", form=form, user=None), status


@bp.route("/gebruikers/<int:user_id>", methods=["GET", "POST"])
@beheerder_required
def gebruiker(user_id: int) -> Response | tuple[str, int] | str:
    """Change an account's role, team or password, or deactivate it."""
    user = db.session.get(User, user_id) or abort(404)
    form = UserForm(obj=None if request.method == "POST" else _as_form_data(user))
    _fill_choices(form)
    if form.validate_on_submit():
        try:
            with eenheid():
                if _update_user(user, form):
                    raise _Afgewezen
        except _Afgewezen:
            pass
        else:
            flash("Account bijgewerkt.", "ok")
            return redirect(url_for(".overzicht"))
    status = 400 if request.method == "POST" else 200
    return render_template("accounts/gebruiker.html", form=form, user=user), status


@bp.post("/gebruikers/<int:user_id>/actief")
@beheerder_required
def gebruiker_actief(user_id: int) -> Response:
    """Deactivate or reactivate an account (history keeps its name)."""
    user = db.session.get(User, user_id) or abort(404)
    if user.id == current_user.id:
        flash("Je kunt je eigen account niet uitschakelen.", "error")
        return redirect(url_for(".overzicht"))
    with eenheid():
        user.actief = not user.actief
        service.beeindig_sessies(user)  # a deactivated account's open sessions end now
    flash("Account ingeschakeld." if user.actief else "Account uitgeschakeld.", "ok")
    return redirect(url_for(".overzicht"))


class _FormData:
    def __init__(self, user: User) -> None:
        self.naam = user.naam
        self.email = user.email
        self.rol = user.rol
        self.perspectief = user.perspectief or ""
        self.gemeente = user.gemeente_id or 0
        self.team = user.team_id or 0
        self.wachtwoord = ""


def _as_form_data(user: User) -> _FormData:
    return _FormData(user)


def _update_user(user: User, form: UserForm) -> bool:
    errors = False
    if form.rol.data not in set(Rol):
        form.rol.errors = ["Kies een rol."]
        errors = True
    if form.perspectief.data and form.perspectief.data not in set(Perspectief):
        form.perspectief.errors = ["Kies een perspectief."]
        errors = True
    email = service.normalise_email(form.email.data or "")
    other = db.session.scalar(select(User).where(User.email == email, User.id != user.id))
    if other is not None:
        form.email.errors = ["Er bestaat al een account met dit e-mailadres."]
        errors = True
    if form.wachtwoord.data:
        try:
            service.set_password(user, form.wachtwoord.data)
        except Ongeldig as fout:
            form.wachtwoord.errors = [fout.bericht]
            errors = True
    if errors:
        return True
    team = db.session.get(Team, form.team.data or 0)
    rechten = (user.rol, user.gemeente_id, user.team_id)
    user.naam = (form.naam.data or "").strip()
    user.email = email
    user.rol = form.rol.data or user.rol
    user.perspectief = form.perspectief.data or PERSPECTIEF_VAN_ROL.get(user.rol)
    user.team = team
    user.gemeente = team.gemeente if team else db.session.get(Gemeente, form.gemeente.data or 0)
    if (user.rol, user.gemeente.id if user.gemeente else None, user.team.id if user.team else None) != rechten:
        service.beeindig_sessies(user)  # what the account may do changed: it signs in again
    return False
