"""Only the NL Design System CSS the pages can use (facilitatie/nlds.py): pure, no app."""

from __future__ import annotations

from facilitatie import nlds

LIBRARY = """/**
 * @license EUPL-1.2
 */
@charset "UTF-8";
.utrecht-button { color: var(--utrecht-button-color); }
.utrecht-button--primary-action { color: red; }
.utrecht-accordion { display: grid; }
.utrecht-rich-text .utrecht-heading-1 { margin: 0; }
.utrecht-heading-1, .utrecht-calendar__day { font-size: 2em; }
.utrecht-link:not(.utrecht-link--visited) { text-decoration: underline; }
:is(.utrecht-accordion, h1) { color: navy; }
[class^="utrecht-accordion"] { color: green; }
html { font-size: 100%; }
.content::after { content: "}"; }
@media (min-width: 40em) {
  .utrecht-accordion { gap: 1em; }
  .utrecht-button { padding: 1em; }
}
@keyframes utrecht-spin { to { transform: rotate(1turn); } }
"""


def _css(*bronnen: str) -> str:
    return nlds.componenten(LIBRARY, nlds.gebruik(bronnen))


def test_a_component_no_source_names_is_left_out():
    css = _css('<button class="utrecht-button utrecht-button--primary-action">')
    assert ".utrecht-button {" in css and ".utrecht-button--primary-action" in css
    assert ".utrecht-accordion {" not in css
    assert "gap: 1em" not in css and "padding: 1em" in css


def test_rules_that_name_no_utrecht_class_and_at_rules_stay():
    css = _css("")
    for kept in ("html { font-size: 100%; }", 'content: "}"', "@keyframes utrecht-spin", "[class^="):
        assert kept in css, kept
    assert ":is(.utrecht-accordion, h1)" in css  # h1 matches without the component
    assert "@charset" not in css  # not allowed inside a bundle
    assert "@license EUPL-1.2" in css


def test_a_selector_needs_every_component_it_names():
    css = _css('<h1 class="utrecht-heading-1">', '<a class="utrecht-link">')
    assert ".utrecht-rich-text .utrecht-heading-1" not in css  # no rich text anywhere
    assert ".utrecht-heading-1, .utrecht-calendar__day" in css  # one selector of the list can match
    assert ".utrecht-link:not(.utrecht-link--visited)" in css  # what :not() names decides nothing


def test_names_built_in_templates_keep_every_component_they_can_become():
    css = _css('<h2 class="utrecht-heading-{{ niveau }}">', '<p class="utrecht-button--{{ soort }}">')
    assert ".utrecht-heading-1" in css
    assert ".utrecht-button {" in css
    assert ".utrecht-accordion {" not in css
    # A tag after a whole name does not continue it; a modifier after `--` stays in its component.
    gebruik = nlds.gebruik(['class="utrecht-form-field{% if fout %} utrecht-form-field--invalid{% endif %}"'])
    assert gebruik.blokken == {"utrecht-form-field"} and not gebruik.voorvoegsels
    assert nlds.gebruik(["el.classList.add(`utrecht-${naam}`)"]).bevat("utrecht-accordion")


def test_tokens_keep_what_the_css_reaches_through_var_transitively():
    thema = """/** Do not edit */
.voorbeeld-theme {
  --utrecht-button-color: var(--basis-color-accent, var(--basis-fallback));
  --basis-color-accent: #5314f0;
  --basis-fallback: red;
  --utrecht-calendar-color: var(--basis-unused);
  --basis-unused: blue;
  --font: "A; B", sans-serif;
  color-scheme: light;
}
"""
    css = nlds.tokens(
        thema, [".utrecht-button { color: var(--utrecht-button-color); }"], ["el.style.getPropertyValue('--font')"]
    )
    for kept in (
        "--utrecht-button-color",
        "--basis-color-accent",
        "--basis-fallback",
        '--font: "A; B"',
        "color-scheme",
    ):
        assert kept in css, kept
    assert "--utrecht-calendar-color" not in css and "--basis-unused" not in css
