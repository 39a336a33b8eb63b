"""Verwachtingen, their beoordelingen per ronde, the rondes, thresholds and the agreed ambitie."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from facilitatie.accounts.models import Gemeente, User
from facilitatie.extensions import db
from facilitatie.models_base import utcnow
from facilitatie.sessies.models import Deelnemer, Sessie

MAX_TEKST = 300
MAX_BRON = 200
MAX_TOELICHTING = 2000


class Verwachting(db.Model):
    """A policy ambition placed on wijkteams, rated on wenselijk and haalbaar in a sessie."""

    id: Mapped[int] = mapped_column(primary_key=True)
    sessie_id: Mapped[int] = mapped_column(ForeignKey("sessie.id", ondelete="CASCADE"), index=True)
    # Kept next to the sessie so earlier verwachtingen of a gemeente can be found and copied.
    gemeente_id: Mapped[int] = mapped_column(ForeignKey("gemeente.id"), index=True)
    tekst: Mapped[str] = mapped_column(String(MAX_TEKST))
    bron: Mapped[str | None] = mapped_column(String(MAX_BRON))
    toelichting: Mapped[str | None] = mapped_column(Text)
    volgorde: Mapped[int] = mapped_column(default=0)
    # Proposed from a knelpunt during the dialoog; the knelpunt may later be removed.
    knelpunt_id: Mapped[int | None] = mapped_column(ForeignKey("knelpunt.id", ondelete="SET NULL"), index=True)
    # Taken over from a verwachting of an earlier sessie (to be rated again): the herkomst, and
    # the lijn, the id of the first verwachting of the line, shared by every copy so the trend
    # across sessies is one query. Plain numbers, no foreign keys: the line holds when an earlier
    # sessie is removed (AVG), and SQLite needs no rebuild of this much-referenced table. Readers
    # check that a herkomst is of the same gemeente and lijn (verloop.py).
    herkomst_id: Mapped[int | None] = mapped_column(index=True)
    lijn_id: Mapped[int | None] = mapped_column(index=True)
    aangemaakt_op: Mapped[datetime] = mapped_column(default=utcnow)

    sessie: Mapped[Sessie] = relationship()
    gemeente: Mapped[Gemeente] = relationship()
    ambitie: Mapped[Ambitie | None] = relationship(
        back_populates="verwachting", cascade="all, delete-orphan", uselist=False
    )

    @property
    def lijn(self) -> int:
        """The line this verwachting belongs to; a verwachting nobody copied starts its own."""
        return self.lijn_id or self.id


class Beoordeling(db.Model):
    """One deelnemer's answer on one verwachting in one ronde; never shown to anyone else."""

    __tablename__ = "verwachting_beoordeling"
    __table_args__ = (
        # One rating per deelnemer per verwachting per ronde, held by the database.
        UniqueConstraint("verwachting_id", "deelnemer_id", "ronde", name="uq_verwachting_beoordeling_per_ronde"),
        CheckConstraint("ronde IN (1, 2)", name="ronde"),
        CheckConstraint("wenselijk IS NULL OR (wenselijk BETWEEN 1 AND 5)", name="wenselijk"),
        CheckConstraint("haalbaar IS NULL OR (haalbaar BETWEEN 1 AND 5)", name="haalbaar"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    verwachting_id: Mapped[int] = mapped_column(ForeignKey("verwachting.id", ondelete="CASCADE"), index=True)
    deelnemer_id: Mapped[int] = mapped_column(ForeignKey("deelnemer.id", ondelete="CASCADE"), index=True)
    ronde: Mapped[int] = mapped_column()
    wenselijk: Mapped[int | None] = mapped_column()  # None = "Weet niet"
    haalbaar: Mapped[int | None] = mapped_column()
    # Copied at rating time, so the figures of a closed ronde never change afterwards.
    perspectief: Mapped[str] = mapped_column(String(20))
    bijgewerkt_op: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    verwachting: Mapped[Verwachting] = relationship()
    deelnemer: Mapped[Deelnemer] = relationship()


class Ronde(db.Model):
    """A rating ronde of a sessie: absent = not opened yet, open, or gesloten (results shown)."""

    __tablename__ = "verwachting_ronde"
    __table_args__ = (CheckConstraint("ronde IN (1, 2)", name="ronde"),)

    sessie_id: Mapped[int] = mapped_column(ForeignKey("sessie.id", ondelete="CASCADE"), primary_key=True)
    ronde: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    geopend_op: Mapped[datetime] = mapped_column(default=utcnow)
    gesloten_op: Mapped[datetime | None] = mapped_column()

    @property
    def is_open(self) -> bool:
        return self.gesloten_op is None


class Instellingen(db.Model):
    """Per-sessie thresholds for consensus and small-group protection (defaults when absent)."""

    __tablename__ = "verwachting_instelling"
    __table_args__ = (CheckConstraint("min_groep >= 3", name="min_groep"),)

    sessie_id: Mapped[int] = mapped_column(ForeignKey("sessie.id", ondelete="CASCADE"), primary_key=True)
    iqr_max: Mapped[float] = mapped_column(default=1.0)
    aandeel_min: Mapped[float] = mapped_column(default=0.7)
    min_groep: Mapped[int] = mapped_column(default=3)


class Uitkomst:
    """The outcomes of the bijgesteld ambitieniveau, in the words of the draaiboek."""

    HANDHAVEN = "handhaven"
    BIJSTELLEN = "bijstellen"
    ANDERS_ORGANISEREN = "anders_organiseren"
    LOSLATEN = "loslaten"


UITKOMST_LABELS: dict[str, str] = {
    Uitkomst.HANDHAVEN: "Handhaven",
    Uitkomst.BIJSTELLEN: "Bijstellen",
    Uitkomst.ANDERS_ORGANISEREN: "Anders organiseren",
    Uitkomst.LOSLATEN: "Loslaten",
}

# The words before migration 0016 (behouden, bijgesteld, losgelaten): an export, a JSON file or
# a row written before it still reads, with today's label.
OUDE_UITKOMSTEN: dict[str, str] = {
    "behouden": Uitkomst.HANDHAVEN,
    "bijgesteld": Uitkomst.BIJSTELLEN,
    "losgelaten": Uitkomst.LOSLATEN,
}


def uitkomst_van(waarde: str) -> str:
    """Today's stored value for an uitkomst, also when it is written in the old words."""
    return OUDE_UITKOMSTEN.get(waarde, waarde)


def uitkomst_label(waarde: str) -> str:
    """The label of an uitkomst, old words included; an unknown value is shown as it is."""
    return UITKOMST_LABELS.get(uitkomst_van(waarde), waarde)


class Ambitie(db.Model):
    """The bijgesteld ambitieniveau the group agreed on for one verwachting."""

    __tablename__ = "verwachting_ambitie"
    __table_args__ = (
        CheckConstraint("uitkomst IN ('handhaven', 'bijstellen', 'anders_organiseren', 'loslaten')", name="uitkomst"),
    )

    verwachting_id: Mapped[int] = mapped_column(ForeignKey("verwachting.id", ondelete="CASCADE"), primary_key=True)
    uitkomst: Mapped[str] = mapped_column(String(20))
    nieuwe_formulering: Mapped[str | None] = mapped_column(String(MAX_TEKST))
    toelichting: Mapped[str | None] = mapped_column(Text)
    vastgelegd_door_id: Mapped[int | None] = mapped_column(ForeignKey("gebruiker.id", ondelete="SET NULL"))
    vastgelegd_op: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    verwachting: Mapped[Verwachting] = relationship(back_populates="ambitie")
    vastgelegd_door: Mapped[User | None] = relationship()

    @property
    def uitkomst_label(self) -> str:
        return uitkomst_label(self.uitkomst)
