"""A malformed sessievorm stops the app at start, naming file and field, never mid-meeting."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from facilitatie import create_app
from facilitatie.config import ROOT
from facilitatie.sessies.vormen import SessievormFout


def test_app_refuses_to_start_with_a_malformed_vorm(tmp_path: Path):
    for path in (ROOT / "sessies").glob("*.md"):
        shutil.copy(path, tmp_path / path.name)
    bad = tmp_path / "kapot.md"
    bad.write_text(
        "---\ntitel: Kapot\nsamenvatting: x\nfasen:\n  - key: een\n    titel: Een\n    minuten: veel\n"
        "    soort: welkom\n    instructie: x\n    gids: y\n---\nBeschrijving\n"
    )
    with pytest.raises(SessievormFout) as info:
        create_app({"SECRET_KEY": "t", "SQLALCHEMY_DATABASE_URI": "sqlite://", "SESSIEVORMEN_DIR": str(tmp_path)})
    assert "kapot.md" in str(info.value) and "minuten" in str(info.value)


def test_shipped_vormen_load_at_start():
    app = create_app({"SECRET_KEY": "t", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert {"ontmoeten-en-ont-moeten", "leerkring"} <= set(app.extensions["sessievormen"])
