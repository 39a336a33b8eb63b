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


def _stuur_rauw(server: Server, data: list[bytes]) -> None:
    """Send raw bytes from the loopback address 127.0.0.2, so that address is easy to find."""
    import socket

    port = int(server.url.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=5, source_address=("127.0.0.2", 0)) as verbinding:
        for stuk in data:
            try:
                verbinding.sendall(stuk)
                verbinding.recv(4096)
            except OSError:
                break


def test_malformed_requests_and_frames_leave_no_client_address_in_the_log(embedded):
    """Issue 11, item 9: not even the address of a broken client reaches stdout or stderr."""
    server, _ = embedded
    upgrade = (
        b"GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
        b"Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
    )
    pogingen = [
        [b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + bytes(range(64))],  # TLS to a plain port
        [b"GET /\x00 HTTP/1.1\r\nHost: x\r\n\r\n"],
        [b"POST /deelnemen HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n"],
        [upgrade, b"\x8f\xff" + b"\xff" * 8 + b"\x00" * 32],  # reserved opcode, absurd length
        [upgrade, b"\x81\x05hello"],  # unmasked client frame
        [upgrade, b"\x70\x85\x00\x00\x00\x00hello"],  # reserved bits set
        [b"GET /socket.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\n\xff\xfe\xfd"],
    ]
    for poging in pogingen:
        _stuur_rauw(server, poging)
    _wait_healthy(server)
    assert "127.0.0.2" not in server.log.read_text(encoding="utf-8", errors="replace")
