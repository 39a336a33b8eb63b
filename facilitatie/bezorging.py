"""Delivering queued rows exactly once across processes: claim, back off, give up visibly.

An outbox table (webhook deliveries; the mail outbox can use the same) has the columns
`status` ('wachtend', 'afgeleverd', 'mislukt'), `pogingen`, `volgende_poging` (when it is due)
and `bezet_tot` (a lease). A process claims a due row with
`UPDATE … SET bezet_tot = :tot WHERE id = :id AND status = 'wachtend' AND (bezet_tot IS NULL OR
bezet_tot < :nu)`: of several processes racing for one row exactly one update matches (the
same trick as `taken.neem`), and it commits before any I/O starts. The outcome is recorded only
while the lease is still its own (`WHERE bezet_tot = :tot`), so a process that stalled past its
lease cannot overwrite what another process recorded since.

No I/O happens inside a transaction here: claim commits, the caller sends, `afronden` commits.
The lease must outlast one send (the caller's time-out); a process that dies mid-send leaves
the row to be claimed again once the lease ran out, so a receiver may rarely see a delivery
twice: it gets a stable id to recognise that (at-least-once on the wire, once in the log).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import or_, select, update
from sqlalchemy.orm import InstrumentedAttribute

from facilitatie.database import als_schrijver
from facilitatie.extensions import db
from facilitatie.werk import eenheid

WACHTEND = "wachtend"
AFGELEVERD = "afgeleverd"
MISLUKT = "mislukt"


class Uitgaand(Protocol):
    """The columns an outbox model needs (see the module docstring)."""

    id: Any
    status: Any
    pogingen: Any
    volgende_poging: Any
    bezet_tot: Any


@dataclass(frozen=True)
class Terugval:
    """Exponential back-off: `basis` after the first failure, doubling, at most `maximum`, `pogingen` in all."""

    basis: timedelta = timedelta(seconds=30)
    maximum: timedelta = timedelta(hours=6)
    pogingen: int = 8

    def wacht(self, poging: int, kans: random.Random | None = None) -> timedelta:
        """The pause after failed attempt number `poging` (1-based), with up to 10% jitter
        so a receiver that was down is not hit by every queued row in the same second."""
        seconden = min(self.maximum.total_seconds(), self.basis.total_seconds() * 2 ** max(0, poging - 1))
        return timedelta(seconds=seconden * (1 + 0.1 * (kans or random).random()))


def _vrij(model: type[Uitgaand], nu: datetime) -> Any:
    bezet_tot: InstrumentedAttribute = model.bezet_tot
    return or_(bezet_tot.is_(None), bezet_tot < nu)


def claim(model: type[Uitgaand], *, nu: datetime, duur: timedelta, aantal: int) -> tuple[list[int], datetime]:
    """Claim up to `aantal` due rows for `duur`; returns the ids this process now holds and the lease.

    Commits (its own unit of work), so the claim holds before anything is sent.
    """
    tot = nu + duur
    genomen: list[int] = []
    with als_schrijver(), eenheid():
        kandidaten = list(
            db.session.scalars(
                select(model.id)
                .where(model.status == WACHTEND, model.volgende_poging <= nu, _vrij(model, nu))
                .order_by(model.volgende_poging, model.id)
                .limit(aantal)
            )
        )
        for rij_id in kandidaten:
            resultaat = db.session.execute(
                update(model)
                .where(model.id == rij_id, model.status == WACHTEND, _vrij(model, nu))
                .values(bezet_tot=tot)
                .execution_options(synchronize_session=False)
            )
            if resultaat.rowcount == 1:  # type: ignore[attr-defined]
                genomen.append(rij_id)
    return genomen, tot


def afronden(
    model: type[Uitgaand],
    rij_id: int,
    lease: datetime,
    *,
    gelukt: bool,
    nu: datetime,
    terugval: Terugval,
    velden: dict[str, Any] | None = None,
) -> str | None:
    """Record one attempt while the lease is still ours: delivered, due again later, or failed for good.

    Returns the new status, or None when the lease was lost (another process owns the row now).
    """
    with als_schrijver(), eenheid():
        pogingen = db.session.scalar(select(model.pogingen).where(model.id == rij_id, model.bezet_tot == lease))
        if pogingen is None:
            return None
        pogingen += 1
        if gelukt:
            status, volgende = AFGELEVERD, nu
        elif pogingen >= terugval.pogingen:
            status, volgende = MISLUKT, nu
        else:
            status, volgende = WACHTEND, nu + terugval.wacht(pogingen)
        resultaat = db.session.execute(
            update(model)
            .where(model.id == rij_id, model.bezet_tot == lease)
            .values(status=status, pogingen=pogingen, volgende_poging=volgende, bezet_tot=None, **(velden or {}))
            .execution_options(synchronize_session=False)
        )
        return status if resultaat.rowcount == 1 else None  # type: ignore[attr-defined]
