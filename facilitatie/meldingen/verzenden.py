"""Sending the outbox to the SMTP server (MAIL_*), exactly once across processes.

Every process may run `verstuur_wachtrij`; a mail is sent by the one that claims it. Claiming,
recording the outcome and the back-off are `facilitatie.bezorging`'s, the same code that sends
the webhook deliveries: a claim is one `UPDATE mail SET geclaimd_tot = nu + LEASE, geclaimd_door
= <me> WHERE id = … AND status = 'wachtrij' AND (geclaimd_tot IS NULL OR geclaimd_tot < nu)`; of
two concurrent updates the database lets one match. The claim is committed before any SMTP
traffic, no transaction stays open while the server answers, and the outcome is written back
only for a claim still held by this process.

A failure leaves the mail queued with its error and a back-off (1, 2, 4 … minutes); after
MAIL_MAX_POGINGEN attempts, or at once when the server refuses the recipient for good (5xx),
it is `mislukt`, shown to the beheerder, who can put it back. One gap remains, as with any
SMTP client: a process that dies after the server accepted a mail and before it wrote that
down sends it again once its claim expires (at least once rather than never).

Without MAIL_SERVER nothing is sent: mails wait in the queue, readable at /beheer/mail.
"""

from __future__ import annotations

import smtplib
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_mailman import EmailMultiAlternatives
from sqlalchemy import select

from facilitatie import bezorging
from facilitatie.extensions import db
from facilitatie.extensions import mail as mailer
from facilitatie.meldingen.models import Mail, Mailstatus
from facilitatie.meldingen.soorten import TERUGVAL_BASIS, TERUGVAL_MAXIMUM
from facilitatie.models_base import utcnow
from facilitatie.werk import eenheid

# How long a claim holds: well above one batch of MAIL_TIMEOUT-bounded SMTP conversations.
LEASE = timedelta(minutes=10)
PER_RONDE = 20
# A failed connection (not one refused recipient) is the server or its settings: /healthz says so.
VERBINDINGSFOUT = "Geen verbinding met de mailserver"
WACHTRIJ = bezorging.Wachtrij(
    Mail,
    wachtend=Mailstatus.WACHTRIJ,
    afgeleverd=Mailstatus.VERSTUURD,
    mislukt=Mailstatus.MISLUKT,
    volgende_poging="volgende_poging_op",
    bezet_tot="geclaimd_tot",
    bezet_door="geclaimd_door",
)


@dataclass(frozen=True)
class Bericht:
    """What the sender needs of one claimed mail, read before the transaction ends."""

    id: int
    aan: str
    onderwerp: str
    tekst: str
    html: str
    afmeldlink: str | None
    pogingen: int


@dataclass
class Ronde:
    verstuurd: int = 0
    uitgesteld: int = 0
    mislukt: int = 0


def mailserver_ingesteld() -> bool:
    """Whether MAIL_SERVER is set; without it mails stay in the outbox."""
    return bool(current_app.config.get("MAIL_SERVER"))


def claim(nu: datetime, door: str, aantal: int = PER_RONDE) -> tuple[list[Bericht], datetime]:
    """Claim up to `aantal` due mails for this sender (each by exactly one sender); with the lease."""
    ids, lease = bezorging.claim(WACHTRIJ, nu=nu, duur=LEASE, aantal=aantal, door=door)
    if not ids:
        return [], lease
    with eenheid():  # read what to send while the claim holds, then end the transaction
        berichten = [
            Bericht(m.id, m.aan, m.onderwerp, m.tekst, m.html, m.afmeldlink, m.pogingen)
            for m in db.session.scalars(
                select(Mail).where(Mail.id.in_(ids), Mail.geclaimd_door == door).order_by(Mail.id)
            )
        ]
    return berichten, lease


def _bericht(b: Bericht, verbinding: object) -> EmailMultiAlternatives:
    kop = {"Auto-Submitted": "auto-generated"}
    if b.afmeldlink:
        # RFC 2369 and RFC 8058: mail programs show an "afmelden" button that POSTs to the link.
        kop["List-Unsubscribe"] = f"<{b.afmeldlink}>"
        kop["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    bericht = EmailMultiAlternatives(
        subject=b.onderwerp,
        body=b.tekst,
        from_email=current_app.config.get("MAIL_DEFAULT_SENDER"),
        to=[b.aan],
        headers=kop,
        connection=verbinding,
    )
    bericht.attach_alternative(b.html, "text/html")
    return bericht


def _blijvend(fout: BaseException) -> bool:
    """The server refused this mail for good (unknown recipient, 5xx on the message), or the address
    cannot be written at all: retrying won't help."""
    if isinstance(fout, ValueError):
        return True
    if isinstance(fout, smtplib.SMTPRecipientsRefused):
        return all(500 <= code < 600 for code, _ in fout.recipients.values())
    return isinstance(fout, smtplib.SMTPDataError) and 500 <= fout.smtp_code < 600


def _terugval() -> bezorging.Terugval:
    """1, 2, 4 … minutes without jitter, at most 6 hours, MAIL_MAX_POGINGEN attempts in all."""
    return bezorging.Terugval(
        basis=TERUGVAL_BASIS,
        maximum=TERUGVAL_MAXIMUM,
        pogingen=int(current_app.config.get("MAIL_MAX_POGINGEN", 8)),
        spreiding=0,
    )


def _uitkomst(b: Bericht, door: str, lease: datetime, nu: datetime, fout: BaseException | str | None) -> str | None:
    """Write down what happened to one claimed mail (only while this sender still holds it)."""
    velden: dict[str, object] = {"laatste_poging_op": nu}
    if fout is None:
        velden.update(verstuurd_op=nu, fout=None)
    else:
        tekst = fout if isinstance(fout, str) else f"{type(fout).__name__}: {fout}"
        velden["fout"] = tekst[:2000]
    return bezorging.afronden(
        WACHTRIJ,
        b.id,
        lease,
        gelukt=fout is None,
        blijvend=fout is not None and not isinstance(fout, str) and _blijvend(fout),
        nu=nu,
        terugval=_terugval(),
        velden=velden,
        door=door,
    )


def verstuur_wachtrij(*, nu: datetime | None = None, door: str | None = None) -> Ronde:
    """Send what is due, one batch, over one SMTP connection; every outcome is written to its row."""
    ronde = Ronde()
    if not mailserver_ingesteld():
        return ronde
    nu = nu or utcnow()
    door = door or uuid.uuid4().hex
    berichten, lease = claim(nu, door)  # committed: no transaction stays open while the SMTP server answers
    if not berichten:
        return ronde
    verbinding = mailer.get_connection(fail_silently=False)
    try:
        verbinding.open()
    except (OSError, smtplib.SMTPException) as fout:
        tekst = f"{VERBINDINGSFOUT} {current_app.config.get('MAIL_SERVER')}:{current_app.config.get('MAIL_PORT')}: "
        tekst += f"{type(fout).__name__}: {fout}"
        for b in berichten:
            status = _uitkomst(b, door, lease, nu, tekst)
            ronde.mislukt += status == Mailstatus.MISLUKT
            ronde.uitgesteld += status == Mailstatus.WACHTRIJ
        return ronde
    try:
        for b in berichten:
            try:
                verbinding.send_messages([_bericht(b, verbinding)])
            except Exception as fout:  # noqa: BLE001 - whatever went wrong is written to the mail's row
                status = _uitkomst(b, door, lease, nu, fout)
                ronde.mislukt += status == Mailstatus.MISLUKT
                ronde.uitgesteld += status == Mailstatus.WACHTRIJ
            else:
                _uitkomst(b, door, lease, nu, None)
                ronde.verstuurd += 1
    finally:
        try:
            verbinding.close()
        except (OSError, smtplib.SMTPException):
            pass  # the mails are sent and written down; a rude goodbye changes nothing
    return ronde


def gezondheid() -> str | None:
    """For /healthz: a message when the last delivery attempt could not reach the mail server, else None."""
    if not mailserver_ingesteld():
        return None
    laatste = db.session.execute(
        select(Mail.status, Mail.fout)
        .where(Mail.laatste_poging_op.is_not(None))
        .order_by(Mail.laatste_poging_op.desc(), Mail.id.desc())
        .limit(1)
    ).first()
    if (
        laatste is None
        or laatste.status == Mailstatus.VERSTUURD
        or not (laatste.fout or "").startswith(VERBINDINGSFOUT)
    ):
        return None
    return f"mailserver onbereikbaar (MAIL_SERVER, MAIL_PORT): {laatste.fout}"[:500]
