"""`python wsgi.py` as `make run` serves it: gevent on SQLite, no other service.

Twelve deelnemers post at the same moment through the plain form while another follows the
sessie live: every post is answered and stored once, nothing waits on SQLite's busy timeout
(writers of the process queue on a cooperative lock), and the follower gets every update
with gapless seqs.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.multiprocess.test_two_processes import (
    BEGELEIDER,
    PASSWORD,
    ROOT,
    WAIT,
    Follower,
    Server,
    _free_port,
    _join_via,
    _post_knelpunt,
    _sessie_via,
    _stop,
    _wait_healthy,
)

DEELNEMERS = 12


@pytest.fixture(scope="module")
def embedded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Path]]:
    workdir = tmp_path_factory.mktemp("embedded")
    database = workdir / "ontmoet.db"
    env = {k: v for k, v in os.environ.items() if k not in ("FLASK_APP", "FLASK_DEBUG", "SOCKETIO_MESSAGE_QUEUE")}
    env.update(
        {
            "DATABASE_URL": f"sqlite:///{database}",
            "SECRET_KEY": uuid.uuid4().hex,
            "HOST": "127.0.0.1",
            "PYTHONUNBUFFERED": "1",
            "ONTMOET_JOIN_LIMIT": "1000 per minute",
        }
    )
    env.pop("ONTMOET_SERVER", None)  # the default, as make run
    flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
    for args in (
        ["db", "upgrade"],
        [
            *("create-user", "--email", BEGELEIDER, "--name", "Bea Begeleider", "--role", "begeleider"),
            *("--password", PASSWORD, "--gemeente", "Vechtstede"),
        ],
    ):
        done = subprocess.run(flask + args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, f"flask {' '.join(args)}:\n{done.stdout}\n{done.stderr}"
    port = _free_port()
    log = workdir / "server.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "wsgi.py"], cwd=ROOT, env={**env, "PORT": str(port)}, stdout=out, stderr=subprocess.STDOUT
        )
    server = Server(f"http://127.0.0.1:{port}", process, log)
    try:
        _wait_healthy(server)
        yield server, database
    finally:
        _stop(process)


def test_simultaneous_posts_are_all_stored_once_and_reach_a_follower(embedded):
    server, database = embedded
    sessie = _sessie_via(server, "Gelijktijdig")
    deelnemers = [_join_via(server, sessie.code) for _ in range(DEELNEMERS + 1)]
    follower = Follower(server, deelnemers[-1], sessie.code)
    follower.connect(0)
    try:
        start = threading.Barrier(DEELNEMERS)
        fouten: list[BaseException] = []

        def post(i: int) -> None:
            try:
                start.wait(timeout=WAIT)
                _post_knelpunt(deelnemers[i], server, sessie.code, f"Gelijktijdig knelpunt {i}", anoniem=i % 2 == 0)
            except BaseException as exc:  # collected and reported below
                fouten.append(exc)

        threads = [threading.Thread(target=post, args=(i,)) for i in range(DEELNEMERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=WAIT * 3)
        assert not fouten, fouten
        ontvangen: dict[int, str] = {}
        while sum(t == "knelpunt.toegevoegd" for t in ontvangen.values()) < DEELNEMERS:
            update = follower.next_update()
            ontvangen[update["seq"]] = update["type"]
    finally:
        follower.close()
    with sqlite3.connect(database) as conn:
        opgeslagen = conn.execute("SELECT count(*) FROM knelpunt WHERE sessie_id = ?", (sessie.id,)).fetchone()[0]
        seqs = [
            r[0] for r in conn.execute("SELECT seq FROM sessie_event WHERE sessie_id = ? ORDER BY seq", (sessie.id,))
        ]
    assert opgeslagen == DEELNEMERS
    assert seqs == list(range(1, len(seqs) + 1))
    assert sorted(ontvangen) == list(range(1, max(ontvangen) + 1))  # every seq, in one copy each
    assert "database is locked" not in server.log.read_text()
