"""Reading the leerkring's plain forms (CSRF comes from Flask-WTF's CSRFProtect, as on every form).

The forms are plain HTML like the knelpunten form, so they work on a phone without JavaScript;
these helpers turn what was posted into values, with a Dutch message for what cannot be read.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from werkzeug.datastructures import MultiDict

from facilitatie.forms_base import positief_id
from facilitatie.fouten import Ongeldig


def aangevinkt(form: MultiDict[str, str], naam: str) -> bool:
    return form.get(naam, "") in ("1", "on", "ja", "y", "true")


def datum(tekst: str | None, veld: str = "datum") -> date | None:
    """A date from <input type=date> (YYYY-MM-DD) or typed as DD-MM-JJJJ; empty is none."""
    tekst = (tekst or "").strip()
    if not tekst:
        return None
    try:
        if len(tekst) == 10 and tekst[2] in "-/" and tekst[5] in "-/":
            return date(int(tekst[6:]), int(tekst[3:5]), int(tekst[:2]))
        return date.fromisoformat(tekst)
    except ValueError:
        raise Ongeldig(veld, "Vul een datum in als dd-mm-jjjj, bijvoorbeeld 14-03-2027.") from None


def team_id(form: MultiDict[str, str]) -> int | None:
    return positief_id(form.get("team"))


def invoer(form: MultiDict[str, str], *velden: str) -> dict[str, Any]:
    """What was typed, to show again next to a refusal."""
    return {veld: form.get(veld, "") for veld in velden}
