"""Reeksen from the start (Nieuwe sessie) and a verwachting across the sessies of its lijn.

Integration tests: they run against SQLite and PostgreSQL (the `app` fixture).
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from facilitatie.extensions import db
from facilitatie.opvolging.lezen import reeks_van
from facilitatie.opvolging.models import Reeks
from facilitatie.sessies.models import Sessie
from facilitatie.verwachtingen.models import Ambitie, Verwachting, uitkomst_label, uitkomst_van
from tests.conftest import login, post
from tests.reeksen.conftest import beoordeel_direct, in_reeks


def _client(app, user):
    client = app.test_client()
    login(client, user.email)
    return client


def _aantal(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _checked(html: str, name: str, value: object) -> bool:
    match = re.search(rf'<input[^>]*name="{name}" value="{value}"[^>]*>', html)
    return bool(match) and " checked" in match.group(0)


def test_next_sessie_of_a_reeks_opens_prefilled(app, wereld):
    leider = _client(app, wereld.begeleider)
    response = leider.get(f"/sessies/nieuw?reeks={wereld.reeks.id}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'value="Leerkring Noord, sessie 2"' in html
    assert _checked(html, "teams", wereld.noord.id) and not _checked(html, "teams", wereld.zuid.id)
    # The bijgesteld verwachting comes in its new wording, ticked; the losgelaten one not at all.
    assert _checked(html, "neem_over", wereld.bijgesteld.id)
    assert "Contact binnen tien werkdagen" in html and "Alles dubbel registreren" not in html
    assert "Werkinstructie aanmelding herschrijven" in html and "Te laat" in html
    assert f'<option value="{wereld.reeks.id}" selected>' in html
    # Without a reeks: the choice, nothing prefilled.
    html = leider.get("/sessies/nieuw").get_data(as_text=True)
    assert "Volgende sessie van Leerkring Noord" in html and 'name="neem_over"' not in html


def test_creating_the_next_sessie_takes_over_verwachtingen_with_their_herkomst(app, wereld):
    leider = _client(app, wereld.begeleider)
    response = post(
        leider,
        f"/sessies/nieuw?reeks={wereld.reeks.id}",
        {
            "titel": "Leerkring Noord, sessie 2",
            "sessievorm": "ontmoeten-en-ont-moeten",
            "teams": [str(wereld.noord.id)],
            "reeks": str(wereld.reeks.id),
            "neem_over": [str(wereld.bijgesteld.id)],
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    sessie = db.session.scalar(select(Sessie).where(Sessie.titel == "Leerkring Noord, sessie 2"))
    assert reeks_van(sessie).id == wereld.reeks.id
    assert [t.id for t in sessie.teams] == [wereld.noord.id]
    [kopie] = db.session.scalars(select(Verwachting).where(Verwachting.sessie_id == sessie.id))
    assert kopie.tekst == "Contact binnen tien werkdagen"
    assert kopie.herkomst_id == wereld.bijgesteld.id and kopie.lijn == wereld.bijgesteld.id
    # The begeleider sees the open acties of the reeks on the new sessie's page before the start.
    detail = leider.get(f"/sessies/{sessie.id}").get_data(as_text=True)
    assert "Werkinstructie aanmelding herschrijven" in detail
    # The next one continues the same lijn.
    html = leider.get(f"/sessies/nieuw?reeks={wereld.reeks.id}").get_data(as_text=True)
    assert 'value="Leerkring Noord, sessie 3"' in html
    assert _checked(html, "neem_over", kopie.id) and f'name="neem_over" value="{wereld.bijgesteld.id}"' not in html


def test_start_a_new_reeks_under_nieuwe_sessie(app, wereld):
    leider = _client(app, wereld.begeleider)
    data = {"titel": "Eerste leerkring Zuid", "sessievorm": "leerkring", "reeks": "nieuw"}
    voor = (_aantal(Sessie), _aantal(Reeks))
    response = post(leider, "/sessies/nieuw", data)
    assert response.status_code == 400
    assert "Geef de nieuwe reeks een naam" in response.get_data(as_text=True)
    assert (_aantal(Sessie), _aantal(Reeks)) == voor
    response = post(leider, "/sessies/nieuw", {**data, "reeks_naam": "x" * 121})
    assert response.status_code == 400 and "hoogstens 120 tekens" in response.get_data(as_text=True)
    assert (_aantal(Sessie), _aantal(Reeks)) == voor
    response = post(leider, "/sessies/nieuw", {**data, "reeks_naam": "Leerkring Zuid"})
    assert response.status_code == 302
    sessie = db.session.scalar(select(Sessie).where(Sessie.titel == "Eerste leerkring Zuid"))
    assert reeks_van(sessie).naam == "Leerkring Zuid"


def test_refused_choices_store_nothing(app, wereld):
    leider = _client(app, wereld.begeleider)
    basis = {"titel": "Poging", "sessievorm": "ontmoeten-en-ont-moeten", "reeks": str(wereld.reeks.id)}
    voor = (_aantal(Sessie), _aantal(Verwachting))
    for neem_over in ([str(wereld.verwachting_x.id)], [str(wereld.losgelaten.id)], ["abc"], ["²"], ["9" * 30]):
        response = post(leider, "/sessies/nieuw", {**basis, "neem_over": neem_over})
        html = response.get_data(as_text=True)
        assert response.status_code == 400, neem_over
        assert "Kies alleen verwachtingen uit de lijst van deze reeks." in html
        assert "Geheime verwachting Elders" not in html
    for reeks in ("abc", "²", "-1"):
        response = post(leider, "/sessies/nieuw", {**basis, "reeks": reeks})
        assert response.status_code == 400 and "Kies een reeks uit de lijst." in response.get_data(as_text=True)
    assert (_aantal(Sessie), _aantal(Verwachting)) == voor


def test_another_gemeentes_reeks_is_not_found(app, wereld):
    leider = _client(app, wereld.begeleider)
    for response in (
        leider.get(f"/sessies/nieuw?reeks={wereld.reeks_x.id}"),
        post(
            leider,
            "/sessies/nieuw",
            {"titel": "Poging", "sessievorm": "ontmoeten-en-ont-moeten", "reeks": str(wereld.reeks_x.id)},
        ),
        leider.get(f"/reeksen/{wereld.reeks_x.id}"),
        leider.get("/reeksen/999999"),
        leider.get(f"/sessies/nieuw?reeks={2**40}"),
    ):
        assert response.status_code == 404
        assert "Geheime reeks Elders" not in response.get_data(as_text=True)
    assert db.session.scalar(select(Sessie).where(Sessie.titel == "Poging")) is None


ROLLEN = ["begeleider", "beleid", "wethouder", "lid", "beheerder", "begeleider_x", "anoniem"]


@pytest.mark.parametrize("rol", ROLLEN)
def test_permission_matrix(app, wereld, rol):
    user = getattr(wereld, rol, None)
    client = app.test_client()
    if user is not None:
        login(client, user.email)
    staf = {"begeleider": 200, "beleid": 200, "wethouder": 200, "lid": 403, "beheerder": 200, "begeleider_x": 404}
    staf_x = {"begeleider": 404, "beleid": 404, "wethouder": 404, "lid": 404, "beheerder": 200, "begeleider_x": 200}
    nieuw = {"begeleider": 200, "beleid": 403, "wethouder": 403, "lid": 403, "beheerder": 200, "begeleider_x": 404}
    matrix = [
        (f"/reeksen/{wereld.reeks.id}", staf),
        (f"/reeksen/{wereld.reeks_x.id}", staf_x),
        (f"/verwachtingen/{wereld.bijgesteld.id}", staf),
        (f"/verwachtingen/{wereld.verwachting_x.id}", staf_x),
        (f"/sessies/nieuw?reeks={wereld.reeks.id}", nieuw),
    ]
    for path, verwacht in matrix:
        response = client.get(path)
        if rol == "anoniem":
            assert response.status_code == 302 and "/inloggen" in response.headers["Location"], path
        else:
            assert response.status_code == verwacht[rol], (rol, path)
            if response.status_code != 200:
                body = response.get_data(as_text=True)
                assert "Geheime" not in body and "Contact binnen" not in body, (rol, path)


def _sessie_in_lijn(factory, wereld, titel: str, vorige: Verwachting, uitkomst: str, ratings) -> Verwachting:
    sessie = factory.sessie(wereld.begeleider, titel=titel)
    in_reeks(sessie, wereld.reeks)
    v = Verwachting(
        sessie_id=sessie.id,
        gemeente_id=sessie.gemeente_id,
        tekst="Contact binnen tien werkdagen",
        herkomst_id=vorige.id,
        lijn_id=vorige.lijn,
    )
    db.session.add(v)
    db.session.flush()
    db.session.add(Ambitie(verwachting_id=v.id, uitkomst=uitkomst, toelichting="Via één loket."))
    db.session.commit()
    beoordeel_direct(sessie, v, ratings)
    return v


def test_verwachting_page_shows_the_trend_and_the_decisions(app, factory, wereld):
    tweede = _sessie_in_lijn(
        factory,
        wereld,
        "Leerkring Noord 2",
        wereld.bijgesteld,
        "anders_organiseren",
        # Only two beleid raters: beleid and uitvoering not apart in this sessie.
        {1: [("beleid", 5, 4)] * 2 + [("uitvoering", 5, 3)] * 3},
    )
    derde = _sessie_in_lijn(
        factory,
        wereld,
        "Leerkring Noord 3",
        tweede,
        "handhaven",
        {
            1: [("beleid", 4, 1)] * 3 + [("uitvoering", 4, 1)] * 3,
            2: [("beleid", 5, 4)] * 3 + [("uitvoering", 5, 4)] * 3,
        },
    )
    client = _client(app, wereld.beleid)
    response = client.get(f"/verwachtingen/{derde.id}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    rijen = dict(re.findall(r'data-sessie="(\d)" data-groep="uitvoering">.*?data-cel="haalbaar">([^<]*)<', html, re.S))
    assert rijen == {"1": "2", "2": "—", "3": "4"}  # sessie 2: not shown apart (two beleid raters)
    assert re.search(r'data-sessie="2" data-groep="alle">.*?data-cel="haalbaar">3<', html, re.S)
    # Sessie 3 counts its nameting (ronde 2), not the voormeting.
    assert re.search(r'data-sessie="3" data-groep="alle">.*?data-cel="haalbaar">4<', html, re.S)
    assert html.count('class="trend-grafiek"') == 2 and 'class="punt uitvoering sessie-3"' in html
    assert "Bijgesteld ambitieniveau: bijstellen" in html
    assert "Bijgesteld ambitieniveau: anders organiseren" in html
    assert "Bijgesteld ambitieniveau: handhaven" in html
    assert f'href="/verwachtingen/{tweede.id}"' in html and "Overgenomen uit" in html
    # Every member of the lijn shows the same lijn.
    assert "Leerkring Noord 3" in client.get(f"/verwachtingen/{wereld.bijgesteld.id}").get_data(as_text=True)


def test_ambitieniveau_in_the_draaiboeks_words(app, wereld):
    leider = _client(app, wereld.begeleider)
    sessie, v = wereld.eerste, wereld.losgelaten
    pad = f"/sessies/{sessie.id}/verwachtingen/{v.id}/ambitie"
    response = post(leider, pad, {f"a{v.id}-uitkomst": "anders_organiseren"})
    assert response.status_code == 400
    assert "hetzelfde doel langs een andere weg" in response.get_data(as_text=True)
    assert db.session.get(Ambitie, v.id).uitkomst == "loslaten"
    response = post(leider, pad, {f"a{v.id}-uitkomst": "anders_organiseren", f"a{v.id}-toelichting": "Eén loket."})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Ambitie, v.id).uitkomst == "anders_organiseren"
    # The words from before migration 0016 are still understood.
    assert post(leider, pad, {f"a{v.id}-uitkomst": "behouden"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Ambitie, v.id).uitkomst == "handhaven"
    assert post(leider, pad, {f"a{v.id}-uitkomst": "verzonnen"}).status_code == 400
    page = leider.get(f"/sessies/{sessie.id}/verwachtingen").get_data(as_text=True)
    for label in ("Handhaven", "Bijstellen", "Anders organiseren", "Loslaten"):
        assert f">{label}</label>" in page


def test_old_words_read_with_todays_labels():
    assert [uitkomst_van(w) for w in ("behouden", "bijgesteld", "losgelaten")] == [
        "handhaven",
        "bijstellen",
        "loslaten",
    ]
    assert uitkomst_label("losgelaten") == "Loslaten" and uitkomst_label("anders_organiseren") == "Anders organiseren"
    assert uitkomst_label("iets anders") == "iets anders"


def test_copy_from_an_earlier_sessie_keeps_the_herkomst(app, factory, wereld):
    leider = _client(app, wereld.begeleider)
    nieuw = factory.sessie(wereld.begeleider, titel="Los")
    response = post(leider, f"/sessies/{nieuw.id}/verwachtingen/kopieren", {"bron_sessie": wereld.eerste.id})
    assert response.status_code == 302
    [kopie] = db.session.scalars(select(Verwachting).where(Verwachting.sessie_id == nieuw.id))
    assert (kopie.tekst, kopie.herkomst_id, kopie.lijn_id) == (
        "Contact binnen tien werkdagen",
        wereld.bijgesteld.id,
        wereld.bijgesteld.id,
    )


def test_migration_0016_rewrites_stored_uitkomsten(app, factory):
    from flask_migrate import downgrade, upgrade

    sessie = factory.sessie(factory.user("begeleider"), live=False)
    sessie_id, gemeente_id = sessie.id, sessie.gemeente_id
    db.session.remove()  # no open transaction may hold a lock the migration waits for
    downgrade(revision="0010")
    try:
        for tekst, oud in (("a", "behouden"), ("b", "bijgesteld"), ("c", "losgelaten")):
            vid = db.session.execute(
                db.text(
                    "INSERT INTO verwachting (sessie_id, gemeente_id, tekst, volgorde, aangemaakt_op) "
                    "VALUES (:s, :g, :t, 0, CURRENT_TIMESTAMP) RETURNING id"
                ),
                {"s": sessie_id, "g": gemeente_id, "t": tekst},
            ).scalar_one()
            db.session.execute(
                db.text(
                    "INSERT INTO verwachting_ambitie (verwachting_id, uitkomst, vastgelegd_op) "
                    "VALUES (:v, :u, CURRENT_TIMESTAMP)"
                ),
                {"v": vid, "u": oud},
            )
        db.session.commit()
    finally:
        db.session.remove()
        upgrade()
    rijen = db.session.execute(
        db.text(
            "SELECT v.tekst, a.uitkomst FROM verwachting_ambitie a JOIN verwachting v ON v.id = a.verwachting_id "
            "ORDER BY v.tekst"
        )
    ).all()
    assert [tuple(r) for r in rijen] == [("a", "handhaven"), ("b", "bijstellen"), ("c", "loslaten")]
    db.session.remove()
