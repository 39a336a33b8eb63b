"""Reads of the AVG pages: what deleting a sessie removes, and everything stored about one account."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import func, or_, select

from facilitatie.accounts import logboek
from facilitatie.accounts.models import User
from facilitatie.extensions import db
from facilitatie.knelpunten.models import Knelpunt, Moderatie, Reactie, Stem, Thema
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
)
from facilitatie.sessies.models import Deelnemer, Sessie, SessieEvent
from facilitatie.verwachtingen.models import Ambitie, Beoordeling, Verwachting


def _tel(model: Any, *waar: Any) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*waar)) or 0


def wat_verdwijnt(sessie: Sessie) -> dict[str, int]:
    """The counts the confirmation page shows before a sessie is deleted."""
    knelpunten = select(Knelpunt.id).where(Knelpunt.sessie_id == sessie.id).scalar_subquery()
    verwachtingen = select(Verwachting.id).where(Verwachting.sessie_id == sessie.id).scalar_subquery()
    acties = _tel(
        Actie,
        or_(
            Actie.sessie_id == sessie.id,
            Actie.verwachting_id.in_(verwachtingen),
            Actie.id.in_(select(actie_knelpunt.c.actie_id).where(actie_knelpunt.c.knelpunt_id.in_(knelpunten))),
        ),
    )
    return {
        "knelpunten": _tel(Knelpunt, Knelpunt.sessie_id == sessie.id),
        "besluiten": _tel(Besluit, Besluit.knelpunt_id.in_(knelpunten)),
        "themas": _tel(Thema, Thema.sessie_id == sessie.id),
        "reacties": _tel(Reactie, Reactie.sessie_id == sessie.id),
        "stemmen": _tel(Stem, Stem.sessie_id == sessie.id),
        "verwachtingen": _tel(Verwachting, Verwachting.sessie_id == sessie.id),
        "beoordelingen": _tel(Beoordeling, Beoordeling.verwachting_id.in_(verwachtingen)),
        "deelnemers": _tel(Deelnemer, Deelnemer.sessie_id == sessie.id),
        "events": _tel(SessieEvent, SessieEvent.sessie_id == sessie.id),
        "acties": acties,
    }


def _tijd(waarde: datetime | date | None) -> str | None:
    return waarde.isoformat() if waarde else None


def gegevens_van(account: User) -> dict[str, Any]:
    """Everything stored about one account, as JSON-ready data (inzage, art. 15 AVG).

    Anonymous knelpunten are stored without any link to a deelnemer or account, so they
    cannot be found here: that is what anonymous means.
    """
    deelnames = list(
        db.session.scalars(select(Deelnemer).where(Deelnemer.user_id == account.id).order_by(Deelnemer.id))
    )
    ids = [d.id for d in deelnames]
    return {
        "uitgevoerd_op": _tijd(utcnow()),
        "uitleg": (
            "Alles wat Ontmoet over dit account heeft opgeslagen. Anoniem ingediende knelpunten zijn niet aan "
            "een account gekoppeld en staan hier daarom niet in. Zie docs/privacy.md."
        ),
        "account": {
            "id": account.id,
            "naam": account.naam,
            "email": account.email,
            "rol": account.rol,
            "perspectief": account.perspectief,
            "gemeente": account.gemeente.naam if account.gemeente else None,
            "wijkteam": account.team.naam if account.team else None,
            "actief": account.actief,
            "aangemaakt_op": _tijd(account.aangemaakt_op),
            "verwijderd_op": _tijd(account.verwijderd_op),
        },
        "deelnames": [
            {
                "sessie": d.sessie_id,
                "sessie_titel": d.sessie.titel,
                "naam": d.naam,
                "perspectief": d.perspectief,
                "aangemaakt_op": _tijd(d.aangemaakt_op),
            }
            for d in deelnames
        ],
        "knelpunten": [
            {
                "id": k.id,
                "sessie": k.sessie_id,
                "domein": k.domein,
                "tekst": k.tekst,
                "verborgen": k.verborgen,
                "aangemaakt_op": _tijd(k.aangemaakt_op),
                "bewerkt_op": _tijd(k.bewerkt_op),
            }
            for k in db.session.scalars(select(Knelpunt).where(Knelpunt.deelnemer_id.in_(ids)).order_by(Knelpunt.id))
        ],
        "reacties": [
            {
                "id": r.id,
                "sessie": r.sessie_id,
                "knelpunt": r.knelpunt_id,
                "thema": r.thema_id,
                "naam": r.naam,
                "perspectief": r.perspectief,
                "tekst": r.tekst,
                "aangemaakt_op": _tijd(r.aangemaakt_op),
            }
            for r in db.session.scalars(select(Reactie).where(Reactie.deelnemer_id.in_(ids)).order_by(Reactie.id))
        ],
        "stemmen": [
            {
                "sessie": s.sessie_id,
                "knelpunt": s.knelpunt_id,
                "thema": s.thema_id,
                "aangemaakt_op": _tijd(s.aangemaakt_op),
            }
            for s in db.session.scalars(select(Stem).where(Stem.deelnemer_id.in_(ids)).order_by(Stem.id))
        ],
        "beoordelingen": [
            {
                "verwachting": b.verwachting_id,
                "ronde": b.ronde,
                "wenselijk": b.wenselijk,
                "haalbaar": b.haalbaar,
                "perspectief": b.perspectief,
                "bijgewerkt_op": _tijd(b.bijgewerkt_op),
            }
            for b in db.session.scalars(
                select(Beoordeling).where(Beoordeling.deelnemer_id.in_(ids)).order_by(Beoordeling.id)
            )
        ],
        "sessies_als_begeleider": [
            {
                "id": s.id,
                "titel": s.titel,
                "status": s.status,
                "aangemaakt_op": _tijd(s.aangemaakt_op),
                "afgesloten_op": _tijd(s.afgesloten_op),
            }
            for s in db.session.scalars(select(Sessie).where(Sessie.begeleider_id == account.id).order_by(Sessie.id))
        ],
        "besluiten": [
            {
                "knelpunt": h.knelpunt_id,
                "soort": h.soort,
                "reden": h.reden,
                "doorverwezen_naar": h.doorverwezen_naar,
                "toelichting": h.toelichting,
                "op": _tijd(h.op),
            }
            for h in db.session.scalars(
                select(BesluitHistorie).where(BesluitHistorie.door_id == account.id).order_by(BesluitHistorie.id)
            )
        ],
        "acties": [
            {
                "id": a.id,
                "omschrijving": a.omschrijving,
                "eigenaar": a.eigenaar_id == account.id,
                "aangemaakt_door": a.aangemaakt_door_id == account.id,
                "status": a.status,
                "streefdatum": _tijd(a.streefdatum),
                "toelichting": a.toelichting,
                "aangemaakt_op": _tijd(a.aangemaakt_op),
            }
            for a in db.session.scalars(
                select(Actie)
                .where(or_(Actie.eigenaar_id == account.id, Actie.aangemaakt_door_id == account.id))
                .order_by(Actie.id)
            )
        ],
        "actie_historie": [
            {"actie": h.actie_id, "veld": h.veld, "van": h.van, "naar": h.naar, "reden": h.reden, "op": _tijd(h.op)}
            for h in db.session.scalars(
                select(ActieHistorie).where(ActieHistorie.door_id == account.id).order_by(ActieHistorie.id)
            )
        ],
        "moderatie": [
            {
                "sessie": m.sessie_id,
                "knelpunt": m.knelpunt_id,
                "reactie": m.reactie_id,
                "reden": m.reden,
                "op": _tijd(m.op),
            }
            for m in db.session.scalars(select(Moderatie).where(Moderatie.door_id == account.id).order_by(Moderatie.id))
        ],
        "ambities": [
            {
                "verwachting": a.verwachting_id,
                "uitkomst": a.uitkomst,
                "nieuwe_formulering": a.nieuwe_formulering,
                "toelichting": a.toelichting,
                "op": _tijd(a.vastgelegd_op),
            }
            for a in db.session.scalars(
                select(Ambitie).where(Ambitie.vastgelegd_door_id == account.id).order_by(Ambitie.verwachting_id)
            )
        ],
        "eerder_gemeld": [
            {"knelpunt": e.knelpunt_id, "eerder": e.eerder_id, "op": _tijd(e.gekoppeld_op)}
            for e in db.session.scalars(
                select(EerderGemeld).where(EerderGemeld.gekoppeld_door_id == account.id).order_by(EerderGemeld.id)
            )
        ],
        "api_tokens": [
            {
                "naam": t.naam,
                "aangemaakt_op": _tijd(t.aangemaakt_op),
                "laatst_gebruikt_op": _tijd(t.laatst_gebruikt_op),
                "ingetrokken_op": _tijd(t.ingetrokken_op),
            }
            for t in db.session.scalars(select(ApiToken).where(ApiToken.user_id == account.id).order_by(ApiToken.id))
        ],
        "meldingen_per_email": sorted(
            db.session.scalars(select(Meldingvoorkeur.soort).where(Meldingvoorkeur.user_id == account.id))
        ),
        "mails": [
            {
                "aan": m.aan,
                "onderwerp": m.onderwerp,
                "tekst": m.tekst,
                "status": m.status,
                "aangemaakt_op": _tijd(m.aangemaakt_op),
                "verstuurd_op": _tijd(m.verstuurd_op),
            }
            for m in db.session.scalars(select(Mail).where(Mail.ontvanger_id == account.id).order_by(Mail.id))
        ],
        "logboek": [
            {
                "op": _tijd(r.op),
                "actie": r.actie,
                "details": r.details,
                "door_dit_account": r.door_id == account.id,
                "over_dit_account": r.onderwerp_id == account.id,
            }
            for r in logboek.over(account)
        ],
    }
