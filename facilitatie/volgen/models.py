"""The volglink table: which knelpunt a token opens, by the token's hash. Nothing names its holder."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from facilitatie.extensions import db
from facilitatie.models_base import utcnow


class Volglink(db.Model):
    """One issued volglink: the sha256 of its token and its knelpunt; no author, no address, no device.

    Deleted with its knelpunt (withdrawn, or its sessie deleted); a knelpunt hidden by moderation
    keeps the row, but the page refuses it (`lezen.knelpunt_bij_token`).
    """

    __tablename__ = "volglink"

    id: Mapped[int] = mapped_column(primary_key=True)
    knelpunt_id: Mapped[int] = mapped_column(ForeignKey("knelpunt.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    aangemaakt_op: Mapped[datetime] = mapped_column(default=utcnow)
