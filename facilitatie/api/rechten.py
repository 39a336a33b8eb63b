"""Who may connect other systems to a gemeente: webhooks and tokens that report signalen.

Plain Python over the role rules: a begeleider of the gemeente, or a beheerder of it (one bound
to no gemeente manages every gemeente). Beleid and the wethouder read through the API but do
not wire systems into the gemeente's signalen.
"""

from __future__ import annotations

from facilitatie.accounts.rollen import HeeftRol, Rol, beheert_gemeente


def mag_koppelen(user: HeeftRol | None, gemeente_id: int | None) -> bool:
    """Whether `user` may register webhooks and signalen tokens for `gemeente_id` (and keep using them)."""
    if user is None or gemeente_id is None or not getattr(user, "actief", True):
        return False
    if user.rol == Rol.BEGELEIDER:
        return user.gemeente_id == gemeente_id
    return beheert_gemeente(user, gemeente_id)


def koppelt_iets(user: HeeftRol | None) -> bool:
    """Whether the koppelingen pages are for this user at all (a begeleider or a beheerder)."""
    return user is not None and user.rol in (Rol.BEGELEIDER, Rol.BEHEERDER)
