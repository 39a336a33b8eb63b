"""Signals that come back: find earlier knelpunten that resemble a new one.

When a knelpunt is posted, the begeleider sees similar knelpunten from earlier
sessies of the same gemeente, so a recurring bottleneck is recognised instead of
re-discovered. This runs locally in pure Python (no outside service, no model
download): knelpunt texts are personal-ish and short, and a TF-IDF cosine over
a gemeente's own history is good enough and fully explainable.

The score is the mean of two cosines:

* over word stems, so shared vocabulary ("formulieren", "schuldhulp") counts;
* over character 4-grams of those stems, so compounds and their split forms
  ("jeugdhulp" / "jeugd hulp", "schuldhulpverlening" / "schuldhulp") still meet.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

K = TypeVar("K")

_STOPWOORDEN_TEKST = """
aan al alle alles als alsof altijd andere ben bij daar daarom dan dat de deze
die dit doch doen door dus echter een eens en er erg geen geweest haar had heb
hebben heeft heel hem het hier hij hoe hun iemand iets ik in is ja je jij kan
kon kunnen maar me meer men met mij mijn moet moeten na naar nee niet niets nog
nu of om omdat onder ons ook op over reeds soms steeds te tegen toch toen tot u
uit uw van veel via voor vaak want waren was wat we weer wel werd wezen wie wij
wil willen worden wordt zal ze zeer zelf zich zij zijn zo zoals zonder zou
zullen
"""

STOPWOORDEN: frozenset[str] = frozenset(_STOPWOORDEN_TEKST.split())
"""Small Dutch stopword list: function words that say nothing about the topic."""

_NGRAM = 4
_WOORD = re.compile(r"[a-z0-9]+")
_KLINKERS = frozenset("aeiouy")
_DUBBELE_KLINKERS = ("aa", "ee", "oo", "uu")


@dataclass(frozen=True)
class Kandidaat(Generic[K]):
    """One earlier text that resembles the new one; score in (0, 1], higher is closer."""

    sleutel: K
    score: float


def normaliseer(tekst: str) -> str:
    """Lowercase and strip accents, so "ideeën" and "ideeen" are the same word."""
    ontleed = unicodedata.normalize("NFKD", tekst.lower())
    return "".join(teken for teken in ontleed if not unicodedata.combining(teken))


def stam(woord: str) -> str:
    """Light Dutch stemmer; deliberately crude, consistent rather than correct.

    Steps, each only when at least three letters remain:

    1. "-heden" → "-heid" (mogelijkheden → mogelijkheid);
    2. plural/inflection: strip "-en" (wachttijden → wachttijd), or strip "-s"
       after "ie", "je", "el", "er" (indicaties, regels, ouders; but not
       proces, mens or kans, whose s belongs to the word);
    3. strip a final "-e" (lange → lang, indicatie → indicati);
    4. derivation: strip "-heid" (veiligheid → veilig) or "-ing"
       (regeling → regel, woning → won, like wonen);
    5. undouble a final double consonant (gezinnen → gezinn → gezin);
    6. undouble the vowel in a closed last syllable (week → wek, like weken).

    "-lijk" is left alone: it changes meaning (moeilijk) more often than it helps.
    """
    if woord.endswith("heden"):
        woord = woord[:-5] + "heid"

    if woord.endswith("en") and len(woord) - 2 >= 3:
        woord = woord[:-2]
    elif woord.endswith(("ies", "jes", "els", "ers")) and len(woord) - 1 >= 4:
        woord = woord[:-1]

    if woord.endswith("e") and len(woord) - 1 >= 3:
        woord = woord[:-1]

    if woord.endswith("heid") and len(woord) - 4 >= 3:
        woord = woord[:-4]
    elif woord.endswith("ing") and len(woord) - 3 >= 3:
        woord = woord[:-3]

    if len(woord) >= 4 and woord[-1] == woord[-2] and woord[-1] not in _KLINKERS and woord[-1].isalpha():
        woord = woord[:-1]

    if len(woord) >= 4 and woord[-3:-1] in _DUBBELE_KLINKERS and woord[-1] not in _KLINKERS and woord[-1].isalpha():
        woord = woord[:-2] + woord[-1]

    return woord


def woorden(tekst: str) -> list[str]:
    """The stems that carry meaning: no stopwords, no bare numbers, no single letters.

    Numbers are dropped because "12 weken" and "12 dossiers" share nothing; a
    hyphen or apostrophe splits a word ("Wmo-indicatie" → wmo, indicati).
    """
    return [
        stam(woord)
        for woord in _WOORD.findall(normaliseer(tekst))
        if len(woord) > 1 and not woord.isdigit() and woord not in STOPWOORDEN
    ]


def _ngrammen(stammen: list[str]) -> list[str]:
    """Character 4-grams per stem, padded with '_' so word starts and ends count."""
    grammen: list[str] = []
    for woord in stammen:
        opgevuld = f"_{woord}_"
        grammen.extend(opgevuld[i : i + _NGRAM] for i in range(max(1, len(opgevuld) - _NGRAM + 1)))
    return grammen


def _idf(documenten: list[Counter[str]]) -> dict[str, float]:
    """Smoothed inverse document frequency; never zero, so a lone shared term still counts."""
    df: Counter[str] = Counter()
    for document in documenten:
        df.update(document.keys())
    n = len(documenten)
    return {term: math.log((1 + n) / (1 + aantal)) + 1 for term, aantal in df.items()}


def _vector(document: Counter[str], idf: Mapping[str, float]) -> dict[str, float]:
    """TF-IDF weights, L2-normalised so a dot product is the cosine."""
    gewichten = {term: aantal * idf[term] for term, aantal in document.items()}
    lengte = math.sqrt(sum(g * g for g in gewichten.values()))
    if lengte == 0:
        return {}
    return {term: g / lengte for term, g in gewichten.items()}


def _cosinussen(vraag: Counter[str], corpus: list[Counter[str]]) -> list[float]:
    """Cosine of the vraag against every corpus document, IDF taken over all of them."""
    idf = _idf([vraag, *corpus])
    v = _vector(vraag, idf)
    uitkomsten = []
    for document in corpus:
        d = _vector(document, idf)
        kleinste, grootste = (v, d) if len(v) <= len(d) else (d, v)
        uitkomsten.append(sum(g * grootste[t] for t, g in kleinste.items() if t in grootste))
    return uitkomsten


def vergelijkbare(
    tekst: str,
    corpus: Mapping[K, str],
    *,
    drempel: float = 0.25,
    max_aantal: int = 5,
) -> list[Kandidaat[K]]:
    """Up to max_aantal corpus entries resembling tekst with score ≥ drempel, best first.

    Texts without meaningful words (empty, only stopwords or numbers) never
    match and never count towards IDF. A score of 0 is never a match, even
    with drempel 0. Equal scores keep the corpus' key order, so the list is
    the same on every request. The caller leaves the knelpunt itself out of
    the corpus.
    """
    if max_aantal < 1:
        return []
    vraag_woorden = woorden(tekst)
    if not vraag_woorden:
        return []

    sleutels: list[K] = []
    corpus_woorden: list[Counter[str]] = []
    corpus_grammen: list[Counter[str]] = []
    for sleutel, inhoud in corpus.items():
        stammen = woorden(inhoud or "")
        if stammen:
            sleutels.append(sleutel)
            corpus_woorden.append(Counter(stammen))
            corpus_grammen.append(Counter(_ngrammen(stammen)))
    if not sleutels:
        return []

    woord_scores = _cosinussen(Counter(vraag_woorden), corpus_woorden)
    gram_scores = _cosinussen(Counter(_ngrammen(vraag_woorden)), corpus_grammen)

    gevonden: list[tuple[float, int]] = []
    for positie, (woord_score, gram_score) in enumerate(zip(woord_scores, gram_scores, strict=True)):
        # Rounding absorbs float noise, so equal texts tie exactly and the
        # corpus order decides; it also clamps 1.0000000002 back to 1.0.
        score = min(1.0, round((woord_score + gram_score) / 2, 9))
        if score > 0 and score >= drempel:
            gevonden.append((score, positie))

    gevonden.sort(key=lambda paar: (-paar[0], paar[1]))
    return [Kandidaat(sleutel=sleutels[positie], score=score) for score, positie in gevonden[:max_aantal]]
