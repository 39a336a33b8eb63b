"""The bewaartermijn covers signalen that stay in the signalenbak (they never get a closed sessie)."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app

from facilitatie.avg import opschonen
from facilitatie.extensions import db
from facilitatie.knelpunten.models import Knelpunt
from facilitatie.models_base import utcnow
from facilitatie.opvolging.models import Besluit
from facilitatie.sessies.models import Deelnemer
from facilitatie.signalen import lezen, service
from facilitatie.signalen.models import OpgelostVraag
from tests.signalen.helpers import meld


def test_signalen_in_the_bak_lose_their_text_after_the_bewaartermijn(wereld):
    oud = meld(wereld)  # named: its melder is a deelnemer of the bak
    besloten = meld(wereld, tekst="Dit signaal is al opgelost volgens beleid.")
    with current_app.test_request_context("/"):
        service.besluit_zonder_sessie(besloten, wereld.beleid, soort="al_opgelost", toelichting="Regel is aangepast.")
        [vraag] = lezen.open_vragen(wereld.noord.id)
        service.opgelost_beantwoorden(vraag, "deels", "Alleen voor nieuwe aanvragen.", wereld.lid_noord)
    later = utcnow() + timedelta(days=31 * 25)

    # Within the term nothing happens; a dry run only counts.
    assert opschonen.opschonen(maanden=24).signalen == 0
    proef = opschonen.opschonen(maanden=24, nu=later, proef=True)
    assert proef.signalen == 2
    db.session.expire_all()
    assert db.session.get(Knelpunt, oud.id).tekst != opschonen.VERWIJDERD

    verslag = opschonen.opschonen(maanden=24, nu=later)
    assert verslag.signalen == 2
    assert any("Signalen in de signalenbak" in r for r in verslag.regels(False))
    db.session.expire_all()
    for knelpunt_id in (oud.id, besloten.id):
        knelpunt = db.session.get(Knelpunt, knelpunt_id)
        assert knelpunt.tekst == opschonen.VERWIJDERD and knelpunt.deelnemer_id is None
        assert knelpunt.domein == "Wmo" and knelpunt.team_id == wereld.noord.id  # the figures stay
    assert db.session.get(OpgelostVraag, vraag.id).toelichting is None
    assert db.session.get(OpgelostVraag, vraag.id).antwoord == "deels"
    assert db.session.scalar(db.select(Besluit.soort).where(Besluit.knelpunt_id == besloten.id)) == "al_opgelost"
    melders = db.session.scalars(db.select(Deelnemer).where(Deelnemer.sessie_id == oud.sessie_id)).all()
    assert melders and all(d.naam is None and d.user_id is None for d in melders)
    # Nothing left to clean the next time.
    assert opschonen.opschonen(maanden=24, nu=later).signalen == 0


def test_a_recent_besluit_keeps_an_old_signaal(wereld):
    signaal = meld(wereld)
    db.session.get(Knelpunt, signaal.id).aangemaakt_op = utcnow() - timedelta(days=31 * 30)
    db.session.commit()
    with current_app.test_request_context("/"):
        service.besluit_zonder_sessie(signaal, wereld.beleid, soort="opgepakt")
    assert opschonen.opschonen(maanden=24).signalen == 0
    meld(wereld, tekst="Een tweede, oud signaal zonder besluit.")
    knelpunt = db.session.scalars(db.select(Knelpunt).order_by(Knelpunt.id.desc())).first()
    knelpunt.aangemaakt_op = utcnow() - timedelta(days=31 * 30)
    db.session.commit()
    assert opschonen.opschonen(maanden=24).signalen == 1
