"""Small-group protection (statistiek.bescherm, also uitslag.bescherm): unit and property tests.

The promise: nobody's rating can be read off a group of one or two, neither from a cell
shown on its own nor from "alle" minus the cells shown apart.
"""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from facilitatie.verwachtingen import statistiek as stat
from facilitatie.verwachtingen import uitslag

antwoord = st.one_of(st.none(), st.integers(min_value=1, max_value=5))
rater = st.tuples(st.sampled_from(stat.PERSPECTIEVEN), antwoord, antwoord)


def _b(rater_id: str, perspectief: str, w: int | None, h: int | None, ronde: int = 1) -> stat.Beoordeling:
    return stat.Beoordeling(rater_id, perspectief, ronde, w, h)


def _afleidbaar(doel: tuple[int, ...], getoond: list[tuple[int, ...]]) -> bool:
    """Whether doel is a sum/difference of the shown groups (coefficients -1, 0, 1 suffice here)."""
    for coeff in itertools.product((-1, 0, 1), repeat=len(getoond)):
        som = tuple(sum(c * v[i] for c, v in zip(coeff, getoond, strict=True)) for i in range(len(doel)))
        if som == doel:
            return True
    return False


def test_the_uitslag_uses_the_one_rule():
    assert uitslag.bescherm is stat.bescherm


@settings(deadline=None)
@given(st.lists(rater, max_size=14), st.integers(min_value=3, max_value=6))
def test_no_small_group_or_thin_scale_is_ever_shown(raters, min_groep):
    d = stat.Drempels(min_groep=min_groep)
    beoordelingen = [_b(f"r{i}", p, w, h) for i, (p, w, h) in enumerate(raters)]
    f = stat.bescherm(stat.figuren(beoordelingen, 1, d), d)
    assert f == stat.figuren(beoordelingen, 1, d)  # figuren is protected already; twice is once
    groottes = {
        "alle": len(raters),
        "beleid": sum(p == "beleid" for p, _, _ in raters),
        "uitvoering": sum(p == "uitvoering" for p, _, _ in raters),
    }
    for groep, schalen in f.per_perspectief.items():
        assert groottes[groep] >= min_groep
        for s in schalen.values():
            assert s.mediaan is None or s.n >= min_groep
    # Beleid and uitvoering are shown together or not at all (else one follows from "alle").
    assert ("beleid" in f.per_perspectief) == ("uitvoering" in f.per_perspectief)
    if "beleid" not in f.per_perspectief:
        assert all(v is None for v in f.perspectiefverschil.values())


@settings(deadline=None)
@given(st.lists(rater, max_size=16), st.integers(min_value=3, max_value=5))
def test_no_perspective_with_few_ratings_follows_by_subtraction(raters, min_groep):
    d = stat.Drempels(min_groep=min_groep)
    f = stat.figuren([_b(f"r{i}", p, w, h) for i, (p, w, h) in enumerate(raters)], 1, d)
    for index, schaal in enumerate(("wenselijk", "haalbaar")):
        # Ratings per perspective on this scale: beleid, uitvoering, anders.
        aantal = [sum(p == q and r[index] is not None for p, *r in raters) for q in stat.PERSPECTIEVEN]
        leden = {"alle": (1, 1, 1), "beleid": (1, 0, 0), "uitvoering": (0, 1, 0)}
        getoond = [
            tuple(x if aantal[i] else 0 for i, x in enumerate(leden[groep]))
            for groep, schalen in f.per_perspectief.items()
            if schalen[schaal].mediaan is not None
        ]
        for i, n in enumerate(aantal):
            if 0 < n < min_groep:
                doel = tuple(1 if j == i else 0 for j in range(3))
                assert not _afleidbaar(doel, getoond), (schaal, stat.PERSPECTIEVEN[i], f)


def test_two_weet_niet_of_three_beleid_leave_a_group_of_one():
    # The case from issue 16: three beleid raters, two say "Weet niet" on wenselijk.
    beoordelingen = [
        _b("b1", "beleid", 5, 3),
        _b("b2", "beleid", None, 3),
        _b("b3", "beleid", None, 4),
        *[_b(f"u{i}", "uitvoering", 2, 2) for i in range(3)],
    ]
    f = stat.figuren(beoordelingen, 1)
    beleid, uitvoering, alle = (f.per_perspectief[g]["wenselijk"] for g in ("beleid", "uitvoering", "alle"))
    assert beleid.n == 1 and beleid.mediaan is None and beleid.gemiddelde is None
    # Uitvoering is not shown apart on wenselijk either: 4 * mean(alle) - 3 * mean(uitvoering) = b1's 5.
    assert uitvoering.n == 3 and uitvoering.gemiddelde is None and uitvoering.mediaan is None
    assert alle.n == 4 and alle.mediaan == 2.0
    assert f.perspectiefverschil == {"wenselijk": None, "haalbaar": 1.0}
    # Haalbaar has three ratings on each side: shown apart.
    assert f.per_perspectief["beleid"]["haalbaar"].mediaan == 3.0


def test_one_real_answer_among_weet_niet_is_hidden():
    # Three uitvoering raters, two of them "Weet niet" on haalbaar: the median would be the third's answer.
    beoordelingen = [
        _b("u1", "uitvoering", 3, None),
        _b("u2", "uitvoering", 3, None),
        _b("u3", "uitvoering", 3, 1),
        *[_b(f"b{i}", "beleid", 4, 4) for i in range(3)],
    ]
    f = stat.figuren(beoordelingen, 1)
    assert f.per_perspectief["uitvoering"]["haalbaar"].mediaan is None
    assert f.per_perspectief["uitvoering"]["haalbaar"].n == 1
    # Beleid haalbaar (4, 4, 4) is hidden too: "alle" (1, 4, 4, 4) minus it would give u3's 1.
    assert f.per_perspectief["beleid"]["haalbaar"].mediaan is None
    assert f.per_perspectief["beleid"]["haalbaar"].n == 3
    assert f.per_perspectief["uitvoering"]["wenselijk"].mediaan == 3
    assert f.perspectiefverschil == {"wenselijk": 1.0, "haalbaar": None}
    # "Alle" haalbaar has four answers (1, 4, 4, 4): shown, median 4.
    assert f.per_perspectief["alle"]["haalbaar"].mediaan == 4


def test_a_lone_anders_rater_keeps_beleid_and_uitvoering_together():
    # alle = beleid + uitvoering + anders: with both shown apart, the one "anders" would follow.
    beoordelingen = [
        *[_b(f"b{i}", "beleid", 4, 4) for i in range(3)],
        *[_b(f"u{i}", "uitvoering", 2, 2) for i in range(3)],
        _b("a1", "anders", 5, None),
    ]
    f = stat.figuren(beoordelingen, 1)
    assert f.per_perspectief["beleid"]["wenselijk"].mediaan is None
    assert f.per_perspectief["uitvoering"]["wenselijk"].mediaan is None
    assert f.per_perspectief["alle"]["wenselijk"].mediaan == 4.0
    # a1 said "Weet niet" on haalbaar: nothing to reveal there, so both are shown.
    assert f.per_perspectief["beleid"]["haalbaar"].mediaan == 4.0
    assert f.perspectiefverschil == {"wenselijk": None, "haalbaar": 2.0}


def test_three_anders_raters_are_a_group():
    beoordelingen = [
        *[_b(f"b{i}", "beleid", 4, 4) for i in range(3)],
        *[_b(f"u{i}", "uitvoering", 2, 2) for i in range(3)],
        *[_b(f"a{i}", "anders", 5, 5) for i in range(3)],
    ]
    f = stat.figuren(beoordelingen, 1)
    assert f.perspectiefverschil == {"wenselijk": 2.0, "haalbaar": 2.0}


def test_thin_alle_on_a_scale_shows_its_count_only():
    beoordelingen = [_b("a1", "anders", 3, 2), _b("a2", "anders", 3, None), _b("a3", "anders", 3, None)]
    f = stat.figuren(beoordelingen, 1)
    assert f.per_perspectief["alle"]["haalbaar"] == stat.Samenvatting(1, None, None, None, None, None, None, False)
    assert f.kloof is None


def test_beweging_ignores_a_median_that_protection_hid():
    # Ronde 2: only one rating on haalbaar among three raters; its change must not show.
    voor = [_b(f"a{i}", "anders", 3, 3) for i in range(3)]
    na = [_b("a0", "anders", 3, 5, 2), _b("a1", "anders", 3, None, 2), _b("a2", "anders", 3, None, 2)]
    bw = stat.beweging(voor + na)
    assert bw is not None
    assert bw.delta_mediaan == {"wenselijk": 0.0, "haalbaar": None}
    assert bw.delta_iqr["haalbaar"] is None
    assert not bw.stabiel
