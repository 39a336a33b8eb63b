"""Tests for 'signals that come back': local TF-IDF similarity between knelpunten."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from facilitatie.opvolging.gelijkenis import (
    Kandidaat,
    normaliseer,
    stam,
    vergelijkbare,
    woorden,
)

KNELPUNTEN: dict[str, str] = {
    "wachtlijst-jeugd": "Wachtlijst jeugdhulp is langer dan 12 weken",
    "wachttijd-jeugd": "Lange wachttijden voor jeugdhulp",
    "schuld-formulieren": "Schuldhulpverlening vraagt te veel formulieren",
    "wmo-duur": "Wmo-indicatie duurt te lang",
    "formulieren-schuld": "Te veel formulieren bij schuldhulp",
    "beschermd-wonen": ("Geen passende woningen voor jongeren die uitstromen uit beschermd wonen"),
    "wmo-wachttijd": "Wachttijd voor een Wmo-indicatie loopt op tot drie maanden",
    "uwv-gegevens": "Wijkteam krijgt geen toegang tot gegevens van het UWV",
    "jongeren-schulden": "Jongeren met schulden vallen tussen wal en schip als ze 18 worden",
    "woningtekort": "Tekort aan betaalbare woningen voor gezinnen met kinderen",
}


def sleutels(kandidaten: list[Kandidaat[str]]) -> list[str]:
    return [k.sleutel for k in kandidaten]


# --------------------------------------------------------------------------- best matches


@pytest.mark.parametrize(
    ("nieuw", "verwacht"),
    [
        (
            "Wachtlijsten in de jeugdhulp worden steeds langer",
            ["wachtlijst-jeugd", "wachttijd-jeugd"],
        ),
        (
            "Schuldhulp: veel te veel formulieren invullen",
            ["formulieren-schuld", "schuld-formulieren"],
        ),
        ("Wmo indicatie duurt veel te lang", ["wmo-duur", "wmo-wachttijd"]),
        ("Geen betaalbare woning voor gezinnen", ["woningtekort"]),
        ("Het UWV deelt geen gegevens met het wijkteam", ["uwv-gegevens"]),
    ],
)
def test_best_matches(nieuw: str, verwacht: list[str]) -> None:
    assert sleutels(vergelijkbare(nieuw, KNELPUNTEN)) == verwacht


def test_identical_text_scores_one() -> None:
    [beste, *_] = vergelijkbare("Wmo-indicatie duurt te lang", KNELPUNTEN)
    assert beste == Kandidaat(sleutel="wmo-duur", score=1.0)


def test_results_are_best_first_and_within_bounds() -> None:
    kandidaten = vergelijkbare("Jongeren met schulden", KNELPUNTEN, drempel=0.0)
    assert kandidaten[0].sleutel == "jongeren-schulden"
    scores = [k.score for k in kandidaten]
    assert scores == sorted(scores, reverse=True)
    assert all(0.0 < s <= 1.0 for s in scores)


def test_drempel_filters_weak_matches() -> None:
    nieuw = "Jongeren met schulden"
    ruim = vergelijkbare(nieuw, KNELPUNTEN, drempel=0.1)
    assert "beschermd-wonen" in sleutels(ruim)  # shares only "jongeren"
    streng = vergelijkbare(nieuw, KNELPUNTEN, drempel=0.5)
    assert sleutels(streng) == ["jongeren-schulden"]
    assert vergelijkbare(nieuw, KNELPUNTEN, drempel=1.0) == []


def test_max_aantal() -> None:
    nieuw = "Lange wachttijd voor jeugdhulp en Wmo"
    alles = vergelijkbare(nieuw, KNELPUNTEN, drempel=0.0, max_aantal=100)
    assert len(alles) > 3
    assert vergelijkbare(nieuw, KNELPUNTEN, drempel=0.0, max_aantal=3) == alles[:3]
    assert vergelijkbare(nieuw, KNELPUNTEN, drempel=0.0, max_aantal=0) == []
    assert len(vergelijkbare(nieuw, KNELPUNTEN)) <= 5


# --------------------------------------------------------------------------- compounds


def test_split_compound_still_matches() -> None:
    """Char 4-grams let "jeugd hulp" meet "jeugdhulp" without sharing a word."""
    kandidaten = vergelijkbare(
        "jeugd hulp",
        {"zorg": "jeugdzorg", "samen": "jeugdhulp", "schuld": "schuldhulp"},
        drempel=0.0,
    )
    assert sleutels(kandidaten) == ["samen", "zorg", "schuld"]
    assert kandidaten[0].score >= 0.2


def test_split_compound_in_a_sentence() -> None:
    assert sleutels(vergelijkbare("Wachtlijst jeugd hulp", KNELPUNTEN)) == ["wachtlijst-jeugd"]
    assert sleutels(vergelijkbare("Wachttijden voor jeugd hulp", KNELPUNTEN)) == ["wachttijd-jeugd"]


# --------------------------------------------------------------------------- nothing


@pytest.mark.parametrize(
    "nieuw",
    [
        "De kantine heeft geen koffie meer",
        "Het parkeerbeleid bij het gemeentehuis is onduidelijk",
    ],
)
def test_unrelated_text_yields_nothing(nieuw: str) -> None:
    assert vergelijkbare(nieuw, KNELPUNTEN) == []


@pytest.mark.parametrize("nieuw", ["", "   ", "?!", "de het een", "12 34", "Er is ook nog dat."])
def test_empty_or_meaningless_text_yields_nothing(nieuw: str) -> None:
    assert vergelijkbare(nieuw, KNELPUNTEN, drempel=0.0) == []


def test_empty_corpus_texts_are_excluded() -> None:
    corpus = {
        "leeg": "",
        "spaties": "   ",
        "stop": "de het een",
        "echt": "Wmo duurt lang",
    }
    assert sleutels(vergelijkbare("Wmo duurt te lang", corpus, drempel=0.0)) == ["echt"]
    assert vergelijkbare("Wmo duurt te lang", {}) == []
    assert vergelijkbare("Wmo duurt te lang", {"leeg": ""}, drempel=0.0) == []


# --------------------------------------------------------------------------- determinism


def test_ties_follow_corpus_key_order() -> None:
    tekst = "Te veel formulieren bij schuldhulp"
    vooruit = {"b": tekst, "a": tekst, "c": tekst}
    achteruit = {"c": tekst, "a": tekst, "b": tekst}
    assert sleutels(vergelijkbare(tekst, vooruit)) == ["b", "a", "c"]
    assert sleutels(vergelijkbare(tekst, achteruit)) == ["c", "a", "b"]
    assert {k.score for k in vergelijkbare(tekst, vooruit)} == {1.0}


def test_same_input_same_output() -> None:
    nieuw = "Lange wachttijd voor jeugdhulp en Wmo"
    eerste = vergelijkbare(nieuw, KNELPUNTEN, drempel=0.0)
    assert all(vergelijkbare(nieuw, KNELPUNTEN, drempel=0.0) == eerste for _ in range(3))
    assert vergelijkbare(nieuw, dict(KNELPUNTEN), drempel=0.0) == eerste


def test_keys_of_any_hashable_type() -> None:
    corpus = {
        17: "Wmo-indicatie duurt te lang",
        3: "Te veel formulieren bij schuldhulp",
    }
    assert [k.sleutel for k in vergelijkbare("Wmo duurt lang", corpus)] == [17]


# --------------------------------------------------------------------------- text handling


def test_normaliseer_strips_case_and_accents() -> None:
    assert normaliseer("Ideeën Coördinatie ÉÉN") == "ideeen coordinatie een"


def test_woorden_drops_stopwords_numbers_and_punctuation() -> None:
    assert woorden("Wmo-indicatie duurt te lang, al 12 weken!") == [
        "wmo",
        "indicati",
        "duurt",
        "lang",
        "wek",
    ]


@pytest.mark.parametrize(
    ("vormen", "gedeelde_stam"),
    [
        (["wachttijd", "wachttijden"], "wachttijd"),
        (["wachtlijst", "wachtlijsten"], "wachtlijst"),
        (["formulier", "formulieren"], "formulier"),
        (["indicatie", "indicaties"], "indicati"),
        (["regel", "regels", "regeling", "regelingen"], "regel"),
        (["woning", "woningen", "wonen"], "won"),
        (["gezin", "gezinnen"], "gezin"),
        (["week", "weken"], "wek"),
        (["lang", "lange"], "lang"),
        (["ouder", "ouders", "oudere", "ouderen"], "ouder"),
        (["veiligheid", "veilig"], "veilig"),
        (["mogelijkheid", "mogelijkheden"], "mogelijk"),
        (["proces", "processen"], "proces"),
        (["mens", "mensen"], "mens"),
    ],
)
def test_stam_brings_forms_together(vormen: list[str], gedeelde_stam: str) -> None:
    assert {stam(vorm) for vorm in vormen} == {gedeelde_stam}


@pytest.mark.parametrize("kort", ["wmo", "uwv", "ggz", "pgb", "en", "s"])
def test_stam_leaves_short_words_alone(kort: str) -> None:
    assert stam(kort) == kort


# --------------------------------------------------------------------------- properties

tekst_strategie = st.text(alphabet=st.sampled_from(list("abcdeéëijklmnoprstuvwz -,.0123")), max_size=60)


@given(
    nieuw=tekst_strategie,
    corpus=st.dictionaries(st.integers(0, 50), tekst_strategie, max_size=8),
    drempel=st.floats(0.0, 1.0),
    max_aantal=st.integers(0, 10),
)
def test_properties(nieuw: str, corpus: dict[int, str], drempel: float, max_aantal: int) -> None:
    kandidaten = vergelijkbare(nieuw, corpus, drempel=drempel, max_aantal=max_aantal)
    assert len(kandidaten) <= max_aantal
    assert len({k.sleutel for k in kandidaten}) == len(kandidaten)
    volgorde = list(corpus)
    assert all(0.0 < k.score <= 1.0 and k.score >= drempel for k in kandidaten)
    assert all(woorden(corpus[k.sleutel]) for k in kandidaten)
    paren = [(-k.score, volgorde.index(k.sleutel)) for k in kandidaten]
    assert paren == sorted(paren)


@given(tekst=tekst_strategie)
def test_a_text_is_most_like_itself(tekst: str) -> None:
    kandidaten = vergelijkbare(tekst, {"zelf": tekst}, drempel=0.0)
    if woorden(tekst):
        assert kandidaten == [Kandidaat(sleutel="zelf", score=1.0)]
    else:
        assert kandidaten == []
