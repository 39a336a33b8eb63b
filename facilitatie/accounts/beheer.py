"""The beheerder's simple pages for gemeenten, wijkteams and accounts."""

from __future__ import annotations

from functools import wraps
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.wrappers import Response

from facilitatie.accounts import logboek, service
from facilitatie.accounts.forms import GemeenteForm, TeamForm, UserForm
from facilitatie.accounts.models import Gemeente, Team, User
from facilitatie.accounts.perspectieven import label_van, perspectieven_van
from facilitatie.accounts.rollen import PERSPECTIEF_LABELS, beheert_account, beheert_gemeente, is_beheerder
from facilitatie.extensions import db
from facilitatie.fouten import Geweigerd, Ongeldig
from facilitatie.web_helpers import attach_error

bp = Blueprint("beheer", __name__, url_prefix="/beheer")


def beheerder_required(view: Any) -> Any:
    @wraps(view)
    @login_required
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not is_beheerder(current_user):
            raise Geweigerd("Alleen een beheerder kan gemeenten, wijkteams en accounts beheren.")
        return view(*args, **kwargs)

    return wrapped


def _gemeenten() -> list[Gemeente]:
    """Every gemeente, or only its own for a beheerder bound to one."""
    vraag = select(Gemeente).order_by(Gemeente.naam)
    if current_user.gemeente_id is not None:
        vraag = vraag.where(Gemeente.id == current_user.gemeente_id)
    return list(db.session.scalars(vraag))


def _beheerd_account(user_id: int) -> User:
    """The account, when this beheerder manages it (404 when none, 403 for another gemeente's)."""
    user = db.session.get(User, user_id) or abort(404)
    if not beheert_account(current_user, user):
        raise Geweigerd("Je beheert alleen de accounts van je eigen gemeente.")
    return user


def _perspectief_keuzes(gemeenten: list[Gemeente], huidig: str | None) -> list[tuple[str, str]]:
    """The built-in perspectives, then each gemeente's own (named after it when there are several)."""
    keuzes = [("", "Volgt uit de rol"), *PERSPECTIEF_LABELS.items()]
    for g in gemeenten:
        for p in perspectieven_van(g.id):
            if not p.vast:
                keuzes.append((p.sleutel, p.label if len(gemeenten) == 1 else f"{p.label} ({g.naam})"))
    if huidig and huidig not in {k for k, _ in keuzes}:
        keuzes.append((huidig, label_van(huidig)))  # deactivated since: still shown as the current one
    return keuzes


def _fill_choices(form: TeamForm | UserForm) -> None:
    gemeenten = _gemeenten()
    form.gemeente.choices = [(0, "Geen gemeente")] + [(g.id, g.naam) for g in gemeenten]
    if isinstance(form, UserForm):
        form.team.choices = [(0, "Geen wijkteam")] + [
            (t.id, f"{t.naam} ({g.naam})") for g in gemeenten for t in g.teams
        ]
        form.perspectief.choices = _perspectief_keuzes(gemeenten, form.perspectief.data)


def _overzicht(**forms: Any) -> str:
    gemeente_form = forms.get("gemeente_form") or GemeenteForm(prefix="g")
    team_form = forms.get("team_form") or TeamForm(prefix="t")
    _fill_choices(team_form)
    vraag = select(User).where(User.verwijderd_op.is_(None)).order_by(User.naam)
    if current_user.gemeente_id is not None:
        vraag = vraag.where(User.gemeente_id == current_user.gemeente_id)
    users = list(db.session.scalars(vraag))
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
            service.gemeente_toevoegen(form.naam.data or "")
            flash("Gemeente toegevoegd.", "ok")
            return redirect(url_for(".overzicht"))
        except Ongeldig as fout:
            attach_error(form, fout, "naam")
    return _overzicht(gemeente_form=form), 400


@bp.post("/teams")
@beheerder_required
def team_toevoegen() -> Response | tuple[str, int]:
    """Add a wijkteam to a gemeente."""
    form = TeamForm(prefix="t")
    _fill_choices(form)
    if form.validate_on_submit():
        gemeente = db.session.get(Gemeente, form.gemeente.data or 0)
        if gemeente is not None and not beheert_gemeente(current_user, gemeente.id):
            raise Geweigerd("Je beheert alleen de wijkteams van je eigen gemeente.")
        if gemeente is None:
            form.gemeente.errors = ["Kies de gemeente van dit wijkteam."]
        else:
            try:
                service.team_toevoegen(form.naam.data or "", gemeente, form.werkmodel.data or "")
                flash("Wijkteam toegevoegd.", "ok")
                return redirect(url_for(".overzicht"))
            except Ongeldig as fout:
                attach_error(form, fout, "naam")
    return _overzicht(team_form=form), 400


@bp.route("/gebruikers/nieuw", methods=["GET", "POST"])
@beheerder_required
def gebruiker_nieuw() -> Response | tuple[str, int] | str:
    """Create an account."""
    form = UserForm()
    _fill_choices(form)
    if form.validate_on_submit():
        try:
            service.gebruiker_toevoegen(
                door=current_user,
                email=form.email.data or "",
                naam=form.naam.data or "",
                rol=form.rol.data or "",
                password=form.wachtwoord.data or "",
                gemeente=db.session.get(Gemeente, form.gemeente.data or 0),
                team=db.session.get(Team, form.team.data or 0),
                perspectief=form.perspectief.data or None,
            )
            flash("Account aangemaakt.", "ok")
            return redirect(url_for(".overzicht"))
        except Ongeldig as fout:
            attach_error(form, fout if fout.veld != "password" else Ongeldig("wachtwoord", fout.bericht), "naam")
    status = 400 if request.method == "POST" else 200
    return render_template("accounts/gebruiker.html", form=form, user=None), status


@bp.route("/gebruikers/<int:user_id>", methods=["GET", "POST"])
@beheerder_required
def gebruiker(user_id: int) -> Response | tuple[str, int] | str:
    """Change an account's role, team or password, or deactivate it."""
    user = _beheerd_account(user_id)
    form = UserForm(obj=None if request.method == "POST" else _as_form_data(user))
    _fill_choices(form)
    if form.validate_on_submit() and _bijwerken(user, form):
        flash("Account bijgewerkt.", "ok")
        return redirect(url_for(".overzicht"))
    status = 400 if request.method == "POST" else 200
    return render_template("accounts/gebruiker.html", form=form, user=user), status


@bp.post("/gebruikers/<int:user_id>/actief")
@beheerder_required
def gebruiker_actief(user_id: int) -> Response:
    """Deactivate or reactivate an account (history keeps its name)."""
    user = _beheerd_account(user_id)
    if user.id == current_user.id:
        flash("Je kunt je eigen account niet uitschakelen.", "error")
        return redirect(url_for(".overzicht"))
    try:
        actief = service.actief_wisselen(user, door=current_user)
    except Ongeldig as fout:
        flash(fout.bericht, "error")
        return redirect(url_for(".overzicht"))
    flash("Account ingeschakeld." if actief else "Account uitgeschakeld.", "ok")
    return redirect(url_for(".overzicht"))


@bp.get("/logboek")
@beheerder_required
def logboek_lijst() -> str:
    """The beheerder's logboek: roles, passwords, activation, deletions and exports (newest first)."""
    pagina = request.args.get("pagina", 1, type=int) or 1
    rijen = logboek.lijst(current_user, pagina=min(max(pagina, 1), 10_000))
    return render_template("accounts/logboek.html", rijen=rijen, pagina=pagina, per_pagina=logboek.PER_PAGINA)


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


def _bijwerken(user: User, form: UserForm) -> bool:
    """Apply the form to the account; every refused field gets its message, all at once."""
    velden = {
        "email": form.email.data or "",
        "rol": form.rol.data or "",
        "perspectief": form.perspectief.data or "",
        "wachtwoord": form.wachtwoord.data or "",
    }
    gemeente = db.session.get(Gemeente, form.gemeente.data or 0)
    team = db.session.get(Team, form.team.data or 0)
    fouten = service.fouten_bij_bijwerken(user, gemeente=gemeente, team=team, **velden)
    for fout in fouten:
        getattr(form, fout.veld).errors = [fout.bericht]
    if fouten:
        return False
    service.gebruiker_bijwerken(
        user,
        door=current_user,
        naam=form.naam.data or "",
        gemeente=gemeente,
        team=team,
        **velden,
    )
    return True
