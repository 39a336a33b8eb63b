"""Sign-in and beheer forms (Flask-WTF gives CSRF on each)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField, StringField
from wtforms.validators import InputRequired, Length, Optional

from facilitatie.accounts.models import WERKMODEL_LABELS
from facilitatie.accounts.rollen import PERSPECTIEF_LABELS, ROL_LABELS
from facilitatie.accounts.wachtwoorden import MAX_WACHTWOORD, MIN_WACHTWOORD
from facilitatie.forms_base import int_or_zero


class LoginForm(FlaskForm):
    email = StringField(
        "E-mailadres",
        validators=[InputRequired("Vul je e-mailadres in."), Length(max=254, message="Dit e-mailadres is te lang.")],
    )
    wachtwoord = PasswordField(
        "Wachtwoord",
        validators=[InputRequired("Vul je wachtwoord in."), Length(max=200, message="Dit wachtwoord is te lang.")],
    )


class GemeenteForm(FlaskForm):
    naam = StringField(
        "Naam", validators=[InputRequired("Vul de naam in."), Length(max=120, message="Hoogstens 120 tekens.")]
    )


class TeamForm(FlaskForm):
    naam = StringField(
        "Naam", validators=[InputRequired("Vul de naam in."), Length(max=120, message="Hoogstens 120 tekens.")]
    )
    gemeente = SelectField("Gemeente", coerce=int_or_zero, choices=[], validate_choice=False)
    werkmodel = SelectField("Werkmodel", choices=list(WERKMODEL_LABELS.items()), validate_choice=False)


class UserForm(FlaskForm):
    naam = StringField(
        "Naam", validators=[InputRequired("Vul de naam in."), Length(max=120, message="Hoogstens 120 tekens.")]
    )
    email = StringField(
        "E-mailadres",
        validators=[InputRequired("Vul het e-mailadres in."), Length(max=254, message="Dit e-mailadres is te lang.")],
    )
    rol = SelectField("Rol", choices=list(ROL_LABELS.items()), validate_choice=False)
    perspectief = SelectField(
        "Perspectief", choices=[("", "Volgt uit de rol"), *PERSPECTIEF_LABELS.items()], validate_choice=False
    )
    gemeente = SelectField("Gemeente", coerce=int_or_zero, choices=[], validate_choice=False)
    team = SelectField("Wijkteam", coerce=int_or_zero, choices=[], validate_choice=False)
    wachtwoord = PasswordField(
        "Wachtwoord",
        validators=[Optional(), Length(max=MAX_WACHTWOORD, message="Dit wachtwoord is te lang.")],
        description=(
            f"Minstens {MIN_WACHTWOORD} tekens, niet een veelgebruikt of uitgelekt wachtwoord; een zin van een "
            "paar woorden werkt goed. Wie met dit account is ingelogd, moet daarna opnieuw inloggen. "
            "Laat leeg om het wachtwoord niet te wijzigen."
        ),
    )


class PerspectiefForm(FlaskForm):
    """Add a perspective to a gemeente (the key is made from the name)."""

    label = StringField(
        "Naam van het perspectief",
        validators=[InputRequired("Geef het perspectief een naam."), Length(max=80, message="Hoogstens 80 tekens.")],
    )


class PerspectiefWijzigenForm(FlaskForm):
    """Rename a perspective and set its place in the list."""

    label = StringField(
        "Naam",
        validators=[InputRequired("Geef het perspectief een naam."), Length(max=80, message="Hoogstens 80 tekens.")],
    )
    volgorde = StringField("Volgorde", validators=[Optional()])
