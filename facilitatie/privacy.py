"""Privacy guard: knelpunten are about rules, not about clients.

Every free text is scanned before it is stored. A burgerservicenummer is refused
outright (there is never a reason to type one here); other things that look like
client data (IBAN, phone number, address, birth date, e-mail address) give a warning
the user can override with "Toch indienen", because they can be innocent: the phone
number of a loket, the e-mail address of a team.

A BSN is any eight- or nine-digit number that passes the 11-proef (eight digits: the
leading zero dropped). About one in eleven random numbers of that size passes, so
zaaknummers, factuurnummers and amounts would be refused at that rate, and the person
could not post at all. Hence: a passing number is refused only when nothing marks it as
something else. When a context word close before it names another kind of number or an
amount (zaaknummer, dossier, factuur, klantnummer, ordernummer, rekening, kenmerk,
bedrag, budget, €, euro ...), when a currency follows it, or when it sits in a URL, it
is a warning (soort "bsn_mogelijk") with "Toch indienen" instead. "bsn",
"burgerservicenummer" or "sofi" near the number always refuse, whatever else is there.
The guard still errs on the side of refusing: a bare passing number is a BSN.

The detectors lean towards ordinary policy text staying clean ("artikel 2.3 Wmo
2015", "€ 1.250 per maand", "per 1 januari", "8 weken"): a guard that cries wolf
on every knelpunt gets overridden by habit and then protects nobody.

Each detector runs on a working copy in which earlier matches are masked, so one
piece of text is reported once, under the most serious kind (BSN before the rest).
Do not log the fragments: they are exactly the data this module exists to keep out.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date

__all__ = ["Bevinding", "Scan", "is_bsn", "is_iban", "scan"]

# Singular (also Bevinding.omschrijving) and plural, for the message to the user.
OMSCHRIJVING: dict[str, tuple[str, str]] = {
    "bsn": ("een burgerservicenummer (BSN)", "burgerservicenummers (BSN)"),
    "bsn_mogelijk": (
        "een nummer dat een burgerservicenummer (BSN) kan zijn",
        "nummers die een burgerservicenummer (BSN) kunnen zijn",
    ),
    "iban": ("een rekeningnummer (IBAN)", "rekeningnummers (IBAN)"),
    "telefoon": ("een telefoonnummer", "telefoonnummers"),
    "postcode_huisnummer": (
        "een adres (postcode met huisnummer)",
        "adressen (postcode met huisnummer)",
    ),
    "geboortedatum": ("een geboortedatum", "geboortedata"),
    "email": ("een e-mailadres", "e-mailadressen"),
}


@dataclass(frozen=True)
class Bevinding:
    """One piece of text that looks like client data."""

    soort: str  # "bsn", "bsn_mogelijk", "iban", "telefoon", "postcode_huisnummer", "geboortedatum", "email"
    omschrijving: str  # Dutch, for the user: "een telefoonnummer"
    fragment: str  # the matched text, so the UI can point at it


@dataclass(frozen=True)
class Scan:
    """Outcome of scan(): what must be removed and what merits a second look."""

    blokkeren: tuple[Bevinding, ...] = ()
    waarschuwingen: tuple[Bevinding, ...] = ()

    @property
    def ok(self) -> bool:
        """Nothing found: the text may be stored without asking."""
        return not self.blokkeren and not self.waarschuwingen

    def melding(self) -> str:
        """Dutch message naming what looks personal; empty when ok."""
        if self.blokkeren:
            meer = len(self.blokkeren) > 1
            tekst = (
                f"Dit lijkt {_opsomming(self.blokkeren)} te bevatten. Knelpunten gaan "
                "over regels, niet over cliënten: "
                f"haal {'de nummers' if meer else 'het nummer'} weg."
            )
            if self.waarschuwingen:
                tekst += f" De tekst lijkt ook {_opsomming(self.waarschuwingen)} te bevatten."
            return tekst
        if self.waarschuwingen:
            return (
                "Je tekst lijkt persoonsgegevens te bevatten: "
                f"{_opsomming(self.waarschuwingen)}. Pas de tekst aan, of kies "
                "'Toch indienen' als het niet om een cliënt gaat."
            )
        return ""


def _opsomming(bevindingen: tuple[Bevinding, ...]) -> str:
    """'een telefoonnummer en twee e-mailadressen', in order of first appearance."""
    aantallen: dict[str, int] = {}
    for bevinding in bevindingen:
        aantallen[bevinding.soort] = aantallen.get(bevinding.soort, 0) + 1
    delen = []
    for soort, aantal in aantallen.items():
        enkelvoud, meervoud = OMSCHRIJVING[soort]
        delen.append(enkelvoud if aantal == 1 else f"{_telwoord(aantal)} {meervoud}")
    if len(delen) == 1:
        return delen[0]
    return ", ".join(delen[:-1]) + " en " + delen[-1]


def _telwoord(aantal: int) -> str:
    woorden = {2: "twee", 3: "drie", 4: "vier", 5: "vijf"}
    return woorden.get(aantal, "meerdere")


# --- URLs ----------------------------------------------------------------------------

# Links to regelgeving carry dates and numbers (wetten.overheid.nl/BWBR0035362/2024-01-01),
# with or without a scheme.
_URL_RE = re.compile(
    r"(?:https?://|www\.)\S+|(?<![\w@.\-])(?:[a-z0-9\-]+\.)+[a-z]{2,}/\S*",
    re.IGNORECASE,
)


def _url_spans(tekst: str) -> list[tuple[int, int]]:
    return [url.span() for url in _URL_RE.finditer(tekst)]


def _in_url(positie: int, urls: list[tuple[int, int]]) -> bool:
    """True when a match starting at `positie` lies inside a link (its first character included)."""
    return any(start <= positie < eind for start, eind in urls)


# --- BSN -----------------------------------------------------------------------------


# 11-proef: 9*d1 + 8*d2 + ... + 2*d8 - 1*d9 must be divisible by 11.
_BSN_GEWICHTEN = (9, 8, 7, 6, 5, 4, 3, 2, -1)


def is_bsn(digits: str) -> bool:
    """True for a number passing the BSN 11-proef.

    Spaces, dots and dashes are ignored. Eight digits count as a BSN with its
    leading zero dropped (as older sofinummers are often written). All zeros is
    not a BSN, although it passes the sum.
    """
    cijfers = re.sub(r"[ .\-]", "", digits)
    if not re.fullmatch(r"[0-9]{8,9}", cijfers):
        return False
    cijfers = cijfers.zfill(9)
    if cijfers == "000000000":
        return False
    totaal = sum(g * int(c) for g, c in zip(_BSN_GEWICHTEN, cijfers, strict=True))
    return totaal % 11 == 0


# Nine digits together, or in the groupings people copy from documents:
# 123 456 782, 1234.56.782, 12 34 56 782; eight digits (leading zero dropped) together
# or as 12 345 678, 123.45.678, 4587.65.51.
_SEP = r"[ .\-]"
_BSN_RE = re.compile(
    r"(?<![0-9])(?:"
    r"[0-9]{8,9}"
    rf"|(?<![0-9]{_SEP})(?:"
    rf"[0-9]{{2,3}}{_SEP}[0-9]{{3}}{_SEP}[0-9]{{3}}"
    rf"|[0-9]{{3,4}}{_SEP}[0-9]{{2}}{_SEP}[0-9]{{3}}"
    rf"|[0-9]{{4}}{_SEP}[0-9]{{2}}{_SEP}[0-9]{{2}}"
    rf"|[0-9]{{2}}{_SEP}[0-9]{{2}}{_SEP}[0-9]{{2}}{_SEP}[0-9]{{3}}"
    rf")(?!{_SEP}[0-9])"
    r")(?![0-9])"
)
# "+31 612345678" is a phone number, and so is "06-12345678"; "€ 123.456.782" and
# "123.456.782 euro" are amounts.
_TELEFOON_ERVOOR = re.compile(r"(?:\+|00)31[ .\-]*(?:\(0\)[ .\-]*)?$")
_MOBIEL_ERVOOR = re.compile(r"(?:(?:\+|00)31[ .\-]*(?:\(0\)[ .\-]*)?|(?<![0-9])\(?0)6\)?[ .\-/]*$")
_BEDRAG = re.compile(r"[0-9]{2,3}\.[0-9]{3}\.[0-9]{3}")
_VALUTA_ERVOOR = re.compile(r"(?:€|\beur|\beuro)[ ]*$", re.IGNORECASE)
_VALUTA_ERNA = re.compile(r"^[ ]*(?:€|eur\b|euro\b)", re.IGNORECASE)
# 2024-01-15 has the shape of 4587.65.51 but is a date.
_ISO_DATUM = re.compile(r"((?:19|20)[0-9]{2})([.\-])([0-9]{2})\2([0-9]{2})")
# Near the number: "bsn" always refuses; these mark it as another number or an amount.
_BSN_WOORD = re.compile(r"\bbsn|burgerservice|\bsofi", re.IGNORECASE)
_ANDER_NUMMER = re.compile(
    r"\b(?:zaak|dossier|factuur|facturen|klant|order|bestel|debiteur|crediteur|contract|polis|aanvraag"
    r"|referentie|kenmerk|rekening|bankrekening|giro|relatie|registratie|bedrag|budget|kosten)"
    r"|\bref\b|€|\beur\b|\beuro\b",
    re.IGNORECASE,
)
_ANDER_ERNA = re.compile(r"^[ ]*(?:€|eur\b|euro\b|,-|,00\b)", re.IGNORECASE)


def _is_iso_datum(tekst: str) -> bool:
    """True for 2024-01-15 or 2024.01.15 naming a real day."""
    match = _ISO_DATUM.fullmatch(tekst)
    if match is None:
        return False
    try:
        date(int(match.group(1)), int(match.group(3)), int(match.group(4)))
    except ValueError:
        return False
    return True


def _bsns(tekst: str) -> Iterator[tuple[re.Match[str], bool]]:
    """Numbers passing the 11-proef, each with True when it must be refused outright."""
    urls = _url_spans(tekst)
    for match in _BSN_RE.finditer(tekst):
        voor = tekst[max(0, match.start() - 40) : match.start()]
        na = tekst[match.end() : match.end() + 25]
        cijfers = re.sub(r"[^0-9]", "", match.group())
        if _TELEFOON_ERVOOR.search(voor[-12:]):
            continue
        if len(cijfers) == 8 and _MOBIEL_ERVOOR.search(voor[-12:]):
            continue
        if _BEDRAG.fullmatch(match.group()) and (_VALUTA_ERVOOR.search(voor) or _VALUTA_ERNA.search(na)):
            continue
        if _is_iso_datum(match.group()):
            continue
        if not is_bsn(match.group()):
            continue
        if _BSN_WOORD.search(voor) or _BSN_WOORD.search(na):
            yield match, True
        else:
            anders = _ANDER_NUMMER.search(voor) or _ANDER_ERNA.search(na) or _in_url(match.start(), urls)
            yield match, not anders


# --- IBAN ----------------------------------------------------------------------------

# Length per country, from the ISO 13616 IBAN registry (SWIFT), release 101, as
# shipped in python-stdnum 2.2 (stdnum/iban.dat, "generated from iban-registry-v101.txt"):
# 4 plus the length of the bban structure. Checking it keeps random letter-digit codes
# (zaaknummers, kentekens) from passing mod-97 by chance.
IBAN_LENGTE: dict[str, int] = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22,
    "BH": 22, "BI": 27, "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24,
    "DE": 22, "DJ": 27, "DK": 18, "DO": 28, "EE": 20, "EG": 29, "ES": 24, "FI": 18,
    "FK": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27,
    "GT": 28, "HN": 28, "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26,
    "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32, "LI": 21, "LT": 20,
    "LU": 20, "LV": 21, "LY": 25, "MC": 27, "MD": 24, "ME": 22, "MK": 19, "MN": 20,
    "MR": 27, "MT": 31, "MU": 30, "NI": 28, "NL": 18, "NO": 15, "OM": 23, "PK": 24,
    "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "RU": 33, "SA": 24,
    "SC": 31, "SD": 18, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "SO": 23, "ST": 25,
    "SV": 28, "TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20,
    "YE": 30,
}  # fmt: skip


def is_iban(text: str) -> bool:
    """True for a valid IBAN: known country, right length, mod-97 check.

    Spaces, dots and dashes are allowed and case is ignored. Dutch IBANs must also have
    the Dutch shape: four letters of the bank, then ten digits.
    """
    iban = re.sub(r"[ .\-]", "", text).upper()
    if not re.fullmatch(r"[A-Z]{2}[0-9]{2}[A-Z0-9]+", iban):
        return False
    if IBAN_LENGTE.get(iban[:2]) != len(iban):
        return False
    if iban[:2] == "NL" and not re.fullmatch(r"NL[0-9]{2}[A-Z]{4}[0-9]{10}", iban):
        return False
    herschikt = iban[4:] + iban[:4]
    getal = "".join(str(int(c, 36)) for c in herschikt)
    return int(getal) % 97 == 1


_IBAN_START = re.compile(r"(?<![A-Za-z0-9])([A-Za-z]{2})[0-9]{2}")


# Between groups of an IBAN: one or two spaces, or a dot or dash with optional spaces
# (NL91-ABNA-..., "NL91  ABNA", "NL91 - ABNA").
_IBAN_SEP = re.compile(r"[ ]?[.\-][ ]?|[ ]{1,2}")


def _is_alnum(teken: str) -> bool:
    return teken.isascii() and teken.isalnum()


def _ibans(tekst: str) -> Iterator[tuple[int, int]]:
    """Spans of valid IBANs, written solid or in groups separated by spaces, dots or dashes."""
    for start in _IBAN_START.finditer(tekst):
        lengte = IBAN_LENGTE.get(start.group(1).upper())
        if lengte is None:
            continue
        nodig = lengte - 4
        positie = start.end()
        while nodig and positie < len(tekst):
            if _is_alnum(tekst[positie]):
                nodig -= 1
                positie += 1
                continue
            sep = _IBAN_SEP.match(tekst, positie)
            if sep is None or sep.end() >= len(tekst) or not _is_alnum(tekst[sep.end()]):
                break
            positie = sep.end()
        if nodig:
            continue
        if positie < len(tekst) and _is_alnum(tekst[positie]):
            continue
        if is_iban(tekst[start.start() : positie]):
            yield start.start(), positie


# --- e-mail --------------------------------------------------------------------------

_EMAIL_RE = re.compile(r"(?<![\w.+\-])[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)*\.[A-Za-z]{2,}(?![\w\-])")


# --- telefoon ------------------------------------------------------------------------

# Between digit groups: a space or two, or a dash, dot or slash with optional spaces.
_TEL_SEP = r"(?>[ ]?[\-./][ ]?|[ ]{1,2})?"
_TEL_RE = re.compile(
    r"(?<![\w+])"
    r"(?:"
    rf"(?P<intl>(?:\+|00)31){_TEL_SEP}(?:\(0\){_TEL_SEP})?"  # +31 6, 0031 (0)6
    r"|\(?0"  # 06, (010)
    r")"
    r"[1-9]"
    rf"(?:\)?{_TEL_SEP}[0-9]){{8}}"  # Dutch numbers: nine digits after the 0
    r"(?![0-9])"
)
# "01-02-1980 12" has ten digits, but it is a date followed by a number.
_DATUMACHTIG = re.compile(r"^\(?[0-9]{1,2}([\-/.])[0-9]{1,2}\1(?:19|20)[0-9]{2}")


def _telefoons(tekst: str) -> Iterator[re.Match[str]]:
    for match in _TEL_RE.finditer(tekst):
        if match.group("intl") is None and _DATUMACHTIG.match(match.group()):
            continue
        yield match


# --- postcode met huisnummer ---------------------------------------------------------

# Dutch postcode: 1000-9999 and two capitals; PostNL never issues SA, SD and SS.
# Capitals only, so "2015 is 3 jaar" or "1250 en 12" never look like an address.
_POSTCODE = r"[1-9][0-9]{3}[ ]?(?!SA|SD|SS)[A-Z]{2}(?![\w])"
_HUISNUMMER = r"[1-9][0-9]{0,4}(?:[ ]?[A-Za-z](?![\w])|[\-/][0-9A-Za-z]{1,4}(?![\w]))?(?![0-9])"
# "huisnummer 3", "nr. 3", "huisnr: 3" between the postcode and the number.
_HUISNUMMER_WOORD = r"(?:(?i:huisnummer|huisnr|nummer|nr)\.?[ ]*:?[ ]*)?"
_ADRES_RE = re.compile(
    # 3511 AB 12, 3511AB 12a, 3511 AB, 12-2, 6211 LH nr. 3, 3511 AB, huisnummer 12
    rf"(?<![\w])(?P<postcode>{_POSTCODE})[ ]*,?[ ]*{_HUISNUMMER_WOORD}{_HUISNUMMER}"
    # Kerkstraat 12, 3511 AB / Kerkstraat 12a 3511AB / Kerkstraat 12 te 3511 AB (street
    # name in the fragment)
    rf"|(?<![\w.,])(?:[A-Z][^\W\d_]*\.?[ ]+)?{_HUISNUMMER},?[ ]+(?:te[ ]+)?{_POSTCODE}"
)
# "per 2024 WW 3 maanden", "zaak 2023 ZK 12": a year after a word is no postcode, unless
# the word says it is one.
_JAARTAL = re.compile(r"(?:19|20)[0-9]{2}")
_WOORD_ERVOOR = re.compile(r"([^\W\d_]+)[ ]*:?[ ]*$")
_ADRESWOORD = re.compile(r"postcode|pc|adres|woonadres", re.IGNORECASE)


def _adressen(tekst: str) -> Iterator[re.Match[str]]:
    for match in _ADRES_RE.finditer(tekst):
        postcode = match.group("postcode")
        if postcode is not None and _JAARTAL.match(postcode):
            woord = _WOORD_ERVOOR.search(tekst[max(0, match.start() - 40) : match.start()])
            if woord is not None and not _ADRESWOORD.fullmatch(woord.group(1)):
                continue
        yield match


# --- geboortedatum -------------------------------------------------------------------

_MAANDEN = {
    "januari": 1, "jan": 1, "februari": 2, "feb": 2, "maart": 3, "mrt": 3, "mar": 3,
    "april": 4, "apr": 4, "mei": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7,
    "augustus": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9, "oktober": 10,
    "okt": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
_MAAND_NAMEN = "|".join(sorted(_MAANDEN, key=len, reverse=True))
_DATUM_RE = re.compile(
    # 12-03-1985, 1/2/80, 12.03.1985 (dots only with a four-digit year: 1.2.10 is
    # an article number)
    r"(?<![0-9])(?<![0-9][\-/.])"
    r"(?P<d>[0-9]{1,2})(?P<sep>[\-/])(?P<m>[0-9]{1,2})(?P=sep)(?P<y>[0-9]{4}|[0-9]{2})"
    r"(?![0-9])(?![\-/.][0-9])"
    r"|(?<![0-9])(?<![0-9][\-/.])"
    r"(?P<d2>[0-9]{1,2})\.(?P<m2>[0-9]{1,2})\.(?P<y2>[0-9]{4})(?![0-9])(?!\.[0-9])"
    # 1985-03-12
    r"|(?<![0-9])(?P<y3>(?:19|20)[0-9]{2})-(?P<m3>[0-9]{1,2})-(?P<d3>[0-9]{1,2})(?![0-9])"
    # 12 maart 1985, 1 jan. '80, 3e mei 2001
    r"|(?<![0-9])(?P<d4>[0-9]{1,2})(?:e|ste|de)?[ ]+"
    rf"(?P<maand>{_MAAND_NAMEN})\.?[ ]+(?:'(?P<y4k>[0-9]{{2}})|(?P<y4>[0-9]{{4}}))(?![0-9])",
    re.IGNORECASE,
)
# A birth date is flagged whatever precedes it.
_GEBOORTE = re.compile(r"\bgeb\b|geboren|geboorte|\bdob\b", re.IGNORECASE)
# Dates that policy text is full of: "per 1 januari 2015", "sinds 1-1-2015".
_BELEIDSDATUM = re.compile(
    r"(?:\bper|\bsinds|\bvanaf|\bm\.?i\.?v\.?|\bmet ingang van|\btot en met|\bt/m"
    r"|\btot|\buiterlijk|\bvoor|\bvóór|\bna|\bop|\bvan|\btussen|\bdatum)[ ]*:?[ ]*$",
    re.IGNORECASE,
)


def _als_datum(match: re.Match[str]) -> date | None:
    """The calendar date a match stands for, or None if it is not a real date."""
    groepen = match.groupdict()
    if groepen["d"] is not None:
        dag, maand, jaar = groepen["d"], groepen["m"], groepen["y"]
    elif groepen["d2"] is not None:
        dag, maand, jaar = groepen["d2"], groepen["m2"], groepen["y2"]
    elif groepen["d3"] is not None:
        dag, maand, jaar = groepen["d3"], groepen["m3"], groepen["y3"]
    else:
        dag = groepen["d4"]
        maand = str(_MAANDEN[groepen["maand"].lower()])
        jaar = groepen["y4"] or groepen["y4k"]
    vandaag = date.today()
    j = int(jaar)
    if len(jaar) == 2:
        j += 2000 if 2000 + j <= vandaag.year else 1900
    try:
        return date(j, int(maand), int(dag))
    except ValueError:
        return None


def _geboortedata(tekst: str) -> Iterator[re.Match[str]]:
    vandaag = date.today()
    urls = _url_spans(tekst)
    for match in _DATUM_RE.finditer(tekst):
        if _in_url(match.start(), urls):
            continue
        datum = _als_datum(match)
        if datum is None or datum > vandaag or datum.year < 1900:
            continue  # not a date, or one nobody was born on yet
        voor = tekst[max(0, match.start() - 30) : match.start()]
        na = tekst[match.end() : match.end() + 20]
        if _GEBOORTE.search(voor) or _GEBOORTE.search(na):
            yield match
        elif not _BELEIDSDATUM.search(voor):
            yield match


# --- scan ----------------------------------------------------------------------------

_STREEPJES = str.maketrans({c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2212\ufe63\uff0d"})
_REGELEINDE = re.compile(r"\r\n|[\r\u2028\u2029\x0b\x0c\x85]")
# A line break inside a number (between digits, or after the dot or dash of a group).
_BREUK_IN_NUMMER = re.compile(r"(?<=[0-9.\-])[ ]*\n[ \n]*(?=[0-9])")
# Two years on consecutive lines ("2024", "2025") are a list, not one number broken in two.
_JAREN = re.compile(r"(?<![0-9])((?:19|20)[0-9]{2}[ ]*\n)(?=[ \n]*(?:19|20)[0-9]{2}(?![0-9]))")


def _zichtbaar(tekst: str) -> str:
    """Drop what cannot be seen but splits a number: format characters (zero-width space and
    joiners, soft hyphen, BOM, direction marks) and combining marks on a digit; other scripts'
    digits (Arabic-Indic, Devanagari, ...) become ASCII digits."""
    delen: list[str] = []
    vorige = ""
    for teken in tekst:
        soort = unicodedata.category(teken)
        if soort == "Cf" or (soort in ("Mn", "Me") and vorige.isdecimal()):
            continue
        if soort == "Nd" and not teken.isascii():
            teken = str(unicodedata.decimal(teken))
        delen.append(teken)
        vorige = teken
    return "".join(delen)


def _normaliseer(tekst: str) -> str:
    """The text as scanned (never as stored): NFKC folds look-alikes (full-width digits,
    no-break spaces), invisible characters go, en dashes become '-', every line break is a
    plain newline and every other space a plain space."""
    tekst = unicodedata.normalize("NFKC", tekst)
    if not tekst.isascii():
        tekst = _zichtbaar(tekst).translate(_STREEPJES)
    tekst = _REGELEINDE.sub("\n", tekst)
    return re.sub(r"[^\S\n]", " ", tekst)


def _spans(matches: Iterator[re.Match[str]]) -> Iterator[tuple[int, int]]:
    for match in matches:
        yield match.start(), match.end()


_Detector = Callable[[str], Iterator[tuple[int, int]]]

# Order matters: earlier detectors win overlapping text.
_DETECTOREN: tuple[tuple[str, _Detector], ...] = (
    ("bsn", lambda t: _spans(m for m, zeker in _bsns(t) if zeker)),
    ("bsn_mogelijk", lambda t: _spans(m for m, zeker in _bsns(t) if not zeker)),
    ("iban", _ibans),
    ("email", lambda t: _spans(_EMAIL_RE.finditer(t))),
    ("telefoon", lambda t: _spans(_telefoons(t))),
    ("postcode_huisnummer", lambda t: _spans(_adressen(t))),
    ("geboortedatum", lambda t: _spans(_geboortedata(t))),
)


def _maskeer(tekst: str, spans: list[tuple[int, int]]) -> str:
    """Blank out found spans (same length, so positions keep matching the original)."""
    if not spans:
        return tekst
    delen = []
    vorige = 0
    for start, eind in sorted(spans):
        start = max(start, vorige)
        delen.append(tekst[vorige:start])
        delen.append("#" * max(0, eind - start))
        vorige = max(vorige, eind)
    delen.append(tekst[vorige:])
    return "".join(delen)


def scan(text: str) -> Scan:
    """Look for client data in free text before it is stored.

    The scan runs on a normalised copy (`_normaliseer`), so a BSN split by a zero-width
    character, typed in full-width digits or with a no-break space is found; a number broken
    over two lines is looked at again with the break read as a space and as nothing.
    """
    tekst = _normaliseer(text or "")
    uitslag = _scan(tekst)
    if _BREUK_IN_NUMMER.search(tekst):
        tekst = _JAREN.sub(r"\1;", tekst)  # the ';' keeps the years apart in the variants below
        for scheiding in (" ", ""):
            uitslag = _met_bsns(uitslag, _scan(_BREUK_IN_NUMMER.sub(scheiding, tekst)))
    return uitslag


def _cijfers(bevinding: Bevinding) -> str:
    return re.sub(r"[^0-9]", "", bevinding.fragment)


def _met_bsns(basis: Scan, extra: Scan) -> Scan:
    """`basis` with the (possible) BSNs only `extra` found; a refusal replaces a warning."""
    blok = {_cijfers(b) for b in basis.blokkeren}
    blokkeren = basis.blokkeren + tuple(b for b in extra.blokkeren if _cijfers(b) not in blok)
    blok |= {_cijfers(b) for b in blokkeren}
    waarschuwingen = [b for b in basis.waarschuwingen if b.soort != "bsn_mogelijk" or _cijfers(b) not in blok]
    mogelijk = blok | {_cijfers(b) for b in waarschuwingen if b.soort == "bsn_mogelijk"}
    waarschuwingen += [b for b in extra.waarschuwingen if b.soort == "bsn_mogelijk" and _cijfers(b) not in mogelijk]
    return Scan(blokkeren=blokkeren, waarschuwingen=tuple(waarschuwingen))


def _scan(origineel: str) -> Scan:
    werk = origineel
    gevonden: list[tuple[int, Bevinding]] = []
    for soort, detector in _DETECTOREN:
        spans = list(detector(werk))
        for start, eind in spans:
            fragment = origineel[start:eind].strip()
            gevonden.append((start, Bevinding(soort, OMSCHRIJVING[soort][0], fragment)))
        werk = _maskeer(werk, spans)
    gevonden.sort(key=lambda item: item[0])
    bevindingen = [bevinding for _, bevinding in gevonden]
    return Scan(
        blokkeren=tuple(b for b in bevindingen if b.soort == "bsn"),
        waarschuwingen=tuple(b for b in bevindingen if b.soort != "bsn"),
    )
