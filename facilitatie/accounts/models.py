"""Gemeenten, wijkteams and user accounts."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from facilitatie.extensions import db
from facilitatie.models_base import utcnow


class Werkmodel(StrEnum):
    TEAMMODEL = "teammodel"
    FRONT_BACKOFFICE = "front_backoffice"
    NETWERKMODEL = "netwerkmodel"


WERKMODEL_LABELS: dict[str, str] = {
    Werkmodel.TEAMMODEL: "Teammodel",
    Werkmodel.FRONT_BACKOFFICE: "Front-/backofficemodel",
    Werkmodel.NETWERKMODEL: "Netwerkmodel",
}


class Gemeente(db.Model):
    """A municipality; every sessie and every team belongs to one."""

    id: Mapped[int] = mapped_column(primary_key=True)
    naam: Mapped[str] = mapped_column(String(120), unique=True)
    teams: Mapped[list[Team]] = relationship(back_populates="gemeente", order_by="Team.naam")


class Team(db.Model):
    """A wijkteam (neighbourhood team) with its werkmodel."""

    __table_args__ = (UniqueConstraint("gemeente_id", "naam", name="uq_team_gemeente_naam"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    naam: Mapped[str] = mapped_column(String(120))
    werkmodel: Mapped[str] = mapped_column(String(20), default=Werkmodel.TEAMMODEL)
    gemeente_id: Mapped[int] = mapped_column(ForeignKey("gemeente.id"), index=True)
    gemeente: Mapped[Gemeente] = relationship(back_populates="teams")

    @property
    def werkmodel_label(self) -> str:
        return WERKMODEL_LABELS.get(self.werkmodel, self.werkmodel)


class User(UserMixin, db.Model):
    """An account; deelnemers of a live sessie need none."""

    __tablename__ = "gebruiker"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    naam: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    rol: Mapped[str] = mapped_column(String(20))
    perspectief: Mapped[str | None] = mapped_column(String(20))
    gemeente_id: Mapped[int | None] = mapped_column(ForeignKey("gemeente.id"), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id"), index=True)
    actief: Mapped[bool] = mapped_column(default=True)
    # Raised to end every signed-in session of this account (accounts/inlogsessie.py): at sign-out,
    # a new password, deactivation, or a change of role, gemeente or team.
    sessie_versie: Mapped[int] = mapped_column(default=0, server_default="0")
    aangemaakt_op: Mapped[datetime] = mapped_column(default=utcnow)
    # Set when a beheerder deleted the account: the row stays (history points at it), its
    # personal fields are gone and its name reads VERWIJDERD_ACCOUNT.
    verwijderd_op: Mapped[datetime | None] = mapped_column()

    gemeente: Mapped[Gemeente | None] = relationship()
    team: Mapped[Team | None] = relationship()

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.actief


VERWIJDERD_ACCOUNT = "Verwijderd account"


class Beheeractie(StrEnum):
    AANGEMAAKT = "account_aangemaakt"
    ROL = "rol_gewijzigd"
    WACHTWOORD = "wachtwoord_gereset"
    UITGESCHAKELD = "uitgeschakeld"
    INGESCHAKELD = "ingeschakeld"
    ACCOUNT_VERWIJDERD = "account_verwijderd"
    SESSIE_VERWIJDERD = "sessie_verwijderd"
    GEGEVENS_GEEXPORTEERD = "gegevens_geexporteerd"


BEHEERACTIE_LABELS: dict[str, str] = {
    Beheeractie.AANGEMAAKT: "Account aangemaakt",
    Beheeractie.ROL: "Rol gewijzigd",
    Beheeractie.WACHTWOORD: "Wachtwoord opnieuw ingesteld",
    Beheeractie.UITGESCHAKELD: "Account uitgeschakeld",
    Beheeractie.INGESCHAKELD: "Account ingeschakeld",
    Beheeractie.ACCOUNT_VERWIJDERD: "Account verwijderd",
    Beheeractie.SESSIE_VERWIJDERD: "Sessie verwijderd",
    Beheeractie.GEGEVENS_GEEXPORTEERD: "Gegevens van een account gedownload",
}


class BeheerLog(db.Model):
    """The beheerder's logboek: one row per sensitive action. Never updated or deleted.

    Triggers (migration 0008_avg) refuse UPDATE and DELETE. `onderwerp_id` is the account
    the action was about; a deleted account keeps its row, so the link stays valid and reads
    VERWIJDERD_ACCOUNT. `details` holds no free text from users, only what changed (roles).
    """

    __tablename__ = "beheer_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    op: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    door_id: Mapped[int | None] = mapped_column(ForeignKey("gebruiker.id"))
    onderwerp_id: Mapped[int | None] = mapped_column(ForeignKey("gebruiker.id"), index=True)
    # The gemeente the action concerned, so a beheerder of one gemeente reads only its part.
    gemeente_id: Mapped[int | None] = mapped_column(ForeignKey("gemeente.id"), index=True)
    actie: Mapped[str] = mapped_column(String(40))
    details: Mapped[str | None] = mapped_column(Text)

    door: Mapped[User | None] = relationship(foreign_keys=[door_id])
    onderwerp: Mapped[User | None] = relationship(foreign_keys=[onderwerp_id])

    @property
    def actie_label(self) -> str:
        return BEHEERACTIE_LABELS.get(self.actie, self.actie)


class GemeentePerspectief(db.Model):
    """A perspective a gemeente added beside beleid and uitvoering (partner, inwoner, ...).

    Beleid, uitvoering and anders are built in and have no row. `sleutel` is what
    Deelnemer.perspectief stores; it is unique over all gemeenten, so a label can be found
    from the stored key alone (accounts/perspectieven.py). A perspective in use is only
    ever deactivated: its key stays in the data and keeps its label.
    """

    __tablename__ = "perspectief"

    id: Mapped[int] = mapped_column(primary_key=True)
    gemeente_id: Mapped[int] = mapped_column(ForeignKey("gemeente.id"), index=True)
    sleutel: Mapped[str] = mapped_column(String(20), unique=True)
    label: Mapped[str] = mapped_column(String(80))
    volgorde: Mapped[int] = mapped_column(default=0)
    actief: Mapped[bool] = mapped_column(default=True)
    aangemaakt_op: Mapped[datetime] = mapped_column(default=utcnow)
