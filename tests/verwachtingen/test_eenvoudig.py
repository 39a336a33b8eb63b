"""The simple picture and sentence per verwachting (issue 14 item 2): built from the protected
figures only, in plain Dutch, and saying when a group is too small instead of a dash."""

from __future__ import annotations

from facilitatie.verwachtingen import statistiek as stat
from facilitatie.verwachtingen.uitslag import eenvoudig

D = stat.Drempels()


def _b(i: int, perspectief: str, ronde: int, w: int | None, h: int | None) -> stat.Beoordeling:
    return stat.Beoordeling(f"r{i}", perspectief, ronde, w, h)


def _rondes(beoordelingen: list[stat.Beoordeling], *rondes: int) -> dict[int, stat.RondeFiguren]:
    return {n: stat.figuren(beoordelingen, n, D) for n in rondes}


def _tel(beoordelingen: list[stat.Beoordeling]) -> dict[int, dict[str, int]]:
    def n(ronde: int, p: str) -> int:
        return len({b.rater_id for b in beoordelingen if (b.ronde, b.perspectief) == (ronde, p)})

    return {ronde: {p: n(ronde, p) for p in stat.PERSPECTIEVEN} for ronde in stat.RONDES}


def test_beleid_and_uitvoering_compared_in_one_sentence_and_moving_closer():
    rijen = [
        *[_b(i, "beleid", 1, 5, 4) for i in range(3)],
        *[_b(10 + i, "uitvoering", 1, 3, 2) for i in range(3)],
        *[_b(i, "beleid", 2, 4, 3) for i in range(3)],
        *[_b(10 + i, "uitvoering", 2, 4, 2) for i in range(3)],
    ]
    e = eenvoudig(_rondes(rijen, 1, 2), _tel(rijen), D)
    assert e.zin == (
        "Beleid en uitvoering vinden dit even wenselijk (4); beleid vindt dit beter haalbaar dan uitvoering "
        "(3 tegen 2). Na de dialoog liggen beleid en uitvoering dichter bij elkaar."
    )
    assert e.klein == []
    assert e.svg is not None and 'class="stip beleid ronde-2"' in e.svg and "Wenselijk: beleid 5 (voormeting)" in e.svg


def test_a_small_group_is_named_and_never_drawn():
    rijen = [
        *[_b(i, "beleid", 1, 5, 5) for i in range(2)],
        *[_b(10 + i, "uitvoering", 1, 3, 2) for i in range(3)],
    ]
    e = eenvoudig(_rondes(rijen, 1), _tel(rijen), D)
    assert e.klein == ["Minder dan 3 mensen uit beleid: niet apart getoond."]
    assert e.zin == "Alle deelnemers samen: wenselijk 3, haalbaar 2. Dit is wenselijker dan haalbaar."
    assert e.groepen == ("alle",)
    assert e.svg is not None and "beleid" not in e.svg.split("aria-label")[0] and "stip beleid" not in e.svg
    assert "—" not in e.zin


def test_too_few_raters_at_all_says_so():
    rijen = [_b(1, "uitvoering", 1, 3, 2), _b(2, "beleid", 1, 4, 4)]
    e = eenvoudig(_rondes(rijen, 1), _tel(rijen), D)
    assert e.zin == "Minder dan 3 mensen beoordeelden deze verwachting: we tonen geen uitkomst."
    assert e.svg is None
