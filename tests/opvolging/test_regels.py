"""Tests for the opvolging domain rules: besluit, status transitions, te laat, durations."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from facilitatie.opvolging.regels import (
    BESLUIT_LABELS,
    MAX_DOORVERWEZEN_NAAR,
    MAX_TEKST,
    OVERGANGEN,
    STATUS_LABELS,
    Actiestatus,
    Besluitsoort,
    OngeldigBesluit,
    OngeldigeOvergang,
    Overgang,
    controleer_besluit,
    controleer_overgang,
    dagen_tussen,
    is_te_laat,
    mediaan_dagen,
    toegestane_overgangen,
)

# --------------------------------------------------------------------------- besluit


def test_besluit_labels_match_the_glossary() -> None:
    assert BESLUIT_LABELS == {
        Besluitsoort.OPGEPAKT: "Opgepakt",
        Besluitsoort.NIET_OPGEPAKT: "Niet opgepakt",
        Besluitsoort.DOORVERWEZEN: "Doorverwezen",
        Besluitsoort.AL_OPGELOST: "Al opgelost",
    }
    assert [s.value for s in Besluitsoort] == [
        "opgepakt",
        "niet_opgepakt",
        "doorverwezen",
        "al_opgelost",
    ]


@pytest.mark.parametrize(
    ("soort", "reden", "doorverwezen_naar", "toelichting", "verwacht"),
    [
        ("opgepakt", "", "", "", Besluitsoort.OPGEPAKT),
        ("opgepakt", "mag er wel bij", "", "ook", Besluitsoort.OPGEPAKT),
        (
            "niet_opgepakt",
            "Past niet in het budget.",
            "",
            "",
            Besluitsoort.NIET_OPGEPAKT,
        ),
        ("doorverwezen", "", "Regio Holland Rijnland", "", Besluitsoort.DOORVERWEZEN),
        ("al_opgelost", "", "", "Sinds januari geregeld.", Besluitsoort.AL_OPGELOST),
        ("  opgepakt  ", "", "", "", Besluitsoort.OPGEPAKT),
    ],
)
def test_controleer_besluit_accepts_each_soort(
    soort: str,
    reden: str,
    doorverwezen_naar: str,
    toelichting: str,
    verwacht: Besluitsoort,
) -> None:
    uitkomst = controleer_besluit(soort, reden, doorverwezen_naar, toelichting)
    assert uitkomst is verwacht


@pytest.mark.parametrize(
    ("soort", "veld", "bericht"),
    [
        (
            "niet_opgepakt",
            "reden",
            "Geef een reden waarom dit knelpunt niet wordt opgepakt.",
        ),
        (
            "doorverwezen",
            "doorverwezen_naar",
            "Geef aan naar wie of welke organisatie dit knelpunt is doorverwezen.",
        ),
        ("al_opgelost", "toelichting", "Licht toe hoe dit knelpunt al is opgelost."),
    ],
)
@pytest.mark.parametrize("leeg", ["", "   ", "\n\t "])
def test_controleer_besluit_requires_the_field_of_its_soort(soort: str, veld: str, bericht: str, leeg: str) -> None:
    # The other two fields are filled, so only the soort's own field is missing.
    velden = {"reden": "iets", "doorverwezen_naar": "iemand", "toelichting": "iets"}
    velden[veld] = leeg
    with pytest.raises(OngeldigBesluit) as fout:
        controleer_besluit(soort, **velden)
    assert fout.value.veld == veld
    assert fout.value.bericht == bericht
    assert str(fout.value) == bericht
    assert isinstance(fout.value, ValueError)


@pytest.mark.parametrize("soort", ["", "   ", "opgelost", "OPGEPAKT", "Niet opgepakt", "x"])
def test_controleer_besluit_refuses_unknown_soort(soort: str) -> None:
    with pytest.raises(OngeldigBesluit) as fout:
        controleer_besluit(soort, "reden", "iemand", "toelichting")
    assert fout.value.veld == "soort"
    assert fout.value.bericht == ("Kies een besluit: Opgepakt, Niet opgepakt, Doorverwezen of Al opgelost.")


@pytest.mark.parametrize(
    ("veld", "maximum", "bericht"),
    [
        ("reden", MAX_TEKST, "De reden is te lang: hoogstens 2000 tekens."),
        ("toelichting", MAX_TEKST, "De toelichting is te lang: hoogstens 2000 tekens."),
        (
            "doorverwezen_naar",
            MAX_DOORVERWEZEN_NAAR,
            "Doorverwezen naar is te lang: hoogstens 200 tekens.",
        ),
    ],
)
@pytest.mark.parametrize("soort", [s.value for s in Besluitsoort])
def test_controleer_besluit_bounds_lengths_after_trimming(soort: str, veld: str, maximum: int, bericht: str) -> None:
    assert (MAX_TEKST, MAX_DOORVERWEZEN_NAAR) == (2000, 200)
    velden = {"reden": "r", "doorverwezen_naar": "d", "toelichting": "t"}

    velden[veld] = "  " + "a" * maximum + "  "  # exactly at the limit once trimmed
    assert controleer_besluit(soort, **velden) == soort

    velden[veld] = "a" * (maximum + 1)
    with pytest.raises(OngeldigBesluit) as fout:
        controleer_besluit(soort, **velden)
    assert (fout.value.veld, fout.value.bericht) == (veld, bericht)


# --------------------------------------------------------------------------- overgangen

OPEN = Actiestatus.OPEN
BEZIG = Actiestatus.IN_UITVOERING
AF = Actiestatus.AFGEROND
VERVALLEN = Actiestatus.VERVALLEN

VRIJ = "toegestaan zonder reden"
MET_REDEN = "toegestaan met reden"
GEWEIGERD = "geweigerd"

# Written out by hand on purpose: this is the specification, not a copy of OVERGANGEN.
VERWACHTE_UITKOMST: list[tuple[Actiestatus, Actiestatus, str]] = [
    (OPEN, OPEN, GEWEIGERD),
    (OPEN, BEZIG, VRIJ),
    (OPEN, AF, VRIJ),
    (OPEN, VERVALLEN, MET_REDEN),
    (BEZIG, OPEN, MET_REDEN),
    (BEZIG, BEZIG, GEWEIGERD),
    (BEZIG, AF, VRIJ),
    (BEZIG, VERVALLEN, MET_REDEN),
    (AF, OPEN, GEWEIGERD),
    (AF, BEZIG, MET_REDEN),
    (AF, AF, GEWEIGERD),
    (AF, VERVALLEN, GEWEIGERD),
    (VERVALLEN, OPEN, MET_REDEN),
    (VERVALLEN, BEZIG, GEWEIGERD),
    (VERVALLEN, AF, GEWEIGERD),
    (VERVALLEN, VERVALLEN, GEWEIGERD),
]


def test_expected_table_covers_all_sixteen_pairs() -> None:
    paren = {(van, naar) for van, naar, _ in VERWACHTE_UITKOMST}
    assert len(VERWACHTE_UITKOMST) == len(paren) == 16
    assert paren == {(van, naar) for van in Actiestatus for naar in Actiestatus}


@pytest.mark.parametrize(("van", "naar", "uitkomst"), VERWACHTE_UITKOMST)
def test_every_transition(van: Actiestatus, naar: Actiestatus, uitkomst: str) -> None:
    if uitkomst == GEWEIGERD:
        assert (van, naar) not in OVERGANGEN
        for reden in ("", "een heel goede reden"):
            with pytest.raises(OngeldigeOvergang):
                controleer_overgang(van.value, naar.value, reden)
        return

    overgang = controleer_overgang(van.value, naar.value, "een heel goede reden")
    assert overgang is OVERGANGEN[(van, naar)]
    assert overgang.reden_verplicht is (uitkomst == MET_REDEN)

    if uitkomst == VRIJ:
        assert controleer_overgang(van.value, naar.value, "") is overgang
    else:
        for leeg in ("", "   ", "\n"):
            with pytest.raises(OngeldigeOvergang) as fout:
                controleer_overgang(van.value, naar.value, leeg)
            assert fout.value.bericht.startswith("Geef een reden: ")


def test_transition_table_has_nothing_beyond_the_expected_pairs() -> None:
    toegestaan = {(van, naar) for van, naar, u in VERWACHTE_UITKOMST if u != GEWEIGERD}
    assert set(OVERGANGEN) == toegestaan
    assert all(isinstance(o, Overgang) and o.label for o in OVERGANGEN.values())


def test_transition_labels() -> None:
    assert OVERGANGEN[(OPEN, BEZIG)].label == "Starten"
    assert OVERGANGEN[(BEZIG, AF)].label == "Afronden"
    assert OVERGANGEN[(OPEN, VERVALLEN)].label == "Laten vervallen"
    assert OVERGANGEN[(AF, BEZIG)].label == "Heropenen"
    assert OVERGANGEN[(VERVALLEN, OPEN)].label == "Heropenen"


@pytest.mark.parametrize(
    ("van", "naar", "bericht"),
    [
        (
            "afgerond",
            "vervallen",
            "Een actie met status Afgerond kan niet naar Vervallen. Heropen haar eerst.",
        ),
        (
            "afgerond",
            "open",
            "Een actie met status Afgerond kan niet naar Open. Heropen haar eerst.",
        ),
        (
            "vervallen",
            "afgerond",
            "Een actie met status Vervallen kan niet naar Afgerond. Heropen haar eerst.",
        ),
        ("open", "open", "De actie heeft al status Open."),
        ("in_uitvoering", "in_uitvoering", "De actie heeft al status In uitvoering."),
        ("onzin", "open", "Onbekende status: 'onzin'."),
        ("open", "Afgerond", "Onbekende status: 'Afgerond'."),
        ("open", "", "Onbekende status: ''."),
    ],
)
def test_refusal_messages(van: str, naar: str, bericht: str) -> None:
    with pytest.raises(OngeldigeOvergang) as fout:
        controleer_overgang(van, naar, "reden genoeg")
    assert fout.value.bericht == bericht
    assert str(fout.value) == bericht
    assert isinstance(fout.value, ValueError)


def test_missing_reason_message_names_the_transition() -> None:
    with pytest.raises(OngeldigeOvergang) as fout:
        controleer_overgang("in_uitvoering", "vervallen", " ")
    assert fout.value.bericht == (
        "Geef een reden: 'Laten vervallen' (In uitvoering → Vervallen) kan niet zonder reden."
    )


def test_reason_is_bounded() -> None:
    assert controleer_overgang("open", "vervallen", "a" * MAX_TEKST).reden_verplicht
    with pytest.raises(OngeldigeOvergang, match="te lang"):
        controleer_overgang("open", "vervallen", "a" * (MAX_TEKST + 1))


def test_enum_members_are_accepted_like_their_values() -> None:
    assert controleer_overgang(OPEN, BEZIG, "") is OVERGANGEN[(OPEN, BEZIG)]


def test_toegestane_overgangen_builds_the_buttons() -> None:
    assert [(naar, o.label) for naar, o in toegestane_overgangen("open")] == [
        (BEZIG, "Starten"),
        (AF, "Afronden"),
        (VERVALLEN, "Laten vervallen"),
    ]
    assert [(naar, o.label) for naar, o in toegestane_overgangen("in_uitvoering")] == [
        (AF, "Afronden"),
        (VERVALLEN, "Laten vervallen"),
        (OPEN, "Terugzetten naar open"),
    ]
    assert [(naar, o.label) for naar, o in toegestane_overgangen(AF)] == [(BEZIG, "Heropenen")]
    assert [(naar, o.label) for naar, o in toegestane_overgangen(VERVALLEN)] == [(OPEN, "Heropenen")]
    with pytest.raises(OngeldigeOvergang):
        toegestane_overgangen("weg")


@pytest.mark.parametrize("van", list(Actiestatus))
def test_toegestane_overgangen_agrees_with_controleer_overgang(
    van: Actiestatus,
) -> None:
    aangeboden = {naar for naar, _ in toegestane_overgangen(van)}
    for naar in Actiestatus:
        try:
            controleer_overgang(van, naar, "reden")
        except OngeldigeOvergang:
            assert naar not in aangeboden
        else:
            assert naar in aangeboden


def test_status_labels() -> None:
    assert STATUS_LABELS == {
        "open": "Open",
        "in_uitvoering": "In uitvoering",
        "afgerond": "Afgerond",
        "vervallen": "Vervallen",
    }


# --------------------------------------------------------------------------- te laat

STREEF = date(2025, 3, 14)


@pytest.mark.parametrize(
    ("status", "vandaag", "te_laat"),
    [
        ("open", STREEF - timedelta(days=1), False),
        ("open", STREEF, False),
        ("open", STREEF + timedelta(days=1), True),
        ("in_uitvoering", STREEF - timedelta(days=1), False),
        ("in_uitvoering", STREEF, False),
        ("in_uitvoering", STREEF + timedelta(days=1), True),
        ("in_uitvoering", STREEF + timedelta(days=400), True),
        ("afgerond", STREEF + timedelta(days=1), False),
        ("afgerond", STREEF + timedelta(days=400), False),
        ("vervallen", STREEF + timedelta(days=1), False),
        ("vervallen", STREEF + timedelta(days=400), False),
    ],
)
def test_is_te_laat(status: str, vandaag: date, te_laat: bool) -> None:
    assert is_te_laat(status, STREEF, vandaag) is te_laat
    assert is_te_laat(Actiestatus(status), STREEF, vandaag) is te_laat


@pytest.mark.parametrize("status", list(Actiestatus))
def test_without_streefdatum_never_te_laat(status: Actiestatus) -> None:
    assert is_te_laat(status, None, date(2099, 1, 1)) is False


@given(
    status=st.sampled_from(list(Actiestatus)),
    streefdatum=st.dates(),
    vandaag=st.dates(),
)
def test_te_laat_property(status: Actiestatus, streefdatum: date, vandaag: date) -> None:
    verwacht = streefdatum < vandaag and status in (OPEN, BEZIG)
    assert is_te_laat(status, streefdatum, vandaag) is verwacht


# --------------------------------------------------------------------------- dagen

BEGIN = datetime(2025, 1, 10, 9, 0)


@pytest.mark.parametrize(
    ("eind", "dagen"),
    [
        (BEGIN, 0.0),
        (BEGIN + timedelta(days=3), 3.0),
        (BEGIN + timedelta(hours=12), 0.5),
        (BEGIN + timedelta(days=1, hours=6), 1.25),
        (BEGIN - timedelta(days=2), 0.0),  # clock skew: clamped, never negative
    ],
)
def test_dagen_tussen(eind: datetime, dagen: float) -> None:
    assert dagen_tussen(BEGIN, eind) == pytest.approx(dagen)


def test_dagen_tussen_pending_is_none() -> None:
    assert dagen_tussen(BEGIN, None) is None


@pytest.mark.parametrize(
    ("waarden", "mediaan"),
    [
        ([], None),
        ([None, None], None),
        ([4.0], 4.0),
        ([5.0, 1.0, 3.0], 3.0),
        ([1.0, 2.0, 10.0, 4.0], 3.0),
        ([2.0, None, 8.0, None, 5.0], 5.0),
        ([None, 1.5, 2.5], 2.0),
    ],
)
def test_mediaan_dagen(waarden: list[float | None], mediaan: float | None) -> None:
    assert mediaan_dagen(waarden) == mediaan


def test_mediaan_dagen_takes_any_iterable() -> None:
    assert mediaan_dagen(x for x in (3.0, None, 1.0, 2.0)) == 2.0
    assert isinstance(mediaan_dagen([1, 2]), float)
