"""Demo: a webhook of Vechtstede with a delivery log (delivered, failed), a token that reports
signalen, and one signaal that came in through the API (it waits in the inbox).

The webhook points at an example address that never resolves, and every demo delivery is
already finished (delivered or failed), so the background sender has nothing to send.
"""

from __future__ import annotations

import json
import secrets
import uuid
from datetime import timedelta

from sqlalchemy import select

from facilitatie.accounts.rollen import Rol
from facilitatie.api import tokens, verzenden, webhooks
from facilitatie.api.models import Webhook, WebhookAflevering
from facilitatie.bezorging import AFGELEVERD, MISLUKT
from facilitatie.demo_context import DemoContext
from facilitatie.extensions import db
from facilitatie.knelpunten.models import BRON_API, Knelpunt
from facilitatie.models_base import utcnow
from facilitatie.opvolging.models import Actie, Besluit
from facilitatie.signalen import service as signalen

DEMO_URL = "https://zaken.vechtstede.example/ontmoet/webhook"


def load(demo: DemoContext) -> None:
    """A webhook with two finished deliveries, a 'Signalen melden' token of the begeleider and its signaal."""
    begeleider = demo.users[Rol.BEGELEIDER]
    tokens.maak(
        begeleider, "Meldsysteem wijkteams (voorbeeld)", scope=tokens.SIGNALEN_SCHRIJVEN, gemeente_id=demo.gemeente.id
    )
    team = demo.teams.get("Wijkteam Centrum") or next(iter(demo.teams.values()))
    signalen.melden(
        gemeente_id=demo.gemeente.id,
        team_id=team.id,
        domein="Wonen",
        tekst=(
            "Urgentieaanvragen voor mantelzorgwoningen blijven bij de corporatie liggen omdat de medische "
            "verklaring ouder is dan drie maanden. (Gemeld via het meldsysteem van de wijkteams.)"
        ),
        anoniem=True,
        bron=BRON_API,
        client_request_id="demo-meldsysteem-0001",
    )
    webhook = Webhook(
        gemeente_id=demo.gemeente.id,
        naam="Zaaksysteem Vechtstede (voorbeeld)",
        url=DEMO_URL,
        geheim=webhooks.GEHEIM_PREFIX + secrets.token_urlsafe(32),
        aangemaakt_door_id=begeleider.id,
        aangemaakt_op=utcnow() - timedelta(days=30),
    )
    db.session.add(webhook)
    db.session.flush()

    besluit = db.session.scalar(select(Besluit).order_by(Besluit.id).limit(1))
    if besluit is not None:
        knelpunt = db.session.get(Knelpunt, besluit.knelpunt_id)
        assert knelpunt is not None
        inhoud = webhooks.besluit_inhoud(knelpunt, besluit, nieuw=True)
        _aflevering(webhook, webhooks.BESLUIT_VASTGELEGD, inhoud, geleden=timedelta(days=20), gelukt=True)
    actie = db.session.scalar(select(Actie).where(Actie.gemeente_id == demo.gemeente.id).order_by(Actie.id).limit(1))
    if actie is not None:
        inhoud = webhooks.actie_inhoud(actie, "open")
        _aflevering(webhook, webhooks.ACTIE_STATUS_GEWIJZIGD, inhoud, geleden=timedelta(days=3), gelukt=False)


def _aflevering(webhook: Webhook, gebeurtenis: str, inhoud: dict, *, geleden: timedelta, gelukt: bool) -> None:
    op = utcnow() - geleden
    sleutel = str(uuid.uuid4())
    body = {"id": sleutel, "gebeurtenis": gebeurtenis, "op": op.replace(microsecond=0).isoformat() + "Z"}
    body |= {"gemeente": webhook.gemeente_id, **inhoud}
    pogingen = 1 if gelukt else verzenden.TERUGVAL.pogingen
    db.session.add(
        WebhookAflevering(
            webhook_id=webhook.id,
            sleutel=sleutel,
            gebeurtenis=gebeurtenis,
            inhoud=json.dumps(body, ensure_ascii=False, separators=(",", ":")),
            status=AFGELEVERD if gelukt else MISLUKT,
            pogingen=pogingen,
            volgende_poging=op,
            statuscode=200 if gelukt else 503,
            fout=None if gelukt else "De ontvanger antwoordde 503 Service Unavailable",
            aangemaakt_op=op,
            laatste_poging_op=op + (timedelta(seconds=1) if gelukt else timedelta(hours=2)),
        )
    )
