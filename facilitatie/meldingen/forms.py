"""The "Meldingen per e-mail" switches, the afmelden button and the beheerder's retry (CSRF on each)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectMultipleField


class VoorkeurenForm(FlaskForm):
    # Choices are checked by the service (a Dutch message), not by WTForms (an English one).
    soorten = SelectMultipleField("Stuur mij een e-mail bij", choices=[], validate_choice=False)


class KnopForm(FlaskForm):
    """A button only: the CSRF token is the whole form."""
