"""Reeks pages and the reeks' part of "Nieuwe sessie" (thin: parse, authorise, read, render)."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from facilitatie.accounts.models import User
from facilitatie.accounts.rollen import kan_sessie_aanmaken
from facilitatie.fouten import Ongeldig
from facilitatie.opvolging import regels
from facilitatie.reeksen import lezen, paneel, service
from facilitatie.sessies import aanmaken
from facilitatie.sessies.models import Sessie
from facilitatie.sessies.werkruimte import Paneel
from facilitatie.verwachtingen.lezen import overgenomen_tekst

bp = Blueprint("reeksen", __name__)
__all__ = ["bp", "paneel"]  # paneel registers the begeleider's terugblik with the werkruimte

VELDEN = frozenset({"reeks", "reeks_naam", "naam", "neem_over"})


@bp.get("/reeksen/<int:reeks_id>")
@login_required
def reeks(reeks_id: int) -> str:
    """A reeks: its sessies, the verwachtingen it goes on with, its open acties, and its next sessie."""
    r = lezen.reeks_voor(current_user, reeks_id)
    return render_template(
        "reeksen/reeks.html",
        voor=lezen.volgende_sessie(r, date.today()),
        maakt_sessies=kan_sessie_aanmaken(current_user) and lezen.kan_reeks_kiezen(current_user),
        vandaag=date.today(),
        is_te_laat=regels.is_te_laat,
    )


# --- the reeks' part of "Nieuwe sessie" ---------------------------------------------------


def _gekozen_reeks_id(invoer: aanmaken.Invoer) -> int | None:
    keuze = (invoer.get("reeks") or "").strip()
    return int(keuze) if keuze.isascii() and keuze.isdigit() and len(keuze) <= 20 else None


def _voorstel(user: User, invoer: aanmaken.Invoer) -> aanmaken.Voorstel | None:
    """A chosen reeks proposes the title, sessievorm and teams of its next sessie (404: not ours)."""
    reeks_id = _gekozen_reeks_id(invoer)
    if reeks_id is None:
        return None
    voor = lezen.volgende_sessie(lezen.reeks_voor(user, reeks_id), date.today(), user.id)
    return aanmaken.Voorstel(titel=voor.titel, sessievorm=voor.sessievorm, team_ids=tuple(t.id for t in voor.teams))


def _velden(user: User, invoer: aanmaken.Invoer, fout: Ongeldig | None) -> Paneel | None:
    if not lezen.kan_reeks_kiezen(user):
        return None
    assert user.gemeente_id is not None
    reeks_id = _gekozen_reeks_id(invoer)
    voor = lezen.volgende_sessie(lezen.reeks_voor(user, reeks_id), date.today(), user.id) if reeks_id else None
    posted = "csrf_token" in invoer
    return Paneel(
        "reeksen/_nieuwe_sessie.html",
        {
            "reeksen": lezen.reeksen_van(user.gemeente_id),
            "keuze": (invoer.get("reeks") or "").strip(),
            "reeks_naam": (invoer.get("reeks_naam") or "").strip(),
            "voor": voor,
            "verwachtingen": [(v, overgenomen_tekst(v)) for v in voor.verwachtingen] if voor else [],
            # Ticked: all on first sight; as posted when the form comes back.
            "aangevinkt": set(invoer.getlist("neem_over")) if posted else None,
            "fout": fout if fout is not None and fout.veld in VELDEN else None,
            "vandaag": date.today(),
            "is_te_laat": regels.is_te_laat,
        },
    )


def _na_aanmaken(sessie: Sessie, user: User, invoer: aanmaken.Invoer) -> None:
    if lezen.kan_reeks_kiezen(user) or (invoer.get("reeks") or invoer.get("reeks_naam")):
        service.na_aanmaken(sessie, user, invoer)


aanmaken.registreer(
    aanmaken.Onderdeel(
        gebied="reeksen", voorstel=_voorstel, velden=_velden, na_aanmaken=_na_aanmaken, velden_namen=VELDEN
    )
)
