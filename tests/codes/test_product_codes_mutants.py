"""Product numbers with an add-on, ISBN-10 check digits in the reason, and the classifier's
safety net (issue #14, mutation testing).

- ``]E3`` is EAN/UPC followed by a 2- or 5-digit add-on (ISO/IEC 15424): the main number
  is read as usual (an 8-digit one as UPC-E first, as ``]E0`` would be) and the add-on
  kept as a note; the add-on is never part of the number that is looked up.
- A wrong ISBN-10 check digit is refused with the digit the ISBN needs, which may be ``X``
  (ten) or ``0``.
- ``classify`` never raises: a bug while understanding a scan gives an ``INVALID``
  answer that is safe to show, and the failure is logged with a short, display-safe
  preview of what was scanned (support staff read it).
"""

from __future__ import annotations

import logging

import pytest

from scanner_app.codes import CodeKind, classifier
from scanner_app.codes.classification import Classification
from scanner_app.codes.classifier import classify, understand

EAN13 = "4006381333931"
UPC_E = "01234565"  # UPC-A 012345000065
BOTH = "00000055"  # a valid EAN-8 and a valid UPC-E


@pytest.mark.parametrize(
    ("raw", "gtin14", "fmt", "add_on"),
    [
        (f"]E3{EAN13}12", "0" + EAN13, "EAN-13", "12"),
        (f"]E3{EAN13}12345", "0" + EAN13, "EAN-13", "12345"),
        (f"]E3{UPC_E}12", "00012345000065", "UPC-E", "12"),
        (f"]E3{UPC_E}54321", "00012345000065", "UPC-E", "54321"),
        (f"]E3{BOTH}12", "00000000000055", "UPC-E", "12"),  # read as ]E0 would be: UPC-E
    ],
)
def test_an_add_on_is_kept_apart_from_the_number(raw: str, gtin14: str, fmt: str, add_on: str) -> None:
    c = understand(raw)
    assert (c.kind, c.gtin14, c.gtin_format) == (CodeKind.GTIN, gtin14, fmt)
    assert c.notes == (f"add-on {add_on}",)


def test_eight_digits_valid_both_ways_are_ean8_unless_the_scanner_says_upc() -> None:
    plain = understand(BOTH)
    assert (plain.gtin_format, plain.notes) == ("GTIN-8", ("also a valid UPC-E (UPC-A 000000000055); read as EAN-8",))
    said_upc = understand(f"]E0{BOTH}")
    assert (said_upc.gtin_format, said_upc.notes) == ("UPC-E", ())


@pytest.mark.parametrize(
    ("raw", "expected", "got"),
    [
        ("ISBN 0804429571", "X", "1"),  # 080442957X is the real one
        ("0-8044-2957-1", "X", "1"),
        ("ISBN 3064061551", "0", "1"),
        ("ISBN 306406155X", "0", "X"),
        ("ISBN 0-306-40615-3", "2", "3"),
    ],
)
def test_a_wrong_isbn10_check_digit_names_the_right_one(raw: str, expected: str, got: str) -> None:
    c = understand(raw)
    assert c.kind is CodeKind.INVALID
    assert c.reason == f"ISBN-10 check digit is wrong: expected {expected}, got {got}"


def test_an_isbn10_ending_in_0_is_read() -> None:
    c = understand("ISBN 3064061550")
    assert (c.kind, c.isbn13, c.notes) == (CodeKind.ISBN, "9783064061552", ("ISBN-10 3064061550",))


UNREADABLE = "This code could not be understood (an error in the station; it has been logged)."


def broken(*_: object, **__: object) -> Classification:
    raise RuntimeError("a bug")


def test_a_bug_while_understanding_gives_an_invalid_answer_safe_to_show(
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setattr(classifier, "understand", broken)
    scanned = "\r\nABC\x1d" + "D" * 100 + "\t"
    with caplog.at_level(logging.ERROR, logger="scanner_app.codes.classifier"):
        c = classify(scanned)
    assert c.kind is CodeKind.INVALID
    assert c.reason == UNREADABLE
    assert c.raw == scanned
    assert c.display == "ABC<GS>" + "D" * 100  # padding dropped, the GS shown, under 200 characters
    [record] = caplog.records
    preview = "\u201c<CR><LF>ABC<GS>" + "D" * 65 + "\u2026\u201d"  # 80 characters shown, then cut
    assert record.getMessage() == f"classifying {preview} failed"


def test_a_scan_of_only_padding_that_breaks_is_shown_as_it_came(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(classifier, "understand", broken)
    c = classify("\x1d")
    assert (c.kind, c.raw, c.display) == (CodeKind.INVALID, "\x1d", "<GS>")


class Unprintable:
    def __str__(self) -> str:
        raise ValueError("no text")


def test_a_value_that_cannot_even_be_turned_into_text_is_unreadable(
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setattr(classifier, "understand", broken)
    with caplog.at_level(logging.ERROR, logger="scanner_app.codes.classifier"):
        c = classify(Unprintable())  # type: ignore[arg-type]  # a caller breaking the type
    assert (c.kind, c.raw, c.display, c.reason) == (CodeKind.INVALID, "", "<unreadable>", UNREADABLE)
    assert [r.getMessage() for r in caplog.records] == ["classifying an unprintable value failed"]


@pytest.mark.parametrize(
    ("raw", "note"),
    [
        ("[)>\x1e06\x1dP12345", "ISO/IEC 15434 message (data identifiers), not a GS1 element string"),
        ("ABC\x1d123", "holds group separators but is not a GS1 element string"),
    ],
)
def test_text_that_looks_structured_says_what_it_is_not(raw: str, note: str) -> None:
    c = understand(raw)
    assert (c.kind, c.notes) == (CodeKind.TEXT, (note,))


@pytest.mark.parametrize(
    ("raw", "kind", "isbn13", "reason"),
    [
        ("ISBN 9791032305690", CodeKind.ISBN, "9791032305690", None),  # 979: ISBNs too
        ("ISBN 1234567890128", CodeKind.INVALID, None, "an ISBN-13 starts with 978 or 979"),
        ("ISBN 12345", CodeKind.INVALID, None, "an ISBN has 10 or 13 characters"),
        ("ISBN 030640615-2", CodeKind.ISBN, "9780306406157", None),  # labelled: any grouping
        ("030640615-2", CodeKind.TEXT, None, None),  # not labelled, not the ISBN's own grouping
    ],
)
def test_written_isbns(raw: str, kind: CodeKind, isbn13: str | None, reason: str | None) -> None:
    c = understand(raw)
    assert (c.kind, c.isbn13, c.reason) == (kind, isbn13, reason)
    if kind is CodeKind.ISBN and len(isbn13 or "") == 13 and raw.replace("ISBN ", "") == isbn13:
        assert c.gtin_format == "EAN-13"


def test_a_bug_in_logging_the_failure_does_not_stop_the_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(record: logging.LogRecord) -> bool:
        raise RuntimeError("a log filter broke too")
    monkeypatch.setattr(classifier, "understand", broken)
    logger = logging.getLogger("scanner_app.codes.classifier")
    logger.addFilter(refuse)
    try:
        c = classify("ABC")
    finally:
        logger.removeFilter(refuse)
    assert (c.kind, c.raw, c.reason) == (CodeKind.INVALID, "ABC", UNREADABLE)


@pytest.mark.parametrize(
    ("raw", "kind", "fmt", "reason"),
    [
        ("9780306406157", CodeKind.ISBN, "EAN-13", None),  # a bare ISBN-13 is an EAN-13
        ("4006381333932", CodeKind.INVALID, "EAN-13", "EAN-13 check digit is wrong: expected 1, got 2"),
        ("96385074", CodeKind.GTIN, "GTIN-8", None),
        ("10000123", CodeKind.INVALID, "GTIN-8",
         "EAN-8 check digit is wrong: expected 0, got 3 (and it is not a valid UPC-E either: expected 2)"),
        ("]E001234566", CodeKind.INVALID, "GTIN-8", "UPC-E check digit is wrong: expected 5, got 6"),
    ],
)
def test_plain_product_numbers_name_their_format(raw: str, kind: CodeKind, fmt: str, reason: str | None) -> None:
    c = understand(raw)
    assert (c.kind, c.gtin_format, c.reason, c.notes) == (kind, fmt, reason, ())
