"""Forms of the knelpunten area: they parse what was posted; the commands hold the rules.

Flask-WTF gives each its CSRF check. Field names are those the templates and live.js post.
Ids and numbers that are not numbers become 0 (no such row) rather than an English error:
the command then answers in Dutch. Limits live in `invoer.py` and `tekst.py`, next to the rules.
"""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, IntegerField, StringField, TextAreaField
from wtforms.validators import Optional

from facilitatie.forms_base import int_or_zero
from facilitatie.fouten import Ongeldig
from facilitatie.knelpunten.models import KNELPUNT, THEMA

_JA = ("1", "y", "on", "true")


class Vinkje(BooleanField):
    """A checkbox as our templates post it: value 1 (or y/on/true) means yes."""

    false_values = ("", "0", "false", "off", "n", "no")

    def process_formdata(self, valuelist: list[str]) -> None:
        self.data = bool(valuelist) and valuelist[0] in _JA


class Getal(IntegerField):
    """An id or a number; junk is 0, never an English WTForms error."""

    def process_formdata(self, valuelist: list[str]) -> None:
        self.data = int_or_zero(valuelist[0]) if valuelist else 0


GEEN_TEAM = "geen"  # the Wijkteam option "Geen wijkteam"


class KnelpuntForm(FlaskForm):
    """Knelpunt indienen (and bewerken: tekst and domein only)."""

    tekst = TextAreaField("Knelpunt", default="")
    domein = StringField("Domein", default="")
    team = StringField("Wijkteam", default="")
    anoniem = Vinkje("Anoniem indienen", validators=[Optional()])
    bevestigd = Vinkje("Toch indienen", validators=[Optional()])
    aanpassen = Vinkje("Aanpassen", validators=[Optional()])
    client_request_id = HiddenField()

    @property
    def team_id(self) -> int | None:
        return int_or_zero(self.team.data) or None

    @property
    def zonder_team(self) -> bool:
        """'Geen wijkteam' chosen on purpose (not merely nothing chosen)."""
        return self.team.data == GEEN_TEAM

    def invoer(self) -> dict[str, object]:
        """What was typed, to show again next to an error (nothing typed is lost)."""
        return {
            "tekst": self.tekst.data or "",
            "domein": self.domein.data or "",
            "team": self.team.data or "",
            "anoniem": bool(self.anoniem.data),
        }


class ItemForm(FlaskForm):
    """Which thema or knelpunt a stem, a reactie or a dialoog action is about."""

    soort = StringField(default="")
    item = Getal()

    def gekozen(self) -> tuple[str, int]:
        """(soort, id) of a thema or knelpunt; `Ongeldig` for anything else."""
        if self.soort.data not in (THEMA, KNELPUNT):
            raise Ongeldig("item", "Kies een thema of knelpunt uit de lijst.")
        return self.soort.data, self.item.data or 0


class StemForm(ItemForm):
    """Stem and Stem intrekken: the request id makes a stem sent again count once; `van` is the
    number of stemmen on the item the deelnemer saw, so intrekken sent again takes back one."""

    client_request_id = HiddenField()
    van = Getal()


class ReactieForm(ItemForm):
    tekst = TextAreaField("Reactie", default="")
    bevestigd = Vinkje("Toch plaatsen", validators=[Optional()])
    aanpassen = Vinkje("Aanpassen", validators=[Optional()])
    client_request_id = HiddenField()


class BesprokenForm(ItemForm):
    waarde = StringField(default="1")


class RedenForm(FlaskForm):
    """Verbergen: the begeleider's reason, kept in the audit trail."""

    reden = TextAreaField("Reden", default="")


class ThemaForm(FlaskForm):
    naam = StringField("Naam van het thema", default="")
    bevestigd = Vinkje("Toch opslaan", validators=[Optional()])


class VerplaatsForm(FlaskForm):
    thema = Getal("Verplaats naar thema")


class InstellingenForm(FlaskForm):
    verborgen_tot_onthulling = Vinkje("Knelpunten pas tonen na onthullen", validators=[Optional()])
    stemmen_per_deelnemer = Getal("Stemmen per deelnemer")
    max_per_item = Getal("Hoogstens per onderwerp")
    deelnemers_bundelen = Vinkje("Deelnemers mogen bundelen", validators=[Optional()])
    stemmen_op = StringField("Stemmen op", default=THEMA)
    inbreng_open = Vinkje("Inbreng vooraf", validators=[Optional()])


class TimerForm(FlaskForm):
    actie = StringField(default="")
    minuten = Getal("Minuten")
    label = StringField("Waarvoor", default="")
