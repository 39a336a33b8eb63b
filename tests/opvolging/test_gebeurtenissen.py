"""The opvolging's signals fire inside the command's transaction (the outbox seam for mail and webhooks)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from facilitatie.extensions import db
from facilitatie.opvolging import gebeurtenissen, service
from facilitatie.opvolging.models import Besluit


def test_besluit_signal_carries_the_besluit_and_whether_it_is_the_first(app, wereld) -> None:
    gezien: list[tuple[int, str, bool]] = []

    def ontvanger(knelpunt, *, besluit, door, nieuw) -> None:
        gezien.append((knelpunt.id, besluit.soort, nieuw))

    with gebeurtenissen.besluit_vastgelegd.connected_to(ontvanger):
        service.besluit_nemen(wereld.k["k4"], wereld.beleid, soort="opgepakt")
        service.besluit_nemen(wereld.k["k4"], wereld.beleid, soort="al_opgelost", toelichting="Al geregeld.")
    assert gezien == [(wereld.k["k4"].id, "opgepakt", True), (wereld.k["k4"].id, "al_opgelost", False)]


def test_a_failing_receiver_rolls_the_besluit_back(app, wereld) -> None:
    """Receivers write in the same unit of work: if queuing what follows fails, the change is not stored."""

    def kapot(knelpunt, **_: object) -> None:
        raise RuntimeError("wachtrij stuk")

    with gebeurtenissen.besluit_vastgelegd.connected_to(kapot), pytest.raises(RuntimeError):
        service.besluit_nemen(wereld.k["k4"], wereld.beleid, soort="opgepakt")
    assert db.session.scalar(select(Besluit).where(Besluit.knelpunt_id == wereld.k["k4"].id)) is None


def test_actie_status_signal_says_from_and_to(app, wereld) -> None:
    gezien: list[tuple[str, str]] = []
    actie = next(a for a in wereld.a.values() if a.status == "open")

    def ontvanger(actie, *, van, naar, door) -> None:
        gezien.append((van, naar))

    with gebeurtenissen.actie_status_gewijzigd.connected_to(ontvanger):
        service.status_wijzigen(actie, wereld.beleid, "in_uitvoering")
    assert gezien == [("open", "in_uitvoering")]
