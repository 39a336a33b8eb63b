"""A wrong SOCKETIO_MESSAGE_QUEUE never fails in silence (issue 11, item 6)."""

from __future__ import annotations

import logging

import pytest

from facilitatie.realtime import EensPerInterval, berichtenwachtrij_fout
from tests.conftest import make_app

REDIS = "redis://127.0.0.1:6379/14"


@pytest.mark.parametrize(
    "url", ["redis://127.0.0.1:1/0", "amqp://guest@127.0.0.1//", "redis://niet-bestaand.invalid:6379"]
)
def test_an_unusable_queue_stops_the_start_with_a_dutch_reason(database_url, url):
    with pytest.raises(RuntimeError, match="Ontmoet start niet: SOCKETIO_MESSAGE_QUEUE"):
        make_app(database_url, SOCKETIO_MESSAGE_QUEUE=url)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_healthz_names_a_queue_that_stopped_answering(database_url):
    app = make_app(database_url, SOCKETIO_MESSAGE_QUEUE=REDIS)
    client = app.test_client()
    with app.app_context():
        assert client.get("/healthz").status_code == 200
        app.config["SOCKETIO_MESSAGE_QUEUE"] = "redis://127.0.0.1:1/0"  # as if Redis went away
        antwoord = client.get("/healthz")
    assert antwoord.status_code == 503 and "SOCKETIO_MESSAGE_QUEUE" in antwoord.get_data(as_text=True)


def test_no_queue_is_fine_and_a_reachable_one_too():
    assert berichtenwachtrij_fout(None) is None
    assert berichtenwachtrij_fout(REDIS) is None


def test_a_retry_message_is_logged_once_per_interval(caplog):
    logger = logging.getLogger("ontmoet.test.wachtrij")
    logger.addFilter(EensPerInterval(seconden=60))
    with caplog.at_level(logging.ERROR, logger="ontmoet.test.wachtrij"):
        for _ in range(1500):
            logger.error("Cannot publish to redis... retrying")
        logger.error("Cannot receive from redis... retrying in 1 secs")
    assert len(caplog.records) == 2


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_an_app_without_a_queue_does_not_inherit_an_earlier_apps_queue(database_url):
    """Flask-SocketIO keeps an earlier init_app's client manager: the next app in the process
    (every test after one with Redis) sent through Redis and its test client refused to start."""
    from socketio.pubsub_manager import PubSubManager

    from facilitatie.extensions import socketio

    make_app(database_url, SOCKETIO_MESSAGE_QUEUE=REDIS)
    assert isinstance(socketio.server.manager, PubSubManager)
    app = make_app(database_url)
    assert not isinstance(socketio.server.manager, PubSubManager)
    assert socketio.test_client(app).is_connected()
