"""The volglink page, /volg/<token> (thin: limit, look up, render).

Whoever holds the link sees it; there is no sign-in. A wrong, withdrawn or removed link gets
the same friendly 404, counted against the address (toegang.py), so the answer never tells
whether a knelpunt exists. The page is private: never cached, never indexed, and it sends no
Referer, so its secret address does not travel to the next page.
"""

from __future__ import annotations

from flask import Blueprint, render_template, request
from werkzeug.wrappers import Response

from facilitatie import beveiliging
from facilitatie.opvolging.fragmenten import vandaag
from facilitatie.opvolging.regels import is_te_laat
from facilitatie.volgen import lezen, models, toegang  # noqa: F401 - models registers the table

bp = Blueprint("volgen", __name__)

PRIVE = {
    "Cache-Control": "private, no-store",
    "X-Robots-Tag": "noindex, nofollow",
}


def _prive(html: str, status: int, **extra: str) -> Response:
    return Response(html, status, {**PRIVE, **extra}, mimetype="text/html")


@bp.get("/volg/<token>")
def volgen(token: str) -> Response:
    """What became of one knelpunt: besluit and reason, its history, acties, beleid's reactie."""
    beveiliging.geen_referrer()
    weigering = toegang.voor_poging(request.remote_addr)
    if weigering is not None:
        html = render_template("volgen/niet_gevonden.html", titel="Even wachten", bericht=weigering.bericht)
        return _prive(html, 429, **{"Retry-After": str(weigering.opnieuw_over)})
    knelpunt = lezen.knelpunt_bij_token(token)
    if knelpunt is None:
        toegang.na_mislukte_poging(request.remote_addr)
        return _prive(render_template("volgen/niet_gevonden.html", titel="Volglink niet gevonden"), 404)
    stand = lezen.volgstand(knelpunt, vandaag())
    html = render_template(
        "volgen/pagina.html",
        stand=stand,
        is_te_laat=is_te_laat,
        eigenaar_tekst=lezen.eigenaar_tekst,
        historie_uitleg=lezen.historie_uitleg,
    )
    return _prive(html, 200)
