"""Regelruimte commands: record where a knel sits and who can resolve it; publish 'ruimte die er al was'.

Like service.py: views parse and authorise, these commands check the rules again
(regelruimte.py, rechten.py) and own their unit of work (`werk.transactie`), so a refusal
leaves nothing changed. Reads live in gevonden.py, which never imports this module.
"""

from __future__ import annotations

from sqlalchemy import select

from facilitatie import privacy
from facilitatie.accounts.models import User
from facilitatie.extensions import db
from facilitatie.fouten import Geweigerd, Ongeldig
from facilitatie.knelpunten.models import Knelpunt, Thema
from facilitatie.models_base import utcnow
from facilitatie.opvolging import rechten, regelruimte
from facilitatie.opvolging.lezen import is_zichtbaar
from facilitatie.opvolging.models import Besluit, GevondenRuimte, Regelruimte
from facilitatie.werk import transactie

GEEN_BESLUITER = "Alleen begeleiders en beleidsmedewerkers van deze gemeente leggen regelruimte vast."


def _mag(user: User, knelpunt: Knelpunt) -> None:
    if not rechten.kan_besluiten(user, knelpunt.sessie.gemeente_id):
        raise Geweigerd(GEEN_BESLUITER)


@transactie
def regelruimte_vastleggen(knelpunt: Knelpunt, user: User, *, knel: str, oplosser: str) -> Regelruimte:
    """Record (or change) where this knelpunt's knel sits and who can resolve it."""
    _mag(user, knelpunt)
    if not is_zichtbaar(knelpunt):
        raise Ongeldig("knel", "Dit knelpunt is verborgen.")
    try:
        knel_, oplosser_ = regelruimte.controleer_regelruimte(knel, oplosser)
    except regelruimte.OngeldigeRegelruimte as fout:
        raise Ongeldig(fout.veld, fout.bericht) from None
    regel = db.session.scalar(select(Regelruimte).where(Regelruimte.knelpunt_id == knelpunt.id))
    if regel is None:
        regel = Regelruimte(knelpunt_id=knelpunt.id)
        db.session.add(regel)
    regel.knel = knel_.value
    regel.oplosser = oplosser_.value
    regel.vastgelegd_op = utcnow()
    db.session.flush()
    return regel


@transactie
def regelruimte_voor_thema(thema: Thema, user: User, *, knel: str, oplosser: str) -> list[Regelruimte]:
    """The same regelruimte for every visible knelpunt of a thema, all or nothing."""
    if not rechten.kan_besluiten(user, thema.sessie.gemeente_id):
        raise Geweigerd(GEEN_BESLUITER)
    knelpunten = [k for k in thema.knelpunten if is_zichtbaar(k)]
    if not knelpunten:
        raise Ongeldig("knel", "Dit thema heeft geen knelpunten.")
    return [regelruimte_vastleggen(k, user, knel=knel, oplosser=oplosser) for k in knelpunten]


def _omschrijving(tekst: str | None, heeft_besluit: bool, *, toch: bool) -> str:
    """Checked by the rules, then privacy-scanned: a BSN is always refused, other hits unless `toch`."""
    try:
        schoon = regelruimte.controleer_ruimte(tekst, heeft_besluit)
    except regelruimte.OngeldigeRegelruimte as fout:
        raise Ongeldig(fout.veld, fout.bericht) from None
    uitslag = privacy.scan(schoon)
    if uitslag.blokkeren or (uitslag.waarschuwingen and not toch):
        raise Ongeldig("omschrijving", uitslag.melding().replace("Toch indienen", "Toch opslaan"))
    return schoon


@transactie
def ruimte_publiceren(knelpunt: Knelpunt, user: User, *, omschrijving: str, toch: bool = False) -> GevondenRuimte:
    """Mark the besluit on this knelpunt as 'ruimte die er al was' and publish it (or its new text)."""
    _mag(user, knelpunt)
    if not is_zichtbaar(knelpunt):
        raise Ongeldig("omschrijving", "Dit knelpunt is verborgen.")
    besluit = db.session.scalar(select(Besluit).where(Besluit.knelpunt_id == knelpunt.id))
    tekst = _omschrijving(omschrijving, besluit is not None, toch=toch)
    gevonden = db.session.scalar(select(GevondenRuimte).where(GevondenRuimte.knelpunt_id == knelpunt.id))
    if gevonden is None:
        gevonden = GevondenRuimte(knelpunt_id=knelpunt.id, gemeente_id=knelpunt.sessie.gemeente_id)
        db.session.add(gevonden)
    gevonden.omschrijving = tekst
    gevonden.gepubliceerd_op = utcnow()
    db.session.flush()
    return gevonden


@transactie
def ruimte_intrekken(knelpunt: Knelpunt, user: User) -> None:
    """Take the entry out of Gevonden ruimte (e.g. the room turned out not to be there after all)."""
    _mag(user, knelpunt)
    gevonden = db.session.scalar(select(GevondenRuimte).where(GevondenRuimte.knelpunt_id == knelpunt.id))
    if gevonden is None:
        raise Ongeldig("omschrijving", "Dit besluit staat niet in Gevonden ruimte.")
    db.session.delete(gevonden)
