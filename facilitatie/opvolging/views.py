"""Opvolging, besluiten, terugkoppeling, verslag and dashboard pages (thin: parse, authorise, call, render)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.wrappers import Response

from facilitatie.accounts.models import Team, User
from facilitatie.accounts.rollen import Rol, kan_sessie_bekijken, leidt_sessie
from facilitatie.extensions import db
from facilitatie.fouten import Geweigerd, Ongeldig
from facilitatie.knelpunten.models import DOMEINEN, Knelpunt, Thema
from facilitatie.opvolging import (
    models,  # noqa: F401 - registers the tables
    overzicht,
    rechten,
    regels,
    service,
    verslag,
    verversen,
)
from facilitatie.opvolging.models import Actie
from facilitatie.sessies import werkruimte
from facilitatie.sessies.deelname import current_deelnemer
from facilitatie.sessies.models import Sessie
from facilitatie.sessies.vormen import Fase
from facilitatie.templating import MAANDEN
from facilitatie.web_helpers import safe_next

bp = Blueprint("opvolging", __name__)


def vandaag() -> date:
    """Today's date, the one place pages ask (so 'te laat' is the same everywhere in a request)."""
    return date.today()


def _sessie_or_404(sessie_id: int) -> Sessie:
    return db.session.get(Sessie, sessie_id) or abort(404)


def _knelpunt_or_404(knelpunt_id: int) -> Knelpunt:
    knelpunt = db.session.get(Knelpunt, knelpunt_id)
    if knelpunt is None or not service.is_zichtbaar(knelpunt):
        abort(404)
    return knelpunt


def _actie_zichtbaar(actie: Actie) -> bool:
    user = current_user
    if rechten.ziet_gemeente(user, actie.gemeente_id):
        return True
    if user.rol == Rol.WIJKTEAMLID and user.gemeente_id == actie.gemeente_id:
        return actie.eigenaar_id == user.id or any(k.team_id == user.team_id for k in actie.knelpunten)
    return False


def _actie_or_404(actie_id: int) -> Actie:
    actie = db.session.get(Actie, actie_id) or abort(404)
    if not _actie_zichtbaar(actie):
        raise Geweigerd("Deze actie hoort bij een andere gemeente of een ander team.")
    return actie


def _terug(standaard: str) -> Response:
    return redirect(safe_next(request.form.get("next") or request.args.get("next"), standaard))


def _verwachting_id() -> int | None:
    """The chosen verwachting; junk becomes -1 so the service refuses it."""
    waarde = request.form.get("verwachting")
    return (overzicht._int(waarde) or -1) if waarde else None


def _toch() -> bool:
    return request.form.get("toch") in ("1", "y", "on", "ja")


# --------------------------------------------------------------------------- besluiten


def besluiten_context(sessie: Sessie, fouten: dict | None = None, invoer: dict | None = None) -> dict[str, Any]:
    """Everything the besluiten fragment needs (page, begeleider panel, htmx answer)."""
    knelpunten = service.knelpunten_van_sessie(sessie)
    ids = [k.id for k in knelpunten]
    themas: dict[int | None, list[Knelpunt]] = {}
    for knelpunt in knelpunten:
        themas.setdefault(knelpunt.thema_id, []).append(knelpunt)
    thema_rijen = {
        t.id: t for t in db.session.scalars(select(Thema).where(Thema.id.in_([i for i in themas if i is not None])))
    }
    mag = rechten.kan_besluiten(current_user, sessie.gemeente_id)
    return {
        "sessie": sessie,
        "knelpunten": knelpunten,
        "themas": themas,
        "thema_rijen": thema_rijen,
        "besluiten": service.besluiten_per_knelpunt(ids),
        "acties": service.acties_per_knelpunt(ids),
        "sessie_acties": list(db.session.scalars(select(Actie).where(Actie.sessie_id == sessie.id).order_by(Actie.id))),
        "eigenaren": service.mogelijke_eigenaren(sessie.gemeente_id) if mag else [],
        "verwachtingen": service.verwachtingen_van(sessie) if mag else [],
        "mag_besluiten": mag,
        "fouten": fouten or {},
        "invoer": invoer or {},
        "soorten": regels.BESLUIT_LABELS,
        "vandaag": vandaag(),
        "is_te_laat": regels.is_te_laat,
    }


@werkruimte.voor_begeleider("besluiten", gebied="opvolging")
def _besluiten_paneel(sessie: Sessie, _fase: Fase, user: User, _staat: werkruimte.Staat) -> werkruimte.Paneel | None:
    if not rechten.kan_besluiten(user, sessie.gemeente_id):
        return None
    return werkruimte.Paneel("opvolging/_paneel_besluiten.html", besluiten_context(sessie))


@werkruimte.voor_begeleider("knelpunten", "bundelen", gebied="opvolging")
def _eerder_gemeld_paneel(
    sessie: Sessie, _fase: Fase, user: User, _staat: werkruimte.Staat
) -> werkruimte.Paneel | None:
    if not rechten.kan_besluiten(user, sessie.gemeente_id):
        return None
    return werkruimte.Paneel(
        "opvolging/_eerder_gemeld.html", {"suggesties": service.suggesties(sessie), "in_paneel": True}
    )


@werkruimte.voor_begeleider("welkom", gebied="opvolging")
def _reeks_paneel(sessie: Sessie, _fase: Fase, user: User, _staat: werkruimte.Staat) -> werkruimte.Paneel | None:
    acties = service.acties_uit_reeks(sessie, vandaag())
    if not acties:
        return None
    return werkruimte.Paneel(
        "opvolging/_paneel_reeks.html",
        {
            "acties": acties,
            "reeks": service.reeks_van(sessie),
            "vandaag": vandaag(),
            "is_te_laat": regels.is_te_laat,
            "kan_bijwerken": rechten.kan_actie_bijwerken,
        },
    )


def _besluiten_pagina(sessie: Sessie, status: int = 200, **context: Any) -> tuple[str, int]:
    return render_template(
        "opvolging/besluiten.html",
        **besluiten_context(sessie, **context),
        suggesties=service.suggesties(sessie) if rechten.kan_besluiten(current_user, sessie.gemeente_id) else {},
        reeks=service.reeks_van(sessie),
        reeksen=service.reeksen(sessie.gemeente_id),
        leidt=leidt_sessie(current_user, sessie),
    ), status


@bp.get("/sessies/<int:sessie_id>/besluiten")
@login_required
def besluiten(sessie_id: int) -> tuple[str, int]:
    """Every knelpunt of the sessie with its besluit and acties; staff of the gemeente decide here."""
    sessie = _sessie_or_404(sessie_id)
    if not kan_sessie_bekijken(current_user, sessie):
        raise Geweigerd("Deze sessie hoort bij een andere gemeente.")
    return _besluiten_pagina(sessie)


def _besluit_antwoord(sessie: Sessie, sleutel: str, fout: Ongeldig | None) -> Response | tuple[str, int]:
    """htmx: the besluiten fragment; otherwise back to the page (or the page with the error, 400)."""
    fouten = {(sleutel, fout.veld): fout.bericht} if fout else {}
    invoer = {sleutel: request.form.to_dict()} if fout else {}
    if request.headers.get("HX-Request"):
        html = render_template("opvolging/_besluiten.html", **besluiten_context(sessie, fouten, invoer))
        return html, 400 if fout else 200
    if fout:
        return _besluiten_pagina(sessie, 400, fouten=fouten, invoer=invoer)
    flash("Besluit vastgelegd.", "ok")
    return _terug(url_for(".besluiten", sessie_id=sessie.id) + f"#{sleutel}")


def _besluit_velden() -> dict[str, Any]:
    return {
        "soort": request.form.get("soort", ""),
        "reden": request.form.get("reden", ""),
        "doorverwezen_naar": request.form.get("doorverwezen_naar", ""),
        "toelichting": request.form.get("toelichting", ""),
        "toch": _toch(),
    }


@bp.post("/knelpunten/<int:knelpunt_id>/besluit")
@login_required
def besluit_knelpunt(knelpunt_id: int) -> Response | tuple[str, int]:
    """Record the besluit on one knelpunt."""
    knelpunt = _knelpunt_or_404(knelpunt_id)
    fout = None
    try:
        service.besluit_nemen(knelpunt, current_user, **_besluit_velden())
    except Ongeldig as exc:
        db.session.rollback()
        fout = exc
    return _besluit_antwoord(knelpunt.sessie, f"knelpunt-{knelpunt.id}", fout)


@bp.post("/themas/<int:thema_id>/besluit")
@login_required
def besluit_thema(thema_id: int) -> Response | tuple[str, int]:
    """One besluit for all knelpunten of a thema."""
    thema = db.session.get(Thema, thema_id) or abort(404)
    fout = None
    try:
        service.besluit_voor_thema(thema, current_user, **_besluit_velden())
    except Ongeldig as exc:
        db.session.rollback()
        fout = exc
    return _besluit_antwoord(thema.sessie, f"thema-{thema.id}", fout)


@bp.post("/sessies/<int:sessie_id>/acties")
@login_required
def actie_toevoegen(sessie_id: int) -> Response | tuple[str, int]:
    """Add an actie (eigenaar, streefdatum) linked to knelpunten of this sessie."""
    sessie = _sessie_or_404(sessie_id)
    fout = None
    try:
        service.actie_toevoegen(
            current_user,
            gemeente_id=sessie.gemeente_id,
            sessie=sessie,
            omschrijving=request.form.get("omschrijving", ""),
            eigenaar_id=overzicht._int(request.form.get("eigenaar")),
            afdeling=request.form.get("afdeling", ""),
            streefdatum=request.form.get("streefdatum", ""),
            # A junk id stays in as -1, so the service refuses it instead of silently dropping it.
            knelpunt_ids=[overzicht._int(w) or -1 for w in request.form.getlist("knelpunten")],
            verwachting_id=(overzicht._int(request.form.get("verwachting")) or -1)
            if request.form.get("verwachting")
            else None,
            toch=_toch(),
        )
    except Ongeldig as exc:
        db.session.rollback()
        fout = exc
    fouten = {("actie", fout.veld): fout.bericht} if fout else {}
    invoer = {"actie": request.form.to_dict(flat=False)} if fout else {}
    if request.headers.get("HX-Request"):
        html = render_template("opvolging/_besluiten.html", **besluiten_context(sessie, fouten, invoer))
        return html, 400 if fout else 200
    if fout:
        return _besluiten_pagina(sessie, 400, fouten=fouten, invoer=invoer)
    flash("Actie toegevoegd.", "ok")
    return _terug(url_for(".besluiten", sessie_id=sessie.id) + "#acties")


@bp.post("/knelpunten/<int:knelpunt_id>/eerder-gemeld")
@login_required
def eerder_gemeld(knelpunt_id: int) -> Response | tuple[str, int]:
    """Link a knelpunt to an earlier one: a signal that came back."""
    knelpunt = _knelpunt_or_404(knelpunt_id)
    eerder = db.session.get(Knelpunt, overzicht._int(request.form.get("eerder")) or 0)
    try:
        if eerder is None or not service.is_zichtbaar(eerder):
            raise Ongeldig("eerder", "Kies een eerder knelpunt uit de suggesties.")
        score = request.form.get("score", type=float)
        service.eerder_gemeld_koppelen(knelpunt, eerder, current_user, score=score)
    except Ongeldig as exc:
        db.session.rollback()
        if request.headers.get("HX-Request"):
            return render_template("_fout_fragment.html", titel="Niet gekoppeld", bericht=exc.bericht, status=400), 400
        flash(exc.bericht, "error")
        return _terug(url_for(".besluiten", sessie_id=knelpunt.sessie_id)), 400
    if request.headers.get("HX-Request"):
        return render_template(
            "opvolging/_eerder_gemeld.html", suggesties=service.suggesties(knelpunt.sessie), sessie=knelpunt.sessie
        ), 200
    flash("Gekoppeld als eerder gemeld.", "ok")
    return _terug(url_for(".besluiten", sessie_id=knelpunt.sessie_id))


@bp.post("/sessies/<int:sessie_id>/reeks")
@login_required
def reeks(sessie_id: int) -> Response | tuple[str, int]:
    """Put the sessie in a reeks (e.g. a leerkring), so the next one looks back on its acties."""
    sessie = _sessie_or_404(sessie_id)
    try:
        service.reeks_instellen(
            sessie,
            current_user,
            reeks_id=overzicht._int(request.form.get("reeks")),
            nieuwe_naam=request.form.get("naam", ""),
        )
    except Ongeldig as exc:
        db.session.rollback()
        return _besluiten_pagina(sessie, 400, fouten={("reeks", exc.veld): exc.bericht})
    flash("Reeks opgeslagen.", "ok")
    return redirect(url_for(".besluiten", sessie_id=sessie.id) + "#reeks")


# --------------------------------------------------------------------------- acties


def _actie_context(actie: Actie, fout: Ongeldig | None = None) -> dict[str, Any]:
    mag = rechten.kan_actie_bijwerken(current_user, actie.gemeente_id, actie.eigenaar_id)
    return {
        "actie": actie,
        "mag_bijwerken": mag,
        "overgangen": regels.toegestane_overgangen(actie.status) if mag else [],
        "eigenaren": service.mogelijke_eigenaren(actie.gemeente_id) if mag else [],
        "vandaag": vandaag(),
        "is_te_laat": regels.is_te_laat,
        "fout": fout,
        "invoer": request.form if fout else {},
    }


@bp.get("/acties/<int:actie_id>")
@login_required
def actie(actie_id: int) -> str:
    """One actie: its knelpunten, status, and its full history."""
    return render_template("opvolging/actie.html", **_actie_context(_actie_or_404(actie_id)))


def _actie_antwoord(actie: Actie, fout: Ongeldig | None, gelukt: str) -> Response | tuple[str, int]:
    if request.headers.get("HX-Request"):
        terug = request.form.get("next", "")
        html = render_template(
            "opvolging/_actie_status.html",
            **_actie_context(actie, fout),
            terug=terug,
            gelukt=None if fout else gelukt,
            # From the /opvolging list: its Status column shows the new status too.
            in_lijst=terug.startswith(url_for(".opvolging")),
        )
        return html, 400 if fout else 200
    if fout:
        return render_template("opvolging/actie.html", **_actie_context(actie, fout)), 400
    flash(gelukt, "ok")
    return _terug(url_for(".actie", actie_id=actie.id))


@bp.post("/acties/<int:actie_id>/status")
@login_required
def actie_status(actie_id: int) -> Response | tuple[str, int]:
    """Change the status with a voortgangsnotitie (a reden where the transition needs one)."""
    actie = _actie_or_404(actie_id)
    fout = None
    try:
        naar = request.form.get("status", "")
        if not naar:
            service.notitie_toevoegen(actie, current_user, request.form.get("reden", ""), toch=_toch())
        else:
            service.status_wijzigen(actie, current_user, naar, request.form.get("reden", ""), toch=_toch())
    except Ongeldig as exc:
        db.session.rollback()
        fout = exc
    return _actie_antwoord(actie, fout, "Status bijgewerkt.")


@bp.post("/acties/<int:actie_id>/wijzigen")
@login_required
def actie_wijzigen(actie_id: int) -> Response | tuple[str, int]:
    """Change eigenaar, afdeling, streefdatum or toelichting (each change goes into the history)."""
    actie = _actie_or_404(actie_id)
    fout = None
    try:
        service.actie_wijzigen(
            actie,
            current_user,
            eigenaar_id=overzicht._int(request.form.get("eigenaar")),
            afdeling=request.form.get("afdeling", ""),
            streefdatum=request.form.get("streefdatum", ""),
            toelichting=request.form.get("toelichting", ""),
            reden=request.form.get("reden", ""),
            toch=_toch(),
        )
    except Ongeldig as exc:
        db.session.rollback()
        fout = exc
    return _actie_antwoord(actie, fout, "Actie gewijzigd.")


# --------------------------------------------------------------------------- opvolging


@bp.get("/opvolging")
@login_required
def opvolging() -> str:
    """Besluiten and acties across sessies; every filter is a GET parameter, so a URL can be shared."""
    if not rechten.kan_opvolging_zien(current_user):
        raise Geweigerd()
    f = overzicht.parse_filter(request.args)
    if not overzicht.mag_gemeente(current_user, f.gemeente):
        raise Geweigerd("Je ziet alleen de opvolging van je eigen gemeente.")
    pagina = overzicht.lijst(current_user, f, vandaag())
    gemeente_id = overzicht.gemeente_voor(current_user, f.gemeente)
    teams_query = select(Team).order_by(Team.naam)
    if gemeente_id is not None:
        teams_query = teams_query.where(Team.gemeente_id == gemeente_id)
    sessies_query = select(Sessie).order_by(Sessie.aangemaakt_op.desc()).limit(200)
    if gemeente_id is not None:
        sessies_query = sessies_query.where(Sessie.gemeente_id == gemeente_id)
    eigenaren = service.mogelijke_eigenaren(gemeente_id) if gemeente_id else []
    knelpunt_ids = [rij[0].id for rij in pagina.rijen] if f.weergave == "knelpunten" else []
    return render_template(
        "opvolging/lijst.html",
        f=f,
        pagina=pagina,
        gemeenten=overzicht.gemeenten_voor(current_user),
        teams=list(db.session.scalars(teams_query)) if current_user.rol != Rol.WIJKTEAMLID else [],
        sessies=list(db.session.scalars(sessies_query)) if current_user.rol != Rol.WIJKTEAMLID else [],
        eigenaren=eigenaren,
        domeinen=DOMEINEN,
        acties_per_knelpunt=service.acties_per_knelpunt(knelpunt_ids),
        vandaag=vandaag(),
        is_te_laat=regels.is_te_laat,
        kan_bijwerken=rechten.kan_actie_bijwerken,
        toegestane_overgangen=regels.toegestane_overgangen,
        status_labels=overzicht.STATUS_FILTERS,
        besluit_labels=overzicht.BESLUIT_FILTERS,
        weergaven=overzicht.WEERGAVEN,
        sorteringen=overzicht.SORTERINGEN[f.weergave],
    )


# --------------------------------------------------------------------------- dashboard


@bp.get("/dashboard")
@login_required
def dashboard() -> str:
    """Status overview for bestuur: per gemeente and period, every number links to its list."""
    if not rechten.kan_dashboard_zien(current_user):
        raise Geweigerd("Het dashboard is voor de wethouder, beleidsmedewerkers en begeleiders.")
    f = overzicht.parse_filter(request.args)
    gemeenten = overzicht.gemeenten_voor(current_user)
    gemeente_id = overzicht.gemeente_voor(current_user, f.gemeente)
    if f.gemeente is not None and not overzicht.mag_gemeente(current_user, f.gemeente):
        raise Geweigerd("Je ziet alleen het dashboard van je eigen gemeente.")
    if gemeente_id is None:
        if not gemeenten:
            raise Geweigerd("Je account hoort bij geen gemeente.")
        gemeente_id = gemeenten[0].id
    cijfers = overzicht.dashboard(gemeente_id, f.van, f.tot, vandaag())
    verversen.start()

    basis = url_for(".opvolging")  # built once: hundreds of numbers link to it

    def lijst_url(groep: dict[str, Any] | None = None, **extra: Any) -> str:
        args = overzicht.filter_voor(cijfers, **(groep or {}), **extra).als_args()
        return f"{basis}?{urlencode(args)}" if args else basis

    def team_naam(team_id: int | None) -> str:
        return cijfers.teams.get(team_id or 0, "Geen wijkteam")

    def groep_grafiek(groepen: dict[Any, overzicht.Telling], naam: Any) -> list[tuple[str, int]]:
        return [(naam(sleutel), telling.knelpunten) for sleutel, telling in groepen.items()]

    return render_template(
        "opvolging/dashboard.html",
        d=cijfers,
        gemeenten=gemeenten,
        lijst_url=lijst_url,
        grafiek=lambda rijen: [(label, aantal) for label, _waarde, aantal in rijen],
        groep_grafiek=groep_grafiek,
        domein_naam=lambda domein: domein,
        team_naam=team_naam,
        maand_naam=_maand_naam,
        maand_grenzen=_maand_grenzen,
        bijgesteld=verslag.bijgestelde_verwachtingen(gemeente_id, f.van, f.tot),
    )


def _maand_naam(maand: str) -> str:
    """'2026-09' → 'september 2026'."""
    jaar, nummer = maand.split("-")
    return f"{MAANDEN[int(nummer) - 1]} {jaar}"


def _maand_grenzen(maand: str) -> tuple[date, date]:
    """First and last day of a 'YYYY-MM' month, for the opvolging link behind a trend number."""
    jaar, nummer = (int(deel) for deel in maand.split("-"))
    begin = date(jaar, nummer, 1)
    volgende = date(jaar + (nummer == 12), nummer % 12 + 1, 1)
    return begin, volgende - timedelta(days=1)


# --------------------------------------------------------------------------- terugkoppeling and verslag


@bp.get("/teams/<int:team_id>/terugkoppeling")
@login_required
def terugkoppeling_team(team_id: int) -> str:
    """What became of every knelpunt this wijkteam raised (anonymous ones included, via the team)."""
    team = db.session.get(Team, team_id) or abort(404)
    if not rechten.kan_terugkoppeling_zien(current_user, team.id, team.gemeente_id):
        raise Geweigerd("Je ziet alleen de terugkoppeling van je eigen wijkteam.")
    return render_template(
        "opvolging/terugkoppeling.html",
        team=team,
        sessie=None,
        **verslag.terugkoppeling(team_id=team.id, vandaag=vandaag()),
    )


def _mag_verslag(sessie: Sessie) -> bool:
    """Staff of the gemeente, wijkteamleden of the sessie's teams, and its own deelnemers."""
    if current_user.is_authenticated:
        if kan_sessie_bekijken(current_user, sessie):
            return True
        if current_user.rol == Rol.WIJKTEAMLID and current_user.team_id in {t.id for t in sessie.teams}:
            return True
    return current_deelnemer(sessie) is not None


@bp.get("/sessies/<int:sessie_id>/terugkoppeling")
def terugkoppeling_sessie(sessie_id: int) -> str:
    """The terugkoppeling of one sessie only, reached from its verslag."""
    sessie = _sessie_or_404(sessie_id)
    if not _mag_verslag(sessie):
        raise Geweigerd("Alleen deelnemers van deze sessie zien deze terugkoppeling.")
    return render_template(
        "opvolging/terugkoppeling.html",
        team=None,
        sessie=sessie,
        **verslag.terugkoppeling(sessie_id=sessie.id, vandaag=vandaag()),
    )


@bp.get("/sessies/<int:sessie_id>/verslag")
def verslag_pagina(sessie_id: int) -> str:
    """The verslag of a sessie: printable, with Markdown and CSV downloads."""
    sessie = _sessie_or_404(sessie_id)
    if not _mag_verslag(sessie):
        raise Geweigerd("Alleen deelnemers en betrokkenen van deze sessie zien het verslag.")
    return render_template("opvolging/verslag.html", **verslag.gegevens(sessie, vandaag()))


@bp.get("/sessies/<int:sessie_id>/verslag.md")
def verslag_markdown(sessie_id: int) -> Response:
    """The verslag as a Markdown file."""
    sessie = _sessie_or_404(sessie_id)
    if not _mag_verslag(sessie):
        raise Geweigerd()
    tekst = verslag.markdown(verslag.gegevens(sessie, vandaag()))
    return Response(
        tekst,
        mimetype="text/markdown",
        headers={"Content-Disposition": f'attachment; filename="verslag-sessie-{sessie.id}.md"'},
    )


@bp.get("/sessies/<int:sessie_id>/verslag.csv")
def verslag_csv(sessie_id: int) -> Response:
    """Knelpunten, besluiten and acties as CSV for Dutch Excel (UTF-8 BOM, semicolons)."""
    sessie = _sessie_or_404(sessie_id)
    if not _mag_verslag(sessie):
        raise Geweigerd()
    return Response(
        verslag.csv_bytes(verslag.gegevens(sessie, vandaag())),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="verslag-sessie-{sessie.id}.csv"'},
    )
