"""The trend of a verwachting across sessies: plain Python, no Flask, no database."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from facilitatie.verwachtingen import statistiek as stat
from facilitatie.verwachtingen.trend import Meting, groepen_van, ronde_die_telt, trend
from facilitatie.verwachtingen.trendgrafiek import stijl, trend_svg

LABELS = {"alle": "Alle deelnemers", "beleid": "Beleid", "uitvoering": "Uitvoering"}


def _beoordelingen(beleid: list[tuple[int | None, int | None]], uitvoering, anders=(), ronde: int = 1):
    uit = []
    for p, lijst in (("beleid", beleid), ("uitvoering", uitvoering), ("anders", anders)):
        for i, (w, h) in enumerate(lijst):
            uit.append(stat.Beoordeling(f"{p}{i}", p, ronde, w, h))
    return uit


def _meting(sleutel, beleid, uitvoering, anders=(), ronde=1, drempels=None) -> Meting:
    drempels = drempels or stat.Drempels()
    f = stat.figuren(_beoordelingen(beleid, uitvoering, anders, ronde), ronde, drempels)
    return Meting(sleutel, f"Sessie {sleutel}", f, drempels.min_groep)


def test_ronde_die_telt_is_the_last_closed_one():
    assert ronde_die_telt([]) is None
    assert ronde_die_telt([1]) == 1
    assert ronde_die_telt([2, 1]) == 2
    assert ronde_die_telt([7]) is None


def test_medians_per_groep_and_schaal_across_three_sessies():
    t = trend(
        [
            _meting(1, [(5, 4), (5, 4), (4, 4)], [(5, 2), (4, 2), (5, 1)]),
            _meting(2, [(5, 4), (4, 3), (5, 4)], [(5, 3), (4, 3), (5, 2)]),
            _meting(3, [(5, 4), (5, 4), (4, 4)], [(5, 4), (4, 4), (5, 3)]),
        ]
    )
    assert t.groepen == ("alle", "beleid", "uitvoering")
    assert t.reeks("uitvoering", "haalbaar").medianen == (2, 3, 4)
    assert t.reeks("uitvoering", "haalbaar").verschil == 2
    assert t.reeks("beleid", "wenselijk").medianen == (5, 5, 5)
    assert t.reeks("alle", "haalbaar").medianen == (3, 3, 4)
    assert t.reeks("alle", "haalbaar").n == (6, 6, 6)
    # Kloof of all deelnemers: wenselijk 5 minus haalbaar 3, then 3, then 4.
    assert t.kloof == (2, 2, 1)
    assert not t.leeg


def test_a_small_group_in_one_sessie_leaves_a_gap_not_a_figure():
    t = trend(
        [
            _meting(1, [(5, 4), (5, 4), (4, 4)], [(5, 2), (4, 2), (5, 1)]),
            # Two beleid raters: beleid and uitvoering are not shown apart in this sessie.
            _meting(2, [(5, 3), (4, 3)], [(5, 3), (4, 3), (5, 2)]),
            _meting(3, [(5, 4), (5, 4), (4, 4)], [(5, 4), (4, 4), (5, 3)]),
        ]
    )
    assert t.reeks("beleid", "haalbaar").medianen == (4, None, 4)
    assert t.reeks("uitvoering", "haalbaar").medianen == (2, None, 4)
    assert t.reeks("alle", "haalbaar").medianen == (3, 3, 4)
    assert t.reeks("uitvoering", "haalbaar").verschil == 2  # first and last shown


def test_weet_niet_makes_a_scale_thin_and_hides_it():
    # Three uitvoering raters, two of whom say "Weet niet" on haalbaar: n = 1 there.
    m = _meting(1, [(5, 4), (5, 4), (4, 4)], [(5, None), (4, None), (5, 1)])
    t = trend([m])
    assert t.reeks("uitvoering", "haalbaar").medianen == (None,)
    assert t.reeks("uitvoering", "haalbaar").n == (1,)
    assert t.reeks("uitvoering", "wenselijk").medianen == (5,)


def test_unprotected_figures_are_still_not_shown_below_the_floor():
    f = stat.figuren(_beoordelingen([(5, 4), (5, 4), (4, 4)], [(5, 2), (4, 2), (5, 1)]), 1)
    # Figures that skipped protection: one rating with a median.
    lek = stat.Samenvatting(1, 2.0, 2.0, 2.0, 0.0, 2.0, 1.0, True)
    per = {g: dict(s) for g, s in f.per_perspectief.items()}
    per["uitvoering"]["haalbaar"] = lek
    t = trend([Meting(1, "S", replace(f, per_perspectief=per))])
    assert t.reeks("uitvoering", "haalbaar").medianen == (None,)
    # A sessie with a higher min_groep keeps it for its own cells.
    t = trend([Meting(1, "S", f, min_groep=4)])
    assert t.reeks("beleid", "haalbaar").medianen == (None,)
    assert t.reeks("alle", "haalbaar").medianen == (3,)


def test_a_sessie_without_closed_ronde_has_no_points():
    t = trend([Meting(1, "S1", None), _meting(2, [(5, 4)] * 3, [(4, 2)] * 3)])
    assert t.reeks("alle", "wenselijk").medianen == (None, 4.5)
    assert t.reeks("alle", "wenselijk").verschil is None
    assert trend([Meting(1, "S1", None)]).leeg


def test_groups_come_from_the_statistics_not_a_fixed_pair():
    f = _meting(1, [(5, 4)] * 3, [(4, 2)] * 3).figuren
    assert f is not None
    # A gemeente's own perspective (e.g. "partner") as the statistics module might give it.
    per = dict(f.per_perspectief) | {"partner": f.per_perspectief["beleid"]}
    uitgebreid = replace(f, per_perspectief=per, onderdrukt=("inwoner",))
    assert groepen_van([uitgebreid]) == ("alle", "beleid", "uitvoering", "partner", "inwoner")
    t = trend([Meting(1, "S", uitgebreid)])
    assert t.reeks("partner", "haalbaar").medianen == (4,)
    assert t.reeks("inwoner", "haalbaar").medianen == (None,)
    svg = trend_svg(t, "haalbaar", "Haalbaar", LABELS | {"partner": "Partner"}, id_prefix="t")
    assert 'class="punt partner sessie-1"' in svg and "Partner" in svg
    assert stijl("partner", t.groepen) != stijl("beleid", t.groepen)


def test_chart_is_accessible_and_escaped():
    t = trend(
        [
            _meting(1, [(5, 4)] * 3, [(5, 2)] * 3),
            _meting(2, [(5, 3), (4, 3)], [(5, 3)] * 3),
            _meting(3, [(5, 4)] * 3, [(5, 4)] * 3),
        ]
    )
    svg = trend_svg(t, "haalbaar", "Haalbaar <b>& zo</b>", LABELS, id_prefix="trend-1-haalbaar")
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert 'aria-labelledby="trend-1-haalbaar-titel trend-1-haalbaar-desc"' in svg
    assert "<b>" not in svg and "Haalbaar &lt;b&gt;&amp; zo&lt;/b&gt;" in svg
    desc = re.search(r"<desc[^>]*>(.*?)</desc>", svg, re.S).group(1)
    assert "Uitvoering: sessie 1: 2, sessie 2: niet getoond, sessie 3: 4." in desc
    # A suppressed point breaks the line: beleid has no polyline of 3 points.
    assert svg.count('class="punt beleid') == 2
    assert 'class="punt alle sessie-2"' in svg


def test_chart_of_an_empty_trend_says_so():
    t = trend([Meting(1, "S", None)])
    svg = trend_svg(t, "wenselijk", "Wenselijk", LABELS, id_prefix="1")
    assert "Nog geen gegevens" in svg and 'id="trend-1-titel"' in svg


@pytest.mark.parametrize("groep", ["alle", "beleid", "uitvoering"])
def test_known_groups_keep_the_grafiek_colours(groep):
    kleuren = {"alle": "#000000", "beleid": "#0072B2", "uitvoering": "#D55E00"}
    assert stijl(groep, ("alle", "beleid", "uitvoering"))[0] == kleuren[groep]
