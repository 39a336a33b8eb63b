"""Rating statistics for verwachtingen, checked against hand-computed figures.

Quartiles follow the inclusive method (statistics.quantiles(method="inclusive")): on the
sorted values x0..x(n-1), quartile p sits at position p * (n - 1), interpolating
linearly between neighbours. The arithmetic is written next to every expectation.
"""

from __future__ import annotations

import statistics

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from facilitatie.verwachtingen.statistiek import (
    Beoordeling,
    Drempels,
    RondeFiguren,
    Samenvatting,
    beweging,
    figuren,
    rangschikking,
    samenvatting,
)

LEEG = Samenvatting(
    n=0,
    mediaan=None,
    q1=None,
    q3=None,
    iqr=None,
    gemiddelde=None,
    aandeel_binnen_een=None,
    consensus=False,
)


def b(
    rater: str,
    perspectief: str,
    ronde: int,
    wenselijk: int | None,
    haalbaar: int | None,
) -> Beoordeling:
    """Short factory so the tables below stay readable."""
    return Beoordeling(rater, perspectief, ronde, wenselijk, haalbaar)


# --- samenvatting: hand-computed ----------------------------------------------------


def test_ties_are_counted_each_time() -> None:
    # sorted 2,2,3,4,4 (n=5): median x2 = 3; positions (n-1)=4:
    # q1 at 1*4/4 = 1 -> x1 = 2; q3 at 3*4/4 = 3 -> x3 = 4; IQR = 4 - 2 = 2.
    # mean = 15 / 5 = 3.0; all five within 1 of 3 -> 5/5 = 1.0.
    # IQR 2 > 1 -> no consensus although everyone is "close".
    s = samenvatting([4, 2, 3, 2, 4])
    assert s == Samenvatting(5, 3.0, 2.0, 4.0, 2.0, 3.0, 1.0, False)


def test_weet_niet_is_left_out_of_n_and_figures() -> None:
    # None, None dropped -> sorted 4,4,4,5 (n=4), median (4+4)/2 = 4.
    # (n-1)=3: q1 at 0.75 -> (x0*1 + x1*3)/4 = (4 + 12)/4 = 4
    #          q3 at 2.25 -> (x2*3 + x3*1)/4 = (12 + 5)/4 = 4.25; IQR 0.25.
    # mean 17/4 = 4.25; all within 1 of 4 -> 1.0; IQR 0.25 <= 1 and 1.0 >= 0.7.
    s = samenvatting([None, 4, None, 5, 4, 4])
    assert s == Samenvatting(4, 4.0, 4.0, 4.25, 0.25, 4.25, 1.0, True)


def test_single_rater() -> None:
    # n=1: median = q1 = q3 = 3, IQR 0, mean 3, share 1/1 -> consensus.
    assert samenvatting([3]) == Samenvatting(1, 3.0, 3.0, 3.0, 0.0, 3.0, 1.0, True)


def test_empty_input_has_no_figures_and_no_consensus() -> None:
    assert samenvatting([]) == LEEG
    # Only "Weet niet" is the same as nobody answering.
    assert samenvatting([None, None]) == LEEG


def test_polarised_pair() -> None:
    # sorted 1,5: median (1+5)/2 = 3; (n-1)=1:
    # q1 at 0.25 -> (1*3 + 5*1)/4 = 2; q3 at 0.75 -> (1*1 + 5*3)/4 = 4; IQR 2.
    # |1-3| = |5-3| = 2 > 1 -> share 0/2 = 0.0.
    assert samenvatting([5, 1]) == Samenvatting(2, 3.0, 2.0, 4.0, 2.0, 3.0, 0.0, False)


def test_consensus_at_iqr_exactly_one() -> None:
    # sorted 1,2,2,3,3: median x2 = 2; (n-1)=4: q1 = x1 = 2, q3 = x3 = 3 -> IQR 1.
    # all within 1 of 2 -> 1.0; mean 11/5 = 2.2.
    s = samenvatting([3, 1, 2, 3, 2])
    assert (s.q1, s.q3, s.iqr, s.aandeel_binnen_een) == (2.0, 3.0, 1.0, 1.0)
    assert s.gemiddelde == pytest.approx(2.2)
    assert s.consensus  # IQR == iqr_max counts
    assert not samenvatting([3, 1, 2, 3, 2], Drempels(iqr_max=0.99)).consensus


def test_no_consensus_when_iqr_just_above_one() -> None:
    # sorted 2,2,3,4: median (2+3)/2 = 2.5; (n-1)=3:
    # q1 at 0.75 -> (2*1 + 2*3)/4 = 2; q3 at 2.25 -> (3*3 + 4*1)/4 = 3.25; IQR 1.25.
    # within 1 of 2.5: 2, 2, 3 (4 is 1.5 away) -> 3/4 = 0.75, but IQR 1.25 > 1.
    s = samenvatting([2, 4, 3, 2])
    assert (s.mediaan, s.q1, s.q3, s.iqr) == (2.5, 2.0, 3.25, 1.25)
    assert s.aandeel_binnen_een == 0.75
    assert not s.consensus


def test_consensus_at_share_exactly_point_seven() -> None:
    # sorted 1,1,3,3,3,3,3,3,3,5 (n=10): median (x4+x5)/2 = 3.
    # (n-1)=9: q1 at 2.25 -> (x2*3 + x3*1)/4 = (9+3)/4 = 3
    #          q3 at 6.75 -> (x6*1 + x7*3)/4 = (3+9)/4 = 3; IQR 0.
    # within 1 of 3: the seven 3s (1 and 5 are 2 away) -> 7/10 = 0.7.
    # mean (1+1+7*3+5)/10 = 28/10 = 2.8.
    waarden = [1, 1, 3, 3, 3, 3, 3, 3, 3, 5]
    s = samenvatting(waarden)
    assert (s.n, s.mediaan, s.iqr) == (10, 3.0, 0.0)
    assert s.aandeel_binnen_een == pytest.approx(0.7)
    assert s.gemiddelde == pytest.approx(2.8)
    assert s.consensus  # share == aandeel_min counts
    assert not samenvatting(waarden, Drempels(aandeel_min=0.71)).consensus


def test_no_consensus_when_share_below_threshold() -> None:
    # sorted 1,1,1,3,3,3,3,3,3,5: median (x4+x5)/2 = 3; within 1: six 3s -> 0.6 < 0.7.
    # q1 at 2.25 -> (1*3 + 3*1)/4 = 1.5; q3 at 6.75 -> (3*1 + 3*3)/4 = 3; IQR 1.5.
    s = samenvatting([1, 1, 1, 3, 3, 3, 3, 3, 3, 5])
    assert (s.q1, s.q3, s.aandeel_binnen_een, s.consensus) == (1.5, 3.0, 0.6, False)


def test_out_of_scale_values_are_refused() -> None:
    for fout in (0, 6, True):
        with pytest.raises(ValueError):
            samenvatting([3, fout])  # type: ignore[list-item]
    with pytest.raises(ValueError):
        b("r", "beleid", 1, 7, 3)
    with pytest.raises(ValueError):
        b("r", "wethouder", 1, 3, 3)
    with pytest.raises(ValueError):
        b("r", "beleid", 3, 3, 3)


# --- figuren: groups, small-group protection, kloof, perspectiefverschil -------------

RONDE_1 = [
    b("b1", "beleid", 1, 5, 2),
    b("b2", "beleid", 1, 4, 2),
    b("b3", "beleid", 1, 5, 3),
    b("u1", "uitvoering", 1, 3, 2),
    b("u2", "uitvoering", 1, 2, 1),
    b("u3", "uitvoering", 1, 3, None),  # "Weet niet" on haalbaar
    b("u4", "uitvoering", 1, 3, 1),
    b("a1", "anders", 1, 4, 3),
    b("a2", "anders", 1, 4, 3),
    b("a3", "anders", 1, 4, 3),
    # a ronde-2 answer must not leak into ronde 1
    b("b1", "beleid", 2, 1, 1),
]


def test_figuren_per_group_kloof_and_perspectiefverschil() -> None:
    f = figuren(RONDE_1, 1)
    assert f.ronde == 1
    assert f.aantal_beoordelaars == 10  # b1-3, u1-4, a1-3
    assert f.onderdrukt == ()
    # "anders" counts in "alle" but never gets a group of its own.
    assert set(f.per_perspectief) == {"alle", "beleid", "uitvoering"}
    alle = f.per_perspectief["alle"]
    # alle wenselijk 5,4,5,3,2,3,3,4,4,4 -> sorted 2,3,3,3,4,4,4,4,5,5 -> median (x4+x5)/2 = 4
    assert (alle["wenselijk"].n, alle["wenselijk"].mediaan) == (10, 4.0)
    # alle haalbaar 2,2,3,2,1,(None),1,3,3,3 -> sorted 1,1,2,2,2,3,3,3,3 -> median x4 = 2
    assert (alle["haalbaar"].n, alle["haalbaar"].mediaan) == (9, 2.0)
    # kloof = 4 - 2 = 2
    assert f.kloof == 2.0
    # wenselijk: beleid 5,4,5 -> 5; uitvoering 3,2,3,3 -> sorted 2,3,3,3 -> 3; 5 - 3 = 2
    # haalbaar: beleid 2,2,3 -> 2; uitvoering 2,1,1 (u3 "Weet niet") -> 1; 2 - 1 = 1
    assert f.perspectiefverschil == {"wenselijk": 2.0, "haalbaar": 1.0}
    # Three ratings on the scale are enough, whatever the fourth rater said.
    assert f.per_perspectief["uitvoering"]["haalbaar"].n == 3


def test_two_raters_are_suppressed() -> None:
    zonder = [x for x in RONDE_1 if x.rater_id not in ("u3", "u4")]
    f = figuren(zonder, 1)
    assert f.onderdrukt == ("beleid", "uitvoering")
    assert set(f.per_perspectief) == {"alle"}
    assert f.perspectiefverschil == {"wenselijk": None, "haalbaar": None}
    # "alle" (8 raters) is still shown: wenselijk sorted 2,3,4,4,4,4,5,5 -> (4+4)/2 = 4;
    # haalbaar sorted 1,2,2,2,3,3,3,3 -> (2+3)/2 = 2.5; kloof 4 - 2.5 = 1.5.
    assert f.aantal_beoordelaars == 8
    assert f.kloof == 1.5


def test_empty_perspective_is_suppressed_and_takes_the_other_along() -> None:
    f = figuren([x for x in RONDE_1 if x.perspectief != "beleid"], 1)
    assert f.onderdrukt == ("beleid", "uitvoering")
    assert set(f.per_perspectief) == {"alle"}


def test_figuren_of_nobody() -> None:
    f = figuren([], 2)
    assert f == RondeFiguren(
        ronde=2,
        per_perspectief={},
        onderdrukt=("alle", "beleid", "uitvoering"),
        aantal_beoordelaars=0,
        kloof=None,
        perspectiefverschil={"wenselijk": None, "haalbaar": None},
    )


def test_kloof_unknown_when_everyone_says_weet_niet_on_a_scale() -> None:
    rondje = [b(f"r{i}", "anders", 1, 4, None) for i in range(3)]
    f = figuren(rondje, 1)
    assert f.per_perspectief["alle"]["haalbaar"] == LEEG
    assert f.kloof is None


def test_resubmitted_answer_replaces_the_earlier_one() -> None:
    # r1 first says 1, then 5: only 5 counts -> 5,3,3 -> median 3, n 3.
    rondje = [
        b("r1", "anders", 1, 1, 1),
        b("r2", "anders", 1, 3, 3),
        b("r3", "anders", 1, 3, 3),
        b("r1", "anders", 1, 5, 5),
    ]
    s = figuren(rondje, 1).per_perspectief["alle"]["wenselijk"]
    assert (s.n, s.mediaan, s.q3) == (3, 3.0, 4.0)  # q3 at 1.5 -> (3*2 + 5*2)/4 = 4


# --- beweging ---------------------------------------------------------------------


def test_beweging_between_rondes() -> None:
    beoordelingen = [
        b("r1", "beleid", 1, 5, 2),
        b("r2", "beleid", 1, 4, 2),
        b("r3", "uitvoering", 1, 4, 3),
        b("r4", "uitvoering", 1, 3, 1),
        b("r1", "beleid", 2, 4, 3),  # changed
        b("r2", "beleid", 2, 4, 2),
        b("r3", "uitvoering", 2, 4, 3),
        b("r4", "uitvoering", 2, 3, 2),  # changed
        b("r5", "anders", 2, 1, 1),  # only in ronde 2: in the figures, not in the share
    ]
    bw = beweging(beoordelingen)
    assert bw is not None
    # wenselijk r1: sorted 3,4,4,5 -> median 4; q1 (3+4*3)/4 = 3.75, q3 (4*3+5)/4 = 4.25
    #   IQR 0.5. r2: sorted 1,3,4,4,4 -> median 4; q1 x1 = 3, q3 x3 = 4, IQR 1.
    #   delta median 0, delta IQR 1 - 0.5 = 0.5
    # haalbaar r1: sorted 1,2,2,3 -> median 2; q1 (1+2*3)/4 = 1.75, q3 (2*3+3)/4 = 2.25
    #   IQR 0.5. r2: sorted 1,2,2,3,3 -> median 2; q1 x1 = 2, q3 x3 = 3, IQR 1.
    #   delta median 0, delta IQR 0.5
    assert bw.delta_mediaan == {"wenselijk": 0.0, "haalbaar": 0.0}
    assert bw.delta_iqr == {"wenselijk": 0.5, "haalbaar": 0.5}
    # in both rondes: r1..r4; changed r1, r4 -> 2/4 = 0.5 > 0.3 -> not stabiel
    assert bw.aandeel_gewijzigd == 0.5
    assert not bw.stabiel


def test_beweging_stabiel_at_both_boundaries() -> None:
    # Ronde 1: ten raters, wenselijk r0-r4 = 3, r5-r9 = 4 -> median (3+4)/2 = 3.5;
    # haalbaar all 2 -> median 2.
    voor = [b(f"r{i}", "anders", 1, 3 if i < 5 else 4, 2) for i in range(10)]
    na = [b(f"r{i}", "anders", 2, 3 if i < 5 else 4, 2) for i in range(3, 10)]
    na += [
        b("r0", "anders", 2, 4, 2),  # wenselijk 3 -> 4
        b("r1", "anders", 2, 3, 3),  # haalbaar 2 -> 3
        b("r2", "anders", 2, 3, None),  # haalbaar 2 -> "Weet niet": also a change
    ]
    bw = beweging(voor + na)
    assert bw is not None
    # Ronde 2 wenselijk: four 3s, six 4s -> median (x4+x5)/2 = 4 -> delta 4 - 3.5 = 0.5
    # Ronde 2 haalbaar: eight 2s, one 3 (r2 "Weet niet") -> median x4 = 2 -> delta 0
    assert bw.delta_mediaan == {"wenselijk": 0.5, "haalbaar": 0.0}
    # 3 of 10 changed -> 0.3: both exactly on the boundary -> stabiel
    assert bw.aandeel_gewijzigd == pytest.approx(0.3)
    assert bw.stabiel


def test_beweging_none_without_a_second_ronde() -> None:
    assert beweging([b("r1", "beleid", 1, 3, 3)]) is None
    assert beweging([]) is None


def test_beweging_of_a_tiny_group_reveals_nothing() -> None:
    beoordelingen = [
        b("r1", "beleid", 1, 3, 3),
        b("r2", "uitvoering", 1, 3, 3),
        b("r1", "beleid", 2, 5, 5),
        b("r2", "uitvoering", 2, 3, 3),
    ]
    bw = beweging(beoordelingen)
    assert bw is not None
    assert bw.delta_mediaan == {"wenselijk": None, "haalbaar": None}
    assert bw.delta_iqr == {"wenselijk": None, "haalbaar": None}
    assert bw.aandeel_gewijzigd is None
    assert not bw.stabiel


# --- rangschikking ----------------------------------------------------------------


def _rf(verschil: dict[str, float | None], kloof: float | None) -> RondeFiguren:
    return RondeFiguren(1, {}, (), 6, kloof, verschil)


def test_rangschikking_biggest_perspectiefverschil_first_then_kloof() -> None:
    per_verwachting = {
        "onbekend": _rf({"wenselijk": None, "haalbaar": None}, 3.0),  # no verschil: last
        "klein": _rf({"wenselijk": 0.5, "haalbaar": None}, 2.0),  # max |.| 0.5
        "groot": _rf({"wenselijk": -2.0, "haalbaar": 0.5}, 1.0),  # max |.| = 2
        "klein_meer_kloof": _rf({"wenselijk": 0.5, "haalbaar": -0.5}, 2.5),  # 0.5
        "klein_geen_kloof": _rf({"wenselijk": -0.5, "haalbaar": 0.0}, None),  # 0.5
    }
    assert rangschikking(per_verwachting) == [
        "groot",
        "klein_meer_kloof",
        "klein",
        "klein_geen_kloof",
        "onbekend",
    ]
    assert rangschikking({}) == []


# --- properties -------------------------------------------------------------------

score = st.integers(min_value=1, max_value=5)
antwoord = st.one_of(st.none(), score)


@settings(deadline=None)  # timing is not the property; a busy CI machine must not fail it
@given(st.lists(antwoord, max_size=30).flatmap(lambda xs: st.tuples(st.just(xs), st.permutations(xs))))
def test_order_of_answers_does_not_matter(
    paar: tuple[list[int | None], list[int | None]],
) -> None:
    origineel, geschud = paar
    assert samenvatting(origineel) == samenvatting(geschud)


@settings(deadline=None)  # timing is not the property; a busy CI machine must not fail it
@given(st.lists(antwoord, min_size=1, max_size=30))
def test_median_on_scale_and_spread_non_negative(waarden: list[int | None]) -> None:
    s = samenvatting(waarden)
    if s.n == 0:
        assert s == LEEG
        return
    assert s.mediaan is not None and s.q1 is not None and s.q3 is not None
    assert s.iqr is not None and s.aandeel_binnen_een is not None
    assert 1 <= s.q1 <= s.mediaan <= s.q3 <= 5
    assert s.iqr >= 0
    assert 0 <= s.aandeel_binnen_een <= 1  # 0 is possible: 1,5 has median 3


@settings(deadline=None)  # timing is not the property; a busy CI machine must not fail it
@given(st.lists(score, min_size=2, max_size=30))
def test_quartiles_match_statistics_inclusive(waarden: list[int]) -> None:
    s = samenvatting(waarden)
    q1, _, q3 = statistics.quantiles(waarden, n=4, method="inclusive")
    assert s.q1 == pytest.approx(q1)
    assert s.q3 == pytest.approx(q3)


@settings(deadline=None)  # timing is not the property; a busy CI machine must not fail it
@given(score, st.integers(min_value=1, max_value=20), st.integers(min_value=0, max_value=5))
def test_unanimous_group_is_in_consensus(waarde: int, aantal: int, weet_niet: int) -> None:
    s = samenvatting([waarde] * aantal + [None] * weet_niet)
    assert s.n == aantal
    assert s.iqr == 0
    assert s.consensus


@settings(deadline=None)  # timing is not the property; a busy CI machine must not fail it
@given(st.integers(max_value=2))
def test_min_groep_below_three_is_refused(min_groep: int) -> None:
    with pytest.raises(ValueError):
        Drempels(min_groep=min_groep)


def test_drempels_defaults_and_sanity() -> None:
    assert Drempels() == Drempels(1.0, 0.7, 3)
    assert Drempels(min_groep=5).min_groep == 5
    with pytest.raises(ValueError):
        Drempels(aandeel_min=1.5)
    with pytest.raises(ValueError):
        Drempels(iqr_max=-1)


perspectief = st.sampled_from(["beleid", "uitvoering", "anders"])


@st.composite
def ronde_beoordelingen(draw: st.DrawFn) -> list[Beoordeling]:
    aantal = draw(st.integers(min_value=0, max_value=12))
    return [Beoordeling(f"r{i}", draw(perspectief), 1, draw(antwoord), draw(antwoord)) for i in range(aantal)]


@settings(deadline=None)  # timing is not the property; a busy CI machine must not fail it
@given(
    ronde_beoordelingen().flatmap(lambda xs: st.tuples(st.just(xs), st.permutations(xs))),
    st.integers(min_value=3, max_value=6),
)
def test_figuren_order_free_and_never_shows_a_small_group(
    paar: tuple[list[Beoordeling], list[Beoordeling]], min_groep: int
) -> None:
    origineel, geschud = paar
    drempels = Drempels(min_groep=min_groep)
    f = figuren(origineel, 1, drempels)
    assert f == figuren(geschud, 1, drempels)
    for groep, schalen in f.per_perspectief.items():
        leden = [x for x in origineel if groep == "alle" or x.perspectief == groep]
        assert len(leden) >= min_groep
        assert set(schalen) == {"wenselijk", "haalbaar"}
    assert set(f.per_perspectief).isdisjoint(f.onderdrukt)
    assert set(f.per_perspectief) | set(f.onderdrukt) == {
        "alle",
        "beleid",
        "uitvoering",
    }


# --- boundaries from the other side (issue 16) ------------------------------------


def test_median_shift_of_one_is_not_stabiel() -> None:
    # Ronde 1 wenselijk: six 3s, four 4s -> median (x4+x5)/2 = 3.
    # Ronde 2: r0, r1 move 3 -> 4 -> four 3s, six 4s -> median 4: delta 1.0, 2 of 10 changed.
    voor = [b(f"r{i}", "anders", 1, 3 if i < 6 else 4, 2) for i in range(10)]
    na = [b(f"r{i}", "anders", 2, 3 if 2 <= i < 6 else 4, 2) for i in range(10)]
    bw = beweging(voor + na)
    assert bw is not None
    assert bw.delta_mediaan == {"wenselijk": 1.0, "haalbaar": 0.0}
    assert bw.aandeel_gewijzigd == pytest.approx(0.2)
    assert not bw.stabiel
    # Downwards just the same: ronde 2 as ronde 1 and the other way round.
    terug = [b(x.rater_id, x.perspectief, 3 - x.ronde, x.wenselijk, x.haalbaar) for x in voor + na]
    bw = beweging(terug)
    assert bw is not None
    assert bw.delta_mediaan["wenselijk"] == -1.0
    assert not bw.stabiel


def test_one_of_three_changing_is_not_stabiel() -> None:
    # 1/3 = 0.33 > 0.3 with medians unchanged (3,3,3 -> 3,3,4: median 3, haalbaar same).
    voor = [b(f"r{i}", "anders", 1, 3, 3) for i in range(3)]
    na = [b("r0", "anders", 2, 3, 3), b("r1", "anders", 2, 3, 3), b("r2", "anders", 2, 4, 3)]
    bw = beweging(voor + na)
    assert bw is not None
    assert bw.delta_mediaan == {"wenselijk": 0.0, "haalbaar": 0.0}
    assert bw.aandeel_gewijzigd == pytest.approx(1 / 3)
    assert not bw.stabiel


def test_haalbaar_alone_can_make_it_not_stabiel() -> None:
    # Wenselijk stays; haalbaar 2,2,2,2 -> 3,3,2,2 plus a newcomer's 3 -> median 3: delta 1.
    voor = [b(f"r{i}", "anders", 1, 3, 2) for i in range(4)]
    na = [b(f"r{i}", "anders", 2, 3, 3 if i < 2 else 2) for i in range(4)] + [b("n1", "anders", 2, 3, 3)]
    bw = beweging(voor + na)
    assert bw is not None
    assert bw.delta_mediaan == {"wenselijk": 0.0, "haalbaar": 1.0}
    assert not bw.stabiel


def test_alle_suppressed_in_one_ronde_only_is_not_stabiel() -> None:
    # Ronde 1: five raters; ronde 2: two of them again. Nothing changed, but ronde 2 shows nothing.
    voor = [b(f"r{i}", "anders", 1, 3, 3) for i in range(5)]
    na = [b(f"r{i}", "anders", 2, 3, 3) for i in range(2)]
    bw = beweging(voor + na)
    assert bw is not None
    assert bw.delta_mediaan == {"wenselijk": None, "haalbaar": None}
    assert not bw.stabiel
    # And the other way round: ronde 1 suppressed, ronde 2 shown.
    bw = beweging([b(f"r{i}", "anders", 1, 3, 3) for i in range(2)] + [b(f"r{i}", "anders", 2, 3, 3) for i in range(5)])
    assert bw is not None and bw.delta_mediaan == {"wenselijk": None, "haalbaar": None} and not bw.stabiel


def test_figuren_uses_the_drempels_of_the_sessie() -> None:
    drie = [b(f"r{i}", "anders", 1, 3, 4 if i else 2) for i in range(3)]
    assert "alle" in figuren(drie, 1).per_perspectief
    streng = figuren(drie, 1, Drempels(min_groep=4))
    assert streng.onderdrukt == ("alle", "beleid", "uitvoering") and streng.per_perspectief == {}
    # Consensus thresholds too: haalbaar 2,4,4 -> median 4, q1 at 0.5 -> 3, q3 4, IQR 1;
    # within 1 of 4: two of three = 0.67.
    assert figuren(drie, 1).per_perspectief["alle"]["haalbaar"].consensus is False  # 2/3 within 1 < 0.7
    ruim = figuren(drie, 1, Drempels(aandeel_min=0.6))
    assert ruim.per_perspectief["alle"]["haalbaar"].consensus is True
    assert (
        figuren(drie, 1, Drempels(aandeel_min=0.6, iqr_max=0.5)).per_perspectief["alle"]["haalbaar"].consensus is False
    )


def test_beweging_uses_the_drempels_of_the_sessie() -> None:
    voor = [b(f"r{i}", "anders", 1, 3, 3) for i in range(3)]
    na = [b(f"r{i}", "anders", 2, 3, 3) for i in range(3)]
    assert beweging(voor + na).stabiel  # type: ignore[union-attr]
    streng = beweging(voor + na, Drempels(min_groep=4))
    assert streng is not None
    assert streng.delta_mediaan == {"wenselijk": None, "haalbaar": None}
    assert streng.aandeel_gewijzigd is None
    assert not streng.stabiel


@pytest.mark.parametrize("klein", [1, 2])
def test_beweging_applies_the_drempels_to_each_ronde(klein: int) -> None:
    # min_groep 4: the ronde with three raters shows nothing, so there is no delta.
    groot = 3 - klein
    drie = [b(f"r{i}", "anders", klein, 3, 3) for i in range(3)]
    vijf = [b(f"r{i}", "anders", groot, 3, 3) for i in range(5)]
    bw = beweging(drie + vijf, Drempels(min_groep=4))
    assert bw is not None
    assert bw.delta_mediaan == {"wenselijk": None, "haalbaar": None}


def test_drempels_accept_their_boundaries() -> None:
    assert Drempels(iqr_max=0).iqr_max == 0
    assert Drempels(aandeel_min=0).aandeel_min == 0
    assert Drempels(aandeel_min=1).aandeel_min == 1
    for fout in ({"iqr_max": -0.01}, {"aandeel_min": -0.01}, {"aandeel_min": 1.01}):
        with pytest.raises(ValueError):
            Drempels(**fout)


def test_refusals_name_the_field() -> None:
    # A refused answer or threshold says which one, so the caller can find the mistake.
    with pytest.raises(ValueError, match=r"^wenselijk moet 1-5 of None zijn, niet 7$"):
        b("r", "beleid", 1, 7, 3)
    with pytest.raises(ValueError, match=r"^haalbaar moet 1-5 of None zijn, niet 0$"):
        b("r", "beleid", 1, 3, 0)
    with pytest.raises(ValueError, match=r"^waarde moet 1-5 of None zijn, niet 6$"):
        samenvatting([3, 6])
    with pytest.raises(ValueError, match=r"^iqr_max moet >= 0 zijn$"):
        Drempels(iqr_max=-1)
    with pytest.raises(ValueError, match=r"^aandeel_min moet tussen 0 en 1 liggen$"):
        Drempels(aandeel_min=1.5)
