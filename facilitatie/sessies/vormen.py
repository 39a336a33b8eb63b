"""Sessievormen (draaiboeken): Markdown files with YAML front matter in `sessies/`.

A sessievorm describes the fasen a begeleider leads a sessie through. The files are
written by people, not programs, so every mistake is reported as a SessievormFout that
names the file and the field in plain Dutch, and a file is either fully valid or refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import markdown
import nh3
import yaml
from frontmatter.default_handlers import YAMLHandler

__all__ = [
    "SOORTEN",
    "Fase",
    "Peiling",
    "Sessievorm",
    "SessievormFout",
    "load_vorm",
    "load_vormen",
    "render_markdown",
]

SOORTEN: tuple[str, ...] = (
    "welkom",
    "knelpunten",
    "bundelen",
    "stemmen",
    "dialoog",
    "beoordelen",
    "besluiten",
    "afsluiting",
    "casus",
    "reflectie",
    "evaluatie",
    "peiling",
)

MIN_MINUTEN = 1
MAX_MINUTEN = 240
RONDEN = (1, 2)
# The slug lands in Sessie.sessievorm (String(80)) and in URLs.
MAX_SLUG_LENGTE = 80

_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_VORM_VELDEN = ("titel", "samenvatting", "fasen")
_FASE_VELDEN = (
    "key",
    "titel",
    "minuten",
    "soort",
    "instructie",
    "gids",
    "ronde",
    "vragen",
    "vraag",
    "volgende_inbrenger",
    "peiling",
)
# Fields that give a fase soort its content (leerkring and peiling); each belongs to these soorten.
_OPTIE_SOORTEN: dict[str, tuple[str, ...]] = {
    "vragen": ("casus",),
    "vraag": ("reflectie", "evaluatie"),
    "volgende_inbrenger": ("afsluiting",),
    "peiling": ("peiling",),
}
PEILING_VORMEN = ("schaal", "woord")
_PEILING_VELDEN = ("vraag", "vorm", "laag", "hoog")
MAX_VRAAG = 200
MAX_SCHAALLABEL = 40

_TOEGESTANE_TAGS = {
    "p",
    "ul",
    "ol",
    "li",
    "strong",
    "em",
    "a",
    "br",
    "h3",
    "h4",
    "blockquote",
    "code",
}
_TOEGESTANE_ATTRIBUTEN = {"a": {"href", "title"}}
_TOEGESTANE_SCHEMAS = {"http", "https", "mailto"}


class SessievormFout(ValueError):
    """A sessievorm file is unusable; says which file and field, so its author can fix it."""

    def __init__(self, bestand: str, veld: str, reden: str) -> None:
        self.bestand = bestand
        self.veld = veld
        self.reden = reden
        super().__init__(f"{bestand}: {veld} {reden}")

    def __reduce__(self) -> tuple[Any, ...]:
        """Keep the error picklable despite the three-argument constructor."""
        return (type(self), (self.bestand, self.veld, self.reden))


@lru_cache(maxsize=512)
def render_markdown(tekst: str) -> str:
    """Render trusted-looking but untrusted Markdown to HTML that is safe to show as is."""
    html = markdown.markdown(tekst, extensions=["sane_lists"])
    return nh3.clean(
        html,
        tags=_TOEGESTANE_TAGS,
        clean_content_tags={"script", "style"},
        attributes=_TOEGESTANE_ATTRIBUTEN,
        url_schemes=_TOEGESTANE_SCHEMAS,
        link_rel="noopener nofollow",
    )


@dataclass(frozen=True)
class Peiling:
    """A quick poll in a fase: one question, answered on a 1–5 scale or in one word."""

    vraag: str
    vorm: str  # "schaal" or "woord" (a word cloud)
    laag: str = "1"  # what 1 means on the scale, e.g. "Heel laag"
    hoog: str = "5"


@dataclass(frozen=True)
class Fase:
    """One step of a sessie: what deelnemers are asked to do and how the begeleider guides it."""

    key: str
    titel: str
    minuten: int
    soort: str
    instructie: str
    gids: str
    ronde: int | None = None
    # casus: deelnemers may post questions to the inbrenger.
    vragen: bool = True
    # reflectie and evaluatie: the question above the answer box (a default when None).
    vraag: str | None = None
    # afsluiting: the begeleider records the next inbrenger and date of the kring.
    volgende_inbrenger: bool = False
    peiling: Peiling | None = None

    @property
    def instructie_html(self) -> str:
        """The instructie as safe HTML, for the deelnemers' screens."""
        return render_markdown(self.instructie)

    @property
    def gids_html(self) -> str:
        """The gids as safe HTML, for the begeleider's screen only."""
        return render_markdown(self.gids)


@dataclass(frozen=True)
class Sessievorm:
    """A draaiboek: the ordered fasen a sessie follows, with an introduction for the begeleider."""

    slug: str
    titel: str
    samenvatting: str
    beschrijving: str
    fasen: tuple[Fase, ...]

    @property
    def beschrijving_html(self) -> str:
        """The beschrijving as safe HTML, for choosing and preparing a sessie."""
        return render_markdown(self.beschrijving)

    @property
    def totaal_minuten(self) -> int:
        """Planned length of the whole sessie, so a begeleider can fit it in an afternoon."""
        return sum(fase.minuten for fase in self.fasen)

    def fase(self, index: int) -> Fase:
        """The fase at a 0-based index (as stored in Sessie.fase_index); no wrap-around."""
        if not 0 <= index < len(self.fasen):
            raise IndexError(f"sessievorm {self.slug!r} heeft geen fase {index} (0 tot en met {len(self.fasen) - 1})")
        return self.fasen[index]


class _StrikteLoader(yaml.SafeLoader):
    """SafeLoader that refuses a key given twice, which plain YAML silently lets win."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        """Build a mapping, first checking that no key occurs twice."""
        gezien: set[Any] = set()
        for sleutel_node, _ in node.value:
            if sleutel_node.tag == "tag:yaml.org,2002:merge":
                continue  # '<<' merges may be overridden on purpose; the parent flattens them
            sleutel = self.construct_object(sleutel_node, deep=deep)
            try:
                dubbel = sleutel in gezien
                gezien.add(sleutel)
            except TypeError:
                continue  # unhashable key: the parent class reports it
            if dubbel:
                raise yaml.constructor.ConstructorError(
                    "in een mapping",
                    node.start_mark,
                    f"de sleutel {sleutel!r} komt twee keer voor",
                    sleutel_node.start_mark,
                )
        return super().construct_mapping(node, deep=deep)


_HANDLER = YAMLHandler()


def load_vorm(path: Path) -> Sessievorm:
    """Read and validate one sessievorm file; anything wrong becomes a SessievormFout."""
    path = Path(path)
    bestand = _weergavenaam(path)
    slug = path.stem
    if len(slug) > MAX_SLUG_LENGTE or not _SLUG.fullmatch(slug):
        raise SessievormFout(
            bestand,
            "bestandsnaam",
            f"moet bestaan uit kleine letters, cijfers en koppeltekens "
            f"(hoogstens {MAX_SLUG_LENGTE} tekens), bijvoorbeeld 'leerkring.md'",
        )
    try:
        tekst = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SessievormFout(bestand, "bestand", "is geen geldige UTF-8-tekst") from exc
    except OSError as exc:
        raise SessievormFout(bestand, "bestand", f"kan niet gelezen worden ({exc.strerror or exc})") from exc

    gegevens, body = _lees_front_matter(tekst, bestand)
    _weiger_onbekende_velden(gegevens, _VORM_VELDEN, "", bestand)
    titel = _tekst(gegevens, "titel", "titel", bestand)
    samenvatting = _tekst(gegevens, "samenvatting", "samenvatting", bestand)
    fasen = _fasen(gegevens, bestand, _Regels(tekst))
    beschrijving = body.strip()
    if not beschrijving:
        raise SessievormFout(
            bestand,
            "beschrijving",
            "is leeg: schrijf onder de front matter een inleiding voor de begeleider",
        )
    return Sessievorm(
        slug=slug,
        titel=titel,
        samenvatting=samenvatting,
        beschrijving=beschrijving,
        fasen=fasen,
    )


def load_vormen(directory: Path) -> dict[str, Sessievorm]:
    """Load every sessievorm in a directory, keyed by slug and ordered by titel for menus."""
    directory = Path(directory)
    if not directory.is_dir():
        raise SessievormFout(_weergavenaam(directory), "map", "bestaat niet of is geen map")
    vormen: list[Sessievorm] = []
    titels: dict[str, Path] = {}
    for path in sorted(directory.glob("*.md")):
        if path.name.startswith(".") or not path.is_file():
            continue  # editor and system files, not sessievormen
        vorm = load_vorm(path)
        # Two vormen with one titel could not be told apart in the "Sessievorm" menu.
        eerder = titels.setdefault(vorm.titel.casefold(), path)
        if eerder != path:
            raise SessievormFout(
                _weergavenaam(path),
                "titel",
                f"{vorm.titel!r} wordt ook al gebruikt in {eerder.name}",
            )
        vormen.append(vorm)
    vormen.sort(key=lambda vorm: (vorm.titel.casefold(), vorm.slug))
    return {vorm.slug: vorm for vorm in vormen}


def _weergavenaam(path: Path) -> str:
    """Short, recognisable file name for messages, like 'sessies/leerkring.md'."""
    return f"{path.parent.name}/{path.name}" if path.parent.name else path.name


def _lees_front_matter(tekst: str, bestand: str) -> tuple[dict[Any, Any], str]:
    """Split off and parse the YAML front matter, reporting lines relative to the file."""
    grens = _HANDLER.FM_BOUNDARY
    assert grens is not None
    begin = grens.match(tekst)
    if begin is None:
        raise SessievormFout(
            bestand,
            "front matter",
            "ontbreekt: het bestand moet beginnen met een regel '---'",
        )
    einde = grens.search(tekst, begin.end())
    if einde is None:
        raise SessievormFout(bestand, "front matter", "wordt niet afgesloten met een tweede regel '---'")
    fm = tekst[begin.end() : einde.start()]
    regels_ervoor = tekst.count("\n", 0, begin.end())
    try:
        gegevens = _HANDLER.load(fm, Loader=_StrikteLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        waar = f" (regel {regels_ervoor + mark.line + 1})" if mark is not None else ""
        uitleg = exc.problem or exc.context or "onbekende fout"
        raise SessievormFout(bestand, "front matter", f"is geen geldige YAML{waar}: {uitleg}") from exc
    except Exception as exc:  # whatever else YAML throws, the author needs file and field
        raise SessievormFout(bestand, "front matter", f"is geen geldige YAML: {exc}") from exc
    if gegevens is None:
        gegevens = {}
    if not isinstance(gegevens, dict):
        raise SessievormFout(
            bestand,
            "front matter",
            f"moet uit velden bestaan (titel, samenvatting, fasen), niet uit {_soort_waarde(gegevens)}",
        )
    return gegevens, tekst[einde.end() :]


def _fasen(gegevens: dict[Any, Any], bestand: str, regels: _Regels | None = None) -> tuple[Fase, ...]:
    """Validate the list of fasen, including keys and rating rondes across fasen."""
    if "fasen" not in gegevens or gegevens["fasen"] is None:
        raise SessievormFout(bestand, "fasen", "ontbreekt: een sessievorm heeft minstens één fase")
    ruw = gegevens["fasen"]
    if not isinstance(ruw, list):
        raise SessievormFout(bestand, "fasen", f"moet een lijst zijn, niet {_soort_waarde(ruw)}")
    if not ruw:
        raise SessievormFout(bestand, "fasen", "is leeg: een sessievorm heeft minstens één fase")

    fasen: list[Fase] = []
    keys: dict[str, str] = {}
    ronden: dict[int, str] = {}
    for nummer, item in enumerate(ruw, start=1):
        pad = f"fasen[{nummer}]"
        fase = _fase(item, pad, bestand, regels.fase(nummer - 1) if regels else None)
        if fase.key in keys:
            raise SessievormFout(bestand, f"{pad}.key", f"{fase.key!r} komt al voor bij {keys[fase.key]}")
        keys[fase.key] = pad
        if fase.ronde is not None:
            if fase.ronde in ronden:
                raise SessievormFout(
                    bestand,
                    f"{pad}.ronde",
                    f"{fase.ronde} komt al voor bij {ronden[fase.ronde]}",
                )
            if fase.ronde == 2 and 1 not in ronden:
                raise SessievormFout(
                    bestand,
                    f"{pad}.ronde",
                    "2 (nameting) kan pas na een eerdere fase met ronde 1 (voormeting)",
                )
            ronden[fase.ronde] = pad
        fasen.append(fase)
    return tuple(fasen)


def _fase(item: Any, pad: str, bestand: str, regels: _Regels | None = None) -> Fase:
    """Validate one fase mapping and build the Fase."""
    if not isinstance(item, dict):
        raise SessievormFout(
            bestand,
            pad,
            f"moet velden hebben ({', '.join(_FASE_VELDEN)}), niet {_soort_waarde(item)}",
        )
    _weiger_onbekende_velden(item, _FASE_VELDEN, f"{pad}.", bestand)
    key = _tekst(item, "key", f"{pad}.key", bestand)
    if not _SLUG.fullmatch(key):
        raise SessievormFout(
            bestand,
            f"{pad}.key",
            f"{key!r} mag alleen kleine letters, cijfers en koppeltekens bevatten, bijvoorbeeld 'knelpunten-ophalen'",
        )
    titel = _tekst(item, "titel", f"{pad}.titel", bestand)
    if item.get("minuten") is None:
        raise SessievormFout(bestand, f"{pad}.minuten", "ontbreekt")
    minuten = item["minuten"]
    if isinstance(minuten, bool) or not isinstance(minuten, int) or not MIN_MINUTEN <= minuten <= MAX_MINUTEN:
        raise SessievormFout(
            bestand,
            f"{pad}.minuten",
            f"moet een geheel getal tussen {MIN_MINUTEN} en {MAX_MINUTEN} zijn (nu: {_toon(minuten)})",
        )
    soort = _tekst(item, "soort", f"{pad}.soort", bestand)
    if soort not in SOORTEN:
        raise SessievormFout(
            bestand,
            f"{pad}.soort",
            f"{soort!r} is onbekend; kies uit: {', '.join(SOORTEN)}",
        )
    instructie = _tekst(item, "instructie", f"{pad}.instructie", bestand)
    gids = _tekst(item, "gids", f"{pad}.gids", bestand)
    ronde = item.get("ronde")
    if soort == "beoordelen":
        if ronde is None:
            raise SessievormFout(
                bestand,
                f"{pad}.ronde",
                "ontbreekt: een fase 'beoordelen' heeft ronde 1 of 2",
            )
        if isinstance(ronde, bool) or not isinstance(ronde, int) or ronde not in RONDEN:
            raise SessievormFout(
                bestand,
                f"{pad}.ronde",
                f"moet 1 (voormeting) of 2 (nameting) zijn (nu: {_toon(ronde)})",
            )
    elif "ronde" in item:
        raise SessievormFout(
            bestand,
            f"{pad}.ronde",
            f"hoort alleen bij soort 'beoordelen', niet bij {soort!r}",
        )
    opties = _fase_opties(item, soort, pad, bestand, regels or _Regels(""))
    return Fase(
        key=key,
        titel=titel,
        minuten=minuten,
        soort=soort,
        instructie=instructie,
        gids=gids,
        ronde=ronde if soort == "beoordelen" else None,
        **opties,
    )


class _Regels:
    """Where each field of the front matter stands in the file, so a message can name its line.

    Built from the YAML node tree (no values are constructed); a path it cannot follow (a merge
    key, a value of the wrong kind) just gives no line.
    """

    def __init__(self, tekst: str, knoop: yaml.Node | None = None, voor: int = 0) -> None:
        self._knoop = knoop
        self._voor = voor
        if knoop is None and tekst:
            grens = _HANDLER.FM_BOUNDARY
            begin = grens.match(tekst) if grens is not None else None
            einde = grens.search(tekst, begin.end()) if grens is not None and begin is not None else None
            if begin is not None and einde is not None:
                try:
                    self._knoop = yaml.compose(tekst[begin.end() : einde.start()], Loader=yaml.SafeLoader)
                except yaml.YAMLError:
                    self._knoop = None
                self._voor = tekst.count("\n", 0, begin.end())

    def _paar(self, stap: str | int) -> tuple[yaml.Node | None, yaml.Node | None]:
        """The key and the value node of a field (or of a list item, which has no key)."""
        knoop = self._knoop
        if isinstance(knoop, yaml.MappingNode) and isinstance(stap, str):
            for sleutel, waarde in knoop.value:
                if isinstance(sleutel, yaml.ScalarNode) and sleutel.value == stap:
                    return sleutel, waarde
        if isinstance(knoop, yaml.SequenceNode) and isinstance(stap, int) and 0 <= stap < len(knoop.value):
            return None, knoop.value[stap]
        return None, None

    def onder(self, *pad: str | int) -> _Regels:
        """The lines of a part of this mapping or list."""
        regels = self
        for stap in pad:
            regels = _Regels("", regels._paar(stap)[1], self._voor)
        return regels

    def fase(self, index: int) -> _Regels:
        return self.onder("fasen", index)

    def bij(self, veld: str | None = None) -> str:
        """' (regel N)' for a field of this mapping (its key's line), or the mapping itself; '' when unknown."""
        knoop = self._knoop if veld is None else self._paar(veld)[0]
        return f" (regel {self._voor + knoop.start_mark.line + 1})" if knoop is not None else ""


def _fase_opties(item: dict[Any, Any], soort: str, pad: str, bestand: str, regels: _Regels) -> dict[str, Any]:
    """The fields that give a casus, reflectie, evaluatie, afsluiting or peiling fase its content.

    Each belongs to its soorten only (like ronde to beoordelen), so a field in the wrong fase is
    refused rather than silently ignored; every message names the line.
    """
    for veld, soorten in _OPTIE_SOORTEN.items():
        if veld in item and soort not in soorten:
            raise SessievormFout(
                bestand,
                f"{pad}.{veld}",
                f"hoort alleen bij soort {' of '.join(repr(s) for s in soorten)}, niet bij {soort!r}{regels.bij(veld)}",
            )
    opties: dict[str, Any] = {}
    for veld in ("vragen", "volgende_inbrenger"):
        if veld in item:
            waarde = item[veld]
            # YAML reads yes/no/true/false; a Dutch author writes ja/nee.
            if isinstance(waarde, str) and waarde.strip().casefold() in ("ja", "nee"):
                waarde = waarde.strip().casefold() == "ja"
            if not isinstance(waarde, bool):
                raise SessievormFout(
                    bestand, f"{pad}.{veld}", f"moet ja of nee zijn (nu: {_toon(waarde)}){regels.bij(veld)}"
                )
            opties[veld] = waarde
    if "vraag" in item:
        opties["vraag"] = _korte_tekst(item, "vraag", f"{pad}.vraag", bestand, regels, MAX_VRAAG)
    if soort == "peiling":
        opties["peiling"] = _peiling(item.get("peiling"), f"{pad}.peiling", bestand, regels)
    return opties


def _peiling(ruw: Any, pad: str, bestand: str, regels: _Regels) -> Peiling:
    """Validate the `peiling` of a fase: its question and whether it is a scale or one word."""
    binnen = regels.onder("peiling")
    if ruw is None:
        raise SessievormFout(
            bestand,
            pad,
            f"ontbreekt: een fase 'peiling' heeft een peiling met een vraag en een vorm "
            f"({' of '.join(PEILING_VORMEN)}){regels.bij()}",
        )
    if not isinstance(ruw, dict):
        raise SessievormFout(
            bestand,
            pad,
            f"moet velden hebben ({', '.join(_PEILING_VELDEN)}), niet {_soort_waarde(ruw)}{regels.bij('peiling')}",
        )
    onbekend = sorted(str(sleutel) for sleutel in ruw if sleutel not in _PEILING_VELDEN)
    if onbekend:
        werkwoord = "is geen bekend veld" if len(onbekend) == 1 else "zijn geen bekende velden"
        raise SessievormFout(
            bestand,
            ", ".join(f"{pad}.{naam}" for naam in onbekend),
            f"{werkwoord} (toegestaan: {', '.join(_PEILING_VELDEN)}){binnen.bij(onbekend[0])}",
        )
    vraag = _korte_tekst(ruw, "vraag", f"{pad}.vraag", bestand, binnen, MAX_VRAAG)
    vorm = ruw.get("vorm")
    if vorm not in PEILING_VORMEN:
        reden = "ontbreekt" if vorm is None else f"{_toon(vorm)} is onbekend"
        waar = binnen.bij("vorm") or regels.bij("peiling")
        raise SessievormFout(bestand, f"{pad}.vorm", f"{reden}; kies uit: {', '.join(PEILING_VORMEN)}{waar}")
    labels = {}
    for veld in ("laag", "hoog"):
        if veld in ruw:
            if vorm != "schaal":
                raise SessievormFout(
                    bestand, f"{pad}.{veld}", f"hoort alleen bij vorm 'schaal', niet bij {vorm!r}{binnen.bij(veld)}"
                )
            labels[veld] = _korte_tekst(ruw, veld, f"{pad}.{veld}", bestand, binnen, MAX_SCHAALLABEL)
    return Peiling(vraag=vraag, vorm=vorm, **labels)


def _korte_tekst(gegevens: dict[Any, Any], naam: str, pad: str, bestand: str, regels: _Regels, lengte: int) -> str:
    """A required text of at most `lengte` characters, refused with the line it stands on."""
    try:
        waarde = _tekst(gegevens, naam, pad, bestand)
    except SessievormFout as fout:
        raise SessievormFout(bestand, pad, f"{fout.reden}{regels.bij(naam) or regels.bij()}") from None
    if len(waarde) > lengte:
        raise SessievormFout(
            bestand, pad, f"is te lang: hoogstens {lengte} tekens (nu {len(waarde)}){regels.bij(naam)}"
        )
    return waarde


def _weiger_onbekende_velden(
    gegevens: dict[Any, Any],
    toegestaan: tuple[str, ...],
    voorvoegsel: str,
    bestand: str,
) -> None:
    """Refuse fields we do not know, so a typo like 'minuut' is not silently ignored."""
    onbekend = sorted(str(sleutel) for sleutel in gegevens if sleutel not in toegestaan)
    if not onbekend:
        return
    velden = ", ".join(f"{voorvoegsel}{naam}" for naam in onbekend)
    werkwoord = "is geen bekend veld" if len(onbekend) == 1 else "zijn geen bekende velden"
    raise SessievormFout(bestand, velden, f"{werkwoord} (toegestaan: {', '.join(toegestaan)})")


def _tekst(gegevens: dict[Any, Any], naam: str, pad: str, bestand: str) -> str:
    """A required, non-empty text field, stripped of surrounding whitespace."""
    if naam not in gegevens or gegevens[naam] is None:
        raise SessievormFout(bestand, pad, "ontbreekt")
    waarde = gegevens[naam]
    if not isinstance(waarde, str):
        raise SessievormFout(bestand, pad, f"moet tekst zijn, niet {_soort_waarde(waarde)}")
    waarde = waarde.strip()
    if not waarde:
        raise SessievormFout(bestand, pad, "is leeg")
    return waarde


def _soort_waarde(waarde: Any) -> str:
    """Name a YAML value's type the way an author of the file would call it."""
    if isinstance(waarde, bool):
        return "ja/nee"
    if isinstance(waarde, int):
        return "een getal"
    if isinstance(waarde, float):
        return "een kommagetal"
    if isinstance(waarde, (date, datetime)):
        return "een datum"
    if isinstance(waarde, list):
        return "een lijst"
    if isinstance(waarde, dict):
        return "een groep velden"
    if isinstance(waarde, str):
        return "tekst"
    return "een andere waarde"


def _toon(waarde: Any) -> str:
    """Show the offending value briefly, without flooding the message."""
    if waarde is None:
        return "leeg"
    tekst = repr(waarde)
    return tekst if len(tekst) <= 40 else tekst[:37] + "..."
