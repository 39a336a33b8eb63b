"""Server-rendered SVG chart: where beleid and uitvoering place a verwachting.

Haalbaar runs left to right, Wenselijk bottom to top, both 1-5; the dashed diagonal is
wenselijk = haalbaar, so a point above it shows a verwachtingskloof (more wenselijk than
haalbaar). Each perspective has its own colour *and* shape (beleid: blue circle,
uitvoering: orange square, alle: black diamond) so it survives colour-blindness and a
black-and-white print; ronde 1 (voormeting) is hollow, ronde 2 (nameting) filled, and an
arrow shows how each perspective moved after the dialoog.

The SVG is plain text: no JavaScript, no external fonts or files, black text and strokes
of at least 2 units, and a viewBox so it scales from a phone to a projector. All text is
escaped, and the chart carries role="img" with a <title> and a <desc> that states every
point in words for screen readers.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from xml.sax.saxutils import escape

from facilitatie.verwachtingen.statistiek import SCHAAL, RondeFiguren

BREEDTE, HOOGTE = 360, 400
# Plot area in viewBox units: a 280 x 280 square, 70 units per scale step.
_LINKS, _RECHTS, _BOVEN, _ONDER = 60, 340, 16, 296
_STAP = (_RECHTS - _LINKS) / (SCHAAL[1] - SCHAAL[0])
_STREEP = 2.5  # marker and arrow stroke width
_STRAAL = 7  # circle radius; square and diamond are sized to match
_TEKST = "#000"

# Okabe-Ito colours: distinguishable with common colour-vision deficiencies and at least
# 3:1 against white (WCAG non-text contrast).
_STIJL: dict[str, tuple[str, str, str]] = {
    # perspectief: (label, colour, shape)
    "beleid": ("Beleid", "#0072B2", "cirkel"),
    "uitvoering": ("Uitvoering", "#D55E00", "vierkant"),
    "alle": ("Alle deelnemers", "#000000", "ruit"),
}
# Drawing order: squares under circles under diamonds, so coinciding points stay visible.
_TEKENVOLGORDE = ("uitvoering", "beleid", "alle")
_RONDENAAM = {1: "ronde 1 (voormeting)", 2: "ronde 2 (nameting)"}


@dataclass(frozen=True)
class Punt:
    """Median position of one perspective in one ronde; None where there is no median."""

    perspectief: str
    ronde: int
    haalbaar_mediaan: float | None
    wenselijk_mediaan: float | None

    @property
    def compleet(self) -> bool:
        """Only a point with both medians can be drawn."""
        return self.haalbaar_mediaan is not None and self.wenselijk_mediaan is not None


def punten_uit_figuren(
    rondes: Iterable[RondeFiguren],
    perspectieven: tuple[str, ...] = ("beleid", "uitvoering"),
) -> list[Punt]:
    """Chart points from statistiek.figuren output; suppressed groups simply have none."""
    uitkomst: list[Punt] = []
    for f in rondes:
        for perspectief in perspectieven:
            groep = f.per_perspectief.get(perspectief)
            if groep is not None:
                uitkomst.append(
                    Punt(
                        perspectief,
                        f.ronde,
                        groep["haalbaar"].mediaan,
                        groep["wenselijk"].mediaan,
                    )
                )
    return uitkomst


def _x(haalbaar: float) -> float:
    """Haalbaar score to horizontal viewBox position."""
    return _LINKS + (haalbaar - SCHAAL[0]) * _STAP


def _y(wenselijk: float) -> float:
    """Wenselijk score to vertical viewBox position (SVG y grows downwards)."""
    return _ONDER - (wenselijk - SCHAAL[0]) * _STAP


def _getal(waarde: float) -> str:
    """A score the Dutch way: 3 or 3,5."""
    if float(waarde).is_integer():
        return str(int(waarde))
    return f"{waarde:.2f}".rstrip("0").replace(".", ",")


def _c(waarde: float) -> str:
    """A coordinate, short and stable in the output."""
    return f"{waarde:.1f}".rstrip("0").rstrip(".")


def _controleer(punt_lijst: list[Punt]) -> None:
    """Refuse points the chart cannot honestly draw."""
    gezien: set[tuple[str, int]] = set()
    for p in punt_lijst:
        if p.perspectief not in _STIJL:
            raise ValueError(f"onbekend perspectief {p.perspectief!r}")
        if p.ronde not in _RONDENAAM:
            raise ValueError(f"onbekende ronde {p.ronde!r}")
        if (p.perspectief, p.ronde) in gezien:
            raise ValueError(f"dubbel punt voor {p.perspectief} in ronde {p.ronde}")
        gezien.add((p.perspectief, p.ronde))
        for waarde in (p.haalbaar_mediaan, p.wenselijk_mediaan):
            if waarde is not None and not (math.isfinite(waarde) and SCHAAL[0] <= waarde <= SCHAAL[1]):
                raise ValueError(f"mediaan buiten de schaal: {waarde!r}")


def _vorm(perspectief: str, cx: float, cy: float, gevuld: bool) -> str:
    """The marker shape of a perspective; hollow for ronde 1, filled for ronde 2."""
    _, kleur, vorm = _STIJL[perspectief]
    verf = f'fill="{kleur if gevuld else "#fff"}" stroke="{kleur}" stroke-width="{_STREEP}"'
    if vorm == "cirkel":
        return f'<circle cx="{_c(cx)}" cy="{_c(cy)}" r="{_STRAAL}" {verf}/>'
    if vorm == "vierkant":
        z = _STRAAL * 0.9  # half side: a square looks bigger than a circle of equal width
        return f'<rect x="{_c(cx - z)}" y="{_c(cy - z)}" width="{_c(2 * z)}" height="{_c(2 * z)}" {verf}/>'
    d = _STRAAL * 1.3
    return (
        f'<path d="M{_c(cx)},{_c(cy - d)} L{_c(cx + d)},{_c(cy)} '
        f'L{_c(cx)},{_c(cy + d)} L{_c(cx - d)},{_c(cy)} Z" {verf}/>'
    )


def _omschrijving(perspectief: str, ronde: int, p: Punt | None) -> str:
    """One point in words, for <desc> and the hover tooltip."""
    naam = f"{_STIJL[perspectief][0]}, {_RONDENAAM[ronde]}"
    if p is None or not p.compleet:
        return f"{naam}: geen gegevens"
    assert p.haalbaar_mediaan is not None and p.wenselijk_mediaan is not None
    return f"{naam}: haalbaar {_getal(p.haalbaar_mediaan)}, wenselijk {_getal(p.wenselijk_mediaan)}"


def _pijl(perspectief: str, van: Punt, naar: Punt, prefix: str) -> str | None:
    """Arrow from the ronde-1 to the ronde-2 point, clear of both markers."""
    assert van.haalbaar_mediaan is not None and van.wenselijk_mediaan is not None
    assert naar.haalbaar_mediaan is not None and naar.wenselijk_mediaan is not None
    x1, y1 = _x(van.haalbaar_mediaan), _y(van.wenselijk_mediaan)
    x2, y2 = _x(naar.haalbaar_mediaan), _y(naar.wenselijk_mediaan)
    lengte = math.hypot(x2 - x1, y2 - y1)
    vrij = _STRAAL + 4  # gap between the marker edge and the line ends
    if lengte <= 2 * vrij:
        return None  # no movement (or too little to draw): the two markers tell it all
    ux, uy = (x2 - x1) / lengte, (y2 - y1) / lengte
    kleur = _STIJL[perspectief][1]
    return (
        f'<line class="pijl" x1="{_c(x1 + ux * vrij)}" y1="{_c(y1 + uy * vrij)}" '
        f'x2="{_c(x2 - ux * vrij)}" y2="{_c(y2 - uy * vrij)}" stroke="{kleur}" '
        f'stroke-width="{_STREEP}" marker-end="url(#{prefix}-pijl-{perspectief})"/>'
    )


def _id_prefix(titel: str, punt_lijst: list[Punt], gevraagd: str | None) -> str:
    """A stable id prefix; ids in inline SVG are page-global, so charts must differ."""
    if gevraagd is None:
        vingerafdruk = hashlib.sha1(repr((titel, punt_lijst)).encode(), usedforsecurity=False).hexdigest()
        gevraagd = f"wh-{vingerafdruk[:8]}"
    schoon = re.sub(r"[^A-Za-z0-9_-]", "-", gevraagd)
    return schoon if schoon[:1].isalpha() else f"wh-{schoon}"


def wenselijk_haalbaar_svg(punten: list[Punt], titel: str, *, id_prefix: str | None = None) -> str:
    """Render the wenselijk/haalbaar chart as an accessible, print-safe SVG string.

    Points without both medians (suppressed group, only "Weet niet") are left out and
    said so in the description; an arrow is drawn only when a perspective has a point in
    both rondes. ``id_prefix`` makes the ids unique when a page holds several charts.
    """
    punt_lijst = list(punten)
    _controleer(punt_lijst)
    prefix = _id_prefix(titel, punt_lijst, id_prefix)
    getekend = {(p.perspectief, p.ronde): p for p in punt_lijst if p.compleet}
    aanwezig = [q for q in _TEKENVOLGORDE if any(p.perspectief == q for p in punt_lijst)]
    legenda_perspectieven = ["beleid", "uitvoering"]
    if "alle" in aanwezig:
        legenda_perspectieven.append("alle")

    delen: list[str] = []
    inleiding = (
        "Spreidingsdiagram. Horizontaal: Haalbaar (1 tot 5). Verticaal: Wenselijk "
        "(1 tot 5). Punten boven de stippellijn zijn wenselijker dan haalbaar."
    )
    beschrijving = [inleiding]
    for q in [q for q in ("beleid", "uitvoering", "alle") if q in aanwezig]:
        for ronde in (1, 2):
            p = next(
                (p for p in punt_lijst if p.perspectief == q and p.ronde == ronde),
                None,
            )
            beschrijving.append(_omschrijving(q, ronde, p) + ".")
    if not getekend:
        beschrijving.append("Nog geen gegevens om te tonen.")

    delen.append(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {BREEDTE} {HOOGTE}" '
        f'role="img" aria-labelledby="{prefix}-titel {prefix}-desc" '
        f'class="wenselijk-haalbaar" font-family="system-ui, Arial, sans-serif" '
        f'font-size="13" fill="{_TEKST}">'
    )
    delen.append(f'<title id="{prefix}-titel">{escape(titel)}</title>')
    delen.append(f'<desc id="{prefix}-desc">{escape(" ".join(beschrijving))}</desc>')

    # Arrowheads, one per colour (context-stroke is not reliable in print engines).
    delen.append("<defs>")
    for q, (_, kleur, _) in _STIJL.items():
        delen.append(
            f'<marker id="{prefix}-pijl-{q}" viewBox="0 0 10 10" refX="8" refY="5" '
            'markerWidth="4" markerHeight="4" orient="auto-start-reverse">'
            f'<path d="M0,0 L10,5 L0,10 Z" fill="{kleur}"/></marker>'
        )
    delen.append("</defs>")
    delen.append(f'<rect width="{BREEDTE}" height="{HOOGTE}" fill="#fff"/>')

    # Grid, ticks and axes.
    delen.append('<g class="raster" stroke="#d0d0d0" stroke-width="2">')
    for v in range(SCHAAL[0], SCHAAL[1] + 1):
        delen.append(f'<line x1="{_c(_x(v))}" y1="{_BOVEN}" x2="{_c(_x(v))}" y2="{_ONDER}"/>')
        delen.append(f'<line x1="{_LINKS}" y1="{_c(_y(v))}" x2="{_RECHTS}" y2="{_c(_y(v))}"/>')
    delen.append("</g>")
    delen.append(
        f'<path class="assen" d="M{_LINKS},{_BOVEN} V{_ONDER} H{_RECHTS}" '
        f'fill="none" stroke="{_TEKST}" stroke-width="2"/>'
    )
    delen.append('<g class="schaal">')
    for v in range(SCHAAL[0], SCHAAL[1] + 1):
        delen.append(f'<text x="{_c(_x(v))}" y="{_ONDER + 20}" text-anchor="middle">{v}</text>')
        delen.append(f'<text x="{_LINKS - 10}" y="{_c(_y(v) + 4.5)}" text-anchor="end">{v}</text>')
    delen.append("</g>")
    midden_x, midden_y = (_LINKS + _RECHTS) / 2, (_BOVEN + _ONDER) / 2
    delen.append(
        f'<text class="as-label" x="{_c(midden_x)}" y="{_ONDER + 42}" '
        'text-anchor="middle" font-size="15" font-weight="bold">Haalbaar</text>'
    )
    delen.append(
        f'<text class="as-label" x="18" y="{_c(midden_y)}" text-anchor="middle" '
        f'font-size="15" font-weight="bold" '
        f'transform="rotate(-90 18 {_c(midden_y)})">Wenselijk</text>'
    )

    # Diagonal wenselijk = haalbaar.
    laag, hoog = SCHAAL
    delen.append(
        f'<line class="diagonaal" x1="{_c(_x(laag))}" y1="{_c(_y(laag))}" '
        f'x2="{_c(_x(hoog))}" y2="{_c(_y(hoog))}" stroke="#555" stroke-width="2" '
        'stroke-dasharray="6 5"/>'
    )
    lx, ly = _x(1.55), _y(1.55) - 8
    delen.append(
        f'<text class="diagonaal-label" x="{_c(lx)}" y="{_c(ly)}" font-size="12" '
        f'transform="rotate(-45 {_c(lx)} {_c(ly)})">wenselijk = haalbaar</text>'
    )

    # Movement arrows under the markers.
    for q in _TEKENVOLGORDE:
        van, naar = getekend.get((q, 1)), getekend.get((q, 2))
        if van is not None and naar is not None:
            pijl = _pijl(q, van, naar, prefix)
            if pijl is not None:
                delen.append(pijl)

    # Markers: ronde 1 first so the filled ronde-2 marker sits on top.
    for ronde in (1, 2):
        for q in _TEKENVOLGORDE:
            p = getekend.get((q, ronde))
            if p is None:
                continue
            assert p.haalbaar_mediaan is not None and p.wenselijk_mediaan is not None
            delen.append(
                f'<g class="punt {q} ronde-{ronde}">'
                f"<title>{escape(_omschrijving(q, ronde, p))}</title>"
                f"{_vorm(q, _x(p.haalbaar_mediaan), _y(p.wenselijk_mediaan), ronde == 2)}"
                "</g>"
            )

    if not getekend:
        delen.append(
            f'<rect x="{_c(midden_x - 85)}" y="{_c(midden_y - 20)}" width="170" '
            'height="30" fill="#fff" stroke="#555" stroke-width="2"/>'
        )
        delen.append(
            f'<text x="{_c(midden_x)}" y="{_c(midden_y)}" text-anchor="middle" font-size="15">Nog geen gegevens</text>'
        )

    # Legend: two rows under the x-axis label.
    delen.append('<g class="legenda" font-size="12">')
    rij1, rij2 = HOOGTE - 42, HOOGTE - 16
    x = float(_LINKS - 40)
    for q in legenda_perspectieven:
        label = _STIJL[q][0]
        delen.append(_vorm(q, x + _STRAAL, rij1 - 4, True))
        delen.append(f'<text x="{_c(x + 2 * _STRAAL + 6)}" y="{rij1}">{label}</text>')
        x += 2 * _STRAAL + 6 + 7.2 * len(label) + 18
    x = float(_LINKS - 40)
    for ronde, gevuld in ((1, False), (2, True)):
        label = _RONDENAAM[ronde][0].upper() + _RONDENAAM[ronde][1:]
        delen.append(
            f'<circle cx="{_c(x + _STRAAL)}" cy="{rij2 - 4}" r="{_STRAAL}" '
            f'fill="{_TEKST if gevuld else "#fff"}" stroke="{_TEKST}" '
            f'stroke-width="{_STREEP}"/>'
        )
        delen.append(f'<text x="{_c(x + 2 * _STRAAL + 6)}" y="{rij2}">{label}</text>')
        x += 2 * _STRAAL + 6 + 6.6 * len(label) + 18
    delen.append("</g>")
    delen.append("</svg>")
    return "\n".join(delen)


# --- the simple picture: where the groups stand on each scale ---------------------------

_SCHAAL_BREEDTE, _SCHAAL_LINKS, _SCHAAL_RECHTS = 320, 100, 300
_SCHAAL_STAP = (_SCHAAL_RECHTS - _SCHAAL_LINKS) / (SCHAAL[1] - SCHAAL[0])
# Beleid above the line, uitvoering below it, alle on it: equal scores never hide each other.
_SCHAAL_VERSCHUIVING = {"beleid": -9, "uitvoering": 9, "alle": 0}


@dataclass(frozen=True)
class Stip:
    """One group's median on one scale in one ronde (only shown medians become a Stip)."""

    perspectief: str
    ronde: int
    waarde: float


def schalen_svg(stippen: dict[str, list[Stip]], beschrijving: str) -> str:
    """Two lines, Wenselijk and Haalbaar from 1 to 5, with a marker per group: a picture a
    phone can show at full size. Ronde 1 hollow, ronde 2 filled, the same shapes and colours
    as the big chart. `beschrijving` is the text equivalent (the picture's accessible name)."""
    schalen = [s for s in ("wenselijk", "haalbaar") if s in stippen]
    rij_hoogte = 60
    hoogte = 10 + rij_hoogte * len(schalen)
    delen = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_SCHAAL_BREEDTE} {hoogte}" role="img" '
        f'aria-label="{escape(beschrijving, {chr(34): "&quot;"})}" class="schalen" '
        f'font-family="system-ui, Arial, sans-serif" font-size="13" fill="{_TEKST}">'
    ]
    for i, schaal in enumerate(schalen):
        y = 26 + i * rij_hoogte
        label = "Wenselijk" if schaal == "wenselijk" else "Haalbaar"
        delen.append(f'<text x="0" y="{y + 5}" font-weight="bold" font-size="14">{label}</text>')
        delen.append(
            f'<line x1="{_SCHAAL_LINKS}" y1="{y}" x2="{_SCHAAL_RECHTS}" y2="{y}" stroke="#6b6b6b" stroke-width="2"/>'
        )
        for v in range(SCHAAL[0], SCHAAL[1] + 1):
            x = _SCHAAL_LINKS + (v - SCHAAL[0]) * _SCHAAL_STAP
            streep = f'x1="{_c(x)}" y1="{y - 4}" x2="{_c(x)}" y2="{y + 4}"'
            delen.append(f'<line {streep} stroke="#6b6b6b" stroke-width="2"/>')
            delen.append(f'<text x="{_c(x)}" y="{y + 31}" text-anchor="middle" font-size="11">{v}</text>')
        for ronde in (1, 2):
            for stip in stippen[schaal]:
                if stip.ronde != ronde:
                    continue
                x = _SCHAAL_LINKS + (stip.waarde - SCHAAL[0]) * _SCHAAL_STAP
                gevuld = ronde == max(s.ronde for s in stippen[schaal])
                delen.append(
                    f'<g class="stip {stip.perspectief} ronde-{ronde}">'
                    f"{_vorm(stip.perspectief, x, y + _SCHAAL_VERSCHUIVING[stip.perspectief], gevuld)}</g>"
                )
    delen.append("</svg>")
    return "".join(delen)
