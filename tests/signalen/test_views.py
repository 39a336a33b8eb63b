"""The signalen pages: reporting with and without an account, the inbox, meldlinks, "Is het opgelost?";
bad input and the permission matrix (another gemeente's inbox and objects answer 404)."""

from __future__ import annotations

import re
import uuid

import pytest
from flask import current_app
from sqlalchemy import func, select

from facilitatie.extensions import db
from facilitatie.knelpunten.models import Knelpunt
from facilitatie.opvolging.models import Besluit
from facilitatie.sessies import service as sessies
from facilitatie.sessies.models import Sessie
from facilitatie.signalen import lezen, service
from tests.conftest import csrf_token, login, post
from tests.signalen.helpers import meld

ROLLEN = ["begeleider", "beleid", "wethouder", "lid_noord", "begeleider_x", "lid_x", "anoniem"]


def _client(app, wereld, rol):
    client = app.test_client()
    user = getattr(wereld, rol, None)
    if user is not None:
        assert login(client, user.email).status_code == 302
    return client


def _aantal() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(Knelpunt))


def _signaal(**velden):
    return {
        "tekst": "De herindicatie voor een traplift duurt twaalf weken.",
        "domein": "Wmo",
        "client_request_id": uuid.uuid4().hex,
        **velden,
    }


# --------------------------------------------------------------------------- melden with an account


def test_wijkteamlid_reports_a_signaal_from_the_start_page(app, wereld):
    lid = _client(app, wereld, "lid_noord")
    start = lid.get("/").get_data(as_text=True)
    assert "Signaal melden" in start and "/signalen/nieuw" in start
    pagina = lid.get("/signalen/nieuw")
    assert pagina.status_code == 200 and "Wijkteam Noord" in pagina.get_data(as_text=True)
    antwoord = post(lid, "/signalen/nieuw", _signaal(team=str(wereld.zuid.id)))  # own team wins
    assert antwoord.status_code == 201, antwoord.get_data(as_text=True)[:400]
    assert "je signaal is gemeld" in antwoord.get_data(as_text=True)
    [knelpunt] = db.session.scalars(select(Knelpunt)).all()
    assert knelpunt.team_id == wereld.noord.id and knelpunt.bron == "signaal" and not knelpunt.anoniem


def test_a_retried_post_is_stored_once(app, wereld):
    lid = _client(app, wereld, "lid_noord")
    data = _signaal()
    assert post(lid, "/signalen/nieuw", data).status_code == 201
    assert post(lid, "/signalen/nieuw", data).status_code == 201
    assert _aantal() == 1


@pytest.mark.parametrize(
    ("velden", "bericht"),
    [
        ({"tekst": ""}, "Schrijf je signaal op."),
        ({"domein": ""}, "Kies het domein"),
        ({"domein": "Verkeer"}, "Kies een domein uit de lijst."),
        ({"tekst": "BSN 111222333 van mevrouw."}, "burgerservicenummer"),
        ({"tekst": "x" * 2001}, "hoogstens 2000 tekens"),
    ],
)
def test_bad_input_gets_a_dutch_message_and_stores_nothing(app, wereld, velden, bericht):
    lid = _client(app, wereld, "lid_noord")
    antwoord = post(lid, "/signalen/nieuw", _signaal(**velden))
    assert antwoord.status_code == 400
    assert bericht.lower() in antwoord.get_data(as_text=True).lower()
    assert _aantal() == 0


def test_a_privacy_warning_asks_toch_indienen(app, wereld):
    lid = _client(app, wereld, "lid_noord")
    data = _signaal(tekst="Bel mevrouw op 06-12345678 over haar aanvraag.")
    eerst = post(lid, "/signalen/nieuw", data)
    assert eerst.status_code == 400 and "Toch indienen" in eerst.get_data(as_text=True)
    assert _aantal() == 0
    assert post(lid, "/signalen/nieuw", {**data, "bevestigd": "1"}).status_code == 201
    assert _aantal() == 1


def test_a_begeleider_chooses_the_team_or_none(app, wereld):
    begeleider = _client(app, wereld, "begeleider")
    zonder = post(begeleider, "/signalen/nieuw", _signaal())
    assert zonder.status_code == 400 and "Kies het wijkteam" in zonder.get_data(as_text=True)
    assert post(begeleider, "/signalen/nieuw", _signaal(team=str(wereld.team_x.id))).status_code == 400
    assert post(begeleider, "/signalen/nieuw", _signaal(team="geen")).status_code == 201
    assert post(begeleider, "/signalen/nieuw", _signaal(team=str(wereld.zuid.id))).status_code == 201
    assert sorted(k.team_id or 0 for k in db.session.scalars(select(Knelpunt))) == [0, wereld.zuid.id]


def test_without_csrf_nothing_is_stored(app, wereld):
    lid = _client(app, wereld, "lid_noord")
    assert lid.post("/signalen/nieuw", data=_signaal()).status_code == 400
    assert _aantal() == 0


# --------------------------------------------------------------------------- the permission matrix


def _matrix(w) -> list[tuple[str, dict[str, int]]]:
    """(path, status per role); a role not named gets 403, an anonymous visitor is sent to sign in."""
    return [
        ("/signalen", {"begeleider": 200, "beleid": 200, "wethouder": 200, "begeleider_x": 200}),
        (
            f"/signalen?gemeente={w.gemeente.id}",
            {"begeleider": 200, "beleid": 200, "wethouder": 200, "begeleider_x": 404, "lid_x": 404},
        ),
        (
            f"/signalen?gemeente={w.andere.id}",
            {"begeleider_x": 200, "begeleider": 404, "beleid": 404, "wethouder": 404, "lid_noord": 404},
        ),
        ("/signalen/nieuw", {"begeleider": 200, "beleid": 200, "lid_noord": 200, "begeleider_x": 200, "lid_x": 200}),
        ("/signalen/meldlinks", {"begeleider": 200, "begeleider_x": 200}),
    ]


@pytest.mark.parametrize("rol", ROLLEN)
def test_permission_matrix(app, wereld, rol):
    client = _client(app, wereld, rol)
    for pad, verwacht in _matrix(wereld):
        status = 302 if rol == "anoniem" else verwacht.get(rol, 403)
        assert client.get(pad).status_code == status, (rol, pad)


def test_another_gemeentes_objects_answer_404_before_any_input_is_read(app, wereld):
    signaal_x = meld(wereld, gemeente_id=wereld.andere.id, team_id=wereld.team_x.id, door=wereld.lid_x)
    eigen = meld(wereld)
    with current_app.test_request_context("/"):
        sessie_x = sessies.create_sessie(begeleider=wereld.begeleider_x, titel="Anders", vorm="ontmoeten-en-ont-moeten")
        sessie = sessies.create_sessie(begeleider=wereld.begeleider, titel="Eigen", vorm="ontmoeten-en-ont-moeten")
    begeleider = _client(app, wereld, "begeleider")
    assert post(begeleider, f"/signalen/{signaal_x.id}/besluit", {"soort": "junk"}).status_code == 404
    assert (
        post(begeleider, "/signalen/agenda", {"signalen": [str(signaal_x.id)], "sessie": str(sessie.id)}).status_code
        == 404
    )
    assert (
        post(begeleider, "/signalen/agenda", {"signalen": [str(eigen.id)], "sessie": str(sessie_x.id)}).status_code
        == 404
    )
    assert post(begeleider, f"/teams/{wereld.team_x.id}/meldlink").status_code == 404
    assert post(begeleider, f"/teams/{wereld.team_x.id}/meldlink/intrekken").status_code == 404
    wethouder = _client(app, wereld, "wethouder")
    assert (
        post(wethouder, "/signalen/agenda", {"signalen": [str(eigen.id)], "sessie": str(sessie.id)}).status_code == 403
    )
    assert post(wethouder, f"/signalen/{eigen.id}/besluit", {"soort": "opgepakt"}).status_code == 403
    db.session.expire_all()
    assert db.session.get(Knelpunt, eigen.id).sessie.status == "signalen"
    assert db.session.scalar(select(func.count()).select_from(Besluit)) == 0


def test_every_sessie_page_404s_for_the_signalenbak(app, wereld):
    bak_id = meld(wereld).sessie_id
    code = db.session.get(Sessie, bak_id).deelnamecode
    begeleider = _client(app, wereld, "begeleider")
    for pad in (f"/sessies/{bak_id}", f"/sessies/{bak_id}/besluiten", f"/sessies/{bak_id}/verslag",
                f"/sessies/{bak_id}/scherm", f"/sessies/{bak_id}/terugkoppeling", f"/s/{code}/werkruimte"):  # fmt: skip
        assert begeleider.get(pad).status_code == 404, pad
    # Its code is as unknown as a mistyped one: the join form says so.
    assert "/deelnemen" in begeleider.get(f"/s/{code}").headers["Location"]
    assert "Binnengekomen signalen" not in begeleider.get("/sessies").get_data(as_text=True)


# --------------------------------------------------------------------------- the inbox


def test_inbox_agenda_and_besluit(app, wereld):
    a = meld(wereld)
    b = meld(wereld, tekst="Schuldhulp heeft een wachtlijst.", domein="Schulden", team_id=wereld.zuid.id)
    with current_app.test_request_context("/"):
        sessie = sessies.create_sessie(begeleider=wereld.begeleider, titel="Voorjaar", vorm="ontmoeten-en-ont-moeten")
    begeleider = _client(app, wereld, "begeleider")
    html = begeleider.get("/signalen").get_data(as_text=True)
    assert "Binnengekomen signalen" in html and "traplift" in html and "Op de agenda zetten" in html
    assert "Schuldhulp" not in begeleider.get(f"/signalen?team={wereld.noord.id}").get_data(as_text=True)

    zonder_sessie = post(begeleider, "/signalen/agenda", {"signalen": [str(a.id)], "sessie": ""})
    assert zonder_sessie.status_code == 400 and "Kies de sessie" in zonder_sessie.get_data(as_text=True)
    assert post(begeleider, "/signalen/agenda", {"signalen": [str(a.id)], "sessie": str(sessie.id)}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Knelpunt, a.id).sessie_id == sessie.id
    assert "traplift" in begeleider.get("/signalen?status=op_de_agenda").get_data(as_text=True)
    # Once on an agenda, it cannot go on another one from the inbox.
    opnieuw = post(begeleider, "/signalen/agenda", {"signalen": [str(a.id)], "sessie": str(sessie.id)})
    assert opnieuw.status_code == 400

    fout = post(begeleider, f"/signalen/{b.id}/besluit", {"soort": "al_opgelost"})
    assert fout.status_code == 400 and "Licht toe hoe dit knelpunt al is opgelost." in fout.get_data(as_text=True)
    goed = post(begeleider, f"/signalen/{b.id}/besluit", {"soort": "al_opgelost", "toelichting": "Geregeld."})
    assert goed.status_code == 302
    assert "Schuldhulp" in begeleider.get("/signalen?status=besloten").get_data(as_text=True)
    # Besloten: the reporting team is asked.
    assert [v.knelpunt_id for v in lezen.open_vragen(wereld.zuid.id)] == [b.id]


def test_wethouder_reads_the_inbox_without_controls(app, wereld):
    meld(wereld)
    html = _client(app, wereld, "wethouder").get("/signalen").get_data(as_text=True)
    assert "traplift" in html and "Op de agenda zetten" not in html and "Besluit zonder sessie" not in html


def test_inbox_shows_eerder_gemeld_suggestions(app, wereld):
    with current_app.test_request_context("/"):
        sessie = sessies.create_sessie(begeleider=wereld.begeleider, titel="Eerder", vorm="ontmoeten-en-ont-moeten")
    db.session.add(
        Knelpunt(sessie_id=sessie.id, domein="Wmo", tekst="Herindicatie traplift duurt twaalf weken", team_id=None)
    )
    db.session.commit()
    signaal = meld(wereld)
    html = _client(app, wereld, "begeleider").get("/signalen").get_data(as_text=True)
    assert "Lijkt op eerder gemeld" in html
    begeleider = _client(app, wereld, "begeleider")
    eerder_id = db.session.scalar(select(Knelpunt.id).where(Knelpunt.sessie_id == sessie.id))
    antwoord = post(
        begeleider,
        f"/knelpunten/{signaal.id}/eerder-gemeld",
        {"eerder": str(eerder_id), "score": "0.8", "next": "/signalen"},
    )
    assert antwoord.status_code == 302 and antwoord.headers["Location"].endswith("/signalen")


# --------------------------------------------------------------------------- meldlinks


def _maak_meldlink(app, wereld, team=None) -> str:
    begeleider = _client(app, wereld, "begeleider")
    antwoord = post(begeleider, f"/teams/{(team or wereld.noord).id}/meldlink")
    assert antwoord.status_code == 201
    html = antwoord.get_data(as_text=True)
    assert "<svg" in html and "maar één keer getoond" in html
    return re.search(r"/melden/([A-Za-z0-9_-]+)", html).group(1)


def test_a_colleague_without_an_account_reports_through_the_meldlink(app, wereld):
    token = _maak_meldlink(app, wereld)
    collega = app.test_client()
    pagina = collega.get(f"/melden/{token}")
    assert pagina.status_code == 200 and "Wijkteam Noord" in pagina.get_data(as_text=True)
    data = {"csrf_token": csrf_token(collega, f"/melden/{token}"), **_signaal(anoniem="1", team=str(wereld.zuid.id))}
    antwoord = collega.post(f"/melden/{token}", data=data)
    assert antwoord.status_code == 201, antwoord.get_data(as_text=True)[:400]
    [knelpunt] = db.session.scalars(select(Knelpunt)).all()
    # The link's team, whatever the form said: a meldlink posts for its own team only.
    assert knelpunt.team_id == wereld.noord.id and knelpunt.bron == "meldlink"
    assert knelpunt.anoniem and knelpunt.deelnemer_id is None


def test_a_name_at_the_meldlink_is_kept_when_not_anonymous(app, wereld):
    token = _maak_meldlink(app, wereld)
    collega = app.test_client()
    data = {"csrf_token": csrf_token(collega, f"/melden/{token}"), **_signaal(naam="Kees Collega")}
    assert collega.post(f"/melden/{token}", data=data).status_code == 201
    [knelpunt] = db.session.scalars(select(Knelpunt)).all()
    assert not knelpunt.anoniem and knelpunt.deelnemer.naam == "Kees Collega" and knelpunt.deelnemer.user_id is None


def test_a_revoked_or_renewed_meldlink_says_so_and_an_unknown_one_is_404(app, wereld):
    oud = _maak_meldlink(app, wereld)
    nieuw = _maak_meldlink(app, wereld)
    collega = app.test_client()
    ingetrokken = collega.get(f"/melden/{oud}")
    assert ingetrokken.status_code == 410 and "ingetrokken" in ingetrokken.get_data(as_text=True)
    token = csrf_token(collega, f"/melden/{nieuw}")
    assert collega.post(f"/melden/{oud}", data={"csrf_token": token, **_signaal()}).status_code == 410
    assert collega.get(f"/melden/{nieuw}").status_code == 200
    assert post(_client(app, wereld, "begeleider"), f"/teams/{wereld.noord.id}/meldlink/intrekken").status_code == 302
    assert collega.get(f"/melden/{nieuw}").status_code == 410
    assert collega.get("/melden/bestaat-niet-abcdefgh").status_code == 404
    assert _aantal() == 0
    # Revoking twice: a clear 400, not a crash.
    assert post(_client(app, wereld, "begeleider"), f"/teams/{wereld.noord.id}/meldlink/intrekken").status_code == 400


def test_only_the_begeleider_manages_meldlinks(app, wereld):
    for rol in ("beleid", "wethouder", "lid_noord"):
        assert post(_client(app, wereld, rol), f"/teams/{wereld.noord.id}/meldlink").status_code in (403, 404)
    assert lezen.actieve_meldlink(wereld.noord.id) is None


def test_the_meldlink_is_rate_limited_with_a_dutch_429(app, wereld):
    token = _maak_meldlink(app, wereld)
    app.config.update(RATELIMIT_ENABLED=True, MELDLINK_LIMIT_ADRES="2 per minute", RATELIMIT_STORAGE_URI="memory://")
    app.extensions.pop("ontmoet_tellers", None)
    collega = app.test_client()
    token_csrf = csrf_token(collega, f"/melden/{token}")
    for _ in range(2):
        assert collega.post(f"/melden/{token}", data={"csrf_token": token_csrf, **_signaal()}).status_code == 201
    derde = collega.post(f"/melden/{token}", data={"csrf_token": token_csrf, **_signaal()})
    assert derde.status_code == 429
    assert "probeer het over" in derde.get_data(as_text=True) and int(derde.headers["Retry-After"]) >= 1
    assert _aantal() == 2


# --------------------------------------------------------------------------- is het opgelost?


def _vraag(wereld):
    signaal = meld(wereld)
    with current_app.test_request_context("/"):
        service.besluit_zonder_sessie(signaal, wereld.beleid, soort="al_opgelost", toelichting="Regel aangepast.")
    [vraag] = lezen.open_vragen(wereld.noord.id)
    return signaal, vraag


def test_the_team_is_asked_on_its_start_page_and_nee_reopens(app, wereld):
    _, vraag = _vraag(wereld)
    lid = _client(app, wereld, "lid_noord")
    start = lid.get("/").get_data(as_text=True)
    assert "Is het opgelost?" in start and "traplift" in start
    assert "Is het opgelost?" in lid.get(f"/teams/{wereld.noord.id}/terugkoppeling").get_data(as_text=True)
    assert "Is het opgelost?" not in _client(app, wereld, "lid_zuid").get("/").get_data(as_text=True)

    leeg = post(lid, f"/opgelost/{vraag.id}", {"antwoord": "nee", "toelichting": ""})
    assert leeg.status_code == 400 and "Licht toe wat er nog knelt" in leeg.get_data(as_text=True)
    junk = post(lid, f"/opgelost/{vraag.id}", {"antwoord": "misschien"})
    assert junk.status_code == 400 and "Kies ja, deels of nee." in junk.get_data(as_text=True)
    assert post(_client(app, wereld, "lid_zuid"), f"/opgelost/{vraag.id}", {"antwoord": "ja"}).status_code == 404
    assert post(_client(app, wereld, "begeleider"), f"/opgelost/{vraag.id}", {"antwoord": "ja"}).status_code == 404

    goed = post(lid, f"/opgelost/{vraag.id}", {"antwoord": "nee", "toelichting": "Nog altijd acht weken.", "next": "/"})
    assert goed.status_code == 302
    assert "Is het opgelost?" not in lid.get("/").get_data(as_text=True)
    inbox = _client(app, wereld, "begeleider").get("/signalen?status=nieuw").get_data(as_text=True)
    assert "Heropend" in inbox and "Nog altijd acht weken." in inbox
    terugkoppeling = lid.get(f"/teams/{wereld.noord.id}/terugkoppeling").get_data(as_text=True)
    assert "antwoordde nee" in terugkoppeling
    assert post(lid, f"/opgelost/{vraag.id}", {"antwoord": "ja"}).status_code == 400  # answered already


def test_dashboard_shows_bevestigd_opgelost(app, wereld):
    _, vraag = _vraag(wereld)
    with current_app.test_request_context("/"):
        service.opgelost_beantwoorden(vraag, "ja", "", wereld.lid_noord)
    html = _client(app, wereld, "wethouder").get("/dashboard").get_data(as_text=True)
    assert "Bevestigd opgelost" in html and "1 ja, 0 deels, 0 nee" in html


def test_the_error_summary_links_to_the_fields_on_the_page(app, wereld):
    """Each link of "Er ging iets mis" jumps to a control that exists on the /opgelost/<id> page."""
    _, vraag = _vraag(wereld)
    lid = _client(app, wereld, "lid_noord")
    for data, veld in (
        ({"antwoord": "nee", "toelichting": ""}, f"vraag-{vraag.id}-toelichting"),
        ({"antwoord": "misschien"}, f"vraag-{vraag.id}-ja"),
    ):
        html = post(lid, f"/opgelost/{vraag.id}", data).get_data(as_text=True)
        [overzicht] = re.findall(r'<ul class="foutoverzicht-lijst">(.*?)</ul>', html, re.S)
        ankers = re.findall(r'href="#([^"]+)"', overzicht)
        assert ankers == [veld]
        assert all(f'id="{anker}"' in html for anker in ankers)
