"""Failed sign-ins: counted per address and per account, so an office is not one suspect.

Everyone in an office or behind a gemeente's proxy shares one address, so the per-address
limit (`ONTMOET_LOGIN_LIMIT`, default 100 failed sign-ins per 10 minutes) is sized for a
building, and guessing one account's password is stopped by the per-account limit
(`ONTMOET_LOGIN_ACCOUNT_LIMIT`, default 5 failures per 5 minutes), counted by e-mail address
whether or not an account has it (so a lock says nothing about who has an account).

A locked account unlocks by itself as its failures leave the window (at most 5 minutes), and
the lock holds only for the addresses that failed on it: from any other address the correct
password still signs in at once, so a guesser cannot lock its owner out. A correct password
clears the account's failures. Only a wrong e-mail/password pair counts; a form error or an
expired form (CSRF) does not.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app

from facilitatie import limieten
from facilitatie.accounts.service import normalise_email
from facilitatie.limieten import Tellers, Weigering, wachttijd, wachttijd_tekst

_ADRES = "inlog-adres"
_ACCOUNT = "inlog-account"
_ACCOUNT_ADRES = "inlog-account-adres"


@dataclass(frozen=True)
class InlogLimieten:
    per_adres: str  # failed sign-ins per client address, any account
    per_account: str  # failed sign-ins per e-mail address, any client


def _paar(email: str, adres: str) -> str:
    return f"{email}\n{adres}"


def weigering(tellers: Tellers, limieten_: InlogLimieten, adres: str, email: str) -> Weigering | None:
    """Refuse before the password is checked, or None to go ahead."""
    nu = tellers.klok()
    email = normalise_email(email)
    eigen = tellers.stand(limieten_.per_adres, _ADRES, adres)
    if eigen.vol:
        seconden = wachttijd(eigen.vrij_om, nu)
        return Weigering(
            "Vanaf dit netwerk is te vaak een verkeerd wachtwoord ingevuld. "
            f"Probeer het {wachttijd_tekst(seconden)} opnieuw.",
            seconden,
        )
    account = tellers.stand(limieten_.per_account, _ACCOUNT, email)
    if account.vol and tellers.stand(limieten_.per_account, _ACCOUNT_ADRES, _paar(email, adres)).gebruikt > 0:
        seconden = wachttijd(account.vrij_om, nu)
        return Weigering(
            "Voor dit e-mailadres is te vaak een verkeerd wachtwoord ingevuld. Het is even geblokkeerd: "
            f"probeer het {wachttijd_tekst(seconden)} opnieuw.",
            seconden,
        )
    return None


def tel_mislukt(tellers: Tellers, limieten_: InlogLimieten, adres: str, email: str) -> None:
    """Count one wrong e-mail/password pair against the address and the account."""
    email = normalise_email(email)
    tellers.tel(limieten_.per_adres, _ADRES, adres)
    tellers.tel(limieten_.per_account, _ACCOUNT, email)
    tellers.tel(limieten_.per_account, _ACCOUNT_ADRES, _paar(email, adres))


def wis_account(tellers: Tellers, limieten_: InlogLimieten, adres: str, email: str) -> None:
    """A correct password: the account's failures are forgotten (the address keeps its count)."""
    email = normalise_email(email)
    tellers.wis(limieten_.per_account, _ACCOUNT, email)
    tellers.wis(limieten_.per_account, _ACCOUNT_ADRES, _paar(email, adres))


# --- for the sign-in view: the app's settings ----------------------------------------------


def _limieten() -> InlogLimieten:
    return InlogLimieten(current_app.config["LOGIN_LIMIT"], current_app.config["LOGIN_ACCOUNT_LIMIT"])


def voor_poging(email: str, adres: str | None) -> Weigering | None:
    """Before the password is checked: a refusal when this address or account must wait."""
    if not limieten.aan():
        return None
    return weigering(limieten.tellers(), _limieten(), adres or "onbekend", email)


def na_poging(email: str, adres: str | None, *, gelukt: bool) -> None:
    """After the password was checked: count a failure, or clear the account after a success."""
    if not limieten.aan():
        return
    if gelukt:
        wis_account(limieten.tellers(), _limieten(), adres or "onbekend", email)
    else:
        tel_mislukt(limieten.tellers(), _limieten(), adres or "onbekend", email)
