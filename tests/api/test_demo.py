"""The demo shows the koppelingen: a webhook with its delivery log, a signalen token, an API signaal."""

from __future__ import annotations

from sqlalchemy import select

from facilitatie.api.models import Webhook, WebhookAflevering
from facilitatie.bezorging import AFGELEVERD, MISLUKT
from facilitatie.extensions import db
from facilitatie.knelpunten.models import Knelpunt
from facilitatie.opvolging.models import ApiToken
from tests.conftest import login


def test_demo_has_a_webhook_log_a_signalen_token_and_an_api_signaal(runner, app):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    [webhook] = db.session.scalars(select(Webhook)).all()
    statussen = {a.status for a in db.session.scalars(select(WebhookAflevering))}
    assert statussen == {AFGELEVERD, MISLUKT}  # nothing waits: the example address is never tried
    assert db.session.scalar(select(ApiToken).where(ApiToken.scope == "signalen:schrijven")) is not None
    [signaal] = db.session.scalars(select(Knelpunt).where(Knelpunt.bron == "api")).all()
    assert signaal.anoniem and signaal.deelnemer_id is None

    client = app.test_client()
    login(client, "begeleider@ontmoet.demo", "ontmoet-demo-2026")
    pagina = client.get(f"/koppelingen/webhooks/{webhook.id}").get_data(as_text=True)
    assert "Afgeleverd" in pagina and "Mislukt" in pagina and "503" in pagina and "Opnieuw proberen" in pagina
    assert "Meldsysteem wijkteams" in client.get("/account/tokens").get_data(as_text=True)
