"""Two server processes, one sessie (issue 4, item 10).

Two real `python wsgi.py` processes on two ports share a fresh PostgreSQL database and the
local Redis as Socket.IO message queue. A deelnemer whose socket is connected to process A
sees, live, a change made through process B, and after a disconnect catches up through A
on what was changed through B in the meantime.

A third process serves the same sessie the way docs/benchmarks.md advises for large meetings,
`gunicorn -k gevent`, and must interoperate with the other two.

Each run gets its own database and its own Redis pub/sub channel (`SOCKETIO_CHANNEL`):
pub/sub channels are shared by every Redis database index, and other runs of this suite
may be going on at the same time on this machine.
"""

from __future__ import annotations

import os
import queue
import re
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
import socketio
import sqlalchemy as sa

from tests.conftest import PG_ADMIN_URL

pytestmark = [pytest.mark.multiprocess, pytest.mark.timeout(180)]

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/14")
PASSWORD = "wachtwoord-voor-twee-processen"
BEGELEIDER = "begeleider@twee-processen.test"
_META = re.compile(r'<meta name="csrf-token" content="([^"]*)"')
WAIT = 10.0  # seconds a live update may take before the test gives up (loaded CI machine)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    url: str
    process: subprocess.Popen
    log: Path


@dataclass
class Cluster:
    a: Server  # python wsgi.py
    b: Server  # python wsgi.py
    g: Server  # gunicorn -k gevent


def _wait_healthy(server: Server, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"server stopped (exit {server.process.returncode}):\n{server.log.read_text()}")
        try:
            if requests.get(server.url + "/healthz", timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{server.url} did not answer /healthz within {timeout}s:\n{server.log.read_text()}")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    """A fresh PostgreSQL database, migrated and with a begeleider, served by two processes."""
    workdir = tmp_path_factory.mktemp("twee-processen")
    name = f"ontmoet_mp_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    processes: list[subprocess.Popen] = []
    try:
        env = {k: v for k, v in os.environ.items() if k not in ("FLASK_APP", "FLASK_DEBUG")}
        env.update(
            {
                "DATABASE_URL": PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}",
                "SOCKETIO_MESSAGE_QUEUE": REDIS_URL,
                "SOCKETIO_CHANNEL": f"ontmoet-test-{name}",
                "SECRET_KEY": f"twee-processen-{uuid.uuid4().hex}",
                "HOST": "127.0.0.1",
                "PYTHONUNBUFFERED": "1",
            }
        )
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
        servers = []
        for label in ("a", "b", "g"):
            port = _free_port()
            log = workdir / f"server-{label}.log"
            command = [sys.executable, "wsgi.py"]
            if label == "g":
                command = [sys.executable, "-m", "gunicorn", "-k", "gevent", "-w", "1", "--worker-connections", "100"]
                command += ["--no-control-socket"]
                command += ["-b", f"127.0.0.1:{port}", "wsgi:app"]
            with log.open("w") as out:
                process = subprocess.Popen(
                    command,
                    cwd=ROOT,
                    env={**env, "PORT": str(port)},
                    stdout=out,
                    stderr=subprocess.STDOUT,
                )
            processes.append(process)
            servers.append(Server(f"http://127.0.0.1:{port}", process, log))
        for server in servers:
            _wait_healthy(server)
        yield Cluster(*servers)
    finally:
        for process in processes:
            _stop(process)
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _post(http: requests.Session, base: str, path: str, data: dict[str, str]) -> requests.Response:
    """POST a form like a browser: with the CSRF token from the page's meta tag."""
    page = http.get(base + "/", timeout=10)
    token = _META.search(page.text)
    assert token, "no csrf meta on /"
    return http.post(base + path, data={"csrf_token": token.group(1), **data}, allow_redirects=False, timeout=10)


@dataclass
class Sessie:
    id: int
    code: str
    begeleider: requests.Session


def _sessie_via(server: Server, titel: str, http: requests.Session | None = None) -> Sessie:
    """The begeleider signs in on `server`, creates a sessie, starts it and opens "Knelpunten ophalen".

    `http`: the begeleider's browser when it is signed in already (e.g. with a route cookie).
    """
    if http is None:
        http = requests.Session()
        response = _post(http, server.url, "/inloggen", {"email": BEGELEIDER, "wachtwoord": PASSWORD})
        assert response.status_code == 302, response.text
    response = _post(http, server.url, "/sessies/nieuw", {"titel": titel, "sessievorm": "ontmoeten-en-ont-moeten"})
    assert response.status_code == 302, response.text
    sessie_id = int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])
    assert _post(http, server.url, f"/sessies/{sessie_id}/starten", {}).status_code == 302
    page = http.get(f"{server.url}/sessies/{sessie_id}", timeout=10).text
    code = re.search(r'data-code="([A-Z0-9]{6})"', page) or re.search(r"/deelnemen\?code=([A-Z0-9]{6})", page)
    assert code, "no deelnamecode on the begeleider's page"
    sessie = Sessie(sessie_id, code.group(1), http)
    _fase_move(sessie, server)  # fase 2: knelpunten ophalen
    return sessie


def _join_via(server: Server, code: str, http: requests.Session | None = None) -> requests.Session:
    """A deelnemer without an account joins through `server`; returns its cookie jar."""
    http = http or requests.Session()
    response = _post(http, server.url, "/deelnemen", {"code": code, "naam": "", "perspectief": "uitvoering"})
    assert response.status_code == 302 and f"/s/{code}" in response.headers["Location"], response.text
    return http


def _fase_move(sessie: Sessie, server: Server, actie: str = "volgende") -> None:
    response = _post(sessie.begeleider, server.url, f"/sessies/{sessie.id}/{actie}", {})
    assert response.status_code == 302, response.text


def _post_knelpunt(deelnemer: requests.Session, server: Server, code: str, tekst: str, anoniem: bool = False) -> None:
    """Knelpunt indienen as the plain form does (with a client request id)."""
    form = {"tekst": tekst, "domein": "Wmo", "client_request_id": uuid.uuid4().hex}
    if anoniem:
        form["anoniem"] = "1"
    response = _post(deelnemer, server.url, f"/s/{code}/knelpunten", form)
    assert response.status_code == 302, response.text


class Follower:
    """A deelnemer's live connection, as live.js makes it: connect with the cookie, `volg`."""

    def __init__(self, server: Server, http: requests.Session, code: str) -> None:
        self.server = server
        self.cookie = "; ".join(f"{c.name}={c.value}" for c in http.cookies)
        self.code = code
        self.updates: queue.Queue[dict] = queue.Queue()
        self.client = socketio.Client(reconnection=False)
        self.client.on("update", self.updates.put)

    def connect(self, sinds: int) -> dict:
        self.client.connect(
            self.server.url, headers={"Cookie": self.cookie}, transports=["websocket"], wait_timeout=WAIT
        )
        return self.client.call("volg", {"code": self.code, "sinds": sinds}, timeout=WAIT)

    def next_update(self) -> dict:
        try:
            return self.updates.get(timeout=WAIT)
        except queue.Empty:
            pytest.fail(f"no live update within {WAIT}s on {self.server.url}")

    def quiet(self, seconds: float = 0.5) -> list[dict]:
        """Whatever else arrives within `seconds` (there should be nothing)."""
        extra = []
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            try:
                extra.append(self.updates.get(timeout=left))
            except queue.Empty:
                break
        return extra

    def close(self) -> None:
        if self.client.connected:
            self.client.disconnect()


@pytest.fixture
def followers() -> Iterator[list[Follower]]:
    made: list[Follower] = []
    yield made
    for follower in made:
        follower.close()


@pytest.mark.parametrize("socket_on,change_on", [("a", "b"), ("b", "a"), ("g", "a"), ("a", "g")])
def test_knelpunt_posted_through_one_process_arrives_live_at_a_socket_on_the_other(
    cluster, followers, socket_on, change_on
):
    near, far = getattr(cluster, socket_on), getattr(cluster, change_on)
    sessie = _sessie_via(far, f"Twee processen {socket_on}{change_on}")
    kijker = _join_via(near, sessie.code)
    schrijver = _join_via(far, sessie.code)
    follower = Follower(near, kijker, sessie.code)
    followers.append(follower)
    ack = follower.connect(sinds=0)
    assert ack["ok"] is True
    replayed = [follower.next_update() for _ in range(ack["seq"])]
    assert [u["seq"] for u in replayed] == list(range(1, ack["seq"] + 1))

    tekst = f"De indicatie voor beschermd wonen duurt te lang ({socket_on}{change_on})."
    _post_knelpunt(schrijver, far, sessie.code, tekst)

    update = follower.next_update()
    assert update["seq"] == ack["seq"] + 1
    assert update["type"] == "knelpunt.toegevoegd"
    assert any(tekst in fragment["html"] for fragment in update["fragmenten"])
    assert follower.quiet() == []


def test_fase_moved_through_one_process_arrives_live_at_a_socket_on_the_other(cluster, followers):
    sessie = _sessie_via(cluster.b, "Twee processen, fase")
    follower = Follower(cluster.a, _join_via(cluster.a, sessie.code), sessie.code)
    followers.append(follower)
    ack = follower.connect(sinds=0)
    [follower.next_update() for _ in range(ack["seq"])]

    _fase_move(sessie, cluster.b)

    update = follower.next_update()
    assert (update["seq"], update["type"], update["fase"]) == (ack["seq"] + 1, "fase.gewijzigd", 2)
    assert [f["doel"] for f in update["fragmenten"]] == ["#fase"]  # the deelnemers' audience, not the begeleider's
    assert follower.quiet() == []


def test_catch_up_through_one_process_on_changes_made_through_the_other(cluster, followers):
    sessie = _sessie_via(cluster.b, "Twee processen, inhalen")
    kijker = _join_via(cluster.a, sessie.code)
    schrijver = _join_via(cluster.b, sessie.code)
    first = Follower(cluster.a, kijker, sessie.code)
    followers.append(first)
    ack = first.connect(sinds=0)
    seen = ack["seq"]
    assert [first.next_update()["seq"] for _ in range(seen)] == list(range(1, seen + 1))
    first.close()

    teksten = [f"Knelpunt {i} terwijl de deelnemer weg was." for i in (1, 2, 3)]
    for i, tekst in enumerate(teksten):  # three knelpunten (one anonymous) while the deelnemer is away
        _post_knelpunt(schrijver, cluster.b, sessie.code, tekst, anoniem=i == 1)

    again = Follower(cluster.a, kijker, sessie.code)
    followers.append(again)
    ack = again.connect(sinds=seen)
    assert ack == {"ok": True, "seq": seen + 3}
    missed = [again.next_update() for _ in range(3)]
    assert [(u["seq"], u["type"]) for u in missed] == [(seen + i, "knelpunt.toegevoegd") for i in (1, 2, 3)]
    for update, tekst in zip(missed, teksten, strict=True):
        assert any(tekst in fragment["html"] for fragment in update["fragmenten"])
    assert again.quiet() == []

    _fase_move(sessie, cluster.b)  # and live again after catching up
    live = again.next_update()
    assert (live["seq"], live["type"]) == (seen + 4, "fase.gewijzigd")
