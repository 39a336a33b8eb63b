"""AVG lifecycle (docs/privacy.md): bewaartermijn, deleting a sessie or an account, export, histories, logboek."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError, IntegrityError

from facilitatie import taken
from facilitatie.accounts.models import VERWIJDERD_ACCOUNT, BeheerLog, User
from facilitatie.avg import opschonen
from facilitatie.extensions import db
from facilitatie.knelpunten.models import Knelpunt, KnelpuntInstellingen, Moderatie, Reactie, Stem, Thema
from facilitatie.models_base import utcnow
from facilitatie.opvolging import cijfers
from facilitatie.opvolging.models import Actie, ApiToken, Besluit, BesluitHistorie, DashboardStand
from facilitatie.sessies.models import Deelnemer, Sessie, SessieEvent
from facilitatie.verwachtingen.models import Ambitie, Beoordeling, Verwachting
from tests.avg.conftest import GEHEIM, lang_geleden, sluit_af_op
from tests.conftest import DEMO_PASSWORD, login, make_app, post

VANDAAG = date(2030, 6, 1)


def _tel(model, *waar) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*waar)) or 0


def _alle_tekst(sessie_id: int) -> str:
    """Every free text and event payload still stored for a sessie, as one string."""
    db.session.expire_all()
    delen = [
        *db.session.scalars(select(Knelpunt.tekst).where(Knelpunt.sessie_id == sessie_id)),
        *db.session.scalars(select(Reactie.tekst).where(Reactie.sessie_id == sessie_id)),
        *(r or "" for r in db.session.scalars(select(Reactie.naam).where(Reactie.sessie_id == sessie_id))),
        *db.session.scalars(select(Thema.naam).where(Thema.sessie_id == sessie_id)),
        *db.session.scalars(select(Moderatie.reden).where(Moderatie.sessie_id == sessie_id)),
        *(
            t or ""
            for t in db.session.scalars(select(Verwachting.toelichting).where(Verwachting.sessie_id == sessie_id))
        ),
        *(n or "" for n in db.session.scalars(select(Deelnemer.naam).where(Deelnemer.sessie_id == sessie_id))),
        *(
            json.dumps(p)
            for p in db.session.scalars(select(SessieEvent.payload).where(SessieEvent.sessie_id == sessie_id))
        ),
    ]
    return "\n".join(delen)


# --------------------------------------------------------------------------- bewaartermijn


def test_maanden_terug_handles_month_ends():
    from datetime import datetime

    assert opschonen.maanden_terug(datetime(2026, 3, 31, 12), 1) == datetime(2026, 2, 28, 12)
    assert opschonen.maanden_terug(datetime(2026, 1, 15), 24) == datetime(2024, 1, 15)
    assert opschonen.maanden_terug(datetime(2026, 1, 15), 13) == datetime(2024, 12, 15)


def test_dry_run_counts_and_changes_nothing(app, wereld, runner):
    sluit_af_op(wereld.sessie_id, lang_geleden())
    voor = _alle_tekst(wereld.sessie_id)
    result = runner.invoke(args=["opschonen", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "Proefdraai" in result.output
    assert "1 zou worden opgeschoond" in result.output
    assert "Knelpunten: 2" in result.output
    assert _alle_tekst(wereld.sessie_id) == voor
    assert db.session.get(Sessie, wereld.sessie_id).opgeschoond_op is None


def test_opschonen_removes_free_text_and_keeps_the_figures(app, wereld, runner):
    sluit_af_op(wereld.sessie_id, lang_geleden())
    assert GEHEIM in _alle_tekst(wereld.sessie_id)
    cijfers_voor = cijfers.bereken(wereld.gemeente.id, None, None, VANDAAG)
    andere_voor = _alle_tekst(wereld.andere_sessie_id)
    stempel = db.session.get(DashboardStand, wereld.gemeente.id).stempel

    result = runner.invoke(args=["opschonen"])
    assert result.exit_code == 0, result.output
    assert "1 opgeschoond" in result.output

    tekst = _alle_tekst(wereld.sessie_id)
    assert GEHEIM not in tekst and "Jansen" not in tekst and "Wim Wijkteam" not in tekst and "De Vries" not in tekst
    assert _tel(Deelnemer, Deelnemer.sessie_id == wereld.sessie_id, Deelnemer.user_id.is_not(None)) == 0
    assert _tel(Knelpunt, Knelpunt.sessie_id == wereld.sessie_id, Knelpunt.deelnemer_id.is_not(None)) == 0
    assert db.session.scalar(select(Ambitie.toelichting)) is None or GEHEIM not in (
        db.session.scalar(
            select(Ambitie.toelichting).join(Verwachting).where(Verwachting.sessie_id == wereld.sessie_id)
        )
        or ""
    )
    assert db.session.get(KnelpuntInstellingen, wereld.sessie_id).timer_label is None
    # The event log replays nothing: a client asking from 0 reloads.
    sessie = db.session.get(Sessie, wereld.sessie_id)
    assert sessie.gewist_tot_seq == sessie.laatste_seq
    assert sessie.opgeschoond_op is not None
    # The figures stay: counts, ratings, besluiten and acties are the same.
    assert cijfers.bereken(wereld.gemeente.id, None, None, VANDAAG) == cijfers_voor
    assert _tel(Knelpunt, Knelpunt.sessie_id == wereld.sessie_id) == 2
    assert _tel(Reactie, Reactie.sessie_id == wereld.sessie_id) == 1
    assert _tel(Beoordeling) == 2
    assert _tel(Besluit) == 2 and _tel(BesluitHistorie) == 4
    assert db.session.get(DashboardStand, wereld.gemeente.id).stempel != stempel
    # The other gemeente's sessie (closed just now) keeps its text.
    assert _alle_tekst(wereld.andere_sessie_id) == andere_voor

    again = runner.invoke(args=["opschonen"])
    assert "0 opgeschoond" in again.output


def test_opschonen_leaves_recent_and_open_sessies_and_zero_means_never(app, wereld, runner):
    voor = _alle_tekst(wereld.sessie_id)
    assert "0 opgeschoond" in runner.invoke(args=["opschonen"]).output  # closed today: within 24 months
    sluit_af_op(wereld.sessie_id, lang_geleden())
    nooit = runner.invoke(args=["opschonen", "--maanden", "0"])
    assert "Geen bewaartermijn" in nooit.output
    assert _alle_tekst(wereld.sessie_id) == voor


# --------------------------------------------------------------------------- the lease


def test_lease_is_taken_by_exactly_one_of_two_app_instances(app, database_url):
    nu = utcnow()
    apps = [make_app(database_url), make_app(database_url)]
    genomen = []
    for andere in apps:
        with andere.app_context():
            genomen.append(taken.neem("opschonen", nu=nu, duur=timedelta(days=1)))
            db.session.remove()
    assert genomen == [True, False]
    # Until the lease expires nobody takes it; after it, one does again.
    for andere in apps:
        with andere.app_context():
            assert not taken.neem("opschonen", nu=nu + timedelta(hours=23), duur=timedelta(days=1))
            db.session.remove()
    with apps[1].app_context():
        assert taken.neem("opschonen", nu=nu + timedelta(days=1, seconds=1), duur=timedelta(days=1))
        db.session.remove()
    for andere in apps:
        with andere.app_context():
            db.engine.dispose()


def test_the_daily_round_runs_once_across_two_app_instances(app, database_url, wereld):
    sluit_af_op(wereld.sessie_id, lang_geleden())
    db.session.commit()
    runs: list[int] = []
    apps = [make_app(database_url), make_app(database_url)]

    def taak(a=None):
        verslag = opschonen.opschonen(maanden=24)
        runs.append(len(verslag.sessies))

    uitkomsten = [taken.ronde(a, "opschonen", taak, duur=timedelta(days=1)) for a in apps]
    assert uitkomsten == [True, False]
    assert runs == [1]
    for a in apps:
        with a.app_context():
            db.engine.dispose()
    db.session.expire_all()
    assert GEHEIM not in _alle_tekst(wereld.sessie_id)


# --------------------------------------------------------------------------- deleting a sessie


def test_begeleider_deletes_own_sessie_and_nothing_of_it_is_left(app, wereld):
    sid = wereld.sessie_id
    andere_voor = cijfers.bereken(wereld.andere.id, None, None, VANDAAG)
    stempel = db.session.get(DashboardStand, wereld.gemeente.id).stempel
    client = app.test_client()
    login(client, wereld.begeleider.email)
    pagina = client.get(f"/sessies/{sid}/verwijderen")
    assert pagina.status_code == 200
    html = pagina.get_data(as_text=True)
    assert "2 knelpunten" in html and "1 acties blijven bestaan" in html

    zonder = post(client, f"/sessies/{sid}/verwijderen", {})
    assert zonder.status_code == 400  # the confirmation box was not ticked
    assert db.session.get(Sessie, sid) is not None

    weg = post(client, f"/sessies/{sid}/verwijderen", {"bevestigd": "y"})
    assert weg.status_code == 302
    db.session.expire_all()
    assert db.session.get(Sessie, sid) is None
    for model in (Knelpunt, Reactie, Stem, Thema, Moderatie, Deelnemer, SessieEvent, Verwachting):
        assert _tel(model, model.sessie_id == sid) == 0, model
    assert _tel(KnelpuntInstellingen, KnelpuntInstellingen.sessie_id == sid) == 0
    assert _tel(Besluit) == 1 and _tel(BesluitHistorie) == 2  # the other gemeente's
    assert _tel(Beoordeling) == 1 and _tel(Ambitie) == 1
    # The actie stays, detached, with a line in its historie.
    actie = db.session.get(Actie, wereld.actie_id)
    assert actie.sessie_id is None and actie.verwachting_id is None and actie.knelpunten == []
    assert [h.reden for h in actie.historie] == ["Sessie verwijderd"]
    # The dashboard stamp moved (migration 0005 triggers); the other gemeente's figures did not change.
    assert db.session.get(DashboardStand, wereld.gemeente.id).stempel != stempel
    assert cijfers.bereken(wereld.andere.id, None, None, VANDAAG) == andere_voor
    assert db.session.scalar(select(BeheerLog.actie).where(BeheerLog.door_id == wereld.begeleider.id)) == (
        "sessie_verwijderd"
    )


@pytest.mark.parametrize("wie", ["beheerder", "beheerder_gemeente"])
def test_beheerder_of_the_gemeente_may_delete_a_sessie(app, wereld, wie):
    client = app.test_client()
    login(client, getattr(wereld, wie).email)
    assert post(client, f"/sessies/{wereld.sessie_id}/verwijderen", {"bevestigd": "y"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Sessie, wereld.sessie_id) is None


@pytest.mark.parametrize("wie", ["beheerder_andere", "begeleider_andere", "beleid", "lid"])
def test_others_may_not_delete_a_sessie(app, wereld, wie):
    client = app.test_client()
    login(client, getattr(wereld, wie).email)
    assert client.get(f"/sessies/{wereld.sessie_id}/verwijderen").status_code == 403
    assert post(client, f"/sessies/{wereld.sessie_id}/verwijderen", {"bevestigd": "y"}).status_code == 403
    db.session.expire_all()
    assert db.session.get(Sessie, wereld.sessie_id) is not None


def test_a_live_sessie_is_not_deleted(app, wereld, factory):
    live = factory.sessie(wereld.begeleider, titel="Nu bezig")
    client = app.test_client()
    login(client, wereld.begeleider.email)
    assert "Sluit haar eerst af" in client.get(f"/sessies/{live.id}/verwijderen").get_data(as_text=True)
    assert post(client, f"/sessies/{live.id}/verwijderen", {"bevestigd": "y"}).status_code == 400
    db.session.expire_all()
    assert db.session.get(Sessie, live.id) is not None


# --------------------------------------------------------------------------- deleting an account


def test_beheerder_deletes_an_account(app, wereld):
    lid_id = wereld.lid.id
    client = app.test_client()
    login(client, wereld.beheerder_gemeente.email)
    assert client.get(f"/beheer/gebruikers/{lid_id}/verwijderen").status_code == 200
    assert post(client, f"/beheer/gebruikers/{lid_id}/verwijderen", {"bevestigd": "y"}).status_code == 302
    db.session.expire_all()
    account = db.session.get(User, lid_id)
    assert account.naam == VERWIJDERD_ACCOUNT and not account.actief and account.verwijderd_op is not None
    assert "@" in account.email and "wijkteamlid" not in account.email and account.team_id is None
    assert _tel(Deelnemer, Deelnemer.user_id == lid_id) == 0
    assert _tel(Deelnemer, Deelnemer.sessie_id == wereld.sessie_id, Deelnemer.naam == "Wim Wijkteam") == 0
    assert _tel(Reactie, Reactie.sessie_id == wereld.sessie_id, Reactie.naam == "Wim Wijkteam") == 0
    # The other gemeente's deelnemer with the same name is someone else and keeps it.
    assert _tel(Deelnemer, Deelnemer.sessie_id == wereld.andere_sessie_id, Deelnemer.naam == "Wim Wijkteam") == 1
    assert _tel(ApiToken, ApiToken.user_id == lid_id) == 0
    # Sign-in is impossible, with the old or any address.
    ander = app.test_client()
    assert login(ander, f"wijkteamlid{lid_id}@ontmoet.test", DEMO_PASSWORD).status_code == 400
    assert login(ander, account.email, DEMO_PASSWORD).status_code == 400
    log = db.session.scalars(select(BeheerLog).where(BeheerLog.onderwerp_id == lid_id)).all()
    assert [r.actie for r in log] == ["account_verwijderd"]


def test_deleted_account_is_signed_out_and_keeps_history_names(app, wereld):
    beleid_id = wereld.beleid.id
    sessie_van_beleid = app.test_client()
    login(sessie_van_beleid, wereld.beleid.email)
    assert sessie_van_beleid.get("/account").status_code == 200
    client = app.test_client()
    login(client, wereld.beheerder.email)
    assert post(client, f"/beheer/gebruikers/{beleid_id}/verwijderen", {"bevestigd": "y"}).status_code == 302
    assert sessie_van_beleid.get("/account").status_code == 302  # back to sign-in
    db.session.expire_all()
    historie = db.session.scalars(select(BesluitHistorie).where(BesluitHistorie.door_id == beleid_id)).all()
    assert historie and all(h.door.naam == VERWIJDERD_ACCOUNT for h in historie)
    assert db.session.get(Actie, wereld.actie_id).eigenaar_naam == VERWIJDERD_ACCOUNT


@pytest.mark.parametrize("wie", ["beheerder_andere", "begeleider", "beleid"])
def test_others_may_not_delete_or_export_an_account(app, wereld, wie):
    client = app.test_client()
    login(client, getattr(wereld, wie).email)
    lid_id = wereld.lid.id
    assert client.get(f"/beheer/gebruikers/{lid_id}/verwijderen").status_code == 403
    assert post(client, f"/beheer/gebruikers/{lid_id}/verwijderen", {"bevestigd": "y"}).status_code == 403
    assert post(client, f"/beheer/gebruikers/{lid_id}/gegevens").status_code == 403
    assert client.get(f"/beheer/gebruikers/{lid_id}").status_code == 403
    db.session.expire_all()
    assert db.session.get(User, lid_id).verwijderd_op is None


def test_a_beheerder_cannot_delete_itself(app, wereld):
    client = app.test_client()
    login(client, wereld.beheerder.email)
    assert post(client, f"/beheer/gebruikers/{wereld.beheerder.id}/verwijderen", {"bevestigd": "y"}).status_code == 400


# --------------------------------------------------------------------------- export


def test_beheerder_downloads_everything_about_one_account(app, wereld):
    client = app.test_client()
    login(client, wereld.beheerder_gemeente.email)
    antwoord = post(client, f"/beheer/gebruikers/{wereld.lid.id}/gegevens")
    assert antwoord.status_code == 200
    assert antwoord.mimetype == "application/json"
    assert "attachment" in antwoord.headers["Content-Disposition"]
    data = json.loads(antwoord.get_data(as_text=True))
    assert data["account"]["email"] == wereld.lid.email
    assert [d["naam"] for d in data["deelnames"]] == ["Wim Wijkteam"]
    assert [k["tekst"] for k in data["knelpunten"]] == [GEHEIM]  # the anonymous one is not linked
    assert len(data["reacties"]) == 1 and len(data["stemmen"]) == 1 and len(data["beoordelingen"]) == 1
    assert [t["naam"] for t in data["api_tokens"]] == ["Mijn script"]
    assert "token_hash" not in json.dumps(data)
    db.session.expire_all()
    assert db.session.scalar(select(BeheerLog.actie).where(BeheerLog.onderwerp_id == wereld.lid.id)) == (
        "gegevens_geexporteerd"
    )


def test_a_person_downloads_their_own_data(app, wereld):
    client = app.test_client()
    login(client, wereld.beleid.email)
    pagina = client.get("/account")
    assert "Mijn gegevens downloaden" in pagina.get_data(as_text=True)
    data = json.loads(post(client, "/account/gegevens").get_data(as_text=True))
    assert data["account"]["id"] == wereld.beleid.id
    assert [b["soort"] for b in data["besluiten"]] == ["opgepakt", "niet_opgepakt"]
    assert [a["omschrijving"] for a in data["acties"]] == ["Werkinstructie herindicatie aanpassen"]
    assert client.post("/account/gegevens").status_code == 400  # no CSRF token
    assert app.test_client().post("/account/gegevens").status_code in (302, 400)


# --------------------------------------------------------------------------- besluit historie


def test_every_besluit_change_adds_a_history_row_that_cannot_be_changed(app, wereld):
    knelpunt = db.session.scalar(
        select(Knelpunt).where(Knelpunt.sessie_id == wereld.sessie_id, Knelpunt.thema_id.is_not(None))
    )
    rijen = db.session.scalars(
        select(BesluitHistorie).where(BesluitHistorie.knelpunt_id == knelpunt.id).order_by(BesluitHistorie.id)
    ).all()
    assert [(r.soort, r.reden, r.toelichting, r.door_id) for r in rijen] == [
        ("opgepakt", None, "Eerste versie", wereld.beleid.id),
        ("niet_opgepakt", "Tweede versie: past niet in beleid", None, wereld.beleid.id),
    ]
    client = app.test_client()
    login(client, wereld.beleid.email)
    html = client.get(f"/sessies/{wereld.sessie_id}/besluiten").get_data(as_text=True)
    assert "Eerdere besluiten (1)" in html and "Eerste versie" in html
    with pytest.raises((IntegrityError, DBAPIError)):
        db.session.execute(text("UPDATE besluit_historie SET soort = 'opgepakt'"))
        db.session.flush()
    db.session.rollback()


# --------------------------------------------------------------------------- logboek


def test_beheerder_actions_are_logged_and_readable_per_gemeente(app, wereld):
    client = app.test_client()
    login(client, wereld.beheerder_gemeente.email)
    beleid = wereld.beleid
    formulier = {
        "naam": beleid.naam,
        "email": beleid.email,
        "rol": "begeleider",
        "perspectief": "",
        "gemeente": str(wereld.gemeente.id),
        "team": "0",
        "wachtwoord": "een-nieuw-wachtwoord",
    }
    assert post(client, f"/beheer/gebruikers/{beleid.id}", formulier).status_code == 302
    assert post(client, f"/beheer/gebruikers/{beleid.id}/actief").status_code == 302
    assert post(client, f"/beheer/gebruikers/{beleid.id}/actief").status_code == 302
    db.session.expire_all()
    rijen = db.session.scalars(
        select(BeheerLog).where(BeheerLog.onderwerp_id == beleid.id).order_by(BeheerLog.id)
    ).all()
    assert [r.actie for r in rijen] == ["wachtwoord_gereset", "rol_gewijzigd", "uitgeschakeld", "ingeschakeld"]
    assert rijen[1].details == "rol: beleidsmedewerker → begeleider"
    assert all(r.door_id == wereld.beheerder_gemeente.id for r in rijen)
    assert "een-nieuw-wachtwoord" not in " ".join(r.details or "" for r in rijen)

    pagina = client.get("/beheer/logboek").get_data(as_text=True)
    assert "Rol gewijzigd" in pagina and "Wachtwoord opnieuw ingesteld" in pagina
    # The other gemeente's beheerder sees none of it; a beheerder of all gemeenten does.
    andere = app.test_client()
    login(andere, wereld.beheerder_andere.email)
    assert "Rol gewijzigd" not in andere.get("/beheer/logboek").get_data(as_text=True)
    alle = app.test_client()
    login(alle, wereld.beheerder.email)
    assert "Rol gewijzigd" in alle.get("/beheer/logboek").get_data(as_text=True)
    # Append-only in the database.
    with pytest.raises((IntegrityError, DBAPIError)):
        db.session.execute(text("DELETE FROM beheer_log"))
        db.session.flush()
    db.session.rollback()


def test_non_beheerder_cannot_read_the_logboek(app, wereld):
    client = app.test_client()
    login(client, wereld.begeleider.email)
    assert client.get("/beheer/logboek").status_code == 403
    assert app.test_client().get("/beheer/logboek").status_code == 302


def test_a_beheerder_of_one_gemeente_cannot_move_an_account_out_of_it(app, wereld):
    client = app.test_client()
    login(client, wereld.beheerder_gemeente.email)
    formulier = {
        "naam": wereld.lid.naam,
        "email": wereld.lid.email,
        "rol": "beheerder",
        "perspectief": "",
        "gemeente": "0",
        "team": "0",
        "wachtwoord": "",
    }
    assert post(client, f"/beheer/gebruikers/{wereld.lid.id}", formulier).status_code == 403
    db.session.expire_all()
    assert db.session.get(User, wereld.lid.id).rol == "wijkteamlid"


def test_the_pages_offer_the_new_controls_only_to_who_may_use_them(app, wereld):
    beheerder = app.test_client()
    login(beheerder, wereld.beheerder_gemeente.email)
    html = beheerder.get(f"/beheer/gebruikers/{wereld.lid.id}").get_data(as_text=True)
    assert "Gegevens downloaden" in html and "Account verwijderen" in html
    assert "Logboek beheer" in beheerder.get("/beheer/").get_data(as_text=True)
    leider = app.test_client()
    login(leider, wereld.begeleider.email)
    assert "Sessie verwijderen" in leider.get(f"/sessies/{wereld.sessie_id}").get_data(as_text=True)
    beleid = app.test_client()
    login(beleid, wereld.beleid.email)
    pagina = beleid.get(f"/sessies/{wereld.sessie_id}")
    assert pagina.status_code == 200 and "Sessie verwijderen" not in pagina.get_data(as_text=True)
    # A deleted account leaves the beheer list.
    email = wereld.lid.email
    assert email in beheerder.get("/beheer/").get_data(as_text=True)
    assert post(beheerder, f"/beheer/gebruikers/{wereld.lid.id}/verwijderen", {"bevestigd": "y"}).status_code == 302
    assert email not in beheerder.get("/beheer/").get_data(as_text=True)
