"""Ontmoet behind a real reverse proxy: Debian's nginx, started by the test (issue item 5).

nginx stands in for a TLS-terminating proxy: it tells the app `X-Forwarded-Proto: https` and
appends the client address to `X-Forwarded-For`. The app runs as `python wsgi.py` with
`ONTMOET_PROXIES=1`. Checked through the proxy: the session cookie is `Secure`, HSTS is sent,
signing in works (Flask-WTF's https referrer check included), the sign-in limit counts the real
client address (clients connect from 127.0.0.2 and 127.0.0.3: all of 127/8 is this machine) and
not the proxy's, a client's own X-Forwarded-For changes nothing, and a deelnemer's websocket
through nginx gets live updates. Directly, without the proxy, none of it is believed.

`make test` installs nginx where missing (Makefile target `nginx`); without it this test skips.
"""

from __future__ import annotations

import http.client
import os
import queue
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import socketio

pytestmark = [pytest.mark.multiprocess, pytest.mark.timeout(180)]

ROOT = Path(__file__).resolve().parents[2]
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
PASSWORD = "wachtwoord-achter-de-proxy"
BEGELEIDER = "begeleider@proxy.test"
_META = re.compile(r'<meta name="csrf-token" content="([^"]*)"')
WAIT = 10.0

NGINX_CONF = """
daemon off;
master_process off;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;
events {{ worker_connections 256; }}
http {{
  access_log off;
  client_body_temp_path {tmp}/body;
  proxy_temp_path {tmp}/proxy;
  fastcgi_temp_path {tmp}/fastcgi;
  uwsgi_temp_path {tmp}/uwsgi;
  scgi_temp_path {tmp}/scgi;
  map $http_upgrade $connection_upgrade {{ default upgrade; '' close; }}
  server {{
    listen 127.0.0.1:{port};
    location / {{
      proxy_pass http://127.0.0.1:{app_port};
      proxy_http_version 1.1;
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto https;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection $connection_upgrade;
      proxy_read_timeout 120s;
    }}
  }}
}}
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_for(port: int, process: subprocess.Popen, log: Path, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"stopped (exit {process.returncode}):\n{log.read_text()}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"port {port} did not answer /healthz within {timeout}s:\n{log.read_text()}")


@dataclass
class Opstelling:
    proxy_port: int
    app_port: int


@pytest.fixture(scope="module")
def opstelling(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Opstelling]:
    if not Path(NGINX).exists():
        pytest.skip("nginx is missing; `make test` installs Debian's nginx")
    tmp = tmp_path_factory.mktemp("proxy")
    app_port, proxy_port = _free_port(), _free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("SOCKETIO_MESSAGE_QUEUE", "FLASK_APP", "FLASK_DEBUG")}
    env.update(
        {
            "DATABASE_URL": f"sqlite:///{tmp / 'ontmoet.db'}",
            "SECRET_KEY": "achter-de-proxy",
            "HOST": "127.0.0.1",
            "PORT": str(app_port),
            "ONTMOET_PROXIES": "1",
            "ONTMOET_LOGIN_LIMIT": "3 per 10 minutes",
            "ONTMOET_LOGIN_ACCOUNT_LIMIT": "100 per 10 minutes",
            "PYTHONUNBUFFERED": "1",
        }
    )
    flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
    for args in (
        ["db", "upgrade"],
        [
            *("create-user", "--email", BEGELEIDER, "--name", "Bea", "--role", "begeleider"),
            *("--password", PASSWORD, "--gemeente", "Vechtstede"),
        ],
    ):
        done = subprocess.run(flask + args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, f"flask {' '.join(args)}:\n{done.stdout}\n{done.stderr}"
    (tmp / "nginx.conf").write_text(NGINX_CONF.format(tmp=tmp, port=proxy_port, app_port=app_port))
    app_log, nginx_log = tmp / "app.log", tmp / "nginx.log"
    processes: list[subprocess.Popen] = []
    try:
        with app_log.open("w") as out:
            processes.append(
                subprocess.Popen([sys.executable, "wsgi.py"], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
            )
        _wait_for(app_port, processes[0], app_log)
        with nginx_log.open("w") as out:
            processes.append(
                subprocess.Popen(
                    [NGINX, "-e", "stderr", "-p", str(tmp), "-c", str(tmp / "nginx.conf")],
                    stdout=out,
                    stderr=subprocess.STDOUT,
                )
            )
        _wait_for(proxy_port, processes[1], nginx_log)
        yield Opstelling(proxy_port=proxy_port, app_port=app_port)
    finally:
        for process in reversed(processes):
            _stop(process)
    assert "Traceback" not in app_log.read_text(), app_log.read_text()


@dataclass
class Antwoord:
    status: int
    headers: http.client.HTTPMessage
    tekst: str

    def cookies(self) -> list[str]:
        return [v for v in self.headers.get_all("Set-Cookie") or [] if v.startswith("session=")]


@dataclass
class Browser:
    """A browser at `bron` (its own address on this machine) talking to one port, cookie kept by hand.

    By hand because a Secure cookie is what we test: a cookie jar would not send it over http.
    """

    port: int
    bron: str = "127.0.0.1"
    cookie: str = ""
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def origin(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    def vraag(self, methode: str, pad: str, form: dict[str, str] | None = None) -> Antwoord:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=WAIT, source_address=(self.bron, 0))
        headers = {"Host": f"127.0.0.1:{self.port}", **self.extra}
        if self.cookie:
            headers["Cookie"] = self.cookie
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = self.origin + pad  # as a browser on the https address sends it
            headers["Origin"] = self.origin
        conn.request(methode, pad, body=body, headers=headers)
        response = conn.getresponse()
        antwoord = Antwoord(response.status, response.headers, response.read().decode())
        conn.close()
        for waarde in antwoord.cookies():
            self.cookie = waarde.split(";", 1)[0]
        return antwoord

    def post(self, pad: str, form: dict[str, str], token_van: str = "/") -> Antwoord:
        token = _META.search(self.vraag("GET", token_van).tekst)
        assert token, f"no csrf meta on {token_van}"
        return self.vraag("POST", pad, {"csrf_token": token.group(1), **form})


def test_through_the_proxy_the_cookie_is_secure_and_hsts_is_sent(opstelling):
    antwoord = Browser(opstelling.proxy_port).vraag("GET", "/inloggen")
    assert antwoord.status == 200
    assert antwoord.cookies() and all("Secure" in c and "HttpOnly" in c for c in antwoord.cookies())
    assert antwoord.headers["Strict-Transport-Security"].startswith("max-age=")
    assert "frame-ancestors 'none'" in antwoord.headers["Content-Security-Policy"]


def test_directly_without_the_proxy_nothing_is_secure(opstelling):
    browser = Browser(opstelling.app_port)
    antwoord = browser.vraag("GET", "/inloggen")
    assert antwoord.cookies() and not any("Secure" in c for c in antwoord.cookies())
    assert "Strict-Transport-Security" not in antwoord.headers


def test_signing_in_through_the_proxy(opstelling):
    browser = Browser(opstelling.proxy_port, bron="127.0.0.4")
    antwoord = browser.post("/inloggen", {"email": BEGELEIDER, "wachtwoord": PASSWORD}, token_van="/inloggen")
    assert antwoord.status == 302, antwoord.tekst
    pagina = browser.vraag("GET", "/sessies")
    assert pagina.status == 200 and "Uitloggen" in pagina.tekst
    assert pagina.headers["Cache-Control"] == "no-store"


def _mislukt(browser: Browser, n: int) -> Antwoord:
    # A different e-mail address each time: only the per-address limit can refuse.
    return browser.post("/inloggen", {"email": f"niemand{n}@proxy.test", "wachtwoord": "fout-fout-fout"}, "/inloggen")


def test_the_sign_in_limit_counts_the_real_client_not_the_proxy(opstelling):
    gast = Browser(opstelling.proxy_port, bron="127.0.0.2")
    for n in range(3):
        assert _mislukt(gast, n).status == 400
    assert _mislukt(gast, 3).status == 429  # ONTMOET_LOGIN_LIMIT: 3 failures per address
    # Claiming another address in X-Forwarded-For does not help: nginx appends the real one.
    vermomd = Browser(opstelling.proxy_port, bron="127.0.0.2", extra={"X-Forwarded-For": "198.51.100.23"})
    assert _mislukt(vermomd, 4).status == 429
    # Someone else behind the same proxy is not refused.
    buur = Browser(opstelling.proxy_port, bron="127.0.0.3")
    assert _mislukt(buur, 5).status == 400
    antwoord = Browser(opstelling.proxy_port, bron="127.0.0.3").post(
        "/inloggen", {"email": BEGELEIDER, "wachtwoord": PASSWORD}, "/inloggen"
    )
    assert antwoord.status == 302


def test_live_updates_over_a_websocket_through_the_proxy(opstelling):
    begeleider = Browser(opstelling.proxy_port, bron="127.0.0.5")
    assert begeleider.post("/inloggen", {"email": BEGELEIDER, "wachtwoord": PASSWORD}, "/inloggen").status == 302
    antwoord = begeleider.post("/sessies/nieuw", {"titel": "Achter de proxy", "sessievorm": "ontmoeten-en-ont-moeten"})
    assert antwoord.status == 302, antwoord.tekst
    sessie_id = int(antwoord.headers["Location"].rstrip("/").rsplit("/", 1)[1])
    assert begeleider.post(f"/sessies/{sessie_id}/starten", {}).status == 302
    pagina = begeleider.vraag("GET", f"/sessies/{sessie_id}").tekst
    code = re.search(r'data-code="([A-Z0-9]{6})"', pagina) or re.search(r"/deelnemen\?code=([A-Z0-9]{6})", pagina)
    assert code, "no deelnamecode on the begeleider's page"

    deelnemer = Browser(opstelling.proxy_port, bron="127.0.0.6")
    joined = deelnemer.post("/deelnemen", {"code": code.group(1), "naam": "", "perspectief": "uitvoering"})
    assert joined.status == 302, joined.tekst

    updates: queue.Queue[dict] = queue.Queue()
    client = socketio.Client(reconnection=False, websocket_extra_options={"origin": deelnemer.origin})
    client.on("update", updates.put)
    try:
        client.connect(
            f"http://127.0.0.1:{opstelling.proxy_port}",
            headers={"Cookie": deelnemer.cookie},
            transports=["websocket"],
            wait_timeout=WAIT,
        )
        assert client.transport() == "websocket"
        ack = client.call("volg", {"code": code.group(1), "sinds": 0}, timeout=WAIT)
        assert ack and ack.get("ok"), ack
        seen = ack.get("seq", 0)
        while True:  # catch-up of what happened before this socket connected
            try:
                seen = max(seen, updates.get(timeout=0.5)["seq"])
            except queue.Empty:
                break
        assert begeleider.post(f"/sessies/{sessie_id}/volgende", {}).status == 302
        update = updates.get(timeout=WAIT)
        assert update["seq"] > seen and update["type"] == "fase.gewijzigd"
    finally:
        if client.connected:
            client.disconnect()
