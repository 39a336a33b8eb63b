"""Knelpunten, the thema's they are bundled into, stemmen, reacties and moderation."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from facilitatie.accounts.models import Team, User
from facilitatie.extensions import db
from facilitatie.models_base import utcnow
from facilitatie.sessies.models import Deelnemer, Sessie

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

THEMA = "thema"
KNELPUNT = "knelpunt"

# Where a knelpunt came in: posted in a sessie, or as a signaal (facilitatie/signalen) from the
# start page, a team's meldlink, the API, or reopened after "is het opgelost?" was answered "nee".
BRON_SESSIE = "sessie"
BRON_SIGNAAL = "signaal"
BRON_MELDLINK = "meldlink"
BRON_API = "api"
BRON_HEROPEND = "heropend"
BRONNEN: tuple[str, ...] = (BRON_SESSIE, BRON_SIGNAAL, BRON_MELDLINK, BRON_API, BRON_HEROPEND)


class Thema(db.Model):
    """A group of knelpunten made while bundling."""

    id: Mapped[int] = mapped_column(primary_key=True)
    sessie_id: Mapped[int] = mapped_column(ForeignKey("sessie.id", ondelete="CASCADE"), index=True)
    naam: Mapped[str] = mapped_column(String(120))
    aangemaakt_op: Mapped[datetime] = mapped_column(default=utcnow)
    besproken_op: Mapped[datetime | None] = mapped_column()

    sessie: Mapped[Sessie] = relationship()
    knelpunten: Mapped[list[Knelpunt]] = relationship(back_populates="thema", order_by="Knelpunt.id")

    soort = THEMA

    @property
    def titel(self) -> str:
        return self.naam


class Knelpunt(db.Model):
    """An uitvoeringsknelpunt. When anoniem, no deelnemer is stored: the row cannot name its author.

    An anonymous author can still edit or withdraw the post through a secret kept in their
    browser; only its hash (`sleutel_hash`) is stored, and nothing links it to a deelnemer.
    """

    __table_args__ = (
        # A retried post (same client request id) finds the first one instead of a second row.
        UniqueConstraint("sessie_id", "client_request_id", name="uq_knelpunt_sessie_request"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sessie_id: Mapped[int] = mapped_column(ForeignKey("sessie.id", ondelete="CASCADE"), index=True)
    deelnemer_id: Mapped[int | None] = mapped_column(ForeignKey("deelnemer.id", ondelete="SET NULL"), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id"), index=True)
    thema_id: Mapped[int | None] = mapped_column(ForeignKey("thema.id", ondelete="SET NULL"), index=True)
    domein: Mapped[str] = mapped_column(String(40))
    tekst: Mapped[str] = mapped_column(Text)
    anoniem: Mapped[bool] = mapped_column(default=False)
    aangemaakt_op: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    client_request_id: Mapped[str | None] = mapped_column(String(64))
    sleutel_hash: Mapped[str | None] = mapped_column(String(64))
    onthuld: Mapped[bool] = mapped_column(default=True)
    verborgen: Mapped[bool] = mapped_column(default=False)  # hidden by the begeleider (moderation)
    besproken_op: Mapped[datetime | None] = mapped_column()
    bewerkt_op: Mapped[datetime | None] = mapped_column()
    bron: Mapped[str] = mapped_column(String(20), default=BRON_SESSIE, server_default=BRON_SESSIE)

    sessie: Mapped[Sessie] = relationship()
    deelnemer: Mapped[Deelnemer | None] = relationship()
    team: Mapped[Team | None] = relationship()
    thema: Mapped[Thema | None] = relationship(back_populates="knelpunten")

    soort = KNELPUNT

    @property
    def titel(self) -> str:
        eerste = self.tekst.strip().splitlines()[0] if self.tekst.strip() else ""
        return eerste if len(eerste) <= 80 else eerste[:79] + "…"


class KnelpuntInstellingen(db.Model):
    """Per-sessie settings and state of the knelpunten fasen: reveal, voting, dialoog, timer."""

    __tablename__ = "knelpunt_instellingen"

    sessie_id: Mapped[int] = mapped_column(ForeignKey("sessie.id", ondelete="CASCADE"), primary_key=True)
    verborgen_tot_onthulling: Mapped[bool] = mapped_column(default=False)
    stemmen_per_deelnemer: Mapped[int] = mapped_column(default=3)
    max_per_item: Mapped[int] = mapped_column(default=3)
    deelnemers_bundelen: Mapped[bool] = mapped_column(default=False)
    stemmen_op: Mapped[str] = mapped_column(String(20), default=THEMA)
    stemmen_gesloten: Mapped[bool] = mapped_column(default=False)
    scherm_soort: Mapped[str | None] = mapped_column(String(20))
    scherm_id: Mapped[int | None] = mapped_column()
    timer_eind: Mapped[datetime | None] = mapped_column()
    timer_rest: Mapped[int | None] = mapped_column()  # seconds left while paused
    timer_label: Mapped[str | None] = mapped_column(String(200))
    # The fase index the timer was started in: a timer belongs to its fase, not to the next ones.
    timer_fase: Mapped[int | None] = mapped_column()


class Stem(db.Model):
    """One dot. The unique slots make the limits hold in the database, whatever races happen.

    `plek` is the deelnemer's vote number (1..stemmen per deelnemer) and `n` the number of the
    vote on this item (1..max per item); both are chosen under the deelnemer's row lock.
    """

    __table_args__ = (
        UniqueConstraint("deelnemer_id", "plek", name="uq_stem_deelnemer_plek"),
        UniqueConstraint("deelnemer_id", "thema_id", "n", name="uq_stem_deelnemer_thema_n"),
        UniqueConstraint("deelnemer_id", "knelpunt_id", "n", name="uq_stem_deelnemer_knelpunt_n"),
        CheckConstraint("(thema_id IS NULL) != (knelpunt_id IS NULL)", name="een_item"),
        CheckConstraint("plek >= 1 AND n >= 1", name="positief"),
        # A retried stem (same client request id, e.g. sent again after the phone was offline)
        # finds the first one instead of counting twice. An index, so the table is not rebuilt.
        Index("uq_stem_sessie_request", "sessie_id", "client_request_id", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sessie_id: Mapped[int] = mapped_column(ForeignKey("sessie.id", ondelete="CASCADE"), index=True)
    deelnemer_id: Mapped[int] = mapped_column(ForeignKey("deelnemer.id", ondelete="CASCADE"))
    thema_id: Mapped[int | None] = mapped_column(ForeignKey("thema.id", ondelete="CASCADE"), index=True)
    knelpunt_id: Mapped[int | None] = mapped_column(ForeignKey("knelpunt.id", ondelete="CASCADE"), index=True)
    plek: Mapped[int] = mapped_column()
    n: Mapped[int] = mapped_column()
    client_request_id: Mapped[str | None] = mapped_column(String(64))
    aangemaakt_op: Mapped[datetime] = mapped_column(default=utcnow)


class Reactie(db.Model):
    """A response on a knelpunt or thema, marked beleid or uitvoering by the author's perspective."""

    __table_args__ = (
        UniqueConstraint("sessie_id", "client_request_id", name="uq_reactie_sessie_request"),
        CheckConstraint("(thema_id IS NULL) != (knelpunt_id IS NULL)", name="een_item"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sessie_id: Mapped[int] = mapped_column(ForeignKey("sessie.id", ondelete="CASCADE"), index=True)
    knelpunt_id: Mapped[int | None] = mapped_column(ForeignKey("knelpunt.id", ondelete="CASCADE"), index=True)
    thema_id: Mapped[int | None] = mapped_column(ForeignKey("thema.id", ondelete="CASCADE"), index=True)
    deelnemer_id: Mapped[int | None] = mapped_column(ForeignKey("deelnemer.id", ondelete="SET NULL"), index=True)
    perspectief: Mapped[str] = mapped_column(String(20))
    naam: Mapped[str | None] = mapped_column(String(120))
    tekst: Mapped[str] = mapped_column(Text)
    vooraf: Mapped[bool] = mapped_column(default=False)  # written before the meeting
    verborgen: Mapped[bool] = mapped_column(default=False)
    client_request_id: Mapped[str | None] = mapped_column(String(64))
    aangemaakt_op: Mapped[datetime] = mapped_column(default=utcnow)

    deelnemer: Mapped[Deelnemer | None] = relationship()


class Moderatie(db.Model):
    """Audit trail: who hid which knelpunt or reactie, when and why."""

    id: Mapped[int] = mapped_column(primary_key=True)
    sessie_id: Mapped[int] = mapped_column(ForeignKey("sessie.id", ondelete="CASCADE"), index=True)
    knelpunt_id: Mapped[int | None] = mapped_column(ForeignKey("knelpunt.id", ondelete="CASCADE"), index=True)
    reactie_id: Mapped[int | None] = mapped_column(ForeignKey("reactie.id", ondelete="CASCADE"), index=True)
    door_id: Mapped[int] = mapped_column(ForeignKey("gebruiker.id"))
    reden: Mapped[str] = mapped_column(Text)
    op: Mapped[datetime] = mapped_column(default=utcnow)

    door: Mapped[User] = relationship()
