"""Forms of the verwachtingen area (Flask-WTF gives CSRF on each)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, StringField, TextAreaField
from wtforms.validators import Optional

from facilitatie.verwachtingen.models import UITKOMST_LABELS


class VerwachtingForm(FlaskForm):
    # Lengths and required-ness are checked in the service, with Dutch messages.
    tekst = TextAreaField(
        "Verwachting",
        description=(
            "Kort en toetsbaar, bijvoorbeeld ‘Elk gezin heeft binnen twee weken één plan’ (hoogstens 300 tekens)."
        ),
    )
    bron = StringField("Bron (optioneel)", description="Bijvoorbeeld een beleidsnota of convenant.")
    toelichting = TextAreaField("Toelichting (optioneel)")
    toch = BooleanField("Toch toevoegen", validators=[Optional()])


class AmbitieForm(FlaskForm):
    uitkomst = RadioField("Bijgesteld ambitieniveau", choices=list(UITKOMST_LABELS.items()), validate_choice=False)
    nieuwe_formulering = TextAreaField(
        "Nieuwe formulering", description="Alleen bij bijstellen: hoe luidt de verwachting nu?"
    )
    toelichting = TextAreaField(
        "Toelichting",
        description="Waarom kiest de groep hiervoor? Verplicht bij anders organiseren (hoe?) en loslaten (waarom?).",
    )
    toch = BooleanField("Toch vastleggen", validators=[Optional()])


class InstellingenForm(FlaskForm):
    iqr_max = StringField("Consensus: interkwartielafstand hoogstens")
    aandeel_min = StringField("Consensus: aandeel binnen één punt van de mediaan, in procenten")
    min_groep = StringField(
        "Kleinste groep die apart getoond wordt",
        description="Minstens 3. Kleinere groepen tellen alleen mee in de cijfers van alle deelnemers samen.",
    )
