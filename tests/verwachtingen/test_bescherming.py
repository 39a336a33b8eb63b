"""Small-group protection on top of the statistics (service.bescherm): plain unit and property tests."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from facilitatie.verwachtingen import statistiek as stat
from facilitatie.verwachtingen.uitslag import bescherm

antwoord = st.one_of(st.none(), st.integers(min_value=1, max_value=5))
rater = st.tuples(st.sampled_from(stat.PERSPECTIEVEN), antwoord, antwoord)


@settings(deadline=None)
@given(st.lists(rater, max_size=14), st.integers(min_value=3, max_value=6))
def test_no_small_group_or_thin_scale_is_ever_shown(raters, min_groep):
    d = stat.Drempels(min_groep=min_groep)
    beoordelingen = [stat.Beoordeling(f"r{i}", p, 1, w, h) for i, (p, w, h) in enumerate(raters)]
    f = bescherm(stat.figuren(beoordelingen, 1, d), d)
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


def test_one_real_answer_among_weet_niet_is_hidden():
    # Three uitvoering raters, two of them "Weet niet" on haalbaar: the median would be the third's answer.
    beoordelingen = [
        stat.Beoordeling("u1", "uitvoering", 1, 3, None),
        stat.Beoordeling("u2", "uitvoering", 1, 3, None),
        stat.Beoordeling("u3", "uitvoering", 1, 3, 1),
        *[stat.Beoordeling(f"b{i}", "beleid", 1, 4, 4) for i in range(3)],
    ]
    f = bescherm(stat.figuren(beoordelingen, 1), stat.Drempels())
    assert f.per_perspectief["uitvoering"]["haalbaar"].mediaan is None
    assert f.per_perspectief["uitvoering"]["haalbaar"].n == 1
    assert f.per_perspectief["uitvoering"]["wenselijk"].mediaan == 3
    assert f.perspectiefverschil == {"wenselijk": 1.0, "haalbaar": None}
    # "Alle" haalbaar has four answers (1, 4, 4, 4): shown, median 4.
    assert f.per_perspectief["alle"]["haalbaar"].mediaan == 4
