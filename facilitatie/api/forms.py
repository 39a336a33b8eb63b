"""Forms of the API pages: personal tokens and webhooks (Flask-WTF gives CSRF)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField

from facilitatie.api.tokens import LEZEN, MAX_NAAM, SIGNALEN_SCHRIJVEN
from facilitatie.api.webhooks import MAX_NAAM as MAX_WEBHOOK_NAAM
from facilitatie.api.webhooks import MAX_URL
from facilitatie.forms_base import positief_id


class TokenForm(FlaskForm):
    # The rules and their Dutch messages are in tokens.maak; the form carries the limit the page shows.
    naam = StringField("Naam van het token", render_kw={"maxlength": MAX_NAAM})
    scope = RadioField(
        "Wat mag het token?",
        choices=[
            (LEZEN, "Lezen: alles wat jij mag zien (en de status van jouw acties bijwerken)"),
            (SIGNALEN_SCHRIJVEN, "Signalen melden voor één gemeente (voor een ander systeem; verder niets)"),
        ],
        default=LEZEN,
        validate_choice=False,
    )
    gemeente = SelectField("Gemeente", coerce=positief_id, validate_choice=False)


class WebhookForm(FlaskForm):
    naam = StringField(
        "Naam",
        description="Bijvoorbeeld het systeem dat de meldingen ontvangt.",
        render_kw={"maxlength": MAX_WEBHOOK_NAAM},
    )
    url = StringField(
        "URL",
        description="Waar Ontmoet elke melding heen stuurt (POST, JSON). Begint met https://.",
        render_kw={"maxlength": MAX_URL},
    )
    gemeente = SelectField("Gemeente", coerce=positief_id, validate_choice=False)
