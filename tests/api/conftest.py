"""Fixtures for the API's signalen endpoint and webhooks: the opvolging world and a real HTTP receiver."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.ontvanger import Ontvanger, ontvanger_op_vrije_poort
from tests.opvolging.conftest import wereld  # noqa: F401 - the same hand-made world as the opvolging tests


@pytest.fixture
def ontvanger() -> Iterator[Ontvanger]:
    with ontvanger_op_vrije_poort() as staat:
        yield staat
