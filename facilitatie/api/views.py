"""JSON API v1: read sessies, knelpunten, besluiten, acties and dashboard figures; update an actie's status.

A request authenticates with a personal token (`Authorization: Bearer …`) or with the
browser's session. Token requests are exempt from CSRF (no cookie, no ambient
authority); session requests that write still need the CSRF header like any form.
Every permission check is the same function the pages call.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from flask import Blueprint, Flask, abort, current_app, flash, g, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf.csrf import CSRFError
from sqlalchemy import func, or_, select
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge
from werkzeug.wrappers import Response

from facilitatie import limieten
from facilitatie.accounts.models import Gemeente, User
from facilitatie.accounts.rollen import Rol, kan_sessie_bekijken
from facilitatie.api import lezen as api_lezen
from facilitatie.api import openapi, signaal_invoer, tokens, webhooks
from facilitatie.api import rechten as api_rechten
from facilitatie.api.forms import TokenForm
from facilitatie.extensions import csrf, db
from facilitatie.forms_base import positief_id
from facilitatie.fouten import Geweigerd, NietGevonden, Ongeldig
from facilitatie.knelpunten.invoer import PrivacyBlokkade, PrivacyWaarschuwing
from facilitatie.knelpunten.models import BRON_API, Knelpunt
from facilitatie.opvolging import bereik, filters, lezen, rechten, regels, service, verversen
from facilitatie.opvolging.dashboard import dashboard_van
from facilitatie.opvolging.lijst import acties_query, knelpunten_query
from facilitatie.opvolging.models import Actie, ApiToken, Besluit
from facilitatie.sessies.lezen import sessie_voor
from facilitatie.sessies.models import Sessie, Status
from facilitatie.signalen import service as signalen
from facilitatie.web_helpers import attach_error

bp = Blueprint("api", __name__, url_prefix="/api/v1")
tokens_bp = Blueprint("api_tokens", __name__)

MAX_ID = 2**31 - 1
PER_PAGINA = 50
MAX_JSON = 64 * 1024
"""Largest JSON body the API reads: an actie's status and reden fit many times over."""
MAX_DIEPTE = 16
"""Deepest nesting of arrays and objects the API reads; the status body has depth 1."""
TE_GROOT = f"Het verzoek is te groot: stuur hoogstens {MAX_JSON // 1024} kB JSON."


def init_app(app: Flask) -> None:
    """Token requests carry no cookie, so CSRF does not apply to them (checked per request below)."""
    csrf.exempt(bp)
    app.register_blueprint(tokens_bp)


class ApiFout(Exception):
    def __init__(self, status: int, bericht: str) -> None:
        super().__init__(bericht)
        self.status = status
        self.bericht = bericht
        self.headers: dict[str, str] = {}


def _fout(status: int, bericht: str) -> tuple[Response, int]:
    antwoord = jsonify({"fout": bericht})
    if status == 401:
        antwoord.headers["WWW-Authenticate"] = 'Bearer realm="ontmoet"'
    return antwoord, status


@bp.errorhandler(ApiFout)
def _api_fout(exc: ApiFout) -> tuple[Response, int]:
    antwoord, status = _fout(exc.status, exc.bericht)
    antwoord.headers.update(exc.headers)
    return antwoord, status


@bp.errorhandler(Geweigerd)
def _geweigerd(exc: Geweigerd) -> tuple[Response, int]:
    return _fout(403, exc.bericht)


@bp.errorhandler(NietGevonden)
def _niet_gevonden(exc: NietGevonden) -> tuple[Response, int]:
    return _fout(404, exc.bericht)


@bp.errorhandler(CSRFError)
def _csrf(_exc: CSRFError) -> tuple[Response, int]:
    return _fout(400, "Een schrijfverzoek met een browsersessie heeft de CSRF-kop nodig (X-CSRFToken).")


@bp.errorhandler(RequestEntityTooLarge)
def _te_groot(_exc: RequestEntityTooLarge) -> tuple[Response, int]:
    return _fout(400, TE_GROOT)


@bp.errorhandler(HTTPException)
def _http(exc: HTTPException) -> tuple[Response, int]:
    meldingen = {404: "Niet gevonden.", 405: "Deze methode is hier niet toegestaan.", 400: "Ongeldig verzoek."}
    return _fout(exc.code or 500, meldingen.get(exc.code or 500, exc.description or "Fout."))


@bp.before_request
def _authenticeer() -> None:
    if request.endpoint == "api.openapi_document":
        return
    kop = request.headers.get("Authorization", "")
    if kop:
        soort, _, token = kop.partition(" ")
        rij = tokens.token_voor(token.strip()) if soort.lower() == "bearer" else None
        if rij is None:
            raise ApiFout(401, "Ongeldig of ingetrokken API-token.")
        g.api_user, g.api_token = rij.user, rij
        if rij.scope != tokens.LEZEN and request.endpoint != "api.knelpunt_melden":
            raise ApiFout(403, "Dit token mag alleen signalen melden (POST /api/v1/knelpunten), niets lezen.")
        return
    if not current_user.is_authenticated:
        raise ApiFout(401, "Log in of gebruik een persoonlijk API-token (Authorization: Bearer …).")
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        csrf.protect()  # a browser session writing through the API needs the CSRF header
    g.api_user, g.api_token = current_user._get_current_object(), None


def _user() -> User:
    return g.api_user


def _id(waarde: int) -> int:
    if not 0 < waarde <= MAX_ID:
        raise ApiFout(404, "Niet gevonden.")
    return waarde


def _te_diep(ruw: bytes) -> bool:
    """True when arrays and objects nest deeper than MAX_DIEPTE (counted outside strings)."""
    diepte = 0
    in_tekst = escape = False
    for teken in ruw:
        if in_tekst:
            if escape:
                escape = False
            elif teken == 0x5C:  # backslash
                escape = True
            elif teken == 0x22:  # quote
                in_tekst = False
        elif teken == 0x22:
            in_tekst = True
        elif teken in (0x5B, 0x7B):  # [ {
            diepte += 1
            if diepte > MAX_DIEPTE:
                return True
        elif teken in (0x5D, 0x7D):  # ] }
            diepte -= 1
    return False


def _json_object(uitleg: str) -> dict[str, Any]:
    """The body as a JSON object: bounded in size and depth before it is parsed; 400 otherwise."""
    if (request.content_length or 0) > MAX_JSON:
        raise ApiFout(400, TE_GROOT)
    ruw = request.get_data(cache=False)  # without a Content-Length, bounded by MAX_CONTENT_LENGTH (413: see above)
    if len(ruw) > MAX_JSON:
        raise ApiFout(400, TE_GROOT)
    if _te_diep(ruw):
        raise ApiFout(400, f"Het JSON-verzoek is te diep genest (hoogstens {MAX_DIEPTE} niveaus). {uitleg}")
    try:
        data = json.loads(ruw) if request.is_json else None
    except (ValueError, RecursionError):
        data = None
    if not isinstance(data, dict):
        raise ApiFout(400, uitleg)
    return data


def _pagina() -> int:
    return positief_id(request.args.get("pagina")) or 1


def _tijd(waarde: datetime | date | None) -> str | None:
    """RFC 3339: timestamps are stored as naive UTC, so they get a Z; dates stay plain."""
    if waarde is None:
        return None
    if isinstance(waarde, datetime):
        return waarde.replace(microsecond=0).isoformat() + "Z"
    return waarde.isoformat()


# --------------------------------------------------------------------------- serialisation


def sessie_json(sessie: Sessie) -> dict[str, Any]:
    return {
        "id": sessie.id,
        "titel": sessie.titel,
        "gemeente": sessie.gemeente_id,
        "sessievorm": sessie.sessievorm,
        "status": sessie.status,
        "teams": [t.id for t in sessie.teams],
        "aangemaakt_op": _tijd(sessie.aangemaakt_op),
        "afgesloten_op": _tijd(sessie.afgesloten_op),
    }


def besluit_json(besluit: Besluit) -> dict[str, Any]:
    return {
        "id": besluit.id,
        "knelpunt": besluit.knelpunt_id,
        "soort": besluit.soort,
        "reden": besluit.reden,
        "doorverwezen_naar": besluit.doorverwezen_naar,
        "toelichting": besluit.toelichting,
        "besloten_op": _tijd(besluit.besloten_op),
    }


def knelpunt_json(knelpunt: Knelpunt, besluit: Besluit | None) -> dict[str, Any]:
    """Never an author: a knelpunt is shown by its wijkteam only."""
    return {
        "id": knelpunt.id,
        "sessie": webhooks.in_sessie(knelpunt),
        "bron": knelpunt.bron,
        "tekst": knelpunt.tekst,
        "domein": knelpunt.domein,
        "team": knelpunt.team_id,
        "thema": knelpunt.thema_id,
        "aangemaakt_op": _tijd(knelpunt.aangemaakt_op),
        "besluit": besluit_json(besluit) if besluit else None,
    }


def actie_json(actie: Actie, vandaag: date, historie: bool = False) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": actie.id,
        "gemeente": actie.gemeente_id,
        "sessie": actie.sessie_id,
        "verwachting": actie.verwachting_id,
        "omschrijving": actie.omschrijving,
        "eigenaar": {"id": actie.eigenaar.id, "naam": actie.eigenaar.naam} if actie.eigenaar else None,
        "afdeling": actie.afdeling,
        "streefdatum": _tijd(actie.streefdatum),
        "status": actie.status,
        "te_laat": regels.is_te_laat(actie.status, actie.streefdatum, vandaag),
        "knelpunten": [k.id for k in actie.knelpunten],
        "aangemaakt_op": _tijd(actie.aangemaakt_op),
        "afgerond_op": _tijd(actie.afgerond_op),
    }
    if historie:
        data["historie"] = [
            {
                "op": _tijd(h.op),
                "door": h.door.naam if h.door else None,
                "veld": h.veld,
                "van": h.van,
                "naar": h.naar,
                "reden": h.reden,
            }
            for h in actie.historie
        ]
    return data


# --------------------------------------------------------------------------- scope


def _sessies_query(user: User):
    query = select(Sessie).where(Sessie.status != Status.SIGNALEN)  # a signalenbak is no sessie
    if rechten.ziet_alle_gemeenten(user):
        return query
    if user.rol == Rol.WIJKTEAMLID:
        return query.where(Sessie.teams.any(id=user.team_id or 0), Sessie.gemeente_id == user.gemeente_id)
    if user.rol in rechten.STAF and user.gemeente_id:
        return query.where(or_(Sessie.gemeente_id == user.gemeente_id, Sessie.begeleider_id == user.id))
    return query.where(Sessie.begeleider_id == user.id)


def _mag_sessie_lezen(user: User, sessie: Sessie) -> bool:
    """Staff of the gemeente (kan_sessie_bekijken) and wijkteamleden of the sessie's teams."""
    return kan_sessie_bekijken(user, sessie) or (
        user.rol == Rol.WIJKTEAMLID and user.team_id in {t.id for t in sessie.teams}
    )


def _sessie(user: User, sessie_id: int) -> Sessie:
    return sessie_voor(user, _id(sessie_id), _mag_sessie_lezen)


def _lijst(items: list[Any], totaal: int, pagina: int, per_pagina: int) -> Response:
    return jsonify({"items": items, "totaal": totaal, "pagina": pagina, "per_pagina": per_pagina})


# --------------------------------------------------------------------------- endpoints


@bp.get("/openapi.json")
def openapi_document() -> Response:
    """The OpenAPI 3 description of this API."""
    return jsonify(openapi.document(url_for("api.openapi_document", _external=False).rsplit("/", 1)[0]))


@bp.get("/sessies")
def sessies() -> Response:
    """Sessies the caller may read, newest first."""
    query = _sessies_query(_user())
    totaal = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    pagina = _pagina()
    rijen = db.session.scalars(
        query.order_by(Sessie.aangemaakt_op.desc(), Sessie.id.desc())
        .limit(PER_PAGINA)
        .offset((pagina - 1) * PER_PAGINA)
    )
    return _lijst([sessie_json(s) for s in rijen], totaal, pagina, PER_PAGINA)


@bp.get("/sessies/<int:sessie_id>")
def sessie(sessie_id: int) -> Response:
    """One sessie."""
    return jsonify(sessie_json(_sessie(_user(), sessie_id)))


@bp.get("/sessies/<int:sessie_id>/knelpunten")
def knelpunten(sessie_id: int) -> Response:
    """The sessie's knelpunten with their besluit (a wijkteamlid: only its own team's)."""
    user = _user()
    sessie_ = _sessie(user, sessie_id)
    lijst = lezen.knelpunten_van_sessie(sessie_)
    if user.rol == Rol.WIJKTEAMLID:
        lijst = [k for k in lijst if k.team_id == user.team_id]
    besluiten_ = lezen.besluiten_per_knelpunt([k.id for k in lijst])
    items = [knelpunt_json(k, besluiten_.get(k.id)) for k in lijst]
    return _lijst(items, len(items), 1, max(1, len(items)))


@bp.get("/besluiten")
def besluiten() -> Response:
    """Besluiten the caller may see, filtered like /opvolging (knelpunten view)."""
    user = _user()
    f = filters.parse_filter({**request.args, "weergave": "knelpunten", "besluit": "met"})
    if not bereik.mag_gemeente(user, f.gemeente):
        raise ApiFout(403, "Je ziet alleen gegevens van je eigen gemeente.")
    if not rechten.kan_opvolging_zien(user):
        raise ApiFout(403, "Geen toegang.")
    query = knelpunten_query(user, f, date.today())
    totaal = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    pagina = _pagina()
    rijen = db.session.execute(query.limit(PER_PAGINA).offset((pagina - 1) * PER_PAGINA))
    return _lijst([besluit_json(b) for _k, b in rijen if b is not None], totaal, pagina, PER_PAGINA)


@bp.get("/acties")
def acties() -> Response:
    """Acties the caller may see, with the filters of /opvolging (status, te_laat, eigenaar, …)."""
    user = _user()
    f = filters.parse_filter({**request.args, "weergave": "acties"})
    if not bereik.mag_gemeente(user, f.gemeente):
        raise ApiFout(403, "Je ziet alleen gegevens van je eigen gemeente.")
    if not rechten.kan_opvolging_zien(user):
        raise ApiFout(403, "Geen toegang.")
    vandaag = date.today()
    query = acties_query(user, f, vandaag)
    totaal = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    pagina = _pagina()
    rijen = db.session.scalars(query.limit(PER_PAGINA).offset((pagina - 1) * PER_PAGINA))
    return _lijst([actie_json(a, vandaag) for a in rijen], totaal, pagina, PER_PAGINA)


def _actie(user: User, actie_id: int, *, bijwerken: bool = False) -> Actie:
    return lezen.actie_voor(user, _id(actie_id), bijwerken=bijwerken)


@bp.get("/acties/<int:actie_id>")
def actie(actie_id: int) -> Response:
    """One actie with its full history."""
    return jsonify(actie_json(_actie(_user(), actie_id), date.today(), historie=True))


@bp.post("/acties/<int:actie_id>/status")
def actie_status(actie_id: int) -> Response | tuple[Response, int]:
    """Change an actie's status along the allowed transitions, with a reden where one is required."""
    user = _user()
    actie_ = _actie(user, actie_id, bijwerken=True)  # who may, before the body is read
    data = _json_object("Stuur een JSON-object met 'status' en zo nodig 'reden'.")
    status, reden = data.get("status"), data.get("reden", "")
    if not isinstance(status, str) or not isinstance(reden, str | None):
        raise ApiFout(400, "'status' en 'reden' zijn tekst.")
    try:
        service.status_wijzigen(actie_, user, status, reden or "", toch=bool(data.get("toch") is True))
    except Ongeldig as exc:
        raise ApiFout(400, exc.bericht) from None
    return jsonify(actie_json(actie_, date.today(), historie=True))


def _signalen_token() -> ApiToken:
    """The caller's token, when it may report signalen for its gemeente (403 otherwise: before the body is read)."""
    rij: ApiToken | None = g.get("api_token")
    if rij is None or rij.scope != tokens.SIGNALEN_SCHRIJVEN:
        raise ApiFout(
            403,
            "Dit token mag geen signalen melden. Een begeleider of beheerder maakt op /account/tokens een token "
            "'Signalen melden' voor de gemeente.",
        )
    if not api_rechten.mag_koppelen(rij.user, rij.gemeente_id):
        raise ApiFout(403, "Wie dit token maakte, mag geen signalen meer laten melden voor deze gemeente.")
    return rij


def _binnen_limiet(rij: ApiToken) -> None:
    """At most API_SIGNALEN_LIMIT reports per token (every attempt counts, a refused one too)."""
    if not limieten.aan():
        return
    limiet = current_app.config["API_SIGNALEN_LIMIT"]
    tellers = limieten.tellers()
    stand = tellers.stand(limiet, "api-signalen", str(rij.id))
    if stand.vol:
        wacht = limieten.wachttijd(stand.vrij_om, tellers.klok())
        fout = ApiFout(429, f"Te veel signalen met dit token. Probeer het {limieten.wachttijd_tekst(wacht)} opnieuw.")
        fout.headers = {"Retry-After": str(wacht)}
        raise fout
    tellers.tel(limiet, "api-signalen", str(rij.id))


def _velden(fouten: dict[str, str], status: int = 422, **extra: Any) -> tuple[Response, int]:
    eerste = next(iter(fouten.values()))
    uitleg = eerste if len(fouten) == 1 else f"{len(fouten)} velden kloppen niet."
    return jsonify({"fout": f"Het signaal is niet opgeslagen. {uitleg}", "velden": fouten, **extra}), status


def signaal_json(knelpunt: Knelpunt) -> dict[str, Any]:
    """What the reporting system gets back: the new knelpunt's id and what was stored (never an author)."""
    return {
        "id": knelpunt.id,
        "team": knelpunt.team_id,
        "domein": knelpunt.domein,
        "tekst": knelpunt.tekst,
        "anoniem": bool(knelpunt.anoniem),
        "client_request_id": knelpunt.client_request_id,
        "aangemaakt_op": _tijd(knelpunt.aangemaakt_op),
    }


def _zelfde(knelpunt: Knelpunt, signaal: signaal_invoer.Signaal) -> bool:
    return (knelpunt.tekst, knelpunt.domein, knelpunt.team_id, bool(knelpunt.anoniem)) == (
        signaal.tekst,
        signaal.domein,
        signaal.team_id,
        signaal.anoniem,
    )


@bp.post("/knelpunten")
def knelpunt_melden() -> tuple[Response, int]:
    """Report a signaal for a team of the token's gemeente (a token scoped 'signalen:schrijven').

    Idempotent on client_request_id: the same request again answers 200 with the same knelpunt
    (stored once); the same id with other content is a conflict (409).
    """
    rij = _signalen_token()  # who may, before the body is read
    _binnen_limiet(rij)
    gemeente = rij.gemeente
    data = _json_object("Stuur een JSON-object met 'tekst', 'domein' en 'team'.")
    try:
        signaal = signaal_invoer.lees(data, api_lezen.teams_van(gemeente.id), gemeente.naam)
    except signaal_invoer.Velden as exc:
        return _velden(exc.fouten)
    eerder = api_lezen.api_signaal(gemeente.id, signaal.client_request_id)
    if eerder is not None:
        if not _zelfde(eerder, signaal):
            return _velden(
                {"client_request_id": "Deze client_request_id hoort al bij een ander signaal. Gebruik een nieuwe."},
                409,
            )
        antwoord = jsonify(signaal_json(eerder))
        antwoord.headers["Location"] = _knelpunt_url(eerder)
        return antwoord, 200
    try:
        knelpunt = signalen.melden(
            gemeente_id=gemeente.id,
            team_id=signaal.team_id,
            domein=signaal.domein,
            tekst=signaal.tekst,
            anoniem=signaal.anoniem,
            bron=BRON_API,
            door=None,  # the author is someone in another system: no account of ours is stored with it
            client_request_id=signaal.client_request_id,
            toch=signaal.toch,
        )
    except PrivacyWaarschuwing as exc:
        melding = exc.bericht.replace("kies 'Toch indienen'", 'stuur "toch": true')
        return _velden({exc.veld: melding}, privacy="waarschuwing")
    except PrivacyBlokkade as exc:
        return _velden({exc.veld: exc.bericht}, privacy="geweigerd")
    except Ongeldig as exc:
        return _velden({exc.veld: exc.bericht})
    if knelpunt.bron != BRON_API:  # the request id of a signaal from a meldlink or the start page
        return _velden({"client_request_id": "Deze client_request_id is al gebruikt. Gebruik een nieuwe."}, 409)
    antwoord = jsonify(signaal_json(knelpunt))
    antwoord.headers["Location"] = _knelpunt_url(knelpunt)
    return antwoord, 201


def _knelpunt_url(knelpunt: Knelpunt) -> str:
    return url_for("api.knelpunt_lezen", knelpunt_id=knelpunt.id)


@bp.get("/knelpunten/<int:knelpunt_id>")
def knelpunt_lezen(knelpunt_id: int) -> Response:
    """One knelpunt (a signaal too) with its besluit: for staff of its gemeente and its own wijkteam."""
    user = _user()
    knelpunt = db.session.get(Knelpunt, _id(knelpunt_id))
    if knelpunt is None or knelpunt.sessie is None or not lezen.is_zichtbaar(knelpunt):
        raise ApiFout(404, "Niet gevonden.")
    eigen_team = (
        user.rol == Rol.WIJKTEAMLID
        and user.team_id is not None
        and knelpunt.team_id == user.team_id
        and knelpunt.sessie.gemeente_id == user.gemeente_id
    )
    if not (eigen_team or (user.rol != Rol.WIJKTEAMLID and kan_sessie_bekijken(user, knelpunt.sessie))):
        raise ApiFout(404, "Niet gevonden.")  # another gemeente's or team's knelpunt: not even that it exists
    return jsonify(knelpunt_json(knelpunt, lezen.besluiten_per_knelpunt([knelpunt.id]).get(knelpunt.id)))


@bp.get("/dashboard")
def dashboard() -> Response:
    """The dashboard figures for one gemeente and period (as on /dashboard)."""
    user = _user()
    if not rechten.kan_dashboard_zien(user):
        raise ApiFout(403, "Het dashboard is voor de wethouder, beleidsmedewerkers en begeleiders.")
    f = filters.parse_filter(request.args)
    if f.gemeente is not None and not bereik.mag_gemeente(user, f.gemeente):
        raise ApiFout(403, "Je ziet alleen het dashboard van je eigen gemeente.")
    gemeente_id = bereik.gemeente_voor(user, f.gemeente)
    if gemeente_id is None:
        gemeenten = bereik.gemeenten_voor(user)
        if not gemeenten:
            raise ApiFout(403, "Je account hoort bij geen gemeente.")
        gemeente_id = gemeenten[0].id
    cijfers = dashboard_van(gemeente_id, f.van, f.tot, date.today())
    verversen.start()
    return jsonify(cijfers.als_dict())


# --------------------------------------------------------------------------- token page (HTML)


@tokens_bp.route("/account/tokens", methods=["GET", "POST"])
@login_required
def token_pagina() -> str | tuple[str, int]:
    """Create and revoke personal API tokens; a new token is shown once."""
    gemeenten = webhooks.gemeenten_voor(current_user)  # where this person may let systems report signalen
    form = _token_form(TokenForm(), gemeenten)
    nieuw = None
    if request.method == "POST":
        scope = form.scope.data if gemeenten else tokens.LEZEN
        try:
            _rij, nieuw = tokens.maak(
                current_user, form.naam.data or "", scope=scope or tokens.LEZEN, gemeente_id=form.gemeente.data
            )
            form = _token_form(TokenForm(formdata=None), gemeenten)
        except Ongeldig as exc:
            attach_error(form, exc, "naam")
    fout = any(veld.errors for veld in form)
    return render_template(
        "opvolging/tokens.html", tokens=tokens.actieve(current_user), nieuw=nieuw, form=form, gemeenten=gemeenten
    ), (400 if fout else 200)


def _token_form(form: TokenForm, gemeenten: list[Gemeente]) -> TokenForm:
    form.gemeente.choices = [(g.id, g.naam) for g in gemeenten]
    if form.gemeente.data is None and len(gemeenten) == 1 and not request.form.get("gemeente"):
        form.gemeente.data = gemeenten[0].id
    if not form.scope.data:
        form.scope.data = tokens.LEZEN
    return form


@tokens_bp.post("/account/tokens/<int:token_id>/intrekken")
@login_required
def token_intrekken(token_id: int) -> Response:
    """Revoke a token; API calls with it are refused from now on."""
    if token_id > MAX_ID:
        abort(404)
    tokens.intrekken(current_user, token_id)
    flash("Token ingetrokken.", "ok")
    return redirect(url_for(".token_pagina"))
