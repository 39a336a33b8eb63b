"""The mails of the signalen: "Is het opgelost?" to the reporting team, and the begeleider's daily
digest of new signalen (once per person per day, however often and wherever the job runs)."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select

from facilitatie.extensions import db
from facilitatie.meldingen import planning, service
from facilitatie.meldingen.models import Mail, Meldingvoorkeur
from facilitatie.meldingen.soorten import Soort
from facilitatie.models_base import utcnow
from facilitatie.opvolging import service as opvolging
from facilitatie.signalen import lezen as signalen_lezen
from facilitatie.signalen import service as signalen
from tests.conftest import login
from tests.meldingen.test_meldingen import DAG, alle_mails, in_twee_werkers, verstuur

NU = datetime(2026, 3, 10, 8, 0)


def aanzetten(user, soort: Soort, *, sinds: datetime = NU - timedelta(days=30)) -> None:
    db.session.add(Meldingvoorkeur(user_id=user.id, soort=soort, aangezet_op=sinds))
    db.session.commit()


def meld(w, op: datetime, tekst: str, **velden):
    """A signaal of Vechtstede that came in at `op`."""
    standaard = {
        "gemeente_id": w.gemeente.id,
        "team_id": w.noord.id,
        "domein": "Wmo",
        "tekst": tekst,
        "anoniem": False,
        "bron": "signaal",
        "door": w.lid_noord,
    }
    with current_app.test_request_context("/"):
        knelpunt = signalen.melden(**{**standaard, **velden})
        knelpunt.aangemaakt_op = op
        db.session.commit()
    return knelpunt


def digesten() -> list[Mail]:
    return [m for m in alle_mails() if m.soort == Soort.SIGNALEN]


# --------------------------------------------------------------------------- is het opgelost?


def test_al_opgelost_asks_the_reporting_team_by_mail_linking_to_the_question(app, wereld, factory, client, smtp):
    w = wereld
    stil = factory.user("wijkteamlid", gemeente=w.gemeente, team=w.noord, naam="Stille Collega")  # not opted in
    aanzetten(w.lid_noord, Soort.TERUGKOPPELING)
    aanzetten(w.lid_zuid, Soort.TERUGKOPPELING)  # another team: not its knelpunt
    signaal = meld(w, NU, "De herindicatie voor een traplift duurt twaalf weken.", anoniem=True)
    with current_app.test_request_context("/"):
        signalen.besluit_zonder_sessie(signaal, w.beleid, soort="al_opgelost", toelichting="Regel aangepast.")
    [vraag] = signalen_lezen.open_vragen(w.noord.id)

    mails = alle_mails()
    [mail] = [m for m in mails if m.onderwerp.startswith("Is het opgelost?")]
    assert {m.aan for m in mails} == {w.lid_noord.email}  # the besluit mail and the question, nobody else
    assert "al is opgelost" in mail.tekst and "traplift" in mail.onderwerp
    assert f"https://ontmoet.example.nl/opgelost/{vraag.id}" in mail.tekst

    verstuur()
    [bericht] = [b for b in smtp.aan(w.lid_noord.email) if b["Subject"].startswith("Is het opgelost?")]
    assert f"/opgelost/{vraag.id}" in bericht.get_body(("html",)).get_content()
    assert stil.email not in smtp.ontvangers() and w.lid_zuid.email not in smtp.ontvangers()
    login(client, w.lid_noord.email)  # the link leads to the question, answered in the app
    pagina = client.get(f"/opgelost/{vraag.id}")
    assert pagina.status_code == 200 and "Antwoord versturen" in pagina.get_data(as_text=True)


def test_no_opgelost_mail_without_opting_in_or_without_a_team(app, wereld):
    w = wereld
    aanzetten(w.lid_noord, Soort.STREEFDATUM)  # another kind only
    opvolging.besluit_nemen(w.k["k4"], w.beleid, soort="al_opgelost", toelichting="Geregeld.")
    assert signalen_lezen.open_vragen(w.noord.id) != []  # asked in the app all the same
    aanzetten(w.lid_zuid, Soort.TERUGKOPPELING)
    opvolging.besluit_nemen(w.k["k5"], w.beleid, soort="al_opgelost", toelichting="Geregeld.")  # k5: no team
    assert alle_mails() == []


# --------------------------------------------------------------------------- the digest


def test_the_digest_lists_what_came_in_since_the_previous_one_once_a_day(app, wereld, smtp):
    w = wereld
    aanzetten(w.begeleider, Soort.SIGNALEN)
    aanzetten(w.beleid, Soort.SIGNALEN)
    meld(w, NU - timedelta(hours=20), "De herindicatie voor een traplift duurt twaalf weken.")
    meld(
        w, NU - timedelta(hours=3), "Bij een bijverdienste stopt de uitkering eerst.",
        team_id=w.zuid.id, bron="meldlink", door=None, anoniem=True, domein="Participatie / werk en inkomen",
    )  # fmt: skip
    meld(w, NU - timedelta(hours=2), "Dezelfde vragenlijst bij elke aanbieder.", bron="meldlink", door=None,
         naam="Ahmed Melder", domein="Jeugd")  # fmt: skip
    meld(w, NU - timedelta(hours=1), "Wat de begeleider zelf meldde.", door=w.begeleider)
    besloten = meld(w, NU - timedelta(hours=4), "Al besloten voor de digest liep.")
    with current_app.test_request_context("/"):
        signalen.besluit_zonder_sessie(besloten, w.beleid, soort="opgepakt")
    meld(w, NU - timedelta(days=9), "Te oud: dit staat al lang in de inbox.")
    meld(w, NU - timedelta(hours=1), "Anderstad telt niet mee.", gemeente_id=w.andere.id, team_id=None, door=w.lid_x)
    meld(w, NU - timedelta(minutes=1), "Komt pas in de volgende digest.")

    assert service.signalen_digesten(NU) == 2
    voor_begeleider, voor_beleid = sorted(digesten(), key=lambda m: m.ontvanger_id != w.begeleider.id)
    assert voor_begeleider.aan == w.begeleider.email and voor_beleid.aan == w.beleid.email
    assert voor_begeleider.onderwerp == "3 nieuwe signalen voor Vechtstede"
    tekst = voor_begeleider.tekst
    for verwacht in ("traplift", "bijverdienste", "vragenlijst", "Wijkteam Noord", "Wijkteam Zuid", "meldlink"):
        assert verwacht in tekst
    for niet in ("Ahmed", w.lid_noord.naam, "zelf meldde", "Al besloten", "Te oud", "Anderstad", "volgende digest"):
        assert niet not in tekst  # no melder is named, own and handled signalen are no news
    assert "Wat de begeleider zelf meldde." in voor_beleid.tekst  # only the begeleider's own is left out of its mail
    assert "https://ontmoet.example.nl/signalen" in tekst

    # The job again the same day, even with something new: one digest per person per day.
    meld(w, NU + timedelta(hours=1), "Nog een signaal, dezelfde dag.")
    assert service.signalen_digesten(NU) == 0
    assert service.signalen_digesten(NU + timedelta(hours=6)) == 0
    assert len(digesten()) == 2
    # The next day: only what came in since the previous digest.
    assert service.signalen_digesten(NU + DAG) == 2
    nieuw = [m for m in digesten() if m.sleutel == f"signalen:{w.begeleider.id}:2026-03-11"]
    assert [m.onderwerp for m in nieuw] == ["2 nieuwe signalen voor Vechtstede"]
    assert "volgende digest" in nieuw[0].tekst and "dezelfde dag" in nieuw[0].tekst
    assert "traplift" not in nieuw[0].tekst
    assert service.signalen_digesten(NU + 2 * DAG) == 0  # nothing new: no mail

    verstuur()
    assert smtp.ontvangers() == sorted([w.begeleider.email] * 2 + [w.beleid.email] * 2)
    [eerste, _] = smtp.aan(w.begeleider.email)
    assert eerste["Subject"] == "3 nieuwe signalen voor Vechtstede"
    assert eerste["List-Unsubscribe"].strip().startswith("<https://ontmoet.example.nl/meldingen/afmelden/")
    assert "https://ontmoet.example.nl/signalen" in eerste.get_body(("html",)).get_content()


def test_no_digest_when_nothing_is_new(app, wereld):
    w = wereld
    aanzetten(w.begeleider, Soort.SIGNALEN)
    assert service.signalen_digesten(NU) == 0  # no signaal at all
    meld(w, NU - timedelta(days=40), "Van voor de melding aan stond.")
    aanzetten(w.beleid, Soort.SIGNALEN, sinds=NU - timedelta(hours=1))
    meld(w, NU - timedelta(hours=2), "Binnen voordat beleid de mail aanzette.")
    assert service.signalen_digesten(NU) == 1  # the begeleider: the recent one only
    assert [m.aan for m in digesten()] == [w.begeleider.email]
    assert service.signalen_digesten(NU + DAG) == 0
    assert len(digesten()) == 1


def test_the_digest_respects_opt_in_and_opt_out(app, wereld):
    w = wereld
    meld(w, NU - timedelta(hours=2), "De herindicatie voor een traplift duurt twaalf weken.")
    aanzetten(w.wethouder, Soort.SIGNALEN)  # not a kind the wethouder can get (soorten_voor)
    assert service.signalen_digesten(NU) == 0  # nobody opted in who may
    aanzetten(w.begeleider, Soort.SIGNALEN)
    service.afmelden(w.begeleider, Soort.SIGNALEN)  # the afmeldlink
    assert service.signalen_digesten(NU) == 0
    assert alle_mails() == []


def test_two_workers_queue_one_digest_per_person_per_day(app, database_url, wereld, smtp_poort):
    w = wereld
    aanzetten(w.begeleider, Soort.SIGNALEN)
    meld(w, utcnow() - timedelta(hours=1), "De herindicatie voor een traplift duurt twaalf weken.")
    apps, gedraaid = in_twee_werkers(database_url, smtp_poort, "signalen-digest", planning.signalen_digest)
    assert sorted(gedraaid) == [False, True]  # one of the two ran it
    [mail] = alle_mails()
    assert mail.aan == w.begeleider.email and mail.sleutel.startswith(f"signalen:{w.begeleider.id}:")
    # Past the lease (a second process that found it expired) the sleutel still holds the day.
    for a in apps:
        with a.app_context():
            assert planning.signalen_digest() == 0
            db.session.remove()
    assert db.session.scalars(select(Mail.id)).all() == [mail.id]
    for a in apps:
        with a.app_context():
            db.engine.dispose()
