"""The uitslag after closing a ronde: hand-computed medians, and small-group protection in
every view, export and the verslag. Integration tests on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import re

import pytest
from flask import render_template

from facilitatie.extensions import db
from facilitatie.sessies.models import SessieEvent
from facilitatie.verwachtingen import export, lezen
from tests.conftest import login, post
from tests.verwachtingen.test_views import beoordeel, deelnemers, ids, ronde, voeg_toe


@pytest.fixture
def gemeente(factory):
    return factory.gemeente("Vechtstede")


@pytest.fixture
def begeleider(factory, gemeente):
    return factory.user("begeleider", gemeente=gemeente)


@pytest.fixture
def sessie(factory, begeleider):
    return factory.sessie(begeleider)


@pytest.fixture
def leider(app, begeleider):
    client = app.test_client()
    login(client, begeleider.email)
    return client


def rows(csv_text: str) -> list[dict[str, str]]:
    assert csv_text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(csv_text[1:]), delimiter=";"))


def tabelrij(html: str, ronde_nr: int, groep: str) -> str | None:
    match = re.search(
        rf'<tr class="utrecht-table__row" data-ronde="{ronde_nr}" data-groep="{groep}">(.*?)</tr>', html, re.S
    )
    return match.group(1) if match else None


def medianen(rij: str) -> tuple[str, str]:
    w = re.search(r'data-cel="wenselijk-mediaan">([^<]*)<', rij).group(1)
    h = re.search(r'data-cel="haalbaar-mediaan">([^<]*)<', rij).group(1)
    return w, h


def test_two_beleid_raters_only_combined_figures_everywhere(app, leider, begeleider, sessie):
    voeg_toe(leider, sessie, "Elk gezin heeft binnen twee weken één plan")
    [a] = ids(sessie)
    b1, b2, u1, u2, u3 = deelnemers(app, sessie, ["beleid", "beleid", "uitvoering", "uitvoering", "uitvoering"])
    ronde(leider, sessie, 1, "openen")
    for client, (w, h) in zip(
        [b1, b2, u1, u2, u3], [("5", "2"), ("4", "3"), ("3", "2"), ("2", "1"), ("4", "2")], strict=True
    ):
        assert beoordeel(client, sessie, 1, {a: (w, h)}).status_code == 302
    # While open: no figures anywhere, and the exports hold no rating rows.
    assert "Uitkomst: wenselijk" not in leider.get(f"/sessies/{sessie.id}/verwachtingen").get_data(as_text=True)
    assert rows(leider.get(f"/sessies/{sessie.id}/verwachtingen/beoordelingen.csv").get_data(as_text=True)) == []
    assert rows(leider.get(f"/sessies/{sessie.id}/verwachtingen/figuren.csv").get_data(as_text=True)) == []
    ronde(leider, sessie, 1, "sluiten")

    # Alle: wenselijk 2,3,4,4,5 -> 4; haalbaar 1,2,2,2,3 -> 2. Beleid has 2 raters: suppressed,
    # and uitvoering with it (else beleid could be derived from alle).
    page = leider.get(f"/sessies/{sessie.id}/verwachtingen").get_data(as_text=True)
    deelnemer_page = u1.get(f"/s/{sessie.deelnamecode}/verwachtingen/1").get_data(as_text=True)
    for html in (page, deelnemer_page):
        assert medianen(tabelrij(html, 1, "alle")) == ("4", "2")
        assert tabelrij(html, 1, "beleid") is None and tabelrij(html, 1, "uitvoering") is None
        assert "minder dan 3 beoordelaars" in html
        assert 'class="punt alle ronde-1"' in html and "punt beleid" not in html and "punt uitvoering" not in html
    # The broadcast on close carries the same uitslag, once per audience.
    event = db.session.query(SessieEvent).filter_by(type="verwachtingen.ronde_gesloten").one()
    for audience in ("deelnemers", "begeleider"):
        html = "".join(f["html"] for f in event.payload["fragmenten"][audience])
        assert medianen(tabelrij(html, 1, "alle")) == ("4", "2") and tabelrij(html, 1, "beleid") is None
    # Exports: no perspective named for any row of the ronde; figures only for alle.
    beoordelingen = rows(leider.get(f"/sessies/{sessie.id}/verwachtingen/beoordelingen.csv").get_data(as_text=True))
    assert len(beoordelingen) == 10 and {r["perspectief"] for r in beoordelingen} == {"onderdrukt"}
    assert sorted(r["waarde"] for r in beoordelingen if r["schaal"] == "wenselijk") == ["2", "3", "4", "4", "5"]
    figuren = rows(leider.get(f"/sessies/{sessie.id}/verwachtingen/figuren.csv").get_data(as_text=True))
    alle = {r["schaal"]: r for r in figuren if r["groep"] == "alle"}
    assert alle["wenselijk"]["mediaan"] == "4" and alle["haalbaar"]["mediaan"] == "2"
    assert alle["wenselijk"]["gemiddelde"] == "3,6"  # 18 / 5, decimal comma for Dutch Excel
    for groep in ("beleid", "uitvoering"):
        [rij] = [r for r in figuren if r["groep"] == groep]
        assert rij["mediaan"] == "" and rij["opmerking"].startswith("onderdrukt")
    # The verslag part.
    onderdeel = export.verslag_onderdeel(sessie)
    [v] = onderdeel["verwachtingen"]
    assert [r.groep for r in v["rijen"]] == ["alle"]
    with app.test_request_context():
        html = render_template("verwachtingen/_verslag.html", verwachtingen_verslag=onderdeel)
    assert medianen(tabelrij(html, 1, "alle")) == ("4", "2") and tabelrij(html, 1, "beleid") is None


def test_per_perspective_figures_movement_and_weet_niet_protection(app, leider, begeleider, sessie):
    voeg_toe(leider, sessie, "Elk gezin heeft binnen twee weken één plan")
    voeg_toe(leider, sessie, "Contact binnen vijf werkdagen")
    [a, b] = ids(sessie)
    clients = deelnemers(app, sessie, ["beleid"] * 3 + ["uitvoering"] * 3)
    ronde(leider, sessie, 1, "openen")
    r1 = {
        a: [("5", "4"), ("5", "3"), ("4", "4"), ("3", "1"), ("4", "2"), ("2", "2")],
        # Uitvoering: two "Weet niet" on haalbaar, so one real answer: hidden.
        b: [("4", "4"), ("4", "4"), ("4", "4"), ("3", "weet-niet"), ("3", "weet-niet"), ("3", "1")],
    }
    for i, client in enumerate(clients):
        beoordeel(client, sessie, 1, {a: r1[a][i], b: r1[b][i]})
    ronde(leider, sessie, 1, "sluiten")
    ronde(leider, sessie, 2, "openen")
    r2 = [("4", "3"), ("4", "3"), ("4", "3"), ("4", "2"), ("4", "3"), ("3", "2")]
    for i, client in enumerate(clients):
        if i < 5:
            beoordeel(client, sessie, 2, {a: r2[i]})
    # Ronde 2 open: the page still shows ronde 1 only, and the deelnemer sees their own ronde-1 answer.
    page = leider.get(f"/sessies/{sessie.id}/verwachtingen").get_data(as_text=True)
    assert tabelrij(page, 1, "beleid") is not None and tabelrij(page, 2, "alle") is None
    own = clients[3].get(f"/s/{sessie.deelnamecode}/verwachtingen/2").get_data(as_text=True)
    assert f'data-eerder="{a}">Jouw antwoord in ronde 1:\n            wenselijk 3, haalbaar 1' in own
    assert "haalbaar weet niet" in own  # verwachting b
    assert {r["ronde"] for r in rows(export.beoordelingen_csv(sessie))} == {"1"}
    beoordeel(clients[5], sessie, 2, {a: r2[5]})
    ronde(leider, sessie, 2, "sluiten")

    page = leider.get(f"/sessies/{sessie.id}/verwachtingen").get_data(as_text=True)
    # a, ronde 1: beleid wenselijk 4,5,5 -> 5, haalbaar 3,4,4 -> 4; uitvoering 2,3,4 -> 3, 1,2,2 -> 2.
    assert medianen(tabelrij(page, 1, "beleid")) == ("5", "4")
    assert medianen(tabelrij(page, 1, "uitvoering")) == ("3", "2")
    # ronde 2: beleid 4,4,4 / 3,3,3; uitvoering 3,4,4 -> 4 / 2,2,3 -> 2.
    assert medianen(tabelrij(page, 2, "beleid")) == ("4", "3")
    assert medianen(tabelrij(page, 2, "uitvoering")) == ("4", "2")
    assert 'class="punt beleid ronde-2"' in page and f"url(#verwachting-{a}-pijl-beleid)" in page
    # b: uitvoering haalbaar has one numeric answer -> no median; wenselijk 3,3,3 -> 3.
    rij = tabelrij(page.split(f'id="uitslag-{b}"')[1], 1, "uitvoering")
    assert medianen(rij) == ("3", "—")
    assert "antwoorden anders dan ‘Weet niet’" in page
    beoordelingen = rows(export.beoordelingen_csv(sessie))
    assert {r["perspectief"] for r in beoordelingen} == {"beleid", "uitvoering", "onderdrukt"}
    # b haalbaar, ronde 1: uitvoering has one real answer, so no row of that scale names a
    # perspective (named beleid rows would give it away by subtraction from "alle").
    hidden = [r for r in beoordelingen if r["verwachting"] == "2" and r["schaal"] == "haalbaar" and r["ronde"] == "1"]
    assert {r["perspectief"] for r in hidden} == {"onderdrukt"}
    assert sorted(r["waarde"] for r in hidden) == ["1", "4", "4", "4", "weet niet", "weet niet"]
    wenselijk = [
        r for r in beoordelingen if r["verwachting"] == "2" and r["schaal"] == "wenselijk" and r["ronde"] == "1"
    ]
    assert {r["perspectief"] for r in wenselijk} == {"beleid", "uitvoering"}
    # Row order cannot be joined back: rows are sorted, not in rating order.
    assert beoordelingen == sorted(
        beoordelingen, key=lambda r: (int(r["verwachting"]), r["ronde"], r["perspectief"], r["schaal"], r["waarde"])
    )
    # Overview: a ranks first (beleid - uitvoering wenselijk 2 in ronde 1), movement shown.
    overzicht = page.split("overzicht-tabel")[1].split("</table>")[0]
    assert overzicht.index("Elk gezin") < overzicht.index("Contact binnen")
    assert "2 → 0" in overzicht and "Verschoven" in overzicht


def test_min_groep_setting_never_below_three_and_applies(app, leider, sessie):
    voeg_toe(leider, sessie, "Elk gezin heeft binnen twee weken één plan")
    [a] = ids(sessie)
    clients = deelnemers(app, sessie, ["beleid"] * 3 + ["uitvoering"] * 3)
    ronde(leider, sessie, 1, "openen")
    for client in clients:
        beoordeel(client, sessie, 1, {a: ("4", "2")})
    ronde(leider, sessie, 1, "sluiten")
    assert tabelrij(leider.get(f"/sessies/{sessie.id}/verwachtingen").get_data(as_text=True), 1, "beleid")
    response = post(
        leider,
        f"/sessies/{sessie.id}/verwachtingen/instellingen",
        {"iqr_max": "1", "aandeel_min": "70", "min_groep": "2"},
    )
    assert response.status_code == 400 and "minstens 3" in response.get_data(as_text=True)
    response = post(
        leider,
        f"/sessies/{sessie.id}/verwachtingen/instellingen",
        {"iqr_max": "1,5", "aandeel_min": "80", "min_groep": "4"},
    )
    assert response.status_code == 302
    d = lezen.drempels(sessie)
    assert (d.iqr_max, d.aandeel_min, d.min_groep) == (1.5, 0.8, 4)
    page = leider.get(f"/sessies/{sessie.id}/verwachtingen").get_data(as_text=True)
    assert tabelrij(page, 1, "beleid") is None and medianen(tabelrij(page, 1, "alle")) == ("4", "2")
    assert {r["perspectief"] for r in rows(export.beoordelingen_csv(sessie))} == {"onderdrukt"}


def test_ambitie_recorded_and_in_verslag(app, leider, begeleider, sessie):
    voeg_toe(leider, sessie, "Elk gezin heeft binnen twee weken één plan")
    [a] = ids(sessie)
    response = post(leider, f"/sessies/{sessie.id}/verwachtingen/{a}/ambitie", {f"a{a}-uitkomst": "bijstellen"})
    assert response.status_code == 400 and "bijgestelde verwachting luidt" in response.get_data(as_text=True)
    response = post(leider, f"/sessies/{sessie.id}/verwachtingen/{a}/ambitie", {f"a{a}-uitkomst": "loslaten"})
    assert response.status_code == 400 and "waarom" in response.get_data(as_text=True)
    response = post(
        leider,
        f"/sessies/{sessie.id}/verwachtingen/{a}/ambitie",
        {
            f"a{a}-uitkomst": "bijstellen",
            f"a{a}-nieuwe_formulering": "Elk gezin met vragen op meerdere terreinen heeft binnen vier weken één plan",
            f"a{a}-toelichting": "Twee weken haalt niemand.",
        },
    )
    assert response.status_code == 302
    onderdeel = export.verslag_onderdeel(sessie)
    [v] = onderdeel["verwachtingen"]
    assert v["ambitie"]["uitkomst"] == "bijstellen" and v["ambitie"]["vastgelegd_door"] == begeleider.naam
    with app.test_request_context():
        html = render_template("verwachtingen/_verslag.html", verwachtingen_verslag=onderdeel)
    assert "Bijgesteld ambitieniveau: bijstellen" in html and "binnen vier weken" in html
    page = leider.get(f"/sessies/{sessie.id}/verwachtingen").get_data(as_text=True)
    assert "binnen vier weken" in page
