"""The toegankelijkheidsverklaring at /toegankelijkheid, linked from every page (issue 14, item 10)."""

from __future__ import annotations

import pytest

from facilitatie import adres
from tests.conftest import make_app


def test_verklaring_names_status_tests_method_known_issues_and_contact(client):
    antwoord = client.get("/toegankelijkheid")
    assert antwoord.status_code == 200
    html = antwoord.get_data(as_text=True)
    assert "<h1 class=\"utrecht-heading-1\">Toegankelijkheidsverklaring</h1>" in html
    for kop in ("Status: voldoet gedeeltelijk", "Wat is getest", "Hoe is getest", "Bekende beperkingen",
                "Feedback en contact"):  # fmt: skip
        assert kop in html
    assert "WCAG" in html and "axe-core" in html and "toetsenbord" in html


def test_every_page_links_to_it_from_the_footer(client):
    for pad in ("/", "/inloggen", "/deelnemen", "/bestaat-niet"):
        html = client.get(pad).get_data(as_text=True)
        voet = html.split("<footer", 1)[1]
        assert 'href="/toegankelijkheid">Toegankelijkheid</a>' in voet, pad


def test_contact_from_the_setting(sqlite_template):
    app = make_app(f"sqlite:///{sqlite_template}", TOEGANKELIJKHEID_CONTACT="toegankelijkheid@vechtstede.nl")
    with app.app_context():
        html = app.test_client().get("/toegankelijkheid").get_data(as_text=True)
    assert 'href="mailto:toegankelijkheid@vechtstede.nl"' in html


@pytest.mark.parametrize(
    ("waarde", "href"),
    [("a@b.nl", "mailto:a@b.nl"), ("https://www.vechtstede.nl/contact", "https://www.vechtstede.nl/contact"),
     (None, None), ("", None)],
)
def test_contactadres_accepted(waarde, href):
    uit = adres.contactadres(waarde)
    assert (uit["href"] if uit else None) == href


@pytest.mark.parametrize("waarde", ["javascript:alert(1)", "geen adres", "ftp://x.nl", "a@b"])
def test_a_wrong_contact_stops_the_start(sqlite_template, waarde):
    with pytest.raises(RuntimeError, match="ONTMOET_TOEGANKELIJKHEID_CONTACT"):
        make_app(f"sqlite:///{sqlite_template}", TOEGANKELIJKHEID_CONTACT=waarde)
