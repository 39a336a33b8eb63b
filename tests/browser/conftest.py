"""Browser fixtures: the real app in a subprocess, Debian's chromium through Playwright, axe-core.

`live_server` serves `python wsgi.py` against its own migrated SQLite file for the whole run;
`browser` is one chromium for the run; `new_context` gives isolated contexts (a begeleider
and each deelnemer get their own cookies), optionally phone-sized. Controls are found by
role and accessible name (the Dutch labels of GLOSSARY.md).

Helpers other browser tests import: `from tests.browser.conftest import login, join, axe_check,
create_user, no_horizontal_scroll`.

Note: `live_server.python(...)` runs in a separate process without a message queue, so a
change made there is stored but NOT pushed live to open pages; make live changes over HTTP
(in a page) instead.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import socket
import subprocess
import sys
import textwrap
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Response, expect, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "static" / "vendor" / "axe-core" / "axe.min.js"
CHROMIUM = os.environ.get("ONTMOET_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PASSWORD = "wachtwoord-voor-browsertests"
TIMEOUT_MS = 20_000  # generous: two test workers share the 2-core machine with chromium and the servers
HERKANSINGEN = int(os.environ.get("ONTMOET_BROWSER_HERKANSINGEN", "1"))  # 0 while hunting flakes
PHONE = {"viewport": {"width": 320, "height": 640}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}

expect.set_options(timeout=TIMEOUT_MS)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Everything under tests/browser/ is a browser test (`-m "not browser"` skips them)."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)
            # One more try for a browser test that fails (Playwright's advice for CI: retries),
            # because two workers, chromium and the servers share two busy cores. A rerun is
            # printed ("R", and "N rerun" in the summary), so a flaky test stays visible.
            if not item.get_closest_marker("flaky"):
                item.add_marker(pytest.mark.flaky(reruns=HERKANSINGEN, reruns_delay=2))


# --- the live server ----------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


_RUNNER = """
import json, sys
from wsgi import app
from facilitatie.extensions import db
source = sys.stdin.read()
with app.app_context(), app.test_request_context("/"):
    scope = {"app": app, "db": db, "json": json}
    exec(compile(source, "<live_server.python>", "exec"), scope)
    db.session.commit()
"""


@dataclass
class LiveServer:
    """The app running as `python wsgi.py`, with helpers that work on the same database."""

    url: str
    env: dict[str, str]
    log: Path
    process: subprocess.Popen | None = None
    _n: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    def flask(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        """Run `flask --app wsgi <args>` against the live server's database."""
        result = subprocess.run(
            [sys.executable, "-m", "flask", "--app", "wsgi", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        if check and result.returncode != 0:
            raise AssertionError(f"flask {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
        return result

    def python(self, source: str) -> str:
        """Run Python against the database (app context + request context); returns stdout.

        `app`, `db` and `json` are in scope; the session is committed afterwards. Print JSON to
        hand data back. Changes made here are not pushed live (separate process).
        """
        result = subprocess.run(
            [sys.executable, "-c", _RUNNER],
            cwd=ROOT,
            env=self.env,
            input=textwrap.dedent(source),
            capture_output=True,
            text=True,
            timeout=60,
        )
        if result.returncode != 0:
            raise AssertionError(f"live_server.python failed:\n{result.stdout}\n{result.stderr}")
        return result.stdout

    def python_json(self, source: str) -> Any:
        """Like `python`, for code whose last printed line is JSON."""
        lines = self.python(source).strip().splitlines()
        return json.loads(lines[-1])

    def unique(self, prefix: str = "test") -> str:
        """A name unique for this run (the server and its database live for the whole run)."""
        return f"{prefix}{next(self._n)}-{os.getpid()}"


def _wait_healthy(server: LiveServer, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process is not None and server.process.poll() is not None:
            raise RuntimeError(f"live server stopped (exit {server.process.returncode}):\n{server.log.read_text()}")
        try:
            with urllib.request.urlopen(server.url + "/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"live server did not answer /healthz within {timeout}s:\n{server.log.read_text()}")


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """`python wsgi.py` on a free port with a freshly migrated SQLite database."""
    workdir = tmp_path_factory.mktemp("live")
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("SOCKETIO_MESSAGE_QUEUE", "FLASK_APP", "FLASK_DEBUG")}
    env.update(
        {
            "DATABASE_URL": f"sqlite:///{workdir / 'ontmoet.db'}",
            "SECRET_KEY": "browser-tests-secret",
            "HOST": "127.0.0.1",
            "PORT": str(port),
            "ONTMOET_LOGIN_LIMIT": "1000 per minute",
            "ONTMOET_JOIN_LIMIT": "1000 per minute",
            "PYTHONUNBUFFERED": "1",
        }
    )
    server = LiveServer(url=f"http://127.0.0.1:{port}", env=env, log=workdir / "server.log")
    server.flask("db", "upgrade")
    for attempt in range(3):  # the free port may be taken by someone else in between
        with server.log.open("w") as log:
            server.process = subprocess.Popen(
                [sys.executable, "wsgi.py"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
            )
        try:
            _wait_healthy(server)
            time.sleep(0.3)  # an answer from another process on this port while ours failed to bind
            if server.process.poll() is None:
                break
        except RuntimeError:
            if attempt == 2:
                raise
        _stop(server.process)
        port = _free_port()
        env["PORT"] = str(port)
        server.url = f"http://127.0.0.1:{port}"
    else:
        raise RuntimeError(f"live server did not start:\n{server.log.read_text()}")
    try:
        yield server
    finally:
        _stop(server.process)


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture(autouse=True)
def _no_server_errors(request: pytest.FixtureRequest) -> Iterator[None]:
    """A test fails when the live server logged an error while it ran (never a 500)."""
    if "live_server" not in request.fixturenames:
        yield
        return
    server: LiveServer = request.getfixturevalue("live_server")
    start = server.log.stat().st_size
    yield
    with server.log.open() as log:
        log.seek(start)
        new = log.read()
    assert "Traceback" not in new and "ERROR" not in new, f"the live server logged an error:\n{new}"


@dataclass
class Account:
    email: str
    naam: str
    rol: str
    password: str = PASSWORD


def create_user(
    server: LiveServer,
    rol: str = "begeleider",
    *,
    email: str | None = None,
    naam: str | None = None,
    password: str = PASSWORD,
    gemeente: str | None = "Vechtstede",
) -> Account:
    """An account made with the `create-user` CLI on the live server's database."""
    email = email or f"{server.unique(rol)}@ontmoet.test"
    naam = naam or f"{rol.title()} {email.split('@')[0]}"
    args = ["create-user", "--email", email, "--name", naam, "--role", rol, "--password", password]
    if gemeente:
        args += ["--gemeente", gemeente]
    server.flask(*args)
    return Account(email=email, naam=naam, rol=rol, password=password)


# --- the browser ----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's chromium (never a downloaded one), headless."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing; `make test` installs Debian's chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


NewContext = Callable[..., BrowserContext]


@pytest.fixture
def new_context(browser: Browser, live_server: LiveServer) -> Iterator[NewContext]:
    """Factory for fresh, isolated contexts (own cookies) with base_url set to the live server.

    `new_context(phone=True)` gives a 320×640 touch phone. Uncaught JavaScript errors, server
    errors (5xx) and missing static files in any page of these contexts fail the test.
    """
    contexts: list[BrowserContext] = []
    js_errors: list[str] = []

    def make(*, phone: bool = False, **options: Any) -> BrowserContext:
        settings: dict[str, Any] = {"base_url": live_server.url, "locale": "nl-NL"}
        if phone:
            settings.update(PHONE)
        settings.update(options)
        context = browser.new_context(**settings)
        context.set_default_timeout(TIMEOUT_MS)
        context.on("page", lambda page: page.on("pageerror", lambda exc: js_errors.append(f"{page.url}: {exc}")))
        context.on("response", _record_broken(js_errors))
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()
    assert not js_errors, "errors in the page:\n" + "\n".join(js_errors)


def _record_broken(errors: list[str]) -> Callable[[Response], None]:
    def check(response: Response) -> None:
        if response.status >= 500 or (response.status == 404 and "/static/" in response.url):
            errors.append(f"{response.request.method} {response.url}: HTTP {response.status}")

    return check


@pytest.fixture
def page(new_context: NewContext) -> Page:
    """One page in a fresh desktop context."""
    return new_context().new_page()


# --- helpers -------------------------------------------------------------------------------


def login(page: Page, email: str, password: str = PASSWORD) -> None:
    """Sign in through the form, as a person would."""
    page.goto("/inloggen")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord", exact=True).fill(password)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(lambda url: "/inloggen" not in url)


def join(page: Page, code: str, naam: str = "", perspectief: str = "Uitvoering") -> None:
    """Join a live sessie on /deelnemen and wait for the deelnemer page."""
    page.goto("/deelnemen")
    page.get_by_label("Deelnamecode").fill(code)
    if naam:
        page.get_by_label("Naam (optioneel)").fill(naam)
    radio = page.get_by_role("radio", name=perspectief, exact=True)
    if radio.count():
        radio.check()
    page.get_by_role("button", name="Deelnemen").click()
    page.wait_for_url("**/s/*")


def create_sessie(page: Page, titel: str, vorm: str = "Ontmoeten en ont-moeten", *, starten: bool = True) -> int:
    """As a signed-in begeleider: "Nieuwe sessie", fill in, create (and start); returns the sessie id."""
    page.goto("/sessies/nieuw")
    page.get_by_label("Titel").fill(titel)
    page.get_by_role("group", name="Sessievorm").get_by_label(vorm).check()
    page.get_by_role("button", name="Sessie aanmaken").click()
    page.wait_for_url(re.compile(r"/sessies/\d+$"))
    sessie_id = int(page.url.rstrip("/").rsplit("/", 1)[1])
    if starten:
        page.get_by_role("button", name="Sessie starten").click()
        expect(page.get_by_role("button", name="Volgende fase")).to_be_visible()
    return sessie_id


def deelnamecode(page: Page) -> str:
    """The deelnamecode shown on the begeleider's sessie page."""
    label = page.locator(".deelnamecode").get_attribute("aria-label") or ""
    return "".join(label.removeprefix("Deelnamecode").split())


def axe_check(page: Page, *, exclude: list[str] | None = None, tags: list[str] | None = None) -> None:
    """Inject the vendored axe-core and assert no WCAG 2.1 A/AA violations on the page as it is."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # From the app's own static files: the Content-Security-Policy (script-src 'self') would
        # block the inline <script> that add_script_tag(path=...) writes. No CSP bypass needed.
        assert AXE.exists(), f"{AXE} is missing"
        page.add_script_tag(url="/static/vendor/axe-core/axe.min.js")
    violations = page.evaluate(
        """async ([tags, exclude]) => {
            const context = exclude.length ? {include: [document], exclude: exclude.map(s => [s])} : document;
            const result = await axe.run(context, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html, summary: n.failureSummary})),
            }));
        }""",
        [tags or WCAG_TAGS, exclude or []],
    )
    if violations:
        lines = [f"axe: {len(violations)} violation(s) on {page.url}"]
        for v in violations:
            lines.append(f"- [{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
            for node in v["nodes"][:5]:
                lines.append(f"    at {node['target']}: {node['html'][:200]}")
                lines.append("      " + (node["summary"] or "").replace("\n", "\n      "))
        pytest.fail("\n".join(lines), pytrace=False)


def no_horizontal_scroll(page: Page) -> None:
    """Assert the page fits its viewport's width (usable at 320 px)."""
    widths = page.evaluate(
        "() => ({scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth})"
    )
    assert widths["scroll"] <= widths["client"], f"horizontal scroll on {page.url}: {widths}"
