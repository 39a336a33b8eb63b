"""The sessie's timer: the server keeps the end time (or the paused remainder); screens count down."""

from __future__ import annotations

from datetime import timedelta

from facilitatie import realtime
from facilitatie.accounts.models import User
from facilitatie.extensions import db
from facilitatie.fouten import Ongeldig
from facilitatie.knelpunten import live
from facilitatie.knelpunten.invoer import MAX_TIMER_LABEL, MAX_TIMER_MINUTEN, geen_bsn
from facilitatie.knelpunten.lezen import timer_stand
from facilitatie.knelpunten.schrijven import leider, vergrendel
from facilitatie.models_base import utcnow
from facilitatie.sessies.models import Sessie
from facilitatie.werk import transactie


def _minuten(n: int) -> str:
    return "1 minuut" if n == 1 else f"{n} minuten"


@transactie
def timer(sessie: Sessie, user: User | None, actie: str, minuten: int = 0, label: str = "") -> None:
    """Start, pause, resume, extend or stop the sessie's timer; the server keeps the end time."""
    leider(sessie, user)
    inst = vergrendel(sessie)
    stand, rest = timer_stand(inst, sessie)
    now = utcnow()
    if actie == "start":
        if not 1 <= minuten <= MAX_TIMER_MINUTEN:
            raise Ongeldig("minuten", "Kies een tijd van 1 minuut tot en met 4 uur (240 minuten).")
        label = (label or "").strip()[:MAX_TIMER_LABEL]
        if label:
            geen_bsn("label", label)
        inst.timer_eind, inst.timer_rest, inst.timer_label = now + timedelta(minutes=minuten), None, label or None
        inst.timer_fase = sessie.fase_index
    elif actie == "pauze":
        if stand != "loopt":
            raise Ongeldig("minuten", "De timer loopt niet.")
        inst.timer_rest, inst.timer_eind = rest, None
    elif actie == "hervat":
        if stand != "pauze":
            raise Ongeldig("minuten", "De timer staat niet op pauze.")
        inst.timer_eind, inst.timer_rest = now + timedelta(seconds=rest), None
    elif actie == "verlengen":
        if stand == "uit":
            raise Ongeldig("minuten", "Start eerst de timer.")
        if not 1 <= minuten <= MAX_TIMER_MINUTEN or rest + minuten * 60 > MAX_TIMER_MINUTEN * 60:
            raise Ongeldig("minuten", "De timer kan hoogstens 4 uur lopen.")
        if stand == "pauze":
            inst.timer_rest = rest + minuten * 60
        else:
            inst.timer_eind = max(inst.timer_eind or now, now) + timedelta(minutes=minuten)
    elif actie == "stop":
        inst.timer_eind = inst.timer_rest = inst.timer_label = inst.timer_fase = None
    else:
        raise Ongeldig("minuten", "Onbekende actie voor de timer.")
    db.session.flush()
    meldingen = {
        "start": f"De timer loopt: {_minuten(minuten)}.",
        "pauze": "De timer staat op pauze.",
        "hervat": "De timer loopt weer.",
        "verlengen": f"De timer is verlengd met {_minuten(minuten)}.",
        "stop": "De timer is gestopt.",
    }
    realtime.append_event(sessie, "timer." + actie, live.timer_opnieuw(sessie, inst), melding=meldingen[actie])
