"""Limits in Redis are shared: N processes behind a proxy count one guesser's tries together."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
import redis
from flask import Flask

from tests.conftest import Factory, csrf_token, make_app

REDIS_URL = os.environ.get("TEST_REDIS_LIMIETEN_URL", "redis://127.0.0.1:6379/13")


@pytest.fixture
def prefix() -> Iterator[str]:
    """A key prefix of this test alone, its keys removed afterwards."""
    prefix = f"ontmoet-test-{uuid.uuid4().hex[:8]}-"
    yield prefix
    verbinding = redis.Redis.from_url(REDIS_URL)
    for sleutel in verbinding.scan_iter(f"{prefix}*"):
        verbinding.delete(sleutel)
    verbinding.close()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_two_app_instances_share_the_join_limit_in_redis(app: Flask, database_url: str, prefix: str):
    instellingen = {
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_STORAGE_URI": REDIS_URL,
        "RATELIMIT_KEY_PREFIX": prefix,
        "JOIN_LIMIT": "4 per minute",
    }
    een, twee = make_app(database_url, **instellingen), make_app(database_url, **instellingen)
    clients = [een.test_client(), twee.test_client()]
    tokens = [csrf_token(c) for c in clients]

    def gok(i: int, code: str):
        data = {"code": code, "perspectief": "uitvoering", "csrf_token": tokens[i % 2]}
        return clients[i % 2].post("/deelnemen", data=data, environ_base={"REMOTE_ADDR": "203.0.113.9"})

    assert [gok(i, code).status_code for i, code in enumerate(["YYYYYY", "YYYYYX", "YYYYXY", "YYYXYY"])] == [400] * 4
    assert gok(0, "YYXYYY").status_code == 429 and gok(1, "YXYYYY").status_code == 429
    sleutels = redis.Redis.from_url(REDIS_URL).keys(f"{prefix}*")
    assert sleutels and not any(b"203.0.113.9" in s for s in sleutels)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_unreachable_limit_storage_stops_no_join_and_turns_healthz_red(app: Flask, database_url: str, factory: Factory):
    """Redis down: nobody is refused (no 500), and /healthz names what fails."""
    code = factory.sessie(factory.user("begeleider", gemeente=factory.gemeente())).deelnamecode
    stuk = make_app(database_url, RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="redis://127.0.0.1:1/0")
    client = stuk.test_client()
    token = csrf_token(client)
    fout = client.post("/deelnemen", data={"code": "YYYYYY", "perspectief": "uitvoering", "csrf_token": token})
    assert fout.status_code == 400 and "Er is geen sessie met deze deelnamecode" in fout.get_data(as_text=True)
    gelukt = client.post("/deelnemen", data={"code": code, "perspectief": "uitvoering", "csrf_token": token})
    assert gelukt.status_code == 302
    health = client.get("/healthz")
    assert health.status_code == 503 and "limieten" in health.get_data(as_text=True)
