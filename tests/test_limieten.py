"""Unit tests of the join and sign-in rules over real counters in memory, on a fake clock."""

from __future__ import annotations

import pytest
from limits.storage import memory as limits_memory
from limits.storage import storage_from_string

from facilitatie.accounts.pogingen import InlogLimieten, tel_mislukt, weigering, wis_account
from facilitatie.config import Config
from facilitatie.limieten import Tellers, wachttijd_tekst
from facilitatie.sessies import toegang
from facilitatie.sessies.codes import ALFABET, LENGTE
from facilitatie.sessies.toegang import JoinLimieten, tel_onbekende_code

JOIN = JoinLimieten(Config.JOIN_LIMIT, Config.JOIN_GLOBAL_LIMIT)
INLOG = InlogLimieten(Config.LOGIN_LIMIT, Config.LOGIN_ACCOUNT_LIMIT)


class Klok:
    """Stands in for the time module of limits' memory storage and for the rules' clock."""

    def __init__(self) -> None:
        self.nu = 1_000_000.0

    def time(self) -> float:
        return self.nu

    def __call__(self) -> float:
        return self.nu


@pytest.fixture
def klok(monkeypatch: pytest.MonkeyPatch) -> Klok:
    klok = Klok()
    monkeypatch.setattr(limits_memory, "time", klok)
    return klok


@pytest.fixture
def tellers(klok: Klok) -> Tellers:
    return Tellers(storage_from_string("memory://"), "test-geheim", klok=klok)


def test_code_space_in_the_docstring_is_the_real_one():
    assert len(ALFABET) ** LENGTE == 387_420_489
    assert "387,420,489" in (toegang.__doc__ or "")
    assert (JOIN.per_adres, JOIN.alle_adressen) == ("50 per 10 minutes", "300 per hour")


def test_a_room_with_five_percent_typos_is_never_refused(tellers):
    for _ in range(25):  # 500 people, 5 % typos, all behind the venue's one address
        assert toegang.weigering(tellers, JOIN, "10.0.0.1") is None
        tel_onbekende_code(tellers, JOIN, "10.0.0.1")
    assert toegang.weigering(tellers, JOIN, "10.0.0.1") is None


def test_one_address_is_stopped_after_its_limit_and_may_try_again_later(tellers, klok):
    for _ in range(50):
        tel_onbekende_code(tellers, JOIN, "198.51.100.7")
        klok.nu += 1
    refused = toegang.weigering(tellers, JOIN, "198.51.100.7")
    assert refused is not None and "te veel onbekende deelnamecodes" in refused.bericht
    assert refused.opnieuw_over == 600 - 50  # the oldest try leaves the 10-minute window
    assert "over 10 minuten opnieuw" in refused.bericht
    assert toegang.weigering(tellers, JOIN, "198.51.100.8") is None  # another address is not affected
    klok.nu += refused.opnieuw_over
    assert toegang.weigering(tellers, JOIN, "198.51.100.7") is None


def test_global_limit_refuses_the_guessing_addresses_but_not_a_fresh_one(tellers, klok):
    adressen = [f"203.0.113.{i}" for i in range(50)]
    geteld = 0
    for ronde in range(20):
        for adres in adressen:
            if toegang.weigering(tellers, JOIN, adres) is None:
                tel_onbekende_code(tellers, JOIN, adres)
                geteld += 1
        klok.nu += 1 if ronde else 0
    assert geteld == 300  # the global budget, not 50 × 20 = 1,000
    assert all(toegang.weigering(tellers, JOIN, adres) is not None for adres in adressen)
    assert toegang.weigering(tellers, JOIN, "192.0.2.1") is None  # a room elsewhere still joins
    tel_onbekende_code(tellers, JOIN, "192.0.2.1")  # its typo now counts: it waits too
    assert toegang.weigering(tellers, JOIN, "192.0.2.1") is not None
    klok.nu += 3600
    assert toegang.weigering(tellers, JOIN, adressen[0]) is None


def test_account_locks_for_the_guessing_address_only_and_unlocks_by_itself(tellers, klok):
    for _ in range(5):
        assert weigering(tellers, INLOG, "198.51.100.7", "Nina@ontmoet.test") is None
        tel_mislukt(tellers, INLOG, "198.51.100.7", "nina@ontmoet.test ")
    refused = weigering(tellers, INLOG, "198.51.100.7", "nina@ontmoet.test")
    assert refused is not None and "Voor dit e-mailadres" in refused.bericht and refused.opnieuw_over == 300
    assert weigering(tellers, INLOG, "192.0.2.1", "nina@ontmoet.test") is None  # the owner, elsewhere
    assert weigering(tellers, INLOG, "198.51.100.7", "jan@ontmoet.test") is None  # another account
    klok.nu += 300
    assert weigering(tellers, INLOG, "198.51.100.7", "nina@ontmoet.test") is None


def test_correct_password_clears_the_account(tellers):
    for _ in range(5):
        tel_mislukt(tellers, INLOG, "10.0.0.1", "nina@ontmoet.test")
    wis_account(tellers, INLOG, "10.0.0.1", "nina@ontmoet.test")
    assert weigering(tellers, INLOG, "10.0.0.1", "nina@ontmoet.test") is None


def test_an_office_behind_one_address_is_stopped_only_far_above_its_typos(tellers):
    for i in range(99):
        tel_mislukt(tellers, INLOG, "10.0.0.1", f"medewerker{i % 50}@ontmoet.test")
    assert weigering(tellers, INLOG, "10.0.0.1", "nieuw@ontmoet.test") is None
    tel_mislukt(tellers, INLOG, "10.0.0.1", "nieuw@ontmoet.test")
    refused = weigering(tellers, INLOG, "10.0.0.1", "nieuw@ontmoet.test")
    assert refused is not None and "Vanaf dit netwerk" in refused.bericht


def test_several_windows_in_one_setting(tellers, klok):
    limiet = JoinLimieten("2 per minute; 3 per hour", "1000 per hour")
    for _ in range(2):
        tel_onbekende_code(tellers, limiet, "10.0.0.1")
    assert toegang.weigering(tellers, limiet, "10.0.0.1") is not None
    klok.nu += 61
    tel_onbekende_code(tellers, limiet, "10.0.0.1")
    refused = toegang.weigering(tellers, limiet, "10.0.0.1")
    assert refused is not None and refused.opnieuw_over > 3000  # the hour window holds


def test_keys_hold_no_address_in_clear(tellers):
    tel_mislukt(tellers, INLOG, "198.51.100.7", "nina@ontmoet.test")
    sleutels = " ".join(tellers._storage.events)  # looking inside on purpose
    assert "198.51.100.7" not in sleutels and "nina" not in sleutels


@pytest.mark.parametrize(
    ("seconden", "tekst"),
    [(1, "over 1 seconde"), (40, "over 40 seconden"), (60, "over 1 minuut"), (61, "over 2 minuten")],
)
def test_wachttijd_in_dutch(seconden, tekst):
    assert wachttijd_tekst(seconden) == tekst
