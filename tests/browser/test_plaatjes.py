"""scripts/screenshots.py still makes its pictures from the demo data (issue 14, item 13)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.browser.conftest import CHROMIUM

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.timeout(300)
def test_screenshots_script_makes_small_pngs(tmp_path):
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing")
    uit = subprocess.run(
        [sys.executable, "scripts/screenshots.py", "--uit", str(tmp_path), "--chromium", CHROMIUM],
        cwd=ROOT, capture_output=True, text=True, timeout=280, check=False,
    )  # fmt: skip
    assert uit.returncode == 0, uit.stdout + uit.stderr
    gemaakt = {p.name for p in tmp_path.glob("*.png")}
    assert {"telefoon.png", "dashboard.png", "verslag.png"} <= gemaakt
    assert gemaakt & {"scherm.png", "begeleider.png"}
    assert len(uit.stdout.strip().splitlines()) == len(gemaakt)
    for png in tmp_path.glob("*.png"):
        assert png.read_bytes().startswith(b"\x89PNG") and png.stat().st_size < 200_000
