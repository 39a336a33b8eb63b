"""Rating statistics for verwachtingen: plain Python, no Flask, no database.

Every deelnemer rates each verwachting on two scales, wenselijk and haalbaar (1-5, or
"Weet niet" = ``None``), in ronde 1 (voormeting) and ronde 2 (nameting, after the
dialoog). This module turns those answers into what the group looks at: medians and
spread per perspective, whether there is consensus, the verwachtingskloof (wenselijk
minus haalbaar), where beleid and uitvoering differ, and whether views moved between
the rounds.

Choices made here, so every screen and report tells the same story:

* Quartiles use the *inclusive* method, i.e. exactly
  ``statistics.quantiles(data, n=4, method="inclusive")`` (the same as Excel's
  ``QUARTILE.INC`` and numpy's default "linear"): sort the n values, the p-th quantile
  sits at position ``p * (n - 1)`` (0-based) with linear interpolation between
  neighbours. It is computed here by hand so that a single value (which Python 3.11's
  ``statistics.quantiles`` refuses) gives q1 = q3 = that value.
* "Weet niet" is not a point on the scale: it is left out of n and of every figure.
* Groups: "alle", then beleid and uitvoering, then every perspective the gemeente added
  (partner, inwoner, ...; ``figuren(..., groepen=...)``). "anders", and any perspective not
  passed as a group, counts in "alle" only: together they are the *rest*.
* Small-group protection (``bescherm``; ``figuren`` always applies it): nobody's answer
  may be read off a group of one or two, nor derived from the groups shown by adding and
  subtracting. ``min_groep`` can never be set below 3.

  - A groep with fewer than ``min_groep`` raters in a ronde is left out entirely; when
    beleid or uitvoering is, both are (they are compared with each other).
  - What counts on a scale is the number of *ratings* on it (``Samenvatting.n``), not of
    raters: "Weet niet" gives nothing away about the scale, so three beleid raters of
    whom two said "Weet niet" are a group of one there. A scale with fewer than
    ``min_groep`` ratings shows its n but no figures.
  - Subtraction: "alle" is the sum of every group and the rest, so what the shown groups
    leave of "alle" (the groups left out, the thin cells and the rest together) can be
    computed. On each scale that remainder must be 0 or at least ``min_groep`` ratings;
    when it is not, the smallest group still shown there is hidden as well (its n stays),
    which makes the remainder large enough. Beleid and uitvoering are hidden together.
    Every sum or difference of shown cells is then a union of whole shown groups, or
    "alle" minus such a union, and so holds either no ratings or at least ``min_groep``:
    also when two small groups (one partner, one inwoner) would together be thin.
* Comparisons with thresholds allow a tiny float tolerance (``_EPS``) so that a share of
  exactly 7/10 or an IQR of exactly 1 lands on the side the threshold promises.
"""

from __future__ import annotations

import statistics
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import TypeVar

SCHAAL: tuple[int, int] = (1, 5)
SCHALEN: tuple[str, str] = ("wenselijk", "haalbaar")
# The built-in perspectives; a gemeente can add its own (accounts/perspectieven.py).
PERSPECTIEVEN: tuple[str, str, str] = ("beleid", "uitvoering", "anders")
# The groups shown to the room by default; "anders" only ever counts inside "alle".
GROEPEN: tuple[str, str, str] = ("alle", "beleid", "uitvoering")
# Keys that can never name a perspective of its own.
_GEEN_PERSPECTIEF = frozenset({"alle", ""})
RONDES: tuple[int, int] = (1, 2)

# Beweging counts as stabiel when medians moved at most this much and at most this share
# of raters changed an answer (see ``beweging``).
STABIEL_DELTA_MEDIAAN_MAX = 0.5
STABIEL_AANDEEL_GEWIJZIGD_MAX = 0.3

_MIN_GROEP_ONDERGRENS = 3
_EPS = 1e-9

K = TypeVar("K", bound=Hashable)


def _is_score(waarde: object) -> bool:
    """True for an int on the scale; bools are ints in Python but never a rating."""
    return isinstance(waarde, int) and not isinstance(waarde, bool) and SCHAAL[0] <= waarde <= SCHAAL[1]


def _controleer_score(waarde: int | None, veld: str) -> None:
    """Refuse anything that is neither "Weet niet" nor a point on the 1-5 scale."""
    if waarde is not None and not _is_score(waarde):
        raise ValueError(f"{veld} moet {SCHAAL[0]}-{SCHAAL[1]} of None zijn, niet {waarde!r}")


@dataclass(frozen=True)
class Beoordeling:
    """One rater's answer in one ronde; ``rater_id`` is opaque and never shown."""

    rater_id: str
    perspectief: str
    ronde: int
    wenselijk: int | None
    haalbaar: int | None
    # True for a perspective a gemeente added (partner, inwoner, ...): any key but the built-in
    # ones and "alle". The built-in ones are checked against PERSPECTIEVEN, so a slip such as
    # "wethouder" is still refused here.
    eigen: bool = False

    def __post_init__(self) -> None:
        """Reject impossible answers at the edge so the statistics can trust their input."""
        if self.eigen:
            bekend = (
                isinstance(self.perspectief, str)
                and self.perspectief not in _GEEN_PERSPECTIEF
                and self.perspectief not in PERSPECTIEVEN
            )
        else:
            bekend = self.perspectief in PERSPECTIEVEN
        if not bekend:
            raise ValueError(f"onbekend perspectief {self.perspectief!r}")
        if self.ronde not in RONDES:
            raise ValueError(f"onbekende ronde {self.ronde!r}")
        _controleer_score(self.wenselijk, "wenselijk")
        _controleer_score(self.haalbaar, "haalbaar")


@dataclass(frozen=True)
class Drempels:
    """Thresholds for consensus and small-group protection.

    ``min_groep`` below 3 is refused (ValueError) rather than silently clamped: a
    configuration that asks for weaker privacy is a mistake that should be seen.
    """

    iqr_max: float = 1.0
    aandeel_min: float = 0.7
    min_groep: int = _MIN_GROEP_ONDERGRENS

    def __post_init__(self) -> None:
        """Guard the privacy floor and keep the consensus thresholds meaningful."""
        if self.min_groep < _MIN_GROEP_ONDERGRENS:
            raise ValueError(f"min_groep moet minstens {_MIN_GROEP_ONDERGRENS} zijn (kleine-groepsbescherming)")
        if not (self.iqr_max >= 0):
            raise ValueError("iqr_max moet >= 0 zijn")
        if not (0 <= self.aandeel_min <= 1):
            raise ValueError("aandeel_min moet tussen 0 en 1 liggen")


@dataclass(frozen=True)
class Samenvatting:
    """Figures for one scale, one perspective, one ronde (``None`` when n = 0)."""

    n: int
    mediaan: float | None
    q1: float | None
    q3: float | None
    iqr: float | None
    gemiddelde: float | None
    aandeel_binnen_een: float | None  # share of answers within 1 point of the median
    consensus: bool


def _kwartielen(gesorteerd: list[int]) -> tuple[float, float]:
    """Q1 and Q3 by the inclusive method (= statistics.quantiles(method="inclusive"))."""
    if len(gesorteerd) == 1:
        return float(gesorteerd[0]), float(gesorteerd[0])
    m = len(gesorteerd) - 1
    uitkomst = []
    for i in (1, 3):
        # Position i*m/4, split into whole index j and remainder (in quarters).
        j, rest = divmod(i * m, 4)
        uitkomst.append((gesorteerd[j] * (4 - rest) + gesorteerd[j + 1] * rest) / 4)
    return uitkomst[0], uitkomst[1]


def samenvatting(waarden: Iterable[int | None], drempels: Drempels = Drempels()) -> Samenvatting:
    """Summarise one set of answers; "Weet niet" (None) is excluded from n and figures."""
    scores: list[int] = []
    for waarde in waarden:
        _controleer_score(waarde, "waarde")
        if waarde is not None:
            scores.append(waarde)
    n = len(scores)
    if n == 0:
        return Samenvatting(0, None, None, None, None, None, None, False)
    scores.sort()
    mediaan = float(statistics.median(scores))
    q1, q3 = _kwartielen(scores)
    iqr = q3 - q1
    binnen = sum(1 for s in scores if abs(s - mediaan) <= 1 + _EPS)
    aandeel = binnen / n
    consensus = iqr <= drempels.iqr_max + _EPS and aandeel >= drempels.aandeel_min - _EPS
    return Samenvatting(
        n=n,
        mediaan=mediaan,
        q1=q1,
        q3=q3,
        iqr=iqr,
        gemiddelde=statistics.fmean(scores),
        aandeel_binnen_een=aandeel,
        consensus=consensus,
    )


@dataclass(frozen=True)
class RondeFiguren:
    """Everything the room sees about one verwachting in one ronde."""

    ronde: int
    # groep ("alle", "beleid", "uitvoering") -> schaal ("wenselijk", "haalbaar") -> figures;
    # a groep below min_groep raters is absent here and named in ``onderdrukt``.
    per_perspectief: dict[str, dict[str, Samenvatting]]
    onderdrukt: tuple[str, ...]
    aantal_beoordelaars: int
    # Median wenselijk minus median haalbaar, "alle".
    kloof: float | None
    # Per schaal: median beleid minus median uitvoering; None when either is suppressed.
    perspectiefverschil: dict[str, float | None]
    # Every groep of this ronde in display order: "alle", beleid, uitvoering, then the added ones.
    groepen: tuple[str, ...] = GROEPEN


@dataclass(frozen=True)
class Beweging:
    """How views moved from ronde 1 to ronde 2, for "alle".

    ``stabiel`` means: on both scales |delta_mediaan| <= 0.5 and at most 30% of the
    raters who took part in both rondes changed an answer. Anything unknown (a scale
    nobody rated, or a group below min_groep) makes it not stabiel: no evidence is not
    evidence of stability.
    """

    delta_mediaan: dict[str, float | None]  # ronde 2 minus ronde 1
    delta_iqr: dict[str, float | None]  # ronde 2 minus ronde 1
    # Of the raters in both rondes, the share that changed any answer.
    aandeel_gewijzigd: float | None
    stabiel: bool


def _per_rater(beoordelingen: Iterable[Beoordeling], ronde: int) -> dict[str, Beoordeling]:
    """One answer per rater in a ronde; a later answer replaces an earlier one (re-submit)."""
    laatste: dict[str, Beoordeling] = {}
    for b in beoordelingen:
        if b.ronde == ronde:
            laatste[b.rater_id] = b
    return laatste


def _antwoord(b: Beoordeling) -> tuple[int | None, int | None]:
    """Both answers together; moving to or from "Weet niet" also counts as a change."""
    return (b.wenselijk, b.haalbaar)


def _verschil(a: float | None, b: float | None) -> float | None:
    """a - b, unknown when either side is unknown."""
    if a is None or b is None:
        return None
    return a - b


def _mediaan(per_perspectief: Mapping[str, Mapping[str, Samenvatting]], groep: str, schaal: str) -> float | None:
    """Median of a shown groep, None when the groep is suppressed or nobody rated."""
    figuren_groep = per_perspectief.get(groep)
    if figuren_groep is None:
        return None
    return figuren_groep[schaal].mediaan


def groepen_met(extra: Iterable[str] = ()) -> tuple[str, ...]:
    """ "alle", beleid, uitvoering, then the added perspectives in their order (never "anders")."""
    uit = list(GROEPEN)
    for groep in extra:
        if groep not in uit and groep != "anders" and groep not in _GEEN_PERSPECTIEF:
            uit.append(groep)
    return tuple(uit)


def figuren(
    beoordelingen: Iterable[Beoordeling],
    ronde: int,
    drempels: Drempels = Drempels(),
    groepen: Iterable[str] = (),
) -> RondeFiguren:
    """Figures per groep and schaal for one ronde, protected by ``bescherm``.

    ``groepen``: the perspectives that form a group beside beleid and uitvoering (a
    gemeente's own); every other perspective counts in "alle" only.
    """
    return bescherm(_ruwe_figuren(beoordelingen, ronde, drempels, groepen_met(groepen)), drempels)


def _ruwe_figuren(
    beoordelingen: Iterable[Beoordeling], ronde: int, drempels: Drempels, groepen: tuple[str, ...] = GROEPEN
) -> RondeFiguren:
    """Figures per groep and schaal, with only groups of too few raters left out."""
    if ronde not in RONDES:
        raise ValueError(f"onbekende ronde {ronde!r}")
    antwoorden = list(_per_rater(beoordelingen, ronde).values())
    leden = {groep: [b for b in antwoorden if b.perspectief == groep] for groep in groepen}
    leden["alle"] = antwoorden
    per_perspectief: dict[str, dict[str, Samenvatting]] = {}
    onderdrukt: list[str] = []
    for groep in groepen:
        groep_antwoorden = leden[groep]
        # Raters here; bescherm then counts the ratings on each scale.
        if len(groep_antwoorden) < drempels.min_groep:
            onderdrukt.append(groep)
            continue
        per_perspectief[groep] = {
            schaal: samenvatting((getattr(b, schaal) for b in groep_antwoorden), drempels) for schaal in SCHALEN
        }
    return RondeFiguren(
        ronde=ronde,
        per_perspectief=per_perspectief,
        onderdrukt=tuple(onderdrukt),
        aantal_beoordelaars=len(antwoorden),
        # bescherm derives both from what it leaves shown.
        kloof=None,
        perspectiefverschil={},
        groepen=groepen,
    )


def _leeg(n: int) -> Samenvatting:
    """A cell that keeps its count but shows no figures."""
    return Samenvatting(n, None, None, None, None, None, None, False)


def _dun(n: int, drempels: Drempels) -> bool:
    """Some ratings, but too few to show: a median of one rating *is* that rating."""
    return 0 < n < drempels.min_groep


def _verberg_op_schaal(per: dict[str, dict[str, Samenvatting]], schaal: str, drempels: Drempels) -> None:
    """Hide cells on one scale until what the shown groups leave of "alle" is 0 or >= min_groep."""
    alle = per["alle"][schaal]
    delen = [g for g in per if g != "alle"]
    while True:
        getoond = [g for g in delen if per[g][schaal].mediaan is not None]
        if ("beleid" in getoond) != ("uitvoering" in getoond):
            groep = "uitvoering" if "beleid" not in getoond else "beleid"  # the pair goes together
        elif _dun(alle.n - sum(per[g][schaal].n for g in getoond), drempels):
            # The smallest group shown (the last one on a tie) joins the remainder: that makes it big enough.
            groep = min(reversed(getoond), key=lambda g: per[g][schaal].n)
        else:
            return
        per[groep][schaal] = _leeg(per[groep][schaal].n)


def bescherm(f: RondeFiguren, drempels: Drempels) -> RondeFiguren:
    """Small-group protection (see the module docstring); applying it twice changes nothing.

    Decides from the counts in ``f`` alone, so every screen, export and live update that
    passes its figures through here hides the same cells.
    """
    per = {groep: dict(schalen) for groep, schalen in f.per_perspectief.items()}
    onderdrukt = set(f.onderdrukt)
    if onderdrukt & {"beleid", "uitvoering"}:
        for groep in ("beleid", "uitvoering"):
            per.pop(groep, None)
            onderdrukt.add(groep)
    for schaal in SCHALEN:
        # A thin cell shows nothing; it then belongs to the remainder.
        for schalen in per.values():
            if schalen[schaal].n < drempels.min_groep:
                schalen[schaal] = _leeg(schalen[schaal].n)
        if "alle" in per and per["alle"][schaal].mediaan is not None:
            _verberg_op_schaal(per, schaal, drempels)
    return replace(
        f,
        per_perspectief=per,
        onderdrukt=tuple(g for g in f.groepen if g in onderdrukt),
        kloof=_verschil(_mediaan(per, "alle", "wenselijk"), _mediaan(per, "alle", "haalbaar")),
        perspectiefverschil={s: _verschil(_mediaan(per, "beleid", s), _mediaan(per, "uitvoering", s)) for s in SCHALEN},
    )


def beweging(beoordelingen: Iterable[Beoordeling], drempels: Drempels = Drempels()) -> Beweging | None:
    """Change between voormeting and nameting, or None when a ronde has no raters."""
    alle = list(beoordelingen)
    eerste, tweede = _per_rater(alle, 1), _per_rater(alle, 2)
    if not eerste or not tweede:
        return None
    voor, na = figuren(alle, 1, drempels), figuren(alle, 2, drempels)
    delta_mediaan: dict[str, float | None] = {}
    delta_iqr: dict[str, float | None] = {}
    for schaal in SCHALEN:
        # "alle" suppressed or thin on this scale in either ronde -> no median, so no delta.
        s1 = voor.per_perspectief.get("alle", {}).get(schaal)
        s2 = na.per_perspectief.get("alle", {}).get(schaal)
        if s1 is None or s2 is None:
            delta_mediaan[schaal] = delta_iqr[schaal] = None
        else:
            delta_mediaan[schaal] = _verschil(s2.mediaan, s1.mediaan)
            delta_iqr[schaal] = _verschil(s2.iqr, s1.iqr)

    beide = eerste.keys() & tweede.keys()
    aandeel_gewijzigd: float | None = None
    # Same small-group rule: with one or two raters the share would reveal who changed.
    if len(beide) >= drempels.min_groep:
        gewijzigd = sum(1 for r in beide if _antwoord(eerste[r]) != _antwoord(tweede[r]))
        aandeel_gewijzigd = gewijzigd / len(beide)

    stabiel = (
        all(d is not None and abs(d) <= STABIEL_DELTA_MEDIAAN_MAX + _EPS for d in delta_mediaan.values())
        and aandeel_gewijzigd is not None
        and aandeel_gewijzigd <= STABIEL_AANDEEL_GEWIJZIGD_MAX + _EPS
    )
    return Beweging(
        delta_mediaan=delta_mediaan,
        delta_iqr=delta_iqr,
        aandeel_gewijzigd=aandeel_gewijzigd,
        stabiel=stabiel,
    )


def _grootste_verschil(f: RondeFiguren) -> float | None:
    """Largest |median beleid - median uitvoering| over the scales that are known."""
    bekend = [abs(v) for v in f.perspectiefverschil.values() if v is not None]
    return max(bekend) if bekend else None


def rangschikking(per_verwachting: Mapping[K, RondeFiguren]) -> list[K]:
    """Order verwachtingen for the dialoog: biggest beleid/uitvoering gap first.

    Sorted by the largest |perspectiefverschil| over the scales (descending, unknown
    last), then by kloof (descending, signed: "wenselijk but not haalbaar" first,
    unknown last); ties keep the input order.
    """

    def sleutel(item: tuple[K, RondeFiguren]) -> tuple[bool, float, bool, float]:
        verschil = _grootste_verschil(item[1])
        kloof = item[1].kloof
        return (
            verschil is None,
            -(verschil if verschil is not None else 0.0),
            kloof is None,
            -(kloof if kloof is not None else 0.0),
        )

    return [k for k, _ in sorted(per_verwachting.items(), key=sleutel)]


__all__ = [
    "GROEPEN",
    "SCHAAL",
    "SCHALEN",
    "Beoordeling",
    "Beweging",
    "Drempels",
    "RondeFiguren",
    "Samenvatting",
    "bescherm",
    "beweging",
    "figuren",
    "groepen_met",
    "rangschikking",
    "samenvatting",
]
