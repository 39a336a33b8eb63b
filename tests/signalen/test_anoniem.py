"""Anonymous means anonymous for signalen too: the anonymity audit for a signed-in wijkteamlid's
anonymous signaal and for an anonymous post through a team's meldlink.

Every row of every table before and after, and every log record at DEBUG (see
tests/knelpunten/test_anoniem.py): nothing written may tie the signaal to its author.
"""

from __future__ import annotations

import json
import logging
import re
import uuid

import pytest

from facilitatie.extensions import db
from tests.conftest import csrf_token, login, post
from tests.knelpunten.test_anoniem import kolommen, snapshot
from tests.signalen.helpers import meld

USER_AGENT = "AuditBrowser/9.9 (Android; kenmerk-S1GN)"
IP = "127.0.0.9"
NAAM = "Sanne Zeldzaamnaam"
EMAIL = "sanne.zeldzaam@wijkteam.test"
# volglink: the melder's link, only its hash (columns pinned by tests/knelpunten/test_anoniem.py).
TOEGESTAAN = {"knelpunt", "dashboard_stand", "dashboard_vuil", "volglink"}


def _controleer(voor, na, records, kenmerken) -> dict:
    veranderd = {t: (na[t] - voor[t]) for t in na if na[t] != voor[t]}
    assert set(veranderd) <= TOEGESTAAN, set(veranderd)
    [rij] = veranderd["knelpunt"]
    knelpunt = dict(zip(kolommen("knelpunt"), rij, strict=True))
    assert knelpunt["anoniem"] in (True, 1) and knelpunt["deelnemer_id"] is None
    for tabel, rijen in veranderd.items():
        for rij in rijen:
            waarden = dict(zip(kolommen(tabel), rij, strict=True))
            for kolom, waarde in waarden.items():
                if kolom.endswith("_id") and any(w in kolom for w in ("deelnemer", "user", "gebruiker", "door")):
                    assert waarde is None, (tabel, kolom)
            tekst = json.dumps(waarden, default=str, ensure_ascii=False)
            for wat, kenmerk in kenmerken.items():
                assert kenmerk not in tekst, f"{wat} staat in {tabel}"
    for record in records:
        regel = f"{record.name} {record.getMessage()} {record.args!r} {record.__dict__}"
        for wat, kenmerk in kenmerken.items():
            assert kenmerk not in regel, f"{wat} staat in een logregel van {record.name}"
    return knelpunt


def test_an_anonymous_signaal_from_the_start_page_names_nobody(app, factory, wereld, caplog, alle_logs_op_debug):
    meld(wereld, door=wereld.lid_zuid, team_id=wereld.zuid.id)  # the bak exists already
    factory.user("wijkteamlid", gemeente=wereld.gemeente, team=wereld.noord, email=EMAIL, naam=NAAM)
    auteur = app.test_client()
    auteur.environ_base.update({"HTTP_USER_AGENT": USER_AGENT, "REMOTE_ADDR": IP})
    assert login(auteur, EMAIL).status_code == 302
    token = csrf_token(auteur, "/signalen/nieuw")
    kenmerken = {
        "naam": NAAM,
        "e-mail": EMAIL,
        "ip": IP,
        "user agent": "kenmerk-S1GN",
        "sessiecookie": auteur.get_cookie("session", domain="ontmoet.test").value,
        "csrf": token,
    }
    voor = snapshot()
    caplog.clear()
    with caplog.at_level(logging.DEBUG):
        antwoord = auteur.post(
            "/signalen/nieuw",
            data={
                "csrf_token": token,
                "tekst": "Voor een kleine aanpassing moet een inwoner een volledig nieuwe aanvraag doen.",
                "domein": "Wmo",
                "anoniem": "1",
                "client_request_id": uuid.uuid4().hex,
            },
        )
    assert antwoord.status_code == 201
    knelpunt = _controleer(voor, snapshot(), list(caplog.records), kenmerken)
    assert knelpunt["team_id"] == wereld.noord.id and knelpunt["bron"] == "signaal"


@pytest.mark.parametrize("met_naam_veld", [False, True])
def test_an_anonymous_post_through_the_meldlink_names_nobody(app, wereld, caplog, alle_logs_op_debug, met_naam_veld):
    meld(wereld, door=wereld.lid_zuid, team_id=wereld.zuid.id)
    begeleider = app.test_client()
    assert login(begeleider, wereld.begeleider.email).status_code == 302
    html = post(begeleider, f"/teams/{wereld.noord.id}/meldlink").get_data(as_text=True)
    link = re.search(r"/melden/([A-Za-z0-9_-]+)", html).group(1)
    collega = app.test_client()
    collega.environ_base.update({"HTTP_USER_AGENT": USER_AGENT, "REMOTE_ADDR": IP})
    token = csrf_token(collega, f"/melden/{link}")
    kenmerken = {
        "naam": NAAM,
        "ip": IP,
        "user agent": "kenmerk-S1GN",
        "sessiecookie": collega.get_cookie("session", domain="ontmoet.test").value,
        "csrf": token,
        "meldlink": link,
    }
    voor = snapshot()
    caplog.clear()
    with caplog.at_level(logging.DEBUG):
        antwoord = collega.post(
            f"/melden/{link}",
            data={
                "csrf_token": token,
                "tekst": "De wachttijd voor schuldhulp is opgelopen tot tien weken.",
                "domein": "Schulden",
                "anoniem": "1",
                # A name typed and then "Anoniem indienen" ticked: the name is dropped.
                "naam": NAAM if met_naam_veld else "",
                "client_request_id": uuid.uuid4().hex,
            },
        )
    assert antwoord.status_code == 201
    knelpunt = _controleer(voor, snapshot(), list(caplog.records), kenmerken)
    assert knelpunt["team_id"] == wereld.noord.id and knelpunt["bron"] == "meldlink"
    db.session.rollback()
