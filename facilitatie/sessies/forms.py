"""Forms of the sessies area (Flask-WTF gives CSRF on each)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectField, SelectMultipleField, StringField
from wtforms.validators import InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from facilitatie.accounts.rollen import PERSPECTIEF_LABELS
from facilitatie.forms_base import int_or_zero


class MultiCheckboxField(SelectMultipleField):
    """A list of checkboxes: easier on a phone than a multiple select."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class SessieForm(FlaskForm):
    titel = StringField(
        "Titel",
        validators=[
            InputRequired("Geef de sessie een titel."),
            Length(max=200, message="Een titel heeft hoogstens 200 tekens."),
        ],
    )
    sessievorm = RadioField(
        "Sessievorm", validators=[InputRequired("Kies een sessievorm.")], choices=[], validate_choice=False
    )
    # Only shown to someone who belongs to no gemeente (a beheerder of all gemeenten).
    gemeente = SelectField("Gemeente", coerce=int_or_zero, choices=[], validate_choice=False)
    teams = MultiCheckboxField("Wijkteams", coerce=int_or_zero, choices=[], validate_choice=False)
    naam_verplicht = BooleanField("Deelnemers moeten hun naam invullen")


class DeelnemenForm(FlaskForm):
    code = StringField(
        "Deelnamecode",
        validators=[
            InputRequired("Vul de deelnamecode in die de begeleider laat zien."),
            Length(max=32, message="Een deelnamecode heeft 6 tekens."),
        ],
    )
    naam = StringField(
        "Naam (optioneel)", validators=[Optional(), Length(max=80, message="Een naam heeft hoogstens 80 tekens.")]
    )
    perspectief = RadioField(
        "Perspectief",
        choices=list(PERSPECTIEF_LABELS.items()),
        default="uitvoering",
        validate_choice=False,
    )
