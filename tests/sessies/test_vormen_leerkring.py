"""The fase soorten that hold content (casus, reflectie, evaluatie, afsluiting, peiling): their
fields load, and a field in the wrong soort, an unknown field or a wrong value is refused with
file, field, reason and the line it stands on."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from facilitatie.sessies.vormen import SOORTEN, Fase, Peiling, SessievormFout, load_vorm, load_vormen

SESSIES = Path(__file__).resolve().parents[2] / "sessies"


def _fase(key: str, soort: str, **extra: Any) -> dict[str, Any]:
    return {
        "key": key,
        "titel": key.title(),
        "minuten": 5,
        "soort": soort,
        "instructie": "Doe mee.",
        "gids": "Leid.",
        **extra,
    }


GELDIG: dict[str, Any] = {
    "titel": "Kring",
    "samenvatting": "Een korte kring.",
    "fasen": [
        _fase(
            "puls",
            "peiling",
            peiling={"vraag": "Hoe is de werkdruk?", "vorm": "schaal", "laag": "Laag", "hoog": "Hoog"},
        ),
        _fase("woord", "peiling", peiling={"vraag": "Eén woord voor deze week?", "vorm": "woord"}),
        _fase("casus", "casus", vragen=False),
        _fase("reflectie", "reflectie", vraag="Wat neem je mee?"),
        _fase("evaluatie", "evaluatie"),
        _fase("afsluiting", "afsluiting", volgende_inbrenger=True),
    ],
}


def schrijf(tmp_path: Path, gegevens: dict[str, Any]) -> Path:
    path = tmp_path / "kring.md"
    path.write_text("---\n" + yaml.safe_dump(gegevens, allow_unicode=True, sort_keys=False) + "---\nInleiding.\n")
    return path


def fout(tmp_path: Path, gegevens: dict[str, Any]) -> SessievormFout:
    with pytest.raises(SessievormFout) as info:
        load_vorm(schrijf(tmp_path, gegevens))
    return info.value


def regel_van(path: Path, tekst: str | tuple[str, int]) -> int:
    """The 1-based line of the first line holding this text (plus an offset), as an editor counts."""
    tekst, verschuiving = tekst if isinstance(tekst, tuple) else (tekst, 0)
    return next(n for n, r in enumerate(path.read_text().splitlines(), start=1) if tekst in r) + verschuiving


def test_the_new_soorten_are_known() -> None:
    assert {"casus", "reflectie", "evaluatie", "peiling"} <= set(SOORTEN)


def test_a_valid_kring_loads_every_field(tmp_path: Path) -> None:
    vorm = load_vorm(schrijf(tmp_path, GELDIG))
    puls, woord, casus, reflectie, evaluatie, afsluiting = vorm.fasen
    assert puls.peiling == Peiling(vraag="Hoe is de werkdruk?", vorm="schaal", laag="Laag", hoog="Hoog")
    assert woord.peiling == Peiling(vraag="Eén woord voor deze week?", vorm="woord")
    assert casus.vragen is False and reflectie.vraag == "Wat neem je mee?"
    assert evaluatie.vraag is None and afsluiting.volgende_inbrenger is True
    # Defaults: a fase without these fields behaves as before.
    assert Fase(key="a", titel="A", minuten=1, soort="welkom", instructie="i", gids="g").vragen is True


@pytest.mark.parametrize(("waarde", "verwacht"), [("ja", True), ("Nee", False), (True, True), (False, False)])
def test_ja_and_nee_are_yes_and_no(tmp_path: Path, waarde: Any, verwacht: bool) -> None:
    gegevens = copy.deepcopy(GELDIG)
    gegevens["fasen"][2]["vragen"] = waarde
    assert load_vorm(schrijf(tmp_path, gegevens)).fasen[2].vragen is verwacht


def test_the_shipped_leerkring_uses_the_new_fase_soorten() -> None:
    vorm = load_vormen(SESSIES)["leerkring"]
    per_soort = {f.soort: f for f in vorm.fasen}
    assert per_soort["casus"].vragen is True
    assert per_soort["reflectie"].vraag
    assert per_soort["evaluatie"].vraag
    assert per_soort["afsluiting"].volgende_inbrenger is True
    assert per_soort["peiling"].peiling is not None and per_soort["peiling"].peiling.vorm == "schaal"
    assert 80 <= vorm.totaal_minuten <= 100


# (change, field, start of the reason, the text on the line the message must name)
FOUTEN = [
    (
        lambda g: g["fasen"][0].update(vragen=True),
        "fasen[1].vragen",
        "hoort alleen bij soort 'casus', niet bij 'peiling'",
        "vragen: true",
    ),
    (
        lambda g: g["fasen"][2].update(vraag="Hm?"),
        "fasen[3].vraag",
        "hoort alleen bij soort 'reflectie' of 'evaluatie'",
        "vraag: Hm?",
    ),
    (
        lambda g: g["fasen"][3].update(volgende_inbrenger=True),
        "fasen[4].volgende_inbrenger",
        "hoort alleen bij soort 'afsluiting'",
        "volgende_inbrenger",
    ),
    (
        lambda g: g["fasen"][4].update(peiling={"vraag": "x", "vorm": "schaal"}),
        "fasen[5].peiling",
        "hoort alleen bij soort 'peiling'",
        ("vraag: x", -1),
    ),
    (
        lambda g: g["fasen"][2].update(vragen="misschien"),
        "fasen[3].vragen",
        "moet ja of nee zijn (nu: 'misschien')",
        "vragen: misschien",
    ),
    (
        lambda g: g["fasen"][5].update(volgende_inbrenger=1),
        "fasen[6].volgende_inbrenger",
        "moet ja of nee zijn (nu: 1)",
        "volgende_inbrenger: 1",
    ),
    (lambda g: g["fasen"][3].update(vraag=""), "fasen[4].vraag", "is leeg", "vraag: ''"),
    (
        lambda g: g["fasen"][3].update(vraag="x" * 201),
        "fasen[4].vraag",
        "is te lang: hoogstens 200 tekens (nu 201)",
        "vraag: xxx",
    ),
    (
        lambda g: g["fasen"][3].update(vraag=["unieke-lijst"]),
        "fasen[4].vraag",
        "moet tekst zijn, niet een lijst",
        ("- unieke-lijst", -1),
    ),
    (
        lambda g: g["fasen"][0]["peiling"].update(vorm="duim"),
        "fasen[1].peiling.vorm",
        "'duim' is onbekend; kies uit: schaal, woord",
        "vorm: duim",
    ),
    (
        lambda g: g["fasen"][0]["peiling"].pop("vorm"),
        "fasen[1].peiling.vorm",
        "ontbreekt; kies uit: schaal, woord",
        "peiling:",
    ),
    (
        lambda g: g["fasen"][0]["peiling"].update(kleur="rood"),
        "fasen[1].peiling.kleur",
        "is geen bekend veld (toegestaan: vraag, vorm, laag, hoog)",
        "kleur: rood",
    ),
    (
        lambda g: g["fasen"][1]["peiling"].update(laag="Weinig"),
        "fasen[2].peiling.laag",
        "hoort alleen bij vorm 'schaal', niet bij 'woord'",
        "laag: Weinig",
    ),
    (lambda g: g["fasen"][0]["peiling"].pop("vraag"), "fasen[1].peiling.vraag", "ontbreekt", "vorm: schaal"),
    (
        lambda g: g["fasen"][0]["peiling"].update(hoog="x" * 41),
        "fasen[1].peiling.hoog",
        "is te lang: hoogstens 40 tekens (nu 41)",
        "hoog: xxx",
    ),
    (
        lambda g: g["fasen"][0].update(peiling="schaal"),
        "fasen[1].peiling",
        "moet velden hebben (vraag, vorm, laag, hoog), niet tekst",
        "peiling: schaal",
    ),
    (
        lambda g: g["fasen"][0].pop("peiling"),
        "fasen[1].peiling",
        "ontbreekt: een fase 'peiling' heeft een peiling met een vraag en een vorm (schaal of woord)",
        "key: puls",
    ),
]


@pytest.mark.parametrize(("wijzig", "veld", "reden", "op_regel"), FOUTEN)
def test_wrong_fields_are_refused_with_field_reason_and_line(
    tmp_path: Path, wijzig: Any, veld: str, reden: str, op_regel: Any
) -> None:
    gegevens = copy.deepcopy(GELDIG)
    wijzig(gegevens)
    path = schrijf(tmp_path, gegevens)
    with pytest.raises(SessievormFout) as info:
        load_vorm(path)
    f = info.value
    assert f.bestand.endswith("kring.md") and f.veld == veld
    assert f.reden.startswith(reden), f.reden
    assert f.reden.endswith(f"(regel {regel_van(path, op_regel)})"), (f.reden, op_regel)


def test_a_field_of_another_soort_on_an_old_fase_is_refused(tmp_path: Path) -> None:
    gegevens = {"titel": "T", "samenvatting": "S", "fasen": [_fase("welkom", "welkom", vraag="Hoe gaat het?")]}
    assert fout(tmp_path, gegevens).veld == "fasen[1].vraag"


def test_a_merge_key_still_loads_and_a_line_that_cannot_be_found_is_left_out(tmp_path: Path) -> None:
    tekst = (
        "---\ntitel: T\nsamenvatting: S\n"
        "fasen:\n  - &basis\n    key: a\n    titel: A\n    minuten: 5\n    soort: reflectie\n"
        "    instructie: i\n    gids: g\n    vraag: Wat neem je mee?\n"
        "  - <<: *basis\n    key: b\n---\nTekst\n"
    )
    path = tmp_path / "kring.md"
    path.write_text(tekst)
    assert [f.vraag for f in load_vorm(path).fasen] == ["Wat neem je mee?", "Wat neem je mee?"]
    path.write_text(tekst.replace("  - <<: *basis\n    key: b\n", "  - <<: *basis\n    key: b\n    soort: welkom\n"))
    with pytest.raises(SessievormFout) as info:
        load_vorm(path)
    # 'vraag' came in through the merge: no line of its own, so none is named.
    assert info.value.veld == "fasen[2].vraag" and "regel" not in info.value.reden
