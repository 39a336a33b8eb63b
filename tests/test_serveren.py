"""One serving process: its open-file limit is raised at start, its pool sized from the settings."""

from __future__ import annotations

import resource
import subprocess
import sys
from pathlib import Path

import pytest

from facilitatie.config import pool_opties
from facilitatie.serveren import meld_bestandslimiet

ROOT = Path(__file__).resolve().parents[1]


def _met_zachte_limiet(zacht: int):
    def voor_start() -> None:
        _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        resource.setrlimit(resource.RLIMIT_NOFILE, (zacht, hard))

    return voor_start


def test_the_process_raises_its_soft_open_file_limit_to_the_hard_limit(tmp_path):
    """`ulimit -n 256`: one process would fail at about 100 deelnemers (EMFILE) without this."""
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard <= 256:
        pytest.skip("the hard limit here is too low to see a raise")
    script = "import resource, wsgi; print(*resource.getrlimit(resource.RLIMIT_NOFILE))"
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={"DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}", "SECRET_KEY": "x", "PATH": "/usr/bin:/bin"},
        preexec_fn=_met_zachte_limiet(256),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    zacht, na_hard = map(int, done.stdout.split()[-2:])
    assert (zacht, na_hard) == (hard, hard)


def test_a_low_hard_limit_is_said_at_start_with_the_setting_to_raise():
    regel = meld_bestandslimiet((1024, 1024))
    assert regel and "1024" in regel and "924 deelnemers" in regel and "LimitNOFILE" in regel
    assert meld_bestandslimiet((65536, 65536)) is None


def test_the_pool_is_sized_for_gevent_and_configurable():
    standaard = pool_opties("postgresql+psycopg://db/ontmoet", {})
    assert (standaard["pool_size"], standaard["max_overflow"], standaard["pool_timeout"]) == (20, 20, 30.0)
    eigen = pool_opties("sqlite:////tmp/x.db", {"ONTMOET_DB_POOL": "50", "ONTMOET_DB_POOL_OVERFLOW": "0"})
    assert (eigen["pool_size"], eigen["max_overflow"]) == (50, 0)
    # A server connection may drop (pinged at checkout); a SQLite file cannot.
    assert standaard["pool_pre_ping"] is True and eigen["pool_pre_ping"] is False
    assert "pool_size" not in pool_opties("sqlite:///:memory:", {})
    with pytest.raises(ValueError, match="ONTMOET_DB_POOL"):
        pool_opties("sqlite:////tmp/x.db", {"ONTMOET_DB_POOL": "veel"})
