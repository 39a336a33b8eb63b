"""Meldlinks of wijkteams and the "Is het opgelost?" questions put to a reporting team.

A signaal itself is a `Knelpunt` (bron signaal, meldlink, api or heropend) in its gemeente's
signalenbak, a `Sessie` with status `Status.SIGNALEN`: so every read that derives the gemeente
from `knelpunt.sessie` (dashboard, AVG, verslag, permissions) holds for signalen unchanged.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from facilitatie.accounts.models import Team
from facilitatie.extensions import db
from facilitatie.knelpunten.models import Knelpunt
from facilitatie.models_base import utcnow


class Meldlink(db.Model):
    """A wijkteam's link (and QR) to report signalen without an account; only its token's hash is kept.

    At most one is in use per team: renewing revokes the old one, so a link that leaked can be
    stopped. Nothing about who used it is stored (no count, no last use): a post through it may be
    anonymous.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    aangemaakt_op: Mapped[datetime] = mapped_column(default=utcnow)
    ingetrokken_op: Mapped[datetime | None] = mapped_column()

    team: Mapped[Team] = relationship()

    @property
    def actief(self) -> bool:
        return self.ingetrokken_op is None


class Aanleiding(StrEnum):
    ACTIE_AFGEROND = "actie_afgerond"
    AL_OPGELOST = "al_opgelost"


class Antwoord(StrEnum):
    JA = "ja"
    DEELS = "deels"
    NEE = "nee"


ANTWOORD_LABELS: dict[str, str] = {Antwoord.JA: "Ja", Antwoord.DEELS: "Deels", Antwoord.NEE: "Nee"}


class OpgelostVraag(db.Model):
    """ "Is het opgelost?", asked of the team that reported a knelpunt once its acties are afgerond
    or it got besluit "al opgelost". The answer is the team's: no person is stored with it.

    "Nee" reopens the knelpunt as a new signaal (`heropend_id`), linked here to the original so
    both show the history.
    """

    __tablename__ = "opgelost_vraag"

    id: Mapped[int] = mapped_column(primary_key=True)
    knelpunt_id: Mapped[int] = mapped_column(ForeignKey("knelpunt.id", ondelete="CASCADE"), index=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id", ondelete="CASCADE"), index=True)
    aanleiding: Mapped[str] = mapped_column(String(20))
    gevraagd_op: Mapped[datetime] = mapped_column(default=utcnow)
    antwoord: Mapped[str | None] = mapped_column(String(10))
    toelichting: Mapped[str | None] = mapped_column(Text)
    beantwoord_op: Mapped[datetime | None] = mapped_column()
    heropend_id: Mapped[int | None] = mapped_column(ForeignKey("knelpunt.id", ondelete="SET NULL"), index=True)

    knelpunt: Mapped[Knelpunt] = relationship(foreign_keys=[knelpunt_id])
    team: Mapped[Team] = relationship()
    heropend: Mapped[Knelpunt | None] = relationship(foreign_keys=[heropend_id])

    @property
    def antwoord_label(self) -> str:
        return ANTWOORD_LABELS.get(self.antwoord or "", "")

    @property
    def open(self) -> bool:
        return self.antwoord is None
