"""The begeleider's look back when the next sessie of a reeks opens: what the reeks carries over.

Before the start and in the welkom fase, the begeleider of a sessie in a reeks sees the casus
question of the previous leerkring, who brings in today's casus, and each verwachting taken
over from an earlier sessie with a link to its trend (/verwachtingen/<id>). The open acties to
review are the opvolging area's own panel in the same fasen. Nothing here writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from facilitatie.accounts.models import User
from facilitatie.leerkring import lezen as leerkring
from facilitatie.opvolging.lezen import reeks_van
from facilitatie.opvolging.models import Reeks
from facilitatie.sessies import werkruimte
from facilitatie.sessies.models import Sessie, Status
from facilitatie.sessies.vormen import Fase
from facilitatie.verwachtingen.lezen import lijn_van, verwachtingen_van
from facilitatie.verwachtingen.models import Verwachting


@dataclass(frozen=True)
class Terugblik:
    """What the reeks carries into this sessie."""

    reeks: Reeks
    vorige_casus: str | None
    inbrenger: tuple[str, date | None] | None
    verwachtingen: list[tuple[Verwachting, int]]  # taken over, with the number of sessies in its lijn

    @property
    def leeg(self) -> bool:
        return not (self.vorige_casus or self.inbrenger or self.verwachtingen)


def terugblik(sessie: Sessie) -> Terugblik | None:
    """The reeks' look back for this sessie; None outside a reeks."""
    reeks = reeks_van(sessie)
    if reeks is None:
        return None
    overgenomen = [v for v in verwachtingen_van(sessie) if v.herkomst_id is not None]
    return Terugblik(
        reeks=reeks,
        vorige_casus=leerkring.casus_vorige(reeks.id, sessie.id, in_kring=True),  # its begeleider leads the kring
        inbrenger=leerkring.volgende_inbrenger(reeks.id, sessie.id),
        verwachtingen=[(v, len(lijn_van(v))) for v in overgenomen],
    )


@werkruimte.voor_begeleider("welkom", werkruimte.VOORAF, gebied="reeksen")
def _terugblik_paneel(
    sessie: Sessie, _fase: Fase | None, _user: User, _staat: werkruimte.Staat
) -> werkruimte.Paneel | None:
    blik = terugblik(sessie)
    if blik is None or blik.leeg:
        return None
    # Before the start the casus card (leerkring's own panel) already shows the previous casus.
    toon_casus = sessie.status != Status.CONCEPT or not leerkring.heeft_soort(sessie, "casus")
    return werkruimte.Paneel("reeksen/_paneel_terugblik.html", {"blik": blik, "toon_casus": toon_casus})
