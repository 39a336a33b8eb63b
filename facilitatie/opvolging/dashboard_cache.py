"""The dashboard cache: computed figures reused until a write moves the gemeente's stamp.

Safe across processes and write paths: the stamp (DashboardStand) comes from the database,
moved by triggers on every write the figures depend on, so a hit is always what a fresh
computation would give. Each process keeps its own few entries and remembers which
dashboards were asked for, so `ververs` (run by verversen.py) can recompute those after a
change before anyone asks again.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from datetime import date
from time import monotonic
from typing import Any

from sqlalchemy import false, func, select

from facilitatie.extensions import db
from facilitatie.opvolging import samenvatting
from facilitatie.opvolging.cijfers import Cijfers, bereken, is_postgres
from facilitatie.opvolging.models import DashboardStand

HOOGSTENS = 5000
"""A view folds at most this many queued changes itself (a few hundred ms); more is left to the refresher."""


class _Cache:
    """Computed figures per (database, gemeente, period, day, stamp), least recently used out.

    Safe across processes and write paths: the stamp comes from the database, moved by
    triggers on every write the figures depend on, so a hit is always what a fresh
    computation would give. Each process keeps its own few entries, and remembers which
    dashboards were asked for, so `ververs` can recompute those after a change before
    anyone asks again.
    """

    def __init__(self, grootte: int = 64) -> None:
        self.grootte = grootte
        self._items: OrderedDict[tuple[Any, ...], Cijfers] = OrderedDict()
        self._gevraagd: OrderedDict[tuple[Any, ...], float] = OrderedDict()
        self._lock = threading.Lock()
        self.treffers = 0
        self.missers = 0

    def haal(self, sleutel: tuple[Any, ...]) -> Cijfers | None:
        with self._lock:
            cijfers = self._items.get(sleutel)
            if cijfers is None:
                self.missers += 1
                return None
            self._items.move_to_end(sleutel)
            self.treffers += 1
            return cijfers

    def heeft(self, sleutel: tuple[Any, ...]) -> bool:
        with self._lock:
            return sleutel in self._items

    def bewaar(self, sleutel: tuple[Any, ...], cijfers: Cijfers) -> None:
        with self._lock:
            self._items[sleutel] = cijfers
            self._items.move_to_end(sleutel)
            while len(self._items) > self.grootte:
                self._items.popitem(last=False)

    def gevraagd(self, vraag: tuple[Any, ...]) -> None:
        """Note that someone viewed this dashboard (database, gemeente, van, tot) just now."""
        with self._lock:
            self._gevraagd[vraag] = monotonic()
            self._gevraagd.move_to_end(vraag)
            while len(self._gevraagd) > self.grootte:
                self._gevraagd.popitem(last=False)

    def recent_gevraagd(self, binnen_seconden: float) -> list[tuple[Any, ...]]:
        """The dashboards viewed within the last `binnen_seconden`, most recent first."""
        grens = monotonic() - binnen_seconden
        with self._lock:
            return [vraag for vraag, op in reversed(self._gevraagd.items()) if op >= grens]

    def leeg(self) -> None:
        with self._lock:
            self._items.clear()
            self._gevraagd.clear()


cache = _Cache()


def _stempel(gemeente_id: int) -> str | None:
    """The gemeente's stamp, or None when figures must not be reused (none yet, or we wrote).

    On PostgreSQL the stamp moves at commit (deferred triggers), so a transaction that has
    written anything yet sees the old stamp with its own new data: it neither reads nor
    fills the cache. A read-only transaction has no transaction id.
    """
    geschreven = func.txid_current_if_assigned().is_not(None) if is_postgres() else false()
    rij = db.session.execute(
        select(DashboardStand.stempel, geschreven).where(DashboardStand.gemeente_id == gemeente_id)
    ).first()
    return rij[0] if rij is not None and not rij[1] else None


def _database() -> str:
    return db.engine.url.render_as_string(hide_password=True)


def ververs(vandaag: date, vorige: dict[tuple[Any, ...], str], binnen_seconden: float = 900, hoogstens: int = 2) -> int:
    """Recompute recently viewed dashboards whose stamp moved and then stood still; returns how many.

    `vorige` holds the stamps seen in the previous round and is updated: a dashboard is only
    recomputed once its stamp is the same as a round ago, so a live sessie that changes the
    figures every few seconds costs nothing until it pauses. Run in the background
    (opvolging.verversen) so the first view after a change is a hit too; a view that comes
    before the refresh computes for itself, so nothing is ever shown stale.
    """
    samenvatting.bij()  # bulk changes too: a view folds at most HOOGSTENS changes itself
    database = _database()
    gedaan = 0
    gezien: dict[tuple[Any, ...], str] = {}
    for vraag in cache.recent_gevraagd(binnen_seconden):
        db_url, gemeente_id, van, tot = vraag
        stempel = _stempel(gemeente_id) if db_url == database else None
        if stempel is None:
            continue
        gezien[vraag] = stempel
        if gedaan >= hoogstens or vorige.get(vraag) != stempel:
            continue
        if cache.heeft((db_url, gemeente_id, van, tot, vandaag, stempel)):
            continue
        cijfers(gemeente_id, van, tot, vandaag, bekeken=False)
        db.session.rollback()  # end the read transaction: the next one sees newer writes
        gedaan += 1
    vorige.clear()
    vorige.update(gezien)
    return gedaan


def cijfers(gemeente_id: int, van: date | None, tot: date | None, vandaag: date, bekeken: bool = True) -> Cijfers:
    """The scanned figures, from the cache while the gemeente's stamp has not moved."""
    database = _database()
    if bekeken:
        cache.gevraagd((database, gemeente_id, van, tot))
    stempel = _stempel(gemeente_id)
    sleutel = (database, gemeente_id, van, tot, vandaag, stempel)
    if stempel is not None and (bekend := cache.haal(sleutel)) is not None:
        return bekend
    if samenvatting.eigen_wijzigingen():
        # Our own uncommitted writes are not in the summary yet: count them the long way, keep nothing.
        return bereken(gemeente_id, van, tot, vandaag)
    if not samenvatting.bij(hoogstens=HOOGSTENS):
        # A bulk change (or the first start after the migration): the refresher folds it in the
        # background; until then the long way, which is exact too.
        return bereken(gemeente_id, van, tot, vandaag)
    berekend = samenvatting.lees(gemeente_id, van, tot, vandaag)
    if stempel is not None:
        cache.bewaar(sleutel, berekend)
    return berekend
