"""The trend of one verwachting across the sessies of its lijn: plain Python, no Flask, no database.

A verwachting taken into a later sessie keeps its lijn (models.Verwachting.lijn), so the same
ambition is rated again sessie after sessie. This module turns the figures of each sessie into
series: per groep and schaal the median in every sessie, and whether wenselijk and haalbaar
moved towards each other.

Choices, so every screen tells the same story:

* Per sessie the ronde that counts is the last closed one (`ronde_die_telt`): the nameting when
  it closed, otherwise the voormeting. That is the group's view after its own dialoog.
* The figures come from `statistiek.figuren`, protected per sessie with that sessie's own
  thresholds (`statistiek.bescherm`): a groep below `min_groep` raters, or a scale with fewer
  than `min_groep` ratings, has no median there and so no point in the trend. `trend` checks
  the counts once more and drops any median on fewer than `min_groep` (never below 3) ratings,
  so figures that skipped protection cannot leak through a trend either.
* The groups are whatever the statistics module gives (the keys of `per_perspectief` and the
  `onderdrukt` groups), in the order of `statistiek.GROEPEN` first and then as they appear:
  perspectives a gemeente configures show up here without a change in this module.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

from facilitatie.verwachtingen import statistiek as stat

_MIN_GROEP_ONDERGRENS = 3


@dataclass(frozen=True)
class Meting:
    """One sessie of the lijn: its figures in the ronde that counts (None: no closed ronde)."""

    sleutel: Hashable
    label: str
    figuren: stat.RondeFiguren | None
    min_groep: int = _MIN_GROEP_ONDERGRENS


@dataclass(frozen=True)
class Verloop:
    """One groep on one schaal across the metingen: a median (or None) and its n per meting."""

    groep: str
    schaal: str
    medianen: tuple[float | None, ...]
    n: tuple[int, ...]

    @property
    def bekend(self) -> list[tuple[int, float]]:
        """(index of the meting, median) where a median is shown."""
        return [(i, m) for i, m in enumerate(self.medianen) if m is not None]

    @property
    def verschil(self) -> float | None:
        """Last shown median minus the first; None with fewer than two shown."""
        bekend = self.bekend
        if len(bekend) < 2:
            return None
        return bekend[-1][1] - bekend[0][1]


@dataclass(frozen=True)
class Trend:
    """Every series of one lijn; `verloop[(groep, schaal)]`."""

    metingen: tuple[Meting, ...]
    groepen: tuple[str, ...]
    verloop: dict[tuple[str, str], Verloop]

    def reeks(self, groep: str, schaal: str) -> Verloop:
        """The series of one groep on one schaal."""
        return self.verloop[(groep, schaal)]

    @property
    def kloof(self) -> tuple[float | None, ...]:
        """Per meting: median wenselijk minus median haalbaar of all deelnemers (None: unknown)."""
        if "alle" not in self.groepen:
            return tuple(None for _ in self.metingen)
        w, h = self.verloop[("alle", "wenselijk")].medianen, self.verloop[("alle", "haalbaar")].medianen
        return tuple(None if a is None or b is None else a - b for a, b in zip(w, h, strict=True))

    @property
    def leeg(self) -> bool:
        """True when no meting has a single median to show."""
        return not any(v.bekend for v in self.verloop.values())


def ronde_die_telt(gesloten: Iterable[int]) -> int | None:
    """The last closed ronde (the nameting over the voormeting); None when none closed."""
    rondes = [r for r in gesloten if r in stat.RONDES]
    return max(rondes) if rondes else None


def groepen_van(figuren: Iterable[stat.RondeFiguren | None]) -> tuple[str, ...]:
    """The groups the statistics gave, known ones in statistiek.GROEPEN order, others after."""
    gezien: list[str] = []
    for f in figuren:
        if f is None:
            continue
        for groep in (*f.per_perspectief, *f.onderdrukt):
            if groep not in gezien:
                gezien.append(groep)
    bekend = [g for g in stat.GROEPEN if g in gezien]
    return (*bekend, *(g for g in gezien if g not in bekend))


def _mediaan(f: stat.RondeFiguren | None, groep: str, schaal: str, min_groep: int) -> tuple[float | None, int]:
    """The shown median and n of one cell; a cell below the floor shows no median."""
    if f is None or groep not in f.per_perspectief:
        return None, 0
    cel = f.per_perspectief[groep][schaal]
    if cel.n < max(min_groep, _MIN_GROEP_ONDERGRENS):
        return None, cel.n
    return cel.mediaan, cel.n


def trend(metingen: Sequence[Meting]) -> Trend:
    """The series of one lijn from its metingen (oldest first)."""
    metingen = tuple(metingen)
    groepen = groepen_van(m.figuren for m in metingen)
    verloop: dict[tuple[str, str], Verloop] = {}
    for groep in groepen:
        for schaal in stat.SCHALEN:
            cellen = [_mediaan(m.figuren, groep, schaal, m.min_groep) for m in metingen]
            verloop[(groep, schaal)] = Verloop(groep, schaal, tuple(c[0] for c in cellen), tuple(c[1] for c in cellen))
    return Trend(metingen=metingen, groepen=groepen, verloop=verloop)


__all__ = ["Meting", "Trend", "Verloop", "groepen_van", "ronde_die_telt", "trend"]
