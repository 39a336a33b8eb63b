"""A gemeente may reuse the code: LICENSE holds the EUPL-1.2 and publiccode.yml describes Ontmoet (issue 14, 12)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent

# publiccode.yml v0.4: the top-level keys a catalogue requires, and the allowed values used here.
VERPLICHT = (
    "publiccodeYmlVersion", "name", "url", "platforms", "categories", "developmentStatus",
    "softwareType", "description", "legal", "maintenance", "localisation",
)
STATUSSEN = {"concept", "development", "beta", "stable", "obsolete"}
SOORTEN = {
    "standalone/mobile", "standalone/iot", "standalone/desktop", "standalone/web",
    "standalone/backend", "standalone/other", "addon", "library", "configurationFiles",
}


def test_license_is_the_full_eupl_1_2():
    tekst = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert tekst.startswith("EUROPEAN UNION PUBLIC LICENCE v. 1.2\nEUPL © the European Union 2007, 2016\n")
    artikelen = re.findall(r"^(\d+)\.\s?[A-Z]", tekst, flags=re.MULTILINE)
    assert [int(a) for a in artikelen] == list(range(1, 16))
    # The appendix of compatible licences closes the text.
    assert "Appendix" in tekst and "Québec Free and Open-Source Licence" in tekst
    slot = "All other changes or additions to this Appendix require the production of a new EUPL version."
    assert tekst.rstrip().endswith(slot)


def test_publiccode_yml_follows_the_standard():
    code = yaml.safe_load((ROOT / "publiccode.yml").read_text(encoding="utf-8"))
    for sleutel in VERPLICHT:
        assert sleutel in code, sleutel
    assert code["publiccodeYmlVersion"] == "0.4"
    assert code["name"] == "Ontmoet"
    assert re.match(r"https?://", code["url"])
    assert code["developmentStatus"] in STATUSSEN
    assert code["softwareType"] in SOORTEN
    assert "web" in code["platforms"]
    date.fromisoformat(code["releaseDate"])
    assert code["legal"]["license"] == "EUPL-1.2"
    assert code["maintenance"]["type"] in {"internal", "contract", "community", "none"}
    if code["maintenance"]["type"] in {"internal", "community", "contract"}:
        assert code["maintenance"]["contacts"]
    assert isinstance(code["localisation"]["localisationReady"], bool)
    assert "nl" in code["localisation"]["availableLanguages"]


def test_publiccode_yml_describes_ontmoet_in_dutch_and_english():
    beschrijving = yaml.safe_load((ROOT / "publiccode.yml").read_text(encoding="utf-8"))["description"]
    assert set(beschrijving) >= {"nl", "en"}
    for taal in ("nl", "en"):
        deel = beschrijving[taal]
        assert 0 < len(deel["shortDescription"]) <= 150, taal
        assert 150 <= len(deel["longDescription"]) <= 10000, taal
        assert deel["features"] and all(isinstance(f, str) and f for f in deel["features"])
    assert "knelpunten" in beschrijving["nl"]["longDescription"]


def test_project_metadata_names_the_same_licence():
    assert 'license = "EUPL-1.2"' in (ROOT / "pyproject.toml").read_text(encoding="utf-8")
