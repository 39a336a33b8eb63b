"""Queueing mails, and who wants them: the only way a mail enters the outbox.

Mails are queued inside the transaction of the change they are about (the opvolging's
blinker signals fire before its commit, see `opvolging.gebeurtenissen`), so the change and
its mails commit together or not at all. Nothing here does I/O: `verzenden` sends later.

Adding a new kind of mail (e.g. the begeleider's daily digest of new signalen, or the
"is het opgelost?" question):
1. a template `templates/meldingen/mail/<naam>.txt` that sets `onderwerp` and writes the body
   as plain text (the HTML part and the footer with the afmeldlink are made from it, `opmaak`);
2. one function here that picks the recipients and calls `in_wachtrij(ontvanger, soort,
   "<naam>", sleutel=…, **context)` for each; connect it to a signal at the bottom of this
   module, or call it from a scheduled job in `planning` (give a scheduled mail a `sleutel`,
   e.g. "digest:<user>:<date>", so it is queued once per due moment whoever runs the job);
3. when people must be able to switch it on or off separately, a `Soort` with its label
   (`soorten.py`); otherwise reuse one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from functools import partial
from typing import Any

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from facilitatie import adres
from facilitatie.accounts.models import User
from facilitatie.accounts.rollen import Rol
from facilitatie.extensions import db
from facilitatie.fouten import Ongeldig
from facilitatie.knelpunten.models import Knelpunt
from facilitatie.meldingen import opmaak
from facilitatie.meldingen.models import Mail, Mailstatus, Meldingvoorkeur
from facilitatie.meldingen.soorten import (
    DAGEN_VOORAF,
    DIGEST_MARGE,
    DIGEST_TERUG,
    SOORT_LABELS,
    Soort,
    soorten_voor,
    vorige_maand,
)
from facilitatie.models_base import utcnow
from facilitatie.opvolging import gebeurtenissen
from facilitatie.opvolging.dashboard import dashboard_van
from facilitatie.opvolging.models import Actie, ActieHistorie, Besluit
from facilitatie.opvolging.regels import STATUS_LABELS, Actiestatus
from facilitatie.signalen import lezen as signalen_lezen
from facilitatie.signalen.models import Aanleiding, OpgelostVraag
from facilitatie.werk import transactie

_MAANDEN = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)  # fmt: skip


# --------------------------------------------------------------------------- afmelden


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="ontmoet.meldingen.afmelden")


def afmeldtoken(user_id: int, soort: str) -> str:
    """A signed token naming one account and one kind of mail: works without signing in, for that account only."""
    return _serializer().dumps([user_id, soort])


def lees_afmeldtoken(token: str) -> tuple[int, Soort] | None:
    """(user id, soort) from a token this app signed; None for anything else."""
    try:
        waarde = _serializer().loads(token)
    except (BadSignature, UnicodeError, ValueError):
        return None
    if not (isinstance(waarde, list) and len(waarde) == 2 and type(waarde[0]) is int and waarde[1] in set(Soort)):
        return None
    return waarde[0], Soort(waarde[1])


@transactie
def afmelden(user: User, soort: Soort) -> None:
    """Stop one kind of mail for one account (the afmeldlink; idempotent)."""
    db.session.execute(
        delete(Meldingvoorkeur).where(Meldingvoorkeur.user_id == user.id, Meldingvoorkeur.soort == soort)
    )


# --------------------------------------------------------------------------- voorkeuren


def voorkeuren(user: User) -> set[str]:
    """The kinds of mail this account asked for (and may still get)."""
    mogelijk = set(soorten_voor(user))
    rijen = db.session.scalars(select(Meldingvoorkeur.soort).where(Meldingvoorkeur.user_id == user.id))
    return {s for s in rijen if s in mogelijk}


def wil(user: User, soort: Soort) -> bool:
    """Whether this account opted in to this kind of mail (opt-in: nothing without a row)."""
    if soort not in soorten_voor(user):
        return False
    return (
        db.session.scalar(
            select(Meldingvoorkeur.soort).where(Meldingvoorkeur.user_id == user.id, Meldingvoorkeur.soort == soort)
        )
        is not None
    )


@transactie
def voorkeuren_opslaan(user: User, gekozen: Iterable[str]) -> set[str]:
    """Store the switches of the "Meldingen per e-mail" page; only kinds this account can get."""
    mogelijk = set(soorten_voor(user))
    gekozen = set(gekozen)
    if gekozen - mogelijk:
        raise Ongeldig("soorten", "Kies alleen uit de meldingen op deze pagina.")
    huidig = set(db.session.scalars(select(Meldingvoorkeur.soort).where(Meldingvoorkeur.user_id == user.id)))
    weg = huidig - gekozen
    if weg:
        db.session.execute(
            delete(Meldingvoorkeur).where(Meldingvoorkeur.user_id == user.id, Meldingvoorkeur.soort.in_(weg))
        )
    for soort in sorted(gekozen - huidig):
        db.session.add(Meldingvoorkeur(user_id=user.id, soort=soort))
    return gekozen


# --------------------------------------------------------------------------- de wachtrij


def in_wachtrij(
    ontvanger: User, soort: Soort, sjabloon: str, *, sleutel: str | None = None, **context: object
) -> Mail | None:
    """Queue one mail to one account when it opted in; None when it did not (or `sleutel` was queued before).

    Runs inside the caller's transaction and only adds a row: rendering needs no I/O.
    """
    if not ontvanger.actief or ontvanger.verwijderd_op is not None or "@" not in (ontvanger.email or ""):
        return None
    if not wil(ontvanger, soort):
        return None
    if sleutel is not None and db.session.scalar(select(Mail.id).where(Mail.sleutel == sleutel)) is not None:
        return None
    afmeldlink = adres.buiten_url("meldingen.afmelden", token=afmeldtoken(ontvanger.id, soort))
    opgemaakt = opmaak.maak(
        sjabloon, afmeldlink=afmeldlink, reden=SOORT_LABELS[soort].lower(), ontvanger=ontvanger, **context
    )
    mail = Mail(
        soort=soort,
        ontvanger_id=ontvanger.id,
        gemeente_id=ontvanger.gemeente_id,
        aan=ontvanger.email,
        onderwerp=opgemaakt.onderwerp,
        tekst=opgemaakt.tekst,
        html=opgemaakt.html,
        afmeldlink=afmeldlink,
        sleutel=sleutel,
        status=Mailstatus.WACHTRIJ,
        volgende_poging_op=utcnow(),
    )
    if sleutel is None:
        db.session.add(mail)
        return mail
    try:
        with db.session.begin_nested():
            db.session.add(mail)
    except IntegrityError:
        return None  # another process queued the same sleutel a moment ago: once is enough
    return mail


def _teamleden(team_ids: set[int], behalve: User | None, soort: Soort) -> list[User]:
    """Active members of these teams who asked for `soort` (most changes concern nobody who did)."""
    if not team_ids:
        return []
    vraag = (
        select(User)
        .join(Meldingvoorkeur, Meldingvoorkeur.user_id == User.id)
        .where(
            Meldingvoorkeur.soort == soort,
            User.team_id.in_(team_ids),
            User.actief.is_(True),
            User.verwijderd_op.is_(None),
        )
    )
    if behalve is not None:
        vraag = vraag.where(User.id != behalve.id)  # who made the change needs no mail about it
    return list(db.session.scalars(vraag.order_by(User.id)))


def _aan_teams(
    team_ids: set[int], door: User | None, sjabloon: str, link: Callable[[], str], **context: Any
) -> list[Mail]:
    """One terugkoppeling mail to every member of these teams who asked for it (not to `door`)."""
    leden = _teamleden(team_ids, door, Soort.TERUGKOPPELING)
    if not leden:
        return []
    adres_ = link()
    mails = [in_wachtrij(lid, Soort.TERUGKOPPELING, sjabloon, link=adres_, **context) for lid in leden]
    return [m for m in mails if m is not None]


def besluit_gemeld(knelpunt: Knelpunt, besluit: Besluit, door: User | None) -> list[Mail]:
    """The reporting team's members hear that a knelpunt of theirs got a besluit."""
    if knelpunt.team_id is None or knelpunt.verborgen:
        return []
    link = partial(adres.buiten_url, "opvolging.terugkoppeling_team", team_id=knelpunt.team_id)
    return _aan_teams({knelpunt.team_id}, door, "besluit", link, knelpunt=knelpunt, besluit=besluit, team=knelpunt.team)


def actiestatus_gemeld(actie: Actie, van: str, naar: str, door: User | None) -> list[Mail]:
    """The members of every team with a knelpunt under this actie hear that its status changed."""
    teams = {k.team_id for k in actie.knelpunten if k.team_id is not None and not k.verborgen}
    if not teams:
        return []
    notitie = db.session.scalar(  # the voortgangsnotitie given with this change, if any
        select(ActieHistorie.reden)
        .where(ActieHistorie.actie_id == actie.id, ActieHistorie.veld == "status")
        .order_by(ActieHistorie.id.desc())
        .limit(1)
    )
    return _aan_teams(
        teams,
        door,
        "actiestatus",
        partial(adres.buiten_url, "opvolging.actie", actie_id=actie.id),
        actie=actie,
        van_label=STATUS_LABELS.get(Actiestatus(van), van),
        naar_label=STATUS_LABELS.get(Actiestatus(naar), naar),
        notitie=notitie,
    )


def opgelost_gevraagd(vraag: OpgelostVraag, door: User | None) -> list[Mail]:
    """The reporting team's members are asked "is het opgelost?" (the same opt-in and rules as
    `besluit_gemeld`); the mail links to the question in the app, where they answer."""
    knelpunt = vraag.knelpunt
    if knelpunt.verborgen:
        return []
    return _aan_teams(
        {vraag.team_id},
        door,
        "opgelost",
        partial(adres.buiten_url, "signalen.opgelost", vraag_id=vraag.id),
        knelpunt=knelpunt,
        team=vraag.team,
        al_opgelost=vraag.aanleiding == Aanleiding.AL_OPGELOST,
    )


_BRON_UITLEG = {
    "signaal": "gemeld in Ontmoet",
    "meldlink": "via de meldlink van het team",
    "api": "uit een ander systeem",
    "heropend": 'terug: het team antwoordde nee op "Is het opgelost?"',
}


@transactie
def signalen_digesten(nu: datetime) -> int:
    """Queue the daily digest of new signalen for each begeleider and beleidsmedewerker who asked for it.

    "New" is what came in since that person's previous digest (at most DIGEST_TERUG back, and not
    before they switched it on) and still waits in the inbox; nothing new, no mail. The window ends
    DIGEST_MARGE before `nu` and the next one starts there, so a signaal being stored while the job
    runs is in the next digest, never in none or in two. The `sleutel` holds the day: however often
    the job runs, one digest per person per day. The mail names no melder (anonymous or not).
    """
    tot = nu - DIGEST_MARGE
    ontvangers = db.session.execute(
        select(User, Meldingvoorkeur.aangezet_op)
        .join(Meldingvoorkeur, Meldingvoorkeur.user_id == User.id)
        .where(
            Meldingvoorkeur.soort == Soort.SIGNALEN,
            User.rol.in_((Rol.BEGELEIDER, Rol.BELEIDSMEDEWERKER)),
            User.gemeente_id.is_not(None),
            User.actief.is_(True),
            User.verwijderd_op.is_(None),
        )
        .order_by(User.id)
    ).all()
    link = adres.buiten_url("signalen.inbox")
    aantal = 0
    for ontvanger, aangezet_op in ontvangers:
        gemeente_id = ontvanger.gemeente_id
        assert gemeente_id is not None
        vorige = db.session.scalar(
            select(func.max(Mail.aangemaakt_op)).where(Mail.ontvanger_id == ontvanger.id, Mail.soort == Soort.SIGNALEN)
        )
        van = max(vorige - DIGEST_MARGE if vorige else aangezet_op, nu - DIGEST_TERUG)
        if van >= tot:
            continue
        signalen = [
            k
            for k in signalen_lezen.binnengekomen(gemeente_id, van, tot)
            if k.deelnemer is None or k.deelnemer.user_id != ontvanger.id  # not what I reported myself
        ]
        if not signalen:
            continue
        per_team: dict[str, list[dict[str, str]]] = {}
        for k in signalen:
            per_team.setdefault(k.team.naam if k.team else "Zonder wijkteam", []).append(
                {"titel": k.titel, "domein": k.domein, "bron": _BRON_UITLEG.get(k.bron, "")}
            )
        mail = in_wachtrij(
            ontvanger,
            Soort.SIGNALEN,
            "signalen_digest",
            sleutel=f"signalen:{ontvanger.id}:{nu.date().isoformat()}",
            aantal=len(signalen),
            gemeente=ontvanger.gemeente,
            per_team=sorted(per_team.items()),
            link=link,
        )
        if mail is not None:
            mail.aangemaakt_op = nu  # where the next digest of this person starts (minus the marge)
            aantal += 1
    return aantal


@transactie
def streefdatum_herinneringen(vandaag: date) -> int:
    """Queue the eigenaar's reminders: DAGEN_VOORAF days before a running actie's streefdatum, and once after it.

    Each is queued once per actie and streefdatum (the `sleutel`); a new streefdatum gets its own.
    """
    acties = db.session.scalars(
        select(Actie)
        .where(
            Actie.status.in_((Actiestatus.OPEN, Actiestatus.IN_UITVOERING)),
            Actie.eigenaar_id.is_not(None),
            Actie.streefdatum.is_not(None),
            Actie.streefdatum <= vandaag + timedelta(days=DAGEN_VOORAF),
        )
        .order_by(Actie.id)
    )
    aantal = 0
    for actie in acties:
        eigenaar, datum = actie.eigenaar, actie.streefdatum
        if eigenaar is None or datum is None:
            continue
        link = adres.buiten_url("opvolging.actie", actie_id=actie.id)
        if datum >= vandaag:
            mail = in_wachtrij(
                eigenaar,
                Soort.STREEFDATUM,
                "streefdatum_nadert",
                sleutel=f"streefdatum-voor:{actie.id}:{datum.isoformat()}:{eigenaar.id}",
                actie=actie,
                dagen=(datum - vandaag).days,
                link=link,
            )
        else:
            mail = in_wachtrij(
                eigenaar,
                Soort.STREEFDATUM,
                "streefdatum_voorbij",
                sleutel=f"streefdatum-na:{actie.id}:{datum.isoformat()}:{eigenaar.id}",
                actie=actie,
                link=link,
            )
        aantal += mail is not None
    return aantal


@transactie
def maandstanden(vandaag: date) -> int:
    """Queue the monthly "stand van de opvolging" over last month for every wethouder who asked for it."""
    van, tot = vorige_maand(vandaag)
    maand = f"{_MAANDEN[van.month - 1]} {van.year}"
    wethouders = db.session.scalars(
        select(User)
        .join(Meldingvoorkeur, Meldingvoorkeur.user_id == User.id)
        .where(
            Meldingvoorkeur.soort == Soort.MAANDSTAND,
            User.rol == Rol.WETHOUDER,
            User.gemeente_id.is_not(None),
            User.actief.is_(True),
            User.verwijderd_op.is_(None),
        )
        .order_by(User.id)
    )
    cijfers: dict[int, object] = {}
    aantal = 0
    for wethouder in wethouders:
        gemeente_id = wethouder.gemeente_id
        assert gemeente_id is not None
        if gemeente_id not in cijfers:
            cijfers[gemeente_id] = dashboard_van(gemeente_id, van, tot, vandaag)
        link = adres.buiten_url("opvolging.dashboard", gemeente=gemeente_id, van=van.isoformat(), tot=tot.isoformat())
        mail = in_wachtrij(
            wethouder,
            Soort.MAANDSTAND,
            "maandstand",
            sleutel=f"maandstand:{wethouder.id}:{van:%Y-%m}",
            d=cijfers[gemeente_id],
            maand=maand,
            link=link,
        )
        aantal += mail is not None
    return aantal


@transactie
def opnieuw_proberen(mail: Mail) -> Mail:
    """The beheerder puts a failed mail back in the queue, to be tried at once."""
    if mail.status != Mailstatus.MISLUKT:
        raise Ongeldig("mail", "Alleen een mislukte mail kan opnieuw worden geprobeerd.")
    mail.status = Mailstatus.WACHTRIJ
    mail.pogingen = 0
    mail.volgende_poging_op = utcnow()
    mail.geclaimd_tot = None
    mail.geclaimd_door = None
    return mail


# --------------------------------------------------------------------------- signals


@gebeurtenissen.besluit_vastgelegd.connect
def _bij_besluit(knelpunt: Knelpunt, *, besluit: Besluit, door: User, **_: object) -> None:
    besluit_gemeld(knelpunt, besluit, door)


@gebeurtenissen.actie_status_gewijzigd.connect
def _bij_actiestatus(actie: Actie, *, van: str, naar: str, door: User, **_: object) -> None:
    actiestatus_gemeld(actie, van, naar, door)


@gebeurtenissen.opgelost_gevraagd.connect
def _bij_opgelost_gevraagd(vraag: OpgelostVraag, *, door: User | None = None, **_: object) -> None:
    opgelost_gevraagd(vraag, door)
