"""Who may try a deelnamecode: limits that stop guessing, not a room behind one address.

Venue Wi-Fi and a gemeente's proxy put a whole room behind one public address, so only what
a guesser does counts: a well-formed code that belongs to no sessie. A known code whose sessie
has not started or has closed, a form error, an expired form (CSRF) or a server error count
for nothing. A malformed code (wrong length, letters outside the alphabet) is refused before
any lookup and cannot hit a sessie, so it does not count either.

Two limits, both moving windows in the rate-limit storage (Redis when configured):
- per address, `ONTMOET_JOIN_LIMIT` (default 50 unknown codes per 10 minutes): a room of 500
  with 5 % typos makes about 25, so a room gets twice its typos before anyone waits;
- across all addresses, `ONTMOET_JOIN_GLOBAL_LIMIT` (default 300 unknown codes per hour).
  When it is used up, addresses that tried an unknown code within that window are refused;
  an address with no unknown code in it still joins, so a guesser cannot lock every room out
  by spending the budget, and each further address of a guesser buys one try an hour.

Why that makes guessing infeasible: a code has 6 characters from an alphabet of 27, a code space of
27^6 = 387,420,489. The global limit allows 300 × 24 = 7,200 unknown codes a day. With 100
sessies open at once (a generous assumption), one guess hits a live code with probability
100 / 387,420,489 ≈ 1 in 3.9 million, so guessing at the maximum rate takes on average
3,874,205 / 7,200 ≈ 538 days for one hit; a single sessie, open for 3 hours, is hit with
probability 900 / 387,420,489 ≈ 2 in a million. One address alone gets 50 per 10 minutes.

Refused joins are shown to the sessie's begeleider (`meldingen`): tries before the start, and
tries with this sessie's code that a limit turned away, so the begeleider can act.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app

from facilitatie import limieten
from facilitatie.limieten import Tellers, Weigering, wachttijd, wachttijd_tekst
from facilitatie.sessies import service
from facilitatie.sessies.codes import is_plausible, normalise_code
from facilitatie.sessies.deelname import sessie_met_code
from facilitatie.sessies.models import Sessie, Status

ALLE = "*"  # the identifier of the global counter
# What the begeleider sees: refused tries in the last 10 minutes (counted up to 999).
MELDING_VENSTER = "999 per 10 minutes"
_TE_VROEG = "join-te-vroeg"
_GEWEIGERD = "join-geweigerd"


@dataclass(frozen=True)
class JoinLimieten:
    per_adres: str  # unknown codes per client address
    alle_adressen: str  # unknown codes across all addresses


@dataclass(frozen=True)
class Meldingen:
    """Refused joins of one sessie in the last 10 minutes, for its begeleider."""

    te_vroeg: int  # a known code before the sessie started
    geweigerd: int  # turned away by a limit while this sessie's code was typed

    def __bool__(self) -> bool:
        return bool(self.te_vroeg or self.geweigerd)


# --- the rules (plain Python over the counters) -------------------------------------------


def weigering(tellers: Tellers, limieten_: JoinLimieten, adres: str) -> Weigering | None:
    """Refuse this address before its code is looked at, or None to go ahead."""
    nu = tellers.klok()
    eigen = tellers.stand(limieten_.per_adres, "join-adres", adres)
    if eigen.vol:
        return Weigering(
            "Vanaf dit netwerk zijn te veel onbekende deelnamecodes geprobeerd. Controleer de code "
            f"bij de begeleider en probeer het {wachttijd_tekst(wachttijd(eigen.vrij_om, nu))} opnieuw.",
            wachttijd(eigen.vrij_om, nu),
        )
    alle = tellers.stand(limieten_.alle_adressen, "join-alle", ALLE)
    if alle.vol and tellers.stand(limieten_.alle_adressen, "join-adres-alle", adres).gebruikt > 0:
        return Weigering(
            "Er worden op dit moment te veel onbekende deelnamecodes geprobeerd, ook vanaf dit netwerk. "
            f"Controleer de code bij de begeleider en probeer het {wachttijd_tekst(wachttijd(alle.vrij_om, nu))} "
            "opnieuw.",
            wachttijd(alle.vrij_om, nu),
        )
    return None


def tel_onbekende_code(tellers: Tellers, limieten_: JoinLimieten, adres: str) -> None:
    """Count one unknown code against this address and against all addresses."""
    tellers.tel(limieten_.per_adres, "join-adres", adres)
    tellers.tel(limieten_.alle_adressen, "join-alle", ALLE)
    tellers.tel(limieten_.alle_adressen, "join-adres-alle", adres)  # this address's share of it


def meldingen_van(tellers: Tellers, sessie_id: int) -> Meldingen:
    """What the begeleider of this sessie should know about refused joins."""
    return Meldingen(
        te_vroeg=tellers.stand(MELDING_VENSTER, _TE_VROEG, str(sessie_id)).gebruikt,
        geweigerd=tellers.stand(MELDING_VENSTER, _GEWEIGERD, str(sessie_id)).gebruikt,
    )


# --- for the deelnemen view: the app's settings and the code behind the typed text ------


def _limieten() -> JoinLimieten:
    return JoinLimieten(current_app.config["JOIN_LIMIT"], current_app.config["JOIN_GLOBAL_LIMIT"])


def _bekende_sessie(code: str) -> tuple[bool, Sessie | None]:
    """(well-formed, the sessie behind it): a malformed code is never looked up."""
    normaal = normalise_code(code)
    if not is_plausible(normaal):
        return False, None
    return True, sessie_met_code(normaal)


def voor_poging(code: str, adres: str | None) -> Weigering | None:
    """Before a join is tried: a refusal when this address may not try codes now.

    A refused try with the code of an open sessie is told to that sessie's begeleider; the
    answer to the client is the same whether the code exists or not.
    """
    if not limieten.aan():
        return None
    tellers = limieten.tellers()
    gevonden = weigering(tellers, _limieten(), adres or "onbekend")
    if gevonden is not None:
        _, sessie = _bekende_sessie(code)
        if sessie is not None and sessie.status != Status.AFGESLOTEN:
            tellers.tel(MELDING_VENSTER, _GEWEIGERD, str(sessie.id))
    return gevonden


def na_mislukte_poging(code: str, adres: str | None) -> None:
    """After a join failed: count an unknown code; note a try before the start for the begeleider."""
    goed_gevormd, sessie = _bekende_sessie(code)
    tellers = limieten.tellers()
    if sessie is None:
        if goed_gevormd and limieten.aan():
            tel_onbekende_code(tellers, _limieten(), adres or "onbekend")
        return
    if sessie.status == Status.CONCEPT and not service.inbreng_vooraf(sessie):
        tellers.tel(MELDING_VENSTER, _TE_VROEG, str(sessie.id))


def meldingen(sessie: Sessie) -> Meldingen:
    """Refused joins of this sessie in the last 10 minutes (a template global for the begeleider)."""
    if sessie.status == Status.AFGESLOTEN:
        return Meldingen(0, 0)
    return meldingen_van(limieten.tellers(), sessie.id)
