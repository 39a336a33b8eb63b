"""Concurrency: vote limits hold under parallel requests, concurrent retries store once, and
concurrent moves converge. Real threads against SQLite and PostgreSQL."""

from __future__ import annotations

import threading
import uuid
from collections import Counter

from sqlalchemy import func, select

from facilitatie.extensions import db
from facilitatie.knelpunten.models import Knelpunt, Stem, Thema
from facilitatie.sessies.models import Deelnemer, SessieEvent
from tests.conftest import csrf_token, post
from tests.knelpunten.helpers import Live, deelnemer_client, dien_in, leider_client, naar_fase


def parallel(taken: list) -> list:
    """Run the callables at once (released together by a barrier), each thread in its own app
    context like a server thread; return their results."""
    from flask import current_app

    app = current_app._get_current_object()
    # The test's own session must not hold a transaction (on SQLite: the write lock) meanwhile.
    db.session.remove()
    barrier = threading.Barrier(len(taken))
    uitkomsten: list = [None] * len(taken)

    def run(i: int, taak) -> None:
        barrier.wait()
        try:
            with app.app_context():
                uitkomsten[i] = taak()
        except Exception as exc:
            uitkomsten[i] = exc

    threads = [threading.Thread(target=run, args=(i, t)) for i, t in enumerate(taken)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return uitkomsten


def _sessie_met_knelpunten(app, factory, n: int = 3):
    gemeente = factory.gemeente("Vechtstede")
    begeleider = factory.user("begeleider", gemeente=gemeente)
    sessie = Live(factory.sessie(begeleider))
    leider = leider_client(app, begeleider)
    naar_fase(leider, sessie, "knelpunten")
    schrijver = deelnemer_client(app, sessie.code)
    for i in range(n):
        assert dien_in(schrijver, sessie.code, f"Knelpunt {i}").status_code == 302
    return sessie, leider


def test_concurrent_votes_never_exceed_the_limits(app, factory):
    sessie, leider = _sessie_met_knelpunten(app, factory, n=3)
    instellingen = {"stemmen_per_deelnemer": "3", "max_per_item": "2", "stemmen_op": "knelpunt"}
    assert post(leider, f"/s/{sessie.code}/knelpunten/instellingen", instellingen).status_code == 302
    naar_fase(leider, sessie, "stemmen")
    items = [k.id for k in db.session.scalars(select(Knelpunt).order_by(Knelpunt.id))]
    kiezers = [deelnemer_client(app, sessie.code) for _ in range(4)]
    tokens = [csrf_token(k, f"/s/{sessie.code}") for k in kiezers]

    def stem(kiezer, token, item):
        return lambda: (
            kiezer.post(
                f"/s/{sessie.code}/stemmen", data={"csrf_token": token, "soort": "knelpunt", "item": item}
            ).status_code
        )

    # Each of 4 deelnemers fires 7 votes at once (28 parallel requests): 3 allowed each.
    taken = [stem(k, t, items[j % 2]) for k, t in zip(kiezers, tokens, strict=True) for j in range(7)]
    statussen = parallel(taken)
    assert all(s in (302, 409) for s in statussen), statussen
    assert statussen.count(302) == 12

    db.session.expire_all()
    per_deelnemer = Counter(db.session.scalars(select(Stem.deelnemer_id)))
    assert sorted(per_deelnemer.values()) == [3, 3, 3, 3]
    per_item = Counter(db.session.execute(select(Stem.deelnemer_id, Stem.knelpunt_id)).all())
    assert max(per_item.values()) <= 2
    # Every accepted vote got its own gapless seq.
    seqs = list(db.session.scalars(select(SessieEvent.seq).where(SessieEvent.sessie_id == sessie.id)))
    assert sorted(seqs) == list(range(1, len(seqs) + 1))


def test_concurrent_votes_of_one_deelnemer_on_one_item(app, factory):
    sessie, leider = _sessie_met_knelpunten(app, factory, n=1)
    instellingen = {"stemmen_per_deelnemer": "5", "max_per_item": "3", "stemmen_op": "knelpunt"}
    post(leider, f"/s/{sessie.code}/knelpunten/instellingen", instellingen)
    naar_fase(leider, sessie, "stemmen")
    item = db.session.scalar(select(Knelpunt.id))
    kiezer = deelnemer_client(app, sessie.code)
    token = csrf_token(kiezer, f"/s/{sessie.code}")
    statussen = parallel(
        [
            lambda: (
                kiezer.post(
                    f"/s/{sessie.code}/stemmen", data={"csrf_token": token, "soort": "knelpunt", "item": item}
                ).status_code
            )
            for _ in range(20)
        ]
    )
    assert statussen.count(302) == 3 and statussen.count(409) == 17, statussen
    deelnemer_id = db.session.scalar(select(Deelnemer.id).order_by(Deelnemer.id.desc()))
    assert db.session.scalar(select(func.count()).select_from(Stem).where(Stem.deelnemer_id == deelnemer_id)) == 3


def test_concurrent_retries_of_one_post_store_it_once(app, factory):
    sessie, _ = _sessie_met_knelpunten(app, factory, n=0)
    schrijver = deelnemer_client(app, sessie.code)
    token = csrf_token(schrijver, f"/s/{sessie.code}")
    rid = uuid.uuid4().hex
    data = {
        "csrf_token": token,
        "tekst": "Eén keer, ook bij haperend netwerk.",
        "domein": "Jeugd",
        "client_request_id": rid,
    }
    statussen = parallel(
        [lambda: schrijver.post(f"/s/{sessie.code}/knelpunten", data=data).status_code for _ in range(8)]
    )
    assert statussen == [302] * 8
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Knelpunt)) == 1
    types = list(db.session.scalars(select(SessieEvent.type).where(SessieEvent.type == "knelpunt.toegevoegd")))
    assert len(types) == 1


def test_concurrent_moves_converge_to_the_last_event(app, factory):
    """Two begeleider screens move the same knelpunt at once: the state the last event shows
    for that thema column is the state stored in the database."""
    sessie, leider = _sessie_met_knelpunten(app, factory, n=1)
    naar_fase(leider, sessie, "bundelen")
    for naam in ("Thema A", "Thema B"):
        post(leider, f"/s/{sessie.code}/themas", {"naam": naam})
    a, b = db.session.scalars(select(Thema).order_by(Thema.id)).all()
    knelpunt = db.session.scalar(select(Knelpunt.id))
    token = csrf_token(leider, f"/sessies/{sessie.id}")

    def verplaats(thema_id: int):
        return lambda: (
            leider.post(
                f"/s/{sessie.code}/knelpunten/{knelpunt}/verplaats", data={"csrf_token": token, "thema": thema_id}
            ).status_code
        )

    for _ in range(3):
        statussen = parallel([verplaats(a.id), verplaats(b.id), verplaats(a.id), verplaats(b.id)])
        assert statussen == [302] * 4
        db.session.expire_all()
        stored = db.session.get(Knelpunt, knelpunt).thema_id
        # Replay the move events in seq order, keeping the last html per target: that is what
        # every screen shows after applying them.
        scherm: dict[str, str] = {}
        for event in db.session.scalars(
            select(SessieEvent).where(SessieEvent.type == "knelpunt.verplaatst").order_by(SessieEvent.seq)
        ):
            for fragment in event.payload["fragmenten"]["deelnemers"]:
                scherm[fragment["doel"]] = fragment["html"]
        bij = [doel for doel, html in scherm.items() if f'id="bord-knelpunt-{knelpunt}"' in html]
        assert bij == [f"#thema-{stored}"], (bij, stored)
