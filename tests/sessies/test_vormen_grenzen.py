"""Sessievormen, issue 16: the boundaries no test pinned (loading a folder, minuten, slug length)."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from facilitatie.sessies.vormen import MAX_MINUTEN, MAX_SLUG_LENGTE, MIN_MINUTEN, SessievormFout, load_vorm, load_vormen
from tests.sessies.test_vormen import BODY, GELDIG, schrijf


def test_load_vormen_skips_a_dot_file_and_goes_on(tmp_path: Path) -> None:
    # ".a.md" sorts first; it is broken, and skipping it must not end the loop.
    (tmp_path / ".a.md").write_text("geen front matter", encoding="utf-8")
    schrijf(tmp_path, GELDIG, naam="b.md")
    assert list(load_vormen(tmp_path)) == ["b"]


def test_load_vormen_skips_a_folder_named_md_and_goes_on(tmp_path: Path) -> None:
    (tmp_path / "a.md").mkdir()
    schrijf(tmp_path, GELDIG, naam="b.md")
    assert list(load_vormen(tmp_path)) == ["b"]


def test_load_vormen_reads_a_file_with_a_bom(tmp_path: Path) -> None:
    path = schrijf(tmp_path, GELDIG, naam="a.md")
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    schrijf(tmp_path, GELDIG | {"titel": "Tweede"}, naam="b.md")
    vormen = load_vormen(tmp_path)
    assert list(vormen) == ["a", "b"]
    assert vormen["a"].titel == "Proef"
    assert vormen["a"].beschrijving == BODY.strip()


@pytest.mark.parametrize("minuten", [MIN_MINUTEN, MAX_MINUTEN])
def test_minuten_at_both_ends_are_accepted(tmp_path: Path, minuten: int) -> None:
    assert (MIN_MINUTEN, MAX_MINUTEN) == (1, 240)
    gegevens = copy.deepcopy(GELDIG)
    gegevens["fasen"][0]["minuten"] = minuten
    assert load_vorm(schrijf(tmp_path, gegevens)).fasen[0].minuten == minuten


def test_slug_of_80_is_accepted_and_81_refused(tmp_path: Path) -> None:
    assert MAX_SLUG_LENGTE == 80
    assert load_vorm(schrijf(tmp_path, GELDIG, naam="a" * 80 + ".md")).slug == "a" * 80
    with pytest.raises(SessievormFout, match="bestandsnaam"):
        load_vorm(schrijf(tmp_path, GELDIG, naam="a" * 81 + ".md"))


# --- Markdown in a sessievorm: every allowed tag is kept, anything else is stripped --------

TOEGESTAAN = [
    ("- een\n- twee", "<ul>\n<li>een</li>\n<li>twee</li>\n</ul>"),
    ("1. een\n2. twee", "<ol>\n<li>een</li>\n<li>twee</li>\n</ol>"),
    ("*schuin*", "<p><em>schuin</em></p>"),
    ("**vet**", "<p><strong>vet</strong></p>"),
    ("regel een  \nregel twee", "<p>regel een<br>\nregel twee</p>"),
    ("### Kop", "<h3>Kop</h3>"),
    ("#### Subkop", "<h4>Subkop</h4>"),
    ("`code`", "<p><code>code</code></p>"),
    ("> citaat", "<blockquote>\n<p>citaat</p>\n</blockquote>"),
    (
        '[de gids](https://example.org/gids "De gids")',
        '<p><a href="https://example.org/gids" title="De gids" rel="noopener nofollow">de gids</a></p>',
    ),
    ("[oud](http://example.org)", '<p><a href="http://example.org" rel="noopener nofollow">oud</a></p>'),
    (
        "[mail het team](mailto:team@example.org)",
        '<p><a href="mailto:team@example.org" rel="noopener nofollow">mail het team</a></p>',
    ),
    # sane_lists: a numbered list does not run on into bullets.
    ("1. een\n- twee", "<ol>\n<li>een\n- twee</li>\n</ol>"),
]


@pytest.mark.parametrize(("markdown", "html"), TOEGESTAAN)
def test_allowed_markdown_in_a_sessievorm_keeps_its_tag(tmp_path: Path, markdown: str, html: str) -> None:
    gegevens = copy.deepcopy(GELDIG)
    gegevens["fasen"][0]["instructie"] = markdown
    assert load_vorm(schrijf(tmp_path, gegevens)).fase(0).instructie_html == html


VERBODEN = [
    ("# Kop", "Kop"),
    ("## Kop", "Kop"),
    ("<table><tr><td>cel</td></tr></table>", "cel"),
    ('<span class="x">tekst</span>', "<p>tekst</p>"),
    ("<u>onder</u>", "<p>onder</p>"),
    ("[ftp](ftp://example.org/a)", '<p><a rel="noopener nofollow">ftp</a></p>'),
    (
        '<a href="https://e.org" target="_blank" id="x">l</a>',
        '<p><a href="https://e.org" rel="noopener nofollow">l</a></p>',
    ),
    ('<h3 id="a" style="color:red">k</h3>', "<h3>k</h3>"),
]


@pytest.mark.parametrize(("markdown", "html"), VERBODEN)
def test_disallowed_markdown_in_a_sessievorm_is_stripped(tmp_path: Path, markdown: str, html: str) -> None:
    gegevens = copy.deepcopy(GELDIG)
    gegevens["fasen"][0]["gids"] = markdown
    assert load_vorm(schrijf(tmp_path, gegevens)).fase(0).gids_html == html


def test_duplicate_key_after_a_merge_key_is_refused(tmp_path: Path) -> None:
    # The '<<' key is skipped by the duplicate check; the keys after it are still checked.
    tekst = (
        "---\ntitel: Proef\nsamenvatting: Kort.\n"
        "fasen:\n  - &welkom\n    key: welkom\n    titel: Welkom\n    minuten: 5\n    soort: welkom\n"
        "    instructie: Doe mee.\n    gids: Zet de code neer.\n"
        "  - <<: *welkom\n    key: tweede\n    minuten: 10\n    minuten: 50\n---\nTekst\n"
    )
    path = tmp_path / "proef.md"
    path.write_text(tekst, encoding="utf-8")
    with pytest.raises(SessievormFout, match=r"'minuten' komt twee keer voor"):
        load_vorm(path)


def test_merge_key_may_be_overridden(tmp_path: Path) -> None:
    tekst = (
        "---\ntitel: Proef\nsamenvatting: Kort.\n"
        "fasen:\n  - &welkom\n    key: welkom\n    titel: Welkom\n    minuten: 5\n    soort: welkom\n"
        "    instructie: Doe mee.\n    gids: Zet de code neer.\n"
        "  - <<: *welkom\n    key: tweede\n    minuten: 10\n---\nTekst\n"
    )
    path = tmp_path / "proef.md"
    path.write_text(tekst, encoding="utf-8")
    fasen = load_vorm(path).fasen
    assert [(f.key, f.minuten, f.titel) for f in fasen] == [("welkom", 5, "Welkom"), ("tweede", 10, "Welkom")]


def test_titel_of_another_yaml_type_is_named(tmp_path: Path) -> None:
    # A YAML value that is not text, number, date, list or group (here binary data).
    path = tmp_path / "proef.md"
    path.write_text("---\ntitel: !!binary aGFsbG8=\nsamenvatting: Kort.\n---\nTekst\n", encoding="utf-8")
    with pytest.raises(SessievormFout, match=r"proef\.md: titel moet tekst zijn, niet een andere waarde$"):
        load_vorm(path)


def test_yaml_error_line_counts_blank_lines_after_the_opening_dashes(tmp_path: Path) -> None:
    path = tmp_path / "proef.md"
    path.write_text("---\n\n\ntitel: Proef\nsamenvatting: Kort\n  x: y\n---\nTekst\n", encoding="utf-8")
    with pytest.raises(SessievormFout, match=r"\(regel 6\)"):
        load_vorm(path)


def test_self_referencing_anchor_is_named_as_a_group(tmp_path: Path) -> None:
    path = tmp_path / "proef.md"
    path.write_text("---\ntitel: &a {x: *a}\nsamenvatting: Kort.\n---\nTekst\n", encoding="utf-8")
    with pytest.raises(SessievormFout, match=r"titel moet tekst zijn, niet een groep velden$"):
        load_vorm(path)


@pytest.mark.parametrize(
    ("minuten", "getoond"),
    [("veel", "'veel'"), (0, "0"), (2.5, "2.5"), ("x" * 50, "'" + "x" * 36 + "...")],
)
def test_refused_minuten_are_shown_briefly(tmp_path: Path, minuten: object, getoond: str) -> None:
    gegevens = copy.deepcopy(GELDIG)
    gegevens["fasen"][0]["minuten"] = minuten
    with pytest.raises(SessievormFout) as fout:
        load_vorm(schrijf(tmp_path, gegevens))
    assert str(fout.value).endswith(f"(nu: {getoond})")


def test_unknown_fields_message_agrees_in_number(tmp_path: Path) -> None:
    with pytest.raises(SessievormFout) as fout:
        load_vorm(schrijf(tmp_path, GELDIG | {"extra": 1, "meer": 2}))
    assert str(fout.value).endswith("extra, meer zijn geen bekende velden (toegestaan: titel, samenvatting, fasen)")
    with pytest.raises(SessievormFout) as fout:
        load_vorm(schrijf(tmp_path, GELDIG | {"extra": 1}))
    assert str(fout.value).endswith("extra is geen bekend veld (toegestaan: titel, samenvatting, fasen)")


@pytest.mark.parametrize(
    ("titel", "soort"),
    [
        ("true", "ja/nee"),
        ("3", "een getal"),
        ("2.5", "een kommagetal"),
        ("2024-01-01", "een datum"),
        ("[a]", "een lijst"),
    ],
)
def test_titel_of_the_wrong_type_names_the_type(tmp_path: Path, titel: str, soort: str) -> None:
    path = tmp_path / "proef.md"
    path.write_text(f"---\ntitel: {titel}\nsamenvatting: Kort.\n---\nTekst\n", encoding="utf-8")
    with pytest.raises(SessievormFout) as fout:
        load_vorm(path)
    assert str(fout.value).endswith(f"titel moet tekst zijn, niet {soort}")


def test_fasen_as_text_names_the_type(tmp_path: Path) -> None:
    with pytest.raises(SessievormFout) as fout:
        load_vorm(schrijf(tmp_path, GELDIG | {"fasen": "welkom"}))
    assert str(fout.value).endswith("fasen moet een lijst zijn, niet tekst")


def test_refused_value_of_40_characters_is_shown_whole(tmp_path: Path) -> None:
    gegevens = copy.deepcopy(GELDIG)
    gegevens["fasen"][0]["minuten"] = "x" * 38  # repr: 40 characters
    with pytest.raises(SessievormFout) as fout:
        load_vorm(schrijf(tmp_path, gegevens))
    assert str(fout.value).endswith(f"(nu: '{'x' * 38}')")


def test_fase_just_past_the_end_names_the_sessievorm(tmp_path: Path) -> None:
    vorm = load_vorm(schrijf(tmp_path, GELDIG))
    with pytest.raises(IndexError, match=r"^sessievorm 'proef' heeft geen fase 3 \(0 tot en met 2\)$"):
        vorm.fase(3)


# --- The author reads each refusal whole: field and reason word for word ------------------


def _fout(tmp_path: Path, tekst: str, naam: str = "proef.md") -> SessievormFout:
    path = tmp_path / naam
    path.write_text(tekst, encoding="utf-8")
    with pytest.raises(SessievormFout) as fout:
        load_vorm(path)
    return fout.value


def test_refusals_name_field_and_reason_word_for_word(tmp_path: Path) -> None:
    """Pinned whole, so a changed word in a message an author reads shows in a test."""
    kop = "---\n" + yaml.safe_dump(GELDIG, allow_unicode=True, sort_keys=False)
    gevallen = [
        (_fout(tmp_path, "titel: x\n"), "front matter", "ontbreekt: het bestand moet beginnen met een regel '---'"),
        (_fout(tmp_path, kop), "front matter", "wordt niet afgesloten met een tweede regel '---'"),
        (
            _fout(tmp_path, kop + "---\n   \n"),
            "beschrijving",
            "is leeg: schrijf onder de front matter een inleiding voor de begeleider",
        ),
    ]
    zonder_fasen = {k: v for k, v in GELDIG.items() if k != "fasen"}
    gevallen.append(
        (
            _fout(tmp_path, "---\n" + yaml.safe_dump(zonder_fasen) + "---\n" + BODY),
            "fasen",
            "ontbreekt: een sessievorm heeft minstens één fase",
        )
    )
    leeg = {**GELDIG, "fasen": []}
    gevallen.append(
        (
            _fout(tmp_path, "---\n" + yaml.safe_dump(leeg) + "---\n" + BODY),
            "fasen",
            "is leeg: een sessievorm heeft minstens één fase",
        )
    )
    zonder_minuten = copy.deepcopy(GELDIG)
    del zonder_minuten["fasen"][0]["minuten"]
    gevallen.append(
        (_fout(tmp_path, "---\n" + yaml.safe_dump(zonder_minuten) + "---\n" + BODY), "fasen[1].minuten", "ontbreekt")
    )
    for fout, veld, reden in gevallen:
        assert (fout.veld, fout.reden) == (veld, reden)
        assert str(fout) == f"{fout.bestand}: {veld} {reden}"


def test_a_missing_folder_is_named_as_a_map(tmp_path: Path) -> None:
    with pytest.raises(SessievormFout) as fout:
        load_vormen(tmp_path / "bestaat-niet")
    assert (fout.value.veld, fout.value.reden) == ("map", "bestaat niet of is geen map")


def test_a_wrong_file_name_is_named_as_bestandsnaam(tmp_path: Path) -> None:
    fout = _fout(tmp_path, "---\n" + yaml.safe_dump(GELDIG) + "---\n" + BODY, naam="Hoofd_Letters.md")
    assert fout.veld == "bestandsnaam" and fout.reden.startswith("moet bestaan uit kleine letters")


def test_more_refusals_word_for_word(tmp_path: Path) -> None:
    """The messages the first word-for-word test left out (issue 16 mutation run, stop 20)."""
    zonder_titel = {k: v for k, v in GELDIG.items() if k != "titel"}
    lege_titel = {**GELDIG, "titel": "   "}
    ronde_mist = copy.deepcopy(GELDIG)
    del ronde_mist["fasen"][1]["ronde"]
    twee_keer_een = copy.deepcopy(GELDIG)
    twee_keer_een["fasen"][2]["ronde"] = 1
    gevallen = [
        (
            "---\n- een\n- twee\n---\n" + BODY,
            "front matter",
            "moet uit velden bestaan (titel, samenvatting, fasen), niet uit een lijst",
        ),
        ("---\n" + yaml.safe_dump(zonder_titel) + "---\n" + BODY, "titel", "ontbreekt"),
        ("---\n" + yaml.safe_dump(lege_titel) + "---\n" + BODY, "titel", "is leeg"),
        (
            "---\n" + yaml.safe_dump(ronde_mist) + "---\n" + BODY,
            "fasen[2].ronde",
            "ontbreekt: een fase 'beoordelen' heeft ronde 1 of 2",
        ),
        (
            "---\n" + yaml.safe_dump(twee_keer_een) + "---\n" + BODY,
            "fasen[3].ronde",
            "1 komt al voor bij fasen[2]",
        ),
        (
            "---\ntitel: [open\n---\n" + BODY,
            "front matter",
            "is geen geldige YAML (regel 3): expected ',' or ']', but got '<stream end>'",
        ),
    ]
    for tekst, veld, reden in gevallen:
        fout = _fout(tmp_path, tekst)
        assert (fout.veld, fout.reden) == (veld, reden)


def test_a_nameting_before_any_voormeting_is_refused_word_for_word(tmp_path: Path) -> None:
    gegevens = copy.deepcopy(GELDIG)
    gegevens["fasen"][1]["ronde"] = 2
    del gegevens["fasen"][2]
    fout = _fout(tmp_path, "---\n" + yaml.safe_dump(gegevens) + "---\n" + BODY)
    assert (fout.veld, fout.reden) == (
        "fasen[2].ronde",
        "2 (nameting) kan pas na een eerdere fase met ronde 1 (voormeting)",
    )


def test_a_file_that_is_not_utf8_is_named(tmp_path: Path) -> None:
    path = tmp_path / "proef.md"
    path.write_bytes(b"---\ntitel: caf\xe9\n---\n")
    with pytest.raises(SessievormFout) as fout:
        load_vorm(path)
    assert (fout.value.veld, fout.value.reden) == ("bestand", "is geen geldige UTF-8-tekst")


def test_an_unreadable_file_names_the_reason_not_the_errno(tmp_path: Path) -> None:
    (tmp_path / "proef.md").mkdir()
    with pytest.raises(SessievormFout) as fout:
        load_vorm(tmp_path / "proef.md")
    assert (fout.value.veld, fout.value.reden) == ("bestand", "kan niet gelezen worden (Is a directory)")


def test_a_duplicate_key_names_the_line_of_the_second_key(tmp_path: Path) -> None:
    tekst = (
        "---\ntitel: Proef\nsamenvatting: Kort.\n"
        "fasen:\n  - &welkom\n    key: welkom\n    titel: Welkom\n    minuten: 5\n    soort: welkom\n"
        "    instructie: Doe mee.\n    gids: Zet de code neer.\n"
        "  - <<: *welkom\n    key: tweede\n    minuten: 10\n    minuten: 50\n---\nTekst\n"
    )
    fout = _fout(tmp_path, tekst)
    assert (fout.veld, fout.reden) == (
        "front matter",
        "is geen geldige YAML (regel 15): de sleutel 'minuten' komt twee keer voor",
    )


@pytest.mark.parametrize(("lengte", "getoond"), [(40, None), (41, "...")])
def test_a_wrong_value_is_shown_whole_up_to_40_characters(tmp_path: Path, lengte: int, getoond: str | None) -> None:
    waarde = "a" * (lengte - 2)  # repr adds two quotes
    gegevens = copy.deepcopy(GELDIG)
    gegevens["fasen"][1]["ronde"] = waarde
    fout = _fout(tmp_path, "---\n" + yaml.safe_dump(gegevens) + "---\n" + BODY)
    verwacht = repr(waarde) if getoond is None else repr(waarde)[:37] + "..."
    assert fout.reden == f"moet 1 (voormeting) of 2 (nameting) zijn (nu: {verwacht})"


def test_style_content_is_dropped_not_shown_as_text(tmp_path: Path) -> None:
    gegevens = copy.deepcopy(GELDIG)
    gegevens["fasen"][0]["gids"] = "<style>p { color: red }</style>\n\nTekst"
    html = load_vorm(schrijf(tmp_path, gegevens)).fase(0).gids_html
    assert "color" not in html and "Tekst" in html


def test_a_yaml_error_without_a_position_still_names_the_front_matter(tmp_path: Path) -> None:
    # PyYAML's date constructor raises a plain ValueError, not a MarkedYAMLError.
    fout = _fout(tmp_path, "---\ntitel: Proef\nwanneer: 2024-02-30\n---\n" + BODY)
    assert (fout.veld, fout.reden) == ("front matter", "is geen geldige YAML: day is out of range for month")
