"""The regelruimte rules as plain Python: no app, no database."""

from __future__ import annotations

import pytest

from facilitatie.opvolging.regelruimte import (
    KNEL_LABELS,
    MAX_RUIMTE,
    MIN_RUIMTE,
    OPLOSSER_LABELS,
    Knel,
    OngeldigeRegelruimte,
    Oplosser,
    controleer_regelruimte,
    controleer_ruimte,
    zoekwoorden,
)


def test_the_labels_are_the_glossarys_in_its_order():
    assert list(KNEL_LABELS.values()) == [
        "Wet- en regelgeving van het Rijk",
        "Lokale regel of verordening",
        "Werkinstructie of proces",
        "Interpretatie",
        "Capaciteit of middelen",
        "Samenwerking",
    ]
    assert list(OPLOSSER_LABELS.values()) == ["Team zelf", "Gemeente", "Regio", "Rijk", "Aanbieder"]
    assert set(KNEL_LABELS) == set(Knel) and set(OPLOSSER_LABELS) == set(Oplosser)


def test_both_choices_are_checked_and_trimmed():
    assert controleer_regelruimte(" interpretatie ", "team") == (Knel.INTERPRETATIE, Oplosser.TEAM)


@pytest.mark.parametrize(
    ("knel", "oplosser", "veld", "bericht"),
    [
        ("", "team", "knel", "Kies waar de knel zit."),
        (None, "team", "knel", "Kies waar de knel zit."),
        ("Interpretatie", "team", "knel", "Kies waar de knel zit."),  # the label is not the value
        ("rijk", "", "oplosser", "Kies wie het kan oplossen."),
        ("rijk", "de wethouder", "oplosser", "Kies wie het kan oplossen."),
        ("rijk", None, "oplosser", "Kies wie het kan oplossen."),
    ],
)
def test_a_missing_or_unknown_choice_names_its_field(knel, oplosser, veld, bericht):
    with pytest.raises(OngeldigeRegelruimte) as fout:
        controleer_regelruimte(knel, oplosser)
    assert fout.value.veld == veld and fout.value.bericht == bericht


def test_ruimte_needs_a_besluit_first():
    with pytest.raises(OngeldigeRegelruimte, match="Neem eerst een besluit"):
        controleer_ruimte("De ruimte was er al: het mocht altijd.", heeft_besluit=False)


@pytest.mark.parametrize(
    ("tekst", "bericht"),
    [
        ("", "Beschrijf welke ruimte er al was"),
        ("   \n ", "Beschrijf welke ruimte er al was"),
        ("x" * (MIN_RUIMTE - 1), f"minstens {MIN_RUIMTE} tekens"),
        ("x" * (MAX_RUIMTE + 1), f"hoogstens {MAX_RUIMTE} tekens"),
    ],
)
def test_ruimte_description_is_bounded(tekst, bericht):
    with pytest.raises(OngeldigeRegelruimte, match=bericht) as fout:
        controleer_ruimte(tekst, heeft_besluit=True)
    assert fout.value.veld == "omschrijving"


def test_ruimte_description_is_trimmed_and_may_be_exactly_the_limits():
    assert controleer_ruimte("  " + "x" * MIN_RUIMTE + "  ", heeft_besluit=True) == "x" * MIN_RUIMTE
    assert controleer_ruimte("x" * MAX_RUIMTE, heeft_besluit=True) == "x" * MAX_RUIMTE


def test_search_words_are_lowercased_and_bounded():
    assert zoekwoorden("  Wmo   HUISBEZOEK ") == ["wmo", "huisbezoek"]
    assert zoekwoorden(None) == [] and zoekwoorden("   ") == []
    assert len(zoekwoorden(" ".join(f"w{i}" for i in range(50)))) == 8
    assert zoekwoorden("x" * 500) == ["x" * 60]
