"""Permission rules as plain Python."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from facilitatie.accounts.rollen import Rol, is_beheerder, kan_sessie_aanmaken, kan_sessie_bekijken, leidt_sessie


@dataclass
class U:
    id: int
    rol: str
    gemeente_id: int | None = 1


@dataclass
class S:
    begeleider_id: int
    gemeente_id: int = 1


@pytest.mark.parametrize(
    ("rol", "mag"),
    [
        (Rol.BEGELEIDER, True),
        (Rol.BEHEERDER, True),
        (Rol.WIJKTEAMLID, False),
        (Rol.BELEIDSMEDEWERKER, False),
        (Rol.WETHOUDER, False),
    ],
)
def test_only_begeleider_or_beheerder_creates_sessies(rol, mag):
    assert kan_sessie_aanmaken(U(1, rol)) is mag


def test_anonymous_cannot_create():
    assert not kan_sessie_aanmaken(None)


def test_only_own_begeleider_leads():
    sessie = S(begeleider_id=7)
    assert leidt_sessie(U(7, Rol.BEGELEIDER), sessie)
    assert not leidt_sessie(U(8, Rol.BEGELEIDER), sessie)
    assert not leidt_sessie(U(9, Rol.BEHEERDER), sessie)
    assert not leidt_sessie(None, sessie)


def test_staff_of_same_gemeente_may_read_but_not_other_gemeente():
    sessie = S(begeleider_id=7, gemeente_id=1)
    assert kan_sessie_bekijken(U(2, Rol.BELEIDSMEDEWERKER, 1), sessie)
    assert kan_sessie_bekijken(U(3, Rol.WETHOUDER, 1), sessie)
    assert not kan_sessie_bekijken(U(4, Rol.BELEIDSMEDEWERKER, 2), sessie)
    assert not kan_sessie_bekijken(U(5, Rol.WIJKTEAMLID, 1), sessie)
    assert kan_sessie_bekijken(U(6, Rol.BEHEERDER, None), sessie)


def test_is_beheerder():
    assert is_beheerder(U(1, Rol.BEHEERDER))
    assert not is_beheerder(U(1, Rol.BEGELEIDER))
