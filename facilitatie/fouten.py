"""Errors the domain raises; the web layer turns them into Dutch messages and 4xx answers."""

from __future__ import annotations


class Ongeldig(ValueError):
    """A rule refused the input; `veld` names the form field the message belongs to."""

    def __init__(self, veld: str, bericht: str) -> None:
        super().__init__(bericht)
        self.veld = veld
        self.bericht = bericht


class Geweigerd(PermissionError):
    """The user may not do this to this object (answered with 403)."""

    def __init__(self, bericht: str = "Je hebt geen toegang tot deze pagina of actie.") -> None:
        super().__init__(bericht)
        self.bericht = bericht


class NietGevonden(LookupError):
    """No such object (answered with 404); raised by the load-and-check helpers in `lezen`."""

    def __init__(self, bericht: str = "Niet gevonden.") -> None:
        super().__init__(bericht)
        self.bericht = bericht
