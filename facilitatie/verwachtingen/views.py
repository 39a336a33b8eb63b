"""Verwachtingen pages and actions (thin: parse, authorise, call the service, render)."""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from facilitatie import tekst as tekst_module
from facilitatie.accounts.rollen import kan_sessie_bekijken, leidt_sessie
from facilitatie.fouten import Ongeldig
from facilitatie.sessies import werkruimte
from facilitatie.sessies.actie import Antwoord, Verzoek, sessie_actie
from facilitatie.sessies.lezen import na_soort, sessie_voor
from facilitatie.sessies.models import Deelnemer, Sessie
from facilitatie.sessies.vormen import Fase
from facilitatie.verwachtingen import export, lezen, live, service, verloop
from facilitatie.verwachtingen.forms import AmbitieForm, InstellingenForm, VerwachtingForm
from facilitatie.verwachtingen.uitslag import uitslag
from facilitatie.web_helpers import attach_error, safe_next

bp = Blueprint("verwachtingen", __name__)

_VELD = re.compile(r"(wenselijk|haalbaar)-(\d{1,9})")


@bp.app_template_filter("vw_getal")
def _getal(waarde: float | None) -> str:
    return lezen.getal(waarde)


@bp.app_template_filter("vw_procent")
def _procent(waarde: float | None) -> str:
    return "—" if waarde is None else f"{round(waarde * 100)}%"


@bp.app_template_filter("vw_markdown")
def _markdown(waarde: str | None) -> Any:
    return tekst_module.render_markdown_markup(waarde or "")


# --- helpers ------------------------------------------------------------------------------


def _sessie_om_te_bekijken(sessie_id: int) -> Sessie:
    """The sessie, loaded and checked (staff of its gemeente) before any input is read."""
    return sessie_voor(
        current_user, sessie_id, kan_sessie_bekijken, "Deze sessie hoort bij een andere begeleider of gemeente."
    )


def _sessie_om_te_leiden(sessie_id: int) -> Sessie:
    """The sessie, loaded and checked (its own begeleider) before any input is read."""
    return sessie_voor(current_user, sessie_id, leidt_sessie, "Alleen de begeleider van deze sessie kan dit doen.")


def _terug(sessie: Sessie) -> Response:
    standaard = url_for(".pagina", sessie_id=sessie.id)
    return redirect(safe_next(request.form.get("terug"), standaard))


def _pagina(sessie: Sessie, status: int = 200, **forms: Any) -> tuple[str, int]:
    leidt = leidt_sessie(current_user, sessie)
    context: dict[str, Any] = {
        "sessie": sessie,
        "leidt": leidt,
        "verwachtingen": lezen.verwachtingen_van(sessie),
        "beoordeeld": lezen.beoordeelde_ids(sessie),
        "uitslag": uitslag(sessie),
        "drempels": lezen.drempels(sessie),
        **live.s_context(sessie),
    }
    if leidt:
        context.update(
            form=forms.get("form") or VerwachtingForm(formdata=None),
            eerdere=lezen.eerdere_sessies(sessie, current_user),
            knelpunten=lezen.knelpunten_van(sessie),
            instellingen_form=forms.get("instellingen_form") or _instellingen_form(sessie),
            ambitie_forms=_ambitie_forms(sessie, forms.get("ambitie_fout")),
            kopie_fout=forms.get("kopie_fout"),
        )
    return render_template("verwachtingen/pagina.html", **context), status


def _instellingen_form(sessie: Sessie) -> InstellingenForm:
    d = lezen.drempels(sessie)
    form = InstellingenForm(formdata=None)
    form.iqr_max.data = lezen.getal(d.iqr_max)
    form.aandeel_min.data = str(round(d.aandeel_min * 100))
    form.min_groep.data = str(d.min_groep)
    return form


def _ambitie_forms(sessie: Sessie, fout: tuple[int, AmbitieForm] | None) -> dict[int, AmbitieForm]:
    forms = {}
    for v in lezen.verwachtingen_van(sessie):
        if fout is not None and fout[0] == v.id:
            forms[v.id] = fout[1]
            continue
        form = AmbitieForm(formdata=None, prefix=f"a{v.id}")
        if v.ambitie is not None:
            form.uitkomst.data = v.ambitie.uitkomst
            form.nieuwe_formulering.data = v.ambitie.nieuwe_formulering or ""
            form.toelichting.data = v.ambitie.toelichting or ""
        forms[v.id] = form
    return forms


# --- begeleider and staff -----------------------------------------------------------------


@bp.get("/sessies/<int:sessie_id>/verwachtingen")
@login_required
def pagina(sessie_id: int) -> tuple[str, int]:
    """Verwachtingen of a sessie: add, rondes, uitkomst, ambitieniveau, export."""
    sessie = _sessie_om_te_bekijken(sessie_id)
    return _pagina(sessie)


@bp.get("/verwachtingen/<int:verwachting_id>")
@login_required
def verwachting(verwachting_id: int) -> str:
    """One verwachting across the sessies of its lijn: the trend per groep and the ambitie decisions."""
    v = verloop.verwachting_voor(current_user, verwachting_id)
    return render_template("verwachtingen/verloop.html", o=verloop.overzicht(v), sessie=v.sessie)


@bp.post("/sessies/<int:sessie_id>/verwachtingen")
@login_required
def toevoegen(sessie_id: int) -> Response | tuple[str, int]:
    """ "Verwachting toevoegen" (also from a knelpunt, with its id)."""
    sessie = _sessie_om_te_leiden(sessie_id)
    return _toevoegen(sessie, None)


def _toevoegen(sessie: Sessie, knelpunt_id: int | None) -> Response | tuple[str, int]:
    form = VerwachtingForm()
    if form.validate_on_submit():
        try:
            service.voeg_toe(
                sessie,
                current_user,
                tekst=form.tekst.data or "",
                bron=form.bron.data,
                toelichting=form.toelichting.data,
                knelpunt_id=knelpunt_id,
                toch=bool(form.toch.data),
            )
            flash("Verwachting toegevoegd.", "ok")
            return _terug(sessie)
        except Ongeldig as fout:
            attach_error(form, fout, "tekst")
            form.privacy_waarschuwing = isinstance(fout, service.PrivacyWaarschuwing)
    if knelpunt_id is not None:
        return _knelpunt_pagina(sessie, knelpunt_id, form, 400)
    return _pagina(sessie, 400, form=form)


def _knelpunt_pagina(sessie: Sessie, knelpunt_id: int, form: VerwachtingForm, status: int) -> tuple[str, int]:
    return render_template("verwachtingen/knelpunt.html", sessie=sessie, knelpunt_id=knelpunt_id, form=form), status


@bp.route("/sessies/<int:sessie_id>/verwachtingen/uit-knelpunt/<int:knelpunt_id>", methods=["GET", "POST"])
@login_required
def uit_knelpunt(sessie_id: int, knelpunt_id: int) -> Response | tuple[str, int]:
    """Propose a verwachting from a knelpunt of this sessie: a form prefilled with its text."""
    sessie = _sessie_om_te_leiden(sessie_id)
    try:
        voorstel = service.knelpunt_voorstel(sessie, current_user, knelpunt_id)
    except Ongeldig:
        abort(404)
    if request.method == "POST" and "tekst" in request.form:
        return _toevoegen(sessie, knelpunt_id)
    form = VerwachtingForm(formdata=None)
    form.tekst.data = voorstel
    return _knelpunt_pagina(sessie, knelpunt_id, form, 200)


@bp.post("/sessies/<int:sessie_id>/verwachtingen/kopieren")
@login_required
def kopieren(sessie_id: int) -> Response | tuple[str, int]:
    """Copy the verwachtingen of an earlier sessie of the same gemeente."""
    sessie = _sessie_om_te_leiden(sessie_id)
    try:
        aantal = service.kopieer(sessie, current_user, request.form.get("bron_sessie", 0, type=int))
    except Ongeldig as fout:
        return _pagina(sessie, 400, kopie_fout=fout.bericht)
    flash(f"{aantal} verwachting{'en' if aantal != 1 else ''} overgenomen.", "ok")
    return _terug(sessie)


@bp.post("/sessies/<int:sessie_id>/verwachtingen/<int:verwachting_id>/verwijderen")
@login_required
def verwijderen(sessie_id: int, verwachting_id: int) -> Response:
    """Remove a verwachting nobody rated yet."""
    sessie = _sessie_om_te_leiden(sessie_id)
    try:
        service.verwijder(sessie, current_user, verwachting_id)
        flash("Verwachting verwijderd.", "ok")
    except Ongeldig as fout:
        flash(fout.bericht, "error")
    return _terug(sessie)


@bp.post("/sessies/<int:sessie_id>/verwachtingen/ronde/<int:ronde>/<any(openen, sluiten):actie>")
@login_required
def ronde_bedienen(sessie_id: int, ronde: int, actie: str) -> Response | tuple[str, int] | str:
    """ "Ronde openen" and "Ronde sluiten": only the sessie's own begeleider."""
    sessie = _sessie_om_te_leiden(sessie_id)
    fout = None
    try:
        (service.open_ronde if actie == "openen" else service.sluit_ronde)(sessie, current_user, ronde)
    except Ongeldig as exc:
        fout = exc.bericht
    if request.htmx:
        html = render_template("verwachtingen/_rondes.html", sessie=sessie, fout=fout, **live.s_context(sessie))
        return (html, 409) if fout else html
    if fout:
        flash(fout, "error")
    else:
        flash(f"Ronde {ronde} is {'geopend' if actie == 'openen' else 'gesloten'}.", "ok")
    return _terug(sessie)


@bp.post("/sessies/<int:sessie_id>/verwachtingen/<int:verwachting_id>/ambitie")
@login_required
def ambitie(sessie_id: int, verwachting_id: int) -> Response | tuple[str, int]:
    """Record the "Bijgesteld ambitieniveau" of one verwachting."""
    sessie = _sessie_om_te_leiden(sessie_id)
    form = AmbitieForm(prefix=f"a{verwachting_id}")
    if form.validate_on_submit():
        try:
            service.leg_ambitie_vast(
                sessie,
                current_user,
                verwachting_id,
                uitkomst=form.uitkomst.data or "",
                nieuwe_formulering=form.nieuwe_formulering.data,
                toelichting=form.toelichting.data,
                toch=bool(form.toch.data),
            )
            flash("Ambitieniveau vastgelegd.", "ok")
            return redirect(url_for(".pagina", sessie_id=sessie.id, _anchor=f"ambitie-{verwachting_id}"))
        except Ongeldig as fout:
            if fout.veld == "verwachting":
                abort(404)
            attach_error(form, fout, "uitkomst")
            form.privacy_waarschuwing = isinstance(fout, service.PrivacyWaarschuwing)
    return _pagina(sessie, 400, ambitie_fout=(verwachting_id, form))


def _getal_uit(tekst: str | None) -> float | None:
    try:
        return float((tekst or "").strip().replace(",", "."))
    except ValueError:
        return None


@bp.post("/sessies/<int:sessie_id>/verwachtingen/instellingen")
@login_required
def instellingen(sessie_id: int) -> Response | tuple[str, int]:
    """Consensus thresholds and the smallest group shown (never below 3)."""
    sessie = _sessie_om_te_leiden(sessie_id)
    form = InstellingenForm()
    if form.validate_on_submit():
        iqr, aandeel, groep = _getal_uit(form.iqr_max.data), _getal_uit(form.aandeel_min.data), form.min_groep.data
        try:
            if iqr is None:
                raise Ongeldig("iqr_max", "Vul een getal in, bijvoorbeeld 1 of 1,5.")
            if aandeel is None:
                raise Ongeldig("aandeel_min", "Vul een percentage in, bijvoorbeeld 70.")
            if not (groep or "").strip().isdigit():
                raise Ongeldig("min_groep", "Vul een heel getal in van minstens 3.")
            service.wijzig_instellingen(
                sessie, current_user, iqr_max=iqr, aandeel_min=aandeel / 100, min_groep=int((groep or "").strip())
            )
            flash("Instellingen opgeslagen.", "ok")
            return _terug(sessie)
        except Ongeldig as fout:
            attach_error(form, fout, "iqr_max")
    return _pagina(sessie, 400, instellingen_form=form)


def _csv_response(inhoud: str, naam: str) -> Response:
    return Response(
        inhoud.encode("utf-8"),
        mimetype="text/csv",
        headers={
            "Content-Type": "text/csv; charset=utf-8",
            "Content-Disposition": f'attachment; filename="{naam}"',
            "Cache-Control": "no-store",
        },
    )


@bp.get("/sessies/<int:sessie_id>/verwachtingen/beoordelingen.csv")
@login_required
def beoordelingen_csv(sessie_id: int) -> Response:
    """Ratings of the closed rondes without any deelnemer identity (Dutch Excel)."""
    sessie = _sessie_om_te_bekijken(sessie_id)
    return _csv_response(export.beoordelingen_csv(sessie), f"beoordelingen-sessie-{sessie.id}.csv")


@bp.get("/sessies/<int:sessie_id>/verwachtingen/figuren.csv")
@login_required
def figuren_csv(sessie_id: int) -> Response:
    """The figures table of the uitslag, protected as on screen (Dutch Excel)."""
    sessie = _sessie_om_te_bekijken(sessie_id)
    return _csv_response(export.figuren_csv(sessie), f"figuren-sessie-{sessie.id}.csv")


# --- deelnemers ---------------------------------------------------------------------------


def _deelnemer_context(sessie: Sessie, ik: Deelnemer | None, ronde: int) -> dict[str, Any]:
    status = lezen.ronde_status(sessie, ronde)
    context: dict[str, Any] = {"sessie": sessie, "ronde": ronde, "status": status, "ik": ik}
    if status == lezen.OPEN and ik is not None:
        context.update(
            verwachtingen=lezen.verwachtingen_van(sessie),
            eigen=lezen.eigen_antwoorden(ik, ronde),
            eerder=lezen.eigen_antwoorden(ik, 1) if ronde == 2 else {},
            aantal=lezen.aantal_beoordelaars(sessie, ronde),
            aantal_deelnemers=lezen.aantal_deelnemers(sessie),
        )
    if status == lezen.GESLOTEN or (status == lezen.DICHT and ronde == 2):
        context["uitslag"] = uitslag(sessie)
    return context


def _ronde(ronde: int) -> int:
    if ronde not in lezen.RONDES:
        abort(404)
    return ronde


def _geen_fout(_v: Verzoek, fout: Ongeldig) -> Antwoord:
    raise fout  # pragma: no cover - reading a panel raises no Ongeldig


@bp.get("/s/<code>/verwachtingen/<int:ronde>")
@sessie_actie(bij_fout=_geen_fout, wie="deelnemer")
def deelnemer_paneel(v: Verzoek, ronde: int) -> str:
    """This deelnemer's rating panel for a ronde (fetched when a ronde opens or the list changes)."""
    return render_template("verwachtingen/_deelnemer.html", **_deelnemer_context(v.sessie, v.ik, _ronde(ronde)))


def _antwoorden_uit_form() -> dict[int, tuple[str | None, str | None]]:
    antwoorden: dict[int, list[str | None]] = {}
    for sleutel, waarde in request.form.items():
        match = _VELD.fullmatch(sleutel)
        if match:
            paar = antwoorden.setdefault(int(match.group(2)), [None, None])
            paar[0 if match.group(1) == "wenselijk" else 1] = waarde
    return {vid: (w, h) for vid, (w, h) in antwoorden.items()}


def _beoordeel_fout(v: Verzoek, fout: Ongeldig) -> Antwoord:
    """A refused beoordeling: the form again with every answer given kept, next to the reason."""
    ronde = int((request.view_args or {}).get("ronde", 1))
    antwoorden = _antwoorden_uit_form()
    if not request.htmx and lezen.ronde_status(v.sessie, ronde) != lezen.OPEN:
        flash(fout.bericht, "error")
        return redirect(url_for("sessies.deelnemer", code=v.sessie.deelnamecode))
    context = _deelnemer_context(v.sessie, v.ik, ronde)
    context.update(fout=fout.bericht, fout_veld=fout.veld, ingevuld=antwoorden)
    template = "verwachtingen/_deelnemer.html" if request.htmx else "verwachtingen/beoordelen.html"
    return render_template(template, **context), 400


@bp.post("/s/<code>/verwachtingen/<int:ronde>")
@sessie_actie(bij_fout=_beoordeel_fout, wie="deelnemer")
def beoordelen(v: Verzoek, ronde: int) -> Antwoord:
    """Store this deelnemer's Wenselijk and Haalbaar answers; change them while the ronde is open."""
    service.beoordeel(v.sessie, v.deelnemer, _ronde(ronde), _antwoorden_uit_form())
    if request.htmx:
        context = _deelnemer_context(v.sessie, v.ik, ronde)
        context["opgeslagen"] = True
        return render_template("verwachtingen/_deelnemer.html", **context)
    flash("Je beoordeling is opgeslagen. Je kunt haar aanpassen zolang de ronde open is.", "ok")
    return redirect(url_for("sessies.deelnemer", code=v.sessie.deelnamecode))


# --- werkruimte panels --------------------------------------------------------------------


@werkruimte.voor_deelnemer("beoordelen", gebied="verwachtingen")
def _paneel_beoordelen(sessie: Sessie, fase: Fase, ik: Deelnemer, _staat: werkruimte.Staat) -> werkruimte.Paneel:
    ronde = fase.ronde or 1
    return werkruimte.Paneel("verwachtingen/_deelnemer.html", _deelnemer_context(sessie, ik, ronde))


@werkruimte.voor_deelnemer("dialoog", "besluiten", gebied="verwachtingen")
def _paneel_uitslag(sessie: Sessie, fase: Fase, ik: Deelnemer, _staat: werkruimte.Staat) -> werkruimte.Paneel:
    return werkruimte.Paneel("verwachtingen/_deelnemer_uitslag.html", {"uitslag": uitslag(sessie)})


@werkruimte.voor_begeleider("beoordelen", gebied="verwachtingen")
def _begeleider_beoordelen(sessie: Sessie, fase: Fase, user: Any, _staat: werkruimte.Staat) -> werkruimte.Paneel:
    return werkruimte.Paneel(
        "verwachtingen/_begeleider.html",
        {
            "uitslag": uitslag(sessie),
            "toevoegen": False,
            "verwachtingen": lezen.verwachtingen_van(sessie),
            **live.s_context(sessie),
        },
    )


@werkruimte.voor_begeleider("dialoog", werkruimte.VOORAF, gebied="verwachtingen")
def _begeleider_dialoog(sessie: Sessie, fase: Fase, user: Any, _staat: werkruimte.Staat) -> werkruimte.Paneel:
    # The dialoog after a beoordelen ronde is where the ambitieniveau is bijgesteld.
    bijstellen = fase is not None and na_soort(sessie, "beoordelen")
    return werkruimte.Paneel(
        "verwachtingen/_begeleider.html",
        {
            "uitslag": uitslag(sessie),
            "ambitie_bijstellen": bijstellen,
            "toevoegen": True,
            "verwachtingen": lezen.verwachtingen_van(sessie),
            "knelpunten": lezen.knelpunten_van(sessie),
            **live.s_context(sessie),
        },
    )


@werkruimte.voor_scherm("beoordelen", "dialoog", gebied="verwachtingen")
def _scherm_paneel(sessie: Sessie, fase: Fase) -> werkruimte.Paneel | None:
    # A dialoog before any beoordelen ronde is about the knelpunten: that part is theirs.
    if fase.soort == "dialoog" and not na_soort(sessie, "beoordelen"):
        return None
    ronde = fase.ronde if fase.soort == "beoordelen" else None
    context: dict[str, Any] = {"uitslag": uitslag(sessie), "ronde": ronde, **live.s_context(sessie)}
    if ronde is not None:
        context["verwachtingen"] = lezen.verwachtingen_van(sessie)
    return werkruimte.Paneel("verwachtingen/scherm.html", context)
