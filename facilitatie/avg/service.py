"""Deleting a sessie or an account, and logging a data export: one unit of work each.

Deleting a sessie removes everything of it: knelpunten (with their besluiten and besluit
historie, 'eerder gemeld' links, volglinks), thema's, reacties, stemmen, moderatie, verwachtingen with
ratings and ambities, rondes, settings, deelnemers, presence and the whole event log.
Acties stay, detached from the sessie (sessie, verwachting and knelpunt links removed, a line
in their append-only historie says why): they are commitments of the gemeente, and their
historie cannot be deleted. The dashboard triggers of migration 0005 fire on the deletes.

Deleting an account keeps its row, because history points at it (besluiten, actie historie,
moderatie, sessies it led, the logboek): the name becomes "Verwijderd account", the e-mail
address, password, perspectief and wijkteam are removed, its API tokens deleted, and its
deelnames lose their name and account link. It can never sign in again.
"""

from __future__ import annotations

from sqlalchemy import delete, or_, select, update

from facilitatie.accounts import logboek
from facilitatie.accounts.models import VERWIJDERD_ACCOUNT, Beheeractie, User
from facilitatie.accounts.rollen import beheert_account, mag_sessie_verwijderen
from facilitatie.extensions import db
from facilitatie.fouten import Geweigerd, Ongeldig
from facilitatie.knelpunten.models import Knelpunt, KnelpuntInstellingen, Moderatie, Reactie, Stem, Thema
from facilitatie.leerkring.models import Bijdrage, Casus, Evaluatie, PeilingAntwoord, Vooruitblik
from facilitatie.meldingen.models import Mail, Meldingvoorkeur
from facilitatie.models_base import utcnow
from facilitatie.opvolging.models import (
    Actie,
    ActieHistorie,
    ApiToken,
    Besluit,
    BesluitHistorie,
    EerderGemeld,
    actie_knelpunt,
    sessie_reeks,
)
from facilitatie.sessies.models import Aanwezigheid, Deelnemer, Sessie, SessieEvent, Status, sessie_team
from facilitatie.verwachtingen.models import Ambitie, Beoordeling, Instellingen, Ronde, Verwachting
from facilitatie.volgen.models import Volglink
from facilitatie.werk import transactie

_GEEN_SYNC = {"synchronize_session": False}


@transactie
def sessie_verwijderen(sessie: Sessie, door: User) -> int:
    """Remove a sessie and everything of it (see the module); returns the number of knelpunten removed."""
    if not mag_sessie_verwijderen(door, sessie):
        raise Geweigerd("Alleen de begeleider van deze sessie of een beheerder kan haar verwijderen.")
    if sessie.status == Status.LIVE:
        raise Ongeldig("sessie", "Deze sessie is live. Sluit haar eerst af en verwijder haar daarna.")
    sid = sessie.id
    db.session.execute(select(Sessie.id).where(Sessie.id == sid).with_for_update())
    knelpunten = select(Knelpunt.id).where(Knelpunt.sessie_id == sid).scalar_subquery()
    verwachtingen = select(Verwachting.id).where(Verwachting.sessie_id == sid).scalar_subquery()
    aantal = len(db.session.scalars(select(Knelpunt.id).where(Knelpunt.sessie_id == sid)).all())
    nu = utcnow()

    acties = db.session.scalars(
        select(Actie)
        .where(
            or_(
                Actie.sessie_id == sid,
                Actie.verwachting_id.in_(verwachtingen),
                Actie.id.in_(select(actie_knelpunt.c.actie_id).where(actie_knelpunt.c.knelpunt_id.in_(knelpunten))),
            )
        )
        .order_by(Actie.id)
    ).all()
    for actie in acties:
        db.session.add(
            ActieHistorie(
                actie_id=actie.id,
                door_id=door.id,
                op=nu,
                veld="sessie",
                van=str(sid),
                naar=None,
                reden="Sessie verwijderd",
            )
        )
    db.session.execute(
        update(Actie).where(Actie.sessie_id == sid).values(sessie_id=None).execution_options(**_GEEN_SYNC)
    )
    db.session.execute(
        update(Actie)
        .where(Actie.verwachting_id.in_(verwachtingen))
        .values(verwachting_id=None)
        .execution_options(**_GEEN_SYNC)
    )
    stappen = [
        delete(Aanwezigheid).where(Aanwezigheid.sessie_id == sid),
        delete(Stem).where(Stem.sessie_id == sid),
        delete(Moderatie).where(Moderatie.sessie_id == sid),
        delete(Reactie).where(Reactie.sessie_id == sid),
        delete(Volglink).where(Volglink.knelpunt_id.in_(knelpunten)),
        delete(actie_knelpunt).where(actie_knelpunt.c.knelpunt_id.in_(knelpunten)),
        delete(EerderGemeld).where(
            or_(EerderGemeld.knelpunt_id.in_(knelpunten), EerderGemeld.eerder_id.in_(knelpunten))
        ),
        delete(BesluitHistorie).where(BesluitHistorie.knelpunt_id.in_(knelpunten)),
        delete(Besluit).where(Besluit.knelpunt_id.in_(knelpunten)),
        update(Verwachting).where(Verwachting.knelpunt_id.in_(knelpunten)).values(knelpunt_id=None),
        delete(Beoordeling).where(Beoordeling.verwachting_id.in_(verwachtingen)),
        delete(Ambitie).where(Ambitie.verwachting_id.in_(verwachtingen)),
        delete(Verwachting).where(Verwachting.sessie_id == sid),
        delete(Ronde).where(Ronde.sessie_id == sid),
        delete(Instellingen).where(Instellingen.sessie_id == sid),
        delete(Knelpunt).where(Knelpunt.sessie_id == sid),
        delete(Thema).where(Thema.sessie_id == sid),
        delete(KnelpuntInstellingen).where(KnelpuntInstellingen.sessie_id == sid),
        delete(SessieEvent).where(SessieEvent.sessie_id == sid),
        delete(Bijdrage).where(Bijdrage.sessie_id == sid),
        delete(Evaluatie).where(Evaluatie.sessie_id == sid),
        delete(PeilingAntwoord).where(PeilingAntwoord.sessie_id == sid),
        delete(Casus).where(Casus.sessie_id == sid),
        delete(Vooruitblik).where(Vooruitblik.sessie_id == sid),
        delete(Deelnemer).where(Deelnemer.sessie_id == sid),
        delete(sessie_team).where(sessie_team.c.sessie_id == sid),
        delete(sessie_reeks).where(sessie_reeks.c.sessie_id == sid),
    ]
    for stap in stappen:
        db.session.execute(stap.execution_options(**_GEEN_SYNC))
    logboek.schrijf(
        door,
        Beheeractie.SESSIE_VERWIJDERD,
        gemeente_id=sessie.gemeente_id,
        details=f"sessie {sid} ({sessie.status}), {aantal} knelpunten, {len(acties)} acties losgekoppeld",
    )
    db.session.execute(delete(Sessie).where(Sessie.id == sid).execution_options(**_GEEN_SYNC))
    db.session.expunge(sessie)
    return aantal


@transactie
def account_verwijderen(account: User, door: User) -> None:
    """Delete an account: personal fields removed, name replaced, sign-in impossible (see the module)."""
    if not beheert_account(door, account):
        raise Geweigerd("Alleen een beheerder van deze gemeente kan dit account verwijderen.")
    if account.id == door.id:
        raise Ongeldig("account", "Je kunt je eigen account niet verwijderen.")
    if account.verwijderd_op is not None:
        raise Ongeldig("account", "Dit account is al verwijderd.")
    deelnames = select(Deelnemer.id).where(Deelnemer.user_id == account.id).scalar_subquery()
    db.session.execute(
        update(Reactie).where(Reactie.deelnemer_id.in_(deelnames)).values(naam=None).execution_options(**_GEEN_SYNC)
    )
    db.session.execute(
        update(Deelnemer)
        .where(Deelnemer.user_id == account.id)
        .values(naam=None, user_id=None)
        .execution_options(**_GEEN_SYNC)
    )
    db.session.execute(delete(ApiToken).where(ApiToken.user_id == account.id).execution_options(**_GEEN_SYNC))
    # Mails to the account hold its address and name; its switches are about a person who is gone.
    db.session.execute(delete(Mail).where(Mail.ontvanger_id == account.id).execution_options(**_GEEN_SYNC))
    db.session.execute(
        delete(Meldingvoorkeur).where(Meldingvoorkeur.user_id == account.id).execution_options(**_GEEN_SYNC)
    )
    oude_rol = account.rol
    account.naam = VERWIJDERD_ACCOUNT
    account.email = f"verwijderd-{account.id}@verwijderd.invalid"
    account.password_hash = "!verwijderd"  # noqa: S105 - not an argon2 hash: nothing verifies against it
    account.actief = False
    account.perspectief = None
    account.team_id = None
    account.verwijderd_op = utcnow()
    logboek.schrijf(door, Beheeractie.ACCOUNT_VERWIJDERD, onderwerp=account, details=f"rol: {oude_rol}")


@transactie
def export_vastleggen(account: User, door: User) -> None:
    """A beheerder downloaded someone's data: that goes in the logboek (one's own download does not)."""
    if door.id != account.id:
        if not beheert_account(door, account):
            raise Geweigerd("Alleen een beheerder van deze gemeente kan deze gegevens downloaden.")
        logboek.schrijf(door, Beheeractie.GEGEVENS_GEEXPORTEERD, onderwerp=account)
