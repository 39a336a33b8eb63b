"""Webhooks end to end: queued in the change's transaction, signed, retried, logged, sent once.

Every test posts to a real HTTP server on a free port (conftest.ontvanger); runs per database.
"""

from __future__ import annotations

import json
import threading
import time
from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from facilitatie.api import verzenden, webhooks
from facilitatie.api.models import Webhook, WebhookAflevering
from facilitatie.bezorging import AFGELEVERD, MISLUKT, WACHTEND, Terugval
from facilitatie.extensions import db
from facilitatie.fouten import Geweigerd, NietGevonden, Ongeldig
from facilitatie.models_base import utcnow
from facilitatie.opvolging import service
from tests.conftest import login, make_app, post


def _afleveringen() -> list[WebhookAflevering]:
    db.session.expire_all()
    return list(db.session.scalars(select(WebhookAflevering).order_by(WebhookAflevering.id)))


def _webhook(wereld, url: str, naam: str = "Zaaksysteem") -> tuple[Webhook, str]:
    return webhooks.maak(wereld.begeleider, wereld.gemeente.id, naam, url)


def test_a_besluit_is_posted_signed_and_names_nobody(app, wereld, ontvanger):
    _webhook_rij, geheim = _webhook(wereld, ontvanger.url)
    k3 = wereld.k["k3"]  # anonymous, with an earlier besluit
    service.besluit_nemen(k3, wereld.beleid, soort="al_opgelost", toelichting="Het regionale team pakt het op.")
    [rij] = _afleveringen()
    assert (rij.status, rij.pogingen, rij.gebeurtenis) == (WACHTEND, 0, "besluit.vastgelegd")
    assert ontvanger.ontvangen == []  # nothing is sent inside the transaction

    assert verzenden.ronde() == 1
    [ontvangen] = ontvanger.ontvangen
    kop = ontvangen.headers
    assert kop["Content-Type"].startswith("application/json")
    assert kop["X-Ontmoet-Event"] == "besluit.vastgelegd"
    assert kop["X-Ontmoet-Delivery"] == rij.sleutel
    assert kop["X-Ontmoet-Signature"] == verzenden.onderteken(geheim, int(kop["X-Ontmoet-Timestamp"]), ontvangen.body)
    assert verzenden.klopt(
        geheim, kop["X-Ontmoet-Timestamp"], ontvangen.body, kop["X-Ontmoet-Signature"], nu=time.time()
    )
    assert not verzenden.klopt(
        "whsec_ander", kop["X-Ontmoet-Timestamp"], ontvangen.body, kop["X-Ontmoet-Signature"], nu=time.time()
    )
    assert not verzenden.klopt(
        geheim, kop["X-Ontmoet-Timestamp"], ontvangen.body + b" ", kop["X-Ontmoet-Signature"], nu=time.time()
    )
    # A replay an hour later is refused by a receiver that checks the timestamp.
    assert not verzenden.klopt(
        geheim, kop["X-Ontmoet-Timestamp"], ontvangen.body, kop["X-Ontmoet-Signature"], nu=time.time() + 3600
    )

    body = ontvangen.json
    assert body["gebeurtenis"] == "besluit.vastgelegd" and body["id"] == rij.sleutel
    assert body["gemeente"] == wereld.gemeente.id
    assert body["knelpunt"] == {
        "id": k3.id,
        "team": wereld.noord.id,
        "domein": "Jeugd",
        "bron": "sessie",
        "sessie": wereld.sessie.id,
        "api": f"/api/v1/knelpunten/{k3.id}",
    }
    assert body["besluit"]["soort"] == "al_opgelost" and body["besluit"]["nieuw"] is False
    tekst = ontvangen.body.decode()
    for persoonlijk in ("Fatima", "Beleid", "Sanne", "Wachtlijst", "regionale team", "deelnemer", "door", "email"):
        assert persoonlijk not in tekst, persoonlijk

    [rij] = _afleveringen()
    assert (rij.status, rij.pogingen, rij.statuscode, rij.fout) == (AFGELEVERD, 1, 200, None)
    assert verzenden.ronde() == 0  # delivered once, never again


def test_actie_events_carry_status_and_streefdatum_but_no_eigenaar(app, wereld, ontvanger):
    _webhook(wereld, ontvanger.url)
    a3 = wereld.a["a3"]
    service.status_wijzigen(a3, wereld.beleid, "afgerond")
    verzenden.ronde()
    [ontvangen] = ontvanger.ontvangen
    actie = ontvangen.json["actie"]
    assert actie["id"] == a3.id and actie["status"] == "afgerond" and actie["vorige_status"] == "in_uitvoering"
    assert actie["streefdatum"] == "2099-01-01" and actie["te_laat"] is False
    assert "Fatima" not in ontvangen.body.decode() and "zorgverzekeraar" not in ontvangen.body.decode()


def test_a_refused_change_queues_nothing(app, wereld, ontvanger):
    _webhook(wereld, ontvanger.url)
    with pytest.raises(Ongeldig):
        service.besluit_nemen(wereld.k["k4"], wereld.beleid, soort="niet_opgepakt")  # reden required
    assert _afleveringen() == []


def test_only_the_gemeentes_own_webhooks_hear_of_it(app, wereld, ontvanger):
    webhooks.maak(wereld.begeleider_x, wereld.andere.id, "Anderstad", ontvanger.url)
    service.besluit_nemen(wereld.k["k4"], wereld.beleid, soort="opgepakt")
    assert _afleveringen() == []
    service.status_wijzigen(wereld.ax, wereld.beleid_x, "in_uitvoering")
    assert len(_afleveringen()) == 1


def test_a_500_is_retried_later_with_the_same_delivery_and_the_log_shows_it(app, client, wereld, ontvanger):
    ontvanger.antwoorden = [500, 200]
    webhook, geheim = _webhook(wereld, ontvanger.url)
    service.besluit_nemen(wereld.k["k4"], wereld.beleid, soort="opgepakt")

    verzenden.ronde()
    [rij] = _afleveringen()
    assert (rij.status, rij.pogingen, rij.statuscode) == (WACHTEND, 1, 500)
    assert "500" in rij.fout
    assert rij.volgende_poging > utcnow() + timedelta(seconds=25)  # back-off: about 30 s after the first failure
    assert verzenden.ronde() == 0  # not due yet

    login(client, wereld.begeleider.email)
    pagina = client.get(f"/koppelingen/webhooks/{webhook.id}").get_data(as_text=True)
    assert "Wachtend" in pagina and "500" in pagina and "Volgende poging" in pagina

    assert verzenden.ronde(nu=rij.volgende_poging + timedelta(seconds=1)) == 1
    eerste, tweede = ontvanger.ontvangen
    assert eerste.body == tweede.body
    assert eerste.headers["X-Ontmoet-Delivery"] == tweede.headers["X-Ontmoet-Delivery"]
    for ontvangen in (eerste, tweede):
        kop = ontvangen.headers
        assert verzenden.klopt(
            geheim, kop["X-Ontmoet-Timestamp"], ontvangen.body, kop["X-Ontmoet-Signature"], nu=time.time()
        )
    [rij] = _afleveringen()
    assert (rij.status, rij.pogingen, rij.statuscode, rij.fout) == (AFGELEVERD, 2, 200, None)
    pagina = client.get(f"/koppelingen/webhooks/{webhook.id}").get_data(as_text=True)
    assert "Afgeleverd" in pagina


def test_after_n_failures_the_delivery_is_marked_failed_and_can_be_tried_again(app, client, wereld, ontvanger):
    ontvanger.antwoorden = [503]
    webhook, _geheim = _webhook(wereld, ontvanger.url)
    service.besluit_nemen(wereld.k["k4"], wereld.beleid, soort="opgepakt")
    nu = utcnow()
    for _ in range(verzenden.TERUGVAL.pogingen):
        assert verzenden.ronde(nu=nu) == 1
        nu += verzenden.TERUGVAL.maximum * 2
    [rij] = _afleveringen()
    assert (rij.status, rij.pogingen, rij.statuscode) == (MISLUKT, verzenden.TERUGVAL.pogingen, 503)
    assert verzenden.ronde(nu=nu) == 0
    assert len(ontvanger.ontvangen) == verzenden.TERUGVAL.pogingen

    login(client, wereld.begeleider.email)
    pagina = client.get(f"/koppelingen/webhooks/{webhook.id}").get_data(as_text=True)
    assert "Mislukt" in pagina and "Opnieuw proberen" in pagina
    response = post(client, f"/koppelingen/webhooks/{webhook.id}/afleveringen/{rij.id}/opnieuw")
    assert response.status_code == 302
    ontvanger.antwoorden = [200]
    ontvanger.ontvangen.clear()
    assert verzenden.ronde() == 1
    assert _afleveringen()[0].status == AFGELEVERD
    # Trying a delivered one again is refused with a message, and changes nothing.
    response = post(client, f"/koppelingen/webhooks/{webhook.id}/afleveringen/{rij.id}/opnieuw")
    assert response.status_code == 400 and "Alleen een mislukte aflevering" in response.get_data(as_text=True)


def test_an_unreachable_receiver_leaves_the_delivery_queued_with_the_reason(app, wereld):
    _webhook(wereld, "http://127.0.0.1:9/dicht")  # the discard port: nothing listens
    service.besluit_nemen(wereld.k["k4"], wereld.beleid, soort="opgepakt")
    verzenden.ronde(tijdslimiet=2)
    [rij] = _afleveringen()
    assert rij.status == WACHTEND and rij.statuscode is None and rij.pogingen == 1
    assert rij.fout.startswith(("Niet bereikbaar", "Versturen mislukt", "Geen antwoord"))


def test_a_redirect_is_not_followed(app, wereld, ontvanger):
    ontvanger.antwoorden = [302]
    _webhook(wereld, ontvanger.url)
    service.besluit_nemen(wereld.k["k4"], wereld.beleid, soort="opgepakt")
    verzenden.ronde()
    [rij] = _afleveringen()
    assert (rij.status, rij.statuscode) == (WACHTEND, 302)
    assert len(ontvanger.ontvangen) == 1


def test_revoking_stops_deliveries_and_marks_waiting_ones_failed(app, wereld, ontvanger):
    webhook, _geheim = _webhook(wereld, ontvanger.url)
    service.besluit_nemen(wereld.k["k4"], wereld.beleid, soort="opgepakt")
    webhooks.intrekken(wereld.begeleider, webhook)
    [rij] = _afleveringen()
    assert rij.status == MISLUKT and "ingetrokken" in rij.fout
    assert verzenden.ronde() == 0
    service.status_wijzigen(wereld.a["a3"], wereld.beleid, "afgerond")
    assert len(_afleveringen()) == 1  # a revoked webhook hears nothing new
    assert ontvanger.ontvangen == []


def test_backoff_doubles_and_is_capped():
    terugval = Terugval(basis=timedelta(seconds=30), maximum=timedelta(minutes=10), pogingen=8)

    class Vast:
        def random(self) -> float:
            return 0.0

    assert [terugval.wacht(n, Vast()).total_seconds() for n in range(1, 7)] == [30, 60, 120, 240, 480, 600]


@pytest.mark.parametrize(
    ("url", "goed"),
    [
        ("https://zaken.vechtstede.nl/hooks/ontmoet", True),
        ("https://zaken.vechtstede.nl:8443/x?bron=ontmoet", True),
        ("http://127.0.0.1:8080/test", True),
        ("http://localhost/test", True),
        ("http://zaken.vechtstede.nl/hooks", False),
        ("ftp://zaken.vechtstede.nl/", False),
        ("https://gebruiker:wachtwoord@zaken.vechtstede.nl/", False),
        ("https://zaken.vechtstede.nl/#fragment", False),
        ("https://zaken.vechtstede.nl:99999/", False),
        ("https:///pad", False),
        ("zaken.vechtstede.nl", False),
        ("https://zaken vechtstede.nl/", False),
        ("", False),
        ("https://x.nl/" + "a" * 600, False),
    ],
)
def test_url_rules(url: str, goed: bool):
    if goed:
        assert webhooks.controleer_url(url) == url
    else:
        with pytest.raises(Ongeldig) as fout:
            webhooks.controleer_url(url)
        assert fout.value.veld == "url" and fout.value.bericht


def test_the_page_registers_a_webhook_and_shows_its_secret_once(app, client, wereld):
    login(client, wereld.begeleider.email)
    pagina = client.get("/koppelingen/webhooks")
    assert pagina.status_code == 200 and "nog geen webhooks" in pagina.get_data(as_text=True)
    response = post(client, "/koppelingen/webhooks", {"naam": "Zaaksysteem", "url": "https://zaken.vechtstede.nl/h"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    [webhook] = db.session.scalars(select(Webhook)).all()
    assert webhook.gemeente_id == wereld.gemeente.id and webhook.geheim in html
    assert webhook.geheim not in client.get("/koppelingen/webhooks").get_data(as_text=True)
    assert webhook.geheim not in client.get(f"/koppelingen/webhooks/{webhook.id}").get_data(as_text=True)


@pytest.mark.parametrize(
    ("data", "veld", "melding"),
    [
        ({"naam": "", "url": "https://a.nl/"}, "naam", "Geef de webhook een naam"),
        ({"naam": "x" * 81, "url": "https://a.nl/"}, "naam", "hoogstens 80"),
        ({"naam": "Systeem", "url": "http://a.nl/"}, "url", "Gebruik https://"),
        ({"naam": "Systeem", "url": "geen url"}, "url", "geen geldige URL"),
        ({"naam": "Systeem", "url": "https://a.nl/", "gemeente": "999999"}, "gemeente", "Kies een gemeente"),
        ({"naam": "Systeem", "url": "https://a.nl/", "gemeente": "abc"}, "gemeente", "Kies een gemeente"),
    ],
)
def test_bad_input_on_the_page_answers_400_next_to_the_field_and_stores_nothing(
    app, client, wereld, data, veld, melding
):
    login(client, wereld.begeleider.email)
    response = post(client, "/koppelingen/webhooks", data)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert melding in html and f'id="{veld}-fout"' in html
    assert db.session.scalars(select(Webhook)).all() == []


def test_a_webhook_of_another_gemeente_is_404(app, client, wereld, ontvanger):
    webhook, _ = webhooks.maak(wereld.begeleider_x, wereld.andere.id, "Anderstad", ontvanger.url)
    service.status_wijzigen(wereld.ax, wereld.beleid_x, "in_uitvoering")
    [rij] = _afleveringen()
    login(client, wereld.begeleider.email)
    assert client.get(f"/koppelingen/webhooks/{webhook.id}").status_code == 404
    assert post(client, f"/koppelingen/webhooks/{webhook.id}/intrekken").status_code == 404
    assert post(client, f"/koppelingen/webhooks/{webhook.id}/afleveringen/{rij.id}/opnieuw").status_code == 404
    assert client.get("/koppelingen/webhooks/99999999999").status_code == 404
    assert "Anderstad" not in client.get("/koppelingen/webhooks").get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Webhook, webhook.id).ingetrokken_op is None
    with pytest.raises(NietGevonden):
        webhooks.webhook_voor(wereld.begeleider, webhook.id)
    with pytest.raises(Geweigerd):
        webhooks.maak(wereld.begeleider, wereld.andere.id, "Stiekem", ontvanger.url)


def test_a_delivery_of_another_webhook_is_404(app, client, wereld, ontvanger):
    eigen, _ = _webhook(wereld, ontvanger.url)
    webhooks.maak(wereld.begeleider_x, wereld.andere.id, "Anderstad", ontvanger.url)
    service.status_wijzigen(wereld.ax, wereld.beleid_x, "in_uitvoering")
    [rij] = _afleveringen()
    login(client, wereld.begeleider.email)
    assert post(client, f"/koppelingen/webhooks/{eigen.id}/afleveringen/{rij.id}/opnieuw").status_code == 404


@pytest.mark.parametrize(
    ("rol", "lijst", "eigen"),
    [
        ("begeleider", 200, 200),
        ("beheerder", 200, 200),
        ("beleid", 403, 404),
        ("wethouder", 403, 404),
        ("lid_noord", 403, 404),
        ("begeleider_x", 200, 404),
        ("beleid_x", 403, 404),
        ("anoniem", 302, 302),
    ],
)
def test_permission_matrix_of_the_webhook_pages(app, client, wereld, ontvanger, rol, lijst, eigen):
    webhook, _ = _webhook(wereld, ontvanger.url)
    if rol != "anoniem":
        login(client, getattr(wereld, rol).email)
    assert client.get("/koppelingen/webhooks").status_code == lijst
    assert client.get(f"/koppelingen/webhooks/{webhook.id}").status_code == eigen
    response = post(client, f"/koppelingen/webhooks/{webhook.id}/intrekken")
    assert response.status_code == (302 if eigen in (200, 302) else eigen)
    db.session.expire_all()
    assert (db.session.get(Webhook, webhook.id).ingetrokken_op is not None) == (eigen == 200)
    data = {"naam": "Nieuw", "url": "https://a.nl/", "gemeente": str(wereld.gemeente.id)}
    response = post(client, "/koppelingen/webhooks", data)
    assert response.status_code == (400 if rol == "begeleider_x" else lijst), rol  # x: not a gemeente of hers


def _nog_wachtend() -> int:
    db.session.commit()
    return len(db.session.scalars(select(WebhookAflevering.id).where(WebhookAflevering.status == WACHTEND)).all())


def _twee_apps(app: Flask) -> list[Flask]:
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    return [make_app(url), make_app(url)]


def test_two_workers_deliver_every_event_exactly_once(app, wereld, ontvanger):
    ontvanger.vertraging = 0.005
    _webhook(wereld, ontvanger.url, "Eerste")
    _webhook(wereld, ontvanger.url, "Tweede")
    for _ in range(10):
        service.besluit_nemen(wereld.k["k4"], wereld.beleid, soort="opgepakt")
        service.besluit_nemen(wereld.k["k4"], wereld.beleid, soort="al_opgelost", toelichting="Geregeld.")
    totaal = len(_afleveringen())
    assert totaal == 40
    db.session.commit()

    fouten: list[BaseException] = []
    start = threading.Barrier(2)

    def werker(werk_app: Flask) -> None:
        try:
            with werk_app.app_context():
                start.wait()
                while verzenden.ronde(aantal=3) or _nog_wachtend():
                    time.sleep(0.01)  # rows the other worker holds may still come back
                db.session.remove()
                db.engine.dispose()
        except BaseException as fout:  # the test fails below with the worker's error
            fouten.append(fout)

    draden = [threading.Thread(target=werker, args=(a,)) for a in _twee_apps(app)]
    for draad in draden:
        draad.start()
    for draad in draden:
        draad.join(timeout=60)
    assert fouten == []
    sleutels = [o.headers["X-Ontmoet-Delivery"] for o in ontvanger.ontvangen]
    assert len(sleutels) == totaal and len(set(sleutels)) == totaal
    assert {r.status for r in _afleveringen()} == {AFGELEVERD}
    assert all(r.pogingen == 1 for r in _afleveringen())
    assert {json.loads(o.body)["id"] for o in ontvanger.ontvangen} == set(sleutels)
