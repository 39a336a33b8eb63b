"""Light pages (issue 12, item 4): bytes a browser transfers, counted by chromium, and the same look.

A budget in bytes, not time: the deelnemer's live page, loaded with an empty cache, transfers
less than 100 kB of CSS and JavaScript, the begeleider's less than 150 kB; a second navigation
fetches no CSS or JavaScript at all. And the built css/nl-design-system.css styles every element
of the pages exactly as the whole vendored library and theme did (computed styles compared).
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import create_sessie, create_user, deelnamecode, join, login

DEELNEMER_BUDGET = 100_000
BEGELEIDER_BUDGET = 150_000


class _Bytes:
    """What the page fetched over the network (cache hits excluded), by Chrome's own count."""

    def __init__(self, page: Page) -> None:
        self.cdp = page.context.new_cdp_session(page)
        self.cdp.send("Network.enable")
        self.rows: dict[str, dict[str, Any]] = {}
        self.cdp.on("Network.responseReceived", self._response)
        self.cdp.on("Network.loadingFinished", self._finished)
        # A memory-cache hit is announced before its responseReceived: remember it, skip it then.
        self.from_cache: set[str] = set()
        self.cdp.on("Network.requestServedFromCache", lambda event: self.from_cache.add(event["requestId"]))

    def _response(self, event: dict[str, Any]) -> None:
        response = event["response"]
        cached = response.get("fromDiskCache") or event["requestId"] in self.from_cache
        if not cached and not response["url"].startswith("data:"):
            self.rows[event["requestId"]] = {"url": response["url"], "type": event.get("type"), "bytes": 0}

    def _finished(self, event: dict[str, Any]) -> None:
        if event["requestId"] in self.rows:
            self.rows[event["requestId"]]["bytes"] = int(event["encodedDataLength"])

    def empty(self) -> None:
        self.cdp.send("Network.clearBrowserCache")
        self.rows = {}

    def css_js(self) -> list[dict[str, Any]]:
        return [r for r in self.rows.values() if r["type"] in ("Stylesheet", "Script")]


def _begeleider_met_sessie(page: Page, live_server) -> tuple[int, str]:
    account = create_user(live_server, "begeleider")
    login(page, account.email, account.password)
    sessie_id = create_sessie(page, live_server.unique("Licht"))
    return sessie_id, deelnamecode(page)


def test_the_deelnemers_page_stays_under_100_kb_of_css_and_js(new_context, live_server):
    _sessie_id, code = _begeleider_met_sessie(new_context().new_page(), live_server)
    page = new_context(phone=True).new_page()
    join(page, code, "Budget")
    meter = _Bytes(page)
    meter.empty()
    page.goto(f"/s/{code}", wait_until="load")
    page.wait_for_timeout(500)
    files = meter.css_js()
    total = sum(r["bytes"] for r in files)
    assert files and all(r["bytes"] > 0 for r in files)
    assert total < DEELNEMER_BUDGET, f"{total} bytes of CSS+JS: " + ", ".join(f"{r['url']} {r['bytes']}" for r in files)

    meter.rows = {}
    page.get_by_role("link", name="Ontmoet").first.click()  # a second navigation, then back
    page.goto(f"/s/{code}", wait_until="load")
    page.wait_for_timeout(300)
    assert meter.css_js() == [], "CSS or JS fetched again on a second navigation"


def test_the_begeleiders_page_stays_under_150_kb_of_css_and_js(new_context, live_server):
    page = new_context().new_page()
    sessie_id, _code = _begeleider_met_sessie(page, live_server)
    meter = _Bytes(page)
    meter.empty()
    page.goto(f"/sessies/{sessie_id}", wait_until="load")
    page.wait_for_timeout(500)
    total = sum(r["bytes"] for r in meter.css_js())
    assert 0 < total < BEGELEIDER_BUDGET, total


_SNAPSHOT = """() => Array.from(document.querySelectorAll('html, body, body *')).map(el => {
    const cs = getComputedStyle(el);
    const uit = {};
    for (const p of cs) if (!p.startsWith('--')) uit[p] = cs.getPropertyValue(p);
    return [el.tagName + (el.id ? '#' + el.id : '') + '.' + el.className, uit];
})"""

# Loads the whole vendored library and theme where the built bundle was, then compares every
# element's computed style with the snapshot taken before; returns the differences.
_COMPARE_WITH_FULL_LIBRARY = """async () => {
    const snapshot = SNAPSHOT;
    const built = snapshot();
    const bundle = document.querySelector('link[href*="/css/nl-design-system."]');
    const urls = ['/static/vendor/@utrecht/component-library-css/index.css',
                  '/static/vendor/@nl-design-system-unstable/voorbeeld-design-tokens/theme.css'];
    await Promise.all(urls.map(href => new Promise((resolve, reject) => {
        const link = document.createElement('link');
        link.rel = 'stylesheet'; link.href = href;
        link.onload = resolve; link.onerror = reject;
        bundle.before(link);
    })));
    bundle.remove();
    const full = snapshot();
    if (full.length !== built.length) return [`${built.length} elements before, ${full.length} after`];
    const differences = [];
    built.forEach(([name, styles], i) => {
        for (const [prop, value] of Object.entries(styles)) {
            if (full[i][1][prop] !== value)
                differences.push(`${name}: ${prop} ${value} built, ${full[i][1][prop]} with the whole library`);
        }
    });
    return differences;
}""".replace("SNAPSHOT", _SNAPSHOT)


def _same_look_as_the_whole_library(page: Page) -> None:
    page.wait_for_timeout(300)
    assert page.locator('link[href*="/css/nl-design-system."]').count() == 1, page.url
    differences = page.evaluate(_COMPARE_WITH_FULL_LIBRARY)
    assert not differences, f"{page.url}:\n" + "\n".join(differences[:20])


@pytest.mark.timeout(300)  # every computed property of every element, twice per page
def test_the_built_css_styles_the_begeleiders_pages_as_the_whole_library_did(new_context, live_server):
    page = new_context().new_page()
    sessie_id, _code = _begeleider_met_sessie(page, live_server)
    for path in (f"/sessies/{sessie_id}", "/dashboard", f"/sessies/{sessie_id}/verwachtingen"):
        page.goto(path)
        _same_look_as_the_whole_library(page)


@pytest.mark.timeout(300)
def test_the_built_css_styles_the_deelnemers_pages_as_the_whole_library_did(new_context, live_server):
    begeleider = new_context().new_page()
    _sessie_id, code = _begeleider_met_sessie(begeleider, live_server)
    deelnemer = new_context(phone=True).new_page()
    deelnemer.goto("/")
    _same_look_as_the_whole_library(deelnemer)
    join(deelnemer, code, "Zelfde")
    _same_look_as_the_whole_library(deelnemer)
    begeleider.get_by_role("button", name="Volgende fase").click()  # another fase, other controls
    begeleider.wait_for_timeout(300)
    deelnemer.goto(f"/s/{code}")
    _same_look_as_the_whole_library(deelnemer)
