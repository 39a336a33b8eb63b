"""The settings page of a gemeente's perspectives: add, rename, deactivate, delete.

For the beheerder and the begeleiders of that gemeente. Access is checked on the gemeente
(and the perspective's gemeente) before any form is read: someone else's gemeente is a 404.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.wrappers import Response

from facilitatie.accounts import perspectieven_beheer as beheer
from facilitatie.accounts.forms import PerspectiefForm, PerspectiefWijzigenForm
from facilitatie.accounts.models import Gemeente, GemeentePerspectief
from facilitatie.accounts.perspectieven import eigen_perspectieven, in_gebruik, perspectieven_van
from facilitatie.accounts.rollen import Rol, beheert_perspectieven
from facilitatie.extensions import db
from facilitatie.fouten import Geweigerd, Ongeldig
from facilitatie.web_helpers import attach_error

bp = Blueprint("perspectieven", __name__)


def _gemeente(gemeente_id: int) -> Gemeente:
    """The gemeente when this user manages its perspectives; 404 otherwise (its existence stays unknown)."""
    gemeente = db.session.get(Gemeente, gemeente_id)
    if gemeente is None or not beheert_perspectieven(current_user, gemeente.id):
        abort(404)
    return gemeente


def _perspectief(gemeente: Gemeente, perspectief_id: int) -> GemeentePerspectief:
    perspectief = db.session.get(GemeentePerspectief, perspectief_id)
    if perspectief is None or perspectief.gemeente_id != gemeente.id:
        abort(404)
    return perspectief


def _wijzig_form(p: GemeentePerspectief, formdata: bool = False) -> PerspectiefWijzigenForm:
    form = PerspectiefWijzigenForm(
        prefix=f"p{p.id}", formdata=None if not formdata else request.form, label=p.label, volgorde=str(p.volgorde)
    )
    form.label.label.text = f"Naam van ‘{p.label}’"
    form.volgorde.label.text = f"Volgorde van ‘{p.label}’"
    return form


def _pagina(
    gemeente: Gemeente,
    nieuw: PerspectiefForm | None = None,
    fout_bij: tuple[int, PerspectiefWijzigenForm] | None = None,
) -> str:
    eigen = eigen_perspectieven(gemeente.id)
    forms = {p.id: _wijzig_form(p) for p in eigen}
    fout_form = nieuw if nieuw is not None and nieuw.errors else None
    if fout_bij is not None:
        forms[fout_bij[0]] = fout_bij[1]
        fout_form = fout_bij[1]
    return render_template(
        "accounts/perspectieven.html",
        gemeente=gemeente,
        vaste=[p for p in perspectieven_van(gemeente.id) if p.vast],
        eigen=eigen,
        forms=forms,
        gebruikt={p.id: in_gebruik(p.sleutel) for p in eigen},
        nieuw=nieuw or PerspectiefForm(prefix="nieuw"),
        form=fout_form,  # base.html lists its errors at the top and marks the title
    )


@bp.get("/perspectieven")
@login_required
def overzicht() -> Response | str:
    """Straight to one's own gemeente; a beheerder of all gemeenten picks one."""
    if current_user.rol not in (Rol.BEHEERDER, Rol.BEGELEIDER):
        raise Geweigerd("Alleen een beheerder of begeleider stelt de perspectieven van een gemeente in.")
    if current_user.gemeente_id is not None:
        return redirect(url_for(".gemeente", gemeente_id=current_user.gemeente_id))
    if current_user.rol == Rol.BEGELEIDER:
        return render_template("accounts/perspectieven_kiezen.html", gemeenten=[])
    gemeenten = list(db.session.scalars(select(Gemeente).order_by(Gemeente.naam)))
    return render_template("accounts/perspectieven_kiezen.html", gemeenten=gemeenten)


@bp.get("/gemeenten/<int:gemeente_id>/perspectieven")
@login_required
def gemeente(gemeente_id: int) -> str:
    """The perspectives of one gemeente, with a form for each."""
    return _pagina(_gemeente(gemeente_id))


@bp.post("/gemeenten/<int:gemeente_id>/perspectieven")
@login_required
def toevoegen(gemeente_id: int) -> Response | tuple[str, int]:
    """Add a perspective."""
    g = _gemeente(gemeente_id)
    form = PerspectiefForm(prefix="nieuw")
    if form.validate_on_submit():
        try:
            p = beheer.toevoegen(g.id, form.label.data or "")
            flash(f"Perspectief ‘{p.label}’ toegevoegd.", "ok")
            return redirect(url_for(".gemeente", gemeente_id=g.id))
        except Ongeldig as fout:
            attach_error(form, fout, "label")
    return _pagina(g, nieuw=form), 400


@bp.post("/gemeenten/<int:gemeente_id>/perspectieven/<int:perspectief_id>")
@login_required
def wijzigen(gemeente_id: int, perspectief_id: int) -> Response | tuple[str, int]:
    """Rename a perspective or move it in the list."""
    g = _gemeente(gemeente_id)
    p = _perspectief(g, perspectief_id)
    form = _wijzig_form(p, formdata=True)
    if form.validate_on_submit():
        volgorde: int | None = None
        tekst = (form.volgorde.data or "").strip()
        if tekst and not (tekst.isascii() and tekst.isdigit() and len(tekst) <= 3):
            form.volgorde.errors = ["Vul een getal in, bijvoorbeeld 2."]
        else:
            volgorde = int(tekst) if tekst else None
            try:
                beheer.wijzigen(p, form.label.data or "", volgorde)
                flash("Perspectief bijgewerkt.", "ok")
                return redirect(url_for(".gemeente", gemeente_id=g.id))
            except Ongeldig as fout:
                attach_error(form, fout, "label")
    return _pagina(g, fout_bij=(p.id, form)), 400


@bp.post("/gemeenten/<int:gemeente_id>/perspectieven/<int:perspectief_id>/actief")
@login_required
def actief(gemeente_id: int, perspectief_id: int) -> Response | tuple[str, int]:
    """Deactivate a perspective (or switch it back on); CSRF is checked app-wide (CSRFProtect)."""
    g = _gemeente(gemeente_id)
    p = _perspectief(g, perspectief_id)
    waarde = request.form.get("actief")
    if waarde not in ("0", "1"):
        flash("Kies aan- of uitzetten.", "error")
        return _pagina(g), 400
    beheer.actief_zetten(p, waarde == "1")
    flash(
        f"‘{p.label}’ staat aan."
        if waarde == "1"
        else f"‘{p.label}’ staat uit: nieuwe deelnemers kiezen het niet meer.",
        "ok",
    )
    return redirect(url_for(".gemeente", gemeente_id=g.id))


@bp.post("/gemeenten/<int:gemeente_id>/perspectieven/<int:perspectief_id>/verwijderen")
@login_required
def verwijderen(gemeente_id: int, perspectief_id: int) -> Response | tuple[str, int]:
    """Delete a perspective nobody used; one in use is refused with the reason."""
    g = _gemeente(gemeente_id)
    p = _perspectief(g, perspectief_id)
    label = p.label
    try:
        beheer.verwijderen(p)
    except Ongeldig as fout:
        flash(fout.bericht, "error")
        return _pagina(g), 409
    flash(f"Perspectief ‘{label}’ verwijderd.", "ok")
    return redirect(url_for(".gemeente", gemeente_id=g.id))
