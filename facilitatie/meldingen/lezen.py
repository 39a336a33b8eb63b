"""Reads for the beheerder's outbox page: which mails this beheerder may see."""

from __future__ import annotations

from sqlalchemy import Select, func, select

from facilitatie.accounts.models import User
from facilitatie.accounts.rollen import beheert_gemeente, is_beheerder
from facilitatie.extensions import db
from facilitatie.fouten import Geweigerd, NietGevonden
from facilitatie.meldingen.models import Mail, Mailstatus

PER_PAGINA = 50


def _zichtbaar(beheerder: User) -> Select[tuple[Mail]]:
    vraag = select(Mail)
    if beheerder.gemeente_id is not None:
        vraag = vraag.where(Mail.gemeente_id == beheerder.gemeente_id)
    return vraag


def controleer_beheerder(user: User) -> None:
    """Only beheerders read the outbox: mails hold names, addresses and knelpunt texts."""
    if not is_beheerder(user):
        raise Geweigerd("Alleen de beheerder ziet de uitgaande mail.")


def mails(beheerder: User, status: str | None) -> list[Mail]:
    """The newest mails this beheerder may read, optionally of one status."""
    controleer_beheerder(beheerder)
    vraag = _zichtbaar(beheerder)
    if status in set(Mailstatus):
        vraag = vraag.where(Mail.status == status)
    return list(db.session.scalars(vraag.order_by(Mail.aangemaakt_op.desc(), Mail.id.desc()).limit(PER_PAGINA)))


def tellingen(beheerder: User) -> dict[str, int]:
    """How many mails per status, for the filter links."""
    controleer_beheerder(beheerder)
    vraag = select(Mail.status, func.count()).group_by(Mail.status)
    if beheerder.gemeente_id is not None:
        vraag = vraag.where(Mail.gemeente_id == beheerder.gemeente_id)
    return {status: aantal for status, aantal in db.session.execute(vraag)}


def mail_voor(beheerder: User, mail_id: int) -> Mail:
    """One mail, when this beheerder may read it (another gemeente's mail: 404)."""
    controleer_beheerder(beheerder)
    mail = db.session.get(Mail, mail_id)
    if mail is None or not beheert_gemeente(beheerder, mail.gemeente_id):
        raise NietGevonden()
    return mail
