"""Template globals and filters shared by every area."""

from __future__ import annotations

from datetime import datetime

from flask import Flask
from flask_wtf.csrf import generate_csrf

from facilitatie.accounts.rollen import PERSPECTIEF_LABELS, ROL_LABELS, Rol
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


def register(app: Flask) -> None:
    app.jinja_env.filters["code"] = code_display
    app.jinja_env.filters["datum"] = datum
    app.jinja_env.filters["rol_label"] = lambda rol: ROL_LABELS.get(rol, rol)
    app.jinja_env.filters["perspectief_label"] = lambda p: PERSPECTIEF_LABELS.get(p, p or "")
    app.jinja_env.globals["csrf_value"] = generate_csrf
    app.jinja_env.globals["Rol"] = Rol
    app.jinja_env.globals["deelname_weigeringen"] = toegang.meldingen
