"""Verwachtingen in a live sessie: adding, rondes, beoordelen, privacy, exports, ambitie.

Integration tests: they run against SQLite and PostgreSQL (the `app` fixture).
"""

from __future__ import annotations

import threading

import pytest

from facilitatie.extensions import db
from facilitatie.sessies.models import Deelnemer, SessieEvent
from facilitatie.verwachtingen import export, lezen, service
from facilitatie.verwachtingen.models import Ambitie, Beoordeling, Verwachting
from tests.conftest import csrf_token, join, login, post


@pytest.fixture
def gemeente(factory):
    return factory.gemeente("Vechtstede")


@pytest.fixture
def begeleider(factory, gemeente):
    return factory.user("begeleider", gemeente=gemeente)


@pytest.fixture
def sessie(factory, begeleider):
    return factory.sessie(begeleider)


@pytest.fixture
def leider(app, begeleider):
    client = app.test_client()
    login(client, begeleider.email)
    return client


def voeg_toe(leider, sessie, tekst: str, **extra):
    return post(leider, f"/sessies/{sessie.id}/verwachtingen", {"tekst": tekst, **extra})


def deelnemers(app, sessie, perspectieven: list[str]):
    clients = []
    for i, perspectief in enumerate(perspectieven):
        c = app.test_client()
        assert join(c, sessie.deelnamecode, naam=f"D{i}", perspectief=perspectief).status_code == 302
        clients.append(c)
    return clients


def beoordeel(client, sessie, ronde: int, antwoorden: dict[int, tuple[str, str]], **kw):
    data = {}
    for vid, (w, h) in antwoorden.items():
        data[f"wenselijk-{vid}"] = w
        data[f"haalbaar-{vid}"] = h
    return post(client, f"/s/{sessie.deelnamecode}/verwachtingen/{ronde}", data, **kw)


def ronde(leider, sessie, n: int, actie: str):
    return post(leider, f"/sessies/{sessie.id}/verwachtingen/ronde/{n}/{actie}")


def ids(sessie) -> list[int]:
    return [v.id for v in lezen.verwachtingen_van(sessie)]


# --- adding ---------------------------------------------------------------------------------


def test_begeleider_adds_verwachting_and_bad_input_is_refused(leider, sessie):
    response = voeg_toe(leider, sessie, "Elk gezin heeft binnen twee weken één plan", bron="Beleidsnota Jeugd 2026")
    assert response.status_code == 302
    v = db.session.query(Verwachting).one()
    assert v.bron == "Beleidsnota Jeugd 2026" and v.gemeente_id == sessie.gemeente_id and v.volgorde == 1
    page = leider.get(f"/sessies/{sessie.id}/verwachtingen").get_data(as_text=True)
    assert "Elk gezin heeft binnen twee weken één plan" in page and "Verwachting toevoegen" in page
    for tekst, melding in [
        ("", "Schrijf de verwachting op"),
        ("x" * 301, "hoogstens 300"),
        ("BSN 111222333", "burgerservicenummer"),
    ]:
        response = voeg_toe(leider, sessie, tekst)
        assert response.status_code == 400 and melding in response.get_data(as_text=True)
    assert db.session.query(Verwachting).count() == 1


def test_privacy_warning_can_be_confirmed(leider, sessie):
    response = voeg_toe(leider, sessie, "Bel het wijkteam op 06-12345678 binnen een dag")
    assert response.status_code == 400 and "Toch toevoegen" in response.get_data(as_text=True)
    assert db.session.query(Verwachting).count() == 0
    assert voeg_toe(leider, sessie, "Bel het wijkteam op 06-12345678 binnen een dag", toch="y").status_code == 302
    assert db.session.query(Verwachting).count() == 1


def test_copy_from_earlier_sessie_of_same_gemeente(app, leider, begeleider, factory, sessie):
    eerder = factory.sessie(begeleider, titel="Eerder")
    for tekst in ("Contact binnen vijf werkdagen", "Eén plan per gezin", "Preventief in de wijk"):
        voeg_toe(leider, eerder, tekst)
    a, b, _c = lezen.verwachtingen_van(eerder)
    with app.test_request_context():
        service.leg_ambitie_vast(
            eerder,
            begeleider,
            a.id,
            uitkomst="bijstellen",
            nieuwe_formulering="Contact binnen tien werkdagen",
            toelichting=None,
        )
        service.leg_ambitie_vast(
            eerder, begeleider, b.id, uitkomst="loslaten", nieuwe_formulering=None, toelichting="Niet haalbaar"
        )
    andere_gemeente = factory.sessie(factory.user("begeleider", gemeente=factory.gemeente()), titel="Elders")
    response = post(leider, f"/sessies/{sessie.id}/verwachtingen/kopieren", {"bron_sessie": andere_gemeente.id})
    assert response.status_code == 400
    assert post(leider, f"/sessies/{sessie.id}/verwachtingen/kopieren", {"bron_sessie": eerder.id}).status_code == 302
    assert [v.tekst for v in lezen.verwachtingen_van(sessie)] == [
        "Contact binnen tien werkdagen",
        "Preventief in de wijk",
    ]


def test_propose_from_knelpunt_of_same_sessie_only(app, leider, begeleider, factory, sessie):
    from facilitatie.knelpunten.models import Knelpunt

    knelpunt = Knelpunt(
        sessie_id=sessie.id,
        domein="Jeugd",
        tekst="Gezinnen wachten weken op een plan omdat elk domein een eigen plan maakt.",
    )
    db.session.add(knelpunt)
    db.session.commit()
    page = leider.get(f"/sessies/{sessie.id}/verwachtingen/uit-knelpunt/{knelpunt.id}").get_data(as_text=True)
    assert "Gezinnen wachten weken" in page
    response = post(
        leider, f"/sessies/{sessie.id}/verwachtingen/uit-knelpunt/{knelpunt.id}", {"tekst": "Elk gezin heeft één plan"}
    )
    assert response.status_code == 302
    assert db.session.query(Verwachting).one().knelpunt_id == knelpunt.id
    andere = factory.sessie(begeleider, titel="Andere")
    assert leider.get(f"/sessies/{andere.id}/verwachtingen/uit-knelpunt/{knelpunt.id}").status_code == 404
    assert (
        post(leider, f"/sessies/{andere.id}/verwachtingen/uit-knelpunt/{knelpunt.id}", {"tekst": "X"}).status_code
        == 404
    )


# --- rondes and beoordelen ------------------------------------------------------------------


def test_deelnemer_rates_changes_and_sees_only_count_while_open(app, leider, sessie):
    voeg_toe(leider, sessie, "Elk gezin heeft binnen twee weken één plan")
    voeg_toe(leider, sessie, "Contact binnen vijf werkdagen")
    [a, b] = ids(sessie)
    d1, d2 = deelnemers(app, sessie, ["uitvoering", "beleid"])
    assert beoordeel(d1, sessie, 1, {a: ("4", "2")}, headers={"HX-Request": "true"}).status_code == 400  # not open
    assert db.session.query(Beoordeling).count() == 0
    assert ronde(leider, sessie, 1, "openen").status_code == 302
    assert beoordeel(d1, sessie, 1, {a: ("4", "2"), b: ("5", "weet-niet")}).status_code == 302
    assert beoordeel(d1, sessie, 1, {a: ("3", "2")}, headers={"HX-Request": "true"}).status_code == 200
    assert beoordeel(d2, sessie, 1, {a: ("5", "5")}).status_code == 302
    rijen = {
        (r.verwachting_id, r.deelnemer.naam): (r.wenselijk, r.haalbaar, r.perspectief)
        for r in db.session.query(Beoordeling)
    }
    assert rijen == {(a, "D0"): (3, 2, "uitvoering"), (b, "D0"): (5, None, "uitvoering"), (a, "D1"): (5, 5, "beleid")}
    # Own form shows own answers; nobody sees another's, the begeleider only the count.
    own = d1.get(f"/s/{sessie.deelnamecode}/verwachtingen/1").get_data(as_text=True)
    assert "2 van 2 deelnemers hebben beoordeeld" in own
    assert f'id="w-1-{a}-3" name="wenselijk-{a}" value="3" checked' in own
    other = d2.get(f"/s/{sessie.deelnamecode}/verwachtingen/1").get_data(as_text=True)
    assert 'value="3" checked' not in other
    for page in (
        leider.get(f"/sessies/{sessie.id}/verwachtingen").get_data(as_text=True),
        leider.get(f"/sessies/{sessie.id}").get_data(as_text=True),
    ):
        assert "mediaan" not in page.lower() or "Uitkomst: wenselijk" not in page
        assert "Uitkomst: wenselijk en haalbaar" not in page
    assert "verwachting" not in export.beoordelingen_csv(sessie).split("\r\n", 1)[1]  # no rows while open
    events = db.session.query(SessieEvent).filter_by(type="verwachtingen.beoordeeld").all()
    assert [e.payload["data"] for e in events] == [{"ronde": 1, "aantal": 1}] * 2 + [{"ronde": 1, "aantal": 2}]
    for e in events:  # the broadcast carries the count only
        for fragmenten in e.payload["fragmenten"].values():
            for f in fragmenten:
                assert f["doel"] == "#verwachtingen-teller-1"


def test_a_rating_sent_again_stores_one_rating(app, leider, sessie):
    """A phone that lost its answer sends the same beoordeling again: still one row per verwachting."""
    voeg_toe(leider, sessie, "Elk gezin heeft binnen twee weken één plan")
    [a] = ids(sessie)
    [d1] = deelnemers(app, sessie, ["uitvoering"])
    assert ronde(leider, sessie, 1, "openen").status_code == 302
    for _ in range(2):
        assert beoordeel(d1, sessie, 1, {a: ("4", "2")}, headers={"HX-Request": "true"}).status_code == 200
    [rij] = db.session.query(Beoordeling).all()
    assert (rij.wenselijk, rij.haalbaar) == (4, 2)
    assert "1 van 1 deelnemers heeft beoordeeld" in d1.get(f"/s/{sessie.deelnamecode}/verwachtingen/1").get_data(
        as_text=True
    )


def test_bad_rating_input_is_a_dutch_400_and_stores_nothing(app, leider, sessie):
    voeg_toe(leider, sessie, "Elk gezin heeft binnen twee weken één plan")
    [a] = ids(sessie)
    [d] = deelnemers(app, sessie, ["uitvoering"])
    ronde(leider, sessie, 1, "openen")
    for antwoord, melding in [
        (("4", ""), "Kies ook bij Haalbaar"),
        (("7", "2"), "1 tot 5"),
        (("", ""), "minstens één"),
    ]:
        data = {f"wenselijk-{a}": antwoord[0]} if antwoord[0] else {}
        if antwoord[1]:
            data[f"haalbaar-{a}"] = antwoord[1]
        response = post(d, f"/s/{sessie.deelnamecode}/verwachtingen/1", data, headers={"HX-Request": "true"})
        assert response.status_code == 400 and melding in response.get_data(as_text=True), antwoord
    assert db.session.query(Beoordeling).count() == 0


def test_deelnemer_cannot_rate_in_another_sessie_or_after_close(app, leider, begeleider, factory, sessie):
    voeg_toe(leider, sessie, "Elk gezin heeft binnen twee weken één plan")
    andere = factory.sessie(begeleider, titel="Andere")
    voeg_toe(leider, andere, "Contact binnen vijf werkdagen")
    [a], [b] = ids(sessie), ids(andere)
    ronde(leider, sessie, 1, "openen")
    ronde(leider, andere, 1, "openen")
    [d] = deelnemers(app, sessie, ["uitvoering"])
    # Not a deelnemer of the other sessie: refused.
    assert beoordeel(d, andere, 1, {b: ("4", "2")}).status_code == 403
    # Another sessie's verwachting through this sessie's form: ignored, nothing stored.
    assert beoordeel(d, sessie, 1, {b: ("4", "2")}).status_code == 400
    assert db.session.query(Beoordeling).count() == 0
    assert beoordeel(d, sessie, 1, {a: ("4", "2")}).status_code == 302
    ronde(leider, sessie, 1, "sluiten")
    response = beoordeel(d, sessie, 1, {a: ("1", "1")}, headers={"HX-Request": "true"})
    assert response.status_code == 400 and "niet open" in response.get_data(as_text=True)
    assert db.session.query(Beoordeling).one().wenselijk == 4


def test_begeleider_only_actions_refused_for_deelnemers_and_other_begeleiders(app, leider, factory, gemeente, sessie):
    voeg_toe(leider, sessie, "Elk gezin heeft binnen twee weken één plan")
    [a] = ids(sessie)
    [d] = deelnemers(app, sessie, ["uitvoering"])
    collega = app.test_client()
    login(collega, factory.user("begeleider", gemeente=gemeente).email)
    acties = [
        (f"/sessies/{sessie.id}/verwachtingen", {"tekst": "Nieuw"}),
        (f"/sessies/{sessie.id}/verwachtingen/ronde/1/openen", {}),
        (f"/sessies/{sessie.id}/verwachtingen/{a}/ambitie", {f"a{a}-uitkomst": "handhaven"}),
        (f"/sessies/{sessie.id}/verwachtingen/{a}/verwijderen", {}),
        (f"/sessies/{sessie.id}/verwachtingen/instellingen", {"iqr_max": "1", "aandeel_min": "70", "min_groep": "3"}),
        (f"/sessies/{sessie.id}/verwachtingen/kopieren", {"bron_sessie": sessie.id}),
    ]
    for path, data in acties:
        assert post(collega, path, data).status_code == 403, path
        assert post(d, path, data).status_code in (302, 401, 403), path  # deelnemer: to sign-in
        assert not post(d, path, data).headers.get("Location", "").endswith("/verwachtingen"), path
    assert db.session.query(Verwachting).count() == 1 and lezen.ronde_status(sessie, 1) == "dicht"
    assert db.session.query(Ambitie).count() == 0
    # A colleague of the gemeente may read (and export); a begeleider elsewhere may not.
    assert collega.get(f"/sessies/{sessie.id}/verwachtingen").status_code == 200
    elders = app.test_client()
    login(elders, factory.user("begeleider", gemeente=factory.gemeente()).email)
    assert elders.get(f"/sessies/{sessie.id}/verwachtingen").status_code == 403
    assert elders.get(f"/sessies/{sessie.id}/verwachtingen/beoordelingen.csv").status_code == 403
    assert d.get(f"/sessies/{sessie.id}/verwachtingen/figuren.csv").status_code == 302  # to sign-in


def test_one_rating_per_deelnemer_per_round_under_concurrent_posts(app, leider, sessie):
    voeg_toe(leider, sessie, "Elk gezin heeft binnen twee weken één plan")
    voeg_toe(leider, sessie, "Contact binnen vijf werkdagen")
    [a, b] = ids(sessie)
    clients = deelnemers(app, sessie, ["uitvoering", "beleid", "uitvoering"])
    ronde(leider, sessie, 1, "openen")
    code = sessie.deelnamecode
    tokens = [csrf_token(c) for c in clients]
    n_per_client = 4
    barrier = threading.Barrier(len(clients) * n_per_client)
    statuses: list[int] = []
    errors: list[BaseException] = []
    # The test's own app context keeps a session (and, on SQLite, maybe a write lock) open.
    db.session.remove()

    def worker(client, token, waarde):
        try:
            with app.app_context():
                barrier.wait(timeout=30)
                r = client.post(
                    f"/s/{code}/verwachtingen/1",
                    data={
                        "csrf_token": token,
                        f"wenselijk-{a}": waarde,
                        f"haalbaar-{a}": "2",
                        f"wenselijk-{b}": "3",
                        f"haalbaar-{b}": waarde,
                    },
                )
                statuses.append(r.status_code)
        except BaseException as exc:
            errors.append(exc)

    threads = [
        threading.Thread(target=worker, args=(c, t, str(1 + i % 5)))
        for c, t in zip(clients, tokens, strict=True)
        for i in range(n_per_client)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    assert sorted(statuses) == [302] * len(threads)
    db.session.expire_all()
    rijen = db.session.query(Beoordeling).all()
    assert len(rijen) == 2 * len(clients)
    assert len({(r.verwachting_id, r.deelnemer_id, r.ronde) for r in rijen}) == len(rijen)
    seqs = [e.seq for e in db.session.query(SessieEvent).filter_by(sessie_id=sessie.id).order_by(SessieEvent.seq)]
    assert seqs == list(range(1, len(seqs) + 1))
    last = (
        db.session.query(SessieEvent)
        .filter_by(type="verwachtingen.beoordeeld")
        .order_by(SessieEvent.seq.desc())
        .first()
    )
    assert last.payload["data"]["aantal"] == 3


def test_rondes_rules(app, leider, sessie):
    assert ronde(leider, sessie, 1, "openen").status_code == 302  # no verwachtingen: refused with a message
    assert lezen.ronde_status(sessie, 1) == "dicht"
    voeg_toe(leider, sessie, "Elk gezin heeft binnen twee weken één plan")
    response = post(leider, f"/sessies/{sessie.id}/verwachtingen/ronde/2/openen", headers={"HX-Request": "true"})
    assert response.status_code == 409 and "eerst ronde 1" in response.get_data(as_text=True)
    ronde(leider, sessie, 1, "openen")
    assert (
        post(leider, f"/sessies/{sessie.id}/verwachtingen/ronde/2/openen", headers={"HX-Request": "true"}).status_code
        == 409
    )
    ronde(leider, sessie, 1, "sluiten")
    ronde(leider, sessie, 2, "openen")
    assert lezen.ronde_status(sessie, 2) == "open"
    assert (
        post(leider, f"/sessies/{sessie.id}/verwachtingen/ronde/1/openen", headers={"HX-Request": "true"}).status_code
        == 409
    )
    assert (
        post(leider, f"/sessies/{sessie.id}/verwachtingen/ronde/3/openen", headers={"HX-Request": "true"}).status_code
        == 409
    )


def test_insert_that_loses_the_race_updates_the_winner(app, leider, sessie, monkeypatch):
    """The database's unique constraint decides; the loser's answer updates the stored row, no 500."""
    voeg_toe(leider, sessie, "Elk gezin heeft binnen twee weken één plan")
    [a] = ids(sessie)
    [d] = deelnemers(app, sessie, ["beleid"])
    ronde(leider, sessie, 1, "openen")
    assert beoordeel(d, sessie, 1, {a: ("4", "2")}).status_code == 302
    deelnemer = db.session.query(Deelnemer).one()
    echte_scalar = db.session.scalar
    aanroepen = {"n": 0}

    def mist_de_eerste_keer(*args, **kwargs):
        # As if the other post committed just after our lookup.
        aanroepen["n"] += 1
        return None if aanroepen["n"] == 1 else echte_scalar(*args, **kwargs)

    monkeypatch.setattr(db.session, "scalar", mist_de_eerste_keer)
    service._upsert(a, deelnemer, 1, 2, None)
    db.session.commit()
    monkeypatch.undo()
    [rij] = db.session.query(Beoordeling).all()
    assert (rij.wenselijk, rij.haalbaar) == (2, None) and aanroepen["n"] == 2


def test_dialoog_panel_offers_verwachting_from_knelpunt(app, leider, sessie):
    from facilitatie.knelpunten.models import Knelpunt

    knelpunt = Knelpunt(sessie_id=sessie.id, domein="Wmo", tekst="Herindicatie bij ongewijzigde situatie kost weken.")
    db.session.add(knelpunt)
    db.session.commit()
    post(leider, f"/sessies/{sessie.id}/fase/4")  # Dialoog over de knelpunten
    page = leider.get(f"/sessies/{sessie.id}").get_data(as_text=True)
    assert f"/sessies/{sessie.id}/verwachtingen/uit-knelpunt/{knelpunt.id}" in page
    assert "Verwachting toevoegen" in page


def test_a_verwachting_just_added_is_listed_in_the_panel(app, leider, sessie):
    """Issue 14 item 6: the begeleider added a verwachting in the panel and did not see it there."""
    post(leider, f"/sessies/{sessie.id}/fase/4")  # Dialoog over de knelpunten
    page = leider.get(f"/sessies/{sessie.id}").get_data(as_text=True)
    assert "Nog geen verwachtingen in deze sessie." in page
    terug = f"/sessies/{sessie.id}"
    assert voeg_toe(leider, sessie, "Binnen vier weken een besluit op elke aanvraag", terug=terug).status_code == 302
    page = leider.get(f"/sessies/{sessie.id}").get_data(as_text=True)
    lijst = page[page.index('id="verwachtingen-lijst-kop"') :]
    assert "In deze sessie (1)" in page and "Binnen vier weken een besluit op elke aanvraag" in lijst
