"""The leerkring's part of the verslag: evaluatie, peilingen, the next inbrenger, and the casus if chosen.

The casus card stays in the kring unless the begeleider ticked "Casus opnemen in het verslag";
vragen and reflecties are the kring's own and never leave it. Figures of fewer than three
answers are not shown, as everywhere.
"""

from __future__ import annotations

from facilitatie.leerkring import lezen, regels
from facilitatie.opvolging import verslag
from facilitatie.sessies.models import Sessie
from facilitatie.templating import datum


def _md(tekst: str) -> str:
    return " ".join(tekst.split()).replace("|", "\\|")


@verslag.onderdeel
def leerkring_onderdeel(sessie: Sessie) -> verslag.Onderdeel | None:
    """What the verslag shows of the leerkring, or None when the sessie has none of it."""
    kring_casus = lezen.casus_van(sessie)
    casus = kring_casus if kring_casus is not None and kring_casus.in_verslag else None
    evaluatie = lezen.evaluatie_uitslag(sessie.id)
    peilingen = [p for p in lezen.peilingen_van(sessie) if p.aantal]
    vooruitblik = lezen.vooruitblik_van(sessie)
    if kring_casus is None and not evaluatie.aantal and not peilingen and vooruitblik is None:
        return None
    md = ["## Leerkring", ""]
    if casus is not None:
        md += [f"- Casus: {_md(casus.vraag)}"]
        if casus.context:
            md += [f"  - Context: {_md(casus.context)}"]
    elif kring_casus is not None:
        md += ["- Casus: blijft in de kring en staat niet in dit verslag."]
    if evaluatie.aantal:
        md += [f"- Evaluatie: {_schaal_md(evaluatie.schaal)}{_woorden_md(evaluatie.wolk)}"]
    for p in peilingen:
        assert p.fase.peiling is not None
        if p.schaal is not None:
            figuur = _schaal_md(p.schaal)
        else:
            figuur = _antwoorden(p.aantal) + ("" if p.wolk else " (te weinig om te tonen)")
        md += [f"- Peiling ‘{_md(p.fase.peiling.vraag)}’: {figuur}{_woorden_md(p.wolk)}"]
    if vooruitblik is not None:
        wanneer = f" op {datum(vooruitblik.datum)}" if vooruitblik.datum else ""
        md += [f"- Volgende leerkring{wanneer}; casus van {_md(vooruitblik.inbrenger)}"]
    md += ["", f"Cijfers van minder dan {regels.MIN_GROEP} antwoorden worden niet getoond."]
    return verslag.Onderdeel(
        "leerkring/_verslag.html",
        {
            "casus": casus,
            "casus_in_kring": kring_casus is not None and casus is None,
            "evaluatie": evaluatie,
            "peilingen": peilingen,
            "vooruitblik": vooruitblik,
        },
        md,
    )


def _antwoorden(aantal: int) -> str:
    return f"{aantal} antwoord" if aantal == 1 else f"{aantal} antwoorden"


def _schaal_md(schaal: regels.Schaaluitslag | None) -> str:
    if schaal is None:
        return ""
    if not schaal.zichtbaar:
        return f"{_antwoorden(schaal.aantal)} (te weinig om te tonen)"
    return f"gemiddeld {regels.getal(schaal.gemiddelde)} van 5 ({_antwoorden(schaal.aantal)})"


def _woorden_md(wolk: list[regels.Wolkwoord] | None) -> str:
    if not wolk:
        return ""
    top = sorted(wolk, key=lambda w: (-w.aantal, w.woord))[:5]
    return "; woorden: " + ", ".join(f"{w.woord} ({w.aantal})" for w in top)
