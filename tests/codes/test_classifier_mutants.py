"""The classifier's edges (issue #14, mutation testing): the length limit, bytes from a
careless caller, a malformed address, white space in the bracketed form, and exactly when
an AZERTY mismatch is believed.

- Up to 8,000 characters is a scan (the largest barcodes hold about that); one more is
  refused as too long, with the count.
- Bytes are read as UTF-8, an invalid byte shown as the replacement character, never an
  exception.
- An ``https://`` address that is not even a valid URL is text, not a Digital Link.
- White space in the bracketed GS1 form is ignored, also inside ``( )``.
- AZERTY digits are believed (``codes/layout.py``) when at least 80% of the string are
  shifted digits and the rest are ASCII letters other than M (Q/A and W/Z come back
  swapped), and either an accented telltale is there or the whole string is 8 or more
  plain shifted digits.
"""

from __future__ import annotations

import pytest

from scanner_app.codes import CodeKind
from scanner_app.codes.classifier import MAX_LENGTH, understand
from scanner_app.codes.layout import azerty_digits

GTIN = "09506000134352"


def test_the_length_limit_is_inclusive_and_the_refusal_counts() -> None:
    assert understand("A" * MAX_LENGTH).kind is CodeKind.TEXT
    too_long = understand("A" * (MAX_LENGTH + 1))
    assert too_long.kind is CodeKind.INVALID
    assert too_long.reason == ("This is too long to be a barcode (8,001 characters); the scanner may be "
                               "misconfigured.")


def test_bytes_are_read_as_utf8_with_bad_bytes_replaced() -> None:
    c = understand(b"A\xc3\xa9\xff")  # type: ignore[arg-type]  # a caller breaking the type
    assert (c.raw, c.kind, c.text) == ("A\u00e9\ufffd", CodeKind.TEXT, "A\u00e9\ufffd")


def test_a_malformed_address_is_text_not_a_digital_link() -> None:
    c = understand(f"https://[zz/01/{GTIN}")
    assert (c.kind, c.reason) == (CodeKind.TEXT, None)


def test_white_space_in_the_bracketed_form_is_ignored() -> None:
    c = understand(f"(01) {GTIN} (1 0) ABC")
    assert (c.kind, c.gs1) == (CodeKind.GS1, {"01": GTIN, "10": "ABC"})


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("&\u00e9\"'(-\u00e8_\u00e7\u00e0X", "1234567890X"),  # an alphanumeric code: X is a letter
        ("&\u00e9\"'(-\u00e8_AB", "12345678QB"),  # exactly 80% shifted digits; A comes back as Q
        ("&\"'(-_&\"", "13456813"),  # eight plain shifted digits, no accent: believed
        ("&\"'(-_&", None),  # seven: not enough without an accent
        ("&\u00e9\"'(-\u00e8_\u00e7\u00e0M", None),  # an M: AZERTY's own M key, not a US-layout wedge
        ("&\u00e9\"'(-\u00e8_\u00e7\u00e0\u00fc", None),  # a non-ASCII letter
        ("&\u00e9\"'(-\u00e8_\u00e7\u00e0#", None),  # a symbol that is no shifted digit
        ("&\u00e9\"'(-\u00e8ABC", None),  # under 80%
    ],
)
def test_when_azerty_digits_are_believed(typed: str, meant: str | None) -> None:
    assert azerty_digits(typed) == meant
