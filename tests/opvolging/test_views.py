"""Besluiten, acties and their history, verslag, terugkoppeling and tokens through the pages."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError

from facilitatie.extensions import db
from facilitatie.opvolging.models import Actie, ActieHistorie, ApiToken, Besluit, EerderGemeld
from tests.conftest import login, post


def test_begeleider_records_besluiten_and_an_actie(client, wereld):
    login(client, wereld.begeleider.email)
    k4 = wereld.k["k4"]
    page = client.get(f"/sessies/{wereld.sessie.id}/besluiten").get_data(as_text=True)
    assert "Besluit vastleggen" in page and "Actie toevoegen" in page and k4.tekst in page

    response = post(client, f"/knelpunten/{k4.id}/besluit", {"soort": "niet_opgepakt", "reden": "  "})
    assert response.status_code == 400 and "Geef een reden" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(Besluit).where(Besluit.knelpunt_id == k4.id)) is None

    response = post(
        client, f"/knelpunten/{k4.id}/besluit", {"soort": "niet_opgepakt", "reden": "Geen budget dit jaar."}
    )
    assert response.status_code == 302
    besluit = db.session.scalar(sa.select(Besluit).where(Besluit.knelpunt_id == k4.id))
    assert besluit.soort == "niet_opgepakt" and besluit.besloten_door_id == wereld.begeleider.id

    response = post(client, f"/knelpunten/{k4.id}/besluit", {"soort": "doorverwezen"}, headers={"HX-Request": "true"})
    assert response.status_code == 400 and "doorverwezen" in response.get_data(as_text=True).lower()

    response = post(
        client,
        f"/sessies/{wereld.sessie.id}/acties",
        {
            "omschrijving": "Budgetaanvraag voorbereiden",
            "eigenaar": str(wereld.beleid.id),
            "streefdatum": "2026-12-31",
            "knelpunten": [str(k4.id)],
        },
    )
    assert response.status_code == 302
    actie = db.session.scalar(sa.select(Actie).where(Actie.omschrijving == "Budgetaanvraag voorbereiden"))
    assert actie.eigenaar_id == wereld.beleid.id and [k.id for k in actie.knelpunten] == [k4.id]
    assert [h.veld for h in actie.historie] == ["aangemaakt"]


@pytest.mark.parametrize(
    ("data", "bericht"),
    [
        ({"omschrijving": "", "eigenaar": "E", "streefdatum": "2026-12-31"}, "Beschrijf de actie"),
        ({"omschrijving": "X", "eigenaar": "", "streefdatum": "2026-12-31"}, "Kies een eigenaar"),
        ({"omschrijving": "X", "eigenaar": "E", "streefdatum": "morgen"}, "streefdatum"),
        ({"omschrijving": "X", "eigenaar": "E", "streefdatum": "2026-12-31", "knelpunten": ["abc"]}, "Koppel alleen"),
        ({"omschrijving": "X", "eigenaar": "X", "streefdatum": "2026-12-31"}, "Kies een eigenaar"),
        ({"omschrijving": "BSN 111222333", "eigenaar": "E", "streefdatum": "2026-12-31"}, "burgerservicenummer"),
    ],
)
def test_bad_actie_input_is_refused_in_dutch(client, wereld, data, bericht):
    login(client, wereld.beleid.email)
    data = {**data}
    data["eigenaar"] = {"E": str(wereld.beleid.id), "X": str(wereld.beleid_x.id), "": ""}[data["eigenaar"]]
    if data.get("knelpunten") == ["abc"]:
        data["knelpunten"] = [str(wereld.kx.id)]  # another gemeente's knelpunt
    voor = db.session.scalar(sa.select(sa.func.count()).select_from(Actie))
    response = post(client, f"/sessies/{wereld.sessie.id}/acties", data)
    assert response.status_code == 400 and bericht in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Actie)) == voor


def test_besluit_for_a_thema_applies_to_its_knelpunten(client, wereld):
    from facilitatie.knelpunten.models import Thema

    thema = Thema(sessie_id=wereld.sessie.id, naam="Jeugdhulp")
    db.session.add(thema)
    db.session.flush()
    wereld.k["k3"].thema_id = thema.id
    wereld.k["k4"].thema_id = thema.id
    db.session.commit()
    login(client, wereld.beleid.email)
    response = post(client, f"/themas/{thema.id}/besluit", {"soort": "opgepakt"})
    assert response.status_code == 302
    soorten = {b.knelpunt_id: b.soort for b in db.session.scalars(sa.select(Besluit))}
    assert soorten[wereld.k["k3"].id] == soorten[wereld.k["k4"].id] == "opgepakt"


def test_status_moves_only_along_the_table_and_history_records_it(client, wereld):
    a2 = wereld.a["a2"]
    login(client, wereld.beleid.email)
    response = post(client, f"/acties/{a2.id}/status", {"status": "in_uitvoering", "reden": "Eerste versie staat."})
    assert response.status_code == 302
    db.session.refresh(a2)
    assert a2.status == "in_uitvoering"
    [_aangemaakt, wijziging] = a2.historie
    assert (wijziging.veld, wijziging.van, wijziging.naar, wijziging.reden, wijziging.door_id) == (
        "status",
        "open",
        "in_uitvoering",
        "Eerste versie staat.",
        wereld.beleid.id,
    )
    response = post(client, f"/acties/{a2.id}/status", {"status": "vervallen"})
    assert response.status_code == 400 and "Geef een reden" in response.get_data(as_text=True)
    response = post(client, f"/acties/{a2.id}/status", {"status": "bestaat-niet"})
    assert response.status_code == 400 and "Onbekende status" in response.get_data(as_text=True)
    post(client, f"/acties/{a2.id}/status", {"status": "afgerond"})
    response = post(
        client, f"/acties/{a2.id}/status", {"status": "vervallen", "reden": "x"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 400 and "Heropen haar eerst" in response.get_data(as_text=True)
    db.session.refresh(a2)
    assert a2.status == "afgerond" and a2.afgerond_op is not None and len(a2.historie) == 3
    page = client.get(f"/acties/{a2.id}").get_data(as_text=True)
    assert "Eerste versie staat." in page and "Historie" in page


def test_changing_eigenaar_and_streefdatum_is_logged(client, wereld):
    a3 = wereld.a["a3"]
    login(client, wereld.begeleider.email)
    response = post(
        client,
        f"/acties/{a3.id}/wijzigen",
        {"eigenaar": str(wereld.begeleider.id), "streefdatum": "2099-06-01", "toelichting": "", "reden": "Ziekte"},
    )
    assert response.status_code == 302
    velden = [
        (h.veld, h.reden) for h in db.session.scalars(sa.select(ActieHistorie).where(ActieHistorie.actie_id == a3.id))
    ]
    assert ("eigenaar", "Ziekte") in velden and ("streefdatum", "Ziekte") in velden


def test_history_is_append_only_in_the_database(app, wereld):
    historie_id = wereld.a["a1"].historie[0].id
    with pytest.raises(DBAPIError):
        db.session.execute(
            sa.text("UPDATE actie_historie SET reden = 'herschreven' WHERE id = :id"), {"id": historie_id}
        )
        db.session.commit()
    db.session.rollback()
    with pytest.raises(DBAPIError):
        db.session.execute(sa.text("DELETE FROM actie_historie WHERE id = :id"), {"id": historie_id})
        db.session.commit()
    db.session.rollback()
    rij = db.session.get(ActieHistorie, historie_id)
    with pytest.raises(DBAPIError):
        rij.reden = "via de ORM"
        db.session.commit()
    db.session.rollback()
    assert db.session.get(ActieHistorie, historie_id).reden is None
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ActieHistorie)) == 5


def test_opvolging_filters_sort_and_paginate_by_url(client, wereld):
    login(client, wereld.begeleider.email)
    page = client.get("/opvolging").get_data(as_text=True)
    assert "4 acties gevonden" in page and "Actie in Anderstad" not in page
    page = client.get(f"/opvolging?eigenaar={wereld.lid_noord.id}").get_data(as_text=True)
    assert "1 acties gevonden" in page and "Werkinstructie Wmo herschrijven" in page
    page = client.get("/opvolging?weergave=knelpunten&besluit=niet_opgepakt").get_data(as_text=True)
    assert "1 knelpunten gevonden" in page and "Landelijke regel" in page
    page = client.get("/opvolging?sort=-streefdatum").get_data(as_text=True)
    assert page.index("Overleg met de zorgverzekeraar") < page.index("Werkinstructie Wmo herschrijven")
    page = client.get("/opvolging?pagina=999&sort=onzin&van=gisteren&status=x&team=abc").get_data(as_text=True)
    assert "4 acties gevonden" in page
    for i in range(30):
        db.session.add(Actie(gemeente_id=wereld.gemeente.id, omschrijving=f"Extra {i}", eigenaar_id=wereld.beleid.id))
    db.session.commit()
    page = client.get("/opvolging").get_data(as_text=True)
    assert "Pagina 1 van 2" in page and "pagina=2" in page
    assert "Pagina 2 van 2" in client.get("/opvolging?pagina=2").get_data(as_text=True)


def test_wijkteamlid_sees_own_team_only(client, wereld):
    login(client, wereld.lid_zuid.email)
    page = client.get("/opvolging?weergave=knelpunten").get_data(as_text=True)
    assert "1 knelpunten gevonden" in page and "Te veel formulieren" in page
    assert "0 acties gevonden" in client.get("/opvolging").get_data(as_text=True)


def test_terugkoppeling_shows_reason_and_anonymous_knelpunten_via_team(client, app, wereld):
    login(client, wereld.lid_noord.email)
    page = client.get(f"/teams/{wereld.noord.id}/terugkoppeling").get_data(as_text=True)
    assert "Wachtlijst jeugdhulp" in page  # anoniem, included through its team
    assert "Regionaal jeugdteam" in page and "Zonder besluit" in page and "Te laat" in page
    assert "Te veel formulieren" not in page  # Zuid's
    zuid = app.test_client()
    login(zuid, wereld.lid_zuid.email)
    page = zuid.get(f"/teams/{wereld.zuid.id}/terugkoppeling").get_data(as_text=True)
    assert "Landelijke regel, daar gaan wij niet over." in page


def test_verslag_page_markdown_and_csv_for_dutch_excel(client, wereld):
    from facilitatie.sessies.models import Deelnemer

    deelnemer = Deelnemer(sessie_id=wereld.sessie.id, naam="Geheime Auteur", perspectief="uitvoering")
    db.session.add(deelnemer)
    db.session.flush()
    wereld.k["k1"].deelnemer_id = deelnemer.id
    db.session.commit()
    login(client, wereld.beleid.email)
    page = client.get(f"/sessies/{wereld.sessie.id}/verslag").get_data(as_text=True)
    assert "Verslag: Ontmoeting januari" in page and "verslag.csv" in page and "terugkoppeling" in page
    markdown = client.get(f"/sessies/{wereld.sessie.id}/verslag.md")
    assert markdown.mimetype == "text/markdown" and "attachment" in markdown.headers["Content-Disposition"]
    tekst = markdown.get_data(as_text=True)
    assert "# Verslag: Ontmoeting januari" in tekst and "Niet opgepakt" in tekst
    csv = client.get(f"/sessies/{wereld.sessie.id}/verslag.csv")
    data = csv.data
    assert data.startswith(b"\xef\xbb\xbf") and csv.mimetype == "text/csv"
    regels = data.decode("utf-8-sig").splitlines()
    assert regels[0].split(";")[:5] == ["Knelpunt", "Domein", "Wijkteam", "Gemeld op", "Besluit"]
    assert any("Wachtlijst jeugdhulp" in r and "Doorverwezen" in r for r in regels)
    for inhoud in (page, tekst, data.decode("utf-8-sig")):
        assert "Geheime Auteur" not in inhoud


def test_csv_cells_cannot_become_formulas(client, wereld):
    wereld.k["k5"].tekst = '=HYPERLINK("http://x")'
    db.session.commit()
    login(client, wereld.beleid.email)
    data = client.get(f"/sessies/{wereld.sessie.id}/verslag.csv").data.decode("utf-8-sig")
    assert "'=HYPERLINK" in data


def test_deelnemer_reaches_sessie_terugkoppeling_through_verslag(client, app, wereld):
    from facilitatie.sessies.models import Deelnemer

    deelnemer = Deelnemer(sessie_id=wereld.sessie.id, naam=None, perspectief="uitvoering")
    db.session.add(deelnemer)
    db.session.commit()
    with client.session_transaction() as sessie:
        sessie["deelnemer"] = {str(wereld.sessie.id): deelnemer.id}
    assert client.get(f"/sessies/{wereld.sessie.id}/verslag").status_code == 200
    page = client.get(f"/sessies/{wereld.sessie.id}/terugkoppeling").get_data(as_text=True)
    assert "Landelijke regel" in page and "Anderstad" not in page
    assert client.get(f"/sessies/{wereld.sessie_x.id}/terugkoppeling").status_code == 403
    assert app.test_client().get(f"/sessies/{wereld.sessie.id}/verslag").status_code == 403


def test_eerder_gemeld_suggestions_and_link(client, factory, wereld):
    from datetime import datetime

    from facilitatie.knelpunten.models import Knelpunt

    nieuw_sessie = factory.sessie(wereld.begeleider, titel="Ontmoeting maart")
    nieuw = Knelpunt(sessie_id=nieuw_sessie.id, domein="Wmo", tekst="De Wmo-indicatie duurt nog steeds te lang")
    db.session.add(nieuw)
    db.session.commit()
    nieuw_sessie.gestart_op = datetime(2099, 1, 1)
    db.session.commit()
    login(client, wereld.begeleider.email)
    page = client.get(f"/sessies/{nieuw_sessie.id}/besluiten").get_data(as_text=True)
    assert "Eerder gemeld" in page and "Wmo-indicatie duurt te lang" in page
    assert "Anderstad: Wmo duurt te lang" not in page  # another gemeente is never suggested
    response = post(client, f"/knelpunten/{nieuw.id}/eerder-gemeld", {"eerder": str(wereld.k["k1"].id), "score": "0.8"})
    assert response.status_code == 302
    koppeling = db.session.scalar(sa.select(EerderGemeld))
    assert (koppeling.knelpunt_id, koppeling.eerder_id) == (nieuw.id, wereld.k["k1"].id)
    response = post(client, f"/knelpunten/{nieuw.id}/eerder-gemeld", {"eerder": str(wereld.kx.id)})
    assert response.status_code == 400


def test_reeks_panel_shows_open_and_late_acties_of_earlier_sessies(client, factory, wereld):
    login(client, wereld.begeleider.email)
    assert post(client, f"/sessies/{wereld.sessie.id}/reeks", {"naam": "Leerkring Wmo"}).status_code == 302
    volgende = factory.sessie(wereld.begeleider, titel="Leerkring maart", vorm="leerkring")
    from facilitatie.opvolging.models import Reeks

    reeks = db.session.scalar(sa.select(Reeks))
    assert post(client, f"/sessies/{volgende.id}/reeks", {"reeks": str(reeks.id)}).status_code == 302
    paneel = client.get(f"/sessies/{volgende.id}/paneel").get_data(as_text=True)
    assert "Terugblik" in paneel and "Werkinstructie Wmo herschrijven" in paneel and "Te laat" in paneel
    assert "Doorlooptijd Wmo-indicaties meten" not in paneel  # afgerond


def test_api_token_is_shown_once_stored_hashed_and_revocable(client, app, wereld):
    login(client, wereld.beleid.email)
    page = post(client, "/account/tokens", {"naam": "Rapportage"}).get_data(as_text=True)
    token = page.split('id="nieuw-token" type="text" readonly value="')[1].split('"')[0]
    rij = db.session.scalar(sa.select(ApiToken))
    assert token not in rij.token_hash and len(rij.token_hash) == 64
    assert token not in client.get("/account/tokens").get_data(as_text=True)
    api = app.test_client()
    kop = {"Authorization": f"Bearer {token}"}
    assert api.get("/api/v1/acties", headers=kop).status_code == 200
    assert post(client, f"/account/tokens/{rij.id}/intrekken").status_code == 302
    assert api.get("/api/v1/acties", headers=kop).status_code == 401
    assert post(client, "/account/tokens", {"naam": ""}).status_code == 400


def test_actie_can_follow_up_a_verwachting_of_the_same_gemeente(client, wereld):
    from facilitatie.verwachtingen.models import Verwachting

    eigen = Verwachting(sessie_id=wereld.sessie.id, gemeente_id=wereld.gemeente.id, tekst="Elk gezin één plan")
    ander = Verwachting(sessie_id=wereld.sessie_x.id, gemeente_id=wereld.andere.id, tekst="Anderstad-plan")
    db.session.add_all([eigen, ander])
    db.session.commit()
    login(client, wereld.beleid.email)
    assert "Elk gezin één plan" in client.get(f"/sessies/{wereld.sessie.id}/besluiten").get_data(as_text=True)
    basis = {"omschrijving": "Plan haalbaar maken", "eigenaar": str(wereld.beleid.id), "streefdatum": "2026-12-31"}
    response = post(client, f"/sessies/{wereld.sessie.id}/acties", {**basis, "verwachting": str(ander.id)})
    assert response.status_code == 400 and "Kies een verwachting van deze gemeente" in response.get_data(as_text=True)
    assert (
        post(client, f"/sessies/{wereld.sessie.id}/acties", {**basis, "verwachting": str(eigen.id)}).status_code == 302
    )
    actie = db.session.scalar(sa.select(Actie).where(Actie.omschrijving == "Plan haalbaar maken"))
    assert actie.verwachting_id == eigen.id
    assert "Elk gezin één plan" in client.get(f"/acties/{actie.id}").get_data(as_text=True)


def test_begeleider_panels_in_knelpunten_and_besluiten_fasen(client, factory, wereld):
    from facilitatie.knelpunten.models import Knelpunt
    from facilitatie.sessies import service as sessies_service
    from facilitatie.sessies.models import Sessie

    sessie = factory.sessie(wereld.begeleider, titel="Live ontmoeting")
    db.session.add(Knelpunt(sessie_id=sessie.id, domein="Wmo", tekst="De Wmo-indicatie duurt echt te lang"))
    db.session.commit()
    login(client, wereld.begeleider.email)
    soorten = [f.soort for f in sessies_service.vorm_van(sessie).fasen]
    for soort, verwacht in [("knelpunten", "Eerder gemeld?"), ("besluiten", "Besluit vastleggen")]:
        db.session.get(Sessie, sessie.id).fase_index = soorten.index(soort)
        db.session.commit()
        paneel = client.get(f"/sessies/{sessie.id}/paneel").get_data(as_text=True)
        assert verwacht in paneel, soort
    response = post(
        client,
        f"/knelpunten/{db.session.scalar(sa.select(Knelpunt.id).where(Knelpunt.sessie_id == sessie.id))}/besluit",
        {"soort": "opgepakt"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200 and 'id="besluiten"' in response.get_data(as_text=True)
