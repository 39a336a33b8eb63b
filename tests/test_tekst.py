"""Tests for facilitatie.tekst: user Markdown may format, never inject markup."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from facilitatie.tekst import (
    LINK_REL,
    MAX_KNELPUNT_LENGTE,
    TOEGESTANE_TAGS,
    render_markdown,
    render_markdown_markup,
)

EVENT_ATTR = re.compile(r"\son\w+=", re.IGNORECASE)
TAG = re.compile(r"<[^>]*>")
QUOTED = re.compile(r'"[^"]*"')


class _Tags(HTMLParser):
    """Collects every start tag with its attributes, as a browser would see them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


def tags_van(html: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    parser = _Tags()
    parser.feed(html)
    parser.close()
    return parser.tags


def assert_veilig(html: str) -> None:
    """The safety contract of render_markdown, checked on the parsed output."""
    assert "<script" not in html.lower()
    for tag_text in TAG.findall(html):
        # Typed text is escaped, so text outside tags is harmless whatever it says.
        # Inside a tag, look at its skeleton: quoted values are blanked, since nh3
        # always double-quotes them (a '"' inside becomes &quot;). A URL path such
        # as https://x.example/hx-get is harmless; the href check below covers it.
        skelet = QUOTED.sub('""', tag_text).lower()
        assert not EVENT_ATTR.search(skelet), tag_text
        assert "hx-" not in skelet, tag_text
        assert "data-" not in skelet, tag_text
        assert "style" not in skelet, tag_text
        assert "javascript:" not in skelet, tag_text
    for tag, attrs in tags_van(html):
        assert tag in TOEGESTANE_TAGS, tag
        namen = {naam for naam, _ in attrs}
        if tag == "a":
            assert namen <= {"href", "rel"}, attrs
            waarden = dict(attrs)
            assert waarden.get("rel") == LINK_REL
            href = waarden.get("href")
            if href is not None:
                # Only the allowed schemes: no javascript:, data:, relative paths.
                assert re.match(r"(https?|mailto):", href, re.IGNORECASE), href
        else:
            assert not namen, (tag, attrs)


# --- dangerous input is neutralised -------------------------------------------------

GEVAARLIJK = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    '<img src=x onerror="alert(1)">',
    "<img src=x onerror=alert(1)//",
    '<a href="javascript:alert(1)">klik</a>',
    '<div hx-get="/x" hx-trigger="load">y</div>',
    '<button hx-post="/sessies/1/afsluiten">ok</button>',
    '<p data-x="1" style="position:fixed">x</p>',
    '<span style="background:url(javascript:alert(1))">x</span>',
    '<iframe src="https://evil.example"></iframe>',
    "<svg onload=alert(1)>",
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    "<!-- <script>alert(1)</script> -->",
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](  javascript:alert(1))",
    "[x](java&#x09;script:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD4=)",
    "![x](javascript:alert(1))",
    "![x](data:image/svg+xml;base64,PHN2Zz4=)",
    "[x]: javascript:alert(1)\n\n[klik][x]",
    '[x](https://ok.example "onclick=alert(1)")',
    '<https://ok.example/" onmouseover="alert(1)>',
    "`<script>alert(1)</script>`",
    "    <script>alert(1)</script>",
    "> <script>alert(1)</script>",
    "- <img src=x onerror=alert(1)>",
]


@pytest.mark.parametrize("tekst", GEVAARLIJK)
def test_gevaarlijke_invoer_wordt_onschadelijk(tekst: str) -> None:
    assert_veilig(render_markdown(tekst))


def test_script_tag_blijft_zichtbare_tekst() -> None:
    html = render_markdown("<script>alert(1)</script> hallo")
    assert "<script" not in html
    assert "&lt;script&gt;" in html
    assert "hallo" in html


def test_img_onerror_verdwijnt() -> None:
    html = render_markdown('<img src=x onerror="alert(1)">')
    assert "<img" not in html
    assert not any(tag == "img" for tag, _ in tags_van(html))


def test_javascript_href_wordt_verwijderd() -> None:
    html = render_markdown('<a href="javascript:alert(1)">klik</a>')
    assert not any(tag == "a" for tag, _ in tags_van(html))
    html = render_markdown("[klik](javascript:alert(1))")
    assert tags_van(html) == [("p", []), ("a", [("rel", LINK_REL)])]
    assert "klik" in html


def test_htmx_attributen_worden_geen_markup() -> None:
    html = render_markdown('<div hx-get="/x">y</div>')
    assert [tag for tag, _ in tags_van(html)] == ["p"]
    assert "&lt;div" in html


def test_data_url_wordt_verwijderd() -> None:
    html = render_markdown("[plaatje](data:text/html;base64,PHNjcmlwdD4=)")
    assert "data:" not in html
    assert "plaatje" in html


def test_style_attribuut_wordt_verwijderd() -> None:
    html = render_markdown('<p style="color:red">rood</p>')
    assert all(not attrs for _, attrs in tags_van(html))


def test_relatieve_links_verliezen_href() -> None:
    """No scheme, no link target: in-app actions cannot be disguised as a link."""
    for tekst in ("[x](/sessies/1/afsluiten)", "[x](//evil.example)", "[x](#top)"):
        assert dict(tags_van(render_markdown(tekst))[1][1]).get("href") is None


# --- normal Markdown is kept --------------------------------------------------------


def test_vet_en_schuin() -> None:
    assert render_markdown("**vet** en *schuin*") == ("<p><strong>vet</strong> en <em>schuin</em></p>")


def test_opsommingen() -> None:
    html = render_markdown("Punten:\n\n- een\n- twee\n\nStappen:\n\n1. eerst\n2. dan")
    assert "<ul>" in html and "<ol>" in html
    assert html.count("<li>") == 4


def test_link_krijgt_rel() -> None:
    html = render_markdown("Zie [de wet](https://wetten.overheid.nl/BWBR0035362).")
    assert '<a href="https://wetten.overheid.nl/BWBR0035362" rel="noopener nofollow">de wet</a>' in html


def test_mailto_link_blijft() -> None:
    html = render_markdown("[mail](mailto:info@example.nl)")
    assert 'href="mailto:info@example.nl"' in html


def test_link_titel_wordt_verwijderd() -> None:
    html = render_markdown('[x](https://example.nl "titel")')
    assert "title" not in html


def test_citaat_en_code() -> None:
    html = render_markdown("> zo zei ze\n\nen `code` en\n\n    blok")
    assert "<blockquote>" in html
    assert "<code>code</code>" in html
    assert "<pre><code>blok" in html


def test_code_toont_html_letterlijk() -> None:
    assert render_markdown("`<b>`") == "<p><code>&lt;b&gt;</code></p>"


def test_regeleinde() -> None:
    assert "<br>" in render_markdown("regel een  \nregel twee")


def test_koppen_worden_vette_alinea() -> None:
    html = render_markdown("# Groot\n\n### Kleiner *nadruk*\n\nOnderstreept\n===")
    assert "<h" not in html
    assert "<p><strong>Groot</strong></p>" in html
    assert "<p><strong>Kleiner <em>nadruk</em></strong></p>" in html
    assert "<p><strong>Onderstreept</strong></p>" in html


def test_afbeelding_wordt_link() -> None:
    html = render_markdown("![schema](https://example.nl/schema.png)")
    assert "<img" not in html
    assert '<a href="https://example.nl/schema.png" rel="noopener nofollow">schema</a>' in html


def test_ampersand_en_entiteiten() -> None:
    assert render_markdown("Wmo & Jeugd") == "<p>Wmo &amp; Jeugd</p>"
    assert "<script" not in render_markdown("&#60;script&#62;alert(1)&#60;/script&#62;")


def test_lege_tekst() -> None:
    assert render_markdown("") == ""


def test_diep_genest_faalt_niet() -> None:
    assert_veilig(render_markdown(">" * 3000 + " x"))
    assert_veilig(render_markdown("".join("  " * i + "- x\n" for i in range(300))))


def test_maximale_lengte_is_gedefinieerd() -> None:
    assert MAX_KNELPUNT_LENGTE == 2000
    assert_veilig(render_markdown("*a* " * (MAX_KNELPUNT_LENGTE // 4)))


def test_markup_variant() -> None:
    result = render_markdown_markup("**a** <b>")
    assert isinstance(result, Markup)
    assert str(result) == render_markdown("**a** <b>")
    # Markup must not be escaped a second time by Jinja.
    assert Markup("{}").format(result) == result


# --- property: nothing dangerous survives, whatever the input -----------------------

FRAGMENTEN = st.sampled_from(
    [
        "<script>",
        "</script>",
        "<img src=x onerror=alert(1)>",
        " onclick=",
        "onload=",
        '<div hx-get="/x">',
        "hx-post",
        "data-x=1",
        "javascript:",
        "JAVASCRIPT:",
        "data:text/html,",
        "style=",
        "<a href=",
        '"',
        "'",
        ">",
        "<",
        "[",
        "](",
        ")",
        "![",
        "**",
        "*",
        "_",
        "`",
        "```",
        "\n",
        "\n\n",
        "    ",
        "> ",
        "- ",
        "1. ",
        "# ",
        "&#",
        "&lt;",
        "&amp;",
        ";",
        "\t",
        "\x00",
        "<!--",
        "-->",
        "<svg",
        "<iframe",
        "<https://x.example/",
        "mailto:",
        "https://",
        " title=",
        "=",
    ]
)
TEKST = st.lists(st.one_of(FRAGMENTEN, st.text(max_size=8)), max_size=40).map("".join)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEKST)
def test_eigenschap_geen_gevaarlijke_markup(tekst: str) -> None:
    assert_veilig(render_markdown(tekst))


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_eigenschap_willekeurige_tekst(tekst: str) -> None:
    html = render_markdown(tekst)
    assert isinstance(html, str)
    assert_veilig(html)
