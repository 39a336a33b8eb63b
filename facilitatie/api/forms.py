"""The form of the personal API token page (Flask-WTF gives CSRF)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import StringField

from facilitatie.api.tokens import MAX_NAAM


class TokenForm(FlaskForm):
    # The rules and their Dutch messages are in tokens.maak; the form carries the limit the page shows.
    naam = StringField("Naam van het token", render_kw={"maxlength": MAX_NAAM})
