"""What a person reads when the scanner's keyboard layout does not match the PC's (issue
#14, mutation testing).

A US-layout wedge scanner typing into an AZERTY PC sends ``&é"'(-è_çà`` for
``1234567890``. The station refuses the scan and says, in one sentence: what arrived
(display-safe), what the scanner most likely sent, and what to change. When what it
meant is itself a product number, a note says whether it would have been valid.
"""

from __future__ import annotations

from scanner_app.codes import CodeKind
from scanner_app.codes.classifier import understand
from tests.codes.helpers import with_check

DIGITS_TO_FRENCH = str.maketrans("1234567890", "&é\"'(-è_çà")


def reason(received: str, meant: str) -> str:
    return (f"The scanner's keyboard layout does not match this PC's: AZERTY digits received "
            f"(\u201c{received}\u201d). The scanner most likely sent {meant}. Set the scanner to the same "
            "keyboard layout as this PC (or this PC to the scanner's) and scan again.")


def test_the_sentence_says_what_arrived_what_was_meant_and_what_to_do() -> None:
    received = "1234567890".translate(DIGITS_TO_FRENCH)
    c = understand(received)
    assert (c.kind, c.corrected, c.notes) == (CodeKind.INVALID, "1234567890", ())
    assert c.reason == reason(received, "1234567890")


def test_a_meant_gtin_is_named_valid_or_not() -> None:
    good = with_check("400638133393")  # an EAN-13
    typed = good.translate(DIGITS_TO_FRENCH)
    assert understand(typed).notes == (f"{good} would be a valid EAN-13",)
    bad = good[:-1] + str((int(good[-1]) + 1) % 10)
    assert understand(bad.translate(DIGITS_TO_FRENCH)).notes == (
        f"{bad} is not valid either: EAN-13 check digit is wrong: expected {good[-1]}, got {bad[-1]}",)


def test_a_meant_isbn_is_named_as_such() -> None:
    typed = "9780306406157".translate(DIGITS_TO_FRENCH)
    assert understand(typed).notes == ("9780306406157 would be a valid EAN-13",)


def test_a_meant_isbn10_is_named_an_isbn() -> None:
    typed = "0306406152".translate(DIGITS_TO_FRENCH)
    assert understand(typed).notes == ("0306406152 would be a valid ISBN",)


def test_a_long_scan_is_quoted_cut_at_40_characters() -> None:
    received = ("1234567890" * 5).translate(DIGITS_TO_FRENCH)
    c = understand(received)
    assert c.reason == reason(received[:40] + "\u2026", "1234567890" * 5)


def test_a_long_non_number_said_to_be_ean_upc_is_quoted_cut_at_40_characters() -> None:
    c = understand("]E0" + "A" * 60)
    assert c.reason == ("The scanner reported an EAN/UPC barcode, but \u201c" + "A" * 40 + "\u2026\u201d is not an "
                        "EAN/UPC number.")
