"""The background sender of webhook deliveries: claim, sign, POST, record, back off.

Runs in every serving process (`start`, on its first request; a greenlet under gevent, a daemon
thread otherwise), so `make run` needs no other service; with N processes each delivery is
still sent once, because a process first claims rows with a lease (facilitatie/bezorging.py).
No database transaction is open while a request is under way.

The signature (docs/api.md): `X-Ontmoet-Signature: sha256=<hex>` where hex is
HMAC-SHA256(secret, "<X-Ontmoet-Timestamp>." + body). The timestamp (Unix seconds, the moment of
this attempt) is signed with the body, so a receiver that refuses timestamps older than a few
minutes cannot be fooled by a replayed request; `X-Ontmoet-Delivery` (the same on every retry of
one delivery) lets it drop a delivery it already handled.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import threading
import time
import urllib.error
import urllib.request
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from flask import Flask, current_app

from facilitatie import bezorging
from facilitatie.api.models import WebhookAflevering
from facilitatie.api.webhooks import LOOPBACK
from facilitatie.extensions import db, socketio
from facilitatie.models_base import utcnow

log = logging.getLogger(__name__)
_start = threading.Lock()

HANDTEKENING = "X-Ontmoet-Signature"
TIJDSTEMPEL = "X-Ontmoet-Timestamp"
GEBEURTENIS = "X-Ontmoet-Event"
AFLEVERING = "X-Ontmoet-Delivery"
MAX_FOUT = 300
TERUGVAL = bezorging.Terugval(basis=timedelta(seconds=30), maximum=timedelta(hours=6), pogingen=8)
"""Eight attempts over about two hours (30 s, 1, 2, 4, 8, 16, 32 min), then the delivery is 'mislukt'."""
WACHTRIJ = bezorging.Wachtrij(WebhookAflevering)  # its columns carry bezorging's own names


def onderteken(geheim: str, tijdstempel: int, body: bytes) -> str:
    """The value of X-Ontmoet-Signature for this body at this moment."""
    mac = hmac.new(geheim.encode("utf-8"), str(tijdstempel).encode("ascii") + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def klopt(geheim: str, tijdstempel: str, body: bytes, handtekening: str, *, nu: float, marge: int = 300) -> bool:
    """What a receiver checks: the signature matches and the timestamp is at most `marge` seconds off."""
    try:
        moment = int(tijdstempel)
    except ValueError:
        return False
    if abs(nu - moment) > marge:
        return False
    return hmac.compare_digest(onderteken(geheim, moment, body), handtekening)


class _GeenDoorverwijzing(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer, not an instruction: a signed delivery goes only to the registered URL."""

    def redirect_request(self, *_args: object, **_kwargs: object) -> None:
        return None


def _opener(url: str) -> urllib.request.OpenerDirector:
    host = (urlsplit(url).hostname or "").lower()
    # A receiver on this machine is never reached through a proxy from the environment.
    proxies = urllib.request.ProxyHandler({} if host in LOOPBACK else None)
    return urllib.request.build_opener(proxies, _GeenDoorverwijzing())


def post(
    url: str, geheim: str, body: bytes, *, gebeurtenis: str, sleutel: str, tijdslimiet: float
) -> tuple[int | None, str | None]:
    """POST one signed body; (HTTP status or None, a short Dutch error or None). Never raises."""
    if urlsplit(url).scheme not in ("https", "http"):  # checked at registration too (webhooks.controleer_url)
        return None, "Alleen https:// (of http:// naar deze machine) kan."
    tijdstempel = int(time.time())
    verzoek = urllib.request.Request(  # noqa: S310 - the scheme is checked above
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "Ontmoet-Webhooks/1",
            HANDTEKENING: onderteken(geheim, tijdstempel, body),
            TIJDSTEMPEL: str(tijdstempel),
            GEBEURTENIS: gebeurtenis,
            AFLEVERING: sleutel,
        },
    )
    try:
        with _opener(url).open(verzoek, timeout=tijdslimiet) as antwoord:
            antwoord.read(4096)  # the answer's body is not used; read a little so keep-alive works
            return antwoord.status, None
    except urllib.error.HTTPError as fout:
        fout.close()
        return fout.code, f"De ontvanger antwoordde {fout.code} {fout.reason}"[:MAX_FOUT]
    except urllib.error.URLError as fout:
        return None, f"Niet bereikbaar: {fout.reason}"[:MAX_FOUT]
    except TimeoutError:
        return None, f"Geen antwoord binnen {tijdslimiet:g} seconden."
    except (OSError, ValueError) as fout:
        return None, f"Versturen mislukt: {fout}"[:MAX_FOUT]


def ronde(*, nu: datetime | None = None, aantal: int = 10, tijdslimiet: float = 10.0) -> int:
    """Claim up to `aantal` due deliveries and send each once; returns how many were attempted."""
    nu = nu or utcnow()
    # The lease outlasts sending the whole batch, so no other process takes a row mid-send.
    duur = timedelta(seconds=aantal * (tijdslimiet + 2) + 60)
    ids, lease = bezorging.claim(WACHTRIJ, nu=nu, duur=duur, aantal=aantal)
    for rij_id in ids:
        rij = db.session.get(WebhookAflevering, rij_id)
        if rij is None:
            continue
        webhook = rij.webhook
        url, geheim, body = webhook.url, webhook.geheim, rij.inhoud.encode("utf-8")
        gebeurtenis, sleutel, ingetrokken = rij.gebeurtenis, rij.sleutel, webhook.ingetrokken_op is not None
        db.session.commit()  # end the read transaction: nothing is held open while sending
        if ingetrokken:
            code, fout = None, "Niet verstuurd: de webhook is ingetrokken."
        else:
            code, fout = post(url, geheim, body, gebeurtenis=gebeurtenis, sleutel=sleutel, tijdslimiet=tijdslimiet)
        gelukt = code is not None and 200 <= code < 300
        bezorging.afronden(
            WACHTRIJ,
            rij_id,
            lease,
            gelukt=gelukt,
            blijvend=ingetrokken,  # a revoked webhook is never tried again
            nu=utcnow(),
            terugval=TERUGVAL,
            velden={"statuscode": code, "fout": None if gelukt else fout, "laatste_poging_op": utcnow()},
        )
    return len(ids)


def start(app: Flask) -> None:
    """Send due deliveries in the background of this process, checking every WEBHOOK_INTERVAL_SECONDEN."""
    if app.extensions.get("ontmoet.webhooks"):
        return  # the usual case: called on every request, started on the first
    interval = float(app.config.get("WEBHOOK_INTERVAL_SECONDEN", 5))
    if interval <= 0:
        return
    with _start:
        if app.extensions.get("ontmoet.webhooks"):
            return
        app.extensions["ontmoet.webhooks"] = True
    socketio.start_background_task(_lus, app, interval)


def _lus(app: Flask, interval: float) -> None:
    while True:
        socketio.sleep(interval)
        with app.app_context():
            try:
                while ronde(tijdslimiet=float(current_app.config.get("WEBHOOK_TIJDSLIMIET_SECONDEN", 10))):
                    pass  # a full batch: there may be more due
            except Exception:  # keep the loop alive; rows stay queued and are tried again
                log.exception("webhooks versturen mislukt")
            finally:
                db.session.remove()
