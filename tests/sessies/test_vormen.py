"""Sessievormen: the shipped draaiboeken load, and every broken file is refused clearly."""

from __future__ import annotations

import copy
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from facilitatie.sessies.vormen import (
    SOORTEN,
    Fase,
    Sessievorm,
    SessievormFout,
    load_vorm,
    load_vormen,
    render_markdown,
)

SESSIES = Path(__file__).resolve().parents[2] / "sessies"

GELDIG: dict[str, Any] = {
    "titel": "Proef",
    "samenvatting": "Een korte proefsessie.",
    "fasen": [
        {
            "key": "welkom",
            "titel": "Welkom",
            "minuten": 5,
            "soort": "welkom",
            "instructie": "Doe mee met de deelnamecode.",
            "gids": "Zet de code op het scherm.",
        },
        {
            "key": "voormeting",
            "titel": "Voormeting",
            "minuten": 10,
            "soort": "beoordelen",
            "ronde": 1,
            "instructie": "Geef twee cijfers.",
            "gids": "Open de ronde.",
        },
        {
            "key": "nameting",
            "titel": "Nameting",
            "minuten": 10,
            "soort": "beoordelen",
            "ronde": 2,
            "instructie": "Geef opnieuw twee cijfers.",
            "gids": "Open de tweede ronde.",
        },
    ],
}
BODY = "Een inleiding voor de begeleider.\n"


def schrijf(directory: Path, gegevens: Any, body: str = BODY, naam: str = "proef.md") -> Path:
    """Write a sessievorm file from front matter data, as an author would."""
    front = yaml.safe_dump(gegevens, allow_unicode=True, sort_keys=False)
    path = directory / naam
    path.write_text(f"---\n{front}---\n{body}", encoding="utf-8")
    return path


def zet(*pad: Any, waarde: Any) -> Callable[[dict[str, Any]], None]:
    """A change to the valid front matter: set the value at a path."""

    def wijzig(gegevens: dict[str, Any]) -> None:
        doel = gegevens
        for stap in pad[:-1]:
            doel = doel[stap]
        doel[pad[-1]] = waarde

    return wijzig


def weg(*pad: Any) -> Callable[[dict[str, Any]], None]:
    """A change to the valid front matter: remove the value at a path."""

    def wijzig(gegevens: dict[str, Any]) -> None:
        doel = gegevens
        for stap in pad[:-1]:
            doel = doel[stap]
        del doel[pad[-1]]

    return wijzig


# --- the shipped draaiboeken -------------------------------------------------------


def test_shipped_vormen_all_load() -> None:
    vormen = load_vormen(SESSIES)
    assert {"ontmoeten-en-ont-moeten", "leerkring"} <= set(vormen)
    titels = [vorm.titel for vorm in vormen.values()]
    assert titels == sorted(titels, key=str.casefold)


def test_ontmoeten_en_ont_moeten_has_the_agreed_fasen() -> None:
    vorm = load_vorm(SESSIES / "ontmoeten-en-ont-moeten.md")
    assert vorm.slug == "ontmoeten-en-ont-moeten"
    assert vorm.titel == "Ontmoeten en ont-moeten"
    assert [(fase.key, fase.soort, fase.ronde) for fase in vorm.fasen] == [
        ("welkom", "welkom", None),
        ("knelpunten-ophalen", "knelpunten", None),
        ("bundelen", "bundelen", None),
        ("stemmen", "stemmen", None),
        ("dialoog", "dialoog", None),
        ("beoordelen-ronde-1", "beoordelen", 1),
        ("dialoog-verwachtingen", "dialoog", None),
        ("beoordelen-ronde-2", "beoordelen", 2),
        ("besluiten-en-acties", "besluiten", None),
        ("afsluiting", "afsluiting", None),
    ]
    assert 150 <= vorm.totaal_minuten <= 180


def test_leerkring_is_short_and_casus_based() -> None:
    vorm = load_vorm(SESSIES / "leerkring.md")
    assert vorm.titel == "Leerkring"
    soorten = [fase.soort for fase in vorm.fasen]
    assert soorten[0] == "welkom" and soorten[-1] == "afsluiting"
    assert {"casus", "knelpunten", "dialoog", "reflectie", "besluiten"} <= set(soorten)
    # One short rating: a reeks of leerkringen follows its verwachtingen over time (issue 15).
    assert [f.ronde for f in vorm.fasen if f.soort == "beoordelen"] == [1]
    assert 80 <= vorm.totaal_minuten <= 100


@pytest.mark.parametrize("naam", ["ontmoeten-en-ont-moeten.md", "leerkring.md"])
def test_shipped_vormen_have_text_for_everyone(naam: str) -> None:
    vorm = load_vorm(SESSIES / naam)
    assert vorm.samenvatting and vorm.beschrijving_html.startswith("<p>")
    for fase in vorm.fasen:
        assert fase.instructie_html and fase.gids_html
        # Deelnemers read the instructie on a phone: keep it short.
        assert len(fase.instructie) < 600, fase.key


# --- a valid file --------------------------------------------------------------------


def test_valid_file_becomes_sessievorm(tmp_path: Path) -> None:
    vorm = load_vorm(schrijf(tmp_path, GELDIG))
    assert isinstance(vorm, Sessievorm)
    assert vorm.slug == "proef"
    assert vorm.beschrijving == BODY.strip()
    assert vorm.totaal_minuten == 25
    assert vorm.fase(0) == Fase(
        key="welkom",
        titel="Welkom",
        minuten=5,
        soort="welkom",
        instructie="Doe mee met de deelnamecode.",
        gids="Zet de code op het scherm.",
    )
    assert [vorm.fase(i).ronde for i in range(3)] == [None, 1, 2]


@pytest.mark.parametrize("index", [-1, 3, 99])
def test_fase_index_out_of_range_does_not_wrap(tmp_path: Path, index: int) -> None:
    vorm = load_vorm(schrijf(tmp_path, GELDIG))
    with pytest.raises(IndexError):
        vorm.fase(index)


def test_sessievorm_is_immutable(tmp_path: Path) -> None:
    vorm = load_vorm(schrijf(tmp_path, GELDIG))
    with pytest.raises(AttributeError):
        vorm.titel = "Anders"  # type: ignore[misc]


# --- malformed front matter ---------------------------------------------------------

FOUTE_GEGEVENS = [
    pytest.param(weg("titel"), "titel", id="titel-ontbreekt"),
    pytest.param(zet("titel", waarde="   "), "titel", id="titel-leeg"),
    pytest.param(zet("titel", waarde=["a"]), "titel", id="titel-lijst"),
    pytest.param(zet("titel", waarde=2024), "titel", id="titel-getal"),
    pytest.param(weg("samenvatting"), "samenvatting", id="samenvatting-ontbreekt"),
    pytest.param(zet("samenvatting", waarde=None), "samenvatting", id="samenvatting-null"),
    pytest.param(weg("fasen"), "fasen", id="fasen-ontbreken"),
    pytest.param(zet("fasen", waarde=[]), "fasen", id="fasen-leeg"),
    pytest.param(zet("fasen", waarde="welkom"), "fasen", id="fasen-tekst"),
    pytest.param(zet("fasen", 0, waarde="welkom"), "fasen[1]", id="fase-tekst"),
    pytest.param(zet("auteur", waarde="Jan"), "auteur", id="onbekend-veld"),
    pytest.param(weg("fasen", 0, "key"), "fasen[1].key", id="key-ontbreekt"),
    pytest.param(zet("fasen", 0, "key", waarde="Welkom!"), "fasen[1].key", id="key-patroon"),
    pytest.param(zet("fasen", 0, "key", waarde="-welkom"), "fasen[1].key", id="key-koppel"),
    pytest.param(zet("fasen", 0, "key", waarde=7), "fasen[1].key", id="key-getal"),
    pytest.param(zet("fasen", 2, "key", waarde="voormeting"), "fasen[3].key", id="key-dubbel"),
    pytest.param(weg("fasen", 0, "titel"), "fasen[1].titel", id="fase-titel-ontbreekt"),
    pytest.param(weg("fasen", 0, "minuten"), "fasen[1].minuten", id="minuten-ontbreken"),
    pytest.param(zet("fasen", 1, "minuten", waarde=0), "fasen[2].minuten", id="minuten-0"),
    pytest.param(zet("fasen", 1, "minuten", waarde=241), "fasen[2].minuten", id="minuten-241"),
    pytest.param(zet("fasen", 1, "minuten", waarde="10"), "fasen[2].minuten", id="minuten-tekst"),
    pytest.param(zet("fasen", 1, "minuten", waarde=7.5), "fasen[2].minuten", id="minuten-komma"),
    pytest.param(zet("fasen", 1, "minuten", waarde=True), "fasen[2].minuten", id="minuten-ja"),
    pytest.param(zet("fasen", 0, "soort", waarde="pauze"), "fasen[1].soort", id="soort-onbekend"),
    pytest.param(weg("fasen", 0, "soort"), "fasen[1].soort", id="soort-ontbreekt"),
    pytest.param(zet("fasen", 0, "instructie", waarde=""), "fasen[1].instructie", id="instr-leeg"),
    pytest.param(weg("fasen", 0, "gids"), "fasen[1].gids", id="gids-ontbreekt"),
    pytest.param(zet("fasen", 0, "gids", waarde={"a": 1}), "fasen[1].gids", id="gids-mapping"),
    pytest.param(weg("fasen", 1, "ronde"), "fasen[2].ronde", id="ronde-ontbreekt"),
    pytest.param(zet("fasen", 1, "ronde", waarde=3), "fasen[2].ronde", id="ronde-3"),
    pytest.param(zet("fasen", 1, "ronde", waarde="1"), "fasen[2].ronde", id="ronde-tekst"),
    pytest.param(zet("fasen", 1, "ronde", waarde=1.0), "fasen[2].ronde", id="ronde-komma"),
    pytest.param(zet("fasen", 0, "ronde", waarde=1), "fasen[1].ronde", id="ronde-bij-welkom"),
    pytest.param(zet("fasen", 0, "ronde", waarde=None), "fasen[1].ronde", id="ronde-null-welkom"),
    pytest.param(zet("fasen", 2, "ronde", waarde=1), "fasen[3].ronde", id="ronde-dubbel"),
    pytest.param(zet("fasen", 1, "ronde", waarde=2), "fasen[2].ronde", id="nameting-eerst"),
    pytest.param(zet("fasen", 0, "duur", waarde=5), "fasen[1].duur", id="onbekend-fase-veld"),
]


@pytest.mark.parametrize(("wijzig", "veld"), FOUTE_GEGEVENS)
def test_malformed_front_matter_is_refused_naming_file_and_field(
    tmp_path: Path, wijzig: Callable[[dict[str, Any]], None], veld: str
) -> None:
    gegevens = copy.deepcopy(GELDIG)
    wijzig(gegevens)
    path = schrijf(tmp_path, gegevens)
    with pytest.raises(SessievormFout) as fout:
        load_vorm(path)
    bericht = str(fout.value)
    assert "proef.md" in bericht
    assert veld in bericht
    assert fout.value.veld.startswith(veld)


FOUTE_TEKSTEN = [
    pytest.param("---\ntitel: [niet afgesloten\n---\nTekst\n", "front matter", id="yaml-fout"),
    pytest.param("---\ntitel: a\n\tfasen: b\n---\nTekst\n", "front matter", id="yaml-tab"),
    pytest.param("Alleen tekst, geen front matter.\n", "front matter", id="geen-front-matter"),
    pytest.param("---\ntitel: Proef\n", "front matter", id="niet-afgesloten"),
    pytest.param("---\n- een\n- lijst\n---\nTekst\n", "front matter", id="front-matter-lijst"),
    pytest.param("---\nalleen tekst\n---\nTekst\n", "front matter", id="front-matter-tekst"),
    pytest.param("---\n---\nTekst\n", "titel", id="front-matter-leeg"),
    pytest.param("---\ntitel: a\ntitel: b\nsamenvatting: c\n---\nTekst\n", "front matter", id="dubbele-sleutel"),
]


@pytest.mark.parametrize(("tekst", "veld"), FOUTE_TEKSTEN)
def test_malformed_text_is_refused_naming_file_and_field(tmp_path: Path, tekst: str, veld: str) -> None:
    path = tmp_path / "proef.md"
    path.write_text(tekst, encoding="utf-8")
    with pytest.raises(SessievormFout) as fout:
        load_vorm(path)
    assert "proef.md" in str(fout.value)
    assert veld in str(fout.value)


def test_yaml_error_names_the_line_in_the_file(tmp_path: Path) -> None:
    path = tmp_path / "proef.md"
    path.write_text("---\ntitel: Proef\nsamenvatting: [open\n---\nTekst\n", encoding="utf-8")
    with pytest.raises(SessievormFout, match=r"proef\.md: front matter .*regel [34]"):
        load_vorm(path)


def test_duplicate_key_in_a_fase_is_refused(tmp_path: Path) -> None:
    front = yaml.safe_dump(GELDIG, allow_unicode=True, sort_keys=False)
    front = front.replace("  minuten: 5\n", "  minuten: 5\n  minuten: 50\n", 1)
    path = tmp_path / "proef.md"
    path.write_text(f"---\n{front}---\n{BODY}", encoding="utf-8")
    with pytest.raises(SessievormFout, match="minuten"):
        load_vorm(path)


def test_yaml_anchors_and_merge_keys_parse(tmp_path: Path) -> None:
    tekst = (
        "---\ntitel: Proef\nsamenvatting: Kort.\nbasis: &basis\n  minuten: 5\n"
        "fasen:\n  - <<: *basis\n    key: welkom\n    titel: Welkom\n    soort: welkom\n"
        "    instructie: Doe mee.\n    gids: Zet de code neer.\n---\nTekst\n"
    )
    path = tmp_path / "proef.md"
    path.write_text(tekst, encoding="utf-8")
    # The anchor's holder 'basis' is an unknown field, but the merge itself parses.
    with pytest.raises(SessievormFout, match="basis is geen bekend veld"):
        load_vorm(path)


def test_empty_body_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SessievormFout, match=r"proef\.md: beschrijving"):
        load_vorm(schrijf(tmp_path, GELDIG, body="   \n"))


@pytest.mark.parametrize("naam", ["Proef.md", "proef test.md", "-proef.md", "proef_1.md"])
def test_file_name_must_be_a_slug(tmp_path: Path, naam: str) -> None:
    with pytest.raises(SessievormFout, match="bestandsnaam") as fout:
        load_vorm(schrijf(tmp_path, GELDIG, naam=naam))
    assert naam in str(fout.value)


def test_non_utf8_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "proef.md"
    path.write_bytes(b"---\ntitel: Caf\xe9\n---\nTekst\n")
    with pytest.raises(SessievormFout, match=r"proef\.md: bestand .*UTF-8"):
        load_vorm(path)


def test_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SessievormFout, match=r"proef\.md: bestand"):
        load_vorm(tmp_path / "proef.md")


def test_several_unknown_fields_are_all_named(tmp_path: Path) -> None:
    gegevens = copy.deepcopy(GELDIG) | {"auteur": "Jan", "versie": 2}
    with pytest.raises(SessievormFout) as fout:
        load_vorm(schrijf(tmp_path, gegevens))
    assert "auteur" in str(fout.value) and "versie" in str(fout.value)


def test_fout_survives_pickling() -> None:
    fout = SessievormFout("sessies/x.md", "titel", "ontbreekt")
    terug = pickle.loads(pickle.dumps(fout))
    assert str(terug) == "sessies/x.md: titel ontbreekt"
    assert (terug.bestand, terug.veld, terug.reden) == ("sessies/x.md", "titel", "ontbreekt")


# --- whatever the author writes, only SessievormFout comes out ---------------------

waarden = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-5, max_value=300)
    | st.floats(allow_nan=False)
    | st.text(max_size=12)
    | st.sampled_from(SOORTEN),
    lambda kinderen: st.lists(kinderen, max_size=3) | st.dictionaries(st.text(max_size=6), kinderen, max_size=3),
    max_leaves=8,
)
fase_strategie = st.dictionaries(
    st.sampled_from(["key", "titel", "minuten", "soort", "instructie", "gids", "ronde", "x"]),
    waarden,
    max_size=8,
)
vorm_strategie = st.dictionaries(
    st.sampled_from(["titel", "samenvatting", "fasen", "x"]),
    waarden | st.lists(fase_strategie, max_size=3),
    max_size=4,
)


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(gegevens=vorm_strategie, body=st.text(max_size=30))
def test_any_front_matter_loads_or_raises_sessievormfout(tmp_path: Path, gegevens: dict[str, Any], body: str) -> None:
    path = schrijf(tmp_path, gegevens, body=body)
    try:
        load_vorm(path)
    except SessievormFout as fout:
        assert "proef.md" in str(fout)


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tekst=st.text(max_size=80))
def test_any_text_loads_or_raises_sessievormfout(tmp_path: Path, tekst: str) -> None:
    path = tmp_path / "proef.md"
    path.write_text(f"---\n{tekst}\n---\nTekst\n", encoding="utf-8", errors="surrogatepass")
    try:
        load_vorm(path)
    except SessievormFout as fout:
        assert "proef.md" in str(fout)


# --- load_vormen ---------------------------------------------------------------------


def test_load_vormen_sorts_by_titel(tmp_path: Path) -> None:
    schrijf(tmp_path, GELDIG | {"titel": "Beta"}, naam="a.md")
    schrijf(tmp_path, GELDIG | {"titel": "alfa"}, naam="b.md")
    schrijf(tmp_path, GELDIG | {"titel": "Gamma"}, naam="c.md")
    (tmp_path / "notities.txt").write_text("geen sessievorm", encoding="utf-8")
    assert list(load_vormen(tmp_path)) == ["b", "a", "c"]


def test_load_vormen_raises_for_the_first_bad_file(tmp_path: Path) -> None:
    schrijf(tmp_path, GELDIG, naam="a.md")
    schrijf(tmp_path, GELDIG | {"titel": ""}, naam="b.md")
    schrijf(tmp_path, GELDIG | {"samenvatting": ""}, naam="c.md")
    with pytest.raises(SessievormFout, match=r"b\.md: titel"):
        load_vormen(tmp_path)


def test_load_vormen_refuses_two_vormen_with_one_titel(tmp_path: Path) -> None:
    schrijf(tmp_path, GELDIG, naam="a.md")
    schrijf(tmp_path, GELDIG | {"titel": "PROEF"}, naam="b.md")
    with pytest.raises(SessievormFout, match=r"b\.md: titel .*a\.md"):
        load_vormen(tmp_path)


def test_load_vormen_of_empty_and_missing_directory(tmp_path: Path) -> None:
    assert load_vormen(tmp_path) == {}
    with pytest.raises(SessievormFout, match="bestaat niet"):
        load_vormen(tmp_path / "nergens")


# --- sanitised Markdown --------------------------------------------------------------

GEVAARLIJK = (
    "Hallo <script>alert('x')</script>\n\n"
    '<a href="https://example.org" onclick="steel()">klik</a> '
    "[link](javascript:alert(1)) "
    '<img src="x" onerror="alert(2)">\n\n'
    '<div style="color:red" onmouseover="x()">blok</div>\n\n'
    "<iframe src='https://evil.example'></iframe>"
)


def test_instructie_html_is_sanitised(tmp_path: Path) -> None:
    gegevens = copy.deepcopy(GELDIG)
    gegevens["fasen"][0]["instructie"] = GEVAARLIJK
    html = load_vorm(schrijf(tmp_path, gegevens)).fase(0).instructie_html
    for verboden in ("<script", "alert", "onclick", "onerror", "onmouseover", "javascript:"):
        assert verboden not in html
    for verboden in ("<img", "<div", "<iframe", "style="):
        assert verboden not in html
    assert "Hallo" in html and "blok" in html


def test_links_get_rel_noopener_nofollow(tmp_path: Path) -> None:
    gegevens = copy.deepcopy(GELDIG)
    gegevens["fasen"][0]["gids"] = "Lees [de handreiking](https://example.org/gids)."
    html = load_vorm(schrijf(tmp_path, gegevens)).fase(0).gids_html
    assert '<a href="https://example.org/gids" rel="noopener nofollow">de handreiking</a>' in html


def test_beschrijving_html_is_sanitised(tmp_path: Path) -> None:
    vorm = load_vorm(schrijf(tmp_path, GELDIG, body=GEVAARLIJK))
    assert "<script" not in vorm.beschrijving_html
    assert "onclick" not in vorm.beschrijving_html


def test_allowed_markdown_survives() -> None:
    html = render_markdown(
        "### Kop\n\n#### Subkop\n\n**vet** *schuin* `code`\n\n> citaat\n\n- een\n- twee\n\n1. a\n2. b"
    )
    for tag in ("<h3>", "<h4>", "<strong>", "<em>", "<code>", "<blockquote>", "<ul>", "<ol>"):
        assert tag in html
