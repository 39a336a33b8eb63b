"""The demo's outbox: after `seed-demo` the beheerder reads a digest of new signalen and an
"Is het opgelost?" mail among the queued mails (`make run` has no mail server)."""

from __future__ import annotations

from sqlalchemy import select

from facilitatie.extensions import db
from facilitatie.meldingen.models import Mail
from facilitatie.meldingen.soorten import Soort
from tests.conftest import login


def test_the_demo_outbox_shows_a_signalen_digest_and_an_opgelost_mail(app, runner, client):
    resultaat = runner.invoke(args=["seed-demo"])
    assert resultaat.exit_code == 0, resultaat.output
    db.session.expire_all()
    mails = list(db.session.scalars(select(Mail).order_by(Mail.id)))
    [digest] = [m for m in mails if m.soort == Soort.SIGNALEN]
    assert digest.aan == "begeleider@ontmoet.demo" and "nieuwe signalen voor" in digest.onderwerp
    assert "Ahmed" not in digest.tekst  # a name typed at the meldlink is never in the mail
    [opgelost] = [m for m in mails if m.onderwerp.startswith("Is het opgelost?")]
    assert opgelost.aan == "wijkteam@ontmoet.demo" and "/opgelost/" in opgelost.tekst

    login(client, "beheerder@ontmoet.demo", "ontmoet-demo-2026")
    lijst = client.get("/beheer/mail").get_data(as_text=True)
    assert digest.onderwerp in lijst and "Is het opgelost?" in lijst
