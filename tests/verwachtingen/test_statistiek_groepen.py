"""Statistics with a gemeente's own perspectives (issue 15 item 6): N groups, same protection.

The promise of statistiek.bescherm, now for any number of groups: nobody's rating can be read
off a group of one or two, nor derived by adding and subtracting the cells shown ("alle"
minus the groups shown apart), also when two small groups together are the remainder.
Unit and property tests, no database.
"""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from facilitatie.knelpunten.regels import te_kleine_groepen
from facilitatie.verwachtingen import statistiek as stat

EIGEN = ("partner", "inwoner")
# Every perspective a rating can carry here, in a fixed order for the derivation vectors.
ALLE_PERSPECTIEVEN = ("beleid", "uitvoering", *EIGEN, "anders")

antwoord = st.one_of(st.none(), st.integers(min_value=1, max_value=5))
rater = st.tuples(st.sampled_from(ALLE_PERSPECTIEVEN), antwoord, antwoord)


def _b(rater_id: str, perspectief: str, w: int | None, h: int | None, ronde: int = 1) -> stat.Beoordeling:
    return stat.Beoordeling(rater_id, perspectief, ronde, w, h, eigen=perspectief not in stat.PERSPECTIEVEN)


def _groep(perspectief: str, n: int, w: int | None = 3, h: int | None = 3) -> list[stat.Beoordeling]:
    return [_b(f"{perspectief}{i}", perspectief, w, h) for i in range(n)]


def _getoond(f: stat.RondeFiguren, groep: str, schaal: str = "wenselijk") -> bool:
    return groep in f.per_perspectief and f.per_perspectief[groep][schaal].mediaan is not None


# --- the groups ------------------------------------------------------------------------------


def test_groepen_met_puts_alle_beleid_uitvoering_first_and_never_anders():
    assert stat.groepen_met() == ("alle", "beleid", "uitvoering")
    assert stat.groepen_met(["uitvoering", "partner", "anders", "alle", "", "inwoner", "partner"]) == (
        "alle",
        "beleid",
        "uitvoering",
        "partner",
        "inwoner",
    )


def test_a_rating_may_carry_an_own_perspective_but_never_alle():
    assert _b("r", "partner-huisarts", 3, 3).perspectief == "partner-huisarts"
    for fout in ("alle", "", "beleid", "anders", None):
        with pytest.raises(ValueError, match="perspectief"):
            stat.Beoordeling("r", fout, 1, 3, 3, eigen=True)  # type: ignore[arg-type]
    # Not marked as the gemeente's own: only the built-in keys, so a slip is still refused.
    with pytest.raises(ValueError, match="perspectief"):
        stat.Beoordeling("r", "partner-huisarts", 1, 3, 3)


def test_without_own_groups_nothing_changes():
    beoordelingen = [*_groep("beleid", 3, 4, 4), *_groep("uitvoering", 3, 2, 2), *_groep("partner", 3, 5, 5)]
    f = stat.figuren(beoordelingen, 1)
    # "partner" is not a group here: it counts in "alle" only, as "anders" always did.
    assert f.groepen == stat.GROEPEN and set(f.per_perspectief) == {"alle", "beleid", "uitvoering"}
    assert f.perspectiefverschil == {"wenselijk": 2.0, "haalbaar": 2.0}


def test_an_own_perspective_of_three_forms_its_own_group():
    beoordelingen = [*_groep("beleid", 3, 4, 4), *_groep("uitvoering", 3, 2, 2), *_groep("partner", 3, 5, 1)]
    f = stat.figuren(beoordelingen, 1, groepen=EIGEN)
    assert f.groepen == ("alle", "beleid", "uitvoering", "partner", "inwoner")
    assert f.per_perspectief["partner"]["wenselijk"].mediaan == 5 and f.per_perspectief["partner"]["haalbaar"].n == 3
    # Nobody from inwoner: suppressed, and no reason to hide anyone else.
    assert f.onderdrukt == ("inwoner",)
    assert f.perspectiefverschil == {"wenselijk": 2.0, "haalbaar": 2.0}
    assert f.per_perspectief["alle"]["wenselijk"].n == 9


def test_one_partner_keeps_beleid_and_uitvoering_together():
    # alle - beleid - uitvoering would be the one partner's answer.
    beoordelingen = [*_groep("beleid", 4, 4, 4), *_groep("uitvoering", 4, 2, 2), _b("p0", "partner", 5, 1)]
    f = stat.figuren(beoordelingen, 1, groepen=EIGEN)
    assert f.onderdrukt == ("partner", "inwoner")
    assert not _getoond(f, "beleid") and not _getoond(f, "uitvoering")
    assert f.per_perspectief["beleid"]["wenselijk"].n == 4  # the count stays
    assert _getoond(f, "alle")
    assert f.perspectiefverschil == {"wenselijk": None, "haalbaar": None}


def test_two_small_groups_that_together_are_thin_are_not_derivable():
    # One partner and one inwoner: each suppressed, but alle - beleid - uitvoering = their two answers.
    beoordelingen = [
        *_groep("beleid", 4, 4, 4),
        *_groep("uitvoering", 4, 2, 2),
        _b("p0", "partner", 5, 1),
        _b("i0", "inwoner", 1, 5),
    ]
    f = stat.figuren(beoordelingen, 1, groepen=EIGEN)
    assert f.onderdrukt == ("partner", "inwoner")
    for schaal in stat.SCHALEN:
        assert not _getoond(f, "beleid", schaal) and not _getoond(f, "uitvoering", schaal)
        assert _getoond(f, "alle", schaal)


def test_two_small_groups_that_together_are_three_leave_the_rest_shown():
    # One partner and two inwoners: the remainder is three answers of two groups, as safe as any group of three.
    beoordelingen = [
        *_groep("beleid", 4, 4, 4),
        *_groep("uitvoering", 4, 2, 2),
        _b("p0", "partner", 5, 1),
        *_groep("inwoner", 2, 1, 5),
    ]
    f = stat.figuren(beoordelingen, 1, groepen=EIGEN)
    assert f.onderdrukt == ("partner", "inwoner")
    assert _getoond(f, "beleid") and _getoond(f, "uitvoering")
    assert f.perspectiefverschil == {"wenselijk": 2.0, "haalbaar": 2.0}


def test_a_thin_remainder_hides_the_smallest_group_shown():
    # Partner 3, inwoner 1, beleid 5, uitvoering 5: alle minus the four shown would be the inwoner.
    # Hiding partner (the smallest shown) makes the remainder four; beleid and uitvoering stay.
    beoordelingen = [
        *_groep("beleid", 5, 4, 4),
        *_groep("uitvoering", 5, 2, 2),
        *_groep("partner", 3, 5, 5),
        _b("i0", "inwoner", 1, 1),
    ]
    f = stat.figuren(beoordelingen, 1, groepen=EIGEN)
    assert not _getoond(f, "partner") and f.per_perspectief["partner"]["wenselijk"].n == 3
    assert _getoond(f, "beleid") and _getoond(f, "uitvoering")
    assert f.onderdrukt == ("inwoner",)


def test_a_thin_own_group_on_one_scale_only_hides_that_scale():
    # Three partners, two of whom said "Weet niet" on haalbaar: one rating there.
    beoordelingen = [
        *_groep("beleid", 4, 4, 4),
        *_groep("uitvoering", 4, 2, 2),
        _b("p0", "partner", 5, 1),
        _b("p1", "partner", 5, None),
        _b("p2", "partner", 5, None),
    ]
    f = stat.figuren(beoordelingen, 1, groepen=EIGEN)
    assert _getoond(f, "partner", "wenselijk") and not _getoond(f, "partner", "haalbaar")
    assert _getoond(f, "beleid", "wenselijk") and not _getoond(f, "beleid", "haalbaar")
    assert not _getoond(f, "uitvoering", "haalbaar")
    assert f.perspectiefverschil == {"wenselijk": 2.0, "haalbaar": None}


def test_beleid_missing_still_lets_an_own_group_show_when_safe():
    # No beleid: beleid and uitvoering are hidden as a pair; partner (4) and the rest (uitvoering 5) are safe.
    beoordelingen = [*_groep("uitvoering", 5, 2, 2), *_groep("partner", 4, 5, 5)]
    f = stat.figuren(beoordelingen, 1, groepen=EIGEN)
    assert "beleid" in f.onderdrukt and "uitvoering" in f.onderdrukt
    assert _getoond(f, "partner")


def test_bescherm_twice_is_once_with_own_groups():
    beoordelingen = [
        *_groep("beleid", 5, 4, 4),
        *_groep("uitvoering", 3, 2, None),
        *_groep("partner", 3, 5, 5),
        _b("i0", "inwoner", 1, 1),
        _b("a0", "anders", None, 2),
    ]
    d = stat.Drempels()
    f = stat.figuren(beoordelingen, 1, d, EIGEN)
    assert stat.bescherm(f, d) == f


# --- property: nothing small is ever derivable ------------------------------------------------


def _afleidbaar(getoond: list[tuple[int, ...]], lengte: int) -> set[tuple[int, ...]]:
    """Every sum/difference of the shown cells (coefficients -1, 0, 1 suffice: the groups are disjoint)."""
    return {
        tuple(sum(c * v[i] for c, v in zip(coeff, getoond, strict=True)) for i in range(lengte))
        for coeff in itertools.product((-1, 0, 1), repeat=len(getoond))
    }


@settings(deadline=None, max_examples=150)
@given(st.lists(rater, max_size=18), st.integers(min_value=3, max_value=5))
def test_no_set_of_fewer_than_min_ratings_follows_from_the_cells_shown(raters, min_groep):
    d = stat.Drempels(min_groep=min_groep)
    beoordelingen = [_b(f"r{i}", p, w, h) for i, (p, w, h) in enumerate(raters)]
    f = stat.figuren(beoordelingen, 1, d, EIGEN)
    assert stat.bescherm(f, d) == f
    leden = {"alle": set(ALLE_PERSPECTIEVEN), **{g: {g} for g in ("beleid", "uitvoering", *EIGEN)}}
    for index, schaal in enumerate(stat.SCHALEN):
        aantal = [sum(p == q and r[index] is not None for p, *r in raters) for q in ALLE_PERSPECTIEVEN]
        getoond = []
        for groep, schalen in f.per_perspectief.items():
            if schalen[schaal].mediaan is not None:
                assert schalen[schaal].n >= min_groep
                rij = (int(q in leden[groep] and aantal[i] > 0) for i, q in enumerate(ALLE_PERSPECTIEVEN))
                getoond.append(tuple(rij))
        bereikbaar = _afleidbaar(getoond, len(ALLE_PERSPECTIEVEN))
        # Any union of perspectives (two small ones together included) with 1 .. min-1 ratings.
        for keuze in itertools.product((0, 1), repeat=len(ALLE_PERSPECTIEVEN)):
            doel = tuple(k if aantal[i] else 0 for i, k in enumerate(keuze))
            n = sum(aantal[i] for i, k in enumerate(doel) if k)
            if 0 < n < min_groep:
                assert doel not in bereikbaar, (schaal, doel, f)
    assert ("beleid" in f.per_perspectief) == ("uitvoering" in f.per_perspectief)


@settings(deadline=None, max_examples=60)
@given(st.lists(st.tuples(st.sampled_from(("beleid", "uitvoering", "anders")), antwoord, antwoord), max_size=14))
def test_with_no_own_perspective_configured_the_figures_are_the_same_as_before(raters):
    beoordelingen = [_b(f"r{i}", p, w, h) for i, (p, w, h) in enumerate(raters)]
    assert stat.figuren(beoordelingen, 1, groepen=EIGEN).per_perspectief == {
        g: s for g, s in stat.figuren(beoordelingen, 1).per_perspectief.items()
    }


# --- the votes: all perspectives apart or none ---------------------------------------------------


def test_votes_split_only_when_every_voting_perspective_has_three():
    volgorde = ("uitvoering", "beleid", "partner", "inwoner", "anders")
    assert te_kleine_groepen({"uitvoering": 5, "beleid": 4, "partner": 3}, volgorde=volgorde) == []
    assert te_kleine_groepen({"uitvoering": 5, "beleid": 4, "partner": 2}, volgorde=volgorde) == ["partner"]
    # Two small groups are both named (and so nothing is split): their sum would follow from the total.
    assert te_kleine_groepen({"uitvoering": 5, "beleid": 4, "partner": 1, "inwoner": 1}, volgorde=volgorde) == [
        "partner",
        "inwoner",
    ]
    # A key outside the order (a perspective of another gemeente in old data) is not overlooked.
    assert te_kleine_groepen({"uitvoering": 5, "vreemd": 1}, volgorde=volgorde) == ["vreemd"]
