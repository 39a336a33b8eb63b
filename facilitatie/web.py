"""Start page, health check and the Dutch error pages."""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, Flask, current_app, jsonify, render_template, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy import select, text
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter

from facilitatie import limieten, realtime
from facilitatie.extensions import db
from facilitatie.fouten import Geweigerd, NietGevonden
from facilitatie.meldingen import verzenden
from facilitatie.sessies.forms import DeelnemenForm
from facilitatie.sessies.models import Sessie, Status

bp = Blueprint("main", __name__)


@bp.get("/")
def start() -> str:
    """Join with a code; signed-in users also see their work."""
    sessies: list[Sessie] = []
    if current_user.is_authenticated:
        sessies = list(
            db.session.scalars(
                select(Sessie)
                .where(Sessie.begeleider_id == current_user.id, Sessie.status != Status.AFGESLOTEN)
                .order_by(Sessie.aangemaakt_op.desc())
                .limit(10)
            )
        )
    return render_template("start.html", form=DeelnemenForm(), sessies=sessies)


@bp.get("/toegankelijkheid")
def toegankelijkheid() -> str:
    """The toegankelijkheidsverklaring: status, what was tested and how, known issues, contact."""
    return render_template("toegankelijkheid.html", contact=current_app.config.get("TOEGANKELIJKHEID_CONTACT"))


@bp.get("/healthz")
def healthz() -> tuple[str, int, dict[str, str]]:
    """200 ok when the database, the limit storage and (once tried) the mail server answer (for monitoring)."""
    tekst = {"Content-Type": "text/plain; charset=utf-8"}
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any database failure means unhealthy
        return "database onbereikbaar", 503, tekst
    if (fout := realtime.berichtenwachtrij_fout(current_app.config.get("SOCKETIO_MESSAGE_QUEUE"))) is not None:
        return fout, 503, tekst
    if limieten.aan() and not limieten.tellers().bereikbaar():
        return "opslag voor limieten onbereikbaar (RATELIMIT_STORAGE_URI)", 503, tekst
    if (fout := verzenden.gezondheid()) is not None:
        return fout, 503, tekst
    return "ok", 200, tekst


MELDINGEN = {
    400: ("Ongeldig verzoek", "Het verzoek kon niet worden verwerkt. Ga terug en probeer het opnieuw."),
    403: ("Geen toegang", "Je hebt geen toegang tot deze pagina of actie."),
    404: ("Niet gevonden", "Deze pagina bestaat niet (meer). Controleer het adres."),
    405: ("Niet toegestaan", "Deze actie kan zo niet worden uitgevoerd."),
    413: ("Te groot", "Wat je verstuurde is te groot."),
    429: ("Even wachten", "Te veel pogingen achter elkaar. Wacht een minuut en probeer het dan opnieuw."),
    500: ("Er ging iets mis", "Er ging aan onze kant iets mis. Probeer het later opnieuw."),
}


def _error_page(status: int, bericht: str | None = None) -> tuple[Any, int]:
    titel, standaard = MELDINGEN.get(status, MELDINGEN[400] if status < 500 else MELDINGEN[500])
    if request.path.startswith("/api/"):
        # Also before the API's own handlers run (no route matched): the API answers JSON.
        return jsonify({"fout": bericht or standaard}), status
    template = "_fout_fragment.html" if request.headers.get("HX-Request") else "fout.html"
    return render_template(template, titel=titel, bericht=bericht or standaard, status=status), status


class Id(IntegerConverter):
    """`<int:…>` in every route: a number that fits a database id, else 404 (never a 500 from
    PostgreSQL comparing an integer column with 2**70)."""

    def __init__(self, map, *args, **kwargs) -> None:
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(map, *args, **kwargs)


# C0 control characters other than tab, line feed and carriage return, and DEL: PostgreSQL
# refuses NUL in text and SQLite would store it; neither belongs in anything a person types.
_STUURTEKEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
STUURTEKEN_BERICHT = (
    "Wat je verstuurde bevat een onzichtbaar stuurteken (bijvoorbeeld een nul-teken) dat we niet kunnen "
    "opslaan. Haal het weg of typ de tekst opnieuw, en probeer het nog eens. Er is niets opgeslagen."
)


def _stuurteken_in_invoer() -> bool:
    waarden = [*request.args.values(), *request.form.values(), *request.form.keys(), *request.args.keys()]
    return any(_STUURTEKEN.search(w) for w in waarden)


def register_url_converters(app: Flask) -> None:
    """Before any blueprint: ids in URLs are bounded (see `Id`)."""
    app.url_map.converters["int"] = Id


def register_error_handlers(app: Flask) -> None:
    @app.before_request
    def _geen_stuurtekens() -> tuple[object, int] | None:
        """Refuse control characters in any submitted value, the same way on both databases."""
        if not _stuurteken_in_invoer():
            return None
        if request.path.startswith("/api/"):
            return jsonify({"fout": STUURTEKEN_BERICHT}), 400
        return _error_page(400, STUURTEKEN_BERICHT)

    @app.errorhandler(CSRFError)
    def csrf_error(_exc: CSRFError) -> tuple[str, int]:
        return _error_page(
            400,
            "Het formulier is verlopen of ongeldig (beveiligingscontrole). "
            "Laad de pagina opnieuw en probeer het nog eens.",
        )

    @app.errorhandler(Geweigerd)
    def geweigerd(exc: Geweigerd) -> tuple[str, int]:
        return _error_page(403, exc.bericht)

    @app.errorhandler(NietGevonden)
    def niet_gevonden(_exc: NietGevonden) -> tuple[str, int]:
        return _error_page(404)

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> tuple[str, int]:
        return _error_page(exc.code or 500)

    @app.errorhandler(Exception)
    def server_error(exc: Exception) -> tuple[str, int]:
        app.logger.exception("onverwachte fout", exc_info=exc)
        db.session.rollback()
        return _error_page(500)
