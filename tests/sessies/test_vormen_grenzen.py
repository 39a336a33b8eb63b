"""Sessievormen, issue 16: the boundaries no test pinned (loading a folder, minuten, slug length)."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

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
