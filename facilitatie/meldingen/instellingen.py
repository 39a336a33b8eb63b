"""The mail settings (MAIL_*), checked at start: a wrong one stops Ontmoet instead of losing mail.

Plain Python. Without MAIL_SERVER nothing is sent: mails wait in the outbox, where the beheerder
reads them (`/beheer/mail`). With MAIL_SERVER every other value must make sense too, and a
MAIL_* or SMTP_* variable Ontmoet does not know is refused (a typo such as SMTP_HOST would
otherwise leave mail silently unsent).
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping
from email.utils import parseaddr
from typing import Any

BEKEND = (
    "MAIL_SERVER",
    "MAIL_PORT",
    "MAIL_USE_TLS",
    "MAIL_USE_SSL",
    "MAIL_USERNAME",
    "MAIL_PASSWORD",
    "MAIL_DEFAULT_SENDER",
    "MAIL_TIMEOUT",
    "MAIL_MAX_POGINGEN",
    "MAIL_CONTROLE_SECONDEN",
    "MAIL_BEWAAR_DAGEN",
)
# Read by the app itself, not only by the mail library.
_ALLEEN_MET_SERVER = ("MAIL_PORT", "MAIL_USE_TLS", "MAIL_USE_SSL", "MAIL_USERNAME", "MAIL_PASSWORD", "MAIL_TIMEOUT")
_JA = {"1", "true", "ja", "yes", "on"}
_NEE = {"0", "false", "nee", "no", "off", ""}


def uit_omgeving(omgeving: Mapping[str, str]) -> dict[str, str]:
    """The MAIL_* values set in the environment (raw text; `controleer` turns them into values)."""
    return {naam: omgeving[naam] for naam in BEKEND if naam in omgeving}


def onbekende(omgeving: Mapping[str, str]) -> list[str]:
    """MAIL_* and SMTP_* variables that Ontmoet does not read: almost always a typo."""
    return sorted(n for n in omgeving if n.startswith(("MAIL_", "SMTP_")) and n not in BEKEND)


def _ja_nee(naam: str, waarde: Any) -> bool:
    if isinstance(waarde, bool):
        return waarde
    tekst = str(waarde).strip().lower()
    if tekst in _JA:
        return True
    if tekst in _NEE:
        return False
    raise ValueError(f"{naam} moet 1 of 0 zijn (aan of uit), niet {waarde!r}.")


def _getal(naam: str, waarde: Any, *, minimum: float, maximum: float, geheel: bool = True) -> float:
    try:
        getal = int(str(waarde).strip()) if geheel else float(str(waarde).strip())
    except ValueError:
        raise ValueError(f"{naam} moet een getal zijn, niet {waarde!r}.") from None
    if not minimum <= getal <= maximum:
        raise ValueError(f"{naam} moet tussen {minimum:g} en {maximum:g} liggen, niet {getal}.")
    return getal


def controleer(config: MutableMapping[str, Any], omgeving: Mapping[str, str]) -> None:
    """Normalise the MAIL_* settings in `config` in place; ValueError names the first wrong one."""
    if vreemd := onbekende(omgeving):
        raise ValueError(
            f"onbekende mailinstelling {', '.join(vreemd)}. Ontmoet leest {', '.join(BEKEND)} "
            "(zie README, 'Meldingen per e-mail')."
        )
    server = (config.get("MAIL_SERVER") or "").strip() or None
    config["MAIL_SERVER"] = server
    if server is None:
        gezet = [n for n in _ALLEEN_MET_SERVER if omgeving.get(n)]
        if gezet:
            raise ValueError(
                f"{', '.join(gezet)} is gezet maar MAIL_SERVER niet; zonder MAIL_SERVER verstuurt Ontmoet niets "
                "en blijven mails in de wachtrij. Zet MAIL_SERVER, of haal de andere weg."
            )
    config["MAIL_PORT"] = int(_getal("MAIL_PORT", config.get("MAIL_PORT") or 25, minimum=1, maximum=65535))
    config["MAIL_USE_TLS"] = _ja_nee("MAIL_USE_TLS", config.get("MAIL_USE_TLS", False))
    config["MAIL_USE_SSL"] = _ja_nee("MAIL_USE_SSL", config.get("MAIL_USE_SSL", False))
    if config["MAIL_USE_TLS"] and config["MAIL_USE_SSL"]:
        raise ValueError("MAIL_USE_TLS (STARTTLS, meestal poort 587) en MAIL_USE_SSL (poort 465) gaan niet samen.")
    config["MAIL_TIMEOUT"] = _getal(
        "MAIL_TIMEOUT", config.get("MAIL_TIMEOUT") or 10, minimum=0.1, maximum=600, geheel=False
    )
    config["MAIL_MAX_POGINGEN"] = int(
        _getal("MAIL_MAX_POGINGEN", config.get("MAIL_MAX_POGINGEN") or 8, minimum=1, maximum=100)
    )
    config["MAIL_CONTROLE_SECONDEN"] = _getal(
        "MAIL_CONTROLE_SECONDEN", config.get("MAIL_CONTROLE_SECONDEN") or 15, minimum=0.1, maximum=3600, geheel=False
    )
    config["MAIL_BEWAAR_DAGEN"] = int(
        _getal("MAIL_BEWAAR_DAGEN", config.get("MAIL_BEWAAR_DAGEN") or 90, minimum=1, maximum=3650)
    )
    gebruiker, wachtwoord = config.get("MAIL_USERNAME") or None, config.get("MAIL_PASSWORD") or None
    if bool(gebruiker) != bool(wachtwoord):
        raise ValueError("MAIL_USERNAME en MAIL_PASSWORD horen samen: zet ze allebei, of geen van beide.")
    afzender = (config.get("MAIL_DEFAULT_SENDER") or "").strip()
    if server is not None:
        if "@" not in parseaddr(afzender)[1]:
            raise ValueError(
                "MAIL_DEFAULT_SENDER moet een afzender met e-mailadres zijn, bijvoorbeeld "
                f"'Ontmoet <ontmoet@gemeente.nl>', niet {afzender!r}."
            )
        config["MAIL_DEFAULT_SENDER"] = afzender
    # Always SMTP: Flask-Mailman would pick its in-memory backend when TESTING, and the tests
    # talk to a real SMTP server.
    config["MAIL_BACKEND"] = "smtp"
