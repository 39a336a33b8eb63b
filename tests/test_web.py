"""Start page, health check, and Dutch error pages instead of 500s."""

from __future__ import annotations

import re


def test_healthz_says_ok_when_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "ok"


def test_start_page_offers_join_with_code(client):
    html = client.get("/").get_data(as_text=True)
    assert 'lang="nl"' in html
    assert "Deelnamecode" in html and "Deelnemen" in html
    assert 'class="skip-link" href="#inhoud"' in html


def test_unknown_page_is_a_dutch_404(client):
    response = client.get("/bestaat-niet")
    assert response.status_code == 404
    assert "Niet gevonden" in response.get_data(as_text=True)


def test_no_cdn_in_pages(client):
    html = client.get("/").get_data(as_text=True)
    assert "cdn" not in html.lower() and "unpkg" not in html.lower()


def test_pages_name_an_icon_that_exists(client):
    """Browsers asked /favicon.ico on every page and logged a 404 in the console."""
    html = client.get("/").get_data(as_text=True)
    icon = re.search(r'rel="icon" href="(/static/img/favicon\.[0-9a-f]{12}\.svg)"', html)
    assert icon, "the icon is linked under its hashed name"
    response = client.get(icon[1])
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"


def test_gevents_hub_prints_no_client_address_through_the_filter():
    """An exception out of the WSGI app makes gevent's hub print the environ (issue 11, item 9)."""
    import io

    from gevent import get_hub

    from facilitatie.database import ZonderAdressen

    uit = io.StringIO()
    hub = get_hub()
    vorige = hub.exception_stream
    hub.exception_stream = ZonderAdressen(uit)
    try:
        fout = ValueError("kapot frame")
        context = {"REMOTE_ADDR": "203.0.113.7", "HTTP_X_FORWARDED_FOR": "2001:db8::7", "PATH_INFO": "/socket.io/"}
        hub.print_exception(context, ValueError, fout, None)
    finally:
        hub.exception_stream = vorige
    geschreven = uit.getvalue()
    assert "kapot frame" in geschreven and "/socket.io/" in geschreven
    assert "203.0.113.7" not in geschreven and "2001:db8::7" not in geschreven
