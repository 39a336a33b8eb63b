"""Opvolging, besluiten, terugkoppeling, verslag and dashboard pages (thin: parse, authorise, call, render)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import select
from werkzeug.wrappers import Response

from facilitatie.accounts.models import Team
from facilitatie.accounts.rollen import Rol, kan_sessie_bekijken, leidt_sessie
from facilitatie.extensions import db
from facilitatie.forms_base import positief_id
from facilitatie.fouten import Geweigerd, Ongeldig
from facilitatie.knelpunten.models import DOMEINEN, Knelpunt
from facilitatie.opvolging import (
    bereik,
    filters,
    fragmenten,
    gevonden,
    lezen,
    lijst,
    models,  # noqa: F401 - registers the tables
    rechten,
    regels,
    ruimte,
    service,
    verslag,
    verversen,
)
from facilitatie.opvolging.cijfers import Telling
from facilitatie.opvolging.dashboard import dashboard_van, filter_voor
from facilitatie.opvolging.forms import (
    ActieForm,
    ActieWijzigenForm,
    BesluitForm,
    EerderGemeldForm,
    GevondenRuimteForm,
    OpvolgingForm,
    ReeksForm,
    RegelruimteForm,
    StatusForm,
)
from facilitatie.opvolging.models import Actie
from facilitatie.opvolging.regelruimte import KNEL_LABELS
from facilitatie.sessies.deelname import current_deelnemer
from facilitatie.sessies.lezen import sessie_voor
from facilitatie.sessies.models import Sessie, Status
from facilitatie.templating import MAANDEN
from facilitatie.web_helpers import attach_error, safe_next

bp = Blueprint("opvolging", __name__)


def _sessie_om_te_lezen(sessie_id: int) -> Sessie:
    return sessie_voor(current_user, sessie_id, kan_sessie_bekijken, "Deze sessie hoort bij een andere gemeente.")


def _terug(standaard: str) -> Response:
    return redirect(safe_next(request.form.get("next") or request.args.get("next"), standaard))


# --------------------------------------------------------------------------- besluiten


def _besluiten_pagina(
    sessie: Sessie,
    status: int = 200,
    ingediend: tuple[str, FlaskForm] | None = None,
    reeks_form: ReeksForm | None = None,
) -> tuple[str, int]:
    huidige_reeks = lezen.reeks_van(sessie)
    return render_template(
        "opvolging/besluiten.html",
        **fragmenten.besluiten_context(sessie, ingediend),
        suggesties=lezen.suggesties(sessie) if rechten.kan_besluiten(current_user, sessie.gemeente_id) else {},
        reeks=huidige_reeks,
        reeks_form=fragmenten.reeks_form(sessie, huidige_reeks, reeks_form),
        leidt=leidt_sessie(current_user, sessie),
    ), status


@bp.get("/sessies/<int:sessie_id>/besluiten")
@login_required
def besluiten(sessie_id: int) -> tuple[str, int]:
    """Every knelpunt of the sessie with its besluit and acties; staff of the gemeente decide here."""
    return _besluiten_pagina(_sessie_om_te_lezen(sessie_id))


def _besluiten_antwoord(
    sessie: Sessie, sleutel: str, form: OpvolgingForm, fout: Ongeldig | None, gelukt: str, anker: str
) -> Response | tuple[str, int]:
    """htmx: the besluiten fragment; otherwise back to the page (or the page with the error, 400)."""
    ingediend = None
    if fout:
        attach_error(form, fout, form.hoofdveld)
        ingediend = (sleutel, form)
    if request.htmx:
        html = render_template("opvolging/_besluiten.html", **fragmenten.besluiten_context(sessie, ingediend))
        return html, 400 if fout else 200
    if fout:
        return _besluiten_pagina(sessie, 400, ingediend)
    flash(gelukt, "ok")
    return _terug(url_for(".besluiten", sessie_id=sessie.id) + f"#{anker}")


def _besluit_velden(form: BesluitForm) -> dict[str, Any]:
    return {
        "soort": form.soort.data or "",
        "reden": form.reden.data or "",
        "doorverwezen_naar": form.doorverwezen_naar.data or "",
        "toelichting": form.toelichting.data or "",
        "toch": form.toch.data,
    }


@bp.post("/knelpunten/<int:knelpunt_id>/besluit")
@login_required
def besluit_knelpunt(knelpunt_id: int) -> Response | tuple[str, int]:
    """Record the besluit on one knelpunt."""
    knelpunt = lezen.knelpunt_om_te_besluiten(current_user, knelpunt_id)
    form = BesluitForm()
    fout = None
    try:
        service.besluit_nemen(knelpunt, current_user, **_besluit_velden(form))
    except Ongeldig as exc:
        fout = exc
    sleutel = f"knelpunt-{knelpunt.id}"
    return _besluiten_antwoord(knelpunt.sessie, sleutel, form, fout, "Besluit vastgelegd.", sleutel)


@bp.post("/themas/<int:thema_id>/besluit")
@login_required
def besluit_thema(thema_id: int) -> Response | tuple[str, int]:
    """One besluit for all knelpunten of a thema."""
    thema = lezen.thema_om_te_besluiten(current_user, thema_id)
    form = BesluitForm()
    fout = None
    try:
        service.besluit_voor_thema(thema, current_user, **_besluit_velden(form))
    except Ongeldig as exc:
        fout = exc
    sleutel = f"thema-{thema.id}"
    return _besluiten_antwoord(thema.sessie, sleutel, form, fout, "Besluit vastgelegd.", sleutel)


@bp.post("/sessies/<int:sessie_id>/acties")
@login_required
def actie_toevoegen(sessie_id: int) -> Response | tuple[str, int]:
    """Add an actie (eigenaar, streefdatum) linked to knelpunten of this sessie."""
    sessie = lezen.sessie_om_te_besluiten(current_user, sessie_id)
    form = ActieForm()
    fout = None
    try:
        service.actie_toevoegen(
            current_user,
            gemeente_id=sessie.gemeente_id,
            sessie=sessie,
            omschrijving=form.omschrijving.data or "",
            eigenaar_id=positief_id(form.eigenaar.data),
            afdeling=form.afdeling.data or "",
            streefdatum=form.streefdatum.data or "",
            # A junk id stays in as -1, so the service refuses it instead of silently dropping it.
            knelpunt_ids=[positief_id(w) or -1 for w in form.knelpunten.data or []],
            verwachting_id=(positief_id(form.verwachting.data) or -1) if form.verwachting.data else None,
            toch=form.toch.data,
        )
    except Ongeldig as exc:
        fout = exc
    return _besluiten_antwoord(sessie, "actie", form, fout, "Actie toegevoegd.", "acties")


@bp.post("/knelpunten/<int:knelpunt_id>/eerder-gemeld")
@login_required
def eerder_gemeld(knelpunt_id: int) -> Response | tuple[str, int]:
    """Link a knelpunt to an earlier one: a signal that came back."""
    knelpunt = lezen.knelpunt_om_te_besluiten(current_user, knelpunt_id)
    form = EerderGemeldForm()
    eerder = db.session.get(Knelpunt, positief_id(form.eerder.data) or 0)
    try:
        if eerder is None or not lezen.is_zichtbaar(eerder):
            raise Ongeldig("eerder", "Kies een eerder knelpunt uit de suggesties.")
        service.eerder_gemeld_koppelen(knelpunt, eerder, current_user, score=form.score_getal())
    except Ongeldig as exc:
        if request.htmx:
            return render_template("_fout_fragment.html", titel="Niet gekoppeld", bericht=exc.bericht, status=400), 400
        flash(exc.bericht, "error")
        return _terug(url_for(".besluiten", sessie_id=knelpunt.sessie_id)), 400
    if request.htmx:
        return render_template(
            "opvolging/_eerder_gemeld.html", suggesties=lezen.suggesties(knelpunt.sessie), sessie=knelpunt.sessie
        ), 200
    flash("Gekoppeld als eerder gemeld.", "ok")
    return _terug(url_for(".besluiten", sessie_id=knelpunt.sessie_id))


@bp.post("/sessies/<int:sessie_id>/reeks")
@login_required
def reeks(sessie_id: int) -> Response | tuple[str, int]:
    """Put the sessie in a reeks (e.g. a leerkring), so the next one looks back on its acties."""
    sessie = lezen.sessie_om_te_besluiten(current_user, sessie_id)
    form = ReeksForm()
    try:
        service.reeks_instellen(
            sessie, current_user, reeks_id=positief_id(form.reeks.data), nieuwe_naam=form.naam.data or ""
        )
    except Ongeldig as exc:
        attach_error(form, exc, "reeks")
        return _besluiten_pagina(sessie, 400, reeks_form=form)
    flash("Reeks opgeslagen.", "ok")
    return redirect(url_for(".besluiten", sessie_id=sessie.id) + "#reeks")


# --------------------------------------------------------------------------- acties


@bp.get("/acties/<int:actie_id>")
@login_required
def actie(actie_id: int) -> str:
    """One actie: its knelpunten, status, and its full history."""
    return render_template("opvolging/actie.html", **fragmenten.actie_context(lezen.actie_voor(current_user, actie_id)))


def _actie_antwoord(
    actie: Actie, form: StatusForm | ActieWijzigenForm, fout: Ongeldig | None, gelukt: str
) -> Response | tuple[str, int]:
    """htmx: the status fragment; otherwise back to the actie (or the actie page with the error, 400)."""
    geweigerd = None
    if fout:
        attach_error(form, fout, form.hoofdveld)
        geweigerd = form
    if request.htmx:
        terug = request.form.get("next", "")
        html = render_template(
            "opvolging/_actie_status.html",
            **fragmenten.actie_context(actie, geweigerd),
            terug=terug,
            gelukt=None if fout else gelukt,
            # From the /opvolging list: its Status column shows the new status too.
            in_lijst=terug.startswith(url_for(".opvolging")),
        )
        return html, 400 if fout else 200
    if fout:
        return render_template("opvolging/actie.html", **fragmenten.actie_context(actie, geweigerd)), 400
    flash(gelukt, "ok")
    return _terug(url_for(".actie", actie_id=actie.id))


@bp.post("/acties/<int:actie_id>/status")
@login_required
def actie_status(actie_id: int) -> Response | tuple[str, int]:
    """Change the status with a voortgangsnotitie (a reden where the transition needs one)."""
    actie = lezen.actie_voor(current_user, actie_id, bijwerken=True)
    form = StatusForm()
    fout = None
    try:
        if not form.status.data:
            service.notitie_toevoegen(actie, current_user, form.reden.data or "", toch=form.toch.data)
        else:
            service.status_wijzigen(actie, current_user, form.status.data, form.reden.data or "", toch=form.toch.data)
    except Ongeldig as exc:
        fout = exc
    return _actie_antwoord(actie, form, fout, "Status bijgewerkt.")


@bp.post("/acties/<int:actie_id>/wijzigen")
@login_required
def actie_wijzigen(actie_id: int) -> Response | tuple[str, int]:
    """Change eigenaar, afdeling, streefdatum or toelichting (each change goes into the history)."""
    actie = lezen.actie_voor(current_user, actie_id, bijwerken=True)
    form = ActieWijzigenForm()
    fout = None
    try:
        service.actie_wijzigen(
            actie,
            current_user,
            eigenaar_id=positief_id(form.eigenaar.data),
            afdeling=form.afdeling.data or "",
            streefdatum=form.streefdatum.data or "",
            toelichting=form.toelichting.data or "",
            reden=form.reden.data or "",
            toch=form.toch.data,
        )
    except Ongeldig as exc:
        fout = exc
    return _actie_antwoord(actie, form, fout, "Actie gewijzigd.")


# --------------------------------------------------------------------------- opvolging


@bp.get("/opvolging")
@login_required
def opvolging() -> str:
    """Besluiten and acties across sessies; every filter is a GET parameter, so a URL can be shared."""
    if not rechten.kan_opvolging_zien(current_user):
        raise Geweigerd()
    f = filters.parse_filter(request.args)
    if not bereik.mag_gemeente(current_user, f.gemeente):
        raise Geweigerd("Je ziet alleen de opvolging van je eigen gemeente.")
    pagina = lijst.lijst(current_user, f, fragmenten.vandaag())
    gemeente_id = bereik.gemeente_voor(current_user, f.gemeente)
    teams_query = select(Team).order_by(Team.naam)
    if gemeente_id is not None:
        teams_query = teams_query.where(Team.gemeente_id == gemeente_id)
    sessies_query = (
        select(Sessie).where(Sessie.status != Status.SIGNALEN).order_by(Sessie.aangemaakt_op.desc()).limit(200)
    )
    if gemeente_id is not None:
        sessies_query = sessies_query.where(Sessie.gemeente_id == gemeente_id)
    eigenaren = lezen.mogelijke_eigenaren(gemeente_id) if gemeente_id else []
    knelpunt_ids = [rij[0].id for rij in pagina.rijen] if f.weergave == "knelpunten" else []
    return render_template(
        "opvolging/lijst.html",
        f=f,
        pagina=pagina,
        gemeenten=bereik.gemeenten_voor(current_user),
        teams=list(db.session.scalars(teams_query)) if current_user.rol != Rol.WIJKTEAMLID else [],
        sessies=list(db.session.scalars(sessies_query)) if current_user.rol != Rol.WIJKTEAMLID else [],
        eigenaren=eigenaren,
        domeinen=DOMEINEN,
        acties_per_knelpunt=lezen.acties_per_knelpunt(knelpunt_ids),
        vandaag=fragmenten.vandaag(),
        is_te_laat=regels.is_te_laat,
        kan_bijwerken=rechten.kan_actie_bijwerken,
        kan_besluiten=rechten.kan_besluiten,
        status_labels=filters.STATUS_FILTERS,
        besluit_labels=filters.BESLUIT_FILTERS,
        groep_labels=filters.GROEP_LABELS,
        weergaven=filters.WEERGAVEN,
        sorteringen=filters.SORTERINGEN[f.weergave],
        status_form_voor=fragmenten.status_form,
    )


# --------------------------------------------------------------------------- dashboard


@bp.get("/dashboard")
@login_required
def dashboard() -> str:
    """Status overview for bestuur: per gemeente and period, every number links to its list."""
    if not rechten.kan_dashboard_zien(current_user):
        raise Geweigerd("Het dashboard is voor de wethouder, beleidsmedewerkers en begeleiders.")
    f = filters.parse_filter(request.args)
    gemeenten = bereik.gemeenten_voor(current_user)
    gemeente_id = bereik.gemeente_voor(current_user, f.gemeente)
    if f.gemeente is not None and not bereik.mag_gemeente(current_user, f.gemeente):
        raise Geweigerd("Je ziet alleen het dashboard van je eigen gemeente.")
    if gemeente_id is None:
        if not gemeenten:
            raise Geweigerd("Je account hoort bij geen gemeente.")
        gemeente_id = gemeenten[0].id
    cijfers = dashboard_van(gemeente_id, f.van, f.tot, fragmenten.vandaag())
    verversen.start()

    basis = url_for(".opvolging")  # built once: hundreds of numbers link to it

    def lijst_url(groep: dict[str, Any] | None = None, **extra: Any) -> str:
        args = filter_voor(cijfers, **(groep or {}), **extra).als_args()
        return f"{basis}?{urlencode(args)}" if args else basis

    def team_naam(team_id: int | None) -> str:
        return cijfers.teams.get(team_id or 0, "Geen wijkteam")

    def groep_grafiek(groepen: dict[Any, Telling], naam: Any) -> list[tuple[str, int]]:
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
        **verslag.terugkoppeling(team_id=team.id, vandaag=fragmenten.vandaag()),
    )


def _mag_verslag(user: Any, sessie: Sessie) -> bool:
    """Staff of the gemeente, wijkteamleden of the sessie's teams, and its own deelnemers."""
    if user.is_authenticated:
        if kan_sessie_bekijken(user, sessie):
            return True
        if user.rol == Rol.WIJKTEAMLID and user.team_id in {t.id for t in sessie.teams}:
            return True
    return current_deelnemer(sessie) is not None


def _verslag_sessie(
    sessie_id: int, bericht: str = "Alleen deelnemers en betrokkenen van deze sessie zien het verslag."
) -> Sessie:
    return sessie_voor(current_user, sessie_id, _mag_verslag, bericht)


@bp.get("/sessies/<int:sessie_id>/terugkoppeling")
def terugkoppeling_sessie(sessie_id: int) -> str:
    """The terugkoppeling of one sessie only, reached from its verslag."""
    sessie = _verslag_sessie(sessie_id, "Alleen deelnemers van deze sessie zien deze terugkoppeling.")
    return render_template(
        "opvolging/terugkoppeling.html",
        team=None,
        sessie=sessie,
        **verslag.terugkoppeling(sessie_id=sessie.id, vandaag=fragmenten.vandaag()),
    )


@bp.get("/sessies/<int:sessie_id>/verslag")
def verslag_pagina(sessie_id: int) -> str:
    """The verslag of a sessie: printable, with Markdown and CSV downloads."""
    sessie = _verslag_sessie(sessie_id)
    return render_template("opvolging/verslag.html", **verslag.gegevens(sessie, fragmenten.vandaag()))


@bp.get("/sessies/<int:sessie_id>/verslag.md")
def verslag_markdown(sessie_id: int) -> Response:
    """The verslag as a Markdown file."""
    sessie = _verslag_sessie(sessie_id)
    tekst = verslag.markdown(verslag.gegevens(sessie, fragmenten.vandaag()))
    return Response(
        tekst,
        mimetype="text/markdown",
        headers={"Content-Disposition": f'attachment; filename="verslag-sessie-{sessie.id}.md"'},
    )


@bp.get("/sessies/<int:sessie_id>/verslag.csv")
def verslag_csv(sessie_id: int) -> Response:
    """Knelpunten, besluiten and acties as CSV for Dutch Excel (UTF-8 BOM, semicolons)."""
    sessie = _verslag_sessie(sessie_id)
    return Response(
        verslag.csv_bytes(verslag.gegevens(sessie, fragmenten.vandaag())),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="verslag-sessie-{sessie.id}.csv"'},
    )


@bp.get("/sessies/<int:sessie_id>/verslag-<any(stemmen, dialoog, verwachtingen, regelruimte):onderdeel>.csv")
def verslag_onderdeel_csv(sessie_id: int, onderdeel: str) -> Response:
    """One more part of the verslag as CSV: the stemuitslag, the dialoog, the verwachtingen or the regelruimte."""
    sessie = _verslag_sessie(sessie_id)
    return Response(
        verslag.CSV_ONDERDELEN[onderdeel](verslag.gegevens(sessie, fragmenten.vandaag())),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="verslag-sessie-{sessie.id}-{onderdeel}.csv"'},
    )


# --------------------------------------------------------------------------- regelruimte and Gevonden ruimte


@bp.post("/knelpunten/<int:knelpunt_id>/regelruimte")
@login_required
def regelruimte_knelpunt(knelpunt_id: int) -> Response | tuple[str, int]:
    """Record where the knel of one knelpunt sits and who can resolve it."""
    knelpunt = lezen.knelpunt_om_te_besluiten(current_user, knelpunt_id)
    form = RegelruimteForm()
    fout = None
    try:
        ruimte.regelruimte_vastleggen(
            knelpunt, current_user, knel=form.knel.data or "", oplosser=form.oplosser.data or ""
        )
    except Ongeldig as exc:
        fout = exc
    sleutel = f"regelruimte-knelpunt-{knelpunt.id}"
    anker = f"knelpunt-{knelpunt.id}"
    return _besluiten_antwoord(knelpunt.sessie, sleutel, form, fout, "Regelruimte vastgelegd.", anker)


@bp.post("/themas/<int:thema_id>/regelruimte")
@login_required
def regelruimte_thema(thema_id: int) -> Response | tuple[str, int]:
    """One regelruimte for all knelpunten of a thema."""
    thema = lezen.thema_om_te_besluiten(current_user, thema_id)
    form = RegelruimteForm()
    fout = None
    try:
        ruimte.regelruimte_voor_thema(thema, current_user, knel=form.knel.data or "", oplosser=form.oplosser.data or "")
    except Ongeldig as exc:
        fout = exc
    sleutel = f"regelruimte-thema-{thema.id}"
    return _besluiten_antwoord(thema.sessie, sleutel, form, fout, "Regelruimte vastgelegd.", f"thema-{thema.id}")


@bp.post("/knelpunten/<int:knelpunt_id>/gevonden-ruimte")
@login_required
def ruimte_publiceren(knelpunt_id: int) -> Response | tuple[str, int]:
    """Mark the besluit as 'ruimte die er al was': published to every team of the gemeente."""
    knelpunt = lezen.knelpunt_om_te_besluiten(current_user, knelpunt_id)
    form = GevondenRuimteForm()
    fout = None
    try:
        ruimte.ruimte_publiceren(knelpunt, current_user, omschrijving=form.omschrijving.data or "", toch=form.toch.data)
    except Ongeldig as exc:
        fout = exc
    sleutel = f"ruimte-{knelpunt.id}"
    return _besluiten_antwoord(
        knelpunt.sessie, sleutel, form, fout, "Gepubliceerd in Gevonden ruimte.", f"knelpunt-{knelpunt.id}"
    )


@bp.post("/knelpunten/<int:knelpunt_id>/gevonden-ruimte/intrekken")
@login_required
def ruimte_intrekken(knelpunt_id: int) -> Response | tuple[str, int]:
    """Take a besluit out of Gevonden ruimte again."""
    knelpunt = lezen.knelpunt_om_te_besluiten(current_user, knelpunt_id)
    form = GevondenRuimteForm()
    fout = None
    try:
        ruimte.ruimte_intrekken(knelpunt, current_user)
    except Ongeldig as exc:
        fout = exc
    sleutel = f"ruimte-{knelpunt.id}"
    return _besluiten_antwoord(
        knelpunt.sessie, sleutel, form, fout, "Uit Gevonden ruimte gehaald.", f"knelpunt-{knelpunt.id}"
    )


def _register_gemeente(gevraagd: int | None) -> tuple[int, list[Any]]:
    """The gemeente whose register this user reads, and the gemeenten to choose from (a beheerder: all)."""
    gemeenten = bereik.gemeenten_voor(current_user)
    if gevraagd is not None and not rechten.ziet_gevonden_ruimte(current_user, gevraagd):
        raise Geweigerd("Je ziet alleen de gevonden ruimte van je eigen gemeente.")
    gemeente_id = current_user.gemeente_id or gevraagd or (gemeenten[0].id if gemeenten else None)
    if gemeente_id is None or not rechten.ziet_gevonden_ruimte(current_user, gemeente_id):
        raise Geweigerd("Je account hoort bij geen gemeente.")
    return gemeente_id, gemeenten if current_user.gemeente_id is None else []


@bp.get("/gevonden-ruimte")
@login_required
def gevonden_ruimte() -> str:
    """The register of room found by any team of the gemeente, searchable by every signed-in role."""
    gemeente_id, gemeenten = _register_gemeente(positief_id(request.args.get("gemeente")))
    zoek = (request.args.get("zoek") or "").strip()[:200]
    knel = request.args.get("knel") or ""
    knel = knel if knel in KNEL_LABELS else ""
    return render_template(
        "opvolging/gevonden_ruimte.html",
        vermeldingen=gevonden.register(gemeente_id, zoek, knel or None),
        totaal=gevonden.aantal_in_register(gemeente_id),
        zoek=zoek,
        knel=knel,
        knel_labels=KNEL_LABELS,
        gemeenten=gemeenten,
        gemeente_id=gemeente_id,
        maximum=gevonden.MAX_REGISTER,
    )


@bp.get("/gevonden-ruimte/<int:vermelding_id>")
@login_required
def gevonden_ruimte_item(vermelding_id: int) -> str:
    """One entry of Gevonden ruimte (404 for another gemeente's, like a missing one)."""
    return render_template(
        "opvolging/gevonden_ruimte_item.html", v=gevonden.vermelding_voor(current_user, vermelding_id)
    )
