"""Webhooks of a gemeente and their deliveries (an outbox: see facilitatie/bezorging.py)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from facilitatie.accounts.models import Gemeente, User
from facilitatie.bezorging import WACHTEND
from facilitatie.extensions import db
from facilitatie.models_base import utcnow


class Webhook(db.Model):
    """A URL of another system that hears about besluiten and acties of one gemeente.

    `geheim` signs every delivery (HMAC-SHA256). It is shown once when made; it must be kept
    here in full because signing needs it (a hash would not do, unlike an API token).
    """

    __tablename__ = "webhook"

    id: Mapped[int] = mapped_column(primary_key=True)
    gemeente_id: Mapped[int] = mapped_column(ForeignKey("gemeente.id", ondelete="CASCADE"), index=True)
    naam: Mapped[str] = mapped_column(String(80))
    url: Mapped[str] = mapped_column(String(500))
    geheim: Mapped[str] = mapped_column(String(80))
    aangemaakt_door_id: Mapped[int | None] = mapped_column(ForeignKey("gebruiker.id", ondelete="SET NULL"))
    aangemaakt_op: Mapped[datetime] = mapped_column(default=utcnow)
    ingetrokken_op: Mapped[datetime | None] = mapped_column()

    gemeente: Mapped[Gemeente] = relationship()
    aangemaakt_door: Mapped[User | None] = relationship()


class WebhookAflevering(db.Model):
    """One event for one webhook: the exact body sent, and how sending it went.

    The body is fixed when the event happens (in the same transaction), so every retry sends
    the same bytes and the receiver can check the signature and recognise a repeat by `sleutel`.
    """

    __tablename__ = "webhook_aflevering"
    __table_args__ = (Index("ix_webhook_aflevering_status_volgende_poging", "status", "volgende_poging"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    webhook_id: Mapped[int] = mapped_column(ForeignKey("webhook.id", ondelete="CASCADE"), index=True)
    sleutel: Mapped[str] = mapped_column(String(36), unique=True)
    gebeurtenis: Mapped[str] = mapped_column(String(40))
    inhoud: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12), default=WACHTEND)
    pogingen: Mapped[int] = mapped_column(default=0)
    volgende_poging: Mapped[datetime] = mapped_column(default=utcnow)
    bezet_tot: Mapped[datetime | None] = mapped_column()
    statuscode: Mapped[int | None] = mapped_column()
    fout: Mapped[str | None] = mapped_column(String(300))
    aangemaakt_op: Mapped[datetime] = mapped_column(default=utcnow)
    laatste_poging_op: Mapped[datetime | None] = mapped_column()

    webhook: Mapped[Webhook] = relationship()
