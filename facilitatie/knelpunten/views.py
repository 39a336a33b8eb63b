"""Knelpunten pages and actions (thin: parse, authorise, call the service, render).

Every action lives under /s/<code>/…: deelnemers of that sessie and its own begeleider use
the same URLs; the service decides who may do what. Forms work without JavaScript (a plain
POST redirects back to the page); htmx gets the fragment to swap.
"""

from __future__ import annotations

import uuid
from typing import Any

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup
from sqlalchemy import select
from werkzeug.wrappers import Response

from facilitatie import realtime
from facilitatie.accounts.rollen import leidt_sessie
from facilitatie.extensions import db, socketio
from facilitatie.forms_base import int_or_zero
from facilitatie.fouten import Geweigerd, Ongeldig
from facilitatie.knelpunten import live, service
from facilitatie.knelpunten.models import DOMEINEN, KNELPUNT, THEMA
from facilitatie.realtime import BEGELEIDER, DEELNEMERS
from facilitatie.sessies import service as sessies_service
from facilitatie.sessies import werkruimte
from facilitatie.sessies.codes import normalise_code
from facilitatie.sessies.models import Deelnemer, Sessie
from facilitatie.tekst import render_markdown_markup

bp = Blueprint("knelpunten", __name__)

# Secrets of this browser's anonymous posts, in a cookie of their own (never in the session,
# which names the deelnemer): only their hashes are stored, in the knelpunt rows.
ANONIEM_COOKIE = "ontmoet_anoniem"
_MAX_SLEUTELS = 50
_EEN_JAAR = 365 * 24 * 3600

Antwoord = Response | str | tuple[Any, ...]


@bp.app_template_global("render_markdown")
def render_markdown(text: str) -> Markup:
    """User Markdown, sanitised (facilitatie/tekst.py)."""
    return render_markdown_markup(text)


# --- who is asking ------------------------------------------------------------------------


def _sessie(code: str) -> Sessie:
    sessie = db.session.scalar(
        select(Sessie).where(Sessie.deelnamecode == normalise_code(code)).order_by(Sessie.id.desc())
    )
    return sessie or abort(404)


def _wie(sessie: Sessie) -> tuple[Deelnemer | None, bool]:
    from facilitatie.sessies.views import current_deelnemer

    leidt = current_user.is_authenticated and leidt_sessie(current_user, sessie)
    return current_deelnemer(sessie), leidt


def _user():
    return current_user if current_user.is_authenticated else None


def _deelnemer(sessie: Sessie) -> Deelnemer:
    ik, _ = _wie(sessie)
    if ik is None:
        raise Geweigerd("Je doet niet mee aan deze sessie.")
    return ik


def _sleutels() -> list[str]:
    raw = request.cookies.get(ANONIEM_COOKIE, "")
    return [s for s in raw.split(".") if 20 <= len(s) <= 64 and s.isalnum()][:_MAX_SLEUTELS]


def _bewaar_sleutel(response: Response, sleutel: str) -> Response:
    sleutels = [s for s in _sleutels() if s != sleutel]
    sleutels = [*sleutels[-(_MAX_SLEUTELS - 1) :], sleutel]
    response.set_cookie(
        ANONIEM_COOKIE,
        ".".join(sleutels),
        max_age=_EEN_JAAR,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure,
    )
    return response


def _bool(naam: str) -> bool:
    return request.form.get(naam, "") in ("1", "y", "on", "true")


# --- contexts and panels ------------------------------------------------------------------


def persoonlijk(sessie: Sessie, ik: Deelnemer | None, **extra: Any) -> dict[str, Any]:
    """The context of one deelnemer's panel: their own posts, ballot, a fresh request id."""
    inst = service.instellingen(sessie)
    ctx = live.context(
        sessie,
        inst,
        DEELNEMERS,
        ik=ik,
        csrf_value=generate_csrf,
        rid=uuid.uuid4().hex,
        domeinen=DOMEINEN,
        teams=service.team_keuzes(sessie),
        mag_bewerken=service.mag_indienen(sessie),
        mijn=service.mijn_knelpunten(sessie, ik, _sleutels()),
        mijn_stemmen=service.mijn_stemmen(ik) if ik is not None else {},
    )
    if ik is not None and ik.user is not None and ik.user.team_id:
        ctx["invoer"] = {"team": ik.user.team_id}
    elif len(sessie.teams) == 1:  # a leerkring of one wijkteam: its knelpunten are that team's
        ctx["invoer"] = {"team": sessie.teams[0].id}
    ctx.update(extra)
    return ctx


def begeleider_context(sessie: Sessie, **extra: Any) -> dict[str, Any]:
    inst = service.instellingen(sessie)
    return live.context(sessie, inst, BEGELEIDER, csrf_value=generate_csrf, rid=uuid.uuid4().hex, **extra)


@werkruimte.voor_deelnemer("knelpunten", "bundelen", "stemmen", "dialoog", werkruimte.VOORAF)
def _deelnemer_paneel(sessie: Sessie, _fase: Any, deelnemer: Deelnemer) -> werkruimte.Paneel | None:
    if service.weergave(sessie) is None:
        return None
    return werkruimte.Paneel("knelpunten/werkruimte.html", persoonlijk(sessie, deelnemer, **g.get("kp_extra", {})))


@werkruimte.voor_begeleider("knelpunten", "bundelen", "stemmen", "dialoog", werkruimte.VOORAF)
def _begeleider_paneel(sessie: Sessie, _fase: Any, _user: Any) -> werkruimte.Paneel | None:
    if service.weergave(sessie) is None and sessie.status != "concept":
        return None
    return werkruimte.Paneel("knelpunten/paneel.html", begeleider_context(sessie, **g.get("kp_extra", {})))


# --- responses ----------------------------------------------------------------------------


def _terug(sessie: Sessie, leidt: bool) -> Response:
    if leidt:
        return redirect(url_for("sessies.detail", sessie_id=sessie.id))
    return redirect(url_for("sessies.deelnemer", code=sessie.deelnamecode))


def _pagina(sessie: Sessie, leidt: bool, status: int, **extra: Any) -> Antwoord:
    """The whole page again (no JavaScript), with the error or state placed in our panel."""
    from facilitatie.sessies import views as sessies_views

    if service.weergave(sessie) is None and not (leidt and sessie.status == "concept"):
        # Our panel is not on the page now: say it at the top instead.
        berichten = [extra.get("kp_fout"), extra.get("melding"), *(extra.get("fouten") or {}).values()]
        for bericht in dict.fromkeys(b for b in berichten if b):
            flash(bericht, "error")
    g.kp_extra = extra
    vorm = sessies_service.vorm_van(sessie)
    try:
        if leidt:
            html = render_template(
                "sessies/detail.html",
                sessie=sessie,
                vorm=vorm,
                leidt=True,
                panelen=sessies_views._begeleider_panelen(sessie),
                join_url=url_for("sessies.deelnemen", code=sessie.deelnamecode, _external=True),
            )
        else:
            ik = _deelnemer(sessie)
            html = render_template(
                "sessies/deelnemer.html",
                sessie=sessie,
                vorm=vorm,
                ik=ik,
                panelen=sessies_views._deelnemer_panelen(sessie, ik),
            )
        return html, status
    finally:
        g.pop("kp_extra", None)


def _status(fout: Ongeldig) -> int:
    return 422 if isinstance(fout, service.PrivacyWaarschuwing) else 400


def _klaar(sessie: Sessie, leidt: bool, bericht: str | None = None) -> Antwoord:
    """Success: htmx needs nothing (the socket brings the change), a plain form goes back."""
    db.session.rollback()  # nothing pending; make sure no stale objects leak into the next render
    if request.headers.get("HX-Request"):
        return "", 204
    if bericht:
        flash(bericht, "ok")
    return _terug(sessie, leidt)


def _fout(sessie: Sessie, leidt: bool, fout: Ongeldig) -> Antwoord:
    """A refused action: the Dutch reason at the top of our panel, with a 4xx."""
    db.session.rollback()
    status = _status(fout)
    if request.headers.get("HX-Request"):
        html = render_template("knelpunten/_melding.html", bericht=fout.bericht)
        return html, status, {"HX-Retarget": "#kp-melding", "HX-Reswap": "innerHTML"}
    return _pagina(sessie, leidt, status, kp_fout=fout.bericht)


# --- knelpunten ---------------------------------------------------------------------------


@bp.post("/s/<code>/knelpunten")
def indienen(code: str) -> Antwoord:
    """Knelpunt indienen: once per client_request_id; anonymous keeps no trace of the author."""
    sessie = _sessie(code)
    ik = _deelnemer(sessie)
    invoer = {
        "tekst": request.form.get("tekst", ""),
        "domein": request.form.get("domein", ""),
        "team": request.form.get("team", ""),
        "anoniem": _bool("anoniem"),
    }
    try:
        uitkomst = service.indienen(
            sessie,
            ik,
            tekst=invoer["tekst"],
            domein=invoer["domein"],
            team_id=int_or_zero(invoer["team"]) or None,
            anoniem=invoer["anoniem"],
            client_request_id=request.form.get("client_request_id"),
            bevestigd=_bool("bevestigd"),
        )
    except Ongeldig as fout:
        db.session.rollback()
        status = _status(fout)
        extra: dict[str, Any] = {"invoer": invoer}
        if isinstance(fout, service.PrivacyWaarschuwing):
            extra["melding"] = fout.bericht
        else:
            extra["fouten"] = {fout.veld: fout.bericht}
        if request.headers.get("HX-Request"):
            return render_template("knelpunten/_indienen.html", **persoonlijk(sessie, ik, **extra)), status
        return _pagina(sessie, False, status, **extra)
    bericht = "Je knelpunt is ingediend." + (
        "" if uitkomst.knelpunt.onthuld else " Anderen zien het zodra de begeleider de knelpunten onthult."
    )
    sleutels = _sleutels() + ([uitkomst.sleutel] if uitkomst.sleutel else [])
    if request.headers.get("HX-Request"):
        ctx = persoonlijk(sessie, ik, gelukt=bericht)
        ctx["mijn"] = service.mijn_knelpunten(sessie, ik, sleutels)
        html = render_template("knelpunten/_indienen.html", **ctx) + render_template(
            "knelpunten/_mijn.html", **{**ctx, "oob": True}
        )
        response = Response(html, 200, mimetype="text/html")
    else:
        flash(bericht, "ok")
        response = _terug(sessie, False)
    if uitkomst.sleutel:
        _bewaar_sleutel(response, uitkomst.sleutel)
    return response


def _mijn_antwoord(sessie: Sessie, ik: Deelnemer | None, **extra: Any) -> Antwoord:
    ctx = persoonlijk(sessie, ik, **extra)
    return render_template("knelpunten/_mijn.html", **ctx)


@bp.post("/s/<code>/knelpunten/<int:knelpunt_id>/bewerken")
def bewerken(code: str, knelpunt_id: int) -> Antwoord:
    """The author edits their own knelpunt while the fase is open."""
    sessie = _sessie(code)
    ik, _ = _wie(sessie)
    knelpunt = service.knelpunt_van(sessie, knelpunt_id)
    try:
        service.bewerken(
            sessie,
            knelpunt,
            ik,
            _sleutels(),
            tekst=request.form.get("tekst", ""),
            domein=request.form.get("domein", ""),
            bevestigd=_bool("bevestigd"),
        )
    except Ongeldig as fout:
        db.session.rollback()
        if request.headers.get("HX-Request"):
            return _mijn_antwoord(sessie, ik, mijn_fout=fout.bericht), _status(fout)
        return _pagina(sessie, False, _status(fout), kp_fout=fout.bericht)
    if request.headers.get("HX-Request"):
        return _mijn_antwoord(sessie, ik)
    return _klaar(sessie, False, "Je knelpunt is bijgewerkt.")


@bp.post("/s/<code>/knelpunten/<int:knelpunt_id>/intrekken")
def intrekken(code: str, knelpunt_id: int) -> Antwoord:
    """The author withdraws their own knelpunt while the fase is open."""
    sessie = _sessie(code)
    ik, _ = _wie(sessie)
    knelpunt = service.knelpunt_van(sessie, knelpunt_id)
    try:
        service.intrekken(sessie, knelpunt, ik, _sleutels())
    except Ongeldig as fout:
        db.session.rollback()
        if request.headers.get("HX-Request"):
            return _mijn_antwoord(sessie, ik, mijn_fout=fout.bericht), _status(fout)
        return _pagina(sessie, False, _status(fout), kp_fout=fout.bericht)
    if request.headers.get("HX-Request"):
        return _mijn_antwoord(sessie, ik)
    return _klaar(sessie, False, "Je knelpunt is ingetrokken.")


@bp.post("/s/<code>/knelpunten/<int:knelpunt_id>/verbergen")
def verbergen(code: str, knelpunt_id: int) -> Antwoord:
    """Moderation by the begeleider, with a reason kept in the audit trail."""
    sessie = _sessie(code)
    _, leidt = _wie(sessie)
    knelpunt = service.knelpunt_van(sessie, knelpunt_id)
    try:
        service.verbergen_knelpunt(sessie, _user(), knelpunt, request.form.get("reden", ""))
    except Ongeldig as fout:
        return _fout(sessie, leidt, fout)
    return _klaar(sessie, leidt, "Het knelpunt is verborgen.")


@bp.post("/s/<code>/knelpunten/onthullen")
def onthullen(code: str) -> Antwoord:
    """Onthullen: show the hidden knelpunten to everyone."""
    sessie = _sessie(code)
    _, leidt = _wie(sessie)
    service.onthullen(sessie, _user())
    return _klaar(sessie, leidt, "De knelpunten zijn onthuld.")


@bp.post("/s/<code>/knelpunten/instellingen")
def instellingen(code: str) -> Antwoord:
    """The begeleider's settings: reveal, bundelen by deelnemers, stemmen, inbreng vooraf."""
    sessie = _sessie(code)
    _, leidt = _wie(sessie)
    if not leidt:
        raise Geweigerd("Alleen de begeleider van deze sessie kan dit doen.")
    try:
        service.instellingen_opslaan(
            sessie,
            _user(),
            verborgen_tot_onthulling=_bool("verborgen_tot_onthulling"),
            stemmen_per_deelnemer=int_or_zero(request.form.get("stemmen_per_deelnemer")),
            max_per_item=int_or_zero(request.form.get("max_per_item")),
            deelnemers_bundelen=_bool("deelnemers_bundelen"),
            stemmen_op=request.form.get("stemmen_op", THEMA),
            inbreng_open=_bool("inbreng_open") if sessie.status == "concept" else None,
        )
    except Ongeldig as fout:
        db.session.rollback()
        ctx = {"fouten": {fout.veld: fout.bericht}}
        if request.headers.get("HX-Request"):
            return render_template("knelpunten/_instellingen.html", **begeleider_context(sessie, **ctx)), 400
        return _pagina(sessie, True, 400, **ctx)
    if request.headers.get("HX-Request"):
        db.session.expire_all()
        return render_template(
            "knelpunten/_instellingen.html",
            **begeleider_context(sessie, instellingen_opgeslagen=True, open_instellingen=True),
        )
    return _klaar(sessie, True, "Instellingen opgeslagen.")


# --- bundelen -----------------------------------------------------------------------------


@bp.post("/s/<code>/themas")
def thema_maken(code: str) -> Antwoord:
    """A new thema (begeleider, or deelnemers when the sessie allows)."""
    sessie = _sessie(code)
    ik, leidt = _wie(sessie)
    try:
        service.thema_maken(sessie, _user(), ik, request.form.get("naam", ""), bevestigd=_bool("bevestigd"))
    except Ongeldig as fout:
        return _fout(sessie, leidt, fout)
    return _klaar(sessie, leidt, "Thema toegevoegd.")


@bp.post("/s/<code>/themas/<int:thema_id>/hernoemen")
def thema_hernoemen(code: str, thema_id: int) -> Antwoord:
    sessie = _sessie(code)
    ik, leidt = _wie(sessie)
    thema = service.thema_van(sessie, thema_id)
    try:
        service.thema_hernoemen(sessie, _user(), ik, thema, request.form.get("naam", ""), bevestigd=_bool("bevestigd"))
    except Ongeldig as fout:
        return _fout(sessie, leidt, fout)
    return _klaar(sessie, leidt, "Thema hernoemd.")


@bp.post("/s/<code>/themas/<int:thema_id>/opheffen")
def thema_opheffen(code: str, thema_id: int) -> Antwoord:
    sessie = _sessie(code)
    ik, leidt = _wie(sessie)
    thema = service.thema_van(sessie, thema_id)
    service.thema_opheffen(sessie, _user(), ik, thema)
    return _klaar(sessie, leidt, "Thema opgeheven.")


@bp.post("/s/<code>/knelpunten/<int:knelpunt_id>/verplaats")
def verplaats(code: str, knelpunt_id: int) -> Antwoord:
    """Verplaats naar thema… (the keyboard path; drag and drop posts here too)."""
    sessie = _sessie(code)
    ik, leidt = _wie(sessie)
    knelpunt = service.knelpunt_van(sessie, knelpunt_id)
    thema_id = int_or_zero(request.form.get("thema"))
    thema = service.thema_van(sessie, thema_id) if thema_id else None
    service.verplaats(sessie, _user(), ik, knelpunt, thema)
    return _klaar(sessie, leidt)


# --- stemmen ------------------------------------------------------------------------------


def _item_uit_form() -> tuple[str, int]:
    soort = request.form.get("soort", "")
    if soort not in (THEMA, KNELPUNT):
        raise Ongeldig("item", "Kies een thema of knelpunt uit de lijst.")
    return soort, int_or_zero(request.form.get("item"))


def _stem_actie(code: str, doe) -> Antwoord:
    sessie = _sessie(code)
    ik = _deelnemer(sessie)
    fout = None
    try:
        soort, item_id = _item_uit_form()
        doe(sessie, ik, soort, item_id)
    except Ongeldig as exc:
        db.session.rollback()
        fout = exc
    if request.headers.get("HX-Request"):
        db.session.expire_all()
        html = render_template(
            "knelpunten/_stemmen.html", **persoonlijk(sessie, ik, stem_fout=fout.bericht if fout else None)
        )
        return (html, 409) if fout else html
    if fout:
        return _pagina(sessie, False, 409, kp_fout=fout.bericht)
    return _terug(sessie, False)


@bp.post("/s/<code>/stemmen")
def stem(code: str) -> Antwoord:
    """Stem: one dot on a thema or knelpunt, within the sessie's limits."""
    return _stem_actie(code, service.stem)


@bp.post("/s/<code>/stemmen/intrekken")
def stem_intrekken(code: str) -> Antwoord:
    """Stem intrekken while voting is open."""
    return _stem_actie(code, service.stem_intrekken)


@bp.post("/s/<code>/stemmen/sluiten")
def stemmen_sluiten(code: str) -> Antwoord:
    """Stemmen sluiten: the results show, ordered by votes."""
    sessie = _sessie(code)
    _, leidt = _wie(sessie)
    try:
        service.stemmen_sluiten(sessie, _user())
    except Ongeldig as fout:
        return _fout(sessie, leidt, fout)
    return _klaar(sessie, leidt, "Het stemmen is gesloten.")


@bp.post("/s/<code>/stemmen/heropenen")
def stemmen_heropenen(code: str) -> Antwoord:
    sessie = _sessie(code)
    _, leidt = _wie(sessie)
    service.stemmen_heropenen(sessie, _user())
    return _klaar(sessie, leidt, "Het stemmen is weer open.")


# --- dialoog ------------------------------------------------------------------------------


@bp.post("/s/<code>/dialoog/scherm")
def scherm(code: str) -> Antwoord:
    """Put one item on everyone's screen."""
    sessie = _sessie(code)
    _, leidt = _wie(sessie)
    try:
        soort, item_id = _item_uit_form()
        service.zet_op_scherm(sessie, _user(), soort, item_id)
    except Ongeldig as fout:
        return _fout(sessie, leidt, fout)
    return _klaar(sessie, leidt)


@bp.post("/s/<code>/dialoog/besproken")
def besproken(code: str) -> Antwoord:
    """Mark an item besproken (or undo it)."""
    sessie = _sessie(code)
    _, leidt = _wie(sessie)
    try:
        soort, item_id = _item_uit_form()
        service.besproken(sessie, _user(), soort, item_id, request.form.get("waarde", "1") != "0")
    except Ongeldig as fout:
        return _fout(sessie, leidt, fout)
    return _klaar(sessie, leidt)


@bp.post("/s/<code>/reacties")
def reageren(code: str) -> Antwoord:
    """Reageren on an item: marked beleid or uitvoering; once per client_request_id."""
    sessie = _sessie(code)
    ik = _deelnemer(sessie)
    tekst = request.form.get("tekst", "")
    try:
        soort, item_id = _item_uit_form()
        item = service.item_van(sessie, soort, item_id)
        service.reageren(
            sessie,
            ik,
            soort,
            item_id,
            tekst=tekst,
            client_request_id=request.form.get("client_request_id"),
            bevestigd=_bool("bevestigd"),
        )
    except Ongeldig as fout:
        db.session.rollback()
        status = _status(fout)
        soort, item_id = request.form.get("soort", ""), int_or_zero(request.form.get("item"))
        extra: dict[str, Any] = {"fout_item": f"{soort}-{item_id}", "invoer": {"tekst": tekst}}
        if isinstance(fout, service.PrivacyWaarschuwing):
            extra["melding"] = fout.bericht
        else:
            extra["fouten"] = {"reactie": fout.bericht}
        if request.headers.get("HX-Request") and soort in (THEMA, KNELPUNT):
            try:
                item = service.item_van(sessie, soort, item_id)
            except Geweigerd:
                return _fout(sessie, False, fout)
            return render_template("knelpunten/_reageren.html", **persoonlijk(sessie, ik, item=item, **extra)), status
        return _pagina(sessie, False, status, kp_fout=fout.bericht, **extra)
    if request.headers.get("HX-Request"):
        return render_template("knelpunten/_reageren.html", **persoonlijk(sessie, ik, item=item))
    return _klaar(sessie, False, "Je reactie is geplaatst.")


@bp.post("/s/<code>/reacties/<int:reactie_id>/verbergen")
def reactie_verbergen(code: str, reactie_id: int) -> Antwoord:
    """Moderation of a reactie, with a reason kept in the audit trail."""
    sessie = _sessie(code)
    _, leidt = _wie(sessie)
    reactie = service.reactie_van(sessie, reactie_id)
    try:
        service.verbergen_reactie(sessie, _user(), reactie, request.form.get("reden", ""))
    except Ongeldig as fout:
        return _fout(sessie, leidt, fout)
    return _klaar(sessie, leidt, "De reactie is verborgen.")


@bp.post("/s/<code>/timer")
def timer(code: str) -> Antwoord:
    """Timer starten, pauzeren, hervatten, verlengen, stoppen (up to 4 hours)."""
    sessie = _sessie(code)
    _, leidt = _wie(sessie)
    try:
        service.timer(
            sessie,
            _user(),
            request.form.get("actie", ""),
            int_or_zero(request.form.get("minuten")),
            request.form.get("label", ""),
        )
    except Ongeldig as fout:
        return _fout(sessie, leidt, fout)
    return _klaar(sessie, leidt)


# --- presence -----------------------------------------------------------------------------


@realtime.on_follow
def _verbonden(sessie: Sessie, audience: str, sid: str) -> None:
    """Count a deelnemer's socket and show the begeleider the new numbers (not logged as an event)."""
    if audience != DEELNEMERS:
        if audience == BEGELEIDER:
            _stuur_aanwezig(sessie)
        return
    ik, _ = _wie(sessie)
    sessie_id = sessie.id
    _als_schrijver(lambda: service.verbonden(sid, db.session.get(Sessie, sessie_id), ik_id=ik.id if ik else None))
    _stuur_aanwezig(db.session.get(Sessie, sessie_id))


@realtime.on_leave
def _verbroken(sid: str) -> None:
    sessie_id = _als_schrijver(lambda: service.verbroken(sid))
    if sessie_id is not None:
        sessie = db.session.get(Sessie, sessie_id)
        if sessie is not None:
            _stuur_aanwezig(sessie)


def _als_schrijver(werk):
    """Socket handlers get no before_request: take SQLite's write lock at BEGIN ourselves."""
    from facilitatie import als_schrijver

    with als_schrijver():
        return werk()


def _stuur_aanwezig(sessie: Sessie) -> None:
    html = live.aanwezig_html(sessie)
    socketio.emit(
        "vluchtig",
        {"fragmenten": [{"doel": "#aanwezig", "html": html, "wijze": "outerHTML"}]},
        to=realtime.room(sessie.id, BEGELEIDER),
    )
