"""Sessies, their deelnemers, and each sessie's append-only event log."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, ForeignKey, Index, String, Table, UniqueConstraint, false, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from facilitatie.accounts.models import Gemeente, Team, User
from facilitatie.extensions import db
from facilitatie.models_base import utcnow


class Status(StrEnum):
    CONCEPT = "concept"
    LIVE = "live"
    AFGESLOTEN = "afgesloten"
    # The gemeente's signalenbak (facilitatie/signalen): holds signalen until they are on an
    # agenda or get a besluit. Never listed, joined or led; every sessie page 404s for it.
    SIGNALEN = "signalen"


STATUS_LABELS: dict[str, str] = {
    Status.CONCEPT: "Concept",
    Status.LIVE: "Live",
    Status.AFGESLOTEN: "Afgesloten",
    Status.SIGNALEN: "Binnengekomen signalen",
}

sessie_team = Table(
    "sessie_team",
    db.Model.metadata,
    Column("sessie_id", ForeignKey("sessie.id", ondelete="CASCADE"), primary_key=True),
    Column("team_id", ForeignKey("team.id", ondelete="CASCADE"), primary_key=True),
)


class Sessie(db.Model):
    """One structured meeting, run from a sessievorm by its begeleider."""

    __table_args__ = (
        # A deelnamecode is unique among sessies that are not afgesloten: the database holds it.
        Index(
            "uq_sessie_open_deelnamecode",
            "deelnamecode",
            unique=True,
            sqlite_where=text("status != 'afgesloten'"),
            postgresql_where=text("status != 'afgesloten'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    titel: Mapped[str] = mapped_column(String(200))
    sessievorm: Mapped[str] = mapped_column(String(80))
    gemeente_id: Mapped[int] = mapped_column(ForeignKey("gemeente.id"), index=True)
    # None only for a gemeente's signalenbak (Status.SIGNALEN), which nobody leads.
    begeleider_id: Mapped[int | None] = mapped_column(ForeignKey("gebruiker.id"), index=True)
    deelnamecode: Mapped[str] = mapped_column(String(12))
    status: Mapped[str] = mapped_column(String(20), default=Status.CONCEPT)
    fase_index: Mapped[int | None] = mapped_column()
    naam_verplicht: Mapped[bool] = mapped_column(default=False)
    # A concept sessie the begeleider opened for inbreng vooraf: deelnemers can join early.
    inbreng_open: Mapped[bool] = mapped_column(default=False, server_default=false())
    laatste_seq: Mapped[int] = mapped_column(default=0)
    # Events up to here were wiped when text was removed (realtime.wis_tot): never replayed again.
    gewist_tot_seq: Mapped[int] = mapped_column(default=0, server_default=text("0"))
    aangemaakt_op: Mapped[datetime] = mapped_column(default=utcnow)
    gestart_op: Mapped[datetime | None] = mapped_column()
    fase_gestart_op: Mapped[datetime | None] = mapped_column()
    afgesloten_op: Mapped[datetime | None] = mapped_column()
    # When the bewaartermijn passed and its free text was removed (avg/opschonen.py).
    opgeschoond_op: Mapped[datetime | None] = mapped_column()

    gemeente: Mapped[Gemeente] = relationship()
    begeleider: Mapped[User | None] = relationship()
    teams: Mapped[list[Team]] = relationship(secondary=sessie_team, order_by="Team.naam")
    deelnemers: Mapped[list[Deelnemer]] = relationship(
        back_populates="sessie", order_by="Deelnemer.id", cascade="all, delete-orphan"
    )

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def is_live(self) -> bool:
        return self.status == Status.LIVE

    @property
    def is_signalenbak(self) -> bool:
        return self.status == Status.SIGNALEN


class Deelnemer(db.Model):
    """Someone taking part in one sessie, with or without an account."""

    id: Mapped[int] = mapped_column(primary_key=True)
    sessie_id: Mapped[int] = mapped_column(ForeignKey("sessie.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("gebruiker.id"), index=True)
    naam: Mapped[str | None] = mapped_column(String(80))
    perspectief: Mapped[str] = mapped_column(String(20))
    aangemaakt_op: Mapped[datetime] = mapped_column(default=utcnow)

    sessie: Mapped[Sessie] = relationship(back_populates="deelnemers")
    user: Mapped[User | None] = relationship()

    @property
    def weergavenaam(self) -> str:
        return self.naam or "Deelnemer zonder naam"


class SessieEvent(db.Model):
    """One accepted change, numbered gaplessly per sessie; never updated or deleted."""

    __tablename__ = "sessie_event"
    __table_args__ = (UniqueConstraint("sessie_id", "seq", name="uq_sessie_event_sessie_seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    sessie_id: Mapped[int] = mapped_column(ForeignKey("sessie.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column()
    type: Mapped[str] = mapped_column(String(60))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    aangemaakt_op: Mapped[datetime] = mapped_column(default=utcnow)


class Aanwezigheid(db.Model):
    """One connected socket (sid) following a sessie; shared by every server process via the database."""

    sid: Mapped[str] = mapped_column(String(64), primary_key=True)
    sessie_id: Mapped[int] = mapped_column(ForeignKey("sessie.id", ondelete="CASCADE"), index=True)
    deelnemer_id: Mapped[int | None] = mapped_column(ForeignKey("deelnemer.id", ondelete="CASCADE"))
    perspectief: Mapped[str | None] = mapped_column(String(20))
    verbonden_op: Mapped[datetime] = mapped_column(default=utcnow)
