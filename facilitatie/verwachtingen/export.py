"""The verwachtingen as they leave the sessie: CSV files and the verslag's part.

Everything here reads the protected `uitslag` or closed rondes only (see `uitslag.py`).
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from typing import Any

from facilitatie.sessies.models import Sessie
from facilitatie.verwachtingen import statistiek as stat
from facilitatie.verwachtingen.lezen import (
    ONDERDRUKT,
    drempels,
    gesloten_rondes,
    getal,
    verwachtingen_van,
)
from facilitatie.verwachtingen.uitslag import gesloten_beoordelingen, uitslag


def _cel(waarde: object) -> str:
    """A CSV cell for Dutch Excel: decimal comma, and no formula injection from user text."""
    if waarde is None:
        return ""
    if isinstance(waarde, bool):
        return "ja" if waarde else "nee"
    if isinstance(waarde, float):
        return getal(waarde)
    tekst = str(waarde)
    if tekst[:1] in ("=", "+", "-", "@", "\t", "\r"):
        tekst = "'" + tekst
    return tekst


def _csv(kop: list[str], rijen: list[list[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(kop)
    for rij in rijen:
        writer.writerow([_cel(w) for w in rij])
    # The BOM makes Excel read UTF-8 (ë, ‘’) instead of guessing a Windows code page.
    return "\ufeff" + buffer.getvalue()


def beoordelingen_csv(sessie: Sessie) -> str:
    """Every rating of the closed rondes without identity: ronde, perspectief, schaal, waarde.

    Rows are sorted, and wenselijk and haalbaar are separate rows, so neither the order nor
    a pair can lead back to a deelnemer. A ronde with fewer than min_groep raters is left out.
    Per scale, the same rule as the figures (`statistiek.bescherm`): perspectives are named
    only when each has at least min_groep ratings on that scale ("Weet niet" is no rating),
    so a small group's answer can neither be read off nor derived from the others by
    subtraction; a scale with fewer than min_groep ratings in all shows no values.
    """
    d = drempels(sessie)
    gesloten = gesloten_rondes(sessie)
    rijen: list[tuple[int, int, str, str, str]] = []
    volgorde = {v.id: i for i, v in enumerate(verwachtingen_van(sessie), start=1)}
    for verwachting_id, beoordelingen in gesloten_beoordelingen(sessie, gesloten).items():
        for ronde in gesloten:
            in_ronde = [b for b in beoordelingen if b.ronde == ronde]
            if len(in_ronde) < d.min_groep:
                continue
            beoordelaars = Counter(b.perspectief for b in in_ronde)
            for schaal in stat.SCHALEN:
                per_groep = Counter(b.perspectief for b in in_ronde if getattr(b, schaal) is not None)
                benoemen = all(n >= d.min_groep for n in (*beoordelaars.values(), *per_groep.values()))
                genoeg = sum(per_groep.values()) >= d.min_groep
                for b in in_ronde:
                    waarde = getattr(b, schaal)
                    tekst = "weet niet" if waarde is None else (str(waarde) if genoeg else ONDERDRUKT)
                    perspectief = b.perspectief if benoemen else ONDERDRUKT
                    rijen.append((volgorde[verwachting_id], ronde, perspectief, schaal, tekst))
    rijen.sort()
    return _csv(["verwachting", "ronde", "perspectief", "schaal", "waarde"], [list(r) for r in rijen])


def figuren_csv(sessie: Sessie) -> str:
    """The figures table of the uitslag, exactly as protected on screen."""
    u = uitslag(sessie)
    nummer = {v.id: i for i, v in enumerate(verwachtingen_van(sessie), start=1)}
    kop = [
        "verwachting",
        "tekst",
        "ronde",
        "groep",
        "schaal",
        "n",
        "mediaan",
        "q1",
        "q3",
        "iqr",
        "gemiddelde",
        "binnen één punt",
        "consensus",
        "kloof (alle)",
        "verschil beleid-uitvoering",
        "opmerking",
    ]
    rijen: list[list[object]] = []
    for item in sorted(u.items, key=lambda i: nummer[i.verwachting.id]):
        for ronde, f in item.rondes.items():
            for groep in f.groepen:  # beleid, uitvoering and the gemeente's own
                if groep not in f.per_perspectief:
                    rijen.append(
                        [nummer[item.verwachting.id], item.verwachting.tekst, ronde, groep, "", "", "", "", "", "", "",
                         "", "", f.kloof, "", f"onderdrukt: minder dan {u.drempels.min_groep} beoordelaars"]
                    )  # fmt: skip
                    continue
                for schaal in stat.SCHALEN:
                    s = f.per_perspectief[groep][schaal]
                    opmerking = "" if s.mediaan is not None or not s.n else "onderdrukt: te weinig antwoorden"
                    rijen.append(
                        [
                            nummer[item.verwachting.id],
                            item.verwachting.tekst,
                            ronde,
                            groep,
                            schaal,
                            s.n,
                            s.mediaan,
                            s.q1,
                            s.q3,
                            s.iqr,
                            round(s.gemiddelde, 2) if s.gemiddelde is not None else None,
                            round(s.aandeel_binnen_een, 2) if s.aandeel_binnen_een is not None else None,
                            s.consensus if s.mediaan is not None else None,
                            f.kloof,
                            f.perspectiefverschil.get(schaal),
                            opmerking,
                        ]
                    )
    return _csv(kop, rijen)


def verslag_onderdeel(sessie: Sessie) -> dict[str, Any]:
    """The verwachtingen part of the verslag: figures (protected) and the ambitie per verwachting.

    For templates/verwachtingen/_verslag.html (pass it as `verwachtingen_verslag`) and for
    other renderings (Markdown, CSV) of the verslag.
    """
    u = uitslag(sessie)
    per_id = {item.verwachting.id: item for item in u.items}
    lijst = []
    for v in verwachtingen_van(sessie):
        item = per_id.get(v.id)
        ambitie = v.ambitie
        lijst.append(
            {
                "id": v.id,
                "tekst": v.tekst,
                "bron": v.bron,
                "toelichting": v.toelichting,
                "ambitie": None
                if ambitie is None
                else {
                    "uitkomst": ambitie.uitkomst,
                    "label": ambitie.uitkomst_label,
                    "nieuwe_formulering": ambitie.nieuwe_formulering,
                    "toelichting": ambitie.toelichting,
                    "vastgelegd_door": ambitie.vastgelegd_door.naam if ambitie.vastgelegd_door else None,
                    "vastgelegd_op": ambitie.vastgelegd_op,
                },
                "svg": item.svg if item else None,
                "rijen": item.rijen if item else [],
                "notities": item.notities if item else [],
                "kloof": item.kloof if item else None,
                "consensus": item.consensus if item else None,
                "beweging": item.beweging_tekst if item else "—",
                "uitslag": item,
            }
        )
    return {"verwachtingen": lijst, "gesloten_rondes": u.gesloten, "min_groep": u.drempels.min_groep}
