"""The verslag holds the whole meeting, in print, Markdown and CSV (issue 14, item 8).

Thema's with their knelpunten, the stemuitslag per perspective (not apart when a perspective had
fewer than three voters), the dialoog's reacties by perspective, actie lines with eigenaar and
streefdatum, the verwachtingen' figures; and no author's name anywhere.
"""

from __future__ import annotations

import pytest

from facilitatie.extensions import db
from facilitatie.knelpunten.models import Reactie, Stem, Thema
from facilitatie.sessies.models import Deelnemer
from tests.conftest import login

GEHEIM = "Geheime Auteur"
REAGEERDER = "Rianne Reageert"


def _deelnemer(sessie, perspectief: str, naam: str | None = None) -> Deelnemer:
    d = Deelnemer(sessie_id=sessie.id, naam=naam, perspectief=perspectief)
    db.session.add(d)
    db.session.flush()
    return d


def _stemmen(deelnemer: Deelnemer, *, thema: Thema | None = None, knelpunt=None, aantal: int = 1) -> None:
    for n in range(1, aantal + 1):
        plek = db.session.query(Stem).filter_by(deelnemer_id=deelnemer.id).count() + 1
        db.session.add(
            Stem(
                sessie_id=deelnemer.sessie_id,
                deelnemer_id=deelnemer.id,
                thema_id=thema.id if thema else None,
                knelpunt_id=knelpunt.id if knelpunt else None,
                plek=plek,
                n=n,
            )
        )
        db.session.flush()


@pytest.fixture
def vergadering(wereld):
    """Wereld's sessie with two thema's, votes from 3 uitvoering and `beleid_stemmers` beleid, reacties."""

    def _maak(beleid_stemmers: int = 3):
        sessie = wereld.sessie
        wachten = Thema(sessie_id=sessie.id, naam="Lang wachten")
        papier = Thema(sessie_id=sessie.id, naam="Papierwerk")
        db.session.add_all([wachten, papier])
        db.session.flush()
        wereld.k["k1"].thema_id = wachten.id
        wereld.k["k3"].thema_id = wachten.id
        wereld.k["k2"].thema_id = papier.id
        wereld.k["k5"].thema_id = papier.id
        auteur = _deelnemer(sessie, "uitvoering", GEHEIM)
        wereld.k["k3"].deelnemer_id = auteur.id  # the anonymous one: its author must stay unknown
        uitvoering = [auteur, _deelnemer(sessie, "uitvoering", "U2"), _deelnemer(sessie, "uitvoering", "U3")]
        beleid = [_deelnemer(sessie, "beleid", f"B{i}") for i in range(beleid_stemmers)]
        for d in uitvoering:
            _stemmen(d, thema=wachten, aantal=2)
        for d in beleid:
            _stemmen(d, thema=papier)
        _stemmen(uitvoering[0], knelpunt=wereld.k["k4"])
        reageerder = _deelnemer(sessie, "uitvoering", REAGEERDER)
        db.session.add_all(
            [
                Reactie(sessie_id=sessie.id, thema_id=wachten.id, deelnemer_id=reageerder.id, perspectief="uitvoering",
                        naam=REAGEERDER, tekst="Elke week bellen ouders ons over de wachtlijst."),
                Reactie(sessie_id=sessie.id, thema_id=wachten.id, deelnemer_id=beleid[0].id if beleid else None,
                        perspectief="beleid", naam="B0", tekst="We kopen volgend jaar extra plekken in.", vooraf=True),
                Reactie(sessie_id=sessie.id, thema_id=papier.id, perspectief="beleid", naam="B1",
                        tekst="Verborgen reactie die weg moet", verborgen=True),
            ]
        )  # fmt: skip
        db.session.commit()
        return wereld

    return _maak


def _lees(client, wereld, pad: str) -> str:
    antwoord = client.get(f"/sessies/{wereld.sessie.id}/{pad}")
    assert antwoord.status_code == 200, pad
    return antwoord.data.decode("utf-8-sig")


def test_verslag_has_themas_stemuitslag_per_perspective_and_dialoog(client, vergadering):
    wereld = vergadering(beleid_stemmers=3)
    login(client, wereld.beleid.email)
    pagina = _lees(client, wereld, "verslag")
    markdown = _lees(client, wereld, "verslag.md")
    for tekst in (pagina, markdown):
        assert "Thema's en knelpunten" in tekst and "Lang wachten" in tekst and "Papierwerk" in tekst
        assert "Niet gebundeld" in tekst and "Geen zicht op de jeugdhulp na 18 jaar" in tekst
        assert "Stemuitslag" in tekst and "Dialoog" in tekst
        assert "Elke week bellen ouders ons over de wachtlijst." in tekst
        assert "We kopen volgend jaar extra plekken in." in tekst and "vooraf geschreven" in tekst
        assert "Verborgen reactie" not in tekst
    # 3 uitvoering gave Lang wachten 6 votes; 3 beleid gave Papierwerk 3: shown apart.
    assert "| Thema: Lang wachten | 6 | 6 | 0 |" in markdown
    assert "| Thema: Papierwerk | 3 | 0 | 3 |" in markdown
    assert "| Onderwerp | Stemmen | Uitvoering | Beleid |" in markdown
    assert "**Uitvoering:** Elke week bellen" in markdown and "**Beleid:** We kopen" in markdown
    stemmen = _lees(client, wereld, "verslag-stemmen.csv").splitlines()
    assert stemmen[0] == "Onderwerp;Soort;Stemmen;Uitvoering;Beleid;Opmerking"
    assert "Lang wachten;Thema;6;6;0;" in stemmen
    dialoog = _lees(client, wereld, "verslag-dialoog.csv")
    assert "Lang wachten;Thema;Uitvoering;Elke week bellen ouders ons over de wachtlijst.;nee" in dialoog
    assert "Lang wachten;Thema;Beleid;We kopen volgend jaar extra plekken in.;ja" in dialoog
    assert "Verborgen reactie" not in dialoog


def test_a_perspective_with_fewer_than_three_voters_is_not_shown_apart(client, vergadering):
    wereld = vergadering(beleid_stemmers=2)
    login(client, wereld.beleid.email)
    markdown = _lees(client, wereld, "verslag.md")
    pagina = _lees(client, wereld, "verslag")
    stemmen = _lees(client, wereld, "verslag-stemmen.csv")
    assert "| Onderwerp | Stemmen |" in markdown and "| Thema: Papierwerk | 2 |" in markdown
    assert "| Uitvoering |" not in markdown and "| Beleid |" not in markdown.split("## Stemuitslag")[1].split("##")[0]
    assert "minder dan 3 stemmers" in markdown and "minder dan 3 stemmers" in pagina
    kop = stemmen.splitlines()[0]
    assert kop == "Onderwerp;Soort;Stemmen;Opmerking"
    assert "Papierwerk;Thema;2;per perspectief niet getoond" in stemmen
    # Nor can the page's table be read per perspective.
    tabel = pagina.split('id="verslag-stemmen-kop"')[1].split("</table>")[0]
    assert "Uitvoering" not in tabel and "Beleid" not in tabel


def test_actie_lines_name_eigenaar_and_streefdatum(client, wereld):
    login(client, wereld.beleid.email)
    markdown = _lees(client, wereld, "verslag.md")
    regel = next(r for r in markdown.splitlines() if "Actie: Werkinstructie Wmo herschrijven" in r)
    assert "eigenaar: Sanne Noord" in regel and "streefdatum: 2026-01-31" in regel and "Open" in regel


def test_no_author_is_named_anywhere(client, vergadering):
    wereld = vergadering(beleid_stemmers=3)
    login(client, wereld.begeleider.email)
    for pad in ("verslag", "verslag.md", "verslag.csv", "verslag-stemmen.csv", "verslag-dialoog.csv",
                "verslag-verwachtingen.csv"):  # fmt: skip
        inhoud = _lees(client, wereld, pad)
        assert GEHEIM not in inhoud and REAGEERDER not in inhoud, pad


def test_verslag_csv_names_the_thema(client, vergadering):
    wereld = vergadering()
    login(client, wereld.beleid.email)
    regels = _lees(client, wereld, "verslag.csv").splitlines()
    assert regels[0].split(";")[-1] == "Thema"
    assert any(r.startswith("Wmo-indicatie duurt te lang;") and r.endswith(";Lang wachten") for r in regels)


def test_csv_parts_share_the_verslags_permission(app, client, wereld):
    for onderdeel in ("stemmen", "dialoog", "verwachtingen"):
        assert app.test_client().get(f"/sessies/{wereld.sessie.id}/verslag-{onderdeel}.csv").status_code == 403
    login(client, wereld.beleid_x.email)
    assert client.get(f"/sessies/{wereld.sessie.id}/verslag-stemmen.csv").status_code == 403
    assert client.get(f"/sessies/{wereld.sessie.id}/verslag-iets.csv").status_code == 404


def test_demo_verslag_carries_the_verwachtingen_figures(runner, app):
    from sqlalchemy import select

    from facilitatie.sessies.models import Sessie

    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    afgerond = db.session.scalars(
        select(Sessie).where(Sessie.status == "afgesloten", Sessie.sessievorm == "ontmoeten-en-ont-moeten")
    ).one()
    leider = app.test_client()
    login(leider, "begeleider@ontmoet.demo", "ontmoet-demo-2026")
    markdown = leider.get(f"/sessies/{afgerond.id}/verslag.md").get_data(as_text=True)
    deel = markdown.split("## Verwachtingen")[1]
    assert "Ronde 1, " in deel and "wenselijk " in deel and "(n=" in deel and "Kloof" in deel
    assert "Groepen met minder dan" in deel
    csv = leider.get(f"/sessies/{afgerond.id}/verslag-verwachtingen.csv").data.decode("utf-8-sig").splitlines()
    assert csv[0].startswith("Verwachting;Bijgesteld ambitieniveau;Nieuwe formulering;Ronde;Groep")
    assert len(csv) > 2
