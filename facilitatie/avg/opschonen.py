"""The bewaartermijn: free text of sessies closed longer ago is removed, the figures stay.

`opschonen` (the `flask opschonen` command and the daily task, see taken.py) finds sessies
afgesloten more than ONTMOET_BEWAARTERMIJN_MAANDEN months ago and not cleaned yet, and per
sessie, in one unit of work:

- knelpunt: tekst replaced by VERWIJDERD, link to the deelnemer, request id and edit key gone,
  its volglinks deleted (the holder's key to it, like the edit key);
  domein, wijkteam, dates, thema and besluit stay (the dashboard counts them);
- reactie: tekst replaced, name and deelnemer gone; perspectief and dates stay;
- thema: its name becomes "Thema <n>";
- moderatie: reden replaced (who and when stay);
- verwachting and ambitie: toelichting removed; the verwachting itself (a policy ambition,
  not about people) and the ratings stay, so the figures of the kloof stay;
- deelnemer: name and account link removed; perspectief stays (figures per perspectief);
- leerkring: the casus (vraag, context, inbrenger), vragen and reflecties (tekst, author link)
  and the next inbrenger's name replaced or removed; evaluatie and peiling figures stay;
- knelpunt settings: the timer label removed; presence rows deleted;
- the event log: every payload wiped (realtime.wis_log), so nothing can be replayed.

Signalen (facilitatie/signalen) still in their gemeente's signalenbak never get a closed sessie:
one is cleaned the same way once its besluit, or without besluit its arrival, lies further back
than the bewaartermijn; the answers to "Is het opgelost?" about a cleaned knelpunt lose their
toelichting, and a named melder's deelnemer in the bak loses name and account once none of
their signalen keeps text.

Besluiten (with their historie) and acties stay: they are decisions and work of the gemeente,
not about people, and are written under the privacy guard. docs/privacy.md says it in Dutch.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import delete, func, select, update

from facilitatie import realtime
from facilitatie.extensions import db
from facilitatie.knelpunten.models import Knelpunt, KnelpuntInstellingen, Moderatie, Reactie, Thema
from facilitatie.leerkring.models import Bijdrage, Casus, Vooruitblik
from facilitatie.models_base import utcnow
from facilitatie.opvolging.models import Besluit, DashboardStand
from facilitatie.sessies.models import Aanwezigheid, Deelnemer, Sessie, SessieEvent, Status
from facilitatie.signalen.models import OpgelostVraag
from facilitatie.verwachtingen.models import Ambitie, Verwachting
from facilitatie.volgen.models import Volglink
from facilitatie.werk import transactie

VERWIJDERD = "Tekst verwijderd na de bewaartermijn."


@dataclass
class Verslag:
    """What was (or, in a dry run, would be) removed."""

    grens: datetime | None
    sessies: list[int] = field(default_factory=list)
    knelpunten: int = 0
    reacties: int = 0
    themas: int = 0
    verwachtingen: int = 0
    deelnemers: int = 0
    events: int = 0
    signalen: int = 0

    def regels(self, proef: bool) -> list[str]:
        if self.grens is None:
            return ["Geen bewaartermijn ingesteld (ONTMOET_BEWAARTERMIJN_MAANDEN=0): niets opgeschoond."]
        werkwoord = "zou worden opgeschoond" if proef else "opgeschoond"
        return [
            f"Sessies afgesloten vóór {self.grens:%Y-%m-%d}: {len(self.sessies)} {werkwoord}.",
            f"Knelpunten: {self.knelpunten}, reacties: {self.reacties}, thema's: {self.themas}, "
            f"verwachtingen met toelichting: {self.verwachtingen}, deelnemers met naam of account: {self.deelnemers}, "
            f"gebeurtenissen in het logboek: {self.events}.",
            f"Signalen in de signalenbak met besluit of melding vóór {self.grens:%Y-%m-%d}: {self.signalen}.",
        ]


def maanden_terug(nu: datetime, maanden: int) -> datetime:
    """The same moment `maanden` calendar months earlier (the 31st becomes the month's last day)."""
    jaar, maand = divmod(nu.year * 12 + (nu.month - 1) - maanden, 12)
    maand += 1
    volgende = datetime(jaar + (maand == 12), maand % 12 + 1, 1)
    laatste_dag = (volgende - datetime(jaar, maand, 1)).days
    return nu.replace(year=jaar, month=maand, day=min(nu.day, laatste_dag))


def te_schonen(grens: datetime) -> list[Sessie]:
    """Closed sessies past the bewaartermijn whose free text is still there."""
    return list(
        db.session.scalars(
            select(Sessie)
            .where(
                Sessie.status == Status.AFGESLOTEN,
                Sessie.afgesloten_op < grens,
                Sessie.opgeschoond_op.is_(None),
            )
            .order_by(Sessie.id)
        )
    )


def _tel(model: type, *voorwaarden: object) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*voorwaarden)) or 0  # type: ignore[arg-type]


def _tellen(sessie: Sessie, verslag: Verslag) -> None:
    verslag.sessies.append(sessie.id)
    verslag.knelpunten += _tel(Knelpunt, Knelpunt.sessie_id == sessie.id)
    verslag.reacties += _tel(Reactie, Reactie.sessie_id == sessie.id)
    verslag.themas += _tel(Thema, Thema.sessie_id == sessie.id)
    verslag.verwachtingen += _tel(Verwachting, Verwachting.sessie_id == sessie.id, Verwachting.toelichting.is_not(None))
    verslag.deelnemers += _tel(
        Deelnemer, Deelnemer.sessie_id == sessie.id, (Deelnemer.naam.is_not(None)) | (Deelnemer.user_id.is_not(None))
    )
    verslag.events += _tel(SessieEvent, SessieEvent.sessie_id == sessie.id, SessieEvent.seq > sessie.gewist_tot_seq)


def _schoon(sessie: Sessie, nu: datetime) -> None:
    sid = sessie.id
    db.session.execute(select(Sessie.id).where(Sessie.id == sid).with_for_update())
    geen_sync = {"synchronize_session": False}
    db.session.execute(
        update(Knelpunt)
        .where(Knelpunt.sessie_id == sid)
        .values(tekst=VERWIJDERD, deelnemer_id=None, client_request_id=None, sleutel_hash=None)
        .execution_options(**geen_sync)
    )
    knelpunten = select(Knelpunt.id).where(Knelpunt.sessie_id == sid).scalar_subquery()
    db.session.execute(delete(Volglink).where(Volglink.knelpunt_id.in_(knelpunten)).execution_options(**geen_sync))
    db.session.execute(
        update(Reactie)
        .where(Reactie.sessie_id == sid)
        .values(tekst=VERWIJDERD, naam=None, deelnemer_id=None, client_request_id=None)
        .execution_options(**geen_sync)
    )
    for nummer, thema in enumerate(db.session.scalars(select(Thema).where(Thema.sessie_id == sid).order_by(Thema.id))):
        thema.naam = f"Thema {nummer + 1}"
    db.session.execute(
        update(Moderatie).where(Moderatie.sessie_id == sid).values(reden=VERWIJDERD).execution_options(**geen_sync)
    )
    verwachtingen = select(Verwachting.id).where(Verwachting.sessie_id == sid).scalar_subquery()
    db.session.execute(
        update(Verwachting).where(Verwachting.sessie_id == sid).values(toelichting=None).execution_options(**geen_sync)
    )
    db.session.execute(
        update(Ambitie)
        .where(Ambitie.verwachting_id.in_(verwachtingen))
        .values(toelichting=None)
        .execution_options(**geen_sync)
    )
    db.session.execute(
        update(Deelnemer)
        .where(Deelnemer.sessie_id == sid)
        .values(naam=None, user_id=None)
        .execution_options(**geen_sync)
    )
    db.session.execute(
        update(KnelpuntInstellingen)
        .where(KnelpuntInstellingen.sessie_id == sid)
        .values(timer_label=None)
        .execution_options(**geen_sync)
    )
    _schoon_leerkring(sid)
    db.session.execute(delete(Aanwezigheid).where(Aanwezigheid.sessie_id == sid).execution_options(**geen_sync))
    db.session.execute(
        update(OpgelostVraag)
        .where(OpgelostVraag.knelpunt_id.in_(select(Knelpunt.id).where(Knelpunt.sessie_id == sid)))
        .values(toelichting=None)
        .execution_options(**geen_sync)
    )
    realtime.wis_log(sessie)
    sessie.opgeschoond_op = nu
    # Texts shown on the dashboard (titles of knelpunten) changed: computed figures are stale.
    db.session.execute(
        update(DashboardStand)
        .where(DashboardStand.gemeente_id == sessie.gemeente_id)
        .values(stempel=secrets.token_hex(16))
        .execution_options(**geen_sync)
    )


def signalen_te_schonen(grens: datetime) -> list[int]:
    """Signalen in a signalenbak whose besluit (or, without one, whose arrival) is older than `grens`."""
    besloten_op = select(Besluit.besloten_op).where(Besluit.knelpunt_id == Knelpunt.id).scalar_subquery()
    return list(
        db.session.scalars(
            select(Knelpunt.id)
            .join(Sessie, Sessie.id == Knelpunt.sessie_id)
            .where(
                Sessie.status == Status.SIGNALEN,
                Knelpunt.tekst != VERWIJDERD,
                func.coalesce(besloten_op, Knelpunt.aangemaakt_op) < grens,
            )
            .order_by(Knelpunt.id)
        )
    )


def _schoon_signalen(ids: list[int]) -> None:
    if not ids:
        return
    geen_sync = {"synchronize_session": False}
    melders = select(Knelpunt.deelnemer_id).where(Knelpunt.id.in_(ids), Knelpunt.deelnemer_id.is_not(None))
    melder_ids = list(db.session.scalars(melders))
    db.session.execute(
        update(Knelpunt)
        .where(Knelpunt.id.in_(ids))
        .values(tekst=VERWIJDERD, deelnemer_id=None, client_request_id=None, sleutel_hash=None)
        .execution_options(**geen_sync)
    )
    db.session.execute(
        update(OpgelostVraag)
        .where(OpgelostVraag.knelpunt_id.in_(ids))
        .values(toelichting=None)
        .execution_options(**geen_sync)
    )
    nog_gebruikt = select(Knelpunt.deelnemer_id).where(Knelpunt.deelnemer_id.in_(melder_ids or [0]))
    db.session.execute(
        update(Deelnemer)
        .where(Deelnemer.id.in_(melder_ids or [0]), Deelnemer.id.not_in(nog_gebruikt))
        .values(naam=None, user_id=None)
        .execution_options(**geen_sync)
    )
    gemeenten = select(Sessie.gemeente_id).join(Knelpunt, Knelpunt.sessie_id == Sessie.id).where(Knelpunt.id.in_(ids))
    db.session.execute(
        update(DashboardStand)
        .where(DashboardStand.gemeente_id.in_(gemeenten))
        .values(stempel=secrets.token_hex(16))
        .execution_options(**geen_sync)
    )


def _schoon_leerkring(sid: int) -> None:
    """What was said in a leerkring goes; the evaluatie and peiling figures stay."""
    geen_sync = {"synchronize_session": False}
    db.session.execute(
        update(Casus)
        .where(Casus.sessie_id == sid)
        .values(vraag=VERWIJDERD, context=None, inbrenger=None)
        .execution_options(**geen_sync)
    )
    db.session.execute(
        update(Bijdrage)
        .where(Bijdrage.sessie_id == sid)
        .values(tekst=VERWIJDERD, deelnemer_id=None, client_request_id=None)
        .execution_options(**geen_sync)
    )
    db.session.execute(
        update(Vooruitblik).where(Vooruitblik.sessie_id == sid).values(inbrenger="—").execution_options(**geen_sync)
    )


@transactie
def opschonen(*, maanden: int, nu: datetime | None = None, proef: bool = False) -> Verslag:
    """Remove the free text of every closed sessie past the bewaartermijn (`proef`: only count)."""
    if maanden <= 0:
        return Verslag(grens=None)
    nu = nu or utcnow()
    verslag = Verslag(grens=maanden_terug(nu, maanden))
    for sessie in te_schonen(verslag.grens):  # type: ignore[arg-type]
        _tellen(sessie, verslag)
        if not proef:
            _schoon(sessie, nu)
    signalen = signalen_te_schonen(verslag.grens)  # type: ignore[arg-type]
    verslag.signalen = len(signalen)
    if not proef:
        _schoon_signalen(signalen)
    if not proef:
        db.session.flush()
    return verslag
