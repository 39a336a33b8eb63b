"""The leerkring's plain rules: one word, a 1–5 answer, suppressed figures and word clouds."""

from __future__ import annotations

import pytest

from facilitatie.fouten import Ongeldig
from facilitatie.leerkring import regels


@pytest.mark.parametrize(
    ("tekst", "woord"),
    [
        ("Leerzaam", "leerzaam"),
        ("  open. ", "open"),
        ("ont-moeten", "ont-moeten"),
        ("zo'n", "zo'n"),
        ("Überzeugend!", "überzeugend"),
    ],
)
def test_one_word_is_kept_in_lower_case(tekst: str, woord: str) -> None:
    assert regels.een_woord(tekst) == woord


@pytest.mark.parametrize(
    ("tekst", "bericht"),
    [
        ("", "Vul één woord in."),
        ("twee woorden", "Vul één woord in, zonder spaties of leestekens."),
        ("<b>", "Vul één woord in, zonder spaties of leestekens."),
        ("123456789", "Vul een woord in, geen getal."),
        ("a" * 31, "Gebruik één woord van hoogstens 30 tekens."),
    ],
)
def test_anything_but_one_word_is_refused_in_dutch(tekst: str, bericht: str) -> None:
    with pytest.raises(Ongeldig) as fout:
        regels.een_woord(tekst)
    assert (fout.value.veld, fout.value.bericht) == ("woord", bericht)


def test_an_optional_word_may_be_empty() -> None:
    assert regels.een_woord("  ", verplicht=False) is None


@pytest.mark.parametrize("waarde", ["0", "6", "drie", None, "", "3.5", "1e3"])
def test_a_cijfer_outside_1_to_5_is_refused(waarde: str | None) -> None:
    with pytest.raises(Ongeldig, match="van 1 tot en met 5"):
        regels.cijfer(waarde)


def test_a_scale_is_hidden_below_three_answers() -> None:
    assert regels.schaal([5, 4]) == regels.Schaaluitslag(2)
    assert not regels.schaal([5, 4]).zichtbaar
    drie = regels.schaal([5, 4, 2])
    assert drie.zichtbaar and drie.gemiddelde == 3.7 and drie.verdeling == ((1, 0), (2, 1), (3, 0), (4, 1), (5, 1))
    # A gemeente cannot lower the threshold below three.
    assert not regels.schaal([5, 4], min_groep=1).zichtbaar


def test_a_word_cloud_is_hidden_below_three_answers_and_sized_by_frequency() -> None:
    assert regels.woordwolk(["open", "fijn"]) is None
    wolk = regels.woordwolk(["open", "open", "open", "fijn", "zwaar"])
    assert wolk is not None
    assert [(w.woord, w.aantal, w.grootte) for w in wolk] == [("fijn", 1, 1), ("open", 3, 5), ("zwaar", 1, 1)]
    gelijk = regels.woordwolk(["a", "b", "c"])
    assert gelijk is not None and {w.grootte for w in gelijk} == {1}


def test_getal_is_dutch() -> None:
    assert regels.getal(3.75) == "3,8" and regels.getal(None) == "—"
