"""The MAIL_* settings: a wrong one stops the start with a message naming it (no silent failure)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from facilitatie import create_app
from facilitatie.meldingen import instellingen
from facilitatie.meldingen.soorten import Soort, soorten_voor, vorige_maand, wachttijd

GOED = {"MAIL_SERVER": "smtp.gemeente.nl", "MAIL_DEFAULT_SENDER": "Ontmoet <ontmoet@gemeente.nl>"}


def controleer(config: dict, omgeving: dict | None = None) -> dict:
    config = dict(config)
    instellingen.controleer(config, omgeving or {})
    return config


def test_no_mail_server_is_the_embedded_default():
    config = controleer({})
    assert config["MAIL_SERVER"] is None and config["MAIL_PORT"] == 25 and config["MAIL_BACKEND"] == "smtp"


def test_values_from_the_environment_become_numbers_and_switches():
    config = controleer({**GOED, "MAIL_PORT": "587", "MAIL_USE_TLS": "1", "MAIL_TIMEOUT": "2.5"})
    assert (config["MAIL_PORT"], config["MAIL_USE_TLS"], config["MAIL_USE_SSL"], config["MAIL_TIMEOUT"]) == (
        587,
        True,
        False,
        2.5,
    )


@pytest.mark.parametrize(
    ("config", "omgeving", "naam"),
    [
        ({**GOED, "MAIL_PORT": "vijfentwintig"}, {}, "MAIL_PORT"),
        ({**GOED, "MAIL_PORT": "70000"}, {}, "MAIL_PORT"),
        ({**GOED, "MAIL_USE_TLS": "misschien"}, {}, "MAIL_USE_TLS"),
        ({**GOED, "MAIL_USE_TLS": "1", "MAIL_USE_SSL": "1"}, {}, "MAIL_USE_SSL"),
        ({"MAIL_SERVER": "smtp.gemeente.nl"}, {}, "MAIL_DEFAULT_SENDER"),
        ({**GOED, "MAIL_DEFAULT_SENDER": "Ontmoet"}, {}, "MAIL_DEFAULT_SENDER"),
        ({**GOED, "MAIL_USERNAME": "ontmoet"}, {}, "MAIL_PASSWORD"),
        ({**GOED, "MAIL_TIMEOUT": "0"}, {}, "MAIL_TIMEOUT"),
        ({**GOED, "MAIL_MAX_POGINGEN": "0"}, {}, "MAIL_MAX_POGINGEN"),
        ({}, {"MAIL_PORT": "587"}, "MAIL_SERVER"),  # a port without a server: nothing would be sent
        (GOED, {"SMTP_HOST": "smtp.gemeente.nl"}, "SMTP_HOST"),  # a typo'd name is not ignored
        (GOED, {"MAIL_SERVR": "smtp.gemeente.nl"}, "MAIL_SERVR"),
    ],
)
def test_a_wrong_setting_is_named(config, omgeving, naam):
    with pytest.raises(ValueError, match=naam):
        controleer(config, omgeving)


def test_create_app_refuses_to_start_with_a_wrong_mail_setting():
    with pytest.raises(RuntimeError, match="Ontmoet start niet: MAIL_DEFAULT_SENDER"):
        create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://", "MAIL_SERVER": "smtp.gemeente.nl"})


def test_who_can_get_which_kind_of_mail():
    class Account:
        def __init__(self, rol: str, gemeente_id: int | None = 1, team_id: int | None = None) -> None:
            self.rol, self.gemeente_id, self.team_id = rol, gemeente_id, team_id

    assert soorten_voor(Account("wijkteamlid", team_id=3)) == [Soort.TERUGKOPPELING, Soort.STREEFDATUM]
    assert soorten_voor(Account("wethouder")) == [Soort.MAANDSTAND]
    # the roles that work the signalen inbox can ask for its daily digest
    assert soorten_voor(Account("beleidsmedewerker")) == [Soort.STREEFDATUM, Soort.SIGNALEN]
    assert soorten_voor(Account("begeleider")) == [Soort.STREEFDATUM, Soort.SIGNALEN]
    assert soorten_voor(Account("beheerder", gemeente_id=None)) == []


def test_back_off_doubles_up_to_six_hours_and_last_month_is_last_month():
    assert [wachttijd(n) for n in (1, 2, 3)] == [timedelta(minutes=1), timedelta(minutes=2), timedelta(minutes=4)]
    assert wachttijd(30) == timedelta(hours=6)
    assert vorige_maand(date(2026, 3, 1)) == (date(2026, 2, 1), date(2026, 2, 28))
    assert vorige_maand(date(2026, 1, 15)) == (date(2025, 12, 1), date(2025, 12, 31))
