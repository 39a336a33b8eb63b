"""Knelpunten pages and actions (thin: parse, authorise, call the command, render).

Every action lives under /s/<code>/…: deelnemers of that sessie and its own begeleider use
the same URLs; `sessies.actie.sessie_actie` resolves who asks and the commands decide who may
do what. Forms work without JavaScript (a plain POST redirects back to the page); htmx gets
the fragment to swap.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from flask import Blueprint, Flask, after_this_request, current_app, flash, render_template, request
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup
from werkzeug.wrappers import Response

from facilitatie.fouten import Geweigerd, Ongeldig
from facilitatie.knelpunten import bundelen, dialoog, instellingen, lezen, live, moderatie, posten, stemmen, timer
from facilitatie.knelpunten.forms import (
    GEEN_TEAM,
    BesprokenForm,
    InstellingenForm,
    ItemForm,
    KnelpuntForm,
    ReactieForm,
    RedenForm,
    StemForm,
    ThemaForm,
    TimerForm,
    VerplaatsForm,
)
from facilitatie.knelpunten.invoer import PrivacyWaarschuwing, geldige_request_id
from facilitatie.knelpunten.models import DOMEINEN, KNELPUNT, THEMA, Knelpunt
from facilitatie.realtime import BEGELEIDER, DEELNEMERS
from facilitatie.sessies import werkruimte
from facilitatie.sessies.actie import Antwoord, Verzoek, klaar, sessie_actie, terug
from facilitatie.sessies.models import Deelnemer, Sessie, Status
from facilitatie.sessies.vormen import Fase
from facilitatie.tekst import render_markdown_markup

bp = Blueprint("knelpunten", __name__)

GEBIED = "knelpunten"  # this area's key in the werkruimte's staat

# Secrets of this browser's anonymous posts, in a cookie of their own (never in the session,
# which names the deelnemer): only their hashes are stored, in the knelpunt rows.
ANONIEM_COOKIE = "ontmoet_anoniem"
_MAX_SLEUTELS = 50
_EEN_JAAR = 365 * 24 * 3600
# The wijkteam this device chose in a sessie ("<sessie id>:<team id or geen>"), so the choice
# is made once and stays when the form comes back after each post.
TEAM_COOKIE = "ontmoet_wijkteam"


# What a poster sees besides the confirmation: the volglink ("Bewaar deze link"), which lives in
# an area after this one (facilitatie/volgen) and is handed in by create_app through init_app.
NaIndienen = Callable[[Knelpunt, str | None], Markup]
_NA_INDIENEN = "knelpunten_na_indienen"


def init_app(app: Flask, *, na_indienen: NaIndienen | None = None) -> None:
    """What create_app tells this area: how to issue and show the volglink of a post."""
    app.extensions[_NA_INDIENEN] = na_indienen


def _na_indienen(knelpunt: Knelpunt, client_request_id: str | None) -> Markup | None:
    maak: NaIndienen | None = current_app.extensions.get(_NA_INDIENEN)
    return maak(knelpunt, client_request_id) if maak is not None else None


@bp.app_context_processor
def _grenzen() -> dict[str, Any]:
    """The limits the knelpunten templates show, from the constants the rules use."""
    return {"kp_grenzen": live.GRENZEN}


@bp.app_template_global("render_markdown")
def render_markdown(text: str) -> Markup:
    """User Markdown, sanitised (facilitatie/tekst.py)."""
    return render_markdown_markup(text)


# --- this browser's anonymous posts -------------------------------------------------------


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


# --- the volglink across a redirect (no JavaScript) --------------------------------------
#
# Without JavaScript a post is answered with a redirect. The volglink must not ride along in a
# flash (the session cookie names the deelnemer), so a cookie of its own, scoped to this
# sessie's pages and short-lived, carries the post's request id; the next page finds the post
# by it (as a retry would) and shows the same link once. The token itself is in no cookie.
VOLGLINK_COOKIE = "ontmoet_volglink"
_VIJF_MINUTEN = 300


def _volglink_na_redirect(response: Response, sessie: Sessie, client_request_id: str | None) -> None:
    if request_id := geldige_request_id(client_request_id):
        response.set_cookie(
            VOLGLINK_COOKIE, request_id, max_age=_VIJF_MINUTEN, path=f"/s/{sessie.deelnamecode}",
            httponly=True, samesite="Strict", secure=request.is_secure,
        )  # fmt: skip


def _volglink_van_redirect(sessie: Sessie) -> Markup | None:
    """The volglink of the post this browser just made without JavaScript, once (then the cookie goes)."""
    request_id = geldige_request_id(request.cookies.get(VOLGLINK_COOKIE))
    if request_id is None:
        return None
    code = sessie.deelnamecode

    @after_this_request
    def _vergeten(response: Response) -> Response:
        response.delete_cookie(VOLGLINK_COOKIE, path=f"/s/{code}", httponly=True, samesite="Strict")
        return response

    knelpunt = lezen.post_van_verzoek(sessie, request_id)
    return _na_indienen(knelpunt, request_id) if knelpunt is not None else None


# --- this device's wijkteam ---------------------------------------------------------------


def _onthouden_team(sessie: Sessie) -> str:
    """The Wijkteam value this device chose in this sessie: a team id, 'geen', or ''."""
    sessie_id, _, keuze = request.cookies.get(TEAM_COOKIE, "").partition(":")
    if sessie_id != str(sessie.id) or not (keuze == GEEN_TEAM or keuze.isdigit()):
        return ""
    return keuze


def _bewaar_team(response: Response, sessie: Sessie, keuze: str) -> None:
    if keuze == GEEN_TEAM or keuze.isdigit():
        response.set_cookie(
            TEAM_COOKIE, f"{sessie.id}:{keuze}", max_age=_EEN_JAAR, httponly=True, samesite="Lax",
            secure=request.is_secure,
        )  # fmt: skip


def _team_keuze(sessie: Sessie, ik: Deelnemer | None, teams: list[Any], gekozen: str | None) -> str:
    """What the Wijkteam field shows: just chosen, else remembered here, else the account's or the only team."""
    geldig = {str(t.id) for t in teams} | {GEEN_TEAM}
    for keuze in (gekozen, _onthouden_team(sessie)):
        if keuze and keuze in geldig:
            return keuze
    if ik is not None and ik.user is not None and str(ik.user.team_id) in geldig:
        return str(ik.user.team_id)
    return str(teams[0].id) if len(teams) == 1 else ""


# --- contexts and panels ------------------------------------------------------------------


def persoonlijk(sessie: Sessie, ik: Deelnemer | None, team: str | None = None, **extra: Any) -> dict[str, Any]:
    """The context of one deelnemer's panel: their own posts, ballot, a fresh request id."""
    inst = lezen.instellingen(sessie)
    teams = lezen.team_keuzes(sessie)
    ctx = live.context(
        sessie,
        inst,
        DEELNEMERS,
        ik=ik,
        csrf_value=generate_csrf,
        rid=uuid.uuid4().hex,
        domeinen=DOMEINEN,
        teams=teams,
        mag_bewerken=lezen.mag_indienen(sessie),
        mijn=lezen.mijn_knelpunten(sessie, ik, _sleutels()),
        mijn_stemmen=lezen.MijnStemmen(ik),
    )
    ctx["invoer"] = {"team": _team_keuze(sessie, ik, teams, team)}
    if ik is not None and "volglink" not in extra and request.cookies.get(VOLGLINK_COOKIE):
        ctx["volglink"] = _volglink_van_redirect(sessie)
    ctx.update(extra)
    return ctx


def begeleider_context(sessie: Sessie, **extra: Any) -> dict[str, Any]:
    inst = lezen.instellingen(sessie)
    return live.context(sessie, inst, BEGELEIDER, csrf_value=generate_csrf, rid=uuid.uuid4().hex, **extra)


@werkruimte.voor_deelnemer("knelpunten", "bundelen", "stemmen", "dialoog", werkruimte.VOORAF, gebied=GEBIED)
def _deelnemer_paneel(
    sessie: Sessie, _fase: Fase | None, deelnemer: Deelnemer, staat: werkruimte.Staat
) -> werkruimte.Paneel | None:
    if lezen.weergave(sessie) is None:
        return None
    return werkruimte.Paneel("knelpunten/werkruimte.html", persoonlijk(sessie, deelnemer, **staat))


@werkruimte.voor_begeleider("knelpunten", "bundelen", "stemmen", "dialoog", werkruimte.VOORAF, gebied=GEBIED)
def _begeleider_paneel(
    sessie: Sessie, _fase: Fase | None, _user: Any, staat: werkruimte.Staat
) -> werkruimte.Paneel | None:
    if lezen.weergave(sessie) is None and sessie.status != Status.CONCEPT:
        return None
    return werkruimte.Paneel("knelpunten/paneel.html", begeleider_context(sessie, **staat))


@werkruimte.voor_scherm("knelpunten", "bundelen", "stemmen", "dialoog", gebied=GEBIED)
def _scherm_paneel(sessie: Sessie, _fase: Fase) -> werkruimte.Paneel | None:
    if lezen.weergave(sessie) is None:
        return None
    return werkruimte.Paneel("knelpunten/scherm.html", live.scherm_context(sessie, lezen.instellingen(sessie)))


# --- answers ------------------------------------------------------------------------------


def _pagina(v: Verzoek, status: int, *, als_begeleider: bool | None = None, **staat: Any) -> Antwoord:
    """The whole page again (no JavaScript), with the error or state placed in our panel."""
    leidt = v.leidt if als_begeleider is None else als_begeleider
    if lezen.weergave(v.sessie) is None and not (leidt and v.sessie.status == Status.CONCEPT):
        # Our panel is not on the page now: say it at the top instead.
        berichten = [staat.get("kp_fout"), staat.get("melding"), *(staat.get("fouten") or {}).values()]
        for bericht in dict.fromkeys(b for b in berichten if b):
            flash(bericht, "error")
    fout = status >= 400
    if leidt:
        html = werkruimte.begeleider_pagina(v.sessie, v.user, leidt=True, staat={GEBIED: staat}, fout=fout)
    else:
        html = werkruimte.deelnemer_pagina(v.sessie, v.deelnemer, staat={GEBIED: staat}, fout=fout)
    return html, status


def _status(fout: Ongeldig) -> int:
    return 422 if isinstance(fout, PrivacyWaarschuwing) else 400


def _fout(v: Verzoek, fout: Ongeldig) -> Antwoord:
    """A refused action: the Dutch reason at the top of our panel, with a 4xx."""
    status = _status(fout)
    if request.htmx:
        html = render_template("knelpunten/_melding.html", bericht=fout.bericht)
        return html, status, {"HX-Retarget": "#kp-melding", "HX-Reswap": "innerHTML"}
    return _pagina(v, status, kp_fout=fout.bericht)


def _mijn_fout(v: Verzoek, fout: Ongeldig) -> Antwoord:
    """A refused bewerken or intrekken: the reason in the author's own list."""
    if request.htmx:
        return _mijn_antwoord(v, mijn_fout=fout.bericht), _status(fout)
    return _pagina(v, _status(fout), als_begeleider=False, kp_fout=fout.bericht)


def _mijn_antwoord(v: Verzoek, **extra: Any) -> str:
    return render_template("knelpunten/_mijn.html", **persoonlijk(v.sessie, v.ik, **extra))


def _fout_bij(veld: str, fout: Ongeldig) -> dict[str, Any]:
    """Where a refusal shows: a privacy warning above the text with 'Toch …', else next to its field."""
    if isinstance(fout, PrivacyWaarschuwing):
        return {"melding": fout.bericht}
    return {"fouten": {fout.veld or veld: fout.bericht}}


# --- knelpunten ---------------------------------------------------------------------------


@bp.post("/s/<code>/knelpunten")
@sessie_actie(bij_fout=_fout, wie="deelnemer")
def indienen(v: Verzoek) -> Antwoord:
    """Knelpunt indienen: once per client_request_id; anonymous keeps no trace of the author."""
    form = KnelpuntForm()
    if form.aanpassen.data:
        # "Aanpassen" after a privacy warning: the form again, as typed and without the warning,
        # so the edited text goes through the check again ("Toch indienen" is gone).
        staat = {"invoer": form.invoer(), "aanpassen": True}
        if request.htmx:
            return render_template("knelpunten/_indienen.html", **persoonlijk(v.sessie, v.ik, **staat))
        return _pagina(v, 200, als_begeleider=False, **staat)
    try:
        uitkomst = posten.indienen(
            v.sessie,
            v.deelnemer,
            tekst=form.tekst.data or "",
            domein=form.domein.data or "",
            team_id=form.team_id,
            anoniem=bool(form.anoniem.data),
            client_request_id=form.client_request_id.data,
            bevestigd=bool(form.bevestigd.data),
            zonder_team=form.zonder_team,
        )
    except Ongeldig as fout:
        staat = {"invoer": form.invoer(), **_fout_bij("tekst", fout)}
        if request.htmx:
            return render_template("knelpunten/_indienen.html", **persoonlijk(v.sessie, v.ik, **staat)), _status(fout)
        return _pagina(v, _status(fout), als_begeleider=False, **staat)
    # The volglink of this post (the same one again for a retry of the same request id): only
    # in this answer, never in the event that tells the others.
    # Without JavaScript the next page finds the post by its request id; without one there is no
    # way to show the link there, so none is made (a link nobody saw helps nobody).
    toonbaar = request.htmx or geldige_request_id(form.client_request_id.data) is not None
    volglink = _na_indienen(uitkomst.knelpunt, form.client_request_id.data) if toonbaar else None
    bericht = "Je knelpunt is ingediend." + (
        "" if uitkomst.knelpunt.onthuld else " Anderen zien het zodra de begeleider de knelpunten onthult."
    )
    if volglink is not None:
        bericht += " Bewaar de volglink die erbij staat."
    sleutels = _sleutels() + ([uitkomst.sleutel] if uitkomst.sleutel else [])
    if request.htmx:
        ctx = persoonlijk(v.sessie, v.ik, team=form.team.data, gelukt=bericht, volglink=volglink)
        ctx["mijn"] = lezen.mijn_knelpunten(v.sessie, v.ik, sleutels)
        html = render_template("knelpunten/_indienen.html", **ctx) + render_template(
            "knelpunten/_mijn.html", **{**ctx, "oob": True}
        )
        response = Response(html, 200, mimetype="text/html")
    else:
        flash(bericht, "ok")
        response = terug(v)
    if uitkomst.sleutel:
        _bewaar_sleutel(response, uitkomst.sleutel)
    _bewaar_team(response, v.sessie, form.team.data or "")
    if volglink is not None:
        response.headers["Cache-Control"] = "no-store"
        if not request.htmx:
            _volglink_na_redirect(response, v.sessie, form.client_request_id.data)
    return response


@bp.post("/s/<code>/knelpunten/<int:knelpunt_id>/bewerken")
@sessie_actie(bij_fout=_mijn_fout)
def bewerken(v: Verzoek, knelpunt_id: int) -> Antwoord:
    """The author edits their own knelpunt while the fase is open."""
    knelpunt = lezen.knelpunt_van(v.sessie, knelpunt_id)
    form = KnelpuntForm()
    posten.bewerken(
        v.sessie,
        knelpunt,
        v.ik,
        _sleutels(),
        tekst=form.tekst.data or "",
        domein=form.domein.data or "",
        bevestigd=bool(form.bevestigd.data),
    )
    if request.htmx:
        return _mijn_antwoord(v)
    flash("Je knelpunt is bijgewerkt.", "ok")
    return terug(Verzoek(v.sessie, v.ik, v.user, leidt=False))


@bp.post("/s/<code>/knelpunten/<int:knelpunt_id>/intrekken")
@sessie_actie(bij_fout=_mijn_fout)
def intrekken(v: Verzoek, knelpunt_id: int) -> Antwoord:
    """The author withdraws their own knelpunt while the fase is open."""
    knelpunt = lezen.knelpunt_van(v.sessie, knelpunt_id)
    posten.intrekken(v.sessie, knelpunt, v.ik, _sleutels())
    if request.htmx:
        return _mijn_antwoord(v)
    flash("Je knelpunt is ingetrokken.", "ok")
    return terug(Verzoek(v.sessie, v.ik, v.user, leidt=False))


@bp.post("/s/<code>/knelpunten/<int:knelpunt_id>/verbergen")
@sessie_actie(bij_fout=_fout)
def verbergen(v: Verzoek, knelpunt_id: int) -> Antwoord:
    """Moderation by the begeleider, with a reason kept in the audit trail."""
    knelpunt = lezen.knelpunt_van(v.sessie, knelpunt_id)
    moderatie.verbergen_knelpunt(v.sessie, v.user, knelpunt, RedenForm().reden.data or "")
    return klaar(v, "Het knelpunt is verborgen.")


@bp.post("/s/<code>/knelpunten/onthullen")
@sessie_actie(bij_fout=_fout)
def onthullen(v: Verzoek) -> Antwoord:
    """Onthullen: show the hidden knelpunten to everyone."""
    instellingen.onthullen(v.sessie, v.user)
    return klaar(v, "De knelpunten zijn onthuld.")


def _instellingen_fout(v: Verzoek, fout: Ongeldig) -> Antwoord:
    staat = {"fouten": {fout.veld: fout.bericht}}
    if request.htmx:
        return render_template("knelpunten/_instellingen.html", **begeleider_context(v.sessie, **staat)), 400
    return _pagina(v, 400, **staat)


@bp.post("/s/<code>/knelpunten/instellingen", endpoint="instellingen")
@sessie_actie(bij_fout=_instellingen_fout, wie="begeleider")
def instellingen_opslaan(v: Verzoek) -> Antwoord:
    """The begeleider's settings: reveal, bundelen by deelnemers, stemmen, inbreng vooraf."""
    form = InstellingenForm()
    instellingen.instellingen_opslaan(
        v.sessie,
        v.user,
        verborgen_tot_onthulling=bool(form.verborgen_tot_onthulling.data),
        stemmen_per_deelnemer=form.stemmen_per_deelnemer.data or 0,
        max_per_item=form.max_per_item.data or 0,
        deelnemers_bundelen=bool(form.deelnemers_bundelen.data),
        stemmen_op=form.stemmen_op.data or "",
        inbreng_open=bool(form.inbreng_open.data) if v.sessie.status == Status.CONCEPT else None,
    )
    if request.htmx:
        return render_template(
            "knelpunten/_instellingen.html",
            **begeleider_context(v.sessie, instellingen_opgeslagen=True, open_instellingen=True),
        )
    return klaar(v, "Instellingen opgeslagen.")


# --- bundelen -----------------------------------------------------------------------------


@bp.post("/s/<code>/themas")
@sessie_actie(bij_fout=_fout)
def thema_maken(v: Verzoek) -> Antwoord:
    """A new thema (begeleider, or deelnemers when the sessie allows)."""
    form = ThemaForm()
    bundelen.thema_maken(v.sessie, v.user, v.ik, form.naam.data or "", bevestigd=bool(form.bevestigd.data))
    return klaar(v, "Thema toegevoegd.")


@bp.post("/s/<code>/themas/<int:thema_id>/hernoemen")
@sessie_actie(bij_fout=_fout)
def thema_hernoemen(v: Verzoek, thema_id: int) -> Antwoord:
    """Rename a thema."""
    thema = lezen.thema_van(v.sessie, thema_id)
    form = ThemaForm()
    bundelen.thema_hernoemen(v.sessie, v.user, v.ik, thema, form.naam.data or "", bevestigd=bool(form.bevestigd.data))
    return klaar(v, "Thema hernoemd.")


@bp.post("/s/<code>/themas/<int:thema_id>/opheffen")
@sessie_actie(bij_fout=_fout)
def thema_opheffen(v: Verzoek, thema_id: int) -> Antwoord:
    """Dissolve a thema; its knelpunten become loose again."""
    thema = lezen.thema_van(v.sessie, thema_id)
    bundelen.thema_opheffen(v.sessie, v.user, v.ik, thema)
    return klaar(v, "Thema opgeheven.")


@bp.post("/s/<code>/knelpunten/<int:knelpunt_id>/verplaats")
@sessie_actie(bij_fout=_fout)
def verplaats(v: Verzoek, knelpunt_id: int) -> Antwoord:
    """Verplaats naar thema… (the keyboard path; drag and drop posts here too)."""
    knelpunt = lezen.knelpunt_van(v.sessie, knelpunt_id)
    thema_id = VerplaatsForm().thema.data or 0
    thema = lezen.thema_van(v.sessie, thema_id) if thema_id else None
    bundelen.verplaats(v.sessie, v.user, v.ik, knelpunt, thema)
    return klaar(v)


# --- stemmen ------------------------------------------------------------------------------


def _stem_fout(v: Verzoek, fout: Ongeldig) -> Antwoord:
    if request.htmx:
        return render_template("knelpunten/_stemmen.html", **persoonlijk(v.sessie, v.ik, stem_fout=fout.bericht)), 409
    return _pagina(v, 409, als_begeleider=False, kp_fout=fout.bericht)


def _stem_antwoord(v: Verzoek) -> Antwoord:
    if request.htmx:
        return render_template("knelpunten/_stemmen.html", **persoonlijk(v.sessie, v.ik, stem_gedaan=True))
    return terug(Verzoek(v.sessie, v.ik, v.user, leidt=False))


@bp.post("/s/<code>/stemmen")
@sessie_actie(bij_fout=_stem_fout, wie="deelnemer")
def stem(v: Verzoek) -> Antwoord:
    """Stem: one dot on a thema or knelpunt, within the sessie's limits; once per client_request_id."""
    form = StemForm()
    stemmen.stem(v.sessie, v.deelnemer, *form.gekozen(), client_request_id=form.client_request_id.data)
    return _stem_antwoord(v)


@bp.post("/s/<code>/stemmen/intrekken")
@sessie_actie(bij_fout=_stem_fout, wie="deelnemer")
def stem_intrekken(v: Verzoek) -> Antwoord:
    """Stem intrekken while voting is open (the one stem the deelnemer saw, when `van` is sent)."""
    form = StemForm()
    stemmen.stem_intrekken(v.sessie, v.deelnemer, *form.gekozen(), van=form.van.data or None)
    return _stem_antwoord(v)


@bp.post("/s/<code>/stemmen/sluiten")
@sessie_actie(bij_fout=_fout)
def stemmen_sluiten(v: Verzoek) -> Antwoord:
    """Stemmen sluiten: the results show, ordered by votes."""
    stemmen.stemmen_sluiten(v.sessie, v.user)
    return klaar(v, "Het stemmen is gesloten.")


@bp.post("/s/<code>/stemmen/heropenen")
@sessie_actie(bij_fout=_fout)
def stemmen_heropenen(v: Verzoek) -> Antwoord:
    """Open the vote again (each ballot is reloaded)."""
    stemmen.stemmen_heropenen(v.sessie, v.user)
    return klaar(v, "Het stemmen is weer open.")


# --- dialoog ------------------------------------------------------------------------------


@bp.post("/s/<code>/dialoog/scherm")
@sessie_actie(bij_fout=_fout)
def scherm(v: Verzoek) -> Antwoord:
    """Put one item on everyone's screen."""
    dialoog.zet_op_scherm(v.sessie, v.user, *ItemForm().gekozen())
    return klaar(v)


@bp.post("/s/<code>/dialoog/besproken")
@sessie_actie(bij_fout=_fout)
def besproken(v: Verzoek) -> Antwoord:
    """Mark an item besproken (or undo it)."""
    form = BesprokenForm()
    dialoog.besproken(v.sessie, v.user, *form.gekozen(), form.waarde.data != "0")
    return klaar(v)


def _reactie_fout(v: Verzoek, fout: Ongeldig) -> Antwoord:
    """A refused reactie: the reason under that item's form, with what was typed kept."""
    form = ReactieForm()
    soort, item_id = form.soort.data or "", form.item.data or 0
    staat: dict[str, Any] = {"fout_item": f"{soort}-{item_id}", "invoer": {"tekst": form.tekst.data or ""}}
    if isinstance(fout, PrivacyWaarschuwing):
        staat["melding"] = fout.bericht
    else:
        staat["fouten"] = {"reactie": fout.bericht}
    if request.htmx and soort in (THEMA, KNELPUNT):
        try:
            item = lezen.item_van(v.sessie, soort, item_id)
        except Geweigerd:
            return _fout(v, fout)
        html = render_template("knelpunten/_reageren.html", **persoonlijk(v.sessie, v.ik, item=item, **staat))
        return html, _status(fout)
    return _pagina(v, _status(fout), als_begeleider=False, kp_fout=fout.bericht, **staat)


@bp.post("/s/<code>/reacties")
@sessie_actie(bij_fout=_reactie_fout, wie="deelnemer")
def reageren(v: Verzoek) -> Antwoord:
    """Reageren on an item: marked beleid or uitvoering; once per client_request_id."""
    form = ReactieForm()
    soort, item_id = form.gekozen()
    item = lezen.item_van(v.sessie, soort, item_id)
    if form.aanpassen.data:  # after a privacy warning: edit, and the check runs again
        staat = {"fout_item": f"{soort}-{item_id}", "invoer": {"tekst": form.tekst.data or ""}, "aanpassen": True}
        if request.htmx:
            return render_template("knelpunten/_reageren.html", **persoonlijk(v.sessie, v.ik, item=item, **staat))
        return _pagina(v, 200, als_begeleider=False, **staat)
    dialoog.reageren(
        v.sessie,
        v.deelnemer,
        soort,
        item_id,
        tekst=form.tekst.data or "",
        client_request_id=form.client_request_id.data,
        bevestigd=bool(form.bevestigd.data),
    )
    if request.htmx:
        ctx = persoonlijk(v.sessie, v.ik, item=item, gelukt="Je reactie is geplaatst.")
        return render_template("knelpunten/_reageren.html", **ctx)
    flash("Je reactie is geplaatst.", "ok")
    return terug(Verzoek(v.sessie, v.ik, v.user, leidt=False))


@bp.post("/s/<code>/reacties/<int:reactie_id>/verbergen")
@sessie_actie(bij_fout=_fout)
def reactie_verbergen(v: Verzoek, reactie_id: int) -> Antwoord:
    """Moderation of a reactie, with a reason kept in the audit trail."""
    reactie = lezen.reactie_van(v.sessie, reactie_id)
    moderatie.verbergen_reactie(v.sessie, v.user, reactie, RedenForm().reden.data or "")
    return klaar(v, "De reactie is verborgen.")


@bp.post("/s/<code>/timer", endpoint="timer")
@sessie_actie(bij_fout=_fout)
def timer_bedienen(v: Verzoek) -> Antwoord:
    """Timer starten, pauzeren, hervatten, verlengen, stoppen (up to 4 hours)."""
    form = TimerForm()
    timer.timer(v.sessie, v.user, form.actie.data or "", form.minuten.data or 0, form.label.data or "")
    return klaar(v)
