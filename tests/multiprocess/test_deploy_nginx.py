"""The shipped deployment: deploy/nginx/ontmoet.conf in front of two gevent processes (issue 12 item 6).

Debian's nginx runs the configuration from deploy/ as shipped, with only what a test machine
needs changed: its ports instead of 443 and 5001/5002, no TLS, no port-80 redirect, and one
header naming the process that answered (so the test can pick a route cookie per process).
Behind it two `python wsgi.py` processes share a fresh PostgreSQL database and Redis as the
Socket.IO message queue, with `ONTMOET_PROXIES=1` as deploy/ontmoet.env.example sets.

Checked through nginx: a new browser gets a route cookie and then stays on one process; the
websocket upgrade passes; the app sees the client's address in X-Forwarded-For; a knelpunt posted
through one process reaches a socket on the other live; and after a reconnect (landing on the
other process) the socket catches up on what it missed and is live again.

`make test` installs nginx where missing (Makefile target `nginx`); without it this test skips.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
import sqlalchemy as sa

from tests.conftest import PG_ADMIN_URL
from tests.multiprocess.test_two_processes import (
    BEGELEIDER,
    PASSWORD,
    REDIS_URL,
    Follower,
    Server,
    _free_port,
    _join_via,
    _post,
    _post_knelpunt,
    _sessie_via,
    _stop,
    _wait_healthy,
)

pytestmark = [pytest.mark.multiprocess, pytest.mark.timeout(240)]

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "deploy" / "nginx" / "ontmoet.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
ROUTE = "ontmoet_proces"

MAIN_CONF = """
daemon off;
master_process off;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;
events {{ worker_connections 512; }}
http {{
  client_body_temp_path {tmp}/body;
  proxy_temp_path {tmp}/proxy;
  fastcgi_temp_path {tmp}/fastcgi;
  uwsgi_temp_path {tmp}/uwsgi;
  scgi_temp_path {tmp}/scgi;
  include {tmp}/ontmoet.conf;
}}
"""


def site_for_test(site: str, port: int, app_ports: list[int]) -> str:
    """The shipped site with this machine's ports, without TLS, plus a header naming the process."""
    site, redirects = re.subn(r"server \{[^{}]*return 301[^{}]*\}\n", "", site)
    assert redirects == 1, "the port-80 redirect block moved: adapt the test's templating"
    site = re.sub(r"\n\s*listen \[::\]:443[^\n]*", "", site)
    site, listens = re.subn(r"listen 443 ssl[^;]*;", f"listen 127.0.0.1:{port};", site)
    site = re.sub(r"\n\s*ssl_certificate[^\n]*", "", site)
    upstreams = iter(app_ports)
    site, servers = re.subn(r"server 127\.0\.0\.1:\d+;", lambda _m: f"server 127.0.0.1:{next(upstreams)};", site)
    site, locations = re.subn(
        r"location / \{", "location / {\n        add_header X-Ontmoet-Upstream $upstream_addr always;", site
    )
    assert (listens, servers, locations) == (1, len(app_ports), 1), "deploy/nginx/ontmoet.conf changed shape"
    return site


@dataclass
class Opstelling:
    proxy: Server  # nginx: what every browser talks to
    processen: list[Server]
    routes: dict[str, str]  # process url -> a route cookie value that nginx sends there

    def browser(self, proces: Server) -> requests.Session:
        """A browser that nginx routes to `proces` (its route cookie, as nginx would have set it)."""
        http = requests.Session()
        http.cookies.set(ROUTE, self.routes[proces.url], domain="127.0.0.1", path="/")
        return http


def _upstream(antwoord: requests.Response) -> str:
    return "http://" + antwoord.headers["X-Ontmoet-Upstream"].split(",")[-1].strip()


@pytest.fixture(scope="module")
def opstelling(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Opstelling]:
    if not Path(NGINX).exists():
        pytest.skip("nginx is missing; `make test` installs Debian's nginx")
    tmp = tmp_path_factory.mktemp("deploy")
    name = f"ontmoet_deploy_{uuid.uuid4().hex[:10]}"
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
                "SECRET_KEY": f"deploy-{uuid.uuid4().hex}",
                "HOST": "127.0.0.1",
                "ONTMOET_PROXIES": "1",
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
        processen = []
        for label in ("a", "b"):
            port = _free_port()
            log = tmp / f"proces-{label}.log"
            with log.open("w") as out:
                process = subprocess.Popen(
                    [sys.executable, "wsgi.py"],
                    cwd=ROOT,
                    env={**env, "PORT": str(port)},
                    stdout=out,
                    stderr=subprocess.STDOUT,
                )
            processes.append(process)
            processen.append(Server(f"http://127.0.0.1:{port}", process, log))
        for server in processen:
            _wait_healthy(server)

        proxy_port = _free_port()
        ports = [int(s.url.rsplit(":", 1)[1]) for s in processen]
        (tmp / "ontmoet.conf").write_text(site_for_test(SITE.read_text(), proxy_port, ports))
        (tmp / "nginx.conf").write_text(MAIN_CONF.format(tmp=tmp))
        nginx_log = tmp / "nginx.log"
        with nginx_log.open("w") as out:
            nginx = subprocess.Popen(
                [NGINX, "-e", "stderr", "-p", str(tmp), "-c", str(tmp / "nginx.conf")],
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        processes.append(nginx)
        proxy = Server(f"http://127.0.0.1:{proxy_port}", nginx, nginx_log)
        _wait_healthy(proxy)

        routes: dict[str, str] = {}
        for _ in range(200):  # random route cookies until one leads to each process
            waarde = uuid.uuid4().hex
            antwoord = requests.get(proxy.url + "/healthz", cookies={ROUTE: waarde}, timeout=10)
            routes.setdefault(_upstream(antwoord), waarde)
            if len(routes) == len(processen):
                break
        assert set(routes) == {s.url for s in processen}, routes
        yield Opstelling(proxy, processen, routes)
        for server in processen:
            assert "Traceback" not in server.log.read_text(), server.log.read_text()
    finally:
        for process in reversed(processes):
            _stop(process)
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_a_new_browser_gets_a_route_cookie_and_stays_on_one_process(opstelling):
    http = requests.Session()
    eerste = http.get(opstelling.proxy.url + "/deelnemen", timeout=10)
    assert eerste.status_code == 200
    cookie = next(c for c in eerste.headers.get("Set-Cookie", "").split(", ") if c.startswith(ROUTE))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    waarde = cookie.split(";", 1)[0].split("=", 1)[1]
    daarna = [requests.get(opstelling.proxy.url + "/", cookies={ROUTE: waarde}, timeout=10) for _ in range(6)]
    assert {_upstream(antwoord) for antwoord in daarna} == {_upstream(eerste)}
    assert not any(ROUTE in antwoord.headers.get("Set-Cookie", "") for antwoord in daarna)


def test_post_through_one_process_reaches_a_socket_on_the_other_also_after_a_reconnect(opstelling):
    a, b = opstelling.processen
    proxy = opstelling.proxy
    begeleider = opstelling.browser(a)
    response = _post(begeleider, proxy.url, "/inloggen", {"email": BEGELEIDER, "wachtwoord": PASSWORD})
    assert response.status_code == 302, response.text
    # The begeleider's steps through nginx (routed to A), as the other helpers do them.
    sessie = _sessie_via(Server(proxy.url, proxy.process, proxy.log), "Achter nginx", begeleider)

    kijker = _join_via(Server(proxy.url, proxy.process, proxy.log), sessie.code, opstelling.browser(b))
    schrijver = _join_via(Server(proxy.url, proxy.process, proxy.log), sessie.code, opstelling.browser(a))
    via_nginx = Server(proxy.url, proxy.process, proxy.log)

    volger = Follower(via_nginx, kijker, sessie.code)  # its socket lands on B
    try:
        ack = volger.connect(sinds=0)
        assert ack["ok"] is True and volger.client.transport() == "websocket"  # the upgrade passed
        gezien = [volger.next_update()["seq"] for _ in range(ack["seq"])]
        assert gezien == list(range(1, ack["seq"] + 1))

        _post_knelpunt(schrijver, via_nginx, sessie.code, "Via A gepost, live op B.")  # through A
        live = volger.next_update()
        assert (live["seq"], live["type"]) == (ack["seq"] + 1, "knelpunt.toegevoegd")
        assert any("Via A gepost, live op B." in f["html"] for f in live["fragmenten"])
        volger.close()

        teksten = ["Gemist terwijl de deelnemer weg was.", "Ook gemist, anoniem."]
        for i, tekst in enumerate(teksten):
            _post_knelpunt(schrijver, via_nginx, sessie.code, tekst, anoniem=i == 1)

        # Reconnect on the other process (as after a restart of B): catch up, then live again.
        kijker.cookies.set(ROUTE, opstelling.routes[a.url], domain="127.0.0.1", path="/")
        terug = Follower(via_nginx, kijker, sessie.code)
        try:
            ack2 = terug.connect(sinds=live["seq"])
            assert ack2 == {"ok": True, "seq": live["seq"] + 2}
            gemist = [terug.next_update() for _ in teksten]
            assert [u["seq"] for u in gemist] == [live["seq"] + 1, live["seq"] + 2]
            for update, tekst in zip(gemist, teksten, strict=True):
                assert any(tekst in f["html"] for f in update["fragmenten"])
            schrijver.cookies.set(ROUTE, opstelling.routes[b.url], domain="127.0.0.1", path="/")
            _post_knelpunt(schrijver, via_nginx, sessie.code, "Nu via B, live op A.")
            weer = terug.next_update()
            assert weer["seq"] == live["seq"] + 3
            assert any("Nu via B, live op A." in f["html"] for f in weer["fragmenten"])
            assert terug.quiet() == []
        finally:
            terug.close()
    finally:
        volger.close()
