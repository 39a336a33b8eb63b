"""Regelruimte and Gevonden ruimte through the service and the pages, on SQLite and PostgreSQL.

The dashboard figures per werkmodel, knel and oplosser are worked out by hand from the small
world of conftest.py (k1..k5, a1..a4), as in test_dashboard.py.
"""

from __future__ import annotations

import re
from datetime import datetime
from unittest import mock

import pytest
import sqlalchemy as sa

from facilitatie.extensions import db
from facilitatie.fouten import Geweigerd, Ongeldig
from facilitatie.knelpunten.models import Knelpunt, Thema
from facilitatie.opvolging import ruimte, samenvatting
from facilitatie.opvolging.cijfers import bereken
from facilitatie.opvolging.dashboard import dashboard_van
from facilitatie.opvolging.models import Besluit, GevondenRuimte, Regelruimte
from tests.conftest import login, post
from tests.opvolging.conftest import VANDAAG
from tests.opvolging.test_rechten import ROLLEN

HX = {"HX-Request": "true"}
RUIMTE = "Een Wmo-indicatie kan zonder huisbezoek als de situatie al bekend is; dat mocht altijd al."


def _regelruimte(knelpunt_id: int) -> Regelruimte | None:
    db.session.expire_all()
    return db.session.scalar(sa.select(Regelruimte).where(Regelruimte.knelpunt_id == knelpunt_id))


def _gevonden() -> list[GevondenRuimte]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(GevondenRuimte).order_by(GevondenRuimte.id)))


def _kaart(w, knelpunt_id: int, knel: str, oplosser: str) -> None:
    ruimte.regelruimte_vastleggen(db.session.get(Knelpunt, knelpunt_id), w.beleid, knel=knel, oplosser=oplosser)


# --------------------------------------------------------------------------- recording regelruimte


def test_begeleider_records_regelruimte_on_the_besluiten_page(client, wereld):
    login(client, wereld.begeleider.email)
    k1 = wereld.k["k1"]
    page = client.get(f"/sessies/{wereld.sessie.id}/besluiten").get_data(as_text=True)
    assert "Waar zit de knel?" in page and "Wie kan het oplossen?" in page and "Regelruimte opslaan" in page

    response = post(client, f"/knelpunten/{k1.id}/regelruimte", {"knel": "werkinstructie", "oplosser": "gemeente"})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"#knelpunt-{k1.id}")
    regel = _regelruimte(k1.id)
    assert (regel.knel, regel.oplosser) == ("werkinstructie", "gemeente")
    page = client.get(f"/sessies/{wereld.sessie.id}/besluiten").get_data(as_text=True)
    assert "Werkinstructie of proces" in page and "Regelruimte wijzigen" in page

    # Changed in place over htmx: still one row, the fragment comes back.
    response = post(client, f"/knelpunten/{k1.id}/regelruimte", {"knel": "rijk", "oplosser": "rijk"}, headers=HX)
    assert response.status_code == 200 and 'id="besluiten"' in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Regelruimte)) == 1
    assert _regelruimte(k1.id).knel == "rijk"


@pytest.mark.parametrize("headers", [{}, HX])
@pytest.mark.parametrize(
    ("data", "veld", "bericht"),
    [
        ({"knel": "", "oplosser": "team"}, "knel", "Kies waar de knel zit."),
        ({"knel": "<script>", "oplosser": "team"}, "knel", "Kies waar de knel zit."),
        ({"knel": "rijk", "oplosser": ""}, "oplosser", "Kies wie het kan oplossen."),
        ({"knel": "rijk"}, "oplosser", "Kies wie het kan oplossen."),
        ({}, "knel", "Kies waar de knel zit."),
    ],
)
def test_bad_regelruimte_is_refused_next_to_its_field(client, wereld, data, veld, bericht, headers):
    login(client, wereld.beleid.email)
    k4 = wereld.k["k4"]
    _kaart(wereld, k4.id, "capaciteit", "gemeente")
    response = post(client, f"/knelpunten/{k4.id}/regelruimte", data, headers=headers)
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    fout = re.search(rf'id="regelruimte-knelpunt-{k4.id}-{veld}-fout">([^<]*)<', body)
    assert fout and bericht in fout.group(1)
    regel = _regelruimte(k4.id)
    assert (regel.knel, regel.oplosser) == ("capaciteit", "gemeente")  # nothing altered


def test_one_regelruimte_for_a_thema_is_all_or_nothing(app, client, wereld):
    thema = Thema(sessie_id=wereld.sessie.id, naam="Wachten")
    db.session.add(thema)
    db.session.flush()
    wereld.k["k1"].thema_id = wereld.k["k2"].thema_id = thema.id
    db.session.commit()
    login(client, wereld.begeleider.email)
    response = post(client, f"/themas/{thema.id}/regelruimte", {"knel": "lokaal", "oplosser": ""})
    assert response.status_code == 400 and "Kies wie het kan oplossen." in response.get_data(as_text=True)
    assert _regelruimte(wereld.k["k1"].id) is None and _regelruimte(wereld.k["k2"].id) is None
    response = post(client, f"/themas/{thema.id}/regelruimte", {"knel": "lokaal", "oplosser": "regio"})
    assert response.status_code == 302
    assert {_regelruimte(wereld.k[k].id).oplosser for k in ("k1", "k2")} == {"regio"}
    assert _regelruimte(wereld.k["k3"].id) is None


def test_only_staff_of_the_gemeente_record_regelruimte(app, wereld):
    k1 = wereld.k["k1"]
    for user in (wereld.wethouder, wereld.lid_noord, wereld.beheerder, wereld.beleid_x):
        with pytest.raises(Geweigerd):
            ruimte.regelruimte_vastleggen(k1, user, knel="rijk", oplosser="rijk")
        with pytest.raises(Geweigerd):
            ruimte.ruimte_publiceren(k1, user, omschrijving=RUIMTE)
    assert _regelruimte(k1.id) is None and _gevonden() == []


# --------------------------------------------------------------------------- ruimte die er al was


def test_a_besluit_marked_ruimte_die_er_al_was_is_published_and_can_be_taken_back(client, wereld):
    login(client, wereld.beleid.email)
    k1, k4 = wereld.k["k1"], wereld.k["k4"]
    page = client.get(f"/sessies/{wereld.sessie.id}/besluiten").get_data(as_text=True)
    assert "Ruimte die er al was" in page and "Publiceren in Gevonden ruimte" in page

    # k4 has no besluit yet: nothing to mark.
    response = post(client, f"/knelpunten/{k4.id}/gevonden-ruimte", {"omschrijving": RUIMTE})
    assert response.status_code == 400 and "Neem eerst een besluit" in response.get_data(as_text=True)

    response = post(client, f"/knelpunten/{k1.id}/gevonden-ruimte", {"omschrijving": RUIMTE})
    assert response.status_code == 302
    [gevonden] = _gevonden()
    assert gevonden.omschrijving == RUIMTE and gevonden.gemeente_id == wereld.gemeente.id
    page = client.get(f"/sessies/{wereld.sessie.id}/besluiten").get_data(as_text=True)
    assert "Bijwerken in Gevonden ruimte" in page and "Uit Gevonden ruimte halen" in page

    response = post(client, f"/knelpunten/{k1.id}/gevonden-ruimte/intrekken", {}, headers=HX)
    assert response.status_code == 200 and _gevonden() == []
    response = post(client, f"/knelpunten/{k1.id}/gevonden-ruimte/intrekken", {})
    assert response.status_code == 400 and "staat niet in Gevonden ruimte" in response.get_data(as_text=True)


@pytest.mark.parametrize("headers", [{}, HX])
@pytest.mark.parametrize(
    ("omschrijving", "bericht"),
    [
        ("", "Beschrijf welke ruimte er al was"),
        ("kort", "minstens 10 tekens"),
        ("x" * 1001, "hoogstens 1000 tekens"),
        ("Het mocht al, vraag het na bij BSN 111222333 in het systeem.", "burgerservicenummer"),
    ],
)
def test_bad_ruimte_is_refused_next_to_its_field_and_nothing_is_published(
    client, wereld, omschrijving, bericht, headers
):
    login(client, wereld.begeleider.email)
    k2 = wereld.k["k2"]
    response = post(client, f"/knelpunten/{k2.id}/gevonden-ruimte", {"omschrijving": omschrijving}, headers=headers)
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    fout = re.search(rf'id="ruimte-{k2.id}-omschrijving-fout">([^<]*)<', body)
    assert fout and bericht in fout.group(1), body[:300]
    assert _gevonden() == []


# --------------------------------------------------------------------------- the register


def _publiceer(w, sleutel: str = "k1", tekst: str = RUIMTE) -> GevondenRuimte:
    return ruimte.ruimte_publiceren(w.k[sleutel], w.beleid, omschrijving=tekst)


def test_the_register_is_empty_at_first_and_says_so(client, wereld):
    login(client, wereld.lid_zuid.email)
    page = client.get("/gevonden-ruimte").get_data(as_text=True)
    assert "Er is nog geen gevonden ruimte gedeeld" in page
    assert 'href="/gevonden-ruimte"' in page  # in the menu of a wijkteamlid


def test_a_wijkteamlid_of_another_team_finds_it_by_searching(client, wereld):
    _kaart(wereld, wereld.k["k1"].id, "werkinstructie", "team")
    gevonden = _publiceer(wereld)
    login(client, wereld.lid_zuid.email)  # k1 was raised by Wijkteam Noord
    page = client.get("/gevonden-ruimte").get_data(as_text=True)
    assert "zonder huisbezoek" in page and "Werkinstructie of proces" in page and "Team zelf" in page
    assert "1 keer gevonden ruimte" in page
    for zoek in ("huisbezoek", "HUISBEZOEK wmo", "noord", "Wmo"):
        page = client.get("/gevonden-ruimte", query_string={"zoek": zoek}).get_data(as_text=True)
        assert "zonder huisbezoek" in page and "1 van 1 gevonden" in page, zoek
    for zoek in ("parkeervergunning", "huisbezoek parkeren", "%", "_", "' OR 1=1 --"):
        response = client.get("/gevonden-ruimte", query_string={"zoek": zoek})
        page = response.get_data(as_text=True)
        assert response.status_code == 200 and "zonder huisbezoek" not in page, zoek
        assert "Niets gevonden voor" in page and "toon alle gevonden ruimte" in page, zoek
    page = client.get("/gevonden-ruimte", query_string={"knel": "rijk"}).get_data(as_text=True)
    assert "zonder huisbezoek" not in page and "Niets gevonden" in page
    page = client.get("/gevonden-ruimte", query_string={"knel": "werkinstructie"}).get_data(as_text=True)
    assert "zonder huisbezoek" in page
    page = client.get("/gevonden-ruimte", query_string={"knel": "onzin", "zoek": "x" * 5000}).get_data(as_text=True)
    assert "Niets gevonden" in page
    detail = client.get(f"/gevonden-ruimte/{gevonden.id}")
    assert detail.status_code == 200 and "zonder huisbezoek" in detail.get_data(as_text=True)


def test_the_register_never_shows_the_knelpunt_or_a_name(client, wereld):
    k3 = wereld.k["k3"]  # anonymous
    _publiceer(wereld, "k3", "Jeugdhulp mag al starten voor de indicatie rond is; de verordening staat dat toe.")
    login(client, wereld.lid_zuid.email)
    page = client.get("/gevonden-ruimte").get_data(as_text=True)
    assert "Jeugdhulp mag al starten" in page
    assert k3.tekst not in page and wereld.beleid.naam not in page and wereld.lid_noord.naam not in page


def test_each_gemeente_sees_only_its_own_register(app, client, wereld):
    eigen = _publiceer(wereld)
    db.session.add(Besluit(knelpunt_id=wereld.kx.id, soort="al_opgelost", besloten_op=datetime(2026, 1, 20)))
    db.session.commit()
    ander = ruimte.ruimte_publiceren(wereld.kx, wereld.beleid_x, omschrijving="Anderstad: de ruimte zat in de regels.")
    login(client, wereld.lid_x.email)
    page = client.get("/gevonden-ruimte").get_data(as_text=True)
    assert "Anderstad: de ruimte" in page and "zonder huisbezoek" not in page
    assert client.get(f"/gevonden-ruimte/{eigen.id}").status_code == 404
    assert client.get(f"/gevonden-ruimte?gemeente={wereld.gemeente.id}").status_code == 403
    assert client.get(f"/gevonden-ruimte/{ander.id}").status_code == 200
    assert client.get("/gevonden-ruimte/999999999999").status_code == 404

    noord = app.test_client()
    login(noord, wereld.lid_noord.email)
    page = noord.get("/gevonden-ruimte", query_string={"zoek": "Anderstad"}).get_data(as_text=True)
    assert "Anderstad: de ruimte" not in page and "Niets gevonden" in page
    assert noord.get(f"/gevonden-ruimte/{ander.id}").status_code == 404

    beheer = app.test_client()
    login(beheer, wereld.beheerder.email)
    assert "Anderstad: de ruimte" in beheer.get(f"/gevonden-ruimte?gemeente={wereld.andere.id}").get_data(as_text=True)
    assert beheer.get(f"/gevonden-ruimte/{eigen.id}").status_code == 200
    assert app.test_client().get("/gevonden-ruimte").status_code == 302  # signed in only


# --------------------------------------------------------------------------- dashboard and verslag


def _regelruimte_in_wereld(w) -> None:
    w.noord.werkmodel = "netwerkmodel"
    w.zuid.werkmodel = "teammodel"
    db.session.commit()
    _kaart(w, w.k["k1"].id, "werkinstructie", "gemeente")
    _kaart(w, w.k["k2"].id, "rijk", "rijk")
    _kaart(w, w.k["k3"].id, "samenwerking", "regio")
    _kaart(w, w.k["k4"].id, "werkinstructie", "team")


def _telling(t) -> tuple:
    return (t.knelpunten, t.opgepakt, t.niet_opgepakt, t.doorverwezen, t.al_opgelost, t.zonder, t.mediaan_besluit)


def test_dashboard_per_werkmodel_knel_and_oplosser_equals_hand_computed_numbers(app, wereld):
    _regelruimte_in_wereld(wereld)
    d = dashboard_van(wereld.gemeente.id, None, None, VANDAAG)
    # Noord (netwerkmodel): k1 opgepakt (2 days), k3 doorverwezen (4 days), k4 zonder → median 3.
    assert _telling(d.per_werkmodel["netwerkmodel"]) == (3, 1, 0, 1, 0, 1, 3.0)
    assert _telling(d.per_werkmodel["teammodel"]) == (1, 0, 1, 0, 0, 0, 10.0)  # Zuid: k2
    assert _telling(d.per_werkmodel[None]) == (1, 0, 0, 0, 1, 0, 1.0)  # k5 has no team
    assert list(d.per_werkmodel) == ["teammodel", "netwerkmodel", None]
    # a1 afgerond (10 days), a2 open and te laat (both k1), a4 vervallen (k3); a3 has no knelpunt.
    a = d.acties_per_werkmodel["netwerkmodel"]
    assert (a.totaal, a.open, a.afgerond, a.vervallen, a.te_laat, a.mediaan_afgerond) == (3, 1, 1, 1, 1, 10.0)
    assert "teammodel" not in d.acties_per_werkmodel

    assert list(d.per_knel) == ["rijk", "werkinstructie", "samenwerking", None]
    assert _telling(d.per_knel["werkinstructie"]) == (2, 1, 0, 0, 0, 1, 2.0)  # k1, k4
    assert _telling(d.per_knel["rijk"]) == (1, 0, 1, 0, 0, 0, 10.0)
    assert _telling(d.per_knel["samenwerking"]) == (1, 0, 0, 1, 0, 0, 4.0)
    assert _telling(d.per_knel[None]) == (1, 0, 0, 0, 1, 0, 1.0)
    assert d.acties_per_knel["werkinstructie"].totaal == 2 and d.acties_per_knel["samenwerking"].vervallen == 1
    assert {o: t.knelpunten for o, t in d.per_oplosser.items()} == {
        "team": 1,
        "gemeente": 1,
        "regio": 1,
        "rijk": 1,
        None: 1,
    }
    assert list(d.per_oplosser) == ["team", "gemeente", "regio", "rijk", None]
    api = d.als_dict()
    assert {r["werkmodel"]: r["knelpunten"] for r in api["per_werkmodel"]} == {
        "teammodel": 1,
        "netwerkmodel": 3,
        None: 1,
    }
    assert api["per_knel"][0] == {**api["per_knel"][0], "knel": "rijk", "naam": "Wet- en regelgeving van het Rijk"}


def test_the_summary_follows_werkmodel_and_regelruimte_changes(app, wereld):
    """Triggers queue a team whose werkmodel changes and a changed regelruimte; the fold stays exact."""
    _regelruimte_in_wereld(wereld)
    assert samenvatting.bij()

    def gelijk() -> None:
        assert samenvatting.bij()
        snel = samenvatting.lees(wereld.gemeente.id, None, None, VANDAAG)
        db.session.rollback()
        traag = bereken(wereld.gemeente.id, None, None, VANDAAG)
        db.session.rollback()
        groepen = [g for g in snel.per if g != "maand"]  # the month keys differ in type per database
        assert {g: snel.per[g] for g in groepen} == {g: traag.per[g] for g in groepen}
        assert snel.acties_per == traag.acties_per

    gelijk()
    db.session.execute(sa.text("UPDATE team SET werkmodel = 'front_backoffice' WHERE id = :t"), {"t": wereld.zuid.id})
    db.session.commit()
    gelijk()
    assert dashboard_van(wereld.gemeente.id, None, None, VANDAAG).per_werkmodel["front_backoffice"].knelpunten == 1
    db.session.execute(
        sa.text("UPDATE regelruimte SET knel = 'capaciteit' WHERE knelpunt_id = :k"), {"k": wereld.k["k4"].id}
    )
    db.session.execute(sa.delete(Regelruimte).where(Regelruimte.knelpunt_id == wereld.k["k2"].id))
    db.session.commit()
    gelijk()
    d = dashboard_van(wereld.gemeente.id, None, None, VANDAAG)
    assert d.per_knel["capaciteit"].zonder == 1 and "rijk" not in d.per_knel and d.per_knel[None].knelpunten == 2


def test_dashboard_numbers_link_to_the_list_they_count(client, wereld):
    _regelruimte_in_wereld(wereld)
    login(client, wereld.wethouder.email)
    with mock.patch("facilitatie.opvolging.fragmenten.vandaag", return_value=VANDAAG):
        page = client.get("/dashboard").get_data(as_text=True)
        assert "Per werkmodel" in page and "Netwerkmodel" in page and "Waar zit de knel?" in page
        gemeente = str(wereld.gemeente.id)
        for args, verwacht in [
            ({"weergave": "knelpunten", "werkmodel": "netwerkmodel"}, "3 knelpunten gevonden"),
            ({"weergave": "knelpunten", "knel": "werkinstructie"}, "2 knelpunten gevonden"),
            ({"weergave": "knelpunten", "oplosser": "regio", "besluit": "doorverwezen"}, "1 knelpunten gevonden"),
            ({"werkmodel": "netwerkmodel", "status": "open"}, "1 acties gevonden"),
            ({"knel": "samenwerking", "status": "vervallen"}, "1 acties gevonden"),
        ]:
            lijst = client.get("/opvolging", query_string={**args, "gemeente": gemeente}).get_data(as_text=True)
            assert verwacht in lijst, args
        lijst = client.get("/opvolging", query_string={"weergave": "knelpunten", "knel": "onzin"})
        assert lijst.status_code == 200 and "5 knelpunten gevonden" in lijst.get_data(as_text=True)


def test_verslag_splits_by_knel_and_oplosser(client, wereld):
    _regelruimte_in_wereld(wereld)
    _publiceer(wereld)
    login(client, wereld.begeleider.email)
    base = f"/sessies/{wereld.sessie.id}"
    page = client.get(f"{base}/verslag").get_data(as_text=True)
    assert "Bij 4 van de 5 knelpunten is vastgelegd" in page and "Ruimte die er al was" in page
    tabel = page.split('id="regelruimte-kop"')[1].split("</table>")[0]
    assert "Werkinstructie of proces" in tabel and "Nog niet bepaald" in tabel and "Aanbieder" not in tabel
    markdown = client.get(f"{base}/verslag.md").get_data(as_text=True)
    assert "## Regelruimte" in markdown and "| Werkinstructie of proces | 1 | 1 | 0 | 0 | 0 | 2 |" in markdown
    assert "   - Waar zit de knel? Werkinstructie of proces; wie kan het oplossen? Gemeente" in markdown
    csv = client.get(f"{base}/verslag-regelruimte.csv").get_data(as_text=True)
    regels = csv.lstrip("\ufeff").splitlines()
    assert regels[0] == "Waar zit de knel?;Wie kan het oplossen?;Knelpunten"
    assert "Werkinstructie of proces;Team zelf;1" in regels and "Nog niet bepaald;Nog niet bepaald;1" in regels
    alles = client.get(f"{base}/verslag.csv").get_data(as_text=True).lstrip("\ufeff").splitlines()
    kop = alles[0].split(";")
    assert kop[-1] == "Thema" and kop.index("Waar zit de knel?") + 1 == kop.index("Wie kan het oplossen?")
    k1 = next(r for r in alles if r.startswith("Wmo-indicatie duurt te lang;"))
    assert ";Werkinstructie of proces;Gemeente;" in k1


def test_verslag_without_regelruimte_says_so(client, wereld):
    login(client, wereld.begeleider.email)
    page = client.get(f"/sessies/{wereld.sessie.id}/verslag").get_data(as_text=True)
    assert "Bij geen enkel knelpunt is vastgelegd waar de knel zit." in page
    csv = client.get(f"/sessies/{wereld.sessie.id}/verslag-regelruimte.csv").get_data(as_text=True)
    assert csv.lstrip("\ufeff").splitlines() == [
        "Waar zit de knel?;Wie kan het oplossen?;Knelpunten",
        "Nog niet bepaald;Nog niet bepaald;5",
    ]


def test_a_refused_command_changes_nothing(app, wereld):
    k1 = wereld.k["k1"]
    with pytest.raises(Ongeldig):
        ruimte.regelruimte_vastleggen(k1, wereld.beleid, knel="rijk", oplosser="koning")
    with pytest.raises(Ongeldig):
        ruimte.ruimte_intrekken(k1, wereld.beleid)
    assert _regelruimte(k1.id) is None and _gevonden() == []


@pytest.mark.parametrize("rol", ROLLEN)
def test_gevonden_ruimte_permission_matrix_with_direct_ids(app, client, wereld, rol):
    """Visible to every signed-in role of its gemeente (wijkteamleden of another team too), 404 elsewhere."""
    eigen = _publiceer(wereld)
    db.session.add(Besluit(knelpunt_id=wereld.kx.id, soort="al_opgelost", besloten_op=datetime(2026, 1, 20)))
    db.session.commit()
    ander = ruimte.ruimte_publiceren(wereld.kx, wereld.beleid_x, omschrijving="Anderstad: de ruimte zat in de regels.")
    user = getattr(wereld, rol, None)
    if user is not None:
        login(client, user.email)
    vechtstede = {"begeleider", "beleid", "wethouder", "lid_noord", "lid_zuid", "beheerder"}
    anderstad = {"begeleider_x", "beleid_x", "wethouder_x", "lid_x", "beheerder"}
    for vermelding, mogen, tekst in ((eigen, vechtstede, "zonder huisbezoek"), (ander, anderstad, "Anderstad: de")):
        response = client.get(f"/gevonden-ruimte/{vermelding.id}")
        verwacht = 302 if rol == "anoniem" else (200 if rol in mogen else 404)
        assert response.status_code == verwacht, (rol, vermelding.id)
        assert (tekst in response.get_data(as_text=True)) == (verwacht == 200), rol
    if rol != "anoniem" and rol != "beheerder":
        page = client.get("/gevonden-ruimte").get_data(as_text=True)
        assert ("zonder huisbezoek" in page) == (rol in vechtstede), rol
        assert ("Anderstad: de" in page) == (rol in anderstad), rol


def test_demo_has_regelruimte_and_gevonden_ruimte(runner, app):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Regelruimte)) == 8
    gevonden = _gevonden()
    assert len(gevonden) == 2
    client = app.test_client()
    login(client, "wijkteam@ontmoet.demo", "ontmoet-demo-2026")
    page = client.get("/gevonden-ruimte", query_string={"zoek": "voorschot"}).get_data(as_text=True)
    assert "1 van 2 gevonden" in page and "Interpretatie" in page
    wethouder = app.test_client()
    login(wethouder, "wethouder@ontmoet.demo", "ontmoet-demo-2026")
    dashboard = wethouder.get("/dashboard").get_data(as_text=True)
    assert "Front-/backofficemodel" in dashboard and "Lokale regel of verordening" in dashboard
