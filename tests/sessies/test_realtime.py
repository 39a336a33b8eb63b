"""The realtime pipeline over Socket.IO: rooms per audience, catch-up with `sinds`, gapless seq.

Sockets use Flask-SocketIO's test client sharing the cookies of a Flask test client, so a
socket is exactly as privileged as the browser it belongs to. Changes go through HTTP, the way
a begeleider or deelnemer makes them. Runs against SQLite and PostgreSQL (the `app` fixture).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from facilitatie.extensions import db, socketio
from facilitatie.sessies import service
from facilitatie.sessies.models import Deelnemer, Sessie, SessieEvent
from tests.conftest import csrf_token, forget_request_state, join, login, post


@pytest.fixture
def gemeente(factory):
    return factory.gemeente("Vechtstede")


@pytest.fixture
def begeleider(factory, gemeente):
    return factory.user("begeleider", gemeente=gemeente)


class Live:
    """One live sessie, by plain values (the socket handler ends the shared db session)."""

    def __init__(self, sessie: Sessie) -> None:
        self.id = sessie.id
        self.code = sessie.deelnamecode
        self.fasen = [fase.titel for fase in service.vorm_van(sessie).fasen]

    def laatste_seq(self) -> int:
        db.session.expire_all()
        return db.session.scalar(select(Sessie.laatste_seq).where(Sessie.id == self.id)) or 0

    def seqs(self) -> list[int]:
        db.session.expire_all()
        return list(
            db.session.scalars(
                select(SessieEvent.seq).where(SessieEvent.sessie_id == self.id).order_by(SessieEvent.seq)
            )
        )


@pytest.fixture
def sessie(factory, begeleider) -> Live:
    return Live(factory.sessie(begeleider, titel="Ontmoeting jeugd"))


@pytest.fixture
def leider(app: Flask, begeleider) -> FlaskClient:
    """The begeleider's browser, signed in."""
    client = app.test_client()
    assert login(client, begeleider.email).status_code == 302
    return client


def deelnemer_client(app: Flask, code: str, perspectief: str = "uitvoering") -> FlaskClient:
    """A browser that joined the sessie with its code."""
    client = app.test_client()
    response = join(client, code, perspectief=perspectief)
    assert response.status_code == 302, response.get_data(as_text=True)
    return client


def connect(app: Flask, client: FlaskClient | None = None):
    forget_request_state()
    sock = socketio.test_client(app, flask_test_client=client or app.test_client())
    assert sock.is_connected()
    return sock


def emit(sock, *args: Any) -> Any:
    """Emit as the socket's own browser (nothing cached in the test's `g` from other requests)."""
    forget_request_state()
    return sock.emit(*args, callback=True)


def volg(sock, code: str, sinds: int = 0) -> dict[str, Any]:
    return emit(sock, "volg", {"code": code, "sinds": sinds})


def updates(sock) -> list[dict[str, Any]]:
    """The `update` messages received since the last call, in arrival order."""
    return [message["args"][0] for message in sock.get_received() if message["name"] == "update"]


def beweeg(client: FlaskClient, sessie: Live, actie: str = "volgende") -> None:
    response = post(client, f"/sessies/{sessie.id}/{actie}")
    assert response.status_code == 302, response.get_data(as_text=True)


def doelen(message: dict[str, Any]) -> list[str]:
    return [fragment["doel"] for fragment in message["fragmenten"]]


# --- reaching the right sockets -------------------------------------------------------------


def test_fase_change_reaches_a_connected_deelnemer(app, sessie, leider):
    sock = connect(app, deelnemer_client(app, sessie.code))
    ack = volg(sock, sessie.code, sinds=sessie.laatste_seq())
    assert ack == {"ok": True, "seq": sessie.laatste_seq()}
    assert updates(sock) == []
    voor = ack["seq"]

    beweeg(leider, sessie)

    [update] = updates(sock)
    assert update["seq"] == voor + 1
    assert update["type"] == "fase.gewijzigd"
    assert update["fase"] == 1
    assert update["melding"] == f"Nieuwe fase: {sessie.fasen[1]}."
    assert doelen(update) == ["#fase"]
    assert sessie.fasen[1] in update["fragmenten"][0]["html"]
    assert sessie.laatste_seq() == voor + 1


def test_reconnect_with_sinds_receives_exactly_what_was_missed_in_order(app, sessie, leider):
    browser = deelnemer_client(app, sessie.code)
    sock = connect(app, browser)
    volg(sock, sessie.code, sinds=0)
    gezien = updates(sock)
    assert [u["seq"] for u in gezien] == list(range(1, sessie.laatste_seq() + 1))  # the whole log
    laatste = gezien[-1]["seq"]
    sock.disconnect()

    for _ in range(3):
        beweeg(leider, sessie)

    sock = connect(app, browser)
    ack = volg(sock, sessie.code, sinds=laatste)
    gemist = updates(sock)
    assert [u["seq"] for u in gemist] == [laatste + 1, laatste + 2, laatste + 3]
    assert [u["type"] for u in gemist] == ["fase.gewijzigd"] * 3
    assert [u["fase"] for u in gemist] == [1, 2, 3]
    assert ack == {"ok": True, "seq": laatste + 3}

    # Then live ones, without repeating anything.
    beweeg(leider, sessie, "vorige")
    [live] = updates(sock)
    assert (live["seq"], live["fase"]) == (laatste + 4, 2)


def test_same_seq_always_says_the_same(app, sessie, leider):
    """A replayed update equals the live one with that seq (CONTRACT.md)."""
    sock = connect(app, deelnemer_client(app, sessie.code))
    volg(sock, sessie.code, sinds=sessie.laatste_seq())
    beweeg(leider, sessie)
    [live] = updates(sock)

    later = connect(app, deelnemer_client(app, sessie.code))
    volg(later, sessie.code, sinds=live["seq"] - 1)
    replayed = [u for u in updates(later) if u["seq"] == live["seq"]]
    assert replayed == [live]


def test_begeleider_gets_the_controls_and_deelnemers_get_the_fase(app, sessie, leider):
    deelnemer = connect(app, deelnemer_client(app, sessie.code))
    bediener = connect(app, leider)
    assert volg(deelnemer, sessie.code, sinds=sessie.laatste_seq())["ok"]
    assert volg(bediener, sessie.code, sinds=sessie.laatste_seq())["ok"]

    beweeg(leider, sessie)
    [voor_deelnemer], [voor_begeleider] = updates(deelnemer), updates(bediener)
    assert voor_deelnemer["seq"] == voor_begeleider["seq"]
    assert doelen(voor_deelnemer) == ["#fase"]
    assert doelen(voor_begeleider) == ["#bediening", "#deelnemers"]  # the count's words follow the fase
    html = voor_begeleider["fragmenten"][0]["html"]
    assert "Volgende fase" in html
    # Rendered once for the room, so no person's CSRF token travels in it.
    assert 'name="csrf_token" value=""' in html
    assert csrf_token(leider) not in html


def vluchtig(sock) -> list[dict[str, Any]]:
    """The volatile (presence) messages received since the last call."""
    return [message["args"][0] for message in sock.get_received() if message["name"] == "vluchtig"]


def test_a_join_is_presence_for_the_begeleider_not_a_fan_out_to_every_deelnemer(app, sessie, leider):
    deelnemers = [connect(app, deelnemer_client(app, sessie.code)) for _ in range(3)]
    bediener = connect(app, leider)
    seq = sessie.laatste_seq()
    for sock in (*deelnemers, bediener):
        assert volg(sock, sessie.code, sinds=seq)["ok"]
        sock.get_received()

    deelnemer_client(app, sessie.code, perspectief="beleid")  # someone joins

    # The deelnemers already connected get nothing at all: no update, no seq, no presence.
    for sock in deelnemers:
        assert sock.get_received() == []
    assert sessie.laatste_seq() == seq, "a join must not take a seq (it would be fanned out to everyone)"
    # The begeleider sees the new count, as presence (volatile, not in the event log).
    [bericht] = vluchtig(bediener)
    assert doelen(bericht) == ["#deelnemers", "#aanwezig"]
    assert "<strong>4</strong> deelnemers" in bericht["fragmenten"][0]["html"]
    assert "1 beleid, 3 uitvoering" in bericht["fragmenten"][0]["html"]


def test_joins_in_a_wave_are_batched_into_one_refresh_for_the_begeleider(app, sessie, leider):
    app.config["AANWEZIGHEID_BUNDEL_SECONDEN"] = 1.0
    bediener = connect(app, leider)
    assert volg(bediener, sessie.code, sinds=sessie.laatste_seq())["ok"]
    bediener.get_received()
    begin = time.monotonic()
    for _ in range(6):
        deelnemer_client(app, sessie.code)
    socketio.sleep(2.5)
    berichten = vluchtig(bediener)
    # One refresh per second however many joined (two if the joins straddled a round).
    assert 1 <= len(berichten) <= 1 + int(time.monotonic() - begin - 2.5), berichten
    assert "<strong>6</strong> deelnemers" in berichten[-1]["fragmenten"][0]["html"]


def test_presence_in_a_wave_is_written_with_the_refresh_and_a_socket_gone_before_it_is_not_counted(app, sessie, leider):
    """In a wave the presence rows wait for the begeleider's next refresh (one transaction for
    all of them); the numbers the begeleider then sees are still exact."""
    from facilitatie.sessies.models import Aanwezigheid

    app.config["AANWEZIGHEID_BUNDEL_SECONDEN"] = 0.5
    bediener = connect(app, leider)
    assert volg(bediener, sessie.code, sinds=sessie.laatste_seq())["ok"]
    bediener.get_received()
    socks = [connect(app, deelnemer_client(app, sessie.code)) for _ in range(3)]
    for sock in socks:
        assert volg(sock, sessie.code, sinds=sessie.laatste_seq())["ok"]
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Aanwezigheid)) == 0  # not yet: one write for all
    socks[0].disconnect()  # gone before its row was written
    socketio.sleep(1.5)

    laatste = vluchtig(bediener)[-1]
    aanwezig_html = next(f["html"] for f in laatste["fragmenten"] if f["doel"] == "#aanwezig")
    assert "<strong>2</strong> deelnemers verbonden" in aanwezig_html
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Aanwezigheid)) == 2
    socks[1].disconnect()
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Aanwezigheid)) == 1


def _wachtende_rij(sessie_id: int, sid: str) -> dict[str, Any]:
    from facilitatie.models_base import utcnow

    return {"sid": sid, "sessie_id": sessie_id, "deelnemer_id": None, "perspectief": None, "verbonden_op": utcnow()}


def test_a_socket_that_leaves_while_the_presence_batch_is_written_is_not_counted(app, sessie):
    """Review finding: the batch took its rows off the list before writing; a disconnect in that gap
    found neither a waiting row nor a committed one, and the begeleider's count stayed too high."""
    from sqlalchemy import event

    from facilitatie.sessies import aanwezigheid
    from facilitatie.sessies.models import Aanwezigheid

    wachtend = aanwezigheid._wachtend(app)
    for sid in ("blijft", "gaat"):
        wachtend[sid] = _wachtende_rij(sessie.id, sid)

    def tijdens_schrijven(_conn, _cursor, statement, *_args: Any) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO AANWEZIGHEID"):
            wachtend.pop("gaat", None)  # bij_verlaten, in another greenlet, mid-write

    event.listen(db.engine, "after_cursor_execute", tijdens_schrijven)
    try:
        assert aanwezigheid.noteer_wachtend(sessie.id) == 1
    finally:
        event.remove(db.engine, "after_cursor_execute", tijdens_schrijven)
    db.session.expire_all()
    assert db.session.scalars(select(Aanwezigheid.sid)).all() == ["blijft"]
    assert wachtend == {}


def test_a_failed_presence_write_keeps_the_rows_for_the_next_round(app, sessie, monkeypatch):
    from facilitatie.sessies import aanwezigheid
    from facilitatie.sessies.models import Aanwezigheid

    wachtend = aanwezigheid._wachtend(app)
    wachtend["een"] = _wachtende_rij(sessie.id, "een")
    from contextlib import contextmanager

    @contextmanager
    def vergrendeld():
        raise RuntimeError("database is locked")
        yield

    monkeypatch.setattr(aanwezigheid, "als_schrijver", vergrendeld)
    with pytest.raises(RuntimeError):
        aanwezigheid.noteer_wachtend(sessie.id)
    assert "een" in wachtend
    monkeypatch.undo()
    assert aanwezigheid.noteer_wachtend(sessie.id) == 1
    db.session.expire_all()
    assert db.session.scalars(select(Aanwezigheid.sid)).all() == ["een"]


# --- denials ----------------------------------------------------------------------------------


def test_deelnemer_of_one_sessie_cannot_follow_another(app, factory, begeleider, sessie, leider):
    ander = Live(factory.sessie(begeleider, titel="Andere sessie"))
    sock = connect(app, deelnemer_client(app, sessie.code))

    ack = volg(sock, ander.code, sinds=0)
    assert ack["ok"] is False and ack["fout"]
    assert updates(sock) == []  # not even the log of the other sessie
    beweeg(leider, ander)
    assert updates(sock) == []

    # Its own sessie still works on the same socket.
    assert volg(sock, sessie.code, sinds=sessie.laatste_seq())["ok"]
    beweeg(leider, ander)
    assert updates(sock) == []
    beweeg(leider, sessie)
    assert [u["type"] for u in updates(sock)] == ["fase.gewijzigd"]


@pytest.mark.parametrize(
    "bericht",
    [None, "ABCDEF", ["code"], {"code": "ZZZZZZ", "sinds": 0}, {"code": "", "sinds": 0}, {"sinds": "veel"}],
)
def test_bad_volg_requests_get_a_refusal_not_an_error(app, sessie, bericht):
    sock = connect(app, deelnemer_client(app, sessie.code))
    ack = emit(sock, "volg", bericht)
    assert ack["ok"] is False and ack["fout"]
    assert updates(sock) == []


def test_anonymous_socket_gets_nothing(app, sessie, leider):
    sock = connect(app)  # no cookie at all
    ack = volg(sock, sessie.code, sinds=0)
    assert ack["ok"] is False
    beweeg(leider, sessie)
    assert updates(sock) == []


def test_other_begeleider_socket_gets_nothing(app, factory, gemeente, sessie, leider):
    collega = factory.user("begeleider", gemeente=gemeente)
    client = app.test_client()
    login(client, collega.email)
    sock = connect(app, client)
    assert volg(sock, sessie.code, sinds=0)["ok"] is False
    beweeg(leider, sessie)
    assert updates(sock) == []


def test_deelnemer_of_a_closed_and_reissued_code_does_not_follow_the_new_sessie(app, factory, begeleider, leider):
    """A code may be issued again after afsluiten; old deelnemers must not land in the new room."""
    oud = Live(factory.sessie(begeleider, titel="Oud"))
    browser = deelnemer_client(app, oud.code)
    beweeg(leider, oud, "afsluiten")
    nieuw = factory.sessie(begeleider, titel="Nieuw", live=False)
    nieuw.deelnamecode = oud.code  # the unlikely case, forced
    db.session.commit()
    nieuw_live = Live(nieuw)
    post(leider, f"/sessies/{nieuw_live.id}/starten")

    sock = connect(app, browser)
    assert volg(sock, oud.code, sinds=0)["ok"] is False
    beweeg(leider, nieuw_live)
    assert updates(sock) == []


# --- gapless under concurrent writers ----------------------------------------------------------


def _in_own_context(app: Flask, fn: Callable[[], Any]) -> Any:
    """One request per app context, so each gets and releases its own db session (as in serving)."""
    with app.app_context():
        return fn()


def test_seq_is_gapless_under_concurrent_writers(app, begeleider, sessie):
    email = begeleider.email
    watcher = connect(app, deelnemer_client(app, sessie.code))
    assert volg(watcher, sessie.code, sinds=sessie.laatste_seq())["ok"]
    start_seq = sessie.laatste_seq()
    aantal_fasen = len(sessie.fasen)
    # The test's own session must not hold a transaction (on SQLite: the write lock) from here on.
    db.session.remove()

    leiders, joiners = [], []
    for _ in range(3):
        client = app.test_client()
        assert _in_own_context(app, lambda c=client: login(c, email)).status_code == 302
        token = _in_own_context(app, lambda c=client: csrf_token(c))
        leiders.append((client, token))
    for _ in range(5):
        client = app.test_client()
        token = _in_own_context(app, lambda c=client: csrf_token(c))
        joiners.append((client, token))

    statuses: list[int] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(leiders) + len(joiners))

    def move(client: FlaskClient, token: str, n: int) -> None:
        try:
            barrier.wait()
            for i in range(6):
                index = (n * 6 + i) % aantal_fasen
                path = f"/sessies/{sessie.id}/fase/{index}"
                response = _in_own_context(app, lambda p=path: client.post(p, data={"csrf_token": token}))
                statuses.append(response.status_code)
        except BaseException as exc:
            errors.append(exc)

    def enter(client: FlaskClient, token: str, n: int) -> None:
        try:
            barrier.wait()
            response = _in_own_context(
                app,
                lambda: client.post(
                    "/deelnemen", data={"csrf_token": token, "code": sessie.code, "perspectief": "beleid"}
                ),
            )
            statuses.append(response.status_code)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=move, args=(c, t, n)) for n, (c, t) in enumerate(leiders)]
    threads += [threading.Thread(target=enter, args=(c, t, n)) for n, (c, t) in enumerate(joiners)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    assert all(status < 500 for status in statuses), statuses
    assert len(statuses) == 3 * 6 + 5

    db.session.remove()
    seqs = sessie.seqs()
    assert seqs == list(range(1, len(seqs) + 1)), "gaps or duplicates in the event log"
    assert sessie.laatste_seq() == len(seqs)
    joined = db.session.scalar(select(func.count(Deelnemer.id)).where(Deelnemer.sessie_id == sessie.id))
    assert joined == 1 + 5
    join_events = db.session.scalar(
        select(func.count(SessieEvent.id)).where(
            SessieEvent.sessie_id == sessie.id, SessieEvent.type == "deelnemer.toegevoegd"
        )
    )
    assert join_events == 0  # joins are presence for the begeleider, not logged changes
    assert len(seqs) > start_seq + 5  # fase moves were logged too

    # The watching socket got every new seq exactly once (order across threads may differ;
    # the client re-follows on a gap, see live.js).
    received = sorted(u["seq"] for u in updates(watcher))
    assert received == list(range(start_seq + 1, len(seqs) + 1))


def test_volg_answers_even_when_the_pool_is_exhausted(app, database_url, sessie):
    """A join wave that empties the pool: `volg` still answers, and says to try again."""
    from tests.conftest import make_app

    krap = make_app(database_url, SQLALCHEMY_ENGINE_OPTIONS={"pool_size": 1, "max_overflow": 0, "pool_timeout": 0.5})
    with krap.app_context():
        sock = connect(krap, deelnemer_client(krap, sessie.code))
        db.session.remove()
        bezet = db.engine.connect()  # the only connection, held by someone else
        try:
            begin = time.monotonic()
            ack = volg(sock, sessie.code, sinds=0)
        finally:
            bezet.close()
        assert ack["ok"] is False and ack["opnieuw"] is True
        assert ack["fout"] == "Live volgen lukt nu even niet. We proberen het opnieuw."
        assert time.monotonic() - begin < 10
        assert volg(sock, sessie.code, sinds=0)["ok"] is True  # and when there is room again, it follows
        db.session.remove()
        db.engine.dispose()
