"""Reads of the signalen area: the signalenbak, the inbox, meldlinks, "is het opgelost?" questions.

No writes here: service.py (commands) and the views build on these, never the other way.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from facilitatie.accounts.models import Team, User
from facilitatie.accounts.rollen import Rol
from facilitatie.extensions import db
from facilitatie.fouten import NietGevonden
from facilitatie.knelpunten.models import BRON_SESSIE, Knelpunt
from facilitatie.opvolging import rechten
from facilitatie.opvolging.filters import periode
from facilitatie.opvolging.lezen import besluiten_per_knelpunt, knelpunt_zichtbaar
from facilitatie.opvolging.models import Besluit
from facilitatie.sessies.lezen import MAX_ID
from facilitatie.sessies.models import Sessie, Status
from facilitatie.signalen.models import Meldlink, OpgelostVraag

NIEUW = "nieuw"
OP_DE_AGENDA = "op_de_agenda"
BESLOTEN = "besloten"
STATUS_LABELS: dict[str, str] = {NIEUW: "Nieuw", OP_DE_AGENDA: "Op de agenda", BESLOTEN: "Besloten"}

MELDERS = (Rol.WIJKTEAMLID, Rol.BEGELEIDER, Rol.BELEIDSMEDEWERKER)
"""Roles that may report a signaal for their own gemeente (the roles that post knelpunten)."""


# --------------------------------------------------------------------------- who may


def mag_melden(user: Any, gemeente_id: int) -> bool:
    """A wijkteamlid, begeleider or beleidsmedewerker of this gemeente reports signalen."""
    return (
        user is not None
        and getattr(user, "rol", None) in MELDERS
        and user.gemeente_id is not None
        and user.gemeente_id == gemeente_id
    )


def ziet_inbox(user: Any, gemeente_id: int) -> bool:
    """Begeleiders and beleidsmedewerkers of the gemeente work the inbox; the wethouder reads along."""
    return (
        user is not None
        and getattr(user, "rol", None) in (Rol.BEGELEIDER, Rol.BELEIDSMEDEWERKER, Rol.WETHOUDER)
        and user.gemeente_id is not None
        and user.gemeente_id == gemeente_id
    )


def werkt_inbox(user: Any, gemeente_id: int) -> bool:
    """Putting signalen on an agenda, a besluit without sessie: the opvolging's besluiten rule."""
    return rechten.kan_besluiten(user, gemeente_id)


def beheert_meldlink(user: Any, team: Team) -> bool:
    """The begeleider of the team's gemeente makes, renews and revokes its meldlink."""
    return (
        user is not None
        and getattr(user, "rol", None) == Rol.BEGELEIDER
        and user.gemeente_id is not None
        and user.gemeente_id == team.gemeente_id
    )


# --------------------------------------------------------------------------- the bak


def signalenbak_van(gemeente_id: int) -> Sessie | None:
    """The gemeente's signalenbak, if a signaal ever came in."""
    return db.session.scalar(
        select(Sessie).where(Sessie.gemeente_id == gemeente_id, Sessie.status == Status.SIGNALEN).limit(1)
    )


def is_signaal(knelpunt: Knelpunt) -> bool:
    return knelpunt.bron != BRON_SESSIE


def status_van(knelpunt: Knelpunt, besluit: Besluit | None) -> str:
    """nieuw (in the bak, no besluit), op de agenda (moved into a sessie), besloten (has a besluit)."""
    if besluit is not None:
        return BESLOTEN
    return NIEUW if knelpunt.sessie.status == Status.SIGNALEN else OP_DE_AGENDA


# --------------------------------------------------------------------------- the inbox


@dataclass(frozen=True)
class Regel:
    """One signaal as the inbox shows it."""

    knelpunt: Knelpunt
    status: str
    besluit: Besluit | None
    heropend_van: OpgelostVraag | None  # "nee" answered on this earlier knelpunt

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


def inbox(gemeente_id: int, *, team_id: int | None = None, status: str | None = None) -> list[Regel]:
    """Every signaal of the gemeente, newest first, filtered by team and status."""
    query = (
        select(Knelpunt)
        .join(Sessie, Sessie.id == Knelpunt.sessie_id)
        .where(Sessie.gemeente_id == gemeente_id, Knelpunt.bron != BRON_SESSIE, knelpunt_zichtbaar())
        .order_by(Knelpunt.aangemaakt_op.desc(), Knelpunt.id.desc())
        .limit(500)
    )
    if team_id is not None:
        query = query.where(Knelpunt.team_id == team_id)
    knelpunten = list(db.session.scalars(query))
    besluiten = besluiten_per_knelpunt(k.id for k in knelpunten)
    heropend = heropend_van([k.id for k in knelpunten])
    regels = [Regel(k, status_van(k, besluiten.get(k.id)), besluiten.get(k.id), heropend.get(k.id)) for k in knelpunten]
    return [r for r in regels if status is None or r.status == status]


def binnengekomen(gemeente_id: int, van: datetime, tot: datetime) -> list[Knelpunt]:
    """Signalen that came in from `van` up to (not including) `tot` and still wait in the bak
    without a besluit: what the begeleider's daily digest lists. Per team, oldest first."""
    return list(
        db.session.scalars(
            select(Knelpunt)
            .join(Sessie, Sessie.id == Knelpunt.sessie_id)
            .where(
                Sessie.gemeente_id == gemeente_id,
                Sessie.status == Status.SIGNALEN,
                Knelpunt.bron != BRON_SESSIE,
                knelpunt_zichtbaar(),
                Knelpunt.aangemaakt_op >= van,
                Knelpunt.aangemaakt_op < tot,
                ~select(Besluit.id).where(Besluit.knelpunt_id == Knelpunt.id).exists(),
            )
            .order_by(Knelpunt.team_id, Knelpunt.aangemaakt_op, Knelpunt.id)
            .limit(500)
        )
    )


def heropend_van(knelpunt_ids: list[int]) -> dict[int, OpgelostVraag]:
    """Per reopened signaal the answered question ("nee") it came from."""
    if not knelpunt_ids:
        return {}
    return {
        v.heropend_id: v  # type: ignore[misc]
        for v in db.session.scalars(select(OpgelostVraag).where(OpgelostVraag.heropend_id.in_(knelpunt_ids)))
    }


def signaal_van(gemeente_id: int, knelpunt_id: int) -> Knelpunt:
    """A signaal of this gemeente still in its bak (404 otherwise: another gemeente's or moved on)."""
    knelpunt = db.session.get(Knelpunt, knelpunt_id) if 0 < knelpunt_id <= MAX_ID else None
    if knelpunt is None or knelpunt.sessie.gemeente_id != gemeente_id or not is_signaal(knelpunt):
        raise NietGevonden("Signaal niet gevonden.")
    return knelpunt


def concept_sessies(gemeente_id: int) -> list[Sessie]:
    """Sessies of the gemeente whose agenda signalen can still go on: those not yet started."""
    return list(
        db.session.scalars(
            select(Sessie)
            .where(Sessie.gemeente_id == gemeente_id, Sessie.status == Status.CONCEPT)
            .order_by(Sessie.aangemaakt_op.desc(), Sessie.id.desc())
        )
    )


def teams_van(gemeente_id: int) -> list[Team]:
    return list(db.session.scalars(select(Team).where(Team.gemeente_id == gemeente_id).order_by(Team.naam)))


# --------------------------------------------------------------------------- meldlinks


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def meldlink_met_token(token: str) -> Meldlink | None:
    """The meldlink behind a token (revoked ones too, so the page can say it was revoked)."""
    if not token or len(token) > 100:
        return None
    return db.session.scalar(select(Meldlink).where(Meldlink.token_hash == token_hash(token)))


def actieve_meldlink(team_id: int) -> Meldlink | None:
    return db.session.scalar(
        select(Meldlink).where(Meldlink.team_id == team_id, Meldlink.ingetrokken_op.is_(None)).limit(1)
    )


# --------------------------------------------------------------------------- is het opgelost?


def open_vragen(team_id: int | None) -> list[OpgelostVraag]:
    """The questions the team has not answered yet, oldest first."""
    if team_id is None:
        return []
    return list(
        db.session.scalars(
            select(OpgelostVraag)
            .where(OpgelostVraag.team_id == team_id, OpgelostVraag.antwoord.is_(None))
            .order_by(OpgelostVraag.gevraagd_op, OpgelostVraag.id)
        )
    )


def open_vraag_over(knelpunt_id: int) -> OpgelostVraag | None:
    """The unanswered "is het opgelost?" about one knelpunt (for its volglink page), if any."""
    return db.session.scalar(
        select(OpgelostVraag)
        .where(OpgelostVraag.knelpunt_id == knelpunt_id, OpgelostVraag.antwoord.is_(None))
        .order_by(OpgelostVraag.id)
        .limit(1)
    )


def open_vragen_voor(user: Any) -> list[OpgelostVraag]:
    """For a signed-in wijkteamlid: its team's open questions (a template global)."""
    if not getattr(user, "is_authenticated", False) or user.rol != Rol.WIJKTEAMLID:
        return []
    return open_vragen(user.team_id)


def vraag_voor(user: User, vraag_id: int) -> OpgelostVraag:
    """A question this user may answer: a wijkteamlid of the team it was put to (404 otherwise)."""
    vraag = db.session.get(OpgelostVraag, vraag_id) if 0 < vraag_id <= MAX_ID else None
    if vraag is None or user.rol != Rol.WIJKTEAMLID or user.team_id != vraag.team_id:
        raise NietGevonden("Vraag niet gevonden.")
    return vraag


def vragen_over(knelpunt_ids: list[int]) -> dict[int, list[OpgelostVraag]]:
    """Per knelpunt the answered questions about it (its "is het opgelost?" history)."""
    if not knelpunt_ids:
        return {}
    uit: dict[int, list[OpgelostVraag]] = {}
    for v in db.session.scalars(
        select(OpgelostVraag)
        .where(OpgelostVraag.knelpunt_id.in_(knelpunt_ids), OpgelostVraag.antwoord.is_not(None))
        .order_by(OpgelostVraag.id)
    ):
        uit.setdefault(v.knelpunt_id, []).append(v)
    return uit


def antwoorden_over(knelpunt_id: int) -> list[OpgelostVraag]:
    """The answered questions about one knelpunt (a template global for the terugkoppeling)."""
    return vragen_over([knelpunt_id]).get(knelpunt_id, [])


@dataclass
class Bevestigd:
    """ "Bevestigd opgelost" for the dashboard: answers per domein and per team."""

    totaal: Counter[str]
    per_domein: dict[str, Counter[str]]
    per_team: dict[str, Counter[str]]


def bevestigd_opgelost(gemeente_id: int, van: date | None = None, tot: date | None = None) -> Bevestigd:
    """Answers to "is het opgelost?" in the period (by answer date), per domein and team."""
    rijen = db.session.execute(
        select(OpgelostVraag.antwoord, Knelpunt.domein, Team.naam)
        .join(Knelpunt, Knelpunt.id == OpgelostVraag.knelpunt_id)
        .join(Team, Team.id == OpgelostVraag.team_id)
        .where(Team.gemeente_id == gemeente_id, OpgelostVraag.antwoord.is_not(None))
        .where(*periode(OpgelostVraag.beantwoord_op, van, tot))
    )
    uit = Bevestigd(Counter(), {}, {})
    for antwoord, domein, team in rijen:
        uit.totaal[antwoord] += 1
        uit.per_domein.setdefault(domein, Counter())[antwoord] += 1
        uit.per_team.setdefault(team, Counter())[antwoord] += 1
    return uit
