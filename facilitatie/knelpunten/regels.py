"""Plain rules of the knelpunten area, without Flask or a database (unit tested on their own)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from facilitatie.fouten import Ongeldig


def kies_stemplek(
    bezette_plekken: Iterable[int], stemmen_op_item: Iterable[int], *, per_deelnemer: int, per_item: int
) -> tuple[int, int]:
    """The (plek, n) slot a new stem takes, or Ongeldig when a limit is reached.

    `plek` numbers the deelnemer's stemmen 1..per_deelnemer and `n` their stemmen on this item
    1..per_item; the database holds both unique, so two racing requests cannot take the same
    slot. The lowest free numbers are used, so a stem taken back frees its slot again.
    """
    plekken, op_item = set(bezette_plekken), set(stemmen_op_item)
    if len(plekken) >= per_deelnemer:
        raise Ongeldig("stem", f"Je hebt al je {per_deelnemer} stemmen gebruikt.")
    if len(op_item) >= per_item:
        raise Ongeldig("stem", f"Je kunt hoogstens {per_item} stemmen op één onderwerp geven.")
    plek = next(i for i in range(1, per_deelnemer + 1) if i not in plekken)
    n = next(i for i in range(1, per_item + 1) if i not in op_item)
    return plek, n


def verplaats(
    toestand: Mapping[int, int | None], knelpunt: int, thema: int | None
) -> tuple[dict[int, int | None], set[int | None]]:
    """Move a knelpunt; returns the new grouping and the thema columns (None: loose) to redraw.

    Redrawing both columns whole is what makes concurrent moves converge: whichever move has
    the higher seq draws the columns last, from the state that includes every earlier move.
    """
    nieuw = dict(toestand)
    van = nieuw.get(knelpunt)
    nieuw[knelpunt] = thema
    return nieuw, {van, thema}


def opheffen(toestand: Mapping[int, int | None], thema: int) -> dict[int, int | None]:
    """Dissolve a thema: its knelpunten become loose, none is lost."""
    return {k: (None if t == thema else t) for k, t in toestand.items()}


# The same floor as the verwachtingen (statistiek.Drempels.min_groep): no split of fewer than 3.
MIN_GROEP = 3
STEM_PERSPECTIEVEN: tuple[str, str, str] = ("uitvoering", "beleid", "anders")


def te_kleine_groepen(
    stemmers: Mapping[str, int], min_groep: int = MIN_GROEP, volgorde: Sequence[str] = STEM_PERSPECTIEVEN
) -> list[str]:
    """The perspectives with 1 to min_groep - 1 voters, in the order of `volgorde`.

    When any perspective is that small, no perspective is shown apart: the total minus the
    groups shown would give the small group's votes, and with one voter that person's votes.
    With a gemeente's own perspectives (`volgorde`: uitvoering, beleid, the added ones, anders)
    the same holds for any number of groups: all are shown apart or none, so no group and no
    union of small groups follows by subtraction. A perspective nobody of voted for (0)
    gives nothing away. A perspective outside `volgorde` is small too when it is.
    """
    namen = list(volgorde) + sorted(set(stemmers) - set(volgorde))
    return [p for p in namen if 0 < stemmers.get(p, 0) < min_groep]
