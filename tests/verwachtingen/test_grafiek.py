"""The wenselijk/haalbaar SVG: valid, accessible, escaped, and honest about gaps."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from facilitatie.verwachtingen.grafiek import (
    Punt,
    punten_uit_figuren,
    wenselijk_haalbaar_svg,
)
from facilitatie.verwachtingen.statistiek import Beoordeling, figuren

NS = {"svg": "http://www.w3.org/2000/svg"}
SVG = "{http://www.w3.org/2000/svg}"

BEIDE_RONDES = [
    Punt("beleid", 1, 2, 4),
    Punt("beleid", 2, 3, 4),
    Punt("uitvoering", 1, 2, 5),
    Punt("uitvoering", 2, 2.5, 3.5),
]


def parse(svg: str) -> ET.Element:
    """Parse as XML: a browser's inline SVG is forgiving, print and export are not."""
    return ET.fromstring(svg)


def pijlen(root: ET.Element) -> list[ET.Element]:
    return [e for e in root.iter() if e.get("marker-end")]


def test_svg_is_accessible_and_scales() -> None:
    root = parse(wenselijk_haalbaar_svg(BEIDE_RONDES, "Verwachting 1"))
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("viewBox") == "0 0 360 400"
    titel, desc = root.find("svg:title", NS), root.find("svg:desc", NS)
    assert titel is not None and titel.text == "Verwachting 1"
    assert desc is not None and desc.text is not None
    assert "Beleid, ronde 1 (voormeting): haalbaar 2, wenselijk 4" in desc.text
    assert "Uitvoering, ronde 2 (nameting): haalbaar 2,5, wenselijk 3,5" in desc.text
    # aria-labelledby points at the title and desc that are really there.
    ids = {e.get("id") for e in root.iter() if e.get("id")}
    labelledby = root.get("aria-labelledby", "").split()
    assert labelledby == [titel.get("id"), desc.get("id")]
    assert set(labelledby) <= ids


def test_dutch_axis_labels_and_diagonal() -> None:
    svg = wenselijk_haalbaar_svg(BEIDE_RONDES, "x")
    root = parse(svg)
    teksten = {"".join(e.itertext()) for e in root.iter(f"{SVG}text")}
    assert {"Haalbaar", "Wenselijk", "wenselijk = haalbaar"} <= teksten
    assert {"Beleid", "Uitvoering"} <= teksten
    assert {"1", "2", "3", "4", "5"} <= teksten
    assert root.find(".//svg:line[@class='diagonaal']", NS) is not None


def test_titel_is_escaped() -> None:
    titel = 'Jeugd <script>alert("x")</script> & "meer" <&>'
    svg = wenselijk_haalbaar_svg(BEIDE_RONDES, titel)
    assert "<script>" not in svg
    assert "&lt;&amp;&gt;" in svg
    root = parse(svg)
    element = root.find("svg:title", NS)
    assert element is not None and element.text == titel


def test_arrow_from_ronde_1_to_ronde_2_per_perspective() -> None:
    root = parse(wenselijk_haalbaar_svg(BEIDE_RONDES, "x"))
    ids = {e.get("id") for e in root.iter(f"{SVG}marker")}
    gevonden = pijlen(root)
    assert len(gevonden) == 2
    for pijl in gevonden:
        verwijzing = pijl.get("marker-end", "")
        assert verwijzing.startswith("url(#") and verwijzing[5:-1] in ids
    # Beleid moved from haalbaar 2 to 3 at wenselijk 4: a horizontal arrow to the right.
    beleid = next(p for p in gevonden if "beleid" in p.get("marker-end", ""))
    assert beleid.get("y1") == beleid.get("y2")
    assert float(beleid.get("x1", 0)) < float(beleid.get("x2", 0))


def test_shape_not_colour_alone_and_rounds_hollow_vs_filled() -> None:
    root = parse(wenselijk_haalbaar_svg(BEIDE_RONDES, "x"))
    punten = {g.get("class"): g for g in root.iter(f"{SVG}g") if "punt" in (g.get("class") or "")}
    assert set(punten) == {
        "punt beleid ronde-1",
        "punt beleid ronde-2",
        "punt uitvoering ronde-1",
        "punt uitvoering ronde-2",
    }
    assert punten["punt beleid ronde-1"].find("svg:circle", NS) is not None
    assert punten["punt uitvoering ronde-1"].find("svg:rect", NS) is not None
    hol = punten["punt beleid ronde-1"].find("svg:circle", NS)
    vol = punten["punt beleid ronde-2"].find("svg:circle", NS)
    assert hol is not None and vol is not None
    assert hol.get("fill") == "#fff"
    assert vol.get("fill") == vol.get("stroke") != "#fff"
    # Each point carries a tooltip in words.
    tip = punten["punt uitvoering ronde-2"].find("svg:title", NS)
    assert tip is not None and tip.text == ("Uitvoering, ronde 2 (nameting): haalbaar 2,5, wenselijk 3,5")


def test_print_safe_strokes_and_black_text() -> None:
    root = parse(wenselijk_haalbaar_svg(BEIDE_RONDES, "x"))
    breedtes = [float(e.get("stroke-width", "")) for e in root.iter() if e.get("stroke-width")]
    assert breedtes and min(breedtes) >= 2
    assert root.get("fill") == "#000"
    assert all(t.get("fill") in (None, "#000") for t in root.iter(f"{SVG}text"))


def test_missing_points_are_skipped_and_described() -> None:
    punten = [
        Punt("beleid", 1, 2, 4),  # beleid has no ronde 2 yet
        Punt("uitvoering", 1, None, 3),  # all "Weet niet" on haalbaar
        Punt("uitvoering", 2, 3, 3),
    ]
    root = parse(wenselijk_haalbaar_svg(punten, "x"))
    assert pijlen(root) == []  # no pair of complete points for either perspective
    getekend = {g.get("class") for g in root.iter(f"{SVG}g") if "punt" in (g.get("class") or "")}
    assert getekend == {"punt beleid ronde-1", "punt uitvoering ronde-2"}
    desc = root.find("svg:desc", NS)
    assert desc is not None and desc.text is not None
    assert "Beleid, ronde 2 (nameting): geen gegevens" in desc.text
    assert "Uitvoering, ronde 1 (voormeting): geen gegevens" in desc.text


def test_no_points_at_all_still_renders() -> None:
    svg = wenselijk_haalbaar_svg([], "Nog niets")
    root = parse(svg)
    assert pijlen(root) == []
    assert "Nog geen gegevens" in svg


def test_no_arrow_when_nothing_moved() -> None:
    punten = [Punt("beleid", 1, 3, 3), Punt("beleid", 2, 3, 3)]
    assert pijlen(parse(wenselijk_haalbaar_svg(punten, "x"))) == []


def test_alle_gets_its_own_shape_and_legend_entry() -> None:
    punten = [Punt("alle", 1, 3, 4), Punt("alle", 2, 3, 3)]
    root = parse(wenselijk_haalbaar_svg(punten, "x"))
    teksten = {"".join(e.itertext()) for e in root.iter(f"{SVG}text")}
    assert "Alle deelnemers" in teksten
    assert len(pijlen(root)) == 1


def test_ids_can_be_made_unique_per_chart() -> None:
    a = wenselijk_haalbaar_svg(BEIDE_RONDES, "x", id_prefix="verwachting-7")
    assert 'id="verwachting-7-titel"' in a
    assert "url(#verwachting-7-pijl-beleid)" in a
    # Hostile prefixes are cleaned, never injected.
    b = wenselijk_haalbaar_svg(BEIDE_RONDES, "x", id_prefix='"><script>')
    assert "<script>" not in b
    parse(b)
    # Default ids differ between different charts and are stable for the same one.
    assert wenselijk_haalbaar_svg(BEIDE_RONDES, "x") == wenselijk_haalbaar_svg(BEIDE_RONDES, "x")
    assert parse(wenselijk_haalbaar_svg(BEIDE_RONDES, "x")).get("aria-labelledby") != parse(
        wenselijk_haalbaar_svg(BEIDE_RONDES, "y")
    ).get("aria-labelledby")


@pytest.mark.parametrize(
    "punten",
    [
        [Punt("anders", 1, 3, 3)],  # "anders" never has a group of its own
        [Punt("beleid", 3, 3, 3)],
        [Punt("beleid", 1, 0, 3)],
        [Punt("beleid", 1, 3, 5.5)],
        [Punt("beleid", 1, 3, 3), Punt("beleid", 1, 4, 4)],
    ],
)
def test_impossible_points_are_refused(punten: list[Punt]) -> None:
    with pytest.raises(ValueError):
        wenselijk_haalbaar_svg(punten, "x")


def test_points_from_figuren_leave_out_suppressed_groups() -> None:
    # Ronde 2 has two uitvoering raters: both perspectives are left out there.
    beoordelingen = [Beoordeling(f"b{i}", "beleid", ronde, 4, 2) for i in range(3) for ronde in (1, 2)] + [
        Beoordeling(f"u{i}", "uitvoering", ronde, 2, 2) for i in range(3) for ronde in (1, 2) if (i, ronde) != (2, 2)
    ]
    rondes = [figuren(beoordelingen, 1), figuren(beoordelingen, 2)]
    assert punten_uit_figuren(rondes) == [
        Punt("beleid", 1, 2.0, 4.0),
        Punt("uitvoering", 1, 2.0, 2.0),
    ]
    parse(wenselijk_haalbaar_svg(punten_uit_figuren(rondes), "x"))
