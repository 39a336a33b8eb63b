"""Fragments of the knelpunten area, rendered once per audience from the templates the pages use.

A broadcast fragment holds no person's data: no CSRF token (live.js fills the page's in), no
client request id (knelpunten.js fills a fresh one in), no author name of an anonymous post.
"""

from __future__ import annotations

from datetime import UTC
from functools import cached_property
from typing import Any

from flask import render_template
from sqlalchemy import bindparam, case, func, select

from facilitatie.extensions import db
from facilitatie.knelpunten import lezen
from facilitatie.knelpunten.invoer import MAX_REDEN, MAX_STEMMEN, MAX_THEMA_NAAM, MAX_TIMER_LABEL, MAX_TIMER_MINUTEN
from facilitatie.knelpunten.models import Knelpunt, KnelpuntInstellingen, Moderatie, Reactie, Stem, Thema
from facilitatie.realtime import BEGELEIDER, DEELNEMERS, Fragment
from facilitatie.sessies import werkruimte
from facilitatie.sessies.aanwezigheid import aanwezig
from facilitatie.sessies.lezen import vorm_van
from facilitatie.sessies.models import Sessie
from facilitatie.tekst import MAX_KNELPUNT_LENGTE

# The limits the templates show (maxlength, min/max, "hoogstens …"): the same constants as the rules.
GRENZEN = {
    "tekst": MAX_KNELPUNT_LENGTE,
    "thema": MAX_THEMA_NAAM,
    "reden": MAX_REDEN,
    "stemmen": MAX_STEMMEN,
    "minuten": MAX_TIMER_MINUTEN,
    "label": MAX_TIMER_LABEL,
}


# Built once: every deelnemer page and every fragment of the list runs them, and a reused
# statement keeps its SQLAlchemy cache key instead of computing it again.
_ZICHTBAAR_BEGELEIDER = (
    select(Knelpunt)
    .where(Knelpunt.sessie_id == bindparam("sessie_id"), Knelpunt.verborgen.is_(False))
    .order_by(Knelpunt.id)
)
_ZICHTBAAR_DEELNEMERS = _ZICHTBAAR_BEGELEIDER.where(Knelpunt.onthuld.is_(True))
_TELLINGEN = select(func.count(), func.coalesce(func.sum(case((Knelpunt.onthuld.is_(True), 1), else_=0)), 0)).where(
    Knelpunt.sessie_id == bindparam("sessie_id"), Knelpunt.verborgen.is_(False)
)


class Weergave:
    """What the knelpunten templates show for one audience, queried lazily and only once."""

    def __init__(
        self, sessie: Sessie, inst: KnelpuntInstellingen, voor_begeleider: bool, *, voor_scherm: bool = False
    ) -> None:
        self.sessie = sessie
        self.inst = inst
        self.voor_begeleider = voor_begeleider
        self.voor_scherm = voor_scherm  # the projector: what deelnemers see, never a control

    @cached_property
    def soort(self) -> str | None:
        return lezen.weergave(self.sessie)

    @property
    def vooraf(self) -> bool:
        return self.sessie.status == "concept"

    @cached_property
    def knelpunten(self) -> list[Knelpunt]:
        """Visible knelpunten: all (not moderated) for the begeleider, revealed ones for deelnemers."""
        query = _ZICHTBAAR_BEGELEIDER if self.voor_begeleider else _ZICHTBAAR_DEELNEMERS
        return list(db.session.scalars(query, {"sessie_id": self.sessie.id}))

    @cached_property
    def _tellingen(self) -> tuple[int, int]:
        """(revealed, waiting) visible knelpunten, counted in SQL in one statement (no rows per post)."""
        alle, onthuld = db.session.execute(_TELLINGEN, {"sessie_id": self.sessie.id}).one()
        return int(onthuld), int(alle) - int(onthuld)

    @property
    def aantal_zichtbaar(self) -> int:
        """How many this audience sees: all (not moderated) for the begeleider, revealed ones for deelnemers."""
        onthuld, wachtend = self._tellingen
        return onthuld + wachtend if self.voor_begeleider else onthuld

    @property
    def aantal_wachtend(self) -> int:
        return self._tellingen[1]

    @cached_property
    def themas(self) -> list[Thema]:
        return list(db.session.scalars(select(Thema).where(Thema.sessie_id == self.sessie.id).order_by(Thema.id)))

    def in_thema(self, thema_id: int | None) -> list[Knelpunt]:
        return [k for k in self.knelpunten if k.thema_id == thema_id]

    @cached_property
    def mag_bundelen(self) -> bool:
        if self.voor_scherm:
            return False
        return self.voor_begeleider or (self.soort == "bundelen" and self.inst.deelnemers_bundelen)

    @cached_property
    def uitslag(self) -> list:
        return lezen.uitslag(self.sessie)

    @cached_property
    def stemuitslag(self) -> lezen.StemUitslag:
        """The uitslag with the split by perspective, small groups protected (lezen.stemuitslag)."""
        return lezen.stemuitslag(self.sessie)

    @cached_property
    def stem_items(self) -> list:
        return lezen.stem_items(self.sessie, self.inst)

    @cached_property
    def stemmen_voortgang(self) -> tuple[int, int]:
        """(stemmen given, deelnemers who voted): all the begeleider sees while voting is open."""
        row = db.session.execute(
            select(func.count(), func.count(func.distinct(Stem.deelnemer_id))).where(Stem.sessie_id == self.sessie.id)
        ).one()
        return int(row[0]), int(row[1])

    @cached_property
    def op_scherm(self) -> Knelpunt | Thema | None:
        return lezen.op_scherm(self.sessie)

    def reacties(self, item: Knelpunt | Thema) -> list[Reactie]:
        return lezen.reacties(item)

    @cached_property
    def timer(self) -> tuple[str, int]:
        return lezen.timer_stand(self.inst, self.sessie)

    @cached_property
    def moderaties(self) -> list[Moderatie]:
        """The audit trail of hidden knelpunten and reacties (begeleider only)."""
        return list(
            db.session.scalars(
                select(Moderatie).where(Moderatie.sessie_id == self.sessie.id).order_by(Moderatie.op.desc())
            )
        )

    @property
    def timer_eind_ms(self) -> int | None:
        """The end time as epoch milliseconds (UTC), for the countdown in the browser."""
        if self.inst.timer_eind is None:
            return None
        return int(self.inst.timer_eind.replace(tzinfo=UTC).timestamp() * 1000)

    @cached_property
    def aanwezig(self) -> dict[str, int]:
        return aanwezig(self.sessie.id)


def context(sessie: Sessie, inst: KnelpuntInstellingen, audience: str, **extra: Any) -> dict[str, Any]:
    """The template context for one audience; broadcasts carry no token and no request id."""
    voor_begeleider = audience == BEGELEIDER
    return {
        "sessie": sessie,
        "inst": inst,
        "kp": Weergave(sessie, inst, voor_begeleider),
        "voor_begeleider": voor_begeleider,
        "csrf_value": "",
        "rid": "",
        "ik": None,
        **extra,
    }


def scherm_context(sessie: Sessie, inst: KnelpuntInstellingen) -> dict[str, Any]:
    """The Scherm's context: what deelnemers see (revealed posts, no author), without controls."""
    ctx = context(sessie, inst, DEELNEMERS)
    ctx["kp"] = Weergave(sessie, inst, False, voor_scherm=True)
    ctx["voor_scherm"] = True
    return ctx


def _render(template: str, sessie: Sessie, inst: KnelpuntInstellingen, audience: str, **extra: Any) -> str:
    return render_template(template, **context(sessie, inst, audience, **extra))


def _beide(maker) -> dict[str, list[Fragment]]:
    return {aud: maker(aud) for aud in (DEELNEMERS, BEGELEIDER)}


def _teller(sessie: Sessie, inst: KnelpuntInstellingen, aud: str) -> Fragment:
    return Fragment("#knelpunten-teller", _render("knelpunten/_teller.html", sessie, inst, aud))


def knelpunt_toegevoegd(sessie: Sessie, inst: KnelpuntInstellingen, knelpunt: Knelpunt) -> dict[str, list[Fragment]]:
    """Append the new knelpunt where it shows (the list, or the loose column of the board)."""
    soort = lezen.weergave(sessie)

    def maker(aud: str) -> list[Fragment]:
        if aud == DEELNEMERS and not knelpunt.onthuld:
            return [_teller(sessie, inst, aud)]
        if soort == "bundelen":
            return [Fragment("#thema-los", _render("knelpunten/_thema.html", sessie, inst, aud, thema=None))]
        html = _render("knelpunten/_knelpunt.html", sessie, inst, aud, k=knelpunt)
        fragmenten = [Fragment("#knelpunten-lijst", html, "beforeend"), _teller(sessie, inst, aud)]
        if aud == BEGELEIDER and not knelpunt.onthuld:
            fragmenten.append(_onthullen(sessie, inst))
        return fragmenten

    return _beide(maker)


def _onthullen(sessie: Sessie, inst: KnelpuntInstellingen) -> Fragment:
    return Fragment("#kp-onthullen", _render("knelpunten/_onthullen.html", sessie, inst, BEGELEIDER))


def knelpunt_gewijzigd(sessie: Sessie, inst: KnelpuntInstellingen, knelpunt: Knelpunt) -> dict[str, list[Fragment]]:
    def maker(aud: str) -> list[Fragment]:
        if aud == DEELNEMERS and not knelpunt.onthuld:
            return []
        return [
            Fragment(f"#knelpunt-{knelpunt.id}", _render("knelpunten/_knelpunt.html", sessie, inst, aud, k=knelpunt))
        ]

    return _beide(maker)


def knelpunt_weg(sessie: Sessie, inst: KnelpuntInstellingen, knelpunt_id: int) -> dict[str, list[Fragment]]:
    """Remove a withdrawn or hidden knelpunt from every place it may be shown."""

    def maker(aud: str) -> list[Fragment]:
        return [
            Fragment(f"#knelpunt-{knelpunt_id}", "", "delete"),
            Fragment(f"#bord-knelpunt-{knelpunt_id}", "", "delete"),
            Fragment(f"#dialoog-knelpunt-{knelpunt_id}", "", "delete"),
            _teller(sessie, inst, aud),
            *([_onthullen(sessie, inst)] if aud == BEGELEIDER else []),
        ]

    return _beide(maker)


def lijst_opnieuw(sessie: Sessie, inst: KnelpuntInstellingen) -> dict[str, list[Fragment]]:
    def maker(aud: str) -> list[Fragment]:
        fragmenten = [Fragment("#knelpunten", _render("knelpunten/_lijst.html", sessie, inst, aud))]
        if aud == BEGELEIDER:
            fragmenten.append(_onthullen(sessie, inst))
        return fragmenten

    return _beide(maker)


def instellingen_gewijzigd(sessie: Sessie, inst: KnelpuntInstellingen, *, lijst: bool) -> dict[str, list[Fragment]]:
    fragmenten = lijst_opnieuw(sessie, inst) if lijst else {DEELNEMERS: [], BEGELEIDER: []}
    if not lijst:
        fragmenten[BEGELEIDER].append(_onthullen(sessie, inst))
    fragmenten[DEELNEMERS].append(Fragment("#bord", _render("knelpunten/_bord.html", sessie, inst, DEELNEMERS)))
    return fragmenten


def bord_opnieuw(sessie: Sessie, inst: KnelpuntInstellingen) -> dict[str, list[Fragment]]:
    return _beide(lambda aud: [Fragment("#bord", _render("knelpunten/_bord.html", sessie, inst, aud))])


def themas_opnieuw(sessie: Sessie, inst: KnelpuntInstellingen, thema_ids: set[int | None]) -> dict[str, list[Fragment]]:
    """Re-render the thema columns a move touched, each in full: the newest seq shows the truth."""
    themas = {t.id: t for t in db.session.scalars(select(Thema).where(Thema.id.in_([i for i in thema_ids if i])))}

    def maker(aud: str) -> list[Fragment]:
        fragmenten = []
        for thema_id in sorted(thema_ids, key=lambda i: i or 0):
            thema = themas.get(thema_id) if thema_id else None
            if thema_id and thema is None:
                continue
            doel = f"#thema-{thema_id}" if thema_id else "#thema-los"
            fragmenten.append(Fragment(doel, _render("knelpunten/_thema.html", sessie, inst, aud, thema=thema)))
        return fragmenten

    return _beide(maker)


def stemmen_voortgang(sessie: Sessie) -> dict[str, list[Fragment]]:
    inst = lezen.instellingen(sessie)
    return {
        DEELNEMERS: [],
        BEGELEIDER: [Fragment("#stemmen-voortgang", _render("knelpunten/_voortgang.html", sessie, inst, BEGELEIDER))],
    }


@werkruimte.fase_afgerond_als("stemmen")
def stemmen_afgerond(sessie: Sessie) -> str | None:
    """After Stemmen sluiten the instruction ('Geef je stemmen …') no longer holds."""
    if lezen.instellingen(sessie).stemmen_gesloten:
        return "Het stemmen is gesloten. Hieronder zie je de uitslag."
    return None


def stemmen_gesloten(sessie: Sessie) -> dict[str, list[Fragment]]:
    inst = lezen.instellingen(sessie)
    fase = render_template(
        "sessies/_fase.html", sessie=sessie, vorm=vorm_van(sessie), fase_afgerond=werkruimte.fase_afgerond(sessie)
    )
    return {
        DEELNEMERS: [
            Fragment("#fase", fase),
            Fragment("#stemmen", _render("knelpunten/_uitslag.html", sessie, inst, DEELNEMERS)),
        ],
        BEGELEIDER: [
            Fragment("#stemmen-begeleider", _render("knelpunten/_stemmen_begeleider.html", sessie, inst, BEGELEIDER))
        ],
    }


def dialoog_opnieuw(sessie: Sessie, inst: KnelpuntInstellingen, *, formulier: bool = True) -> dict[str, list[Fragment]]:
    """The item on screen (whole, or only its heading so typed reacties survive) and the order."""

    def maker(aud: str) -> list[Fragment]:
        if formulier:
            fragmenten = [Fragment("#dialoog", _render("knelpunten/_dialoog.html", sessie, inst, aud))]
        else:
            fragmenten = [Fragment("#dialoog-kop", _render("knelpunten/_dialoog_kop.html", sessie, inst, aud))]
        if aud == BEGELEIDER:
            fragmenten.append(Fragment("#dialoog-volgorde", _render("knelpunten/_volgorde.html", sessie, inst, aud)))
        return fragmenten

    return _beide(maker)


def reactie_toegevoegd(
    sessie: Sessie, inst: KnelpuntInstellingen, reactie: Reactie, item: Knelpunt | Thema
) -> dict[str, list[Fragment]]:
    def maker(aud: str) -> list[Fragment]:
        html = _render("knelpunten/_reactie.html", sessie, inst, aud, r=reactie)
        return [Fragment(f"#reacties-{item.soort}-{item.id}", html, "beforeend")]

    return _beide(maker)


def reactie_weg(reactie_id: int) -> dict[str, list[Fragment]]:
    return _beide(lambda aud: [Fragment(f"#reactie-{reactie_id}", "", "delete")])


def timer_opnieuw(sessie: Sessie, inst: KnelpuntInstellingen) -> dict[str, list[Fragment]]:
    return _beide(lambda aud: [Fragment("#timer", _render("knelpunten/_timer.html", sessie, inst, aud))])
