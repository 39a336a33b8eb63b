"""Fixtures for the leerkring tests: the shipped sessievormen plus one with a word peiling."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from facilitatie.extensions import db
from tests.conftest import _truncate_pg, make_app

SESSIES = Path(__file__).resolve().parents[2] / "sessies"

POLS = """---
titel: Pols
samenvatting: Een korte pols van het team.
fasen:
  - key: welkom
    titel: Welkom
    minuten: 5
    soort: welkom
    instructie: Doe mee.
    gids: Zet de code op het scherm.
  - key: een-woord
    titel: Eén woord
    minuten: 5
    soort: peiling
    peiling:
      vraag: Hoe voelt deze week, in één woord?
      vorm: woord
    instructie: Eén woord.
    gids: Laat de wolk zien.
  - key: werkdruk
    titel: Werkdruk
    minuten: 5
    soort: peiling
    peiling:
      vraag: Hoe hoog is de werkdruk?
      vorm: schaal
    instructie: Een cijfer.
    gids: Laat de uitslag zien.
---
Een pols: twee peilingen.
"""


@pytest.fixture
def app(database_url: str, tmp_path: Path) -> Iterator[Flask]:
    """The app with the shipped sessievormen and 'pols' (a woord and a schaal peiling)."""
    vormen = tmp_path / "sessies"
    vormen.mkdir()
    for bestand in SESSIES.glob("*.md"):
        shutil.copy(bestand, vormen / bestand.name)
    (vormen / "pols.md").write_text(POLS, encoding="utf-8")
    app = make_app(database_url, SESSIEVORMEN_DIR=str(vormen))
    if database_url.startswith("postgresql"):
        _truncate_pg(app)
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()
