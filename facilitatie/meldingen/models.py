"""The outbox (one row per mail) and who wants which kind of mail."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from facilitatie.accounts.models import User
from facilitatie.extensions import db
from facilitatie.models_base import utcnow


class Mailstatus(StrEnum):
    WACHTRIJ = "wachtrij"
    VERSTUURD = "verstuurd"
    MISLUKT = "mislukt"


MAILSTATUS_LABELS: dict[str, str] = {
    Mailstatus.WACHTRIJ: "In de wachtrij",
    Mailstatus.VERSTUURD: "Verstuurd",
    Mailstatus.MISLUKT: "Mislukt",
}


class Mail(db.Model):
    """One mail in the outbox: rendered when queued (in the change's own transaction), sent later.

    A sender claims a row by setting `geclaimd_tot` (and its own `geclaimd_door`) with an UPDATE
    that only matches an unclaimed or expired row, so two processes never send the same mail.
    `sleutel` makes queueing idempotent: a reminder for one actie and streefdatum is queued once,
    whichever process runs the job and however often.
    """

    __table_args__ = (Index("ix_mail_status_volgende_poging_op", "status", "volgende_poging_op"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    soort: Mapped[str] = mapped_column(String(40))
    ontvanger_id: Mapped[int | None] = mapped_column(ForeignKey("gebruiker.id", ondelete="CASCADE"), index=True)
    # The recipient's gemeente, so a beheerder of one gemeente reads only its mails.
    gemeente_id: Mapped[int | None] = mapped_column(ForeignKey("gemeente.id", ondelete="CASCADE"), index=True)
    aan: Mapped[str] = mapped_column(String(254))
    onderwerp: Mapped[str] = mapped_column(String(200))
    tekst: Mapped[str] = mapped_column(Text)
    html: Mapped[str] = mapped_column(Text)
    afmeldlink: Mapped[str | None] = mapped_column(String(500))
    sleutel: Mapped[str | None] = mapped_column(String(120), unique=True)
    status: Mapped[str] = mapped_column(String(20), default=Mailstatus.WACHTRIJ)
    pogingen: Mapped[int] = mapped_column(default=0)
    volgende_poging_op: Mapped[datetime] = mapped_column(default=utcnow)
    geclaimd_tot: Mapped[datetime | None] = mapped_column()
    geclaimd_door: Mapped[str | None] = mapped_column(String(32))
    laatste_poging_op: Mapped[datetime | None] = mapped_column(index=True)
    fout: Mapped[str | None] = mapped_column(Text)
    aangemaakt_op: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    verstuurd_op: Mapped[datetime | None] = mapped_column()

    ontvanger: Mapped[User | None] = relationship()

    @property
    def status_label(self) -> str:
        return MAILSTATUS_LABELS.get(self.status, self.status)


class Meldingvoorkeur(db.Model):
    """One kind of mail one account asked for. Opt-in: no row, no mail."""

    __tablename__ = "meldingvoorkeur"

    user_id: Mapped[int] = mapped_column(ForeignKey("gebruiker.id", ondelete="CASCADE"), primary_key=True)
    soort: Mapped[str] = mapped_column(String(40), primary_key=True)
    aangezet_op: Mapped[datetime] = mapped_column(default=utcnow)
