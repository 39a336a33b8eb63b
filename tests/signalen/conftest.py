"""Fixtures of the signalen tests (the world itself is in helpers.py)."""

from __future__ import annotations

import logging

import pytest

from tests.signalen.helpers import Wereld, maak_wereld


@pytest.fixture
def wereld(app, factory) -> Wereld:
    return maak_wereld(factory)


@pytest.fixture
def alle_logs_op_debug():
    """Every logger at DEBUG during the post (as in tests/knelpunten/test_anoniem.py), restored after."""
    loggers = [logging.getLogger()] + [
        logging.getLogger(name)
        for name in list(logging.root.manager.loggerDict)
        if not name.startswith(("sqlalchemy.engine", "sqlalchemy.pool"))
    ]
    eerder = [(lg, lg.level) for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.DEBUG)
    yield
    for lg, level in eerder:
        lg.setLevel(level)
