"""Meldingen per e-mail: the switches, afmelden without signing in, and the beheerder's outbox."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from facilitatie.accounts.models import User
from facilitatie.extensions import csrf, db
from facilitatie.fouten import Ongeldig
from facilitatie.meldingen import lezen, service
from facilitatie.meldingen.forms import KnopForm, VoorkeurenForm
from facilitatie.meldingen.models import MAILSTATUS_LABELS, Mailstatus
from facilitatie.meldingen.soorten import SOORT_LABELS, SOORT_UITLEG, soorten_voor
from facilitatie.web_helpers import attach_error

bp = Blueprint("meldingen", __name__)


@bp.route("/account/meldingen", methods=["GET", "POST"])
@login_required
def voorkeuren() -> str | tuple[str, int] | Response:
    """Meldingen per e-mail: which mails this account wants (opt-in, nothing is on by default)."""
    soorten = soorten_voor(current_user)
    form = VoorkeurenForm()
    form.soorten.choices = [(s.value, SOORT_LABELS[s]) for s in soorten]
    if request.method == "POST":
        try:
            gekozen = service.voorkeuren_opslaan(current_user, form.soorten.data or [])
        except Ongeldig as fout:
            attach_error(form, fout, "soorten")
        else:
            flash(
                "Je keuze is opgeslagen."
                if gekozen
                else "Je keuze is opgeslagen: je krijgt geen meldingen per e-mail.",
                "ok",
            )
            return redirect(url_for(".voorkeuren"))
    else:
        form.soorten.data = sorted(service.voorkeuren(current_user))
    pagina = render_template(
        "meldingen/voorkeuren.html",
        form=form,
        soorten=soorten,
        labels=SOORT_LABELS,
        uitleg=SOORT_UITLEG,
        mailserver=bool(current_app.config.get("MAIL_SERVER")),
    )
    return (pagina, 400) if form.errors else pagina


def _afmelder(token: str) -> tuple[User, str]:
    gelezen = service.lees_afmeldtoken(token)
    if gelezen is None:
        abort(404)
    user = db.session.get(User, gelezen[0])
    if user is None or user.verwijderd_op is not None:
        abort(404)
    return user, gelezen[1]


@bp.get("/meldingen/afmelden/<token>")
def afmelden(token: str) -> str:
    """The afmeldlink of a mail: asks for one click to confirm (a link preview must not unsubscribe)."""
    _user, soort = _afmelder(token)
    return render_template(
        "meldingen/afmelden.html", form=KnopForm(), token=token, label=SOORT_LABELS[soort], afgemeld=False
    )


# RFC 8058 one-click: a mail program POSTs "List-Unsubscribe=One-Click" to the link and cannot
# carry a CSRF token. The signed token in the path is itself the unguessable secret that a
# forged cross-site request would need, and it can only ever switch mail off for its own account.
@bp.post("/meldingen/afmelden/<token>")
@csrf.exempt
def afmelden_bevestigd(token: str) -> str:
    """Switch this kind of mail off for the token's account, without signing in."""
    user, soort = _afmelder(token)
    service.afmelden(user, soort)
    return render_template("meldingen/afmelden.html", form=None, token=token, label=SOORT_LABELS[soort], afgemeld=True)


@bp.get("/beheer/mail")
@login_required
def uitgaand() -> str:
    """The outbox for the beheerder: queued, sent and failed mails, newest first."""
    status = request.args.get("status") or None
    if status is not None and status not in set(Mailstatus):
        status = None
    return render_template(
        "meldingen/uitgaand.html",
        mails=lezen.mails(current_user, status),
        tellingen=lezen.tellingen(current_user),
        status=status,
        labels=MAILSTATUS_LABELS,
        mailserver=current_app.config.get("MAIL_SERVER"),
        per_pagina=lezen.PER_PAGINA,
    )


@bp.get("/beheer/mail/<int:mail_id>")
@login_required
def mail(mail_id: int) -> str:
    """One mail as it was (or will be) sent: recipient, subject, text, HTML, attempts and the last error."""
    return render_template(
        "meldingen/mail.html",
        mail=lezen.mail_voor(current_user, mail_id),
        form=KnopForm(),
        mailserver=current_app.config.get("MAIL_SERVER"),
    )


@bp.post("/beheer/mail/<int:mail_id>/opnieuw")
@login_required
def opnieuw(mail_id: int) -> Response | tuple[str, int]:
    """Put a failed mail back in the queue (after the beheerder fixed the address or the server)."""
    mail_ = lezen.mail_voor(current_user, mail_id)
    try:
        service.opnieuw_proberen(mail_)
    except Ongeldig as fout:
        return render_template(
            "meldingen/mail.html", mail=mail_, form=KnopForm(), fout_pagina=fout.bericht, mailserver=None
        ), 409
    flash("De mail staat weer in de wachtrij.", "ok")
    return redirect(url_for(".mail", mail_id=mail_id))
