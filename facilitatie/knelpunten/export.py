"""The knelpunten part of the verslag: thema's, the stemuitslag per perspective, the dialoog.

Reads only. Nobody is named: knelpunten appear with their wijkteam, reacties with the
perspective they were written from (never the deelnemer's name), so an anonymous knelpunt or
a reactie cannot be traced to a person in anything exported.

Small groups: the stemuitslag shows votes per perspective only when every perspective that
voted has at least `regels.MIN_GROEP` voters; otherwise only the totals (the same rule as the
verwachtingen: a group of one or two would show how those people voted, and hiding just that
group would still let it be found by subtracting the others from the total).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from facilitatie.accounts.perspectieven import label_van
from facilitatie.accounts.rollen import PERSPECTIEF_LABELS
from facilitatie.extensions import db
from facilitatie.knelpunten import lezen
from facilitatie.knelpunten.lezen import dialoog_items
from facilitatie.knelpunten.models import KNELPUNT, THEMA, Knelpunt, Reactie, Thema
from facilitatie.knelpunten.regels import MIN_GROEP
from facilitatie.sessies.models import Sessie

VOLGORDE = tuple(PERSPECTIEF_LABELS)  # uitvoering, beleid, anders


def titel(item: Knelpunt | Thema) -> str:
    """How an item is named in the verslag: a thema by its name, a knelpunt by its text."""
    return item.naam if isinstance(item, Thema) else item.tekst


def _perspectief_volgorde(perspectieven: set[str]) -> tuple[str, ...]:
    return tuple(p for p in VOLGORDE if p in perspectieven) + tuple(sorted(perspectieven - set(VOLGORDE)))


# --------------------------------------------------------------------------- thema's


@dataclass(frozen=True)
class ThemaMetKnelpunten:
    """A thema (None: the knelpunten that were not bundled) and its visible knelpunten."""

    thema: Thema | None
    knelpunten: list[Knelpunt]

    @property
    def naam(self) -> str:
        return self.thema.naam if self.thema else "Niet gebundeld"


def themas(sessie: Sessie) -> list[ThemaMetKnelpunten]:
    """The thema's in the order they were made, each with its knelpunten; loose knelpunten last.

    Knelpunten hidden by the begeleider are left out, and so is a thema left without any.
    """
    knelpunten = list(
        db.session.scalars(
            select(Knelpunt).where(Knelpunt.sessie_id == sessie.id, Knelpunt.verborgen.is_(False)).order_by(Knelpunt.id)
        )
    )
    per_thema: dict[int | None, list[Knelpunt]] = {}
    for k in knelpunten:
        per_thema.setdefault(k.thema_id, []).append(k)
    lijst = [
        ThemaMetKnelpunten(t, per_thema[t.id])
        for t in db.session.scalars(select(Thema).where(Thema.sessie_id == sessie.id).order_by(Thema.id))
        if per_thema.get(t.id)
    ]
    if per_thema.get(None):
        lijst.append(ThemaMetKnelpunten(None, per_thema[None]))
    return lijst


# --------------------------------------------------------------------------- stemuitslag


@dataclass(frozen=True)
class StemRegel:
    item: Knelpunt | Thema
    totaal: int
    per_perspectief: dict[str, int]  # empty when the perspectives are not shown apart

    @property
    def titel(self) -> str:
        return titel(self.item)


@dataclass(frozen=True)
class Stemuitslag:
    regels: list[StemRegel]
    stemmers: int  # deelnemers who cast at least one vote
    perspectieven: tuple[str, ...]  # shown apart, in this order; empty: totals only
    beschermd: bool  # perspectives voted, but one had fewer than MIN_GROEP voters
    min_groep: int = MIN_GROEP
    labels: dict[str, str] = field(default_factory=lambda: dict(PERSPECTIEF_LABELS))

    @property
    def gestemd(self) -> bool:
        return self.stemmers > 0


def stemuitslag(sessie: Sessie) -> Stemuitslag:
    """Votes per item, most first, and per perspective when every voting group is large enough.

    The figures and the small-group rule are `lezen.stemuitslag`'s (the same the begeleider,
    the phones and the Scherm show); this only shapes them for the verslag's table and CSV.
    """
    su = lezen.stemuitslag(sessie)
    perspectieven = su.perspectieven if su.apart else ()  # the gemeente's own ones too
    regels = [
        StemRegel(r.item, r.stemmen, {p: (r.per_perspectief or {}).get(p, 0) for p in perspectieven}) for r in su.regels
    ]
    return Stemuitslag(
        regels=regels,
        stemmers=sum(su.stemmers.values()),
        perspectieven=perspectieven,
        beschermd=bool(su.te_klein),
        min_groep=su.min_groep,
        labels=su.labels,
    )


# --------------------------------------------------------------------------- dialoog


@dataclass(frozen=True)
class DialoogReactie:
    perspectief: str
    tekst: str
    vooraf: bool

    @property
    def perspectief_label(self) -> str:
        return label_van(self.perspectief)


@dataclass(frozen=True)
class DialoogItem:
    item: Knelpunt | Thema
    reacties: list[DialoogReactie]

    @property
    def titel(self) -> str:
        return titel(self.item)

    @property
    def per_perspectief(self) -> list[tuple[str, list[DialoogReactie]]]:
        """The reacties grouped by perspective (uitvoering, beleid, anders), each in posting order."""
        groepen: dict[str, list[DialoogReactie]] = {}
        for r in self.reacties:
            groepen.setdefault(r.perspectief, []).append(r)
        return [(p, groepen[p]) for p in _perspectief_volgorde(set(groepen))]


def dialoog(sessie: Sessie) -> list[DialoogItem]:
    """Every item that got reacties, in the dialoog's order (by votes), then any others by id.

    Hidden reacties and reacties on hidden knelpunten are left out; no author's name is kept.
    """
    per_item: dict[tuple[str, int], list[DialoogReactie]] = {}
    for r in db.session.scalars(
        select(Reactie).where(Reactie.sessie_id == sessie.id, Reactie.verborgen.is_(False)).order_by(Reactie.id)
    ):
        sleutel = (THEMA, r.thema_id) if r.thema_id is not None else (KNELPUNT, r.knelpunt_id)
        per_item.setdefault(sleutel, []).append(DialoogReactie(r.perspectief, r.tekst, r.vooraf))
    if not per_item:
        return []
    items: list[DialoogItem] = []
    gezien: set[tuple[str, int]] = set()
    for regel in dialoog_items(sessie):
        sleutel = (regel.item.soort, regel.item.id)
        if sleutel in per_item:
            items.append(DialoogItem(regel.item, per_item[sleutel]))
            gezien.add(sleutel)
    for soort, item_id in sorted(set(per_item) - gezien):
        item = db.session.get(Thema if soort == THEMA else Knelpunt, item_id)
        if item is None or item.sessie_id != sessie.id or getattr(item, "verborgen", False):
            continue
        items.append(DialoogItem(item, per_item[(soort, item_id)]))
    return items


# --------------------------------------------------------------------------- together


def verslag_onderdeel(sessie: Sessie) -> dict[str, object]:
    """The knelpunten part of the verslag, for its page, Markdown and CSV."""
    return {"themas": themas(sessie), "stemuitslag": stemuitslag(sessie), "dialoog": dialoog(sessie)}
