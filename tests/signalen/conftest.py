"""Fixtures of the signalen tests (the world itself is in helpers.py)."""

from __future__ import annotations

import pytest

from tests.signalen.helpers import Wereld, maak_wereld


@pytest.fixture
def wereld(app, factory) -> Wereld:
    return maak_wereld(factory)
