"""Deelnamecodes: readable, case-insensitive, no look-alikes."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from facilitatie.sessies.codes import ALFABET, LENGTE, display, generate_code, is_plausible, normalise_code


def test_alphabet_has_no_look_alikes():
    for confusing in "0O1IL5S2Z":
        assert confusing not in ALFABET


def test_generated_codes_are_six_plausible_characters():
    codes = {generate_code() for _ in range(500)}
    assert all(len(c) == LENGTE and is_plausible(c) for c in codes)
    assert len(codes) > 490  # random, not a sequence


def test_normalise_is_case_and_space_insensitive():
    assert normalise_code(" abc-789 ") == "ABC789"
    assert normalise_code("abc 789") == normalise_code("ABC789")


def test_display_in_two_groups():
    assert display("ABC789") == "ABC 789"


@given(st.text(max_size=100))
def test_normalise_never_fails_and_is_bounded(raw):
    out = normalise_code(raw)
    assert len(out) <= 32 and out == out.upper()
