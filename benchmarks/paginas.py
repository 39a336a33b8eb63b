"""Page weight: what a browser transfers to show the deelnemer's, the begeleider's and other pages (issue 12, item 4).

It starts the app exactly as `make run` serves it (`python wsgi.py`, gevent) on a scratch SQLite
database with the demo data (`flask seed-demo`), and drives Debian's chromium through
Playwright. Bytes are counted by the browser itself (Chrome DevTools Protocol: the encoded
length of every response, headers included, as it came over the wire), so compression and
cache hits show as they would on a phone.

Requests answered from the browser's cache are not counted as requests (they never reach the
network); `from_cache` counts them. The socket's own requests (/socket.io/) are left out.

Per page, two loads:

  first    a fresh browser context with an empty cache (the deelnemer's phone after the QR scan);
           for pages behind a sign-in or a join, the cache is emptied after that step
  second   the same page navigated to again (a link click, not a reload): what is still fetched

Pages: the deelnemer's live page (/s/<code>, a 320 px phone), the join form (/deelnemen?code=…,
what the QR code opens), the begeleider's sessie page (/sessies/<id>) and the dashboard.

usage:
  .venv/bin/python benchmarks/paginas.py                       # prints JSON lines and a Markdown table
  .venv/bin/python benchmarks/paginas.py --root /tmp/oud       # serve another checkout (before/after)
  .venv/bin/python benchmarks/paginas.py --screenshots /tmp/shots
"""

from __future__ import annotations

import argparse
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

from playwright.sync_api import BrowserContext, Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("ONTMOET_CHROMIUM", "/usr/bin/chromium")
WACHTWOORD = "ontmoet-demo-2026"  # facilitatie/demo.py
PHONE = {"viewport": {"width": 320, "height": 640}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(root: Path, workdir: Path) -> tuple[subprocess.Popen, str, dict[str, str]]:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("SOCKETIO_MESSAGE_QUEUE", "FLASK_APP", "FLASK_DEBUG")}
    env.update(
        {
            "DATABASE_URL": f"sqlite:///{workdir / 'ontmoet.db'}",
            "SECRET_KEY": "paginas-benchmark",
            "HOST": "127.0.0.1",
            "PORT": str(port),
            "ONTMOET_LOGIN_LIMIT": "1000 per minute",
            "ONTMOET_JOIN_LIMIT": "1000 per minute",
        }
    )
    for args in (["db", "upgrade"], ["seed-demo"]):
        subprocess.run(
            [sys.executable, "-m", "flask", "--app", "wsgi", *args], cwd=root, env=env, check=True, capture_output=True
        )
    log = (workdir / "server.log").open("w")
    process = subprocess.Popen([sys.executable, "wsgi.py"], cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2) as response:
                if response.status == 200:
                    return process, url, env
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise RuntimeError("the server did not answer /healthz:\n" + (workdir / "server.log").read_text())


class Meter:
    """Counts what one page's network traffic costs, from Chrome's own events."""

    def __init__(self, page: Page) -> None:
        self.cdp = page.context.new_cdp_session(page)
        self.cdp.send("Network.enable")
        self.responses: dict[str, dict[str, Any]] = {}
        self.cdp.on("Network.responseReceived", self._response)
        self.cdp.on("Network.loadingFinished", self._finished)
        self.cdp.on("Network.requestServedFromCache", self._from_cache)
        self.cached: set[str] = set()

    def empty_cache(self) -> None:
        self.cdp.send("Network.clearBrowserCache")

    def reset(self) -> None:
        self.responses = {}
        self.cached = set()

    def _from_cache(self, event: dict[str, Any]) -> None:
        self.cached.add(event["requestId"])

    def _response(self, event: dict[str, Any]) -> None:
        response = event["response"]
        if response["url"].startswith("data:"):
            return
        self.responses[event["requestId"]] = {
            "url": response["url"],
            "type": event.get("type", "Other"),
            "status": response["status"],
            "encoding": {k.lower(): v for k, v in response.get("headers", {}).items()}.get("content-encoding", ""),
            "bytes": 0,
            "cache": bool(response.get("fromDiskCache")) or event["requestId"] in self.cached,
        }

    def _finished(self, event: dict[str, Any]) -> None:
        if event["requestId"] in self.responses:
            self.responses[event["requestId"]]["bytes"] = int(event["encodedDataLength"])

    def summary(self) -> dict[str, Any]:
        rows = [r for r in self.responses.values() if "/socket.io/" not in r["url"]]
        css_js = [r for r in rows if r["type"] in ("Stylesheet", "Script")]
        return {
            "requests": sum(not r["cache"] for r in rows),
            "from_cache": sum(r["cache"] for r in rows),
            "bytes": sum(r["bytes"] for r in rows),
            "css_js_requests": sum(not r["cache"] for r in css_js),
            "css_js_bytes": sum(r["bytes"] for r in css_js),
            "files": sorted(
                (re.sub(r"^https?://[^/]+", "", r["url"]), r["status"], r["encoding"], r["bytes"], r["cache"])
                for r in css_js
            ),
        }


def _measure(name: str, context: BrowserContext, path: str, prepare=None, shots: Path | None = None) -> dict[str, Any]:
    page = context.new_page()
    meter = Meter(page)
    if prepare:
        prepare(page)
    meter.empty_cache()
    meter.reset()
    page.goto(path, wait_until="load")
    page.wait_for_timeout(800)  # late requests (the socket, fragments fetched after load)
    first = meter.summary()
    if shots:
        page.screenshot(path=str(shots / f"{name}.png"), full_page=True)
    meter.reset()
    page.goto(path, wait_until="load")
    page.wait_for_timeout(800)
    second = meter.summary()
    page.close()
    return {"page": name, "path": re.sub(r"(/s/|code=)[^/?&]+", r"\1<code>", path), "first": first, "second": second}


def _login(page: Page, email: str) -> None:
    page.goto("/inloggen")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord", exact=True).fill(WACHTWOORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(lambda url: "/inloggen" not in url)


def run(root: Path, shots: Path | None) -> list[dict[str, Any]]:
    results = []
    with tempfile.TemporaryDirectory(prefix="paginas-") as tmp:
        process, url, _env = _start(root, Path(tmp))
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu", "--disable-quic"]
                )
                begeleider = browser.new_context(base_url=url, locale="nl-NL", **DESKTOP)
                page = begeleider.new_page()
                _login(page, "begeleider@ontmoet.demo")
                page.goto("/sessies")
                page.get_by_role("link", name="Leerkring Wijkteam Noord").first.click()
                page.wait_for_url(re.compile(r"/sessies/\d+$"))
                sessie_path = re.sub(r"^https?://[^/]+", "", page.url)
                label = page.locator(".deelnamecode").get_attribute("aria-label") or ""
                code = "".join(label.removeprefix("Deelnamecode").split())
                page.close()

                deelnemer = browser.new_context(base_url=url, locale="nl-NL", **PHONE)
                results.append(_measure("deelnemen", deelnemer, f"/deelnemen?code={code}", shots=shots))

                def join(p: Page) -> None:
                    p.goto(f"/deelnemen?code={code}")
                    p.get_by_label("Naam (optioneel)").fill("Benchmark")
                    radio = p.get_by_role("radio", name="Uitvoering", exact=True)
                    if radio.count():
                        radio.check()
                    p.get_by_role("button", name="Deelnemen").click()
                    p.wait_for_url("**/s/*")

                fresh = browser.new_context(base_url=url, locale="nl-NL", **PHONE)
                results.append(_measure("deelnemer", fresh, f"/s/{code}", prepare=join, shots=shots))
                results.append(_measure("begeleider", begeleider, sessie_path, shots=shots))
                results.append(_measure("dashboard", begeleider, "/dashboard", shots=shots))
                browser.close()
        finally:
            process.terminate()
            process.wait(timeout=10)
    return results


def _kb(n: int) -> str:
    return f"{n / 1000:.1f}"


def table(results: list[dict[str, Any]]) -> str:
    lines = [
        "| page | first load: requests | CSS+JS kB | all kB "
        "| second navigation: requests | from cache | CSS+JS kB | all kB |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        f, s = r["first"], r["second"]
        lines.append(
            f"| {r['page']} `{r['path']}` | {f['requests']} | {_kb(f['css_js_bytes'])} | {_kb(f['bytes'])} "
            f"| {s['requests']} | {s['from_cache']} | {_kb(s['css_js_bytes'])} | {_kb(s['bytes'])} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--root", type=Path, default=ROOT, help="the checkout to serve (default: this one)")
    parser.add_argument("--screenshots", type=Path, help="save a full-page PNG of each page's first load here")
    args = parser.parse_args()
    if args.screenshots:
        args.screenshots.mkdir(parents=True, exist_ok=True)
    results = run(args.root.resolve(), args.screenshots)
    for r in results:
        print(json.dumps(r))
    print()
    print(table(results))


if __name__ == "__main__":
    main()
