"""The next leerkring of a reeks opens with what the kring carries over: the earlier casus
question, the inbrenger named last time (on the casus card), the open acties and the trend of a
verwachting taken over. Integration tests on SQLite and PostgreSQL (the `app` fixture).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from facilitatie.extensions import db
from facilitatie.leerkring import lezen as leerkring
from facilitatie.leerkring.models import Casus, Vooruitblik
from facilitatie.opvolging.lezen import reeks_van
from facilitatie.reeksen.lezen import volgende_sessie
from facilitatie.sessies.models import Sessie
from facilitatie.verwachtingen.models import Verwachting
from tests.conftest import join, login, post
from tests.knelpunten.helpers import Live, naar_fase

VRAAG = "Hoe help ik een gezin dat tussen twee loketten valt?"


def _kring_vastgelegd(wereld) -> None:
    """The first sessie of the reeks held a casus and named the next inbrenger."""
    db.session.add(Casus(sessie_id=wereld.eerste.id, inbrenger="Sanne", vraag=VRAAG))
    db.session.add(Vooruitblik(sessie_id=wereld.eerste.id, inbrenger="Lotte Jansen", datum=date(2026, 12, 9)))
    db.session.commit()


def test_volgende_sessie_carries_the_casus_and_the_next_inbrenger(app, wereld):
    assert volgende_sessie(wereld.reeks, date.today(), wereld.begeleider.id).vorige_casus is None
    _kring_vastgelegd(wereld)
    voor = volgende_sessie(wereld.reeks, date.today(), wereld.begeleider.id)
    assert voor.vorige_casus == VRAAG
    assert voor.inbrenger == ("Lotte Jansen", date(2026, 12, 9))


def test_the_previous_casus_stays_in_the_kring(app, wereld):
    """What is said about a casus stays in the kring: 'Nieuwe sessie' showed it to every begeleider and
    beleidsmedewerker of the gemeente, also when the kring had not put it in its verslag."""
    _kring_vastgelegd(wereld)
    assert volgende_sessie(wereld.reeks, date.today(), wereld.beleid.id).vorige_casus is None
    assert volgende_sessie(wereld.reeks, date.today()).vorige_casus is None
    buiten = app.test_client()
    login(buiten, wereld.beleid.email)
    assert VRAAG not in buiten.get(f"/sessies/nieuw?reeks={wereld.reeks.id}").get_data(as_text=True)
    casus = db.session.scalar(select(Casus).where(Casus.sessie_id == wereld.eerste.id))
    casus.in_verslag = True
    db.session.commit()
    assert volgende_sessie(wereld.reeks, date.today(), wereld.beleid.id).vorige_casus == VRAAG


def test_the_next_leerkring_opens_with_casus_inbrenger_acties_and_trend(app, wereld):
    _kring_vastgelegd(wereld)
    leider = app.test_client()
    login(leider, wereld.begeleider.email)
    html = leider.get(f"/sessies/nieuw?reeks={wereld.reeks.id}").get_data(as_text=True)
    assert "Vorige casus" in html and VRAAG in html
    assert "Volgende inbrenger" in html and "Lotte Jansen" in html
    antwoord = post(
        leider,
        "/sessies/nieuw",
        {
            "titel": "Leerkring Noord, sessie 2",
            "sessievorm": "leerkring",
            "teams": [str(wereld.noord.id)],
            "reeks": str(wereld.reeks.id),
            "neem_over": [str(wereld.bijgesteld.id)],
        },
    )
    assert antwoord.status_code == 302, antwoord.get_data(as_text=True)
    sessie = db.session.scalar(select(Sessie).where(Sessie.titel == "Leerkring Noord, sessie 2"))
    assert reeks_van(sessie).id == wereld.reeks.id
    kopie = db.session.scalar(select(Verwachting).where(Verwachting.sessie_id == sessie.id))

    # Before the start: the casus card starts with the inbrenger the kring named, the casus before it above.
    detail = leider.get(f"/sessies/{sessie.id}").get_data(as_text=True)
    assert 'name="inbrenger" maxlength="80" value="Lotte Jansen"' in detail
    assert f"<strong>Vorige casus:</strong> {VRAAG}" in detail
    assert f'href="/verwachtingen/{kopie.id}"' in detail and "Verloop over 2 sessies" in detail
    assert "Werkinstructie aanmelding herschrijven" in detail  # the open actie, to review

    # Started: the welkom fase looks back on the reeks; the casus fase shows the casus before it.
    assert post(leider, f"/sessies/{sessie.id}/starten").status_code in (200, 302)
    detail = leider.get(f"/sessies/{sessie.id}").get_data(as_text=True)
    assert VRAAG in detail and "Inbrenger deze keer:" in detail and "Lotte Jansen" in detail
    assert f'href="/verwachtingen/{kopie.id}"' in detail and "Werkinstructie aanmelding herschrijven" in detail
    live = Live(sessie)
    telefoon = app.test_client()
    join(telefoon, live.code, naam="Mehmet")
    naar_fase(leider, live, "casus")
    werkruimte = telefoon.get(f"/s/{live.code}").get_data(as_text=True)
    assert f"<strong>Vorige casus:</strong> {VRAAG}" in werkruimte
    # The trend page the link leads to shows the lijn across both sessies.
    trend = leider.get(f"/verwachtingen/{kopie.id}").get_data(as_text=True)
    assert "Leerkring Noord 1" in trend and "Leerkring Noord, sessie 2" in trend


def test_a_vooruitblik_of_the_sessie_itself_does_not_prefill_its_own_card(app, wereld):
    """The inbrenger named at the end of this leerkring is for the next one, not for this card."""
    _kring_vastgelegd(wereld)
    assert leerkring.volgende_inbrenger(wereld.reeks.id, wereld.eerste.id) is None
    assert leerkring.casus_vorige(wereld.reeks.id, wereld.eerste.id) is None
    assert leerkring.volgende_inbrenger(wereld.reeks.id) == ("Lotte Jansen", date(2026, 12, 9))
