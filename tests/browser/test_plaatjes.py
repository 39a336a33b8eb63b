"""scripts/screenshots.py still makes its pictures from the demo data (issue 14, item 13)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from tests.browser.conftest import CHROMIUM

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.timeout(300)
def test_screenshots_script_makes_small_pngs(tmp_path):
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing")
    spec = importlib.util.spec_from_file_location("screenshots", ROOT / "scripts" / "screenshots.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    regels = module.maak(tmp_path, CHROMIUM)
    assert len(regels) == len(module.OPNAMES)
    gemaakt = {p.name for p in tmp_path.glob("*.png")}
    assert {"telefoon.png", "dashboard.png", "verslag.png"} <= gemaakt
    assert gemaakt & {"scherm.png", "begeleider.png"}
    for png in tmp_path.glob("*.png"):
        assert png.read_bytes().startswith(b"\x89PNG") and png.stat().st_size < 200_000
