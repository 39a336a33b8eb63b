"""One scaffold for every action on a live sessie under /s/<code>/… (after Indico's RH classes).

Each action takes the same three steps: load the sessie from the code and who asks (a
deelnemer of this browser, the signed-in user, whether that user leads the sessie), check
that this person may act at all, before any input is read, then run the command and map a
refused one (`Ongeldig`) to the area's error answer. `Geweigerd` goes to the app's 403 page.
Commands own their transaction (`werk.transactie`), so a view never commits or rolls back.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from flask import flash, redirect, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from facilitatie.accounts.models import User
from facilitatie.accounts.rollen import leidt_sessie
from facilitatie.fouten import Geweigerd, Ongeldig
from facilitatie.sessies.deelname import current_deelnemer, sessie_met_code_of_404
from facilitatie.sessies.models import Deelnemer, Sessie

Antwoord = Response | str | tuple[Any, ...]
Wie = Literal["iedereen", "deelnemer", "begeleider"]


@dataclass(frozen=True)
class Verzoek:
    """Who asks what of which sessie, resolved once per request."""

    sessie: Sessie
    ik: Deelnemer | None
    user: User | None
    leidt: bool

    @property
    def deelnemer(self) -> Deelnemer:
        """This browser's deelnemer; refused (403) when it has not joined this sessie."""
        if self.ik is None:
            raise Geweigerd("Je doet niet mee aan deze sessie.")
        return self.ik


FoutAntwoord = Callable[[Verzoek, Ongeldig], Antwoord]


def verzoek(code: str) -> Verzoek:
    """The sessie behind the code (404 when none) and the person asking."""
    sessie = sessie_met_code_of_404(code)
    user = current_user if current_user.is_authenticated else None
    return Verzoek(sessie, current_deelnemer(sessie), user, bool(user and leidt_sessie(user, sessie)))


def sessie_actie(*, bij_fout: FoutAntwoord, wie: Wie = "iedereen") -> Callable[..., Callable[..., Antwoord]]:
    """Decorate a view `f(verzoek, **url_args)` registered on a route with `<code>`.

    `wie` is checked before the view reads any input: "deelnemer" needs this browser to have
    joined, "begeleider" needs the sessie's own begeleider; "iedereen" leaves it to the command.
    """

    def decorator(view: Callable[..., Antwoord]) -> Callable[..., Antwoord]:
        @functools.wraps(view)
        def wrapper(code: str, **kwargs: Any) -> Antwoord:
            v = verzoek(code)
            if wie == "deelnemer":
                _ = v.deelnemer
            elif wie == "begeleider" and not v.leidt:
                raise Geweigerd("Alleen de begeleider van deze sessie kan dit doen.")
            try:
                return view(v, **kwargs)
            except Ongeldig as fout:
                return bij_fout(v, fout)

        return wrapper

    return decorator


def terug(v: Verzoek) -> Response:
    """Back to the page this person works on: the begeleider's sessie page or the deelnemer's."""
    if v.leidt:
        return redirect(url_for("sessies.detail", sessie_id=v.sessie.id))
    return redirect(url_for("sessies.deelnemer", code=v.sessie.deelnamecode))


def klaar(v: Verzoek, bericht: str | None = None) -> Antwoord:
    """Success: htmx needs nothing (the socket brings the change); a plain form goes back."""
    if request.htmx:
        return "", 204
    if bericht:
        flash(bericht, "ok")
    return terug(v)
