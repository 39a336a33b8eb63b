"""Leerkring and peiling commands on both databases: who may do what, in which fase, what is kept,
what is announced live, the protected figures and the trend over a reeks."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from flask import Flask
from sqlalchemy import func, select

from facilitatie.avg import opschonen
from facilitatie.extensions import db
from facilitatie.fouten import Geweigerd, Ongeldig
from facilitatie.leerkring import lezen, service, verslag
from facilitatie.leerkring.models import Bijdrage, Casus, Evaluatie, PeilingAntwoord, Vooruitblik
from facilitatie.models_base import utcnow
from facilitatie.opvolging import service as opvolging
from facilitatie.sessies import service as sessies
from facilitatie.sessies.models import Deelnemer, Sessie, SessieEvent


@pytest.fixture
def ctx(app: Flask):
    """A request context: the commands render the live fragments they announce."""
    with app.test_request_context("/"):
        yield


@pytest.fixture
def kring(factory, ctx):
    gemeente = factory.gemeente("Vechtstede")
    noord, zuid = factory.team(gemeente, "Wijkteam Noord"), factory.team(gemeente, "Wijkteam Zuid")
    begeleider = factory.user("begeleider", gemeente=gemeente)
    sessie = sessies.create_sessie(begeleider=begeleider, titel="Leerkring", vorm="leerkring", teams=[noord, zuid])
    sessies.start(sessie, begeleider)
    mensen = [_deelnemer(sessie, f"D{i}") for i in range(5)]
    return sessie, begeleider, mensen, noord, zuid


def _deelnemer(sessie: Sessie, naam: str | None) -> Deelnemer:
    deelnemer = Deelnemer(sessie_id=sessie.id, naam=naam, perspectief="uitvoering")
    db.session.add(deelnemer)
    db.session.commit()
    return deelnemer


def naar(sessie: Sessie, begeleider, soort: str) -> None:
    index = next(i for i, f in enumerate(sessies.vorm_van(sessie).fasen) if f.soort == soort)
    sessies.ga_naar_fase(sessie, begeleider, index)


def events(sessie: Sessie, type_: str) -> list[SessieEvent]:
    return list(
        db.session.scalars(select(SessieEvent).where(SessieEvent.sessie_id == sessie.id, SessieEvent.type == type_))
    )


def tel(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


# --------------------------------------------------------------------------- casus


def test_the_begeleider_writes_the_casus_and_the_kring_sees_it_live(kring, factory):
    sessie, begeleider, *_ = kring
    casus = service.leg_casus_vast(
        sessie, begeleider, inbrenger=" Sanne ", vraag=" Hoe help ik dit gezin sneller? ", context="Twee loketten."
    )
    assert (casus.inbrenger, casus.vraag, casus.context, casus.in_verslag) == (
        "Sanne",
        "Hoe help ik dit gezin sneller?",
        "Twee loketten.",
        False,
    )
    [event] = events(sessie, "leerkring.casus")
    fragmenten = event.payload["fragmenten"]
    assert "Hoe help ik dit gezin sneller?" in fragmenten["deelnemers"][0]["html"]
    # Changed again: the earlier wording is wiped from the log (it may have held a name).
    service.leg_casus_vast(sessie, begeleider, vraag="Hoe help ik sneller?", in_verslag=True)
    db.session.expire_all()
    assert db.session.get(SessieEvent, event.id).payload.get("gewist") is True
    assert db.session.get(Casus, sessie.id).in_verslag is True

    anderen = factory.user("begeleider", gemeente=sessie.gemeente)
    with pytest.raises(Geweigerd):
        service.leg_casus_vast(sessie, anderen, vraag="Overgenomen?")


@pytest.mark.parametrize(
    ("velden", "fout", "veld"),
    [
        ({"vraag": "  "}, Ongeldig, "vraag"),
        ({"vraag": "x" * 501}, Ongeldig, "vraag"),
        ({"vraag": "Vraag", "context": "x" * 3001}, Ongeldig, "context"),
        ({"vraag": "Vraag", "inbrenger": "x" * 81}, Ongeldig, "inbrenger"),
        ({"vraag": "Vraag over BSN 111222333"}, service.PrivacyBlokkade, "vraag"),
        ({"vraag": "Vraag", "context": "Moeder belde vanaf 06-12345678."}, service.PrivacyWaarschuwing, "context"),
        ({"vraag": "Vraag", "inbrenger": "111222333"}, service.PrivacyBlokkade, "inbrenger"),
    ],
)
def test_a_refused_casus_stores_nothing(kring, velden, fout, veld):
    sessie, begeleider, *_ = kring
    with pytest.raises(fout) as info:
        service.leg_casus_vast(sessie, begeleider, **velden)
    assert info.value.veld == veld
    assert tel(Casus) == 0 and not events(sessie, "leerkring.casus")


def test_a_privacy_warning_can_be_overridden_with_toch(kring):
    sessie, begeleider, *_ = kring
    service.leg_casus_vast(sessie, begeleider, vraag="Vraag", context="Het loket: 030-1234567.", toch=True)
    assert db.session.get(Casus, sessie.id).context == "Het loket: 030-1234567."


def test_a_closed_sessie_keeps_its_casus(kring):
    sessie, begeleider, *_ = kring
    sessies.afsluiten(sessie, begeleider)
    with pytest.raises(Ongeldig, match="afgesloten"):
        service.leg_casus_vast(sessie, begeleider, vraag="Later nog?")


# --------------------------------------------------------------------------- vragen en reflecties


def test_vragen_only_in_the_casus_fase_and_reflecties_only_in_the_reflectie_fase(kring):
    sessie, begeleider, mensen, *_ = kring
    with pytest.raises(Ongeldig, match="andere fase"):
        service.plaats_bijdrage(
            sessie, mensen[0], soort="vraag", tekst="Te vroeg?", anoniem=False, client_request_id=None
        )
    naar(sessie, begeleider, "casus")
    vraag = service.plaats_bijdrage(
        sessie, mensen[0], soort="vraag", tekst="Wie had de regie?", anoniem=False, client_request_id=None
    )
    assert vraag.deelnemer_id == mensen[0].id and vraag.afzender == "D0"
    with pytest.raises(Ongeldig, match="andere fase"):
        service.plaats_bijdrage(
            sessie, mensen[0], soort="reflectie", tekst="Nu al?", anoniem=False, client_request_id=None
        )
    naar(sessie, begeleider, "reflectie")
    reflectie = service.plaats_bijdrage(
        sessie, mensen[1], soort="reflectie", tekst="Ik bel eerder.", anoniem=True, client_request_id=None
    )
    assert reflectie.deelnemer_id is None and reflectie.anoniem and reflectie.afzender == "Anoniem"
    [event] = events(sessie, "leerkring.reflectie")
    html = event.payload["fragmenten"]["deelnemers"][0]["html"]
    assert "Ik bel eerder." in html and "D1" not in html
    assert "deelnemer" not in str(event.payload["data"])
    # The begeleider's copy can remove it; deelnemers' copy cannot.
    assert "Verwijderen" in event.payload["fragmenten"]["begeleider"][0]["html"] and "Verwijderen" not in html


def test_a_retried_post_is_stored_once(kring):
    sessie, begeleider, mensen, *_ = kring
    naar(sessie, begeleider, "casus")
    rid = "a" * 32
    eerste = service.plaats_bijdrage(
        sessie, mensen[0], soort="vraag", tekst="Eén keer", anoniem=True, client_request_id=rid
    )
    tweede = service.plaats_bijdrage(
        sessie, mensen[0], soort="vraag", tekst="Eén keer", anoniem=True, client_request_id=rid
    )
    assert eerste.id == tweede.id and tel(Bijdrage) == 1 and len(events(sessie, "leerkring.vraag")) == 1


@pytest.mark.parametrize(
    ("tekst", "fout"),
    [
        ("", Ongeldig),
        ("x" * 1001, Ongeldig),
        ("BSN 111222333", service.PrivacyBlokkade),
        ("Bel 0612345678", service.PrivacyWaarschuwing),
    ],
)
def test_a_refused_bijdrage_stores_nothing(kring, tekst, fout):
    sessie, begeleider, mensen, *_ = kring
    naar(sessie, begeleider, "reflectie")
    with pytest.raises(fout):
        service.plaats_bijdrage(
            sessie, mensen[0], soort="reflectie", tekst=tekst, anoniem=False, client_request_id=None
        )
    assert tel(Bijdrage) == 0


def test_a_deelnemer_of_another_sessie_cannot_post(kring, factory):
    sessie, begeleider, *_ = kring
    naar(sessie, begeleider, "casus")
    andere = factory.sessie(begeleider, vorm="leerkring")
    vreemde = _deelnemer(andere, "Vreemd")
    with pytest.raises(Geweigerd):
        service.plaats_bijdrage(sessie, vreemde, soort="vraag", tekst="Hoi", anoniem=False, client_request_id=None)


def test_the_begeleider_removes_a_bijdrage_and_the_log_forgets_it(kring, factory):
    sessie, begeleider, mensen, *_ = kring
    naar(sessie, begeleider, "casus")
    vraag = service.plaats_bijdrage(
        sessie, mensen[0], soort="vraag", tekst="Mevrouw Jansen?", anoniem=False, client_request_id=None
    )
    [event] = events(sessie, "leerkring.vraag")
    with pytest.raises(Geweigerd):
        service.verwijder_bijdrage(sessie, factory.user("begeleider", gemeente=sessie.gemeente), vraag.id)
    andere = factory.sessie(begeleider, vorm="leerkring")
    with pytest.raises(Ongeldig):
        service.verwijder_bijdrage(andere, begeleider, vraag.id)
    service.verwijder_bijdrage(sessie, begeleider, vraag.id)
    db.session.expire_all()
    assert tel(Bijdrage) == 0 and db.session.get(SessieEvent, event.id).payload.get("gewist") is True


# --------------------------------------------------------------------------- evaluatie


def test_an_evaluatie_is_given_once_per_deelnemer_and_shown_from_three(kring):
    sessie, begeleider, mensen, *_ = kring
    with pytest.raises(Ongeldig, match="Evalueren kan alleen"):
        service.evalueer(sessie, mensen[0], cijfer="4", woord="fijn")
    naar(sessie, begeleider, "evaluatie")
    service.evalueer(sessie, mensen[0], cijfer="2", woord="Zwaar")
    service.evalueer(sessie, mensen[0], cijfer="4", woord="Fijn")  # changed her mind
    service.evalueer(sessie, mensen[1], cijfer=5, woord=None)
    assert tel(Evaluatie) == 2 and not lezen.evaluatie_uitslag(sessie.id).schaal.zichtbaar
    service.evalueer(sessie, mensen[2], cijfer="3", woord="fijn")
    uitslag = lezen.evaluatie_uitslag(sessie.id)
    # Three cijfers are shown; only two words were given, and a cloud of two would name who wrote them.
    assert uitslag.schaal.gemiddelde == 4.0 and uitslag.wolk is None
    assert len(events(sessie, "leerkring.evaluatie")) == 4
    for cijfer, woord in (("6", None), ("4", "twee woorden"), ("4", "111222333")):
        with pytest.raises(Ongeldig):
            service.evalueer(sessie, mensen[3], cijfer=cijfer, woord=woord)
    assert tel(Evaluatie) == 3


# --------------------------------------------------------------------------- vooruitblik


def test_the_next_inbrenger_and_date(kring, factory):
    sessie, begeleider, *_ = kring
    vandaag = date.today()
    service.leg_vooruitblik_vast(sessie, begeleider, inbrenger=" Lotte ", datum=vandaag + timedelta(days=42))
    service.leg_vooruitblik_vast(sessie, begeleider, inbrenger="Priya", datum=None)
    vooruitblik = db.session.get(Vooruitblik, sessie.id)
    assert (vooruitblik.inbrenger, vooruitblik.datum) == ("Priya", None)
    for velden, veld in (
        ({"inbrenger": "", "datum": None}, "inbrenger"),
        ({"inbrenger": "x" * 81, "datum": None}, "inbrenger"),
        ({"inbrenger": "Lotte", "datum": vandaag - timedelta(days=3)}, "datum"),
    ):
        with pytest.raises(Ongeldig) as info:
            service.leg_vooruitblik_vast(sessie, begeleider, **velden)
        assert info.value.veld == veld
    with pytest.raises(Geweigerd):
        service.leg_vooruitblik_vast(
            sessie, factory.user("beleidsmedewerker", gemeente=sessie.gemeente), inbrenger="X", datum=None
        )


# --------------------------------------------------------------------------- peiling


def test_a_scale_peiling_per_wijkteam(kring):
    sessie, begeleider, mensen, noord, zuid = kring
    with pytest.raises(Ongeldig, match="gesloten"):
        service.beantwoord_peiling(sessie, mensen[0], waarde="3")
    naar(sessie, begeleider, "peiling")
    service.beantwoord_peiling(sessie, mensen[0], waarde="2", team_id=noord.id)
    service.beantwoord_peiling(sessie, mensen[0], waarde="4", team_id=noord.id)  # changed
    service.beantwoord_peiling(sessie, mensen[1], waarde="5", team_id=noord.id)
    service.beantwoord_peiling(sessie, mensen[2], waarde="5", team_id=zuid.id)
    service.beantwoord_peiling(sessie, mensen[3], waarde="3")  # no team chosen: counted in the total only
    assert tel(PeilingAntwoord) == 4
    fase = next(f for f in sessies.vorm_van(sessie).fasen if f.soort == "peiling")
    uitslag = lezen.peiling_uitslag(sessie, fase)
    assert uitslag.zichtbaar and uitslag.schaal.gemiddelde == 4.2
    with pytest.raises(Ongeldig) as info:
        service.beantwoord_peiling(sessie, mensen[4], waarde="7")
    assert info.value.veld == "waarde"
    with pytest.raises(Ongeldig) as info:
        service.beantwoord_peiling(sessie, mensen[4], waarde="3", team_id=999999)
    assert info.value.veld == "team"
    [punt] = lezen.peiling_trend([sessie])[0].punten
    assert punt["alle"].gemiddelde == 4.2
    # Noord has two answers, Zuid one: too few to show apart.
    assert punt["per_team"][noord.id].gemiddelde is None and punt["per_team"][zuid.id].gemiddelde is None


def test_a_word_peiling_makes_a_cloud(factory, ctx):
    gemeente = factory.gemeente()
    team = factory.team(gemeente, "Wijkteam Oost")
    begeleider = factory.user("begeleider", gemeente=gemeente)
    sessie = sessies.create_sessie(begeleider=begeleider, titel="Pols", vorm="pols", teams=[team])
    sessies.start(sessie, begeleider)
    mensen = [_deelnemer(sessie, None) for _ in range(3)]
    naar(sessie, begeleider, "peiling")
    with pytest.raises(Ongeldig) as info:
        service.beantwoord_peiling(sessie, mensen[0], woord="heel druk")
    assert info.value.veld == "woord"
    for deelnemer, woord in zip(mensen, ("Druk", "druk", "rustig"), strict=True):
        antwoord = service.beantwoord_peiling(sessie, deelnemer, woord=woord, waarde="5")
        assert antwoord.waarde is None and antwoord.team_id == team.id  # the sessie's only team
    fase = sessies.vorm_van(sessie).fasen[1]
    uitslag = lezen.peiling_uitslag(sessie, fase)
    assert [(w.woord, w.aantal) for w in uitslag.wolk] == [("druk", 2), ("rustig", 1)]
    [trend] = lezen.peiling_trend([sessie])
    assert trend.vorm == "woord" and [w.woord for w in trend.punten[0]["woorden"]] == ["druk", "rustig"]


# --------------------------------------------------------------------------- over a reeks


def test_a_reeks_gives_the_next_inbrenger_the_previous_casus_and_the_trend(factory, ctx):
    gemeente = factory.gemeente()
    noord = factory.team(gemeente, "Wijkteam Noord")
    begeleider = factory.user("begeleider", gemeente=gemeente)
    reeks = None
    kringen = []
    for nummer, (vraag, cijfers) in enumerate((("Eerste vraag?", [4, 4, 5]), ("Tweede vraag?", [3, 2]), (None, []))):
        sessie = sessies.create_sessie(begeleider=begeleider, titel=f"Kring {nummer}", vorm="leerkring", teams=[noord])
        sessie.aangemaakt_op = utcnow() - timedelta(days=60 - 20 * nummer)
        db.session.commit()
        reeks = opvolging.reeks_instellen(
            sessie, begeleider, reeks_id=reeks.id if reeks else None, nieuwe_naam="" if reeks else "Kring Noord"
        )
        db.session.commit()
        if vraag:
            service.leg_casus_vast(sessie, begeleider, vraag=vraag)
            service.leg_vooruitblik_vast(sessie, begeleider, inbrenger=f"Inbrenger {nummer + 1}", datum=None)
        sessies.start(sessie, begeleider)
        naar(sessie, begeleider, "evaluatie")
        for cijfer in cijfers:
            service.evalueer(sessie, _deelnemer(sessie, None), cijfer=cijfer, woord="goed")
        kringen.append(sessie)
    assert lezen.volgende_inbrenger(reeks.id) == ("Inbrenger 2", None)
    assert lezen.casus_vorige(reeks.id, in_kring=True) == "Tweede vraag?"
    assert lezen.casus_vorige(reeks.id, kijker_id=begeleider.id) == "Tweede vraag?"  # who led it
    assert lezen.casus_vorige(reeks.id) is None  # outside the kring, not in the verslag
    assert lezen.casus_vorige(reeks.id, kringen[1].id, in_kring=True) == "Eerste vraag?"
    assert lezen.casus_vorige(reeks.id, kringen[0].id, in_kring=True) is None
    trend = lezen.evaluatie_trend(lezen.sessies_in_reeks(reeks.id))
    assert [(p.sessie.id, p.schaal.gemiddelde) for p in trend] == [(kringen[0].id, 4.3), (kringen[1].id, None)]
    leeg = opvolging.reeks_instellen(kringen[2], begeleider, reeks_id=None, nieuwe_naam="Nieuw")
    db.session.commit()
    assert lezen.volgende_inbrenger(leeg.id) is None and lezen.casus_vorige(leeg.id) is None


# --------------------------------------------------------------------------- verslag


def test_the_casus_stays_out_of_the_verslag_unless_the_kring_chooses(kring):
    sessie, begeleider, mensen, *_ = kring
    assert verslag.leerkring_onderdeel(sessie) is None
    service.leg_casus_vast(sessie, begeleider, vraag="Geheime vraag?", context="Binnen de kring.")
    naar(sessie, begeleider, "casus")
    service.plaats_bijdrage(
        sessie, mensen[0], soort="vraag", tekst="Een vraag in de kring", anoniem=False, client_request_id=None
    )
    service.leg_vooruitblik_vast(sessie, begeleider, inbrenger="Lotte", datum=None)
    onderdeel = verslag.leerkring_onderdeel(sessie)
    tekst = "\n".join(onderdeel.markdown)
    assert "Lotte" in tekst and "Geheime vraag?" not in tekst and "Een vraag in de kring" not in tekst
    service.leg_casus_vast(sessie, begeleider, vraag="Geheime vraag?", context="Binnen de kring.", in_verslag=True)
    tekst = "\n".join(verslag.leerkring_onderdeel(sessie).markdown)
    assert "Geheime vraag?" in tekst and "Binnen de kring." in tekst and "Een vraag in de kring" not in tekst


def test_the_bewaartermijn_removes_what_was_said_in_the_kring(kring):
    sessie, begeleider, mensen, *_ = kring
    service.leg_casus_vast(sessie, begeleider, inbrenger="Lotte", vraag="Kringvraag?", context="Context")
    naar(sessie, begeleider, "reflectie")
    service.plaats_bijdrage(
        sessie, mensen[0], soort="reflectie", tekst="Mijn les", anoniem=False, client_request_id=None
    )
    naar(sessie, begeleider, "evaluatie")
    for deelnemer in mensen[:3]:
        service.evalueer(sessie, deelnemer, cijfer=4, woord="goed")
    service.leg_vooruitblik_vast(sessie, begeleider, inbrenger="Priya", datum=None)
    sessies.afsluiten(sessie, begeleider)
    sessie.afgesloten_op = utcnow() - timedelta(days=400)
    db.session.commit()
    opschonen.opschonen(maanden=12)
    db.session.expire_all()
    casus = db.session.get(Casus, sessie.id)
    assert (casus.vraag, casus.context, casus.inbrenger) == (opschonen.VERWIJDERD, None, None)
    [bijdrage] = db.session.scalars(select(Bijdrage))
    assert bijdrage.tekst == opschonen.VERWIJDERD and bijdrage.deelnemer_id is None
    assert db.session.get(Vooruitblik, sessie.id).inbrenger == "—"
    assert lezen.evaluatie_uitslag(sessie.id).schaal.gemiddelde == 4.0  # the figures stay
