"""The anonymity audit for the API's new tables: webhook deliveries and signalen reported by another system.

Every row written is read back (tests/knelpunten/test_anoniem.py's snapshot); nothing may tie an
anonymous knelpunt to a person: no deelnemer or account id, no name, no e-mail address.
"""

from __future__ import annotations

import json

from facilitatie.api import tokens, webhooks
from facilitatie.opvolging import service
from tests.knelpunten import test_anoniem as audit


def _rijen(veranderd: dict, tabel: str) -> list[dict]:
    return [dict(zip(audit.kolommen(tabel), rij, strict=True)) for rij in veranderd.get(tabel, ())]


def test_a_besluit_on_an_anonymous_knelpunt_queues_deliveries_that_name_nobody(app, wereld):
    webhooks.maak(wereld.begeleider, wereld.gemeente.id, "Zaaksysteem", "https://zaken.vechtstede.example/h")
    k3 = wereld.k["k3"]  # anonymous
    assert k3.anoniem
    voor = audit.snapshot()
    service.besluit_nemen(k3, wereld.beleid, soort="opgepakt")
    actie = service.actie_toevoegen(
        wereld.beleid,
        gemeente_id=wereld.gemeente.id,
        omschrijving="Wachtlijst in kaart brengen",
        eigenaar_id=wereld.beleid.id,
        streefdatum="2099-01-01",
        knelpunt_ids=[k3.id],
    )
    service.status_wijzigen(actie, wereld.beleid, "in_uitvoering")
    na = audit.snapshot()
    veranderd = {t: na[t] - voor[t] for t in na if na[t] != voor[t]}

    assert set(audit.kolommen("webhook_aflevering")) == {
        "id", "webhook_id", "sleutel", "gebeurtenis", "inhoud", "status", "pogingen", "volgende_poging",
        "bezet_tot", "statuscode", "fout", "aangemaakt_op", "laatste_poging_op",
    }  # fmt: skip
    rijen = _rijen(veranderd, "webhook_aflevering")
    assert {r["gebeurtenis"] for r in rijen} == {"besluit.vastgelegd", "actie.aangemaakt", "actie.status_gewijzigd"}
    namen = [wereld.beleid.naam, wereld.beleid.email, wereld.lid_noord.naam, "Wachtlijst", "Fatima"]
    for rij in rijen:
        inhoud = json.loads(rij["inhoud"])
        tekst = json.dumps(rij, default=str, ensure_ascii=False)
        for naam in namen:
            assert naam not in tekst, naam
        sleutels = set(_alle_sleutels(inhoud))
        assert not sleutels & {"deelnemer", "deelnemer_id", "user", "user_id", "door", "auteur", "eigenaar", "naam"}
        assert not sleutels & {"tekst", "omschrijving", "reden", "toelichting"}


def _alle_sleutels(waarde: object) -> list[str]:
    if isinstance(waarde, dict):
        return [k for k, v in waarde.items() for k in [k, *_alle_sleutels(v)]]
    if isinstance(waarde, list):
        return [k for v in waarde for k in _alle_sleutels(v)]
    return []


def test_an_anonymous_signaal_through_the_api_stores_no_author(app, client, wereld):
    _rij, token = tokens.maak(
        wereld.begeleider, "Zaaksysteem", scope=tokens.SIGNALEN_SCHRIJVEN, gemeente_id=wereld.gemeente.id
    )
    client.get("/api/v1/openapi.json")  # nothing of the first request's bookkeeping in the diff
    voor = audit.snapshot()
    response = client.post(
        "/api/v1/knelpunten",
        json={
            "tekst": "Formulieren voor de Wmo zijn te lang.",
            "domein": "Wmo",
            "team": wereld.noord.id,
            "anoniem": True,
        },
        headers={"Authorization": f"Bearer {token}", "User-Agent": "Zaaksysteem/1.0 kenmerk-ZX9"},
        environ_base={"REMOTE_ADDR": "10.9.8.7"},
    )
    assert response.status_code == 201, response.get_json()
    na = audit.snapshot()
    veranderd = {t: na[t] - voor[t] for t in na if na[t] != voor[t]}
    # The knelpunt, the gemeente's signalenbak (a sessie, made on first use), the dashboard's
    # stamp and queue, and the token's 'last used' (a fact about the token, not the author).
    assert set(veranderd) <= {
        "knelpunt", "sessie", "sessie_event", "dashboard_stand", "dashboard_vuil", "api_token",
    }, set(veranderd)  # fmt: skip
    [knelpunt] = _rijen(veranderd, "knelpunt")
    assert knelpunt["deelnemer_id"] is None and knelpunt["anoniem"] in (True, 1)
    for tabel in veranderd:
        for rij in _rijen(veranderd, tabel):
            tekst = json.dumps(rij, default=str, ensure_ascii=False)
            for kenmerk in ("10.9.8.7", "kenmerk-ZX9", token, wereld.begeleider.email):
                assert kenmerk not in tekst, (tabel, kenmerk)
