"""Never waiting silently: a deelnemer sees (and hears) when the page is not live, and it comes back.

The socket is routed through Playwright (`route_web_socket`), so the test decides what the
network does: pass everything, swallow the server's answers (a `volg` that is never answered,
as during the join wave of issue 12), or refuse the connection (a server that is gone).
"""

from __future__ import annotations

import re

from playwright.sync_api import Route, WebSocketRoute, expect

from tests.browser.conftest import axe_check, create_sessie, create_user, deelnamecode, join, login

NIET_VERBONDEN = "Niet verbonden – opnieuw verbinden…"


class Netwerk:
    """What happens to the page's websockets: 'door' (pass), 'stil' (no answers), 'weiger'."""

    def __init__(self) -> None:
        self.stand = "door"
        self.open: list[WebSocketRoute] = []

    def route(self, ws: WebSocketRoute) -> None:
        if self.stand == "weiger":
            ws.close()
            return
        server = ws.connect_to_server()
        self.open.append(ws)
        ws.on_message(server.send)

        def naar_browser(bericht: str | bytes) -> None:
            # Engine.IO "4" message + Socket.IO "3" ack: the answer to an emit such as `volg`.
            if self.stand == "stil" and isinstance(bericht, str) and bericht.startswith("43"):
                return
            ws.send(bericht)

        server.on_message(naar_browser)

    def http(self, route: Route) -> None:
        if self.stand == "weiger":
            route.abort()
        else:
            route.continue_()

    def verbreek(self) -> None:
        for ws in self.open:
            ws.close()
        self.open.clear()


def test_the_page_says_when_it_is_not_live_and_when_it_is_again(live_server, new_context):
    begeleider = create_user(live_server, "begeleider")
    leider = new_context().new_page()
    login(leider, begeleider.email, begeleider.password)
    create_sessie(leider, f"Verbinding {live_server.unique()}")
    code = deelnamecode(leider)

    netwerk = Netwerk()
    context = new_context(phone=True)
    context.route_web_socket(re.compile(r"/socket\.io/"), netwerk.route)
    # A server that is gone answers no long-polling either (the client falls back to it).
    context.route(re.compile(r"/socket\.io/.*transport=polling"), netwerk.http)
    deelnemer = context.new_page()
    status, melding = deelnemer.locator("[data-live-status]"), deelnemer.locator("#live-melding")

    # The socket connects but `volg` is never answered: after the wait, not live, and it says so.
    netwerk.stand = "stil"
    join(deelnemer, code)
    expect(status).to_have_text(NIET_VERBONDEN, timeout=20_000)
    expect(melding).to_have_text(NIET_VERBONDEN)  # role=status, aria-live=polite
    axe_check(deelnemer)

    # Answers come through again: the next try follows the sessie.
    netwerk.stand = "door"
    expect(status).to_have_text("Live verbonden", timeout=30_000)
    expect(melding).to_have_text("Weer verbonden.")

    # The server is gone: the socket drops and new connections are refused.
    netwerk.stand = "weiger"
    netwerk.verbreek()
    expect(status).to_have_text(NIET_VERBONDEN)
    expect(melding).to_have_text(NIET_VERBONDEN)

    # It is back: the page reconnects by itself and is live again, and misses nothing.
    leider.get_by_role("button", name="Volgende fase").click()
    netwerk.stand = "door"
    expect(status).to_have_text("Live verbonden", timeout=30_000)
    expect(melding).to_contain_text("Weer verbonden.")
    expect(deelnemer.locator("[data-live]")).not_to_have_attribute("data-seq", "1")
