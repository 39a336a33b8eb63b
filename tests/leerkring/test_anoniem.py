"""Anonymous means anonymous for vragen and reflecties too: an audit of everything written.

Like the knelpunten audit (tests/knelpunten/test_anoniem.py): every row of every table before
and after, and every log record of the request at DEBUG. Nothing written may tie the post to
its author. Also pins the columns of the leerkring's tables that hold answers, so a column that
could name someone cannot slip in unnoticed.
"""

from __future__ import annotations

import json
import logging
import uuid

import pytest
from sqlalchemy import select

from facilitatie.extensions import db
from facilitatie.sessies import service as sessies
from facilitatie.sessies.models import Deelnemer
from tests.conftest import csrf_token, join, login
from tests.knelpunten.helpers import HX, Live, deelnemer_client, leider_client, naar_fase
from tests.knelpunten.test_anoniem import alle_logs_op_debug, kolommen, snapshot  # noqa: F401

USER_AGENT = "AuditBrowser/9.9 (Macintosh; kenmerk-L3K9)"
NAAM = "Inge Zeldzaamnaam"
EMAIL = "inge.zeldzaam@wijkteam.test"


@pytest.mark.usefixtures("alle_logs_op_debug")
@pytest.mark.parametrize(("soort", "via_htmx"), [("vraag", True), ("reflectie", False), ("reflectie", True)])
def test_an_anonymous_vraag_or_reflectie_leaves_nothing_that_names_its_author(app, factory, caplog, soort, via_htmx):
    gemeente = factory.gemeente("Vechtstede")
    team = factory.team(gemeente, "Wijkteam Noord")
    begeleider = factory.user("begeleider", gemeente=gemeente)
    with app.test_request_context("/"):
        sessie = sessies.create_sessie(begeleider=begeleider, titel="Leerkring", vorm="leerkring", teams=[team])
        sessies.start(sessie, begeleider)
    live = Live(sessie)
    leider = leider_client(app, begeleider)
    naar_fase(leider, live, "casus" if soort == "vraag" else "reflectie")
    for i in range(3):
        deelnemer_client(app, live.code, naam=f"Collega {i}")
    account = factory.user("wijkteamlid", gemeente=gemeente, team=team, email=EMAIL, naam=NAAM)
    auteur = app.test_client()
    auteur.environ_base.update({"HTTP_USER_AGENT": USER_AGENT})
    assert login(auteur, EMAIL).status_code == 302
    assert join(auteur, live.code, naam=NAAM).status_code == 302
    deelnemer = db.session.scalars(select(Deelnemer).where(Deelnemer.user_id == account.id)).one()
    token = csrf_token(auteur, f"/s/{live.code}")
    kenmerken = {
        "naam": NAAM,
        "e-mail": EMAIL,
        "user agent kenmerk": "kenmerk-L3K9",
        "sessiecookie": auteur.get_cookie("session", domain="ontmoet.test").value,
        "csrf": token,
    }

    voor = snapshot()
    caplog.clear()
    with caplog.at_level(logging.DEBUG):
        antwoord = auteur.post(
            f"/s/{live.code}/leerkring/{soort}",
            data={
                "csrf_token": token,
                "tekst": "Ik wist niet dat er een spoedroute bestaat.",
                "anoniem": "1",
                "client_request_id": uuid.uuid4().hex,
            },
            headers=HX if via_htmx else {},
        )
    assert antwoord.status_code == (200 if via_htmx else 302), antwoord.get_data(as_text=True)[:500]
    records = list(caplog.records)
    na = snapshot()

    veranderd = {t: (na[t] - voor[t]) for t in na if na[t] != voor[t]}
    assert set(veranderd) <= {"leerkring_bijdrage", "sessie_event", "sessie"}, set(veranderd)
    [rij] = veranderd["leerkring_bijdrage"]
    bijdrage = dict(zip(kolommen("leerkring_bijdrage"), rij, strict=True))
    assert bijdrage["deelnemer_id"] is None and bijdrage["anoniem"] in (True, 1)
    for tabel, rijen in veranderd.items():
        for rij in rijen:
            waarden = dict(zip(kolommen(tabel), rij, strict=True))
            for kolom, waarde in waarden.items():
                if kolom.endswith("_id") and any(w in kolom for w in ("deelnemer", "user", "gebruiker", "door")):
                    assert waarde is None, (tabel, kolom)
            tekst = json.dumps(waarden, default=str, ensure_ascii=False)
            for wat, kenmerk in kenmerken.items():
                assert kenmerk not in tekst, f"{wat} staat in {tabel}"
            if tabel == "sessie_event":
                payload = json.loads(waarden["payload"]) if isinstance(waarden["payload"], str) else waarden["payload"]
                assert f"deelnemer-{deelnemer.id}" not in tekst
                assert all("deelnemer" not in k and "user" not in k for k in payload.get("data", {}))
    for record in records:
        regel = f"{record.name} {record.getMessage()} {record.args!r} {record.__dict__}"
        for wat, kenmerk in kenmerken.items():
            assert kenmerk not in regel, f"{wat} staat in een logregel van {record.name}"


def test_the_leerkring_tables_hold_no_column_that_names_someone_beyond_these(app):
    """Pinned: a new column in these tables must be weighed against anonymity (and this test changed)."""
    assert set(kolommen("leerkring_bijdrage")) == {
        "id", "sessie_id", "soort", "tekst", "anoniem", "deelnemer_id", "client_request_id", "aangemaakt_op",
    }  # fmt: skip
    # One evaluatie and one peiling answer per person, changeable: the deelnemer is kept for that only,
    # never shown; no perspective, name or text beyond one word.
    assert set(kolommen("leerkring_evaluatie")) == {
        "id",
        "sessie_id",
        "deelnemer_id",
        "cijfer",
        "woord",
        "bijgewerkt_op",
    }
    assert set(kolommen("peiling_antwoord")) == {
        "id", "sessie_id", "fase_key", "deelnemer_id", "team_id", "waarde", "woord", "bijgewerkt_op",
    }  # fmt: skip
    assert set(kolommen("leerkring_casus")) == {
        "sessie_id", "inbrenger", "vraag", "context", "in_verslag", "bijgewerkt_op",
    }  # fmt: skip
    assert set(kolommen("leerkring_vooruitblik")) == {"sessie_id", "inbrenger", "datum", "bijgewerkt_op"}
