"""A gemeente's own perspectives (issue 15 item 6): storage, the settings page, joining, the figures.

Integration tests on SQLite and PostgreSQL: who may change them (another gemeente's page is a
404), refused input (a Dutch message by the field, 4xx, nothing changed), a perspective in
use that can only be deactivated, and a partner group in the stemuitslag and the verwachtingen.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from facilitatie.accounts import perspectieven_beheer as beheer
from facilitatie.accounts.models import GemeentePerspectief, User
from facilitatie.accounts.perspectieven import (
    groepen_van,
    keuzes_bij_deelnemen,
    label_van,
    perspectieven_van,
    volgorde_van,
)
from facilitatie.extensions import db
from facilitatie.fouten import Ongeldig
from facilitatie.knelpunten import lezen as knelpunten_lezen
from facilitatie.knelpunten.models import Knelpunt, Stem
from facilitatie.sessies.models import Deelnemer
from facilitatie.verwachtingen import export, uitslag
from tests.conftest import join, login, post
from tests.verwachtingen.test_views import beoordeel, deelnemers, ids, ronde, voeg_toe

PARTNER = "Partner (huisarts, school, woningcorporatie)"
INWONER = "Inwoner / cliëntenraad"


@pytest.fixture
def gemeente(factory):
    return factory.gemeente("Vechtstede")


@pytest.fixture
def andere(factory):
    return factory.gemeente("Rivierstad")


@pytest.fixture
def begeleider(factory, gemeente):
    return factory.user("begeleider", gemeente=gemeente)


@pytest.fixture
def leider(app, begeleider):
    client = app.test_client()
    assert login(client, begeleider.email).status_code == 302
    return client


@pytest.fixture
def partner(gemeente):
    p = beheer.toevoegen(gemeente.id, PARTNER)
    return p


def _pagina(gemeente) -> str:
    return f"/gemeenten/{gemeente.id}/perspectieven"


def _alle_rijen() -> list[tuple[int, str, str, int, bool]]:
    db.session.expire_all()
    return [
        (p.gemeente_id, p.sleutel, p.label, p.volgorde, p.actief)
        for p in db.session.scalars(select(GemeentePerspectief).order_by(GemeentePerspectief.id))
    ]


# --- storage and the one function everyone calls ------------------------------------------


def test_beleid_and_uitvoering_always_exist_and_anders_is_offered_last(app, gemeente):
    assert [(p.sleutel, p.label, p.vast) for p in perspectieven_van(gemeente.id)] == [
        ("uitvoering", "Uitvoering", True),
        ("beleid", "Beleid", True),
    ]
    assert keuzes_bij_deelnemen(gemeente.id) == [
        ("uitvoering", "Uitvoering"),
        ("beleid", "Beleid"),
        ("anders", "Anders"),
    ]
    assert perspectieven_van(None) == perspectieven_van(gemeente.id)


def test_added_perspectives_are_stored_in_order_and_keys_are_unique_over_gemeenten(app, gemeente, andere):
    p = beheer.toevoegen(gemeente.id, PARTNER)
    i = beheer.toevoegen(gemeente.id, "  Inwoner /   cliëntenraad ")
    x = beheer.toevoegen(andere.id, "Partner")
    assert (p.sleutel, i.sleutel, x.sleutel) == ("partner-huisarts", "inwoner-clientenraad", "partner")
    assert i.label == INWONER  # spaces collapsed
    assert [k.sleutel for k in perspectieven_van(gemeente.id)] == [
        "uitvoering",
        "beleid",
        "partner-huisarts",
        "inwoner-clientenraad",
    ]
    assert [k.sleutel for k in perspectieven_van(andere.id)] == ["uitvoering", "beleid", "partner"]
    assert label_van("partner-huisarts") == PARTNER and label_van("partner") == "Partner"
    assert label_van("beleid") == "Beleid" and label_van("onbekend") == "onbekend" and label_van(None) == ""
    y = beheer.toevoegen(andere.id, "Partner huisarts")  # would make partner-huisarts: taken in Vechtstede
    assert y.sleutel == "partner-huisarts-2"
    assert volgorde_van(gemeente.id)[-1] == "anders"


def test_rename_reorder_deactivate_keep_the_key(app, gemeente, partner):
    inwoner = beheer.toevoegen(gemeente.id, INWONER)
    beheer.wijzigen(partner, "Partners", 5)
    assert [k.label for k in perspectieven_van(gemeente.id)][2:] == [INWONER, "Partners"]
    assert partner.sleutel == "partner-huisarts" and label_van("partner-huisarts") == "Partners"
    beheer.actief_zetten(inwoner, False)
    assert [k.sleutel for k in perspectieven_van(gemeente.id)] == ["uitvoering", "beleid", "partner-huisarts"]
    # A deactivated perspective still forms its group: earlier sessies keep their figures.
    assert groepen_van(gemeente.id) == ("uitvoering", "beleid", "inwoner-clientenraad", "partner-huisarts")
    assert ("inwoner-clientenraad", INWONER) not in keuzes_bij_deelnemen(gemeente.id)


@pytest.mark.parametrize(
    ("label", "melding"),
    [
        ("", "minstens 2 tekens"),
        ("x", "minstens 2 tekens"),
        ("p" * 81, "hoogstens 80"),
        ("beleid", "Er is al een perspectief"),
        ("ANDERS", "Er is al een perspectief"),
        ("Uitvoering", "Er is al een perspectief"),
    ],
)
def test_refused_names_store_nothing(app, gemeente, label, melding):
    with pytest.raises(Ongeldig, match=melding):
        beheer.toevoegen(gemeente.id, label)
    assert _alle_rijen() == []


def test_a_perspective_in_use_is_deactivated_not_deleted(app, factory, gemeente, begeleider, partner):
    ongebruikt = beheer.toevoegen(gemeente.id, INWONER)
    sessie = factory.sessie(begeleider)
    db.session.add(Deelnemer(sessie=sessie, naam=None, perspectief=partner.sleutel))
    db.session.commit()
    with pytest.raises(Ongeldig, match="al gebruikt"):
        beheer.verwijderen(partner)
    beheer.verwijderen(ongebruikt)
    assert [r[1] for r in _alle_rijen()] == ["partner-huisarts"]


def test_the_table_names_nobody(app):
    # The anonymity audit (tests/knelpunten/test_anoniem.py) reads every table; this one holds
    # settings only: no account, deelnemer or free text of a deelnemer.
    assert [c.name for c in db.metadata.tables["perspectief"].columns] == [
        "id",
        "gemeente_id",
        "sleutel",
        "label",
        "volgorde",
        "actief",
        "aangemaakt_op",
    ]


# --- the settings page: who may ----------------------------------------------------------------


def _client(app, user=None):
    client = app.test_client()
    if user is not None:
        assert login(client, user.email).status_code == 302
    return client


@pytest.mark.parametrize(
    ("rol", "eigen_gemeente", "verwacht"),
    [
        ("begeleider", True, 200),
        ("beheerder", True, 200),
        ("beheerder", None, 200),  # a beheerder of all gemeenten
        ("begeleider", False, 404),
        ("beheerder", False, 404),
        ("beleidsmedewerker", True, 404),
        ("wethouder", True, 404),
        ("wijkteamlid", True, 404),
    ],
)
def test_permission_matrix_of_the_settings_page(app, factory, gemeente, andere, partner, rol, eigen_gemeente, verwacht):
    g = {True: gemeente, False: andere, None: None}[eigen_gemeente]
    user = factory.user(rol, gemeente=g)
    client = _client(app, user)
    voor = _alle_rijen()
    assert client.get(_pagina(gemeente)).status_code == verwacht
    pogingen = [
        (_pagina(gemeente), {"nieuw-label": "Sportclub"}),
        (f"{_pagina(gemeente)}/{partner.id}", {f"p{partner.id}-label": "Overgenomen", f"p{partner.id}-volgorde": "1"}),
        (f"{_pagina(gemeente)}/{partner.id}/actief", {"actief": "0"}),
        (f"{_pagina(gemeente)}/{partner.id}/verwijderen", {}),
    ]
    for pad, data in pogingen:
        response = post(client, pad, data)
        assert response.status_code in ((302,) if verwacht == 200 else (404,)), (pad, response.status_code)
        if verwacht != 200:
            assert "Partner" not in response.get_data(as_text=True)
    if verwacht != 200:
        assert _alle_rijen() == voor


def test_anonymous_visitor_is_sent_to_sign_in(app, gemeente):
    response = app.test_client().get(_pagina(gemeente))
    assert response.status_code == 302 and "/inloggen" in response.headers["Location"]


def test_a_perspective_of_another_gemeente_through_my_page_is_404(app, factory, gemeente, andere, leider):
    vreemd = beheer.toevoegen(andere.id, "Sportclub")
    for pad, data in [
        (f"{_pagina(gemeente)}/{vreemd.id}", {f"p{vreemd.id}-label": "Van mij", f"p{vreemd.id}-volgorde": "1"}),
        (f"{_pagina(gemeente)}/{vreemd.id}/actief", {"actief": "0"}),
        (f"{_pagina(gemeente)}/{vreemd.id}/verwijderen", {}),
        (f"{_pagina(gemeente)}/999999/actief", {"actief": "0"}),
    ]:
        assert post(leider, pad, data).status_code == 404
    assert _alle_rijen() == [(andere.id, "sportclub", "Sportclub", 1, True)]


def test_the_link_on_the_sessies_page_leads_to_ones_own_gemeente(app, factory, gemeente, leider):
    response = leider.get("/perspectieven")
    assert response.status_code == 302 and response.headers["Location"].endswith(_pagina(gemeente))
    assert 'href="/perspectieven">perspectieven van je gemeente</a>' in leider.get("/sessies").get_data(as_text=True)
    beheerder = factory.user("beheerder")
    page = _client(app, beheerder).get("/perspectieven").get_data(as_text=True)
    assert "Vechtstede" in page and _pagina(gemeente) in page
    assert _client(app, factory.user("wijkteamlid", gemeente=gemeente)).get("/perspectieven").status_code == 403


# --- the settings page: doing it, and bad input ---------------------------------------------------


def test_begeleider_adds_renames_deactivates_and_deletes(app, gemeente, leider):
    page = leider.get(_pagina(gemeente)).get_data(as_text=True)
    assert "Nog geen eigen perspectieven" in page and "Perspectief toevoegen" in page
    assert post(leider, _pagina(gemeente), {"nieuw-label": PARTNER}).status_code == 302
    [(_, sleutel, _, _, _)] = _alle_rijen()
    p = db.session.scalars(select(GemeentePerspectief)).one()
    page = leider.get(_pagina(gemeente)).get_data(as_text=True)
    assert "Perspectief ‘Partner (huisarts, school, woningcorporatie)’ toegevoegd." in page
    assert f"Naam van ‘{PARTNER}’" in page and "Verwijderen" in page
    response = post(leider, f"{_pagina(gemeente)}/{p.id}", {f"p{p.id}-label": "Partner", f"p{p.id}-volgorde": "3"})
    assert response.status_code == 302
    assert _alle_rijen() == [(gemeente.id, sleutel, "Partner", 3, True)]
    assert post(leider, f"{_pagina(gemeente)}/{p.id}/actief", {"actief": "0"}).status_code == 302
    assert _alle_rijen()[0][4] is False
    assert "Aanzetten" in leider.get(_pagina(gemeente)).get_data(as_text=True)
    assert post(leider, f"{_pagina(gemeente)}/{p.id}/verwijderen").status_code == 302
    assert _alle_rijen() == []


@pytest.mark.parametrize(
    ("data", "melding"),
    [
        ({"nieuw-label": ""}, "Geef het perspectief een naam."),
        ({"nieuw-label": "   "}, "Geef het perspectief een naam"),
        ({"nieuw-label": "b" * 81}, "Hoogstens 80 tekens."),
        ({"nieuw-label": "Beleid"}, "Er is al een perspectief ‘Beleid’."),
        ({"nieuw-label": PARTNER.upper()}, "Er is al een perspectief"),
        ({}, "Geef het perspectief een naam."),
    ],
)
def test_bad_new_perspective_is_a_dutch_400_by_the_field(app, gemeente, leider, partner, data, melding):
    voor = _alle_rijen()
    response = post(leider, _pagina(gemeente), data)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="nieuw-label-fout"' in html and melding in html
    assert _alle_rijen() == voor


@pytest.mark.parametrize(
    ("velden", "veld", "melding"),
    [
        ({"label": "", "volgorde": "1"}, "label", "Geef het perspectief een naam."),
        ({"label": "Uitvoering", "volgorde": "1"}, "label", "Er is al een perspectief"),
        ({"label": "Partner", "volgorde": "abc"}, "volgorde", "Vul een getal in"),
        ({"label": "Partner", "volgorde": "-1"}, "volgorde", "Vul een getal in"),
        ({"label": "Partner", "volgorde": "0"}, "volgorde", "Kies een volgorde van 1 tot en met 99."),
        ({"label": "Partner", "volgorde": "١"}, "volgorde", "Vul een getal in"),  # an Arabic-Indic digit
        ({"label": "Partner", "volgorde": "99999999999999999999"}, "volgorde", "Vul een getal in"),
    ],
)
def test_bad_rename_is_a_dutch_400_by_the_field(app, gemeente, leider, partner, velden, veld, melding):
    voor = _alle_rijen()
    data = {f"p{partner.id}-{k}": v for k, v in velden.items()}
    response = post(leider, f"{_pagina(gemeente)}/{partner.id}", data)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f'id="p{partner.id}-{veld}-fout"' in html and melding in html
    assert _alle_rijen() == voor


def test_bad_toggle_missing_csrf_and_deleting_one_in_use(app, factory, gemeente, begeleider, leider, partner):
    voor = _alle_rijen()
    assert post(leider, f"{_pagina(gemeente)}/{partner.id}/actief", {"actief": "misschien"}).status_code == 400
    assert leider.post(f"{_pagina(gemeente)}/{partner.id}/actief", data={"actief": "0"}).status_code == 400  # no CSRF
    assert leider.post(_pagina(gemeente), data={"nieuw-label": "Zonder token"}).status_code == 400
    sessie = factory.sessie(begeleider)
    assert join(app.test_client(), sessie.deelnamecode, perspectief=partner.sleutel).status_code == 302
    page = leider.get(_pagina(gemeente)).get_data(as_text=True)
    assert "Al gebruikt: uitzetten kan, verwijderen niet." in page
    response = post(leider, f"{_pagina(gemeente)}/{partner.id}/verwijderen")
    assert response.status_code == 409 and "al gebruikt" in response.get_data(as_text=True)
    assert _alle_rijen() == voor


# --- joining ---------------------------------------------------------------------------------


def test_deelnemer_joins_as_partner_and_cannot_pick_what_is_not_offered(
    app, factory, gemeente, andere, begeleider, partner
):
    inwoner = beheer.toevoegen(gemeente.id, INWONER)
    beheer.actief_zetten(inwoner, False)
    vreemd = beheer.toevoegen(andere.id, "Sportclub")
    sessie = factory.sessie(begeleider)
    client = app.test_client()
    page = client.get(f"/deelnemen?code={sessie.deelnamecode}").get_data(as_text=True)
    assert PARTNER in page and 'value="partner-huisarts"' in page and "Anders" in page
    assert INWONER not in page  # deactivated
    assert "Sportclub" not in page  # another gemeente's
    for fout in (inwoner.sleutel, vreemd.sleutel, "alle", "", "x" * 500):
        response = join(app.test_client(), sessie.deelnamecode, perspectief=fout)
        html = response.get_data(as_text=True)
        assert response.status_code == 400, fout
        assert (
            "Kies je perspectief: uitvoering, beleid, partner (huisarts, school, woningcorporatie) of anders." in html
        )
        assert 'value="partner-huisarts"' in html  # the choices of this sessie on the page that comes back
    assert db.session.query(Deelnemer).count() == 0
    assert join(client, sessie.deelnamecode, naam="Huisarts Jansen", perspectief=partner.sleutel).status_code == 302
    deelnemer = db.session.query(Deelnemer).one()
    assert deelnemer.perspectief == "partner-huisarts"
    page = client.get(f"/s/{sessie.deelnamecode}").get_data(as_text=True)
    assert "(partner (huisarts, school, woningcorporatie))" in page


def test_the_start_form_without_a_code_offers_the_built_in_three(app):
    page = app.test_client().get("/deelnemen").get_data(as_text=True)
    for label in ("Uitvoering", "Beleid", "Anders"):
        assert f">{label}</label>" in page


# --- the figures --------------------------------------------------------------------------------


def _stemmen(sessie, per_perspectief: dict[str, int]) -> None:
    knelpunt = Knelpunt(sessie_id=sessie.id, domein="Wmo", tekst="De herindicatie duurt acht weken.")
    db.session.add(knelpunt)
    for perspectief, n in per_perspectief.items():
        for _ in range(n):
            d = Deelnemer(sessie=sessie, perspectief=perspectief)
            db.session.add(d)
            db.session.flush()
            db.session.add(Stem(sessie_id=sessie.id, deelnemer_id=d.id, knelpunt_id=knelpunt.id, plek=1, n=1))
    db.session.commit()


def test_stemuitslag_splits_a_partner_group_of_three_and_not_of_two(app, factory, begeleider, partner):
    sessie = factory.sessie(begeleider)
    _stemmen(sessie, {"uitvoering": 3, "beleid": 3, partner.sleutel: 2})
    su = knelpunten_lezen.stemuitslag(sessie)
    assert su.te_klein == [partner.sleutel] and not su.apart
    _stemmen(sessie, {partner.sleutel: 1})
    su = knelpunten_lezen.stemuitslag(sessie)
    assert su.apart and su.perspectieven == ("uitvoering", "beleid", partner.sleutel)
    assert su.labels[partner.sleutel] == PARTNER
    # A key this gemeente does not know (old data, another gemeente's) counts as anders.
    _stemmen(sessie, {"sportclub": 3})
    assert knelpunten_lezen.stemuitslag(sessie).stemmers["anders"] == 3


def test_verwachtingen_show_the_partner_group_from_three_raters_on(app, factory, gemeente, begeleider, leider, partner):
    sessie = factory.sessie(begeleider)
    assert voeg_toe(leider, sessie, "Elk gezin heeft binnen twee weken één plan").status_code == 302
    [a] = ids(sessie)
    clients = deelnemers(app, sessie, ["beleid"] * 3 + ["uitvoering"] * 3 + [partner.sleutel] * 3)
    antwoorden = [("5", "3")] * 3 + [("4", "2")] * 3 + [("5", "1"), ("4", "1"), ("5", "2")]
    ronde(leider, sessie, 1, "openen")
    for client, wh in zip(clients[:-1], antwoorden[:-1], strict=True):  # two partners first
        assert beoordeel(client, sessie, 1, {a: wh}).status_code == 302
    ronde(leider, sessie, 1, "sluiten")
    u = uitslag.uitslag(sessie)
    [item] = u.items
    assert "partner-huisarts" not in item.rondes[1].per_perspectief
    assert item.eenvoudig is not None
    assert f"Minder dan 3 mensen uit {PARTNER.lower()}: niet apart getoond." in item.eenvoudig.klein
    # Beleid and uitvoering stay hidden: alle minus them would give the two partners' answers.
    assert item.rondes[1].perspectiefverschil == {"wenselijk": None, "haalbaar": None}
    page = clients[0].get(f"/s/{sessie.deelnamecode}/verwachtingen/1").get_data(as_text=True)
    assert "Minder dan 3 mensen uit partner (huisarts, school, woningcorporatie)" in page

    ronde(leider, sessie, 2, "openen")
    for client, wh in zip(clients, antwoorden, strict=True):
        assert beoordeel(client, sessie, 2, {a: wh}).status_code == 302
    ronde(leider, sessie, 2, "sluiten")
    [item] = uitslag.uitslag(sessie).items
    f = item.rondes[2]
    assert f.per_perspectief["partner-huisarts"]["wenselijk"].mediaan == 5
    assert f.per_perspectief["partner-huisarts"]["haalbaar"].mediaan == 1
    assert f.perspectiefverschil == {"wenselijk": 1.0, "haalbaar": 1.0}
    assert [(r.ronde, r.groep) for r in item.rijen if r.ronde == 2] == [
        (2, "alle"),
        (2, "beleid"),
        (2, "uitvoering"),
        (2, "partner-huisarts"),
    ]
    assert item.eenvoudig.extra == [f"{PARTNER}: wenselijk 5, haalbaar 1."]
    page = leider.get(f"/sessies/{sessie.id}/verwachtingen").get_data(as_text=True)
    assert f"{PARTNER}: wenselijk 5, haalbaar 1." in page
    assert 'data-groep="partner-huisarts"' in page
    # The exports say the same.
    figuren = export.figuren_csv(sessie)
    assert ";2;partner-huisarts;wenselijk;3;5;" in figuren
    verslag = leider.get(f"/sessies/{sessie.id}/verslag.md").get_data(as_text=True)
    assert "Partner (huisarts, school, woningcorporatie)" in verslag


def test_demo_gemeente_has_a_partner_and_an_inwoner_perspective(app, runner):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    labels = [p.label for p in db.session.scalars(select(GemeentePerspectief))]
    assert labels == [PARTNER, INWONER]


def test_odd_ids_and_control_characters_never_500(app, gemeente, leider, partner):
    groot = 2**70
    assert leider.get(f"/gemeenten/{groot}/perspectieven").status_code == 404
    assert post(leider, f"{_pagina(gemeente)}/{groot}/actief", {"actief": "0"}).status_code == 404
    voor = _alle_rijen()
    response = post(leider, _pagina(gemeente), {"nieuw-label": "Huis\x00arts"})
    assert response.status_code == 400 and "stuurteken" in response.get_data(as_text=True)
    assert _alle_rijen() == voor


def test_the_account_form_offers_the_gemeentes_own_perspectives(app, factory, gemeente, andere, partner):
    """The beheerder's account form lists the gemeente's perspectives; another gemeente's key is refused."""
    elders = beheer.toevoegen(andere.id, "Sportclub")
    db.session.commit()
    beheerder = factory.user("beheerder", gemeente=gemeente)
    client = app.test_client()
    assert login(client, beheerder.email).status_code == 302
    form = client.get("/beheer/gebruikers/nieuw").get_data(as_text=True)
    assert f'<option value="{partner.sleutel}">{PARTNER}</option>' in form
    assert elders.sleutel not in form  # a beheerder bound to one gemeente sees only its own
    basis = {"naam": "Huisarts Bos", "rol": "wijkteamlid", "gemeente": str(gemeente.id), "wachtwoord": "lang-genoeg-ww"}
    fout = post(client, "/beheer/gebruikers/nieuw", {**basis, "email": "x@ontmoet.test", "perspectief": elders.sleutel})
    assert fout.status_code == 400 and "Kies een geldig perspectief." in fout.get_data(as_text=True)
    assert db.session.scalar(select(User).where(User.email == "x@ontmoet.test")) is None
    ok = post(
        client, "/beheer/gebruikers/nieuw", {**basis, "email": "bos@ontmoet.test", "perspectief": partner.sleutel}
    )
    assert ok.status_code == 302, ok.get_data(as_text=True)
    bos = db.session.scalar(select(User).where(User.email == "bos@ontmoet.test"))
    assert bos.perspectief == partner.sleutel
    # Editing keeps it selected; deactivated since, it stays the account's own choice.
    beheer.actief_zetten(partner, False)
    db.session.commit()
    pagina = client.get(f"/beheer/gebruikers/{bos.id}").get_data(as_text=True)
    assert f'<option selected value="{partner.sleutel}">' in pagina or f'value="{partner.sleutel}" selected' in pagina


def test_moving_an_account_to_another_gemeente_drops_its_old_perspective(app, factory, gemeente, andere, partner):
    """Review finding: the account kept its old gemeente's key after a move (a foreign label, and
    'anders' when joining), because its current perspective was always let through."""
    from facilitatie.accounts.service import fouten_bij_bijwerken

    bos = factory.user("wijkteamlid", gemeente=gemeente)
    bos.perspectief = partner.sleutel
    db.session.commit()
    velden = {"email": bos.email, "rol": "wijkteamlid", "perspectief": partner.sleutel, "wachtwoord": ""}
    assert fouten_bij_bijwerken(bos, **velden, gemeente=gemeente) == []
    [fout] = fouten_bij_bijwerken(bos, **velden, gemeente=andere)
    assert fout.veld == "perspectief"
