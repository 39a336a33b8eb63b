"""Forms of the signalen area: they parse what was posted; the commands hold the rules."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import Optional

from facilitatie.forms_base import int_or_zero, positief_id
from facilitatie.knelpunten.forms import GEEN_TEAM, Vinkje
from facilitatie.tekst import MAX_KNELPUNT_LENGTE


class SignaalForm(FlaskForm):
    """ "Signaal melden": from the start page (signed in) or a team's meldlink."""

    tekst = TextAreaField("Signaal", default="", render_kw={"maxlength": MAX_KNELPUNT_LENGTE, "rows": 6})
    domein = StringField("Domein", default="")
    team = StringField("Wijkteam", default="")
    naam = StringField("Naam (optioneel)", default="", render_kw={"maxlength": 80})
    anoniem = Vinkje("Anoniem indienen", validators=[Optional()])
    bevestigd = Vinkje("Toch indienen", validators=[Optional()])
    client_request_id = HiddenField()

    @property
    def team_id(self) -> int | None:
        return None if self.team.data == GEEN_TEAM else (int_or_zero(self.team.data) or None)

    @property
    def team_gekozen(self) -> bool:
        """A wijkteam or 'Geen wijkteam' chosen on purpose (not merely nothing chosen)."""
        return bool(self.team.data)

    def invoer(self) -> dict[str, object]:
        """What was typed, to show again next to an error (nothing typed is lost)."""
        return {
            "tekst": self.tekst.data or "",
            "domein": self.domein.data or "",
            "team": self.team.data or "",
            "naam": self.naam.data or "",
            "anoniem": bool(self.anoniem.data),
        }


class AgendaForm(FlaskForm):
    """Put chosen signalen on the agenda of a concept sessie."""

    signalen = SelectMultipleField("Signalen", choices=[], validate_choice=False)
    sessie = StringField("Sessie", default="")

    @property
    def signaal_ids(self) -> list[int]:
        # A junk id stays in as -1, so it is refused (404) instead of silently dropped.
        return [positief_id(w) or -1 for w in self.signalen.data or []]

    @property
    def sessie_id(self) -> int | None:
        return positief_id(self.sessie.data)


class MeldlinkForm(FlaskForm):
    """Make, renew or revoke a team's meldlink (only the CSRF token)."""


class OpgelostForm(FlaskForm):
    """ "Is het opgelost?": ja, deels or nee, with a toelichting."""

    antwoord = StringField("Is het opgelost?", default="")
    toelichting = TextAreaField("Toelichting", default="", render_kw={"maxlength": 2000, "rows": 3})
    bevestigd = Vinkje("Toch opslaan", validators=[Optional()])
    next = HiddenField()

    def voor_vraag(self, vraag_id: int) -> OpgelostForm:
        """Give the fields the ids the question's fragment uses (`vraag-<id>-…`), so the error
        summary of the page links to controls that exist; the answer links to its first radio."""
        self.antwoord.id = f"vraag-{vraag_id}-ja"
        self.toelichting.id = f"vraag-{vraag_id}-toelichting"
        self.bevestigd.id = f"vraag-{vraag_id}-toch"
        return self
