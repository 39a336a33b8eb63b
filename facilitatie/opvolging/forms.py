"""Forms of the opvolging area (Flask-WTF gives CSRF on each).

The rules and their Dutch messages live in the service (service.py, regels.py): these forms
only read what was posted and carry the limits the templates show (`maxlength` from the same
constants the service checks), so a form never refuses with a message of its own. Several
forms of one kind share a page (a besluit per knelpunt), so `met_ids` gives each its own
element ids while the field names stay what the service and the tests post.
"""

from __future__ import annotations

from typing import TypeVar

from flask_wtf import FlaskForm
from wtforms import BooleanField, Field, HiddenField, RadioField, SelectField, SelectMultipleField, StringField
from wtforms import TextAreaField as _TextAreaField

from facilitatie.opvolging.regelruimte import KNEL_LABELS, MAX_RUIMTE, OPLOSSER_LABELS
from facilitatie.opvolging.regels import (
    BESLUIT_LABELS,
    MAX_AFDELING,
    MAX_DOORVERWEZEN_NAAR,
    MAX_OMSCHRIJVING,
    MAX_REEKSNAAM,
)

F = TypeVar("F", bound=FlaskForm)


def _lengte(maximum: int) -> dict[str, int]:
    return {"maxlength": maximum}


class TextAreaField(_TextAreaField):
    """A textarea of two rows (the size every opvolging note starts at), bounded where the service bounds it."""

    def __init__(self, label: str, *args: object, maximum: int | None = None, **kwargs: object) -> None:
        render_kw = {"rows": 2, **({"maxlength": maximum} if maximum else {})}
        super().__init__(label, *args, render_kw=render_kw, **kwargs)  # type: ignore[arg-type]


class TochField(BooleanField):
    """'Save anyway' after a privacy warning: only an explicit yes counts (1, y, on, ja)."""

    def process_formdata(self, valuelist: list[str]) -> None:
        self.data = bool(valuelist) and valuelist[0] in ("1", "y", "on", "ja")


class OpvolgingForm(FlaskForm):
    hoofdveld = ""
    """Where a refusal that names no field of this form is shown."""

    def vraagt_toch(self) -> bool:
        """Whether a privacy warning offers 'Toch opslaan' (then the form shows that checkbox)."""
        return any("Toch opslaan" in bericht for veld in self for bericht in veld.errors)


class BesluitForm(OpvolgingForm):
    hoofdveld = "soort"
    soort = RadioField(
        "Besluit", choices=[(s.value, label) for s, label in BESLUIT_LABELS.items()], validate_choice=False
    )
    reden = TextAreaField("Reden", description="Verplicht bij Niet opgepakt: het wijkteam leest waarom.")
    doorverwezen_naar = StringField(
        "Doorverwezen naar",
        description="Verplicht bij Doorverwezen: naar wie of welke organisatie.",
        render_kw=_lengte(MAX_DOORVERWEZEN_NAAR),
    )
    toelichting = TextAreaField("Toelichting", description="Bij Al opgelost: hoe het is opgelost.")
    toch = TochField("Toch opslaan")


class ActieForm(OpvolgingForm):
    hoofdveld = "omschrijving"
    omschrijving = TextAreaField(
        "Omschrijving", description="Klein en concreet, begin met een werkwoord.", maximum=MAX_OMSCHRIJVING
    )
    eigenaar = SelectField("Eigenaar", choices=[], validate_choice=False)
    afdeling = StringField(
        "Afdeling (optioneel)",
        description="Ligt de actie bij een afdeling, noem die; de eigenaar is dan het aanspreekpunt.",
        render_kw=_lengte(MAX_AFDELING),
    )
    streefdatum = StringField("Streefdatum")
    verwachting = SelectField("Hoort bij verwachting (optioneel)", choices=[], validate_choice=False)
    knelpunten = SelectMultipleField("Hoort bij knelpunten", choices=[], validate_choice=False)
    toch = TochField("Toch opslaan")


class ActieWijzigenForm(OpvolgingForm):
    hoofdveld = "eigenaar"
    eigenaar = SelectField("Eigenaar", choices=[], validate_choice=False)
    afdeling = StringField("Afdeling (optioneel)", render_kw=_lengte(MAX_AFDELING))
    streefdatum = StringField("Streefdatum")
    toelichting = TextAreaField("Toelichting")
    reden = TextAreaField("Waarom")
    toch = TochField("Toch opslaan")


class StatusForm(OpvolgingForm):
    hoofdveld = "status"
    status = SelectField("Nieuwe status", choices=[], validate_choice=False)
    reden = TextAreaField("Voortgangsnotitie")
    toch = TochField("Toch opslaan")


class EerderGemeldForm(FlaskForm):
    eerder = HiddenField()
    score = HiddenField()

    def score_getal(self) -> float | None:
        """The similarity score the suggestion carried; junk is dropped, never an error."""
        try:
            return float(self.score.data or "")
        except ValueError:
            return None


class ReeksForm(OpvolgingForm):
    hoofdveld = "reeks"
    reeks = SelectField("Bestaande reeks", choices=[], validate_choice=False)
    naam = StringField("Of een nieuwe reeks", render_kw=_lengte(MAX_REEKSNAAM))


def met_ids(form: F, voorvoegsel: str) -> F:
    """Give every field the element id `<voorvoegsel>-<name>`, so forms of one kind can share a page."""
    veld: Field
    for veld in form:
        veld.id = f"{voorvoegsel}-{veld.name}"
    return form


# --------------------------------------------------------------------------- regelruimte


class RegelruimteForm(OpvolgingForm):
    """Where the knel sits and who can resolve it: two closed choices, so they can be counted."""

    hoofdveld = "knel"
    knel = SelectField(
        "Waar zit de knel?",
        choices=[("", "Kies waar de knel zit"), *KNEL_LABELS.items()],
        validate_choice=False,
    )
    oplosser = SelectField(
        "Wie kan het oplossen?",
        choices=[("", "Kies wie het kan oplossen"), *OPLOSSER_LABELS.items()],
        validate_choice=False,
    )


class GevondenRuimteForm(OpvolgingForm):
    """Mark a besluit as 'ruimte die er al was': the text every team of the gemeente will read."""

    hoofdveld = "omschrijving"
    omschrijving = TextAreaField(
        "Welke ruimte was er al?",
        description="Alle wijkteams van de gemeente lezen dit in Gevonden ruimte: schrijf het zo dat een ander "
        "team er zelf mee verder kan, zonder namen of gegevens van inwoners.",
        maximum=MAX_RUIMTE,
    )
    toch = TochField("Toch opslaan")
