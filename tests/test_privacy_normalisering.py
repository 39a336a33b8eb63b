"""The privacy guard scans a normalised copy of what was typed (issue 11, item 7).

Invisible characters, other scripts' digits, odd spaces and line breaks must not hide a BSN;
the stored text stays what the person typed (see the field tests in test_privacy_velden.py).
"""

from __future__ import annotations

import pytest

from facilitatie.privacy import scan

BSN = "111222333"  # passes the 11-proef


@pytest.mark.parametrize(
    "tekst",
    [
        "cliënt 111\u200b222\u200b333",  # zero-width space
        "cliënt 1112\u200c22333",  # zero-width non-joiner
        "cliënt 111222\u2060333",  # word joiner
        "cliënt 111\u00ad222333",  # soft hyphen
        "cliënt \ufeff111222333",  # byte order mark
        "cliënt 111\u200e222\u200f333",  # direction marks
        "cliënt 1\u03011\u03011222333",  # combining accents on digits
        "cliënt １１１２２２３３３",  # full-width digits
        "cliënt ١١١٢٢٢٣٣٣",  # Arabic-Indic digits
        "cliënt 111\u00a0222\u00a0333",  # no-break spaces
        "cliënt 111\u2009222\u2009333",  # thin spaces
        "cliënt 111222\n333",  # a line break inside the number
        "cliënt 111222\r\n333",
        "cliënt 111 222\n333",  # a line break between groups
        "cliënt 111 222\r333",
        "cliënt 111.222.\n333",
        "cliënt 111\u2028222\u2029333",  # Unicode line and paragraph separators
        "cliënt 111\n\u200b222 \n 333",
    ],
)
def test_a_hidden_bsn_is_refused(tekst: str) -> None:
    uitslag = scan(tekst)
    assert [b.soort for b in uitslag.blokkeren] == ["bsn"], tekst
    assert "".join(c for c in uitslag.blokkeren[0].fragment if c.isdigit()) == BSN


def test_a_bsn_word_on_the_line_before_still_refuses() -> None:
    assert scan("bsn:\n111222\n333").blokkeren


def test_a_number_broken_over_lines_after_a_context_word_is_a_warning() -> None:
    uitslag = scan("zaaknummer 111222\n333")
    assert not uitslag.blokkeren
    assert [b.soort for b in uitslag.waarschuwingen] == ["bsn_mogelijk"]


def test_one_bsn_is_reported_once() -> None:
    uitslag = scan("cliënt 111222333 en 111222\n333")
    assert len(uitslag.blokkeren) == 1


@pytest.mark.parametrize(
    "tekst",
    [
        "Artikel 2.3 Wmo 2015\n12 weken wachten",
        "Regel een\r\nregel twee",
        "Wachttijd\u200bjeugdhulp",
        "Per 1 januari\n2026 geldt de nieuwe regel",
        "Budget\n€ 1.250 per maand",
        "１２ weken",
        "Begroting per jaar:\n2024\n2025\n2026",  # 2024 and 2025 joined would pass the 11-proef
    ],
)
def test_ordinary_text_stays_clean(tekst: str) -> None:
    assert scan(tekst).ok, tekst
