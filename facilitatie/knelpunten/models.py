"""Knelpunten and the thema's they are bundled into."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from facilitatie.accounts.models import Team
from facilitatie.extensions import db
from facilitatie.models_base import utcnow
from facilitatie.sessies.models import Sessie

DOMEINEN: tuple[str, ...] = (
    "Wmo",
    "Jeugd",
    "Participatie / werk en inkomen",
    "Schulden",
    "Wonen",
    "Zorg en gezondheid",
    "Onderwijs",
    "Veiligheid",
    "Anders",
)


class Thema(db.Model):
    """A group of knelpunten made while bundling."""

    id: Mapped[int] = mapped_column(primary_key=True)
    sessie_id: Mapped[int] = mapped_column(ForeignKey("sessie.id", ondelete="CASCADE"), index=True)
    naam: Mapped[str] = mapped_column(String(120))
    aangemaakt_op: Mapped[datetime] = mapped_column(default=utcnow)

    sessie: Mapped[Sessie] = relationship()
    knelpunten: Mapped[list[Knelpunt]] = relationship(back_populates="thema", order_by="Knelpunt.id")


class Knelpunt(db.Model):
    """An uitvoeringsknelpunt. When anoniem, no deelnemer is stored: the row cannot name its author."""

    id: Mapped[int] = mapped_column(primary_key=True)
    sessie_id: Mapped[int] = mapped_column(ForeignKey("sessie.id", ondelete="CASCADE"), index=True)
    deelnemer_id: Mapped[int | None] = mapped_column(ForeignKey("deelnemer.id", ondelete="SET NULL"), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id"), index=True)
    thema_id: Mapped[int | None] = mapped_column(ForeignKey("thema.id", ondelete="SET NULL"), index=True)
    domein: Mapped[str] = mapped_column(String(40))
    tekst: Mapped[str] = mapped_column(Text)
    anoniem: Mapped[bool] = mapped_column(default=False)
    aangemaakt_op: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    sessie: Mapped[Sessie] = relationship()
    team: Mapped[Team | None] = relationship()
    thema: Mapped[Thema | None] = relationship(back_populates="knelpunten")
