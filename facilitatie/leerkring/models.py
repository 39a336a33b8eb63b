"""Leerkring content: the casus card, vragen and reflecties, the evaluatie, the next inbrenger, peilingen.

What is said about a casus stays in the kring: the casus card is left out of the verslag unless
the begeleider ticks `in_verslag` for the kring. An anonymous bijdrage stores no deelnemer at
all. Evaluaties and peiling answers keep the deelnemer only so each person answers once and can
change their answer; nobody is ever shown who answered what, and groups below three stay hidden.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from facilitatie.extensions import db
from facilitatie.models_base import utcnow
from facilitatie.sessies.models import Deelnemer

MAX_VRAAG = 500
MAX_CONTEXT = 3000
MAX_NAAM = 80
MAX_BIJDRAGE = 1000
MAX_WOORD = 30


class Soort:
    """What a deelnemer posts: a question to the inbrenger, or a reflection afterwards."""

    VRAAG = "vraag"
    REFLECTIE = "reflectie"


class Casus(db.Model):
    """The casus card of a leerkring: the inbrenger's question and its context."""

    __tablename__ = "leerkring_casus"

    sessie_id: Mapped[int] = mapped_column(ForeignKey("sessie.id", ondelete="CASCADE"), primary_key=True)
    inbrenger: Mapped[str | None] = mapped_column(String(MAX_NAAM))
    vraag: Mapped[str] = mapped_column(String(MAX_VRAAG))
    context: Mapped[str | None] = mapped_column(Text)
    # The kring's choice: False keeps the casus inside the kring and out of the verslag.
    in_verslag: Mapped[bool] = mapped_column(default=False, server_default=false())
    bijgewerkt_op: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Bijdrage(db.Model):
    """A vraag or reflectie posted by a deelnemer; anonymous ones keep no deelnemer."""

    __tablename__ = "leerkring_bijdrage"
    __table_args__ = (
        UniqueConstraint("sessie_id", "client_request_id", name="uq_leerkring_bijdrage_request"),
        CheckConstraint("soort IN ('vraag', 'reflectie')", name="soort"),
        CheckConstraint("NOT anoniem OR deelnemer_id IS NULL", name="anoniem_zonder_deelnemer"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sessie_id: Mapped[int] = mapped_column(ForeignKey("sessie.id", ondelete="CASCADE"), index=True)
    soort: Mapped[str] = mapped_column(String(20))
    tekst: Mapped[str] = mapped_column(Text)
    anoniem: Mapped[bool] = mapped_column(default=False)
    deelnemer_id: Mapped[int | None] = mapped_column(ForeignKey("deelnemer.id", ondelete="SET NULL"), index=True)
    client_request_id: Mapped[str | None] = mapped_column(String(64))
    aangemaakt_op: Mapped[datetime] = mapped_column(default=utcnow)

    deelnemer: Mapped[Deelnemer | None] = relationship()

    @property
    def afzender(self) -> str:
        """The name next to a bijdrage on the phones and the begeleider's page (never on the Scherm)."""
        if self.anoniem or self.deelnemer is None:
            return "Anoniem"
        return self.deelnemer.weergavenaam


class Evaluatie(db.Model):
    """One deelnemer's evaluatie of the kring: a 1–5 cijfer and one word."""

    __tablename__ = "leerkring_evaluatie"
    __table_args__ = (
        UniqueConstraint("sessie_id", "deelnemer_id", name="uq_leerkring_evaluatie_deelnemer"),
        CheckConstraint("cijfer BETWEEN 1 AND 5", name="cijfer"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sessie_id: Mapped[int] = mapped_column(ForeignKey("sessie.id", ondelete="CASCADE"), index=True)
    deelnemer_id: Mapped[int] = mapped_column(ForeignKey("deelnemer.id", ondelete="CASCADE"), index=True)
    cijfer: Mapped[int] = mapped_column()
    woord: Mapped[str | None] = mapped_column(String(MAX_WOORD))
    bijgewerkt_op: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Vooruitblik(db.Model):
    """Who brings in the next casus, and when the kring meets again."""

    __tablename__ = "leerkring_vooruitblik"

    sessie_id: Mapped[int] = mapped_column(ForeignKey("sessie.id", ondelete="CASCADE"), primary_key=True)
    inbrenger: Mapped[str] = mapped_column(String(MAX_NAAM))
    datum: Mapped[date | None] = mapped_column(Date)
    bijgewerkt_op: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class PeilingAntwoord(db.Model):
    """One answer to the peiling of one fase: a 1–5 waarde or one word, under a wijkteam if known."""

    __tablename__ = "peiling_antwoord"
    __table_args__ = (
        UniqueConstraint("sessie_id", "fase_key", "deelnemer_id", name="uq_peiling_antwoord_deelnemer"),
        CheckConstraint("waarde IS NULL OR (waarde BETWEEN 1 AND 5)", name="waarde"),
        CheckConstraint("(waarde IS NULL) <> (woord IS NULL)", name="waarde_of_woord"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sessie_id: Mapped[int] = mapped_column(ForeignKey("sessie.id", ondelete="CASCADE"), index=True)
    fase_key: Mapped[str] = mapped_column(String(80))
    deelnemer_id: Mapped[int] = mapped_column(ForeignKey("deelnemer.id", ondelete="CASCADE"), index=True)
    # The team the pulse is counted under in the trend; a fact about the answer, as on a knelpunt.
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id", ondelete="SET NULL"), index=True)
    waarde: Mapped[int | None] = mapped_column()
    woord: Mapped[str | None] = mapped_column(String(MAX_WOORD))
    bijgewerkt_op: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
