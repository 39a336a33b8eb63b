"""Anonymous means anonymous: an audit of everything written during an anonymous post.

Every row of every table is read before and after, and every log record emitted during the
request is captured (all loggers at DEBUG). Nothing written may tie the post to its author:
not the deelnemer id, name, account id or e-mail address, IP address, browser (user agent),
session cookie or CSRF token. Runs against SQLite and PostgreSQL.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import uuid
from typing import Any

import pytest
from sqlalchemy import select

from facilitatie.extensions import db
from facilitatie.knelpunten.models import Knelpunt
from facilitatie.sessies.models import Deelnemer
from tests.conftest import csrf_token, login
from tests.knelpunten.helpers import HX, Live, deelnemer_client, leider_client, naar_fase

USER_AGENT = "AuditBrowser/9.9 (Macintosh; kenmerk-7Q3X)"
IP = "127.0.0.1"
NAAM = "Sanne Zeldzaamnaam"
EMAIL = "sanne.zeldzaam@wijkteam.test"


def snapshot() -> dict[str, set[tuple[Any, ...]]]:
    """Every row of every table, as comparable tuples."""
    db.session.expire_all()
    tabellen = {}
    for table in db.metadata.sorted_tables:
        rows = db.session.execute(select(table)).all()
        tabellen[table.name] = {tuple(_waarde(v) for v in row) for row in rows}
    db.session.rollback()
    return tabellen


def _waarde(value: Any) -> Any:
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    return value


def kolommen(tabel: str) -> list[str]:
    return [c.name for c in db.metadata.tables[tabel].columns]


@pytest.fixture
def alle_logs_op_debug():
    """Every logger at DEBUG for the duration of the post (restored afterwards).

    SQLAlchemy's engine logger is the one exception: at DEBUG it echoes every SQL parameter and
    result row of every request (including the lookup that checks who is a deelnemer at all);
    the app never enables it, and it is a developer's tracing tool, not an application log.
    """
    loggers = [logging.getLogger()] + [
        logging.getLogger(name)
        for name in list(logging.root.manager.loggerDict)
        if not name.startswith(("sqlalchemy.engine", "sqlalchemy.pool"))
    ]
    eerder = [(lg, lg.level) for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.DEBUG)
    yield
    for lg, level in eerder:
        lg.setLevel(level)


@pytest.mark.parametrize("via_htmx", [False, True])
def test_anonymous_post_leaves_nothing_that_names_its_author(app, factory, caplog, alle_logs_op_debug, via_htmx):
    gemeente = factory.gemeente("Vechtstede")
    team = factory.team(gemeente, "Wijkteam Noord")
    begeleider = factory.user("begeleider", gemeente=gemeente)
    sessie = Live(factory.sessie(begeleider))
    leider = leider_client(app, begeleider)
    naar_fase(leider, sessie, "knelpunten")
    # Others join first, so the author's ids do not coincide with the first of everything.
    for i in range(3):
        deelnemer_client(app, sessie.code, naam=f"Collega {i}")
    account = factory.user("wijkteamlid", gemeente=gemeente, team=team, email=EMAIL, naam=NAAM)
    auteur = app.test_client()
    auteur.environ_base.update({"HTTP_USER_AGENT": USER_AGENT, "REMOTE_ADDR": IP})
    assert login(auteur, EMAIL).status_code == 302
    deelnemer_client_join(auteur, sessie.code)
    deelnemer = db.session.scalars(select(Deelnemer).where(Deelnemer.user_id == account.id)).one()
    token = csrf_token(auteur, f"/s/{sessie.code}")
    sessie_cookie = auteur.get_cookie("session", domain="ontmoet.test").value
    kenmerken = {
        "naam": NAAM,
        "e-mail": EMAIL,
        "ip": IP,
        "user agent": USER_AGENT,
        "user agent kenmerk": "kenmerk-7Q3X",
        "sessiecookie": sessie_cookie,
        "csrf": token,
    }

    voor = snapshot()
    caplog.clear()
    with caplog.at_level(logging.DEBUG):
        response = auteur.post(
            f"/s/{sessie.code}/knelpunten",
            data={
                "csrf_token": token,
                "tekst": "Voor een kleine aanpassing moet een inwoner een volledig nieuwe aanvraag doen.",
                "domein": "Wmo",
                "team": str(team.id),
                "anoniem": "1",
                "client_request_id": uuid.uuid4().hex,
            },
            headers=HX if via_htmx else {},
        )
    assert response.status_code == (200 if via_htmx else 302), response.get_data(as_text=True)[:500]
    records = list(caplog.records)
    na = snapshot()

    # What changed: the knelpunt, its event, the sessie's seq (and the settings row, created on
    # first use), and the gemeente's dashboard stamp (a random value and, on PostgreSQL, the
    # number of the writing transaction, which every row carries anyway as xmin), and the
    # dashboard's queue of what changed (which knelpunt: a kind and an id). Nothing else.
    # And the volglink: its knelpunt and the hash of its token, nothing about who holds it.
    veranderd = {t: (na[t] - voor[t]) for t in na if na[t] != voor[t]}
    assert set(veranderd) <= {
        "knelpunt", "sessie_event", "sessie", "knelpunt_instellingen", "dashboard_stand", "dashboard_vuil",
        "volglink",
    }, set(veranderd)  # fmt: skip
    assert set(kolommen("dashboard_stand")) == {"gemeente_id", "stempel", "transactie"}
    assert set(kolommen("dashboard_vuil")) == {"id", "soort", "ref_id"}
    assert set(kolommen("volglink")) == {"id", "knelpunt_id", "token_hash", "aangemaakt_op"}
    [rij] = veranderd["knelpunt"]
    knelpunt = dict(zip(kolommen("knelpunt"), rij, strict=True))
    assert knelpunt["anoniem"] is True or knelpunt["anoniem"] == 1
    assert knelpunt["deelnemer_id"] is None
    assert knelpunt["team_id"] == team.id  # the team was chosen in the form, as a fact about the knelpunt

    # The volglink token reached the author's own answer (without JavaScript: the page the
    # redirect leads to) and nothing else: only its hash is stored, no event or log holds it.
    antwoord = response if via_htmx else auteur.get(response.headers["Location"])
    [token] = set(re.findall(r"/volg/([A-Za-z0-9_-]{43})", antwoord.get_data(as_text=True)))
    [volg] = veranderd["volglink"]
    volglink = dict(zip(kolommen("volglink"), volg, strict=True))
    assert volglink["knelpunt_id"] == knelpunt["id"]
    assert volglink["token_hash"] == hashlib.sha256(token.encode()).hexdigest()
    kenmerken["volglink"] = token

    for tabel, rijen in veranderd.items():
        for rij in rijen:
            waarden = dict(zip(kolommen(tabel), rij, strict=True))
            for kolom, waarde in waarden.items():
                if kolom.endswith("_id") and any(w in kolom for w in ("deelnemer", "user", "gebruiker", "door")):
                    assert waarde is None, (tabel, kolom)
            tekst = json.dumps(waarden, default=str, ensure_ascii=False)
            for wat, kenmerk in kenmerken.items():
                assert kenmerk not in tekst, f"{wat} staat in {tabel}"
            # No reference to the author's deelnemer or account anywhere in the event payload.
            if tabel == "sessie_event":
                payload = json.loads(waarden["payload"]) if isinstance(waarden["payload"], str) else waarden["payload"]
                assert f"deelnemer-{deelnemer.id}" not in tekst
                assert all("deelnemer" not in k and "user" not in k for k in payload.get("data", {}))

    for record in records:
        regel = f"{record.name} {record.getMessage()} {record.args!r} {record.__dict__}"
        for wat, kenmerk in kenmerken.items():
            assert kenmerk not in regel, f"{wat} staat in een logregel van {record.name}"

    # The author can still find it, through the browser secret only.
    stored = db.session.get(Knelpunt, knelpunt["id"])
    assert stored.sleutel_hash and len(stored.sleutel_hash) == 64
    assert "ontmoet_anoniem=" in response.headers.get("Set-Cookie", "")
    assert "kleine aanpassing" in auteur.get(f"/s/{sessie.code}").get_data(as_text=True)


def deelnemer_client_join(client, code: str) -> None:
    from tests.conftest import join

    response = join(client, code)
    assert response.status_code == 302, response.get_data(as_text=True)
