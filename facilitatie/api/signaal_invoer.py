"""Reading the JSON body of POST /api/v1/knelpunten: every bad field named, in Dutch, at once.

Plain Python: the body and the gemeente's teams in, a `Signaal` or `Velden` (field → reason)
out. What the signalen service checks again (length, privacy guard) is checked there; here
only the shape, so another system learns all its mistakes from one answer.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from facilitatie.knelpunten.models import DOMEINEN
from facilitatie.tekst import MAX_KNELPUNT_LENGTE

VELDEN = ("tekst", "domein", "team", "anoniem", "client_request_id", "toch")
VERPLICHT = ("tekst", "domein", "team")
REQUEST_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
MAX_TEAMNAAM = 120
# C0 control characters other than tab, line feed and carriage return, and DEL (as facilitatie/web.py
# refuses them in forms): PostgreSQL refuses NUL in text, and nobody types them.
_STUURTEKEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
STUURTEKEN = "Bevat een onzichtbaar stuurteken (bijvoorbeeld een nul-teken) of ongeldige Unicode; haal het weg."


def _onleesbaar(tekst: str) -> bool:
    """Control characters, or lone surrogates that no database can store as UTF-8."""
    if _STUURTEKEN.search(tekst):
        return True
    try:
        tekst.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


class HeeftTeam(Protocol):
    id: int
    naam: str


@dataclass(frozen=True)
class Signaal:
    """A well-formed request to report one signaal for a team of the token's gemeente."""

    tekst: str
    domein: str
    team_id: int
    anoniem: bool
    client_request_id: str | None
    toch: bool


class Velden(ValueError):
    """One or more fields are wrong; `fouten` maps each to its Dutch reason."""

    def __init__(self, fouten: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in fouten.items()))
        self.fouten = fouten


def _team(waarde: Any, teams: Sequence[HeeftTeam], gemeente: str) -> tuple[int | None, str | None]:
    onbekend = f"Geen wijkteam van {gemeente} met dit nummer of deze naam."
    if isinstance(waarde, bool) or not isinstance(waarde, int | str):
        return None, "Geef het wijkteam als nummer (id) of als naam."
    if isinstance(waarde, int):
        gevonden = next((t.id for t in teams if t.id == waarde), None)
        return (gevonden, None) if gevonden is not None else (None, onbekend)
    naam = waarde.strip()
    if _onleesbaar(naam):
        return None, STUURTEKEN
    if not naam:
        return None, "Geef het wijkteam als nummer (id) of als naam."
    if len(naam) > MAX_TEAMNAAM:
        return None, onbekend
    gevonden = next((t.id for t in teams if t.naam.casefold() == naam.casefold()), None)
    return (gevonden, None) if gevonden is not None else (None, onbekend)


def lees(data: dict[str, Any], teams: Sequence[HeeftTeam], gemeente: str) -> Signaal:
    """The signaal in `data`, or `Velden` naming every field that is missing, of the wrong type or unknown."""
    fouten: dict[str, str] = {}
    for veld in data:
        if veld not in VELDEN:
            fouten[str(veld)[:64]] = "Onbekend veld. Toegestaan: " + ", ".join(VELDEN) + "."
    for veld in VERPLICHT:
        if data.get(veld) is None:
            fouten[veld] = {
                "tekst": "Beschrijf het knelpunt in 'tekst'.",
                "domein": "Kies een domein: " + ", ".join(DOMEINEN) + ".",
                "team": "Geef het wijkteam (nummer of naam) waar het signaal vandaan komt.",
            }[veld]

    tekst = data.get("tekst")
    if tekst is not None:
        if not isinstance(tekst, str):
            fouten["tekst"] = "'tekst' is tekst (een JSON-string)."
        elif _onleesbaar(tekst):
            fouten["tekst"] = STUURTEKEN
        elif not tekst.strip():
            fouten["tekst"] = "Beschrijf het knelpunt in 'tekst'; die is nu leeg."
        elif len(tekst.strip()) > MAX_KNELPUNT_LENGTE:
            fouten["tekst"] = f"Gebruik hoogstens {MAX_KNELPUNT_LENGTE} tekens (nu {len(tekst.strip())})."

    domein = data.get("domein")
    if domein is not None and (not isinstance(domein, str) or domein not in DOMEINEN):
        fouten["domein"] = "Kies een domein uit de lijst: " + ", ".join(DOMEINEN) + "."

    team_id = None
    if data.get("team") is not None:
        team_id, fout = _team(data["team"], teams, gemeente)
        if fout:
            fouten["team"] = fout

    for veld in ("anoniem", "toch"):
        if veld in data and not isinstance(data[veld], bool):
            fouten[veld] = f"'{veld}' is true of false."

    request_id = data.get("client_request_id")
    if request_id is not None and (not isinstance(request_id, str) or not REQUEST_ID.fullmatch(request_id)):
        fouten["client_request_id"] = "Gebruik 8 tot 64 tekens: letters, cijfers, '-' en '_' (bijvoorbeeld een UUID)."

    if fouten:
        raise Velden(fouten)
    assert isinstance(tekst, str) and isinstance(domein, str) and team_id is not None
    return Signaal(
        tekst=tekst.strip(),
        domein=domein,
        team_id=team_id,
        anoniem=data.get("anoniem") is True,
        client_request_id=request_id,
        toch=data.get("toch") is True,
    )
