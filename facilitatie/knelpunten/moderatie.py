"""Moderation by the begeleider: hide a knelpunt or reactie for everyone, with who, when and why kept."""

from __future__ import annotations

from facilitatie import realtime
from facilitatie.accounts.models import User
from facilitatie.extensions import db
from facilitatie.knelpunten import live
from facilitatie.knelpunten.invoer import controleer_reden
from facilitatie.knelpunten.lezen import van_sessie
from facilitatie.knelpunten.models import Knelpunt, Moderatie, Reactie
from facilitatie.knelpunten.schrijven import leider, vergrendel
from facilitatie.sessies.models import Sessie
from facilitatie.werk import transactie


@transactie
def verbergen_knelpunt(sessie: Sessie, user: User | None, knelpunt: Knelpunt, reden: str) -> None:
    """Moderation: hide an improper knelpunt for everyone; the audit trail keeps who, when, why."""
    leider(sessie, user)
    van_sessie(sessie, knelpunt)
    reden = controleer_reden(reden)
    if knelpunt.verborgen:
        return
    inst = vergrendel(sessie)
    knelpunt.verborgen = True
    knelpunt.tekst = ""  # removed means removed: the audit keeps who, when and why, not the text
    db.session.add(Moderatie(sessie_id=sessie.id, knelpunt_id=knelpunt.id, door_id=user.id, reden=reden))
    db.session.flush()
    realtime.append_event(
        sessie,
        "knelpunt.verborgen",
        live.knelpunt_weg(sessie, inst, knelpunt.id),
        melding="De begeleider heeft een knelpunt verborgen.",
        data={"knelpunt": knelpunt.id},
        wis=True,
    )


@transactie
def verbergen_reactie(sessie: Sessie, user: User | None, reactie: Reactie, reden: str) -> None:
    """Moderation of a reactie, with an audit record."""
    leider(sessie, user)
    van_sessie(sessie, reactie)
    reden = controleer_reden(reden)
    if reactie.verborgen:
        return
    vergrendel(sessie)
    reactie.verborgen = True
    reactie.tekst = ""
    db.session.add(Moderatie(sessie_id=sessie.id, reactie_id=reactie.id, door_id=user.id, reden=reden))
    db.session.flush()
    realtime.append_event(
        sessie,
        "reactie.verborgen",
        live.reactie_weg(reactie.id),
        melding="De begeleider heeft een reactie verborgen.",
        data={"reactie": reactie.id},
        wis=True,
    )
