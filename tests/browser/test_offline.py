"""Forms of a live sessie on a phone that loses its connection (venue Wi-Fi): a knelpunt, a stem,
a reactie and a beoordeling sent while offline say so in Dutch next to the form, keep what was
typed, store nothing, and are sent once (same client request id) as soon as the phone is online
again; the success message then replaces the failure. A server error keeps the input too and
"Opnieuw versturen" sends it by hand.
"""

from __future__ import annotations

from urllib.parse import parse_qs

from playwright.sync_api import BrowserContext, Page, Request, expect

from facilitatie.config import ROOT
from facilitatie.sessies.vormen import load_vormen
from tests.browser.conftest import TIMEOUT_MS, axe_check, create_sessie, create_user, deelnamecode, join, login

VORM = load_vormen(ROOT / "sessies")["ontmoeten-en-ont-moeten"]
FASE = {f.key: (i, f.titel) for i, f in enumerate(VORM.fasen)}
NIET_VERSTUURD = "Niet verstuurd: er is geen verbinding"
KNELPUNT = "Een kleine aanpassing vraagt een volledig nieuwe aanvraag."


def _ga_naar_fase(leider: Page, key: str) -> None:
    index, titel = FASE[key]
    leider.get_by_role("button", name=f"Ga naar fase {titel}").click()
    expect(leider.locator("#bediening")).to_contain_text(f"fase {index + 1} van {len(VORM.fasen)}")


def _sessie(new_context, live_server) -> tuple[Page, int, str]:
    begeleider = create_user(live_server, "begeleider")
    leider = new_context().new_page()
    login(leider, begeleider.email)
    sessie_id = create_sessie(leider, f"Offline {live_server.unique()}")
    return leider, sessie_id, deelnamecode(leider)


def _deelnemer(new_context, code: str, perspectief: str = "Uitvoering") -> tuple[BrowserContext, Page]:
    context = new_context(phone=True)
    page = context.new_page()
    join(page, code, perspectief=perspectief)
    expect(page.locator("[data-live-status]")).to_have_attribute("data-state", "connected")
    page.add_script_tag(url="/static/vendor/axe-core/axe.min.js")  # axe_check runs while offline
    return context, page


def _knelpunt(live_server, sessie_id: int, tekst: str = KNELPUNT) -> int:
    """A knelpunt stored directly (it only has to be there to vote or react on)."""
    return live_server.python_json(f"""
        from facilitatie.knelpunten.models import Knelpunt, KnelpuntInstellingen
        k = Knelpunt(sessie_id={sessie_id}, domein="Wmo", tekst={tekst!r}, onthuld=True)
        db.session.add(k)
        db.session.merge(KnelpuntInstellingen(sessie_id={sessie_id}, stemmen_op="knelpunt"))
        db.session.flush()
        print(json.dumps(k.id))
    """)


def _tel(live_server, model: str, where: str) -> int:
    return live_server.python_json(f"""
        from sqlalchemy import func, select
        from facilitatie.knelpunten.models import Knelpunt, Reactie, Stem
        from facilitatie.verwachtingen.models import Beoordeling, Verwachting
        print(json.dumps(db.session.scalar(select(func.count()).select_from({model}).where({where}))))
    """)


def _offline_melding(page: Page) -> None:
    melding = page.locator("[data-verzend-melding]")
    expect(melding).to_have_count(1)
    expect(melding).to_contain_text(NIET_VERSTUURD)
    expect(melding.get_by_role("button", name="Opnieuw versturen")).to_be_visible()
    expect(page.locator("#live-melding")).to_contain_text(NIET_VERSTUURD)


def _verzoeken(page: Page, pad: str) -> list[dict[str, list[str]]]:
    """The form data of every POST to `pad` this page sends from now on (also those that fail)."""
    verzonden: list[dict[str, list[str]]] = []

    def noteer(request: Request) -> None:
        if request.method == "POST" and request.url.endswith(pad):
            verzonden.append(parse_qs(request.post_data or ""))

    page.on("request", noteer)
    return verzonden


def _weer_online(context: BrowserContext, page: Page, verzonden: list[dict[str, list[str]]]) -> None:
    """Back online: the form is sent again by itself, in one request (the online event and the
    live connection coming back both ask for it), with the request id of the attempt that failed."""
    assert len(verzonden) == 1, verzonden  # the attempt made offline
    context.set_offline(False)
    expect(page.locator("[data-verzend-melding]")).to_have_count(0)
    expect(page.locator("[data-live-status]")).to_have_attribute("data-state", "connected")
    page.wait_for_timeout(1500)
    expect(page.locator("[data-verzend-melding]")).to_have_count(0)
    assert len(verzonden) == 2, verzonden
    eerst, opnieuw = verzonden
    assert opnieuw.get("client_request_id") == eerst.get("client_request_id")


def test_a_knelpunt_posted_offline_is_kept_and_sent_once_when_online(new_context, live_server):
    leider, _sessie_id, code = _sessie(new_context, live_server)
    _ga_naar_fase(leider, "knelpunten-ophalen")
    context, page = _deelnemer(new_context, code)
    veld = page.get_by_label("Knelpunt", exact=True)
    veld.fill("Elk contact moet dezelfde dag in twee systemen worden vastgelegd.")
    page.get_by_label("Domein", exact=True).select_option("Wmo")
    page.get_by_role("button", name="Knelpunt indienen").click()
    expect(page.locator("#knelpunt-indienen")).to_contain_text("Je knelpunt is ingediend")

    veld.fill(KNELPUNT)
    page.get_by_label("Domein", exact=True).select_option("Wonen")
    verzonden = _verzoeken(page, f"/s/{code}/knelpunten")
    context.set_offline(True)
    page.get_by_role("button", name="Knelpunt indienen").click()
    _offline_melding(page)
    # The earlier success no longer stands beside this attempt; what was typed is still there.
    expect(page.locator("#knelpunt-indienen")).not_to_contain_text("Je knelpunt is ingediend")
    expect(veld).to_have_value(KNELPUNT)
    expect(page.get_by_label("Domein", exact=True)).to_have_value("Wonen")
    assert _tel(live_server, "Knelpunt", f"Knelpunt.tekst == {KNELPUNT!r}") == 0
    axe_check(page)

    _weer_online(context, page, verzonden)
    expect(page.locator("#knelpunt-indienen")).to_contain_text("Je knelpunt is ingediend")
    expect(page.get_by_label("Knelpunt", exact=True)).to_have_value("")
    assert _tel(live_server, "Knelpunt", f"Knelpunt.tekst == {KNELPUNT!r}") == 1
    expect(leider.locator("#knelpunten-lijst .knelpunt", has_text=KNELPUNT)).to_have_count(1)
    # Nothing waits any more: a reload shows an empty form and no failure.
    page.reload()
    expect(page.locator("[data-live-status]")).to_have_attribute("data-state", "connected")
    expect(page.locator("[data-verzend-melding]")).to_have_count(0)
    expect(page.get_by_label("Knelpunt", exact=True)).to_have_value("")


def test_a_stem_given_offline_counts_once_when_online(new_context, live_server):
    leider, sessie_id, code = _sessie(new_context, live_server)
    _knelpunt(live_server, sessie_id)
    _ga_naar_fase(leider, "stemmen")
    context, page = _deelnemer(new_context, code)
    expect(page.locator("#stemmen")).to_contain_text("Je hebt nog 3 van de 3 stemmen")

    verzonden = _verzoeken(page, f"/s/{code}/stemmen")
    context.set_offline(True)
    page.get_by_role("button", name=f"Stem op {KNELPUNT}", exact=True).click()
    _offline_melding(page)
    expect(page.locator("#stemmen")).to_contain_text("Je hebt nog 3 van de 3 stemmen")
    assert _tel(live_server, "Stem", f"Stem.sessie_id == {sessie_id}") == 0
    axe_check(page)

    _weer_online(context, page, verzonden)
    expect(page.locator("#stemmen")).to_contain_text("Je hebt nog 2 van de 3 stemmen")
    assert _tel(live_server, "Stem", f"Stem.sessie_id == {sessie_id}") == 1
    expect(leider.locator("#stemmen-voortgang")).to_contain_text("1 stem")
    # Online, two quick clicks on Stem are two stemmen (each click its own request id).
    knop = page.get_by_role("button", name=f"Stem op {KNELPUNT}", exact=True)
    knop.click()
    knop.click()
    expect(page.locator("#stemmen")).to_contain_text("Je hebt nog 0 van de 3 stemmen")
    assert _tel(live_server, "Stem", f"Stem.sessie_id == {sessie_id}") == 3


def test_a_reactie_sent_offline_is_kept_and_placed_once_when_online(new_context, live_server):
    leider, sessie_id, code = _sessie(new_context, live_server)
    _knelpunt(live_server, sessie_id)
    _ga_naar_fase(leider, "dialoog")
    leider.get_by_role("button", name=f"Op het scherm {KNELPUNT}").click()
    context, page = _deelnemer(new_context, code, perspectief="Beleid")
    reactie = "De regel is bedoeld om veranderingen te zien; bij een blijvende beperking kan het anders."
    veld = page.get_by_label(f"Reactie op {KNELPUNT}")
    veld.fill(reactie)

    verzonden = _verzoeken(page, f"/s/{code}/reacties")
    context.set_offline(True)
    page.get_by_role("button", name="Reageren").click()
    _offline_melding(page)
    expect(veld).to_have_value(reactie)
    assert _tel(live_server, "Reactie", f"Reactie.sessie_id == {sessie_id}") == 0
    axe_check(page)

    _weer_online(context, page, verzonden)
    expect(page.locator(".reageren")).to_contain_text("Je reactie is geplaatst")
    assert _tel(live_server, "Reactie", f"Reactie.sessie_id == {sessie_id}") == 1
    expect(leider.locator(".reactie--beleid")).to_have_count(1)
    expect(page.locator(".reactie--beleid")).to_contain_text(reactie)


def test_a_beoordeling_saved_offline_is_stored_once_when_online(new_context, live_server):
    leider, sessie_id, code = _sessie(new_context, live_server)
    verwachting = "Elk gezin heeft binnen twee weken één plan"
    leider.goto(f"/sessies/{sessie_id}/verwachtingen")
    leider.get_by_label("Verwachting", exact=True).fill(verwachting)
    leider.get_by_role("button", name="Verwachting toevoegen").click()
    expect(leider.locator("#verwachtingen-lijst")).to_contain_text(verwachting)
    leider.goto(f"/sessies/{sessie_id}")
    _ga_naar_fase(leider, "beoordelen-ronde-1")
    leider.get_by_role("button", name="Ronde openen").click()
    context, page = _deelnemer(new_context, code)
    panel = page.locator("#verwachtingen-ronde-1")
    groep = panel.get_by_role("group", name=verwachting)
    groep.get_by_role("group", name="Wenselijk").get_by_label("4", exact=True).check()
    groep.get_by_role("group", name="Haalbaar").get_by_label("2", exact=True).check()

    verzonden = _verzoeken(page, f"/s/{code}/verwachtingen/1")
    context.set_offline(True)
    panel.get_by_role("button", name="Beoordeling opslaan").click()
    _offline_melding(page)
    expect(groep.get_by_role("group", name="Wenselijk").get_by_label("4", exact=True)).to_be_checked()
    expect(groep.get_by_role("group", name="Haalbaar").get_by_label("2", exact=True)).to_be_checked()
    van_sessie = f"select(Verwachting.id).where(Verwachting.sessie_id == {sessie_id})"
    beoordelingen = f"Beoordeling.verwachting_id.in_({van_sessie})"
    assert _tel(live_server, "Beoordeling", beoordelingen) == 0
    axe_check(page)

    _weer_online(context, page, verzonden)
    expect(page.locator("#verwachtingen-ronde-1")).to_contain_text("Opgeslagen")
    assert _tel(live_server, "Beoordeling", beoordelingen) == 1
    expect(leider.locator("#verwachtingen-teller-1")).to_contain_text("1 van 1 deelnemers")


def test_a_server_error_keeps_the_knelpunt_and_opnieuw_versturen_sends_it(browser, live_server, new_context):
    leider, sessie_id, code = _sessie(new_context, live_server)
    _ga_naar_fase(leider, "knelpunten-ophalen")
    # Its own context: the 503 below is made on purpose (new_context fails a test on any 5xx).
    context = browser.new_context(base_url=live_server.url, locale="nl-NL")
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = context.new_page()
        join(page, code)
        expect(page.locator("[data-live-status]")).to_have_attribute("data-state", "connected")
        page.route(
            f"**/s/{code}/knelpunten",
            lambda route: route.fulfill(status=503, body="Even niet beschikbaar"),
        )
        page.get_by_label("Knelpunt", exact=True).fill(KNELPUNT)
        page.get_by_label("Domein", exact=True).select_option("Wmo")
        page.get_by_role("button", name="Knelpunt indienen").click()
        melding = page.locator("[data-verzend-melding]")
        expect(melding).to_contain_text("Niet verstuurd: er ging iets mis bij de server")
        expect(page.get_by_label("Knelpunt", exact=True)).to_have_value(KNELPUNT)
        assert _tel(live_server, "Knelpunt", f"Knelpunt.sessie_id == {sessie_id}") == 0

        page.unroute(f"**/s/{code}/knelpunten")
        melding.get_by_role("button", name="Opnieuw versturen").click()
        expect(page.locator("#knelpunt-indienen")).to_contain_text("Je knelpunt is ingediend")
        expect(melding).to_have_count(0)
        assert _tel(live_server, "Knelpunt", f"Knelpunt.sessie_id == {sessie_id}") == 1
        expect(page.locator("body")).not_to_be_focused()
    finally:
        context.close()
