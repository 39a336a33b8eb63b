"""The volglink page, /volg/<token> (thin: limit, look up, render).

Whoever holds the link sees it; there is no sign-in. A wrong, withdrawn or removed link gets
the same friendly 404, counted against the address (toegang.py), so the answer never tells
whether a knelpunt exists. The page is private: never cached, never indexed, and it sends no
Referer, so its secret address does not travel to the next page.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from facilitatie import beveiliging
from facilitatie.fouten import Ongeldig
from facilitatie.opvolging.fragmenten import vandaag
from facilitatie.opvolging.regels import is_te_laat
from facilitatie.signalen import lezen as signalen_lezen
from facilitatie.signalen import service as signalen_service
from facilitatie.signalen.forms import OpgelostForm
from facilitatie.volgen import lezen, models, toegang  # noqa: F401 - models registers the table
from facilitatie.web_helpers import attach_error

bp = Blueprint("volgen", __name__)

PRIVE = {
    "Cache-Control": "private, no-store",
    "X-Robots-Tag": "noindex, nofollow",
}


def _prive(html: str, status: int, **extra: str) -> Response:
    return Response(html, status, {**PRIVE, **extra}, mimetype="text/html")


def _knelpunt_of_weigering(token: str) -> tuple[object | None, Response | None]:
    """The knelpunt behind a volglink, or the answer to give instead (limited, not found)."""
    beveiliging.geen_referrer()
    weigering = toegang.voor_poging(request.remote_addr)
    if weigering is not None:
        html = render_template("volgen/niet_gevonden.html", titel="Even wachten", bericht=weigering.bericht)
        return None, _prive(html, 429, **{"Retry-After": str(weigering.opnieuw_over)})
    knelpunt = lezen.knelpunt_bij_token(token)
    if knelpunt is None:
        toegang.na_mislukte_poging(request.remote_addr)
        return None, _prive(render_template("volgen/niet_gevonden.html", titel="Volglink niet gevonden"), 404)
    return knelpunt, None


def _pagina(knelpunt: object, token: str, vraag_form: OpgelostForm | None = None, status: int = 200) -> Response:
    stand = lezen.volgstand(knelpunt, vandaag())
    html = render_template(
        "volgen/pagina.html",
        stand=stand,
        is_te_laat=is_te_laat,
        eigenaar_tekst=lezen.eigenaar_tekst,
        historie_uitleg=lezen.historie_uitleg,
        opgelost_vraag=signalen_lezen.open_vraag_over(knelpunt.id),  # type: ignore[attr-defined]
        opgelost_doel=url_for(".opgelost", token=token),
        vraag_form=vraag_form,
    )
    return _prive(html, status)


@bp.get("/volg/<token>")
def volgen(token: str) -> Response:
    """What became of one knelpunt: besluit and reason, its history, acties, beleid's reactie."""
    knelpunt, weigering = _knelpunt_of_weigering(token)
    if weigering is not None:
        return weigering
    return _pagina(knelpunt, token)


@bp.post("/volg/<token>/opgelost")
def opgelost(token: str) -> Response:
    """ "Is het opgelost?" answered by whoever holds the volglink; who answered is never stored."""
    knelpunt, weigering = _knelpunt_of_weigering(token)
    if weigering is not None:
        return weigering
    vraag = signalen_lezen.open_vraag_over(knelpunt.id)  # type: ignore[attr-defined]
    if vraag is None:  # answered meanwhile (by the team, or in another tab)
        flash("Deze vraag is al beantwoord. Dank je.", "ok")
        return redirect(url_for(".volgen", token=token), 303)
    form = OpgelostForm().voor_vraag(vraag.id)
    try:
        if not form.validate_on_submit():
            raise Ongeldig("antwoord", "Het formulier is verlopen. Laad de pagina opnieuw en probeer het nog eens.")
        signalen_service.opgelost_beantwoorden(
            vraag, form.antwoord.data or "", form.toelichting.data or "", None, toch=bool(form.bevestigd.data)
        )
    except Ongeldig as fout:
        attach_error(form, fout, "antwoord")
        return _pagina(knelpunt, token, vraag_form=form, status=400)
    if vraag.antwoord == "nee":
        flash("Dank je. Het knelpunt komt terug voor de volgende sessie.", "ok")
    else:
        flash("Dank je voor je antwoord.", "ok")
    return redirect(url_for(".volgen", token=token), 303)
