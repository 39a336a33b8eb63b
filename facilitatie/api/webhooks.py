"""Webhooks: a gemeente's other systems hear when a knelpunt gets a besluit or an actie changes.

Registering and revoking are commands here. Each event of the opvolging (the blinker signals
of `opvolging.gebeurtenissen`, sent inside the command's transaction) adds one delivery row per
active webhook of the gemeente, in that same transaction and without any I/O: the change and
its deliveries commit together or not at all. `api.verzenden` sends them in the background.

What a delivery says (docs/api.md): ids, kinds, statuses and dates that a receiving system
needs to follow up, never a name or free text. No author (anonymous or not), no deelnemer,
no eigenaar's name, no knelpunt text, no reden: a privacy officer can read the whole payload
and find nothing personal. A receiver that needs more asks the API with its own read token,
where the usual permissions apply.
"""

from __future__ import annotations

import ipaddress
import json
import secrets
import uuid
from datetime import date, datetime
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import select, update

from facilitatie.accounts.models import Gemeente, User
from facilitatie.accounts.rollen import Rol
from facilitatie.api import rechten
from facilitatie.api.models import Webhook, WebhookAflevering
from facilitatie.bezorging import MISLUKT, WACHTEND
from facilitatie.extensions import db
from facilitatie.fouten import Geweigerd, NietGevonden, Ongeldig
from facilitatie.invoer import geen_bsn
from facilitatie.knelpunten.models import Knelpunt
from facilitatie.models_base import utcnow
from facilitatie.opvolging import gebeurtenissen, regels
from facilitatie.opvolging.models import Actie, Besluit
from facilitatie.sessies.models import Status
from facilitatie.werk import transactie

MAX_NAAM = 80
MAX_URL = 500
MAX_PER_GEMEENTE = 10
GEHEIM_PREFIX = "whsec_"
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
"""Hosts that may be reached over plain http: a receiver on the same machine (tests, a local bridge)."""

BESLUIT_VASTGELEGD = "besluit.vastgelegd"
ACTIE_AANGEMAAKT = "actie.aangemaakt"
ACTIE_STATUS_GEWIJZIGD = "actie.status_gewijzigd"
GEBEURTENISSEN = (BESLUIT_VASTGELEGD, ACTIE_AANGEMAAKT, ACTIE_STATUS_GEWIJZIGD)


# --------------------------------------------------------------------------- registering


def controleer_url(url: str) -> str:
    """https to any host, plain http only to this machine; no password in it, no fragment."""
    url = (url or "").strip()
    if not url:
        raise Ongeldig("url", "Vul de URL in waar Ontmoet de meldingen heen stuurt.")
    if len(url) > MAX_URL:
        raise Ongeldig("url", f"Een URL heeft hoogstens {MAX_URL} tekens.")
    try:
        delen = urlsplit(url)
        host = (delen.hostname or "").lower()
        _ = delen.port  # raises on a port that is not a number or out of range
    except ValueError:
        raise Ongeldig("url", "Dit is geen geldige URL.") from None
    if not host or delen.scheme not in ("https", "http") or any(c.isspace() for c in url):
        raise Ongeldig("url", "Dit is geen geldige URL: begin met https:// en noem de server.")
    if delen.username or delen.password:
        raise Ongeldig("url", "Zet geen gebruikersnaam of wachtwoord in de URL: het geheim ondertekent elke melding.")
    if delen.fragment:
        raise Ongeldig("url", "Een URL met een # erin kan niet: dat deel stuurt een server nooit mee.")
    if delen.scheme == "http" and host not in LOOPBACK and not _is_loopback(host):
        raise Ongeldig("url", "Gebruik https://, zodat niemand onderweg de meldingen kan lezen of veranderen.")
    return url


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def gemeenten_voor(user: User) -> list[Gemeente]:
    """The gemeenten whose koppelingen this user manages (a beheerder of every gemeente: all)."""
    if not rechten.koppelt_iets(user):
        return []
    if user.gemeente_id is None:
        return list(db.session.scalars(select(Gemeente).order_by(Gemeente.naam))) if user.rol == Rol.BEHEERDER else []
    return [user.gemeente] if user.gemeente else []


@transactie
def maak(user: User, gemeente_id: int, naam: str, url: str) -> tuple[Webhook, str]:
    """Register a webhook; the signing secret is returned once (the page shows it once)."""
    if not rechten.mag_koppelen(user, gemeente_id) or db.session.get(Gemeente, gemeente_id) is None:
        raise Geweigerd("Je beheert de koppelingen van deze gemeente niet.")
    naam = (naam or "").strip()
    if not naam:
        raise Ongeldig("naam", "Geef de webhook een naam, bijvoorbeeld het systeem dat de meldingen ontvangt.")
    if len(naam) > MAX_NAAM:
        raise Ongeldig("naam", f"Een naam heeft hoogstens {MAX_NAAM} tekens.")
    geen_bsn("naam", naam)
    url = controleer_url(url)
    if len(actieve(gemeente_id)) >= MAX_PER_GEMEENTE:
        raise Ongeldig("naam", f"Deze gemeente heeft al {MAX_PER_GEMEENTE} webhooks. Trek er eerst een in.")
    geheim = GEHEIM_PREFIX + secrets.token_urlsafe(32)
    webhook = Webhook(gemeente_id=gemeente_id, naam=naam, url=url, geheim=geheim, aangemaakt_door_id=user.id)
    db.session.add(webhook)
    db.session.flush()
    return webhook, geheim


def actieve(gemeente_id: int) -> list[Webhook]:
    return list(
        db.session.scalars(
            select(Webhook)
            .where(Webhook.gemeente_id == gemeente_id, Webhook.ingetrokken_op.is_(None))
            .order_by(Webhook.aangemaakt_op.desc(), Webhook.id.desc())
        )
    )


def webhook_voor(user: User, webhook_id: int) -> Webhook:
    """The webhook, when this user manages its gemeente; otherwise 404, so ids of others say nothing."""
    webhook = db.session.get(Webhook, webhook_id)
    if webhook is None or not rechten.mag_koppelen(user, webhook.gemeente_id):
        raise NietGevonden("Deze webhook bestaat niet (of is niet van jouw gemeente).")
    return webhook


@transactie
def intrekken(user: User, webhook: Webhook) -> None:
    """Stop a webhook: nothing more is sent to it, and what was still waiting is marked failed."""
    if not rechten.mag_koppelen(user, webhook.gemeente_id):
        raise Geweigerd("Je beheert de koppelingen van deze gemeente niet.")
    if webhook.ingetrokken_op is not None:
        return
    nu = utcnow()
    webhook.ingetrokken_op = nu
    db.session.execute(
        update(WebhookAflevering)
        .where(WebhookAflevering.webhook_id == webhook.id, WebhookAflevering.status == WACHTEND)
        .values(status=MISLUKT, fout="Niet verstuurd: de webhook is ingetrokken.", volgende_poging=nu)
        .execution_options(synchronize_session=False)
    )


@transactie
def opnieuw_proberen(user: User, aflevering: WebhookAflevering) -> None:
    """Queue a failed delivery once more (same body and id), e.g. after the receiver was repaired."""
    if not rechten.mag_koppelen(user, aflevering.webhook.gemeente_id):
        raise Geweigerd("Je beheert de koppelingen van deze gemeente niet.")
    if aflevering.webhook.ingetrokken_op is not None:
        raise Ongeldig("aflevering", "Deze webhook is ingetrokken: er wordt niets meer heen gestuurd.")
    if aflevering.status != MISLUKT:
        raise Ongeldig("aflevering", "Alleen een mislukte aflevering kan opnieuw.")
    aflevering.status = WACHTEND
    aflevering.pogingen = 0
    aflevering.volgende_poging = utcnow()
    aflevering.bezet_tot = None


def afleveringen(webhook: Webhook, limiet: int = 25) -> list[WebhookAflevering]:
    """The newest deliveries of a webhook, for its log."""
    return list(
        db.session.scalars(
            select(WebhookAflevering)
            .where(WebhookAflevering.webhook_id == webhook.id)
            .order_by(WebhookAflevering.id.desc())
            .limit(limiet)
        )
    )


def aflevering_voor(webhook: Webhook, aflevering_id: int) -> WebhookAflevering:
    """One delivery of this webhook (the caller checked the webhook); 404 for another's."""
    aflevering = db.session.get(WebhookAflevering, aflevering_id)
    if aflevering is None or aflevering.webhook_id != webhook.id:
        raise NietGevonden("Deze aflevering bestaat niet.")
    return aflevering


# --------------------------------------------------------------------------- payloads


def _tijd(waarde: datetime | date | None) -> str | None:
    if waarde is None:
        return None
    if isinstance(waarde, datetime):
        return waarde.replace(microsecond=0).isoformat() + "Z"
    return waarde.isoformat()


def gemeente_van(knelpunt: Knelpunt) -> int | None:
    """The gemeente a knelpunt belongs to: of its sessie (a signaal sits in its gemeente's signalenbak)."""
    if knelpunt.sessie is not None:
        return knelpunt.sessie.gemeente_id
    return knelpunt.team.gemeente_id if knelpunt.team is not None else None


def in_sessie(knelpunt: Knelpunt) -> int | None:
    """The sessie a knelpunt was raised in or put on the agenda of; None for a signaal still in the inbox."""
    if knelpunt.sessie is None or knelpunt.sessie.status == Status.SIGNALEN:
        return None
    return knelpunt.sessie_id


def _knelpunt(knelpunt: Knelpunt) -> dict[str, Any]:
    return {
        "id": knelpunt.id,
        "team": knelpunt.team_id,
        "domein": knelpunt.domein,
        "bron": knelpunt.bron,
        "sessie": in_sessie(knelpunt),
        "api": f"/api/v1/knelpunten/{knelpunt.id}",
    }


def besluit_inhoud(knelpunt: Knelpunt, besluit: Besluit, nieuw: bool) -> dict[str, Any]:
    """What a receiver hears of a besluit: which knelpunt, which kind, when; no reden or names."""
    return {
        "knelpunt": _knelpunt(knelpunt),
        "besluit": {
            "id": besluit.id,
            "soort": besluit.soort,
            "label": besluit.label,
            "besloten_op": _tijd(besluit.besloten_op),
            "nieuw": nieuw,
        },
    }


def actie_inhoud(actie: Actie, van: str | None) -> dict[str, Any]:
    """What a receiver hears of an actie: its status (and the one before), streefdatum, knelpunten."""
    return {
        "actie": {
            "id": actie.id,
            "status": actie.status,
            "status_label": actie.status_label,
            "vorige_status": van,
            "streefdatum": _tijd(actie.streefdatum),
            "te_laat": regels.is_te_laat(actie.status, actie.streefdatum, date.today()),
            "knelpunten": [k.id for k in actie.knelpunten],
            "sessie": actie.sessie_id,
            "api": f"/api/v1/acties/{actie.id}",
        },
    }


def in_wachtrij(gemeente_id: int | None, gebeurtenis: str, inhoud: dict[str, Any]) -> int:
    """One delivery row per active webhook of the gemeente, in the caller's transaction; no I/O."""
    if gemeente_id is None:
        return 0
    webhook_ids = list(
        db.session.scalars(
            select(Webhook.id).where(Webhook.gemeente_id == gemeente_id, Webhook.ingetrokken_op.is_(None))
        )
    )
    nu = utcnow()
    for webhook_id in webhook_ids:
        sleutel = str(uuid.uuid4())
        body = {"id": sleutel, "gebeurtenis": gebeurtenis, "op": _tijd(nu), "gemeente": gemeente_id, **inhoud}
        db.session.add(
            WebhookAflevering(
                webhook_id=webhook_id,
                sleutel=sleutel,
                gebeurtenis=gebeurtenis,
                inhoud=json.dumps(body, ensure_ascii=False, separators=(",", ":")),
                status=WACHTEND,
                pogingen=0,
                volgende_poging=nu,
                aangemaakt_op=nu,
            )
        )
    return len(webhook_ids)


# --------------------------------------------------------------------------- listening


@gebeurtenissen.besluit_vastgelegd.connect
def _bij_besluit(knelpunt: Knelpunt, *, besluit: Besluit, nieuw: bool, **_: object) -> None:
    in_wachtrij(gemeente_van(knelpunt), BESLUIT_VASTGELEGD, besluit_inhoud(knelpunt, besluit, nieuw))


@gebeurtenissen.actie_aangemaakt.connect
def _bij_nieuwe_actie(actie: Actie, **_: object) -> None:
    in_wachtrij(actie.gemeente_id, ACTIE_AANGEMAAKT, actie_inhoud(actie, None))


@gebeurtenissen.actie_status_gewijzigd.connect
def _bij_status(actie: Actie, *, van: str, **_: object) -> None:
    in_wachtrij(actie.gemeente_id, ACTIE_STATUS_GEWIJZIGD, actie_inhoud(actie, van))
