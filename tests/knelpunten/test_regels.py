"""Unit tests of the plain rules: vote limits and thema moves (no Flask, no database)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from facilitatie.fouten import Ongeldig
from facilitatie.knelpunten.regels import kies_stemplek, opheffen, te_kleine_groepen, verplaats


def test_first_stem_takes_slot_one():
    assert kies_stemplek([], [], per_deelnemer=3, per_item=3) == (1, 1)


def test_limits_refuse_in_dutch():
    with pytest.raises(Ongeldig, match="al je 3 stemmen"):
        kies_stemplek([1, 2, 3], [], per_deelnemer=3, per_item=3)
    with pytest.raises(Ongeldig, match="hoogstens 2 stemmen op één onderwerp"):
        kies_stemplek([1, 2], [1, 2], per_deelnemer=5, per_item=2)


def test_a_stem_taken_back_frees_its_slot():
    assert kies_stemplek([1, 3], [1], per_deelnemer=3, per_item=3) == (2, 2)


@given(
    per_deelnemer=st.integers(1, 12),
    per_item=st.integers(1, 12),
    keuzes=st.lists(st.integers(0, 4), max_size=40),
)
def test_any_sequence_of_stemmen_stays_within_both_limits(per_deelnemer, per_item, keuzes):
    stemmen: list[tuple[int, int, int]] = []  # (plek, item, n)
    for item in keuzes:
        try:
            plek, n = kies_stemplek(
                [p for p, _, _ in stemmen],
                [m for _, i, m in stemmen if i == item],
                per_deelnemer=per_deelnemer,
                per_item=per_item,
            )
        except Ongeldig:
            continue
        stemmen.append((plek, item, n))
    assert len(stemmen) <= per_deelnemer
    assert len({p for p, _, _ in stemmen}) == len(stemmen)  # the unique slots never clash
    for item in set(keuzes):
        op_item = [n for _, i, n in stemmen if i == item]
        assert len(op_item) <= per_item and len(set(op_item)) == len(op_item)
    assert all(1 <= p <= per_deelnemer for p, _, _ in stemmen)


def test_move_redraws_the_old_and_new_column():
    toestand, kolommen = verplaats({1: None, 2: 7}, 1, 7)
    assert toestand == {1: 7, 2: 7} and kolommen == {None, 7}
    toestand, kolommen = verplaats(toestand, 2, 8)
    assert toestand == {1: 7, 2: 8} and kolommen == {7, 8}


@given(st.lists(st.tuples(st.integers(1, 4), st.one_of(st.none(), st.integers(1, 3))), max_size=30))
def test_applying_moves_in_seq_order_ends_in_the_last_writers_state(moves):
    """Replaying every move's redrawn columns in order shows exactly the final grouping."""
    toestand: dict[int, int | None] = {k: None for k in range(1, 5)}
    scherm: dict[int | None, frozenset[int]] = {None: frozenset(toestand)}
    for knelpunt, thema in moves:
        toestand, kolommen = verplaats(toestand, knelpunt, thema)
        for kolom in kolommen:  # each redrawn from the state after this move
            scherm[kolom] = frozenset(k for k, t in toestand.items() if t == kolom)
    for kolom, leden in scherm.items():
        assert leden == frozenset(k for k, t in toestand.items() if t == kolom)


def test_dissolving_a_thema_keeps_every_knelpunt():
    assert opheffen({1: 5, 2: 6, 3: 5}, 5) == {1: None, 2: 6, 3: None}


def test_a_perspective_with_one_or_two_voters_stops_the_split():
    assert te_kleine_groepen({"uitvoering": 5, "beleid": 3, "anders": 0}) == []
    assert te_kleine_groepen({"uitvoering": 5, "beleid": 2, "anders": 0}) == ["beleid"]
    # "anders" counts too: total minus the shown groups would give its votes.
    assert te_kleine_groepen({"uitvoering": 4, "beleid": 4, "anders": 1}) == ["anders"]
    assert te_kleine_groepen({"uitvoering": 1, "beleid": 2}) == ["uitvoering", "beleid"]
    assert te_kleine_groepen({}) == []
