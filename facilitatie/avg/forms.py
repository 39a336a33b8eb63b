"""The confirmation of a deletion (Flask-WTF: CSRF on each form)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField
from wtforms.validators import InputRequired


class BevestigForm(FlaskForm):
    bevestigd = BooleanField(
        "Ik begrijp dat dit niet ongedaan kan worden gemaakt",
        validators=[InputRequired("Vink aan dat je begrijpt dat dit niet ongedaan kan worden gemaakt.")],
    )


class LeegForm(FlaskForm):
    """A button only (download): the CSRF token is the whole form."""
