"""Template globals and filters shared by every area."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Flask, request, url_for
from flask_wtf.csrf import generate_csrf

from facilitatie.accounts.perspectieven import label_van
from facilitatie.accounts.rollen import MENU, ROL_LABELS, Rol
from facilitatie.sessies import toegang
from facilitatie.sessies.codes import display as code_display

MAANDEN = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)


def datum(value: datetime | None) -> str:
    """Dutch date as people write it: 23 november 2026."""
    if value is None:
        return ""
    return f"{value.day} {MAANDEN[value.month - 1]} {value.year}"


def hoofdmenu(user: Any) -> list[tuple[str, str, str | None]]:
    """The main menu of this user's role: (label, URL, aria-current value or None)."""
    if not user.is_authenticated:
        items = [("Deelnemen", url_for("main.start")), ("Inloggen", url_for("accounts.inloggen"))]
    else:
        items = []
        for label, endpoint in MENU.get(user.rol, ()):
            if endpoint.startswith("signalen.") and not user.gemeente_id:
                continue  # signalen belong to a gemeente: without one these pages answer 403
            if endpoint == "opvolging.terugkoppeling_team":
                if user.team_id:
                    items.append((label, url_for(endpoint, team_id=user.team_id)))
            elif endpoint == "opvolging.gevonden_ruimte":
                # The register is per gemeente: an account without one has none to read.
                if user.gemeente_id or user.rol == Rol.BEHEERDER:
                    items.append((label, url_for(endpoint)))
            else:
                items.append((label, url_for(endpoint)))
    menu = []
    for label, url in items:
        huidig = None
        if request.path == url:
            huidig = "page"
        elif url != "/" and request.path.startswith(url + "/"):
            huidig = "true"  # a page inside this part of the site
        menu.append((label, url, huidig))
    return menu


def register(app: Flask) -> None:
    app.jinja_env.filters["code"] = code_display
    app.jinja_env.filters["datum"] = datum
    app.jinja_env.filters["rol_label"] = lambda rol: ROL_LABELS.get(rol, rol)
    app.jinja_env.filters["perspectief_label"] = label_van  # a gemeente's own perspectives too
    app.jinja_env.globals["csrf_value"] = generate_csrf
    app.jinja_env.globals["Rol"] = Rol
    app.jinja_env.globals["hoofdmenu"] = hoofdmenu
    app.jinja_env.globals["deelname_weigeringen"] = toegang.meldingen
