"""Catalogue product numbers to GTIN-14, and what counts as "nothing" in a scan (issue #14,
mutation testing).

A catalogue's ``upc``/``ean``/``isbn`` field is found by its GTIN-14: an EAN-8 is zero-filled
like any GTIN, an ISBN-10 (hyphenated, spaced, ending in ``X`` or ``x``) becomes its
ISBN-13 (978 + the first nine digits + a GS1 check digit), and a ten-digit value that is
not a valid ISBN-10 is not a product number at all. A scan of only padding (Enter, Tab,
spaces, GS, EOT, NUL, a BOM) has no content. A GS1 check digit is checked on ASCII digits
only (at least two); a UPC-E is eight digits in number system 0 or 1; an ISBN-10 is nine
digits and a check character (a digit, or X for ten).
"""

from __future__ import annotations

import pytest

from scanner_app.codes.display import has_content
from scanner_app.codes.gtin import (
    expand_upc_e,
    gtin14_for_catalogue,
    has_valid_check_digit,
    isbn10_is_valid,
    to_gtin14,
)
from tests.codes.helpers import with_check


@pytest.mark.parametrize(
    ("value", "gtin14"),
    [
        ("96385074", "00000096385074"),  # EAN-8
        (" 9638-5074 ", "00000096385074"),
        ("0-8044-2957-X", "09780804429573"),
        ("080442957x", "09780804429573"),
        ("0 306 40615 2", "09780306406157"),
        ("0306406153", None),  # ten digits, not a valid ISBN-10
        (with_check("12345678"), None),  # nine digits: no GTIN has nine
        (None, None),
    ],
)
def test_a_catalogue_value_as_gtin14(value: str | None, gtin14: str | None) -> None:
    assert gtin14_for_catalogue(value) == gtin14


def test_every_gtin_length_and_no_other() -> None:
    for body_length in range(6, 15):
        code = with_check("4" * body_length)
        expected = code.zfill(14) if len(code) in (8, 12, 13, 14) else None
        assert to_gtin14(code) == expected, code


@pytest.mark.parametrize(("text", "content"), [("", False), ("\r\n\t \x1d\x04\x00\ufeff", False),
                                               (" a ", True), ("\x1d0\x1d", True)])
def test_padding_alone_is_no_content(text: str, content: bool) -> None:
    assert has_content(text) is content


@pytest.mark.parametrize(
    ("code", "valid"),
    [("17", True), ("00", True), ("0", False), ("", False), ("12a4", False),
     ("\u0660\u0660", False),  # Arabic-Indic digits: digits, but not what a barcode holds
     ("40063813339" + "31", True), ("4006381333932", False)],
)
def test_a_gs1_check_digit_is_checked_on_ascii_digits_only(code: str, valid: bool) -> None:
    assert has_valid_check_digit(code) is valid


@pytest.mark.parametrize("code", ["0123456", "012345655", "2123456", "0123a56"])
def test_only_eight_digits_in_number_system_0_or_1_are_a_upc_e(code: str) -> None:
    assert expand_upc_e(code) is None


@pytest.mark.parametrize(
    ("code", "valid"),
    [("0306406152", True), ("080442957X", True), ("080442957x", True),
     ("03064061520", False), ("030640615", False), ("12345678X0", False), ("030640615Y", False),
     ("0306406153", False)],
)
def test_isbn10_check(code: str, valid: bool) -> None:
    assert isbn10_is_valid(code) is valid
