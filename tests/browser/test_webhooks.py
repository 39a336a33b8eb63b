"""Koppelingen in a real browser: a begeleider registers a webhook and keeps its secret, a besluit is
posted signed to a real receiver by the server's background sender, and the delivery log shows it;
a token "Signalen melden" reports a signaal over HTTP; a begeleider of another gemeente gets 404;
the pages pass axe-core and fit a 320 px phone.
"""

from __future__ import annotations

import json
import re
import time
import urllib.request

from playwright.sync_api import expect

from facilitatie.api.verzenden import klopt  # the receiver's side of the contract
from tests.browser.conftest import axe_check, create_user, login, no_horizontal_scroll
from tests.ontvanger import ontvanger_op_vrije_poort, wacht_op


def _besluit_voor_nieuw_knelpunt(live_server, gemeente: str, beleid_email: str) -> int:
    """A knelpunt of the gemeente gets a besluit through the opvolging service (in another process)."""
    return live_server.python_json(
        f"""
        from facilitatie.accounts.models import Gemeente, Team, User
        from facilitatie.knelpunten.models import Knelpunt
        from facilitatie.opvolging import service
        from facilitatie.sessies.models import Sessie
        gemeente = db.session.query(Gemeente).filter_by(naam={gemeente!r}).one()
        beleid = db.session.query(User).filter_by(email={beleid_email!r}).one()
        team = Team(naam="Wijkteam West", gemeente_id=gemeente.id)
        sessie = Sessie(titel="Afgesloten", sessievorm="ontmoeten-en-ont-moeten", gemeente_id=gemeente.id,
                        begeleider_id=beleid.id, deelnamecode="WH" + str(gemeente.id).zfill(4), status="afgesloten")
        db.session.add_all([team, sessie])
        db.session.flush()
        knelpunt = Knelpunt(sessie_id=sessie.id, team_id=team.id, domein="Wmo", tekst="Geheim voor de ontvanger",
                            anoniem=True)
        db.session.add(knelpunt)
        db.session.commit()
        service.besluit_nemen(knelpunt, beleid, soort="opgepakt")
        print(json.dumps(knelpunt.id))
        """
    )


def test_a_webhook_is_registered_delivered_signed_and_logged(new_context, live_server):
    gemeente = live_server.unique("Koppelstad")
    begeleider = create_user(live_server, "begeleider", gemeente=gemeente)
    beleid = create_user(live_server, "beleidsmedewerker", gemeente=gemeente)
    ander = create_user(live_server, "begeleider", gemeente=live_server.unique("Elders"))

    with ontvanger_op_vrije_poort() as ontvanger:
        pagina = new_context().new_page()
        login(pagina, begeleider.email)
        pagina.goto("/koppelingen/webhooks")
        expect(pagina.get_by_text("heeft nog geen webhooks")).to_be_visible()
        axe_check(pagina)

        # A wrong URL first: the message sits next to the field, nothing is made.
        pagina.get_by_label("Naam").fill("Zaaksysteem")
        pagina.get_by_label("URL").fill("http://zaken.example.org/hook")
        pagina.get_by_role("button", name="Webhook toevoegen").click()
        expect(pagina.locator("#url-fout")).to_contain_text("Gebruik https://")
        axe_check(pagina)

        pagina.get_by_label("URL").fill(ontvanger.url)
        pagina.get_by_role("button", name="Webhook toevoegen").click()
        geheim = pagina.get_by_label("Geheim").input_value()
        assert geheim.startswith("whsec_")
        pagina.get_by_role("link", name="Zaaksysteem").click()
        webhook_url = pagina.url
        expect(pagina.get_by_text("Nog niets verstuurd")).to_be_visible()
        assert geheim not in pagina.content()

        knelpunt_id = _besluit_voor_nieuw_knelpunt(live_server, gemeente, beleid.email)
        wacht_op(ontvanger, 1, timeout=30)
        [ontvangen] = ontvanger.ontvangen
        kop = ontvangen.headers
        assert klopt(geheim, kop["X-Ontmoet-Timestamp"], ontvangen.body, kop["X-Ontmoet-Signature"], nu=time.time())
        body = json.loads(ontvangen.body)
        assert body["knelpunt"]["id"] == knelpunt_id and body["besluit"]["soort"] == "opgepakt"
        assert "Geheim voor de ontvanger" not in ontvangen.body.decode()

        for _ in range(50):  # the log is written right after the answer
            pagina.reload()
            if pagina.get_by_text("Afgeleverd").count():
                break
            time.sleep(0.2)
        expect(pagina.locator("tr.aflevering--afgeleverd")).to_contain_text("besluit.vastgelegd")
        axe_check(pagina)

        telefoon = new_context(phone=True).new_page()
        login(telefoon, begeleider.email)
        telefoon.goto(webhook_url)
        expect(telefoon.get_by_role("heading", name=re.compile("Webhook Zaaksysteem"))).to_be_visible()
        no_horizontal_scroll(telefoon)

        # Another gemeente's begeleider: not found, and nothing of it shown.
        elders = new_context().new_page()
        login(elders, ander.email)
        response = elders.goto(webhook_url)
        assert response is not None and response.status == 404
        expect(elders.locator("body")).not_to_contain_text("Zaaksysteem")

        pagina.get_by_role("button", name=re.compile("Intrekken")).click()
        expect(pagina.get_by_text("ingetrokken")).to_be_visible()


def test_a_signalen_token_is_made_and_reports_a_signaal(new_context, live_server):
    gemeente = live_server.unique("Meldstad")
    begeleider = create_user(live_server, "begeleider", gemeente=gemeente)
    live_server.python(
        f"""
        from facilitatie.accounts.models import Gemeente, Team
        gemeente = db.session.query(Gemeente).filter_by(naam={gemeente!r}).one()
        db.session.add(Team(naam="Wijkteam Haven", gemeente_id=gemeente.id))
        """
    )
    pagina = new_context().new_page()
    login(pagina, begeleider.email)
    pagina.goto("/account/tokens")
    pagina.get_by_label("Naam van het token").fill("Meldsysteem")
    pagina.get_by_label(re.compile("Signalen melden voor één gemeente")).check()
    pagina.get_by_role("button", name="Token aanmaken").click()
    token = pagina.get_by_label("Token", exact=True).input_value()
    expect(pagina.get_by_text(f"signalen melden voor {gemeente}")).to_be_visible()
    axe_check(pagina)

    verzoek = urllib.request.Request(
        live_server.url + "/api/v1/knelpunten",
        data=json.dumps({"tekst": "Formulieren zijn te lang", "domein": "Wmo", "team": "Wijkteam Haven"}).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(verzoek, timeout=10) as antwoord:
        assert antwoord.status == 201
        assert re.search(r"/api/v1/knelpunten/\d+$", antwoord.headers["Location"])
