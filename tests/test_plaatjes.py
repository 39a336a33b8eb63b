"""The README shows the product with pictures that scripts/screenshots.py makes (issue 14, item 13)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PNG = b"\x89PNG\r\n\x1a\n"


def _plaatjes() -> list[str]:
    return re.findall(r"!\[[^\]]+\]\((docs/img/[^)]+)\)", (ROOT / "README.md").read_text(encoding="utf-8"))


def test_readme_shows_the_phone_the_begeleider_or_scherm_and_the_dashboard():
    namen = {Path(p).name for p in _plaatjes()}
    assert "telefoon.png" in namen and "dashboard.png" in namen
    assert namen & {"scherm.png", "begeleider.png"}


def test_every_picture_exists_is_a_small_png_with_alt_text():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert not re.search(r"!\[\]\(", readme), "a picture without alt text"
    for pad in _plaatjes():
        bestand = ROOT / pad
        assert bestand.exists(), pad
        data = bestand.read_bytes()
        assert data.startswith(PNG), pad
        assert len(data) < 200_000, f"{pad} is {len(data)} bytes"


def test_the_script_makes_every_picture_the_readme_shows():
    bron = (ROOT / "scripts" / "screenshots.py").read_text(encoding="utf-8")
    for pad in _plaatjes():
        assert f'"{Path(pad).name}"' in bron, pad
