"""The volglink token rules, without Flask or a database."""

from __future__ import annotations

import hashlib

from facilitatie.volgen import regels


def test_a_derived_token_is_the_same_for_a_retry_and_differs_otherwise():
    eerste = regels.afgeleid(b"geheim", 7, "a" * 32)
    assert eerste == regels.afgeleid(b"geheim", 7, "a" * 32)
    assert len({eerste, regels.afgeleid(b"geheim", 8, "a" * 32), regels.afgeleid(b"geheim", 7, "b" * 32)}) == 3
    assert eerste != regels.afgeleid(b"ander geheim", 7, "a" * 32)
    assert regels.is_plausibel(eerste) and len(eerste) == regels.TOKEN_LENGTE


def test_a_random_token_has_the_same_form_and_is_never_repeated():
    tokens = {regels.willekeurig() for _ in range(200)}
    assert len(tokens) == 200
    assert all(regels.is_plausibel(t) for t in tokens)


def test_only_the_exact_form_is_plausible():
    assert not regels.is_plausibel("")
    assert not regels.is_plausibel("a" * 42)
    assert not regels.is_plausibel("a" * 44)
    assert not regels.is_plausibel("a" * 42 + "/")
    assert not regels.is_plausibel("a" * 42 + "\x00")


def test_the_hash_is_sha256_hex():
    assert regels.hash_van("x" * 43) == hashlib.sha256(b"x" * 43).hexdigest()
