"""Pages for a gemeente's webhooks: register one (its secret shown once), its delivery log, revoke.

For begeleiders and beheerders of the gemeente (api/rechten.py); a webhook of another gemeente
answers 404, before any input is read.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from facilitatie.api import rechten, webhooks
from facilitatie.api.forms import WebhookForm
from facilitatie.api.models import Webhook
from facilitatie.api.verzenden import AFLEVERING, GEBEURTENIS, HANDTEKENING, TIJDSTEMPEL
from facilitatie.fouten import Geweigerd, Ongeldig
from facilitatie.web_helpers import attach_error

bp = Blueprint("webhooks", __name__, url_prefix="/koppelingen/webhooks")

MAX_ID = 2**31 - 1
KOPPEN = {
    "handtekening": HANDTEKENING,
    "tijdstempel": TIJDSTEMPEL,
    "gebeurtenis": GEBEURTENIS,
    "aflevering": AFLEVERING,
}


def _mag_pagina() -> None:
    if not rechten.koppelt_iets(current_user) or not webhooks.gemeenten_voor(current_user):
        raise Geweigerd("Webhooks zijn voor begeleiders en beheerders van een gemeente.")


def _webhook(webhook_id: int) -> Webhook:
    if not 0 < webhook_id <= MAX_ID:
        abort(404)
    return webhooks.webhook_voor(current_user, webhook_id)


def _form() -> WebhookForm:
    form = WebhookForm()
    gemeenten = webhooks.gemeenten_voor(current_user)
    form.gemeente.choices = [(g.id, g.naam) for g in gemeenten]
    if form.gemeente.data is None and len(gemeenten) == 1 and not request.form.get("gemeente"):
        form.gemeente.data = gemeenten[0].id
    return form


def _lijst(form: WebhookForm, nieuw: tuple[Webhook, str] | None = None, status: int = 200) -> tuple[str, int]:
    gemeenten = webhooks.gemeenten_voor(current_user)
    per_gemeente = [(g, webhooks.actieve(g.id)) for g in gemeenten]
    return (
        render_template(
            "api/webhooks.html", form=form, per_gemeente=per_gemeente, nieuw=nieuw, koppen=KOPPEN, gemeenten=gemeenten
        ),
        status,
    )


@bp.get("")
@login_required
def lijst() -> tuple[str, int]:
    """The webhooks of the gemeenten this person manages, and the form to add one."""
    _mag_pagina()
    return _lijst(_form())


@bp.post("")
@login_required
def aanmaken() -> tuple[str, int] | Response:
    """Register a webhook; the page shows its secret once."""
    _mag_pagina()
    form = _form()
    gemeente_id = form.gemeente.data
    if gemeente_id is None or gemeente_id not in {g.id for g in webhooks.gemeenten_voor(current_user)}:
        form.gemeente.errors = ["Kies een gemeente uit de lijst."]
        return _lijst(form, status=400)
    try:
        nieuw = webhooks.maak(current_user, gemeente_id, form.naam.data or "", form.url.data or "")
    except Ongeldig as exc:
        attach_error(form, exc, "naam")
        return _lijst(form, status=400)
    return _lijst(_leeg_form(), nieuw=nieuw)


def _leeg_form() -> WebhookForm:
    form = WebhookForm(formdata=None)
    gemeenten = webhooks.gemeenten_voor(current_user)
    form.gemeente.choices = [(g.id, g.naam) for g in gemeenten]
    form.gemeente.data = gemeenten[0].id if len(gemeenten) == 1 else None
    return form


@bp.get("/<int:webhook_id>")
@login_required
def detail(webhook_id: int) -> str:
    """One webhook with its delivery log: status code, attempts, last error, next attempt."""
    return _detail(_webhook(webhook_id))


def _detail(webhook: Webhook, fout: str | None = None) -> str:
    return render_template(
        "api/webhook.html",
        webhook=webhook,
        afleveringen=webhooks.afleveringen(webhook),
        fout=fout,
        fout_pagina=bool(fout),
        koppen=KOPPEN,
    )


@bp.post("/<int:webhook_id>/intrekken")
@login_required
def intrekken(webhook_id: int) -> Response:
    """Revoke the webhook: nothing more is sent; what was waiting is marked failed."""
    webhook = _webhook(webhook_id)
    webhooks.intrekken(current_user, webhook)
    flash(f"Webhook '{webhook.naam}' ingetrokken. Er wordt niets meer heen gestuurd.", "ok")
    return redirect(url_for(".lijst"))


@bp.post("/<int:webhook_id>/afleveringen/<int:aflevering_id>/opnieuw")
@login_required
def opnieuw(webhook_id: int, aflevering_id: int) -> Response | tuple[str, int]:
    """Queue a failed delivery once more (same body, same delivery id)."""
    webhook = _webhook(webhook_id)
    if not 0 < aflevering_id <= MAX_ID:
        abort(404)
    aflevering = webhooks.aflevering_voor(webhook, aflevering_id)
    try:
        webhooks.opnieuw_proberen(current_user, aflevering)
    except Ongeldig as exc:
        return _detail(webhook, fout=exc.bericht), 400
    flash("De aflevering staat weer in de wachtrij.", "ok")
    return redirect(url_for(".detail", webhook_id=webhook.id))
