"""Besluiten, acties with their append-only history, 'eerder gemeld' links, reeksen, API tokens, regelruimte."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Column, Date, Float, ForeignKey, Index, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from facilitatie.accounts.models import Gemeente, User
from facilitatie.extensions import db
from facilitatie.knelpunten.models import Knelpunt
from facilitatie.models_base import utcnow
from facilitatie.opvolging.regelruimte import KNEL_LABELS, OPLOSSER_LABELS
from facilitatie.opvolging.regels import BESLUIT_LABELS, STATUS_LABELS, Actiestatus, Besluitsoort
from facilitatie.sessies.models import Sessie
from facilitatie.verwachtingen.models import Verwachting


class Besluit(db.Model):
    """What happens to one knelpunt; one per knelpunt, changed in place (the latest counts).

    Every version is also added to BesluitHistorie, so an earlier besluit is never lost.
    """

    __table_args__ = (Index("ix_besluit_soort_besloten_op", "soort", "besloten_op"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    knelpunt_id: Mapped[int] = mapped_column(ForeignKey("knelpunt.id", ondelete="CASCADE"), unique=True)
    soort: Mapped[str] = mapped_column(String(20))
    reden: Mapped[str | None] = mapped_column(Text)
    doorverwezen_naar: Mapped[str | None] = mapped_column(String(200))
    toelichting: Mapped[str | None] = mapped_column(Text)
    thema_id: Mapped[int | None] = mapped_column(ForeignKey("thema.id", ondelete="SET NULL"))
    besloten_door_id: Mapped[int | None] = mapped_column(ForeignKey("gebruiker.id"))
    besloten_op: Mapped[datetime] = mapped_column(default=utcnow)

    knelpunt: Mapped[Knelpunt] = relationship()
    besloten_door: Mapped[User | None] = relationship()

    @property
    def label(self) -> str:
        return BESLUIT_LABELS.get(Besluitsoort(self.soort), self.soort)

    @property
    def uitleg(self) -> str:
        """The one text the wijkteam reads: reden, to whom, or how it was solved."""
        if self.soort == Besluitsoort.DOORVERWEZEN:
            return f"Doorverwezen naar {self.doorverwezen_naar}" + (f". {self.toelichting}" if self.toelichting else "")
        return self.reden or self.toelichting or ""


actie_knelpunt = Table(
    "actie_knelpunt",
    db.Model.metadata,
    Column("actie_id", ForeignKey("actie.id", ondelete="CASCADE"), primary_key=True),
    Column("knelpunt_id", ForeignKey("knelpunt.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Actie(db.Model):
    """A follow-up with one eigenaar (a person, or an afdeling with a contact person) and a streefdatum."""

    __table_args__ = (Index("ix_actie_gemeente_status_streefdatum", "gemeente_id", "status", "streefdatum"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    gemeente_id: Mapped[int] = mapped_column(ForeignKey("gemeente.id"))
    sessie_id: Mapped[int | None] = mapped_column(ForeignKey("sessie.id", ondelete="SET NULL"), index=True)
    # The verwachting (ambitieniveau) this actie follows up, from the verwachtingen area.
    verwachting_id: Mapped[int | None] = mapped_column(ForeignKey("verwachting.id", ondelete="SET NULL"), index=True)
    omschrijving: Mapped[str] = mapped_column(Text)
    eigenaar_id: Mapped[int | None] = mapped_column(ForeignKey("gebruiker.id"), index=True)
    afdeling: Mapped[str | None] = mapped_column(String(120))
    streefdatum: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default=Actiestatus.OPEN)
    toelichting: Mapped[str | None] = mapped_column(Text)
    aangemaakt_door_id: Mapped[int | None] = mapped_column(ForeignKey("gebruiker.id"))
    aangemaakt_op: Mapped[datetime] = mapped_column(default=utcnow)
    afgerond_op: Mapped[datetime | None] = mapped_column()
    bijgewerkt_op: Mapped[datetime] = mapped_column(default=utcnow)

    gemeente: Mapped[Gemeente] = relationship()
    sessie: Mapped[Sessie | None] = relationship()
    eigenaar: Mapped[User | None] = relationship(foreign_keys=[eigenaar_id])
    knelpunten: Mapped[list[Knelpunt]] = relationship(secondary=actie_knelpunt, order_by="Knelpunt.id")
    verwachting: Mapped[Verwachting | None] = relationship()
    historie: Mapped[list[ActieHistorie]] = relationship(
        back_populates="actie", order_by="ActieHistorie.id", passive_deletes="all"
    )

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(Actiestatus(self.status), self.status)

    @property
    def eigenaar_naam(self) -> str:
        """ "Afdeling Wmo (contact: Fatima)" or just the person's name."""
        naam = self.eigenaar.naam if self.eigenaar else ""
        if self.afdeling:
            return f"{self.afdeling} (contact: {naam})" if naam else self.afdeling
        return naam or "Geen eigenaar"


class BesluitHistorie(db.Model):
    """One version of a knelpunt's besluit, as it was recorded: who, when, what. Never updated.

    A row is added each time a besluit is recorded or changed (the newest row equals the
    besluit). Triggers (migration 0008_avg) refuse UPDATE; DELETE only happens with the
    knelpunt (deleting a sessie), because a besluit is about that one knelpunt.
    """

    __tablename__ = "besluit_historie"

    id: Mapped[int] = mapped_column(primary_key=True)
    knelpunt_id: Mapped[int] = mapped_column(ForeignKey("knelpunt.id", ondelete="CASCADE"), index=True)
    door_id: Mapped[int | None] = mapped_column(ForeignKey("gebruiker.id"))
    op: Mapped[datetime] = mapped_column(default=utcnow)
    soort: Mapped[str] = mapped_column(String(20))
    reden: Mapped[str | None] = mapped_column(Text)
    doorverwezen_naar: Mapped[str | None] = mapped_column(String(200))
    toelichting: Mapped[str | None] = mapped_column(Text)

    door: Mapped[User | None] = relationship()

    @property
    def label(self) -> str:
        return BESLUIT_LABELS.get(Besluitsoort(self.soort), self.soort)


class ActieHistorie(db.Model):
    """One change of an actie: who, when, which field, from, to, why. Never updated or deleted.

    The migration adds database triggers that refuse UPDATE and DELETE on this table, so
    not even a bug or a hand-written query can rewrite what was promised and when.
    """

    __tablename__ = "actie_historie"

    id: Mapped[int] = mapped_column(primary_key=True)
    actie_id: Mapped[int] = mapped_column(ForeignKey("actie.id"), index=True)
    door_id: Mapped[int | None] = mapped_column(ForeignKey("gebruiker.id"))
    op: Mapped[datetime] = mapped_column(default=utcnow)
    veld: Mapped[str] = mapped_column(String(30))
    van: Mapped[str | None] = mapped_column(String(200))
    naar: Mapped[str | None] = mapped_column(String(200))
    reden: Mapped[str | None] = mapped_column(Text)

    actie: Mapped[Actie] = relationship(back_populates="historie")
    door: Mapped[User | None] = relationship()


class EerderGemeld(db.Model):
    """A knelpunt recognised as a signal that came back: it links to the first time it was raised."""

    __tablename__ = "eerder_gemeld"
    __table_args__ = (UniqueConstraint("knelpunt_id", "eerder_id", name="uq_eerder_gemeld_knelpunt_eerder"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    knelpunt_id: Mapped[int] = mapped_column(ForeignKey("knelpunt.id", ondelete="CASCADE"))
    eerder_id: Mapped[int] = mapped_column(ForeignKey("knelpunt.id", ondelete="CASCADE"), index=True)
    score: Mapped[float | None] = mapped_column(Float)
    gekoppeld_door_id: Mapped[int | None] = mapped_column(ForeignKey("gebruiker.id"))
    gekoppeld_op: Mapped[datetime] = mapped_column(default=utcnow)

    knelpunt: Mapped[Knelpunt] = relationship(foreign_keys=[knelpunt_id])
    eerder: Mapped[Knelpunt] = relationship(foreign_keys=[eerder_id])


class Reeks(db.Model):
    """Sessies that belong together, e.g. a leerkring that meets every six weeks."""

    id: Mapped[int] = mapped_column(primary_key=True)
    gemeente_id: Mapped[int] = mapped_column(ForeignKey("gemeente.id"), index=True)
    naam: Mapped[str] = mapped_column(String(120))
    aangemaakt_op: Mapped[datetime] = mapped_column(default=utcnow)


sessie_reeks = Table(
    "sessie_reeks",
    db.Model.metadata,
    Column("sessie_id", ForeignKey("sessie.id", ondelete="CASCADE"), primary_key=True),
    Column("reeks_id", ForeignKey("reeks.id", ondelete="CASCADE"), nullable=False, index=True),
)


class ApiToken(db.Model):
    """A personal API token; only its sha256 is stored, the token itself is shown once.

    A token scoped to writing signalen is bound to one gemeente and still to its user: it stops
    working when the token is revoked or the user may no longer report for that gemeente.
    """

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("gebruiker.id", ondelete="CASCADE"), index=True)
    naam: Mapped[str] = mapped_column(String(80))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    aangemaakt_op: Mapped[datetime] = mapped_column(default=utcnow)
    laatst_gebruikt_op: Mapped[datetime | None] = mapped_column()
    ingetrokken_op: Mapped[datetime | None] = mapped_column()
    # What the token may do: 'lezen' (what its user may, through every endpoint) or
    # 'signalen:schrijven' (only POST /api/v1/knelpunten, for the one gemeente below).
    scope: Mapped[str] = mapped_column(String(40), default="lezen", server_default="lezen")
    gemeente_id: Mapped[int | None] = mapped_column(ForeignKey("gemeente.id", ondelete="CASCADE"), index=True)

    user: Mapped[User] = relationship()
    gemeente: Mapped[Gemeente | None] = relationship()


class DashboardStand(db.Model):
    """A stamp per gemeente that changes with every write its dashboard figures depend on.

    Database triggers (migration 0005) set a fresh random stamp whenever a knelpunt, besluit,
    actie, actie-knelpunt link or sessie status of the gemeente changes, by whatever path,
    so the computed figures can be reused until the stamp moves (dashboard_cache.cijfers). Random
    rather than counted: a rolled-back change can never make an old number come back.
    On PostgreSQL the stamp moves at commit (deferred triggers), once per writing transaction
    (`transactie` says which), so a transaction that has written must not reuse or keep
    figures (dashboard_cache._stempel checks).
    """

    __tablename__ = "dashboard_stand"

    gemeente_id: Mapped[int] = mapped_column(ForeignKey("gemeente.id", ondelete="CASCADE"), primary_key=True)
    stempel: Mapped[str] = mapped_column(String(32))
    transactie: Mapped[int | None] = mapped_column(BigInteger)


class DashboardVuil(db.Model):
    """A queue of what changed since the dashboard summary was last brought up to date.

    Database triggers (migration 0010) add a row for every insert, update or delete of a
    knelpunt or besluit ('k', knelpunt id), an actie or actie-knelpunt link ('a', actie id) or a
    sessie's status ('s', sessie id), by whatever path; '*' asks for a full rebuild (TRUNCATE).
    Migration 0017 adds a knelpunt's regelruimte ('k') and a team's werkmodel ('t', team id).
    opvolging.samenvatting folds the queue into DashboardCijfer and empties it.
    """

    __tablename__ = "dashboard_vuil"
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: Mapped[int] = mapped_column(primary_key=True)
    soort: Mapped[str] = mapped_column(String(1))
    ref_id: Mapped[int] = mapped_column()


class DashboardBijdrage(db.Model):
    """What one knelpunt ('k') or actie ('a') adds to the summary now (JSON), so a change can take it back."""

    __tablename__ = "dashboard_bijdrage"

    soort: Mapped[str] = mapped_column(String(1), primary_key=True)
    ref_id: Mapped[int] = mapped_column(primary_key=True)
    gegevens: Mapped[str] = mapped_column(Text)


class DashboardCijfer(db.Model):
    """One summary count of a gemeente's dashboard in one day, month, quarter or year (samenvatting.py says what)."""

    __tablename__ = "dashboard_cijfer"
    __table_args__ = (
        # The fine histogram rows of one klasse: read only for the klasse that holds a median.
        Index("ix_dashboard_cijfer_fijn", "gemeente_id", "maat", "dim", "sleutel", "klasse", "niveau", "begin"),
    )

    gemeente_id: Mapped[int] = mapped_column(ForeignKey("gemeente.id", ondelete="CASCADE"), primary_key=True)
    maat: Mapped[str] = mapped_column(String(3), primary_key=True)
    niveau: Mapped[str] = mapped_column(String(1), primary_key=True)
    begin: Mapped[date] = mapped_column(primary_key=True)
    dim: Mapped[str] = mapped_column(String(1), primary_key=True)
    sleutel: Mapped[str] = mapped_column(String(40), primary_key=True)
    klasse: Mapped[int] = mapped_column(primary_key=True)
    waarde: Mapped[int] = mapped_column(primary_key=True)
    aantal: Mapped[int] = mapped_column()


class Regelruimte(db.Model):
    """Where one knelpunt's knel sits and who can resolve it (regelruimte.KNEL_LABELS, OPLOSSER_LABELS).

    One per knelpunt, changed in place: a classification the dashboard and the verslag count,
    not a decision with a history. No author column, so nothing here can name anyone, also
    for an anonymous knelpunt (and nothing for the AVG inzage to list).
    """

    __tablename__ = "regelruimte"

    id: Mapped[int] = mapped_column(primary_key=True)
    knelpunt_id: Mapped[int] = mapped_column(ForeignKey("knelpunt.id", ondelete="CASCADE"), unique=True)
    knel: Mapped[str] = mapped_column(String(20))
    oplosser: Mapped[str] = mapped_column(String(20))
    vastgelegd_op: Mapped[datetime] = mapped_column(default=utcnow)

    knelpunt: Mapped[Knelpunt] = relationship()

    @property
    def knel_label(self) -> str:
        return KNEL_LABELS.get(self.knel, self.knel)

    @property
    def oplosser_label(self) -> str:
        return OPLOSSER_LABELS.get(self.oplosser, self.oplosser)


class GevondenRuimte(db.Model):
    """A besluit marked 'ruimte die er al was', published to every team of the gemeente.

    The register shows `omschrijving` (written for other teams) with the knelpunt's domein,
    wijkteam and regelruimte, never the knelpunt's own text or anyone's name: the knelpunt may
    be anonymous or about one inwoner. It lives as long as its knelpunt (and so its besluit).
    """

    __tablename__ = "gevonden_ruimte"

    id: Mapped[int] = mapped_column(primary_key=True)
    gemeente_id: Mapped[int] = mapped_column(ForeignKey("gemeente.id", ondelete="CASCADE"), index=True)
    knelpunt_id: Mapped[int] = mapped_column(ForeignKey("knelpunt.id", ondelete="CASCADE"), unique=True)
    omschrijving: Mapped[str] = mapped_column(Text)
    gepubliceerd_op: Mapped[datetime] = mapped_column(default=utcnow)

    knelpunt: Mapped[Knelpunt] = relationship()
