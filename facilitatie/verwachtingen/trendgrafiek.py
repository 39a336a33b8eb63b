"""Server-rendered SVG line chart: one scale of a verwachting across the sessies of its lijn.

Sessies run left to right (numbered; the table under the chart names them), the score 1-5
bottom to top. Each groep has its own colour, marker shape *and* line pattern, as in the
verwachtingen grafiek (beleid: blue circle, uitvoering: orange square, alle: black diamond),
so it survives colour-blindness and a black-and-white print; a groep the statistics add later
gets the next style of a fixed list. A missing point (a suppressed groep) breaks the line.

Plain text SVG like grafiek.py: no JavaScript, escaped text, strokes of at least 2 units, a
viewBox, role="img" with a <title> and a <desc> that says every point in words.
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape

from facilitatie.verwachtingen.statistiek import SCHAAL
from facilitatie.verwachtingen.trend import Trend

BREEDTE = 360
_LINKS, _RECHTS, _BOVEN, _ONDER = 44, 340, 16, 196
_HOOGTE_GRAFIEK = _ONDER + 34
_TEKST = "#000"
_STRAAL = 6

# groep: (colour, shape, dash pattern); Okabe-Ito colours, at least 3:1 against white.
_STIJL: dict[str, tuple[str, str, str]] = {
    "alle": ("#000000", "ruit", ""),
    "beleid": ("#0072B2", "cirkel", "6 4"),
    "uitvoering": ("#D55E00", "vierkant", "2 4"),
}
_REST: tuple[tuple[str, str, str], ...] = (
    ("#009E73", "driehoek", "10 4"),
    ("#CC79A7", "cirkel", "4 2 1 2"),
    ("#6b4e00", "vierkant", "8 3 2 3"),
    ("#56346e", "ruit", "1 3"),
)


def stijl(groep: str, groepen: tuple[str, ...]) -> tuple[str, str, str]:
    """The colour, shape and dash of a groep; groups beyond the three known ones in turn."""
    if groep in _STIJL:
        return _STIJL[groep]
    overig = [g for g in groepen if g not in _STIJL]
    return _REST[overig.index(groep) % len(_REST)] if groep in overig else _REST[0]


def _c(waarde: float) -> str:
    return f"{waarde:.1f}".rstrip("0").rstrip(".")


def _getal(waarde: float) -> str:
    if float(waarde).is_integer():
        return str(int(waarde))
    return f"{waarde:.2f}".rstrip("0").replace(".", ",")


def _y(score: float) -> float:
    return _ONDER - (score - SCHAAL[0]) * (_ONDER - _BOVEN) / (SCHAAL[1] - SCHAAL[0])


def _x(i: int, aantal: int) -> float:
    if aantal <= 1:
        return (_LINKS + _RECHTS) / 2
    marge = 24
    return _LINKS + marge + i * (_RECHTS - _LINKS - 2 * marge) / (aantal - 1)


def _marker(vorm: str, kleur: str, x: float, y: float) -> str:
    verf = f'fill="{kleur}" stroke="{kleur}" stroke-width="2"'
    if vorm == "cirkel":
        return f'<circle cx="{_c(x)}" cy="{_c(y)}" r="{_STRAAL}" {verf}/>'
    if vorm == "vierkant":
        z = _STRAAL * 0.9
        return f'<rect x="{_c(x - z)}" y="{_c(y - z)}" width="{_c(2 * z)}" height="{_c(2 * z)}" {verf}/>'
    d = _STRAAL * 1.3
    if vorm == "driehoek":
        return (
            f'<path d="M{_c(x)},{_c(y - d)} L{_c(x + d)},{_c(y + d * 0.8)} L{_c(x - d)},{_c(y + d * 0.8)} Z" {verf}/>'
        )
    return f'<path d="M{_c(x)},{_c(y - d)} L{_c(x + d)},{_c(y)} L{_c(x)},{_c(y + d)} L{_c(x - d)},{_c(y)} Z" {verf}/>'


def trend_svg(t: Trend, schaal: str, titel: str, labels: dict[str, str], *, id_prefix: str) -> str:
    """The chart of one schaal ("wenselijk" or "haalbaar") of a trend, as an accessible SVG string.

    `labels`: the display name of each groep (e.g. "Alle deelnemers"); unknown ones show as they are.
    """
    prefix = re.sub(r"[^A-Za-z0-9_-]", "-", id_prefix)
    prefix = prefix if prefix[:1].isalpha() else f"trend-{prefix}"
    aantal = len(t.metingen)
    groepen = [g for g in t.groepen if t.reeks(g, schaal).bekend]
    hoogte = _HOOGTE_GRAFIEK + 24 * max(1, (len(groepen) + 1) // 2)

    woorden = [f"Lijndiagram. Horizontaal: de sessies 1 tot {aantal}. Verticaal: {titel} (1 tot 5)."]
    for g in groepen:
        punten = ", ".join(
            f"sessie {i + 1}: {_getal(m) if m is not None else 'niet getoond'}"
            for i, m in enumerate(t.reeks(g, schaal).medianen)
        )
        woorden.append(f"{labels.get(g, g)}: {punten}.")
    if not groepen:
        woorden.append("Nog geen gegevens om te tonen.")

    delen = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {BREEDTE} {hoogte}" role="img" '
        f'aria-labelledby="{prefix}-titel {prefix}-desc" class="trend-grafiek" '
        f'font-family="system-ui, Arial, sans-serif" font-size="13" fill="{_TEKST}">',
        f'<title id="{prefix}-titel">{escape(titel)}</title>',
        f'<desc id="{prefix}-desc">{escape(" ".join(woorden))}</desc>',
        f'<rect width="{BREEDTE}" height="{hoogte}" fill="#fff"/>',
        '<g class="raster" stroke="#d0d0d0" stroke-width="2">',
    ]
    for v in range(SCHAAL[0], SCHAAL[1] + 1):
        delen.append(f'<line x1="{_LINKS}" y1="{_c(_y(v))}" x2="{_RECHTS}" y2="{_c(_y(v))}"/>')
    delen.append("</g>")
    delen.append(f'<path d="M{_LINKS},{_BOVEN} V{_ONDER} H{_RECHTS}" fill="none" stroke="{_TEKST}" stroke-width="2"/>')
    for v in range(SCHAAL[0], SCHAAL[1] + 1):
        delen.append(f'<text x="{_LINKS - 8}" y="{_c(_y(v) + 4.5)}" text-anchor="end">{v}</text>')
    for i in range(aantal):
        delen.append(f'<text x="{_c(_x(i, aantal))}" y="{_ONDER + 20}" text-anchor="middle">{i + 1}</text>')

    for g in groepen:
        kleur, vorm, streep = stijl(g, t.groepen)
        medianen = t.reeks(g, schaal).medianen
        stuk: list[str] = []
        lijnen: list[list[str]] = []
        for i, m in enumerate(medianen):
            if m is None:
                if stuk:
                    lijnen.append(stuk)
                stuk = []
                continue
            stuk.append(f"{_c(_x(i, aantal))},{_c(_y(m))}")
        if stuk:
            lijnen.append(stuk)
        for lijn in lijnen:
            if len(lijn) > 1:
                patroon = f' stroke-dasharray="{streep}"' if streep else ""
                delen.append(
                    f'<polyline class="lijn {escape(g)}" points="{" ".join(lijn)}" fill="none" '
                    f'stroke="{kleur}" stroke-width="2.5"{patroon}/>'
                )
        for i, m in enumerate(medianen):
            if m is not None:
                woord = f"{labels.get(g, g)}, sessie {i + 1}: {_getal(m)}"
                delen.append(
                    f'<g class="punt {escape(g)} sessie-{i + 1}"><title>{escape(woord)}</title>'
                    f"{_marker(vorm, kleur, _x(i, aantal), _y(m))}</g>"
                )
    if not groepen:
        delen.append(
            f'<text x="{_c((_LINKS + _RECHTS) / 2)}" y="{_c((_BOVEN + _ONDER) / 2)}" '
            'text-anchor="middle" font-size="15">Nog geen gegevens</text>'
        )

    delen.append('<g class="legenda" font-size="12">')
    for n, g in enumerate(groepen):
        kleur, vorm, streep = stijl(g, t.groepen)
        x = 10 + (n % 2) * 175
        y = _HOOGTE_GRAFIEK + 24 * (n // 2)
        patroon = f' stroke-dasharray="{streep}"' if streep else ""
        delen.append(
            f'<line x1="{x}" y1="{y - 4}" x2="{x + 28}" y2="{y - 4}" stroke="{kleur}" stroke-width="2.5"{patroon}/>'
        )
        delen.append(_marker(vorm, kleur, x + 14, y - 4))
        delen.append(f'<text x="{x + 36}" y="{y}">{escape(labels.get(g, g))}</text>')
    delen.append("</g>")
    delen.append("</svg>")
    return "\n".join(delen)
