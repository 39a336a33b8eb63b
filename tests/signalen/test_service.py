"""signalen.service on both databases: melden, the signalenbak, op de agenda, besluit without
sessie, meldlinks, and "Is het opgelost?" with "nee" reopening the knelpunt."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from flask import current_app
from sqlalchemy import func, select

from facilitatie.extensions import db
from facilitatie.fouten import Geweigerd, NietGevonden, Ongeldig
from facilitatie.knelpunten.invoer import PrivacyBlokkade, PrivacyWaarschuwing
from facilitatie.knelpunten.models import Knelpunt
from facilitatie.opvolging import samenvatting
from facilitatie.opvolging import service as opvolging
from facilitatie.opvolging.cijfers import bereken
from facilitatie.opvolging.filters import Filter
from facilitatie.opvolging.lijst import knelpunten_query
from facilitatie.opvolging.models import EerderGemeld
from facilitatie.sessies import service as sessies
from facilitatie.sessies.deelname import sessie_met_code
from facilitatie.sessies.lezen import sessie_voor, sessies_in_lijst
from facilitatie.sessies.models import Deelnemer, Sessie, Status
from facilitatie.signalen import lezen, service
from facilitatie.signalen.models import OpgelostVraag
from tests.signalen.helpers import meld


def _bakken(gemeente_id: int) -> int:
    return db.session.scalar(
        select(func.count()).select_from(Sessie).where(Sessie.gemeente_id == gemeente_id, Sessie.status == "signalen")
    )


def test_melden_puts_a_signaal_in_the_gemeentes_bak_made_once(wereld):
    eerste = meld(wereld)
    tweede = meld(wereld, tekst="Schuldhulp heeft een wachtlijst van tien weken.", domein="Schulden")
    assert eerste.sessie_id == tweede.sessie_id
    bak = db.session.get(Sessie, eerste.sessie_id)
    assert bak.status == Status.SIGNALEN and bak.begeleider_id is None and bak.gemeente_id == wereld.gemeente.id
    assert _bakken(wereld.gemeente.id) == 1
    assert eerste.bron == "signaal" and eerste.team_id == wereld.noord.id
    assert lezen.status_van(eerste, None) == lezen.NIEUW


def test_a_named_signaal_names_its_author_an_anonymous_one_stores_nobody(wereld):
    genoemd = meld(wereld)
    assert genoemd.deelnemer is not None and genoemd.deelnemer.user_id == wereld.lid_noord.id
    anoniem = meld(wereld, anoniem=True, tekst="Een anoniem signaal over de Wmo-indicatie.")
    assert anoniem.anoniem and anoniem.deelnemer_id is None and anoniem.sleutel_hash is None
    # Only the named one made a deelnemer in the bak, once.
    assert db.session.scalar(select(func.count()).select_from(Deelnemer).where(Deelnemer.user_id.is_not(None))) == 1


def test_the_same_request_id_stores_one_signaal(wereld):
    rid = uuid.uuid4().hex
    eerste = meld(wereld, client_request_id=rid)
    tweede = meld(wereld, client_request_id=rid, tekst="Iets anders")
    assert eerste.id == tweede.id
    assert db.session.scalar(select(func.count()).select_from(Knelpunt)) == 1


def test_the_privacy_guard_holds_for_signalen(wereld):
    with pytest.raises(PrivacyBlokkade):
        meld(wereld, tekst="Mevrouw met BSN 111222333 wacht al weken.")
    with pytest.raises(PrivacyWaarschuwing):
        meld(wereld, tekst="Bel mevrouw Jansen op 06-12345678 over haar aanvraag.")
    toch = meld(wereld, tekst="Bel mevrouw Jansen op 06-12345678 over haar aanvraag.", toch=True)
    assert toch.id
    assert db.session.scalar(select(func.count()).select_from(Knelpunt)) == 1


@pytest.mark.parametrize(
    ("velden", "veld"),
    [
        ({"tekst": "   "}, "tekst"),
        ({"tekst": "x" * 2001}, "tekst"),
        ({"domein": ""}, "domein"),
        ({"domein": "Verkeer"}, "domein"),
        ({"bron": "sessie"}, "bron"),
    ],
)
def test_bad_input_is_refused_and_nothing_stored(wereld, velden, veld):
    with pytest.raises(Ongeldig) as fout:
        meld(wereld, **velden)
    assert fout.value.veld == veld
    assert db.session.scalar(select(func.count()).select_from(Knelpunt)) == 0


def test_a_team_of_another_gemeente_is_refused(wereld):
    with pytest.raises(Ongeldig) as fout:
        meld(wereld, team_id=wereld.team_x.id)
    assert fout.value.veld == "team"


def test_only_people_of_the_gemeente_who_may_post_report_signalen(wereld):
    for wie in (wereld.lid_x, wereld.wethouder, None):
        with pytest.raises(Geweigerd):
            meld(wereld, door=wie)
    assert meld(wereld, door=wereld.beleid, team_id=None).team_id is None


def test_the_bak_is_no_sessie(wereld):
    knelpunt = meld(wereld)
    bak = db.session.get(Sessie, knelpunt.sessie_id)
    with pytest.raises(NietGevonden):
        sessie_voor(wereld.begeleider, bak.id, lambda _u, _s: True)
    assert sessie_met_code(bak.deelnamecode) is None
    for wie in (wereld.begeleider, wereld.beleid, wereld.wethouder):
        assert bak.id not in [s.id for s, _ in sessies_in_lijst(wie)]


def _concept(wereld, titel: str = "Ontmoeting voorjaar"):
    with current_app.test_request_context("/"):
        return sessies.create_sessie(begeleider=wereld.begeleider, titel=titel, vorm="ontmoeten-en-ont-moeten")


def test_op_de_agenda_moves_signalen_into_a_concept_sessie(wereld):
    a, b = meld(wereld), meld(wereld, tekst="Tweede signaal over de jeugdhulp.", domein="Jeugd")
    aangemaakt = a.aangemaakt_op
    sessie = _concept(wereld)
    with current_app.test_request_context("/"):
        service.op_agenda_zetten([a, b], sessie, wereld.begeleider)
    db.session.expire_all()
    assert {a.sessie_id, b.sessie_id} == {sessie.id}
    assert a.aangemaakt_op == aangemaakt  # the dashboard counts from arrival
    assert lezen.status_van(a, None) == lezen.OP_DE_AGENDA
    assert [r.status for r in lezen.inbox(wereld.gemeente.id)] == [lezen.OP_DE_AGENDA] * 2


def test_op_de_agenda_rules(wereld):
    signaal = meld(wereld)
    sessie = _concept(wereld)
    with current_app.test_request_context("/"):
        with pytest.raises(Geweigerd):
            service.op_agenda_zetten([signaal], sessie, wereld.lid_noord)
        with pytest.raises(Ongeldig):
            service.op_agenda_zetten([], sessie, wereld.begeleider)
        sessies.start(sessie, wereld.begeleider)
        with pytest.raises(Ongeldig) as fout:
            service.op_agenda_zetten([signaal], sessie, wereld.begeleider)
    assert fout.value.veld == "sessie"
    db.session.expire_all()
    assert db.session.get(Knelpunt, signaal.id).sessie.status == Status.SIGNALEN


def test_besluit_without_sessie_with_the_opvolging_rules(wereld):
    signaal = meld(wereld)
    with current_app.test_request_context("/"):
        with pytest.raises(Ongeldig) as fout:
            service.besluit_zonder_sessie(signaal, wereld.beleid, soort="al_opgelost")
        assert fout.value.veld == "toelichting"
        with pytest.raises(Geweigerd):
            service.besluit_zonder_sessie(signaal, wereld.begeleider_x, soort="opgepakt")
        besluit = service.besluit_zonder_sessie(
            signaal, wereld.beleid, soort="al_opgelost", toelichting="De termijn is per 1 maart al verkort."
        )
    assert besluit.soort == "al_opgelost"
    [regel] = lezen.inbox(wereld.gemeente.id)
    assert regel.status == lezen.BESLOTEN
    # "al opgelost" asks the reporting team whether it agrees.
    [vraag] = lezen.open_vragen(wereld.noord.id)
    assert vraag.knelpunt_id == signaal.id and vraag.aanleiding == "al_opgelost"


def test_inbox_filters_by_team_and_status(wereld):
    meld(wereld)
    meld(wereld, team_id=wereld.zuid.id, door=wereld.lid_zuid, tekst="Zuid meldt iets over wonen.", domein="Wonen")
    assert len(lezen.inbox(wereld.gemeente.id)) == 2
    assert [r.knelpunt.team_id for r in lezen.inbox(wereld.gemeente.id, team_id=wereld.zuid.id)] == [wereld.zuid.id]
    assert lezen.inbox(wereld.gemeente.id, status=lezen.BESLOTEN) == []
    assert lezen.inbox(wereld.andere.id) == []


def test_meldlink_is_stored_as_a_hash_and_renewing_revokes_the_old(wereld):
    with current_app.test_request_context("/"):
        oud = service.meldlink_maken(wereld.noord, wereld.begeleider)
        nieuw = service.meldlink_maken(wereld.noord, wereld.begeleider)
        with pytest.raises(Geweigerd):
            service.meldlink_maken(wereld.noord, wereld.beleid)
        with pytest.raises(Geweigerd):
            service.meldlink_maken(wereld.noord, wereld.begeleider_x)
    assert not lezen.meldlink_met_token(oud).actief
    link = lezen.meldlink_met_token(nieuw)
    assert link.actief and link.token_hash != nieuw and nieuw not in link.token_hash
    with current_app.test_request_context("/"):
        service.meldlink_intrekken(wereld.noord, wereld.begeleider)
        with pytest.raises(Ongeldig):
            service.meldlink_intrekken(wereld.noord, wereld.begeleider)
    assert lezen.actieve_meldlink(wereld.noord.id) is None


def _opgepakt_met_actie(wereld, signaal):
    with current_app.test_request_context("/"):
        opvolging.besluit_nemen(signaal, wereld.beleid, soort="opgepakt")
        return opvolging.actie_toevoegen(
            wereld.beleid,
            gemeente_id=wereld.gemeente.id,
            omschrijving="Termijn herindicatie verkorten",
            eigenaar_id=wereld.beleid.id,
            streefdatum="2026-12-31",
            knelpunt_ids=[signaal.id],
        )


def test_the_last_actie_afgerond_asks_the_team_once(wereld):
    signaal = meld(wereld)
    actie = _opgepakt_met_actie(wereld, signaal)
    with current_app.test_request_context("/"):
        tweede = opvolging.actie_toevoegen(
            wereld.beleid,
            gemeente_id=wereld.gemeente.id,
            omschrijving="Uitleg aan de wijkteams",
            eigenaar_id=wereld.beleid.id,
            streefdatum="2026-12-31",
            knelpunt_ids=[signaal.id],
        )
        opvolging.status_wijzigen(actie, wereld.beleid, "afgerond")
        assert lezen.open_vragen(wereld.noord.id) == []  # one actie is still open
        opvolging.status_wijzigen(tweede, wereld.beleid, "afgerond")
    [vraag] = lezen.open_vragen(wereld.noord.id)
    assert vraag.aanleiding == "actie_afgerond" and vraag.team_id == wereld.noord.id
    assert lezen.open_vragen(wereld.zuid.id) == []


def test_nee_reopens_the_knelpunt_as_a_new_signaal_linked_to_the_original(wereld):
    signaal = meld(wereld, anoniem=True)
    actie = _opgepakt_met_actie(wereld, signaal)
    with current_app.test_request_context("/"):
        opvolging.status_wijzigen(actie, wereld.beleid, "afgerond")
    [vraag] = lezen.open_vragen(wereld.noord.id)
    with current_app.test_request_context("/"):
        with pytest.raises(Ongeldig) as fout:
            service.opgelost_beantwoorden(vraag, "nee", "", wereld.lid_noord)
        assert fout.value.veld == "toelichting"
        with pytest.raises(Ongeldig):
            service.opgelost_beantwoorden(vraag, "misschien", "", wereld.lid_noord)
        with pytest.raises(Geweigerd):
            service.opgelost_beantwoorden(vraag, "ja", "", wereld.lid_zuid)
        service.opgelost_beantwoorden(vraag, "nee", "Nog steeds acht weken wachten.", wereld.lid_noord)
        with pytest.raises(Ongeldig):
            service.opgelost_beantwoorden(vraag, "ja", "", wereld.lid_noord)
    db.session.expire_all()
    vraag = db.session.get(OpgelostVraag, vraag.id)
    heropend = vraag.heropend
    assert heropend is not None and heropend.id != signaal.id
    assert heropend.bron == "heropend" and heropend.anoniem and heropend.deelnemer_id is None
    assert heropend.sessie.status == Status.SIGNALEN and heropend.tekst == signaal.tekst
    eerder = db.session.scalar(select(EerderGemeld.eerder_id).where(EerderGemeld.knelpunt_id == heropend.id))
    assert eerder == signaal.id
    regels = {r.knelpunt.id: r for r in lezen.inbox(wereld.gemeente.id)}
    assert regels[heropend.id].status == lezen.NIEUW
    assert regels[heropend.id].heropend_van.knelpunt_id == signaal.id
    assert [v.antwoord for v in lezen.antwoorden_over(signaal.id)] == ["nee"]


def test_ja_is_counted_as_bevestigd_opgelost(wereld):
    signaal = meld(wereld)
    with current_app.test_request_context("/"):
        service.besluit_zonder_sessie(signaal, wereld.beleid, soort="al_opgelost", toelichting="Regel aangepast.")
        [vraag] = lezen.open_vragen(wereld.noord.id)
        service.opgelost_beantwoorden(vraag, "ja", "", None)  # through a volglink or mail: no person
    telling = lezen.bevestigd_opgelost(wereld.gemeente.id)
    assert telling.totaal["ja"] == 1
    assert telling.per_domein["Wmo"]["ja"] == 1 and telling.per_team["Wijkteam Noord"]["ja"] == 1
    assert lezen.bevestigd_opgelost(wereld.andere.id).totaal == {}
    assert _bakken(wereld.gemeente.id) == 1  # "ja" reopens nothing


def test_the_dashboard_counts_a_signaal_in_the_bak_as_binnengekomen_not_as_in_sessie(wereld):
    """A wethouder read "Nog in sessie 14" while most of those were signalen on no agenda."""

    def figuren() -> list[tuple[int, int, int]]:
        db.session.commit()
        samenvatting.bij()
        snel = samenvatting.lees(wereld.gemeente.id, None, None, date.today())
        traag = bereken(wereld.gemeente.id, None, None, date.today())
        return [(c.totaal.knelpunten, c.totaal.in_sessie, c.totaal.signaal) for c in (snel, traag)]

    def in_lijst(besluit: str) -> set[int]:
        query = knelpunten_query(wereld.wethouder, Filter(weergave="knelpunten", besluit=besluit), date.today())
        rijen = db.session.execute(query).all()
        return {rij[0].id for rij in rijen}

    a, b = meld(wereld), meld(wereld, tekst="Tweede signaal over de jeugdhulp.", domein="Jeugd")
    assert figuren() == [(2, 0, 2)] * 2
    assert in_lijst("signaal") == {a.id, b.id} and in_lijst("in_sessie") == set()

    sessie = _concept(wereld)
    with current_app.test_request_context("/"):
        service.op_agenda_zetten([a], sessie, wereld.begeleider)
    db.session.expire_all()
    # On the agenda of a sessie that has not started: in sessie now.
    assert figuren() == [(2, 1, 1)] * 2
    assert in_lijst("signaal") == {b.id} and in_lijst("in_sessie") == {a.id}
