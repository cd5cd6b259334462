"""Keyboard-layout mismatch: AZERTY-shifted digits."""

from __future__ import annotations

import pytest

from scanner_app.codes import CodeKind
from scanner_app.codes.classifier import understand
from scanner_app.codes.layout import azerty_digits

FRENCH = dict(zip("1234567890", "&é\"'(-è_çà", strict=False))
BELGIAN = dict(zip("1234567890", "&é\"'(§è!çà", strict=False))


def shift(digits: str, layout: dict[str, str]) -> str:
    return "".join(layout[d] for d in digits)


def test_belgian_example_from_the_brief() -> None:
    c = understand("&é\"'(§è!çà&é\"")
    assert c.kind is CodeKind.INVALID
    assert c.corrected == "1234567890123"
    assert c.reason is not None
    assert "keyboard layout does not match" in c.reason
    assert "AZERTY" in c.reason


def test_french_shifted_ean13_says_what_was_meant_and_that_it_is_valid() -> None:
    c = understand(shift("4006381333931", FRENCH) + "\r\n")
    assert c.kind is CodeKind.INVALID
    assert c.corrected == "4006381333931"
    assert c.gtin14 is None  # an invalid scan must not match an item
    assert any("valid EAN-13" in note for note in c.notes)


def test_shifted_digits_with_a_few_letters_swap_the_letters_back() -> None:
    # QWERTY "AB1234567890" typed into AZERTY arrives as "QB&é\"'(§è!çà"
    assert azerty_digits("QB&é\"'(§è!çà") == "AB1234567890"
    assert azerty_digits("?zw&é\"'(§è!çà&é\"'") == "Mwz12345678901234"


def test_mostly_letters_is_not_flagged() -> None:
    assert azerty_digits("QB&é\"'") is None  # 4 of 6: not "nearly entirely"


@pytest.mark.parametrize(
    "text",
    [
        "AB&CD",  # a SKU with an ampersand
        "R&D-2024",  # real words and digits
        "é\"'",  # too short
        "café crème",  # French text: spaces and letters, too few shifted digits
        "&&&&",  # no accented letter and too short to be sure
        "(4)",  # not all shifted
        "Müller&Söhne",  # non-ASCII letters
        "&é\"'m",  # an AZERTY "m" cannot come from a US-layout wedge
    ],
)
def test_real_text_is_not_flagged(text: str) -> None:
    assert azerty_digits(text) is None
    assert understand(text).corrected is None


def test_long_run_without_accents_is_flagged() -> None:
    # 13-digit code using only digits 1,3,4,5,6,8 arrives as &"'(-_ only
    assert azerty_digits(shift("1345681345681", FRENCH)) == "1345681345681"


def test_shifted_digits_starting_with_a_bracket_are_not_read_as_gs1() -> None:
    # "5" is "(" on AZERTY: "(é..." must not reach the bracketed GS1 reader.
    c = understand(shift("5201234567890", BELGIAN))
    assert c.corrected == "5201234567890"
