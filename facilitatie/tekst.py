"""Rendering user-written text (knelpunten, reacties, afspraken) safely.

Deelnemers write in a small Markdown subset. The result is shown to everyone in a
live sessie, so it is rendered defensively in two layers:

1. Markdown runs with raw HTML switched off, so ``<script>`` or ``<div hx-get>``
   typed by a user stays visible text instead of becoming markup. Headings become
   bold paragraphs (users must not inject page structure) and images become plain
   links (no remote images or tracking pixels in a sessie).
2. nh3 sanitises the output against a strict allow-list, whatever Markdown did.
   This layer alone decides what may reach the browser.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree

import markdown
import nh3
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

# Longest knelpunt text the forms accept; rendering itself does not truncate.
MAX_KNELPUNT_LENGTE = 2000

TOEGESTANE_TAGS: frozenset[str] = frozenset(
    {"p", "br", "strong", "em", "ul", "ol", "li", "a", "blockquote", "code", "pre"}
)
TOEGESTANE_SCHEMES: frozenset[str] = frozenset({"http", "https", "mailto"})
LINK_REL = "noopener nofollow"

_KOPPEN = {"h1", "h2", "h3", "h4", "h5", "h6"}

_CLEANER = nh3.Cleaner(
    tags=set(TOEGESTANE_TAGS),
    # Content of these is dropped entirely, not kept as text.
    clean_content_tags={"script", "style", "template", "iframe", "object", "embed", "noscript"},
    # "*" must be given explicitly, or nh3 keeps its generic defaults (title, lang).
    attributes={"*": set(), "a": {"href"}},
    url_schemes=set(TOEGESTANE_SCHEMES),
    # Relative and protocol-relative links have no scheme to check and could pose as
    # in-app actions; deelnemers link to outside sources (wetten.nl, gemeente sites).
    url_relative="deny",
    link_rel=LINK_REL,
    strip_comments=True,
)


class _VeiligeStructuur(Treeprocessor):
    """Turns headings into bold paragraphs and images into links."""

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            if element.tag in _KOPPEN:
                self._kop_naar_alinea(element)
            elif element.tag == "img":
                self._afbeelding_naar_link(element)

    @staticmethod
    def _kop_naar_alinea(element: etree.Element) -> None:
        strong = etree.Element("strong")
        strong.text = element.text
        strong.extend(list(element))
        for child in list(element):
            element.remove(child)
        element.text = None
        element.attrib.clear()
        element.tag = "p"
        element.append(strong)

    @staticmethod
    def _afbeelding_naar_link(element: etree.Element) -> None:
        src = element.get("src", "")
        alt = element.get("alt") or src
        element.attrib.clear()
        element.tag = "a"
        element.set("href", src)
        element.text = alt


class _GeenRuweHtml(Extension):
    """Markdown without raw HTML: typed tags stay text, rendered escaped."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # name fixed by Markdown
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        # Run after 'inline' (priority 20) so images and headings already exist.
        md.treeprocessors.register(_VeiligeStructuur(md), "veilige_structuur", 5)


def render_markdown(text: str) -> str:
    """Render user Markdown to sanitised HTML (a str; see render_markdown_markup).

    A fresh Markdown instance per call: instances keep state and are not thread-safe.
    """
    if not text:
        return ""
    md = markdown.Markdown(extensions=[_GeenRuweHtml()], output_format="html")
    try:
        html = md.convert(text)
    except RecursionError:
        # Pathologically deep nesting (thousands of '>' or list levels): show it as
        # escaped plain text rather than failing the page.
        html = "<p>" + nh3.escape(text) + "</p>"
    return _CLEANER.clean(html).strip()


def render_markdown_markup(text: str) -> Markup:
    """Rendered user text as Markup for templates (``{{ render_markdown(k.tekst) }}``).

    Marking it safe is justified because every byte has passed through nh3 with a
    strict allow-list in render_markdown; never wrap unsanitised text in Markup.
    """
    return Markup(render_markdown(text))  # noqa: S704 - sanitised by nh3 above
