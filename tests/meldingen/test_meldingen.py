"""Meldingen per e-mail against a real SMTP server: who gets what, opt-out, retries, exactly once."""

from __future__ import annotations

import json
import threading
from datetime import date, timedelta

import pytest
from itsdangerous import URLSafeSerializer
from sqlalchemy import select

from facilitatie import taken
from facilitatie.avg import service as avg
from facilitatie.extensions import db
from facilitatie.meldingen import planning, service, verzenden
from facilitatie.meldingen.models import Mail, Mailstatus, Meldingvoorkeur
from facilitatie.meldingen.soorten import Soort
from facilitatie.models_base import utcnow
from facilitatie.opvolging import gebeurtenissen
from facilitatie.opvolging import service as opvolging
from tests.conftest import login, make_app, post
from tests.meldingen.conftest import mail_instellingen


def aanzetten(user, *soorten: Soort) -> None:
    for soort in soorten:
        db.session.add(Meldingvoorkeur(user_id=user.id, soort=soort))
    db.session.commit()


def alle_mails() -> list[Mail]:
    db.session.expire_all()
    return list(db.session.scalars(select(Mail).order_by(Mail.id)))


def verstuur(**kw) -> verzenden.Ronde:
    ronde = verzenden.verstuur_wachtrij(**kw)
    db.session.expire_all()
    return ronde


DAG = timedelta(days=1)


# --------------------------------------------------------------------------- who gets what


def test_besluit_mails_the_reporting_teams_members_who_opted_in(app, wereld, factory, smtp):
    w = wereld
    stil = factory.user("wijkteamlid", gemeente=w.gemeente, team=w.noord, naam="Stille Collega")  # not opted in
    aanzetten(w.lid_noord, Soort.TERUGKOPPELING)
    aanzetten(w.lid_zuid, Soort.TERUGKOPPELING)  # another team: not about its knelpunt

    reden = "Landelijke regel, daar gaan wij niet over."
    opvolging.besluit_nemen(w.k["k4"], w.beleid, soort="niet_opgepakt", reden=reden)
    db.session.commit()
    assert [m.aan for m in alle_mails()] == [w.lid_noord.email]

    assert verstuur().verstuurd == 1
    assert smtp.ontvangers() == [w.lid_noord.email]
    [bericht] = smtp.aan(w.lid_noord.email)
    assert "Niet opgepakt" in bericht["Subject"]
    assert bericht["From"] == "Ontmoet <ontmoet@gemeente.test>"
    assert bericht["List-Unsubscribe"].strip().startswith("<https://ontmoet.example.nl/meldingen/afmelden/")
    assert bericht["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    tekst = bericht.get_body(("plain",)).get_content()
    html = bericht.get_body(("html",)).get_content()
    for deel in (tekst, html):
        assert "Geen zicht op de jeugdhulp na 18 jaar" in deel
        assert "Landelijke regel" in deel
        assert "/teams/" in deel and "/terugkoppeling" in deel
    assert stil.email not in smtp.ontvangers()
    assert alle_mails()[0].status == Mailstatus.VERSTUURD


def test_actie_status_change_mails_the_team_but_not_who_changed_it(app, wereld, smtp):
    w = wereld
    aanzetten(w.lid_noord, Soort.TERUGKOPPELING)
    actie = w.a["a2"]  # eigenaar lid_noord, knelpunt k1 of Noord
    opvolging.status_wijzigen(actie, w.lid_noord, "in_uitvoering")  # lid_noord did it: no mail to self
    assert alle_mails() == []
    opvolging.status_wijzigen(actie, w.beleid, "afgerond", "De werkinstructie staat op intranet.")
    # a2 was k1's last open actie: besides the status change the team is asked "is het opgelost?".
    mails = alle_mails()  # receivers run in no promised order: tell the two apart by subject
    [mail] = [m for m in mails if m.onderwerp.startswith("Actie afgerond")]
    [vraag] = [m for m in mails if m.onderwerp.startswith("Is het opgelost?")]
    assert len(mails) == 2
    assert "De werkinstructie staat op intranet." in mail.tekst
    assert mail.aan == w.lid_noord.email and "Afgerond" in mail.tekst and "In uitvoering" in mail.tekst
    assert vraag.aan == w.lid_noord.email
    verstuur()
    assert smtp.ontvangers() == [w.lid_noord.email, w.lid_noord.email]


def test_mails_are_queued_in_the_changes_own_transaction(app, wereld):
    """When the change fails after the mail was queued, neither is stored: they commit together or not at all."""
    w = wereld
    aanzetten(w.lid_noord, Soort.TERUGKOPPELING)

    def kapot(knelpunt, **kw: object) -> None:  # a receiver fails after a mail was queued
        # Receivers run in no promised order: queue one here first, so the rollback has a mail to undo.
        service._bij_besluit(knelpunt, **kw)
        assert db.session.query(Mail).count() >= 1  # queued (autoflushed) in this same transaction
        raise RuntimeError("webhook-wachtrij stuk")

    with gebeurtenissen.besluit_vastgelegd.connected_to(kapot), pytest.raises(RuntimeError):
        opvolging.besluit_nemen(w.k["k4"], w.beleid, soort="opgepakt")
    assert alle_mails() == []
    opvolging.besluit_nemen(w.k["k4"], w.beleid, soort="opgepakt")
    assert len(alle_mails()) == 1


def test_nobody_gets_mail_without_opting_in(app, wereld, smtp):
    w = wereld
    opvolging.besluit_nemen(w.k["k4"], w.beleid, soort="opgepakt")
    opvolging.status_wijzigen(w.a["a2"], w.beleid, "in_uitvoering")
    assert service.streefdatum_herinneringen(date(2026, 2, 5)) == 0
    assert service.maandstanden(date(2026, 3, 1)) == 0
    assert alle_mails() == []


def test_streefdatum_reminders_before_and_after_each_once(app, wereld, smtp):
    w = wereld
    aanzetten(w.lid_noord, Soort.STREEFDATUM)  # eigenaar of a2, streefdatum 31-01-2026
    aanzetten(w.beleid, Soort.STREEFDATUM)  # eigenaar of a3 (2099) and of the vervallen a4: nothing due
    assert service.streefdatum_herinneringen(date(2026, 1, 28)) == 1
    assert service.streefdatum_herinneringen(date(2026, 1, 29)) == 0  # once per streefdatum
    assert service.streefdatum_herinneringen(date(2026, 2, 2)) == 1  # now it is past
    assert service.streefdatum_herinneringen(date(2026, 2, 3)) == 0
    nadert, voorbij = alle_mails()
    assert nadert.aan == voorbij.aan == w.lid_noord.email
    assert "nadert" in nadert.onderwerp and "over 3 dagen" in nadert.tekst
    assert "voorbij" in voorbij.onderwerp
    verstuur()
    assert smtp.ontvangers() == [w.lid_noord.email, w.lid_noord.email]


def test_monthly_stand_for_the_wethouder_once_a_month(app, wereld, smtp):
    w = wereld
    aanzetten(w.wethouder, Soort.MAANDSTAND)
    assert service.maandstanden(date(2026, 2, 1)) == 1  # about januari 2026
    assert service.maandstanden(date(2026, 2, 15)) == 0
    [mail] = alle_mails()
    assert mail.aan == w.wethouder.email
    assert "januari 2026" in mail.onderwerp and "Vechtstede" in mail.onderwerp
    # k1 and k2 were signalled in januari (the rest in februari): the dashboard's figures for that month.
    assert "Knelpunten gesignaleerd in januari 2026: 2" in mail.tekst
    assert "- Opgepakt: 1" in mail.tekst and "- Niet opgepakt: 1" in mail.tekst
    assert "/dashboard?" in mail.tekst
    verstuur()
    assert smtp.ontvangers() == [w.wethouder.email]


def test_a_deleted_account_loses_its_mails_and_switches(app, wereld):
    w = wereld
    aanzetten(w.lid_noord, Soort.TERUGKOPPELING)
    opvolging.besluit_nemen(w.k["k4"], w.beleid, soort="opgepakt")
    assert len(alle_mails()) == 1
    avg.account_verwijderen(w.lid_noord, w.beheerder)
    assert alle_mails() == []
    assert db.session.scalars(select(Meldingvoorkeur)).all() == []


# --------------------------------------------------------------------------- opt-out


def test_afmeldlink_needs_one_click_and_then_stops_that_kind_of_mail(app, wereld, client, smtp):
    w = wereld
    aanzetten(w.lid_noord, Soort.TERUGKOPPELING, Soort.STREEFDATUM)
    opvolging.besluit_nemen(w.k["k4"], w.beleid, soort="opgepakt")
    [mail] = alle_mails()
    pad = mail.afmeldlink.removeprefix("https://ontmoet.example.nl")

    pagina = client.get(pad)  # a link preview or virus scanner only GETs: nothing changes yet
    assert pagina.status_code == 200 and "Afmelden" in pagina.get_data(as_text=True)
    assert service.wil(w.lid_noord, Soort.TERUGKOPPELING)

    klaar = post(client, pad)
    assert klaar.status_code == 200 and "Je bent afgemeld" in klaar.get_data(as_text=True)
    assert not service.wil(w.lid_noord, Soort.TERUGKOPPELING)
    assert service.wil(w.lid_noord, Soort.STREEFDATUM)  # only the kind this mail was about

    opvolging.besluit_nemen(w.k["k1"], w.beleid, soort="al_opgelost", toelichting="Geregeld.")
    assert len(alle_mails()) == 1  # nothing new queued


def test_one_click_unsubscribe_from_a_mail_program_works_without_csrf(app, wereld, client):
    w = wereld
    aanzetten(w.lid_noord, Soort.TERUGKOPPELING)
    token = service.afmeldtoken(w.lid_noord.id, Soort.TERUGKOPPELING)
    antwoord = client.post(f"/meldingen/afmelden/{token}", data={"List-Unsubscribe": "One-Click"})
    assert antwoord.status_code == 200
    assert not service.wil(w.lid_noord, Soort.TERUGKOPPELING)


def test_an_afmeldtoken_cannot_unsubscribe_another_account(app, wereld, client):
    w = wereld
    aanzetten(w.lid_noord, Soort.TERUGKOPPELING)
    aanzetten(w.lid_zuid, Soort.TERUGKOPPELING)
    token = service.afmeldtoken(w.lid_zuid.id, Soort.TERUGKOPPELING)
    assert client.post(f"/meldingen/afmelden/{token}").status_code == 200
    assert service.wil(w.lid_noord, Soort.TERUGKOPPELING)  # the other account is untouched

    # A token changed by hand (another user id, or signed with another key) is not a token.
    andere_sleutel = URLSafeSerializer("een-andere-sleutel", salt="ontmoet.meldingen.afmelden")
    vals = andere_sleutel.dumps([w.lid_noord.id, "terugkoppeling"])
    _lading, handtekening = token.split(".")
    geknoeid = URLSafeSerializer("x").dump_payload([w.lid_noord.id, "terugkoppeling"]).decode() + "." + handtekening
    for slecht in (vals, geknoeid, "onzin", token[:-2]):
        assert client.get(f"/meldingen/afmelden/{slecht}").status_code == 404
        assert client.post(f"/meldingen/afmelden/{slecht}").status_code == 404
    assert service.wil(w.lid_noord, Soort.TERUGKOPPELING)


# --------------------------------------------------------------------------- the settings page


def test_settings_page_turns_kinds_on_and_off(app, wereld, client):
    w = wereld
    login(client, w.lid_noord.email)
    pagina = client.get("/account/meldingen").get_data(as_text=True)
    assert "Meldingen per e-mail" in pagina
    assert "Besluiten en acties over knelpunten van mijn team" in pagina
    assert "Maandelijkse stand" not in pagina  # that one is for the wethouder
    antwoord = post(client, "/account/meldingen", {"soorten": ["terugkoppeling", "streefdatum"]})
    assert antwoord.status_code == 302
    assert service.voorkeuren(w.lid_noord) == {"terugkoppeling", "streefdatum"}
    assert "Je keuze is opgeslagen" in client.get("/account/meldingen").get_data(as_text=True)
    post(client, "/account/meldingen", {"soorten": ["streefdatum"]})
    assert service.voorkeuren(w.lid_noord) == {"streefdatum"}


def test_settings_page_refuses_a_kind_that_is_not_offered(app, wereld, client):
    w = wereld
    login(client, w.lid_noord.email)
    antwoord = post(client, "/account/meldingen", {"soorten": ["terugkoppeling", "maandstand"]})
    assert antwoord.status_code == 400
    assert "Kies alleen uit de meldingen op deze pagina" in antwoord.get_data(as_text=True)
    assert service.voorkeuren(w.lid_noord) == set()  # nothing stored
    zonder_csrf = client.post("/account/meldingen", data={"soorten": ["terugkoppeling"]})
    assert zonder_csrf.status_code == 400
    assert service.voorkeuren(w.lid_noord) == set()


def test_settings_page_needs_sign_in_and_says_when_nothing_applies(app, wereld, client):
    assert client.get("/account/meldingen").status_code == 302
    login(client, wereld.beheerder.email)
    pagina = client.get("/account/meldingen").get_data(as_text=True)
    assert "geen meldingen per e-mail" in pagina


# --------------------------------------------------------------------------- the outbox page


def test_outbox_is_for_the_beheerder_only(app, wereld, factory, client):
    w = wereld
    aanzetten(w.lid_noord, Soort.TERUGKOPPELING)
    aanzetten(w.lid_x, Soort.TERUGKOPPELING)
    opvolging.besluit_nemen(w.k["k4"], w.beleid, soort="opgepakt")
    opvolging.besluit_nemen(w.kx, w.beleid_x, soort="opgepakt")
    eigen, vreemd = alle_mails()
    beheerder_x = factory.user("beheerder", gemeente=w.andere, naam="Beheer Anderstad")

    for rol in (w.begeleider, w.beleid, w.wethouder, w.lid_noord):
        login(client, rol.email)
        assert client.get("/beheer/mail").status_code == 403
        assert client.get(f"/beheer/mail/{eigen.id}").status_code == 403
        assert post(client, f"/beheer/mail/{eigen.id}/opnieuw").status_code == 403
        post(client, "/uitloggen")
    login(client, beheerder_x.email)  # a beheerder of Anderstad reads only Anderstad's mail
    lijst = client.get("/beheer/mail").get_data(as_text=True)
    assert vreemd.onderwerp in lijst and w.lid_noord.email not in lijst
    assert client.get(f"/beheer/mail/{eigen.id}").status_code == 404
    assert client.get(f"/beheer/mail/{vreemd.id}").status_code == 200
    post(client, "/uitloggen")
    login(client, w.beheerder.email)  # bound to no gemeente: reads all
    lijst = client.get("/beheer/mail").get_data(as_text=True)
    assert w.lid_noord.email in lijst and w.lid_x.email in lijst
    assert "geen mailserver" not in lijst
    assert client.get("/beheer/mail/999999").status_code == 404
    assert client.get("/beheer/mail?status=onzin").status_code == 200


def test_outbox_page_without_smtp_shows_queued_mail_with_its_content(database_url, wereld, client):
    """`make run`'s default: no MAIL_SERVER, the mail waits and the beheerder can read it."""
    w = wereld
    aanzetten(w.lid_noord, Soort.TERUGKOPPELING)
    opvolging.besluit_nemen(w.k["k4"], w.beleid, soort="opgepakt")
    zonder = make_app(database_url)
    with zonder.app_context():
        assert verzenden.verstuur_wachtrij().verstuurd == 0  # nothing is sent, nothing is lost
        db.session.remove()
    c = zonder.test_client()
    login(c, w.beheerder.email)
    lijst = c.get("/beheer/mail").get_data(as_text=True)
    assert "Er is geen mailserver ingesteld" in lijst and "In de wachtrij" in lijst
    [mail] = alle_mails()
    detail = c.get(f"/beheer/mail/{mail.id}").get_data(as_text=True)
    assert "Geen zicht op de jeugdhulp na 18 jaar" in detail and "geen mailserver ingesteld" in detail
    with zonder.app_context():
        db.engine.dispose()


# --------------------------------------------------------------------------- failure and retry


def test_unreachable_smtp_leaves_the_mail_queued_with_its_error_then_sends_it_once(app, wereld, client, start_smtp):
    w = wereld
    aanzetten(w.lid_noord, Soort.TERUGKOPPELING)
    opvolging.besluit_nemen(w.k["k4"], w.beleid, soort="opgepakt")
    nu = utcnow()

    ronde = verstuur(nu=nu)  # nothing listens on MAIL_PORT
    assert (ronde.verstuurd, ronde.uitgesteld) == (0, 1)
    [mail] = alle_mails()
    assert mail.status == Mailstatus.WACHTRIJ and mail.pogingen == 1
    assert mail.fout.startswith(verzenden.VERBINDINGSFOUT)
    assert mail.volgende_poging_op > nu  # back-off: not again at once
    gezond = client.get("/healthz")
    assert gezond.status_code == 503 and "MAIL_SERVER" in gezond.get_data(as_text=True)
    login(client, w.beheerder.email)
    assert verzenden.VERBINDINGSFOUT in client.get(f"/beheer/mail/{mail.id}").get_data(as_text=True)

    postbus = start_smtp().postbus  # the server is back
    assert verstuur(nu=nu).verstuurd == 0  # still in its back-off
    assert verstuur(nu=nu + timedelta(minutes=5)).verstuurd == 1
    assert verstuur(nu=nu + timedelta(hours=1)).verstuurd == 0
    assert postbus.ontvangers() == [w.lid_noord.email]
    [mail] = alle_mails()
    assert mail.status == Mailstatus.VERSTUURD and mail.fout is None and mail.pogingen == 2
    assert client.get("/healthz").status_code == 200


def test_after_the_last_attempt_the_mail_is_mislukt_and_the_beheerder_can_retry(app, wereld, client, start_smtp):
    w = wereld
    app.config["MAIL_MAX_POGINGEN"] = 2
    aanzetten(w.lid_noord, Soort.TERUGKOPPELING)
    opvolging.besluit_nemen(w.k["k4"], w.beleid, soort="opgepakt")
    nu = utcnow()
    verstuur(nu=nu)
    assert verstuur(nu=nu + timedelta(hours=1)).mislukt == 1
    [mail] = alle_mails()
    assert mail.status == Mailstatus.MISLUKT and mail.pogingen == 2
    assert verstuur(nu=nu + timedelta(days=1)).verstuurd == 0  # a failed mail is not tried by itself

    login(client, w.beheerder.email)
    assert "Mislukt (1)" in client.get("/beheer/mail").get_data(as_text=True)
    assert post(client, f"/beheer/mail/{mail.id}/opnieuw").status_code == 302
    assert post(client, f"/beheer/mail/{mail.id}/opnieuw").status_code == 409  # queued, not failed: refused
    postbus = start_smtp().postbus
    assert verstuur().verstuurd == 1
    assert postbus.ontvangers() == [w.lid_noord.email]


def test_a_recipient_refused_for_good_fails_at_once(app, wereld, smtp):
    w = wereld
    aanzetten(w.lid_noord, Soort.TERUGKOPPELING)
    opvolging.besluit_nemen(w.k["k4"], w.beleid, soort="opgepakt")
    [mail] = alle_mails()
    mail.aan = "onbekend@gemeente.test"  # the test server refuses it with 550
    db.session.commit()
    assert verstuur().mislukt == 1
    assert alle_mails()[0].status == Mailstatus.MISLUKT


# --------------------------------------------------------------------------- two workers


def test_two_workers_send_each_mail_exactly_once(app, database_url, wereld, smtp_poort, smtp):
    w = wereld
    aanzetten(w.lid_noord, Soort.TERUGKOPPELING)
    for i in range(30):
        service.in_wachtrij(
            w.lid_noord, Soort.TERUGKOPPELING, "besluit", knelpunt=w.k["k4"], team=w.noord,
            besluit=type("B", (), {"label": f"Besluit {i:02d}", "uitleg": ""})(), link="https://x.test",
        )  # fmt: skip
    db.session.commit()
    apps = [make_app(database_url, **mail_instellingen(smtp_poort)) for _ in range(2)]
    start = threading.Barrier(2)
    verstuurd: list[int] = [0, 0]
    fouten: list[BaseException] = []

    def werker(i: int) -> None:
        try:
            with apps[i].app_context():
                start.wait()
                while (ronde := verzenden.verstuur_wachtrij()).verstuurd or ronde.uitgesteld:
                    verstuurd[i] += ronde.verstuurd
                db.session.remove()
        except BaseException as fout:
            fouten.append(fout)

    draden = [threading.Thread(target=werker, args=(i,)) for i in range(2)]
    for d in draden:
        d.start()
    for d in draden:
        d.join(60)
    assert not fouten, fouten
    assert sum(verstuurd) == 30
    onderwerpen = sorted(b["Subject"] for b in smtp.aan(w.lid_noord.email))
    assert len(onderwerpen) == 30 and len(set(onderwerpen)) == 30  # every mail once, none twice
    assert {m.status for m in alle_mails()} == {Mailstatus.VERSTUURD}
    for a in apps:
        with a.app_context():
            db.engine.dispose()


def in_twee_werkers(database_url: str, smtp_poort: int, taak: str, functie) -> tuple[list, list[bool]]:
    """Two app instances (as two processes would) run the same scheduled job at the same moment;
    returns the apps and, per worker, whether it ran the job (the lease lets one of them)."""
    apps = [make_app(database_url, **mail_instellingen(smtp_poort)) for _ in range(2)]
    start = threading.Barrier(2)
    gedraaid: list[bool] = []
    fouten: list[BaseException] = []

    def werker(i: int) -> None:
        try:
            start.wait()
            gedraaid.append(taken.ronde(apps[i], taak, functie, duur=DAG))
        except BaseException as fout:
            fouten.append(fout)

    draden = [threading.Thread(target=werker, args=(i,)) for i in range(2)]
    for d in draden:
        d.start()
    for d in draden:
        d.join(60)
    assert not fouten, fouten
    return apps, gedraaid


def test_two_workers_run_each_due_job_once(app, database_url, wereld, smtp_poort):
    w = wereld
    aanzetten(w.lid_noord, Soort.STREEFDATUM)  # a2: streefdatum long past, one reminder due
    apps, gedraaid = in_twee_werkers(database_url, smtp_poort, "streefdatum-herinneringen", planning.herinneringen)
    assert sorted(gedraaid) == [False, True]  # one of the two ran it
    assert [m.sleutel.split(":")[0] for m in alle_mails()] == ["streefdatum-na"]
    # The lease holds for the day: neither runs it again before then.
    assert not any(taken.ronde(a, "streefdatum-herinneringen", planning.herinneringen, duur=DAG) for a in apps)
    assert len(alle_mails()) == 1
    for a in apps:
        with a.app_context():
            db.engine.dispose()


def test_the_accounts_own_data_includes_its_switches_and_mails(app, wereld, client):
    w = wereld
    aanzetten(w.lid_noord, Soort.TERUGKOPPELING)
    opvolging.besluit_nemen(w.k["k4"], w.beleid, soort="opgepakt")
    login(client, w.lid_noord.email)
    data = json.loads(post(client, "/account/gegevens").get_data(as_text=True))
    assert data["meldingen_per_email"] == ["terugkoppeling"]
    [mail] = data["mails"]
    assert mail["aan"] == w.lid_noord.email and mail["status"] == "wachtrij"
