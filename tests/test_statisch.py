"""Static files: hashed names, a year in the cache, compressed, no cookie (facilitatie/statisch.py)."""

from __future__ import annotations

import gzip
import re
import shutil
from pathlib import Path

import brotli
import pytest
from flask import Flask, url_for

from facilitatie import statisch
from facilitatie.beveiliging import statische_headers
from tests.conftest import DEMO_PASSWORD, login

ROOT = Path(__file__).resolve().parent.parent
_STATIC_URL = re.compile(r'(?:href|src)="(/static/[^"]+)"')


def _static_urls(client, path: str = "/") -> list[str]:
    return _STATIC_URL.findall(client.get(path).get_data(as_text=True))


def test_pages_link_every_static_file_under_its_hashed_name(client):
    urls = _static_urls(client)
    assert any(u.startswith("/static/css/nl-design-system.") for u in urls)
    for url in urls:
        assert re.search(r"\.[0-9a-f]{12}(\.[a-z]+)?$", url), url
    with client.application.test_request_context():
        assert re.fullmatch(r"/static/css/app\.[0-9a-f]{12}\.css", url_for("static", filename="css/app.css"))
        # A name that is no file stays as it was (and is answered 404, below).
        assert url_for("static", filename="css/bestaat-niet.css") == "/static/css/bestaat-niet.css"


def test_a_hashed_url_is_cached_for_a_year_and_carries_no_cookie(client, factory):
    user = factory.user("begeleider", gemeente=factory.gemeente())
    login(client, user.email, DEMO_PASSWORD)  # a session cookie goes along with every request now
    for url in _static_urls(client, "/sessies"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable", url
        assert "Set-Cookie" not in response.headers, url
        assert "cookie" not in response.headers.get("Vary", "").lower(), url
        assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_the_plain_name_still_works_but_is_asked_again(client):
    response = client.get("/static/css/app.css")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-cache"
    assert response.data == (ROOT / "static/css/app.css").read_bytes()
    assert "Set-Cookie" not in response.headers and "Cookie" not in response.headers.get("Vary", "")


@pytest.mark.parametrize(
    ("accept", "codering"),
    [
        ("gzip, deflate, br, zstd", "br"),
        ("gzip, deflate", "gzip"),
        ("br;q=0, gzip", "gzip"),
        ("", None),
        ("identity", None),
        ("*", "br"),
        ("gzip;q=0, br;q=0", None),
    ],
)
def test_bodies_are_compressed_as_the_browser_accepts(client, accept, codering):
    [url] = [u for u in _static_urls(client) if "/css/app." in u]
    response = client.get(url, headers={"Accept-Encoding": accept})
    original = (ROOT / "static/css/app.css").read_bytes()
    assert response.headers.get("Content-Encoding") == codering
    assert response.headers["Vary"] == "Accept-Encoding"
    assert int(response.headers["Content-Length"]) == len(response.data)
    if codering == "br":
        assert brotli.decompress(response.data) == original
        assert len(response.data) < len(original) / 3
    elif codering == "gzip":
        assert gzip.decompress(response.data) == original
    else:
        assert response.data == original


def test_an_old_or_unknown_hash_gets_todays_file_without_the_long_cache(client):
    response = client.get("/static/css/app.0123456789ab.css", headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-cache"
    assert gzip.decompress(response.data) == (ROOT / "static/css/app.css").read_bytes()


@pytest.mark.parametrize(
    "path", ["/static/css/bestaat-niet.css", "/static/css/bestaat-niet.0123456789ab.css", "/static/../wsgi.py"]
)
def test_a_file_that_does_not_exist_is_a_404_not_a_500(client, path):
    assert client.get(path).status_code == 404


def test_conditional_requests_and_head(client):
    [url] = [u for u in _static_urls(client) if "/js/app." in u]
    first = client.get(url, headers={"Accept-Encoding": "br"})
    again = client.get(url, headers={"Accept-Encoding": "br", "If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    head = client.head(url, headers={"Accept-Encoding": "br"})
    assert head.status_code == 200 and head.data == b""
    assert head.headers["Content-Length"] == first.headers["Content-Length"]


def test_the_hashed_url_changes_when_the_file_changes(tmp_path):
    static = tmp_path / "static"
    shutil.copytree(ROOT / "static", static, ignore=shutil.ignore_patterns("axe-core"))
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "x.html").write_text('<p class="utrecht-paragraph">')
    voor = statisch.Statisch(static, statische_headers())
    oud = voor.naam_voor("css/app.css")
    (static / "css/app.css").write_text((static / "css/app.css").read_text() + "\n.nieuw { color: red; }\n")
    na = statisch.Statisch(static, statische_headers())
    nieuw = na.naam_voor("css/app.css")
    assert oud != nieuw
    assert na.naam_voor("js/app.js") == voor.naam_voor("js/app.js")
    # The new process still answers the name a page from before the change asked for.
    bestand, actueel = na.zoek(oud)
    assert bestand.naam == "css/app.css" and not actueel
    assert na.zoek(nieuw)[1]


def test_a_new_template_that_uses_another_component_gets_its_css_at_the_next_start(tmp_path):
    static = tmp_path / "static"
    shutil.copytree(ROOT / "static", static, ignore=shutil.ignore_patterns("axe-core"))
    bundel = statisch.BUNDEL

    def css(*bronnen: str) -> str:
        return statisch.Statisch(static, {}, bronnen=bronnen).bestanden[bundel].inhoud.decode()

    zonder = css('<p class="utrecht-paragraph">')
    met = css('<p class="utrecht-paragraph">', '<div class="utrecht-accordion">')
    assert ".utrecht-paragraph" in zonder and ".utrecht-accordion" not in zonder
    assert ".utrecht-accordion" in met


def test_the_built_css_keeps_what_the_templates_use_and_is_small(client):
    [url] = [u for u in _static_urls(client) if "/css/nl-design-system." in u]
    css = client.get(url).get_data(as_text=True)
    for klasse in ("utrecht-button", "utrecht-form-field", "utrecht-alert", "utrecht-table", "utrecht-heading-1"):
        assert f".{klasse}" in css, klasse
    assert ".utrecht-calendar" not in css and ".utrecht-youtube-video" not in css
    assert ".voorbeeld-theme" in css and "--utrecht-button-primary-action-background-color" in css
    volledig = sum(
        (ROOT / "static" / naam).stat().st_size for naam in (statisch.UTRECHT, statisch.THEMA)
    )  # what pages loaded before
    assert len(css) < volledig / 2
    assert "@license EUPL-1.2" in css


def test_static_answers_do_not_reach_flask():
    """No before/after_request runs for a static file: nothing there can open the session."""
    app = Flask(__name__, static_folder=str(ROOT / "static"))
    gezien: list[str] = []
    app.before_request(lambda: gezien.append("flask") and None)
    statisch.init_app(app, {"X-Content-Type-Options": "nosniff"})
    client = app.test_client()
    with app.test_request_context():
        url = url_for("static", filename="js/app.js")
    assert client.get(url).status_code == 200
    assert gezien == []


def test_in_debug_mode_an_edited_file_gets_its_new_hash_without_a_restart(tmp_path):
    static = tmp_path / "static"
    shutil.copytree(ROOT / "static", static, ignore=shutil.ignore_patterns("axe-core"))
    server = statisch.Statisch(static, {})
    server.volg_wijzigingen = True
    oud = server.naam_voor("css/app.css")
    (static / "css/app.css").write_text((static / "css/app.css").read_text() + "\n.nieuw { color: red; }\n")
    server._gecontroleerd = 0.0  # a second later
    assert server.naam_voor("css/app.css") != oud


def test_over_https_a_static_file_carries_hsts_like_a_page(client):
    [url] = [u for u in _static_urls(client) if "/js/app." in u]
    assert "Strict-Transport-Security" not in client.get(url).headers
    response = client.get(url, base_url="https://ontmoet.test")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
