"""Delivering queued rows exactly once across processes: claim, back off, give up visibly.

The one claim/back-off code of the project's two outboxes: webhook deliveries (api.verzenden)
and the mail outbox (meldingen.verzenden). A `Wachtrij` names, per table, its columns and
states: a status (waiting, delivered, failed), the number of attempts, when the row is due and
a lease (`bezet_tot`, optionally with the claimer's id). A process claims a due row with
`UPDATE … SET bezet_tot = :tot WHERE id = :id AND status = <waiting> AND (bezet_tot IS NULL OR
bezet_tot < :nu)`: of several processes racing for one row exactly one update matches (the
same trick as `taken.neem`), and it commits before any I/O starts. The outcome is recorded only
while the lease is still its own (`WHERE bezet_tot = :tot`, and the claimer's id when the table
keeps one), so a process that stalled past its lease cannot overwrite what another recorded since.

No I/O happens inside a transaction here: claim commits, the caller sends, `afronden` commits.
The lease must outlast one send (the caller's time-out); a process that dies mid-send leaves
the row to be claimed again once the lease ran out, so a receiver may rarely see a delivery
twice: it gets a stable id to recognise that (at-least-once on the wire, once in the log).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, or_, select, update
from sqlalchemy.orm import InstrumentedAttribute

from facilitatie.database import als_schrijver
from facilitatie.extensions import db
from facilitatie.werk import eenheid

WACHTEND = "wachtend"
AFGELEVERD = "afgeleverd"
MISLUKT = "mislukt"


@dataclass(frozen=True)
class Wachtrij:
    """One outbox table as bezorging sees it: the model, the names of its columns, its states.

    The defaults are the webhook deliveries' names; the mail outbox names its own (meldingen.verzenden).
    """

    model: type[Any]
    wachtend: str = WACHTEND
    afgeleverd: str = AFGELEVERD
    mislukt: str = MISLUKT
    status: str = "status"
    pogingen: str = "pogingen"
    volgende_poging: str = "volgende_poging"
    bezet_tot: str = "bezet_tot"
    bezet_door: str | None = None  # a column naming the claimer, when the table keeps one

    def kolom(self, naam: str) -> InstrumentedAttribute[Any]:
        return getattr(self.model, naam)

    def vrij(self, nu: datetime) -> ColumnElement[bool]:
        bezet_tot = self.kolom(self.bezet_tot)
        return or_(bezet_tot.is_(None), bezet_tot < nu)

    def van_mij(self, lease: datetime, door: str | None) -> list[ColumnElement[bool]]:
        """The row is still held by this claim: its lease, and its claimer when the table keeps one."""
        voorwaarden = [self.kolom(self.bezet_tot) == lease]
        if self.bezet_door is not None:
            voorwaarden.append(self.kolom(self.bezet_door) == door)
        return voorwaarden


def _wachtrij(wachtrij: Wachtrij | type[Any]) -> Wachtrij:
    return wachtrij if isinstance(wachtrij, Wachtrij) else Wachtrij(wachtrij)


@dataclass(frozen=True)
class Terugval:
    """Exponential back-off: `basis` after the first failure, doubling, at most `maximum`, `pogingen` in all."""

    basis: timedelta = timedelta(seconds=30)
    maximum: timedelta = timedelta(hours=6)
    pogingen: int = 8
    spreiding: float = 0.1  # jitter, as a fraction of the pause (0: exactly the doubling)

    def wacht(self, poging: int, kans: random.Random | None = None) -> timedelta:
        """The pause after failed attempt number `poging` (1-based), with up to `spreiding` jitter
        so a receiver that was down is not hit by every queued row in the same second."""
        seconden = min(self.maximum.total_seconds(), self.basis.total_seconds() * 2 ** max(0, poging - 1))
        if not self.spreiding:
            return timedelta(seconds=seconden)
        return timedelta(seconds=seconden * (1 + self.spreiding * (kans or random).random()))


def claim(
    wachtrij: Wachtrij | type[Any], *, nu: datetime, duur: timedelta, aantal: int, door: str | None = None
) -> tuple[list[int], datetime]:
    """Claim up to `aantal` due rows for `duur`; returns the ids this process now holds and the lease.

    `door` (this sender's id) is written to the table's claimer column, if it has one. Commits
    (its own unit of work), so the claim holds before anything is sent.
    """
    w = _wachtrij(wachtrij)
    model, status, volgende = w.model, w.kolom(w.status), w.kolom(w.volgende_poging)
    tot = nu + duur
    waarden: dict[str, Any] = {w.bezet_tot: tot}
    if w.bezet_door is not None:
        waarden[w.bezet_door] = door
    genomen: list[int] = []
    with als_schrijver(), eenheid():
        kandidaten = list(
            db.session.scalars(
                select(model.id)
                .where(status == w.wachtend, volgende <= nu, w.vrij(nu))
                .order_by(volgende, model.id)
                .limit(aantal)
            )
        )
        for rij_id in kandidaten:
            resultaat = db.session.execute(
                update(model)
                .where(model.id == rij_id, status == w.wachtend, w.vrij(nu))
                .values(waarden)
                .execution_options(synchronize_session=False)
            )
            if resultaat.rowcount == 1:  # type: ignore[attr-defined]
                genomen.append(rij_id)
    return genomen, tot


def afronden(
    wachtrij: Wachtrij | type[Any],
    rij_id: int,
    lease: datetime,
    *,
    gelukt: bool,
    nu: datetime,
    terugval: Terugval,
    velden: dict[str, Any] | None = None,
    blijvend: bool = False,
    door: str | None = None,
) -> str | None:
    """Record one attempt while the lease is still ours: delivered, due again later, or failed for good
    (after `terugval.pogingen` attempts, or at once when the failure is `blijvend`: retrying won't help).

    `velden` are the table's own columns to write with it (the error, the answer). Returns the new
    status, or None when the lease was lost (another process owns the row now).
    """
    w = _wachtrij(wachtrij)
    model = w.model
    van_mij = w.van_mij(lease, door)
    with als_schrijver(), eenheid():
        pogingen = db.session.scalar(select(w.kolom(w.pogingen)).where(model.id == rij_id, *van_mij))
        if pogingen is None:
            return None
        pogingen += 1
        if gelukt:
            status, volgende = w.afgeleverd, nu
        elif blijvend or pogingen >= terugval.pogingen:
            status, volgende = w.mislukt, nu
        else:
            status, volgende = w.wachtend, nu + terugval.wacht(pogingen)
        waarden: dict[str, Any] = {
            w.status: status,
            w.pogingen: pogingen,
            w.volgende_poging: volgende,
            w.bezet_tot: None,
            **(velden or {}),
        }
        if w.bezet_door is not None:
            waarden[w.bezet_door] = None
        resultaat = db.session.execute(
            update(model)
            .where(model.id == rij_id, *van_mij)
            .values(waarden)
            .execution_options(synchronize_session=False)
        )
        return status if resultaat.rowcount == 1 else None  # type: ignore[attr-defined]
