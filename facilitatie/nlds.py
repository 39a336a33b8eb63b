"""Only the NL Design System CSS that Ontmoet's pages can use (issue 12, item 4). Pure: text in, text out.

The vendored Utrecht component library (`@utrecht/component-library-css`, 400 kB) styles about
a hundred components; the pages use a dozen. `componenten` keeps every rule that names a
component (a class block: `utrecht-button`, with all its `--modifiers` and `__elements`) that
appears anywhere in the sources (templates, our JavaScript, Python), in the library's own
order, so the cascade of what is kept does not change. A rule that names no Utrecht class at
all is kept too. Only a selector that needs a component no source names is known never to
match (`.utrecht-rich-text .utrecht-heading-1` without rich text); a rule goes when all its
selectors are such. The test is generous on purpose: a class built in a template
(`utrecht-alert--{{ soort }}`) keeps its whole component, and a name that ends in a template
expression (`utrecht-heading-{{ n }}`) keeps every component it could become. A new template
that uses another component gets it at the next start, without anyone re-vendoring.

`tokens` then keeps, of the design tokens theme (`.voorbeeld-theme`, 3,000 custom
properties), the ones the kept CSS can reach through `var(--…)`, followed transitively.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

# Comments and strings are skipped whole, so a brace inside them does not count.
_TOKEN = re.compile(r"/\*.*?\*/|\"(?:\\.|[^\"\\])*\"|'(?:\\.|[^'\\])*'|[{};]", re.S)
_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_SELECTOR_KLASSE = re.compile(r"\.(utrecht-[A-Za-z0-9_-]+)")
_BRON_KLASSE = re.compile(r"utrecht-[A-Za-z0-9_-]*")
_VAR = re.compile(r"var\(\s*(--[A-Za-z0-9_-]+)")
_CUSTOM_PROPERTY = re.compile(r"--[A-Za-z0-9_-]+")
# At-rules whose block holds rules (filtered like the top level); any other block is kept whole.
_GROEPEN = ("@media", "@supports", "@container", "@layer", "@scope")


def blok(klasse: str) -> str:
    """The component a class belongs to: `utrecht-button--primary-action` → `utrecht-button`."""
    return re.split(r"--|__", klasse, maxsplit=1)[0]


@dataclass
class Gebruik:
    """The Utrecht components the sources name, exactly or by a prefix a template completes."""

    blokken: set[str] = field(default_factory=set)
    voorvoegsels: set[str] = field(default_factory=set)

    def bevat(self, naam: str) -> bool:
        return naam in self.blokken or any(naam.startswith(v) for v in self.voorvoegsels)


def gebruik(bronnen: Iterable[str]) -> Gebruik:
    """Which components the sources (template, script and Python text) can put on a page."""
    uit = Gebruik()
    for tekst in bronnen:
        for m in _BRON_KLASSE.finditer(tekst):
            klasse = blok(m.group())
            volgend = tekst[m.end() : m.end() + 2]
            # `utrecht-heading-{{ n }}`, `utrecht-${x}`, `"utrecht-" + x`: the component's name goes
            # on elsewhere. After `--` or `__` only a modifier or element follows, and a `{%` tag
            # after a whole name does not continue it.
            heel = klasse != m.group() or volgend == "{%" or not volgend.startswith(("{", "$", "%s", "%("))
            if klasse.endswith(("-", "_")) or not heel:
                uit.voorvoegsels.add(klasse)
            else:
                uit.blokken.add(klasse)
    return uit


@dataclass
class _Regel:
    prelude: str  # the selector or at-rule, comments removed
    body: str | None  # None for a statement such as `@import …;`
    licenties: list[str]


def _regels(css: str) -> list[_Regel]:
    """The top-level statements of a stylesheet, in order."""
    regels: list[_Regel] = []
    diepte, begin, body_begin = 0, 0, 0
    for m in _TOKEN.finditer(css):
        teken = m.group()
        if teken == "{":
            if diepte == 0:
                body_begin = m.end()
            diepte += 1
        elif teken == "}":
            diepte -= 1
            if diepte == 0:
                regels.append(_regel(css[begin : body_begin - 1], css[body_begin : m.start()]))
                begin = m.end()
        elif teken == ";" and diepte == 0:
            regels.append(_regel(css[begin : m.start()], None))
            begin = m.end()
    if diepte != 0:
        raise ValueError("CSS met een open blok: kan niet veilig worden ingekort")
    return regels


def _regel(prelude: str, body: str | None) -> _Regel:
    licenties = [c for c in _COMMENT.findall(prelude) if "@license" in c]
    return _Regel(_COMMENT.sub("", prelude).strip(), body, licenties)


def _zonder_haakjes(selector: str) -> str:
    """A selector without what is inside (…) and […]: :not(.x) and :is(.x, h1) decide nothing."""
    vorige = None
    while vorige != selector:
        vorige = selector
        selector = re.sub(r"\([^()]*\)|\[[^\[\]]*\]", "", selector)
    return selector


def _splits_komma(prelude: str) -> list[str]:
    delen, diepte, begin = [], 0, 0
    for i, c in enumerate(prelude):
        if c in "([":
            diepte += 1
        elif c in ")]":
            diepte -= 1
        elif c == "," and diepte == 0:
            delen.append(prelude[begin:i])
            begin = i + 1
    delen.append(prelude[begin:])
    return delen


def _selector_nodig(prelude: str, gebruikt: Gebruik) -> bool:
    """Whether any selector of the list can match: every Utrecht class in it must be in use.

    What sits inside (…) is left out: `:not(.x)` matches without x, `:is(.x, h1)` without x too.
    """
    for selector in _splits_komma(prelude):
        if all(gebruikt.bevat(blok(k)) for k in _SELECTOR_KLASSE.findall(_zonder_haakjes(selector))):
            return True
    return False


def _filter(regels: list[_Regel], gebruikt: Gebruik, licenties: list[str]) -> list[str]:
    uit: list[str] = []
    for regel in regels:
        for licentie in regel.licenties:
            if licentie not in licenties:
                licenties.append(licentie)
        if regel.body is None:
            if not regel.prelude.lower().startswith("@charset"):  # one file's @charset is wrong inside a bundle
                uit.append(regel.prelude + ";")
            continue
        if regel.prelude.startswith("@"):
            if regel.prelude.lower().startswith(_GROEPEN):
                binnen = _filter(_regels(regel.body), gebruikt, licenties)
                if binnen:
                    uit.append(regel.prelude + " {\n" + "\n".join(binnen) + "\n}")
            else:
                uit.append(regel.prelude + " {" + regel.body + "}")
        elif _selector_nodig(regel.prelude, gebruikt):
            uit.append(regel.prelude + " {" + regel.body + "}")
    return uit


def componenten(css: str, gebruikt: Gebruik) -> str:
    """The component library without the components no source names; licence notices stay."""
    licenties: list[str] = []
    regels = _filter(_regels(css), gebruikt, licenties)
    return "\n".join([*licenties, *regels]) + "\n"


def _declaraties(body: str) -> list[str]:
    delen, diepte, begin = [], 0, 0
    for m in re.finditer(r"\"(?:\\.|[^\"\\])*\"|'(?:\\.|[^'\\])*'|[()\[\];]", body):
        teken = m.group()
        if teken in "([":
            diepte += 1
        elif teken in ")]":
            diepte -= 1
        elif teken == ";" and diepte == 0:
            delen.append(body[begin : m.start()])
            begin = m.end()
    delen.append(body[begin:])
    return [d.strip() for d in delen if d.strip()]


def tokens(thema: str, gebruikers: Iterable[str], scripts: Iterable[str] = ()) -> str:
    """The theme's custom properties that `gebruikers` (CSS) reach through var(), transitively.

    Names in `scripts` (`--naam`, e.g. read or set from JavaScript) count as used too. Every
    declaration that is not a custom property stays.
    """
    wortels = {naam for css in gebruikers for naam in _VAR.findall(css)}
    wortels |= {naam for js in scripts for naam in _CUSTOM_PROPERTY.findall(js)}
    regels = _regels(thema)
    waarden: dict[str, str] = {}
    for regel in regels:
        for declaratie in _declaraties(regel.body or ""):
            naam, _, waarde = declaratie.partition(":")
            if naam.strip().startswith("--"):
                waarden[naam.strip()] = waarde
            else:
                wortels.update(_VAR.findall(waarde))
    bereikt: set[str] = set()
    te_doen = [n for n in wortels if n in waarden]
    while te_doen:
        naam = te_doen.pop()
        if naam in bereikt:
            continue
        bereikt.add(naam)
        te_doen.extend(n for n in _VAR.findall(waarden[naam]) if n in waarden and n not in bereikt)

    uit: list[str] = []
    licenties: list[str] = []
    for regel in regels:
        licenties.extend(c for c in regel.licenties if c not in licenties)
        if regel.body is None:
            if not regel.prelude.lower().startswith("@charset"):
                uit.append(regel.prelude + ";")
            continue
        behouden = [
            d for d in _declaraties(regel.body) if not d.startswith("--") or d.partition(":")[0].strip() in bereikt
        ]
        if behouden:
            uit.append(regel.prelude + " {\n  " + ";\n  ".join(behouden) + ";\n}")
    return "\n".join([*licenties, *uit]) + "\n"
