"""Knelpunten over Socket.IO: live fragments per audience, catch-up after a disconnect, presence.

Sockets use Flask-SocketIO's test client sharing a Flask test client's cookies, so a socket is
exactly as privileged as its browser. Runs against SQLite and PostgreSQL.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from facilitatie.extensions import db, socketio
from facilitatie.sessies.models import Aanwezigheid
from tests.conftest import csrf_token, forget_request_state, post
from tests.knelpunten.helpers import Live, deelnemer_client, dien_in, leider_client, naar_fase


def connect(app, client):
    forget_request_state()
    sock = socketio.test_client(app, flask_test_client=client)
    assert sock.is_connected()
    return sock


def volg(sock, code: str, sinds: int) -> dict[str, Any]:
    forget_request_state()
    return sock.emit("volg", {"code": code, "sinds": sinds}, callback=True)


def ontvangen(sock, naam: str = "update") -> list[dict[str, Any]]:
    return [m["args"][0] for m in sock.get_received() if m["name"] == naam]


def _opzet(app, factory):
    gemeente = factory.gemeente("Vechtstede")
    begeleider = factory.user("begeleider", gemeente=gemeente)
    sessie = Live(factory.sessie(begeleider))
    leider = leider_client(app, begeleider)
    naar_fase(leider, sessie, "knelpunten")
    return sessie, leider


def test_a_new_knelpunt_reaches_both_audiences_without_tokens_or_names(app, factory):
    sessie, leider = _opzet(app, factory)
    kijker = connect(app, deelnemer_client(app, sessie.code))
    bediener = connect(app, leider)
    assert volg(kijker, sessie.code, sessie.laatste_seq())["ok"]
    assert volg(bediener, sessie.code, sessie.laatste_seq())["ok"]
    ontvangen(kijker), ontvangen(bediener)

    schrijver = deelnemer_client(app, sessie.code, naam="Zeldzame Naam")
    ontvangen(kijker), ontvangen(bediener)
    dien_in(schrijver, sessie.code, "Een **nieuw** knelpunt.", anoniem="1")
    [bij_deelnemer], [bij_begeleider] = ontvangen(kijker), ontvangen(bediener)
    assert bij_deelnemer["type"] == "knelpunt.toegevoegd" and bij_deelnemer["seq"] == bij_begeleider["seq"]
    assert bij_deelnemer["melding"]  # announced through aria-live
    html = " ".join(f["html"] for f in bij_deelnemer["fragmenten"] + bij_begeleider["fragmenten"])
    assert "<strong>nieuw</strong>" in html and "Zeldzame Naam" not in html
    assert csrf_token(leider) not in html and 'name="csrf_token" value=""' in html
    assert ("#knelpunten-lijst", "beforeend") in {(f["doel"], f["wijze"]) for f in bij_deelnemer["fragmenten"]}
    # The begeleider's copy has the moderation control; the deelnemers' does not.
    assert "Verbergen" in " ".join(f["html"] for f in bij_begeleider["fragmenten"])
    assert "Verbergen" not in " ".join(f["html"] for f in bij_deelnemer["fragmenten"])


def test_catch_up_after_missing_three_changes(app, factory):
    sessie, leider = _opzet(app, factory)
    browser = deelnemer_client(app, sessie.code)
    schrijver = deelnemer_client(app, sessie.code)
    sock = connect(app, browser)
    ack = volg(sock, sessie.code, sessie.laatste_seq())
    laatste = ack["seq"]
    sock.disconnect()

    dien_in(schrijver, sessie.code, "Eerste gemist.")
    dien_in(schrijver, sessie.code, "Tweede gemist.")
    post(leider, f"/s/{sessie.code}/stemmen/sluiten")  # a change without text: nothing is wiped

    sock = connect(app, browser)
    ack = volg(sock, sessie.code, laatste)
    gemist = ontvangen(sock)
    assert [u["seq"] for u in gemist] == [laatste + 1, laatste + 2, laatste + 3]
    assert [u["type"] for u in gemist] == ["knelpunt.toegevoegd", "knelpunt.toegevoegd", "stemmen.gesloten"]
    assert "Eerste gemist." in gemist[0]["fragmenten"][0]["html"]
    assert "Tweede gemist." in gemist[1]["fragmenten"][0]["html"]
    assert ack["seq"] == laatste + 3 and "herladen" not in ack


def _fragment(bericht: dict, doel: str) -> str:
    return next(f["html"] for f in bericht["fragmenten"] if f["doel"] == doel)


def test_presence_counts_connected_deelnemers_per_perspective(app, factory):
    sessie, leider = _opzet(app, factory)
    bediener = connect(app, leider)
    volg(bediener, sessie.code, sessie.laatste_seq())
    ontvangen(bediener, "vluchtig")
    socks = []
    for perspectief in ("uitvoering", "uitvoering", "beleid"):
        sock = connect(app, deelnemer_client(app, sessie.code, perspectief=perspectief))
        assert volg(sock, sessie.code, sessie.laatste_seq())["ok"]
        socks.append(sock)
    laatste = ontvangen(bediener, "vluchtig")[-1]
    html = _fragment(laatste, "#aanwezig")
    assert "<strong>3</strong> deelnemers verbonden" in html and "2 uitvoering" in html and "1 beleid" in html
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Aanwezigheid)) == 3

    socks[2].disconnect()
    html = _fragment(ontvangen(bediener, "vluchtig")[-1], "#aanwezig")
    assert "<strong>2</strong> deelnemers verbonden" in html and "beleid" not in html
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Aanwezigheid)) == 2
    # Deelnemers never receive the presence numbers.
    assert ontvangen(socks[0], "vluchtig") == []
