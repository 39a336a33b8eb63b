"""Security headers on every response, and which proxies are believed (facilitatie/beveiliging.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import request

from facilitatie.beveiliging import CSP
from facilitatie.config import aantal_proxies
from tests.conftest import DEMO_PASSWORD, login, make_app

ROOT = Path(__file__).resolve().parent.parent


def _csp(response) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    return {deel.split()[0]: " ".join(deel.split()[1:]) for deel in (d.strip() for d in policy.split(";")) if deel}


@pytest.mark.parametrize("path", ["/", "/inloggen", "/deelnemen", "/healthz", "/bestaat-niet", "/static/css/app.css"])
def test_every_response_carries_the_headers(client, path):
    response = client.get(path)
    csp = _csp(response)
    assert csp["script-src"] == "'self'"
    assert csp["style-src"] == "'self'"
    assert csp["frame-ancestors"] == "'none'"
    assert csp["object-src"] == "'none'"
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert "unsafe-eval" not in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "camera=()" in response.headers["Permissions-Policy"]
    assert "microphone=()" in response.headers["Permissions-Policy"]


def test_no_hsts_over_plain_http(client):
    assert "Strict-Transport-Security" not in client.get("/").headers


def test_hsts_over_https(client):
    response = client.get("/", base_url="https://ontmoet.test")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_signed_in_pages_are_not_stored(client, factory):
    user = factory.user("begeleider", gemeente=factory.gemeente())
    assert "no-store" not in client.get("/").headers.get("Cache-Control", "")
    login(client, user.email, DEMO_PASSWORD)
    for path in ("/", "/sessies", "/opvolging"):
        assert client.get(path).headers["Cache-Control"] == "no-store", path


# --- no inline script or style in what the app serves ------------------------------------------

_INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
_STYLE_ATTR = re.compile(r"\sstyle\s*=", re.IGNORECASE)
_EVENT_ATTR = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
_HTMX_EVAL = re.compile(r"hx-on|hx-vals\s*=\s*[\"']js:|hx-trigger\s*=\s*\"[^\"]*\[", re.IGNORECASE)


def _templates() -> list[Path]:
    """Every served template; mail bodies are not served (no CSP in a mail client, which needs inline style)."""
    mail = ROOT / "templates" / "meldingen" / "mail"
    return sorted(p for p in (ROOT / "templates").rglob("*.html") if mail not in p.parents)


@pytest.mark.parametrize("template", _templates(), ids=lambda p: str(p.relative_to(ROOT)))
def test_templates_need_no_unsafe_inline_or_eval(template):
    """What the CSP would block: inline <script>, style="", on…= handlers, htmx filters that eval."""
    # Jinja comments, statements and expressions are server-side ({% set onbreekt = … %} and
    # {{ url_for(…, onderdeel='stemmen') }} are no handlers).
    source = re.sub(r"\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}", "", template.read_text(encoding="utf-8"), flags=re.DOTALL)
    assert not _INLINE_SCRIPT.search(source), "inline <script>: move it into static/js"
    assert "<style" not in source.lower(), "<style> element: move it into static/css"
    assert not _STYLE_ATTR.search(source), 'style="…": use a class in static/css'
    assert not _EVENT_ATTR.search(source), "on…= handler: listen in static/js"
    assert not _HTMX_EVAL.search(source), "hx-on, js: values or a trigger filter need eval"


def test_htmx_is_configured_for_the_csp(client):
    html = client.get("/").get_data(as_text=True)
    meta = re.search(r"<meta name=\"htmx-config\" content='([^']+)'>", html)
    assert meta, "base.html sets htmx-config"
    assert '"includeIndicatorStyles": false' in meta.group(1)
    assert '"allowEval": false' in meta.group(1)
    assert ".htmx-indicator" in (ROOT / "static/css/app.css").read_text()


def test_csp_has_no_wildcards():
    assert all("*" not in waarde and "unsafe" not in waarde for waarde in CSP.values())


# --- proxies ---------------------------------------------------------------------------------


def test_proxies_setting_is_a_count():
    assert aantal_proxies(None) == 0
    assert aantal_proxies("2") == 2
    with pytest.raises(ValueError, match="ONTMOET_PROXIES"):
        aantal_proxies("ja")
    with pytest.raises(ValueError, match="ONTMOET_PROXIES"):
        aantal_proxies("-1")


def _cookie_line(response) -> str:
    return next(v for k, v in response.headers.items() if k == "Set-Cookie" and v.startswith("session="))


def _app(database_url: str, proxies: int):
    """The app with one extra page that answers the client address it sees (ProxyFix included)."""
    app = make_app(database_url, PROXIES=proxies)
    app.add_url_rule("/_wie", "_wie", lambda: request.remote_addr or "")
    app.test_client_class = None  # the plain client: no app context is pushed around these requests
    return app


def test_without_trusted_proxies_forwarded_headers_do_not_count(database_url):
    client = _app(database_url, 0).test_client()
    response = client.get("/inloggen", headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"})
    assert "Secure" not in _cookie_line(response)
    assert client.get("/_wie", headers={"X-Forwarded-For": "203.0.113.9"}).text == "127.0.0.1"


def test_one_trusted_proxy_gives_client_address_and_https(database_url):
    client = _app(database_url, 1).test_client()
    response = client.get("/inloggen", headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"})
    assert "Secure" in _cookie_line(response)
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    assert "Secure" not in _cookie_line(client.get("/inloggen", headers={"X-Forwarded-Proto": "http"}))
    # The trusted proxy appends the address it saw; what a client wrote before it does not count.
    assert client.get("/_wie", headers={"X-Forwarded-For": "198.51.100.7, 203.0.113.9"}).text == "203.0.113.9"
