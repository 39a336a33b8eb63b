"""Reads of the knelpunten area: settings, what the sessie shows now, items, ballots, results.

No writes and no fragments here: commands and `live` both build on these, never the other way.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from sqlalchemy import and_, bindparam, exists, func, or_, select

from facilitatie.accounts.models import Team, User
from facilitatie.accounts.perspectieven import in_groep, labels_van, volgorde_van
from facilitatie.accounts.rollen import leidt_sessie
from facilitatie.extensions import db
from facilitatie.fouten import Geweigerd, Ongeldig
from facilitatie.knelpunten.models import KNELPUNT, THEMA, Knelpunt, KnelpuntInstellingen, Reactie, Stem, Thema
from facilitatie.knelpunten.regels import MIN_GROEP, STEM_PERSPECTIEVEN, te_kleine_groepen
from facilitatie.models_base import utcnow
from facilitatie.sessies.lezen import huidige_fase, inbreng_vooraf, na_soort
from facilitatie.sessies.models import Deelnemer, Sessie, Status, sessie_team


def instellingen(sessie: Sessie) -> KnelpuntInstellingen:
    """The sessie's settings; defaults (not stored) until the begeleider changes something."""
    inst = db.session.get(KnelpuntInstellingen, sessie.id)
    if inst is None:
        inst = KnelpuntInstellingen(
            sessie_id=sessie.id,
            verborgen_tot_onthulling=False,
            stemmen_per_deelnemer=3,
            max_per_item=3,
            deelnemers_bundelen=False,
            stemmen_op=THEMA,
            stemmen_gesloten=False,
        )
    return inst


MAX_ID = 2**31 - 1  # larger ids cannot exist, and PostgreSQL refuses to compare with them


def rij(model: type, ident: int):
    """The row with this id, or None (also for ids no row can have)."""
    return db.session.get(model, ident) if 0 < ident <= MAX_ID else None


def van_sessie(sessie: Sessie, obj: Knelpunt | Thema | Reactie | None) -> Knelpunt | Thema | Reactie:
    """The object, if it belongs to this sessie; refused otherwise (checked before anything else)."""
    if obj is None or obj.sessie_id != sessie.id:
        raise Geweigerd("Dit hoort niet bij deze sessie.")
    return obj


def weergave(sessie: Sessie) -> str | None:
    """Which knelpunten panel the sessie shows now: knelpunten, bundelen, stemmen, dialoog or none."""
    if sessie.status == Status.CONCEPT:
        return "knelpunten" if inbreng_vooraf(sessie) else None
    if sessie.status != Status.LIVE or sessie.fase_index is None:
        return None
    fase = huidige_fase(sessie)
    if fase is None or fase.soort not in ("knelpunten", "bundelen", "stemmen", "dialoog"):
        return None
    if fase.soort == "dialoog" and na_beoordelen(sessie):
        return None  # a dialoog after a beoordelen ronde is about the verwachtingen, not the knelpunten
    return fase.soort


def na_beoordelen(sessie: Sessie) -> bool:
    """True when a fase of soort beoordelen comes before the current fase in the sessievorm."""
    return na_soort(sessie, "beoordelen")


def knelpunt_van(sessie: Sessie, knelpunt_id: int) -> Knelpunt:
    return van_sessie(sessie, rij(Knelpunt, knelpunt_id))  # type: ignore[return-value]


def thema_van(sessie: Sessie, thema_id: int) -> Thema:
    return van_sessie(sessie, rij(Thema, thema_id))  # type: ignore[return-value]


def reactie_van(sessie: Sessie, reactie_id: int) -> Reactie:
    return van_sessie(sessie, rij(Reactie, reactie_id))  # type: ignore[return-value]


def item_van(sessie: Sessie, soort: str, item_id: int, *, voor_begeleider: bool = False) -> Knelpunt | Thema:
    """A thema or knelpunt of this sessie that the caller may see."""
    if soort == THEMA:
        return thema_van(sessie, item_id)
    if soort == KNELPUNT:
        knelpunt = knelpunt_van(sessie, item_id)
        if knelpunt.verborgen or (not knelpunt.onthuld and not voor_begeleider):
            raise Geweigerd("Dit knelpunt is niet zichtbaar.")
        return knelpunt
    raise Ongeldig("item", "Kies een thema of knelpunt uit de lijst.")


def sleutel_hash(sleutel: str) -> str:
    return hashlib.sha256(sleutel.encode()).hexdigest()


def is_auteur(knelpunt: Knelpunt, deelnemer: Deelnemer | None, sleutels: list[str]) -> bool:
    """The author: the deelnemer of a named post, or whoever holds an anonymous post's secret."""
    if knelpunt.anoniem:
        return knelpunt.sleutel_hash is not None and any(
            hmac.compare_digest(sleutel_hash(s), knelpunt.sleutel_hash) for s in sleutels
        )
    return deelnemer is not None and knelpunt.deelnemer_id == deelnemer.id


# Built once: every deelnemer page runs it, and a reused statement keeps its cache key.
_MIJN_BENOEMD = (
    select(Knelpunt)
    .where(
        Knelpunt.sessie_id == bindparam("sessie_id"),
        Knelpunt.verborgen.is_(False),
        Knelpunt.deelnemer_id == bindparam("deelnemer_id"),
    )
    .order_by(Knelpunt.id)
)


def mijn_knelpunten(sessie: Sessie, deelnemer: Deelnemer | None, sleutels: list[str]) -> list[Knelpunt]:
    """This browser's own posts: named ones by deelnemer, anonymous ones by secret."""
    hashes = [sleutel_hash(s) for s in sleutels[:100]]
    if deelnemer is not None and not hashes:  # the common case, a deelnemer without anonymous posts
        return list(db.session.scalars(_MIJN_BENOEMD, {"sessie_id": sessie.id, "deelnemer_id": deelnemer.id}))
    voorwaarden = []
    if deelnemer is not None:
        voorwaarden.append(Knelpunt.deelnemer_id == deelnemer.id)
    if hashes:
        voorwaarden.append(Knelpunt.sleutel_hash.in_(hashes))
    if not voorwaarden:
        return []

    return list(
        db.session.scalars(
            select(Knelpunt)
            .where(Knelpunt.sessie_id == sessie.id, Knelpunt.verborgen.is_(False), or_(*voorwaarden))
            .order_by(Knelpunt.id)
        )
    )


def post_van_verzoek(sessie: Sessie, client_request_id: str) -> Knelpunt | None:
    """The visible knelpunt one request of this sessie stored (what a retry of it finds again)."""
    return db.session.scalar(
        select(Knelpunt).where(
            Knelpunt.sessie_id == sessie.id,
            Knelpunt.client_request_id == client_request_id,
            Knelpunt.verborgen.is_(False),
        )
    )


def mag_indienen(sessie: Sessie) -> bool:
    return weergave(sessie) == "knelpunten"


# The sessie's teams, else (none chosen) the gemeente's: one statement, built once.
_EIGEN_TEAMS = select(sessie_team.c.team_id).where(sessie_team.c.sessie_id == bindparam("sessie_id"))
_TEAM_KEUZES = (
    select(Team)
    .where(
        or_(
            Team.id.in_(_EIGEN_TEAMS),
            and_(Team.gemeente_id == bindparam("gemeente_id"), ~exists(_EIGEN_TEAMS)),
        )
    )
    .order_by(Team.naam)
)


def team_keuzes(sessie: Sessie) -> list[Team]:
    """The teams a knelpunt can be filed under: the sessie's teams, else the gemeente's."""
    if "teams" in sessie.__dict__:  # loaded already (the begeleider's pages): no query
        if sessie.teams:
            return list(sessie.teams)
        return list(db.session.scalars(select(Team).where(Team.gemeente_id == sessie.gemeente_id).order_by(Team.naam)))
    return list(db.session.scalars(_TEAM_KEUZES, {"sessie_id": sessie.id, "gemeente_id": sessie.gemeente_id}))


def mag_bundelen(sessie: Sessie, user: User | None, deelnemer: Deelnemer | None) -> bool:
    """The begeleider always; deelnemers only in the bundelen fase of a sessie that allows it."""
    if leidt_sessie(user, sessie):
        return sessie.status != Status.AFGESLOTEN
    return (
        deelnemer is not None
        and deelnemer.sessie_id == sessie.id
        and weergave(sessie) == "bundelen"
        and instellingen(sessie).deelnemers_bundelen
    )


def stem_items(sessie: Sessie, inst: KnelpuntInstellingen | None = None) -> list[Knelpunt | Thema]:
    """What can be voted on: thema's plus loose knelpunten, or every knelpunt; visible ones only."""
    inst = inst or instellingen(sessie)
    knelpunten = list(
        db.session.scalars(
            select(Knelpunt)
            .where(Knelpunt.sessie_id == sessie.id, Knelpunt.verborgen.is_(False), Knelpunt.onthuld.is_(True))
            .order_by(Knelpunt.id)
        )
    )
    if inst.stemmen_op == KNELPUNT:
        return list(knelpunten)
    themas = list(db.session.scalars(select(Thema).where(Thema.sessie_id == sessie.id).order_by(Thema.id)))
    return [*themas, *[k for k in knelpunten if k.thema_id is None]]


def stemmen_open(sessie: Sessie) -> bool:
    return weergave(sessie) == "stemmen" and not instellingen(sessie).stemmen_gesloten


class MijnStemmen(Mapping[tuple[str, int], int]):
    """A deelnemer's ballot, read on first use: only the stemmen panel shows it, and every other
    fase's page (the knelpunten fase of a join wave, say) then costs no query for it."""

    def __init__(self, deelnemer: Deelnemer | None) -> None:
        self._deelnemer = deelnemer
        self._stemmen: dict[tuple[str, int], int] | None = None

    def _gelezen(self) -> dict[tuple[str, int], int]:
        if self._stemmen is None:
            self._stemmen = mijn_stemmen(self._deelnemer) if self._deelnemer is not None else {}
        return self._stemmen

    def __getitem__(self, sleutel: tuple[str, int]) -> int:
        return self._gelezen()[sleutel]

    def __iter__(self) -> Iterator[tuple[str, int]]:
        return iter(self._gelezen())

    def __len__(self) -> int:
        return len(self._gelezen())


def mijn_stemmen(deelnemer: Deelnemer) -> dict[tuple[str, int], int]:
    rows = db.session.execute(
        select(Stem.thema_id, Stem.knelpunt_id, func.count())
        .where(Stem.deelnemer_id == deelnemer.id)
        .group_by(Stem.thema_id, Stem.knelpunt_id)
    )
    return {((THEMA, t) if t is not None else (KNELPUNT, k)): n for t, k, n in rows}


@dataclass(frozen=True)
class Uitslag:
    item: Knelpunt | Thema
    stemmen: int


def uitslag(sessie: Sessie) -> list[Uitslag]:
    """Items by votes, most first; ties keep the order they were made in."""
    items = stem_items(sessie)
    tellingen: dict[tuple[str, int], int] = {}
    for t, k, n in db.session.execute(
        select(Stem.thema_id, Stem.knelpunt_id, func.count())
        .where(Stem.sessie_id == sessie.id)
        .group_by(Stem.thema_id, Stem.knelpunt_id)
    ):
        tellingen[(THEMA, t) if t is not None else (KNELPUNT, k)] = n
    regels = [Uitslag(item, tellingen.get((item.soort, item.id), 0)) for item in items]
    return sorted(regels, key=lambda r: -r.stemmen)


@dataclass(frozen=True)
class StemRegel:
    """One item of the stemuitslag: its votes, and per perspective when that may be shown."""

    item: Knelpunt | Thema
    stemmen: int
    per_perspectief: dict[str, int] | None  # None: not shown apart (small groups)


@dataclass(frozen=True)
class StemUitslag:
    """The stemuitslag split by perspective (uitvoering, beleid, the gemeente's own, anders), protected.

    `apart` is False when a perspective had 1 or 2 voters (`regels.te_kleine_groepen`): then
    only the totals are shown and `te_klein` names the small groups, so a screen can say why.
    """

    regels: list[StemRegel]
    stemmers: dict[str, int]  # voters (deelnemers who gave at least one stem) per perspective
    te_klein: list[str]
    min_groep: int = MIN_GROEP
    volgorde: tuple[str, ...] = STEM_PERSPECTIEVEN  # every perspective of the gemeente, "anders" last

    @property
    def apart(self) -> bool:
        return not self.te_klein and sum(self.stemmers.values()) > 0

    @property
    def meeste(self) -> int:
        """The highest number of votes on one item (the length of a full bar)."""
        return max((r.stemmen for r in self.regels), default=0)

    @property
    def meeste_per_perspectief(self) -> int:
        return max((n for r in self.regels for n in (r.per_perspectief or {}).values()), default=0)

    @property
    def perspectieven(self) -> tuple[str, ...]:
        """The perspectives that voted, in a fixed order (for the bars and the legend)."""
        return tuple(p for p in self.volgorde if self.stemmers.get(p))

    @property
    def labels(self) -> dict[str, str]:
        return labels_van(self.volgorde)


def stemuitslag(sessie: Sessie) -> StemUitslag:
    """The uitslag by votes (as `uitslag`), each item split by the voters' perspective.

    Reusable by every view of the results (begeleider, deelnemer, Scherm, verslag): the split
    is only filled in when every perspective that voted has at least MIN_GROEP voters.
    """
    volgorde = volgorde_van(sessie.gemeente_id)
    stemmers: dict[str, int] = dict.fromkeys(volgorde, 0)
    for perspectief, n in db.session.execute(
        select(Deelnemer.perspectief, func.count(func.distinct(Stem.deelnemer_id)))
        .join(Deelnemer, Deelnemer.id == Stem.deelnemer_id)
        .where(Stem.sessie_id == sessie.id)
        .group_by(Deelnemer.perspectief)
    ):
        stemmers[in_groep(perspectief, volgorde)] += n
    te_klein = te_kleine_groepen(stemmers, volgorde=volgorde)
    per_item: dict[tuple[str, int], dict[str, int]] = {}
    if not te_klein:
        for t, k, perspectief, n in db.session.execute(
            select(Stem.thema_id, Stem.knelpunt_id, Deelnemer.perspectief, func.count())
            .join(Deelnemer, Deelnemer.id == Stem.deelnemer_id)
            .where(Stem.sessie_id == sessie.id)
            .group_by(Stem.thema_id, Stem.knelpunt_id, Deelnemer.perspectief)
        ):
            sleutel = (THEMA, t) if t is not None else (KNELPUNT, k)
            telling = per_item.setdefault(sleutel, dict.fromkeys(volgorde, 0))
            telling[in_groep(perspectief, volgorde)] += n
    regels = [
        StemRegel(
            r.item,
            r.stemmen,
            None if te_klein else per_item.get((r.item.soort, r.item.id), dict.fromkeys(volgorde, 0)),
        )
        for r in uitslag(sessie)
    ]
    return StemUitslag(regels, stemmers, te_klein, volgorde=volgorde)


def dialoog_items(sessie: Sessie) -> list[Uitslag]:
    """The order of the dialoog: by votes."""
    return uitslag(sessie)


def op_scherm(sessie: Sessie) -> Knelpunt | Thema | None:
    inst = instellingen(sessie)
    if not inst.scherm_soort or inst.scherm_id is None:
        return None
    model = Thema if inst.scherm_soort == THEMA else Knelpunt
    item = db.session.get(model, inst.scherm_id)
    if item is None or item.sessie_id != sessie.id or getattr(item, "verborgen", False):
        return None
    return item


def reacties(item: Knelpunt | Thema) -> list[Reactie]:
    kolom = Reactie.thema_id if item.soort == THEMA else Reactie.knelpunt_id
    return list(
        db.session.scalars(select(Reactie).where(kolom == item.id, Reactie.verborgen.is_(False)).order_by(Reactie.id))
    )


def mag_reageren(sessie: Sessie) -> bool:
    """During the dialoog, and beforehand while inbreng vooraf is open."""
    return weergave(sessie) == "dialoog" or inbreng_vooraf(sessie)


def timer_stand(inst: KnelpuntInstellingen, sessie: Sessie) -> tuple[str, int]:
    """('loopt'|'pauze'|'uit', seconds left) from the stored end time or paused remainder.

    A timer belongs to the fase it was started in: in any other fase it is off.
    """
    if inst.timer_fase != sessie.fase_index:
        return "uit", 0
    if inst.timer_rest is not None:
        return "pauze", inst.timer_rest
    if inst.timer_eind is not None:
        return "loopt", max(0, int((inst.timer_eind - utcnow()).total_seconds()))
    return "uit", 0
