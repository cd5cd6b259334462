"""The exact words a person at the bench reads when a GS1 code is refused, and what an
accepted one records (issue #14, mutation testing).

The sentences are the product's wording (``codes/gs1_reasons.py``, ``codes/gs1.py``):
a data format said in words ("up to 20 characters", "6 digits then optionally 6
digits", "1 digit"), a date that is not a date told apart from a value of the wrong
length, values quoted display-safe and cut at 40 characters (an ellipsis after), a
stray symbol where an AI should start named as a likely group-separator stand-in, and
biip's other messages passed on display-safe and cut. ``plain_reason`` never raises,
whatever message it is handed.
"""

from __future__ import annotations

import pytest

from scanner_app.codes import CodeKind
from scanner_app.codes.classification import Classification
from scanner_app.codes.classifier import understand
from scanner_app.codes.gs1 import from_element_strings, read_element_string
from scanner_app.codes.gs1_reasons import format_words, plain_reason

GS = "\x1d"
GTIN = "09506000134352"  # GS1's example GTIN
REFUSED = "This GS1 code cannot be read: "


@pytest.mark.parametrize(
    ("ai", "words"),
    [
        ("01", "14 digits"),
        ("10", "up to 20 characters"),
        ("4321", "1 digit"),  # one digit: no plural
        ("7007", "6 digits then optionally 6 digits"),  # harvest date, a second date optional
        ("8008", "8 digits then optionally up to 4 digits"),
        ("9999", "its GS1 format"),  # not an AI (biip would match its prefix, AI 99)
        ("99999", "its GS1 format"),
    ],
)
def test_an_ais_format_in_words(ai: str, words: str) -> None:
    assert format_words(ai) == words


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        # a value that fails its AI's date pattern because the date is impossible
        (f"]C101{GTIN}17251331", "the expiration date (YYMMDD) in AI (17) is not a real date: \u201c251331\u201d"),
        (f"]C101{GTIN}172513310", "the expiration date (YYMMDD) in AI (17) is not a real date: \u201c251331\u201d"),
        (f"]C101{GTIN}17251232", "the expiration date (YYMMDD) in AI (17) is not a real date: \u201c251232\u201d"),
        # biip's own date check (month 00): the whole value is quoted
        (f"]C101{GTIN}70032500311299",
         "the expiration date and time (YYMMDDhhmm) in AI (7003) is not a real date: \u201c2500311299\u201d"),
        # a good date, too short for a date-and-time AI: the length is what is wrong
        (f"]C101{GTIN}70032512311",
         "the expiration date and time (YYMMDDhhmm) in AI (7003) must be 10 digits, got \u201c2512311\u201d"),
        ("(12)abc", "the due date (YYMMDD) in AI (12) must be 6 digits, got \u201cabc\u201d"),
        ("(01)", "no (AI)value pairs found"),
        # a stray symbol where an AI should start: the symbol alone is named
        ("]d2~17251231", "no GS1 Application Identifier (AI) known at \u201c~17251231\u201d (if the scanner "
                         "sends \u201c~\u201d for the group separator, set it as the substitute)"),
        ("]d2a#b", "no GS1 Application Identifier (AI) known at \u201ca#b\u201d"),  # starts with a letter: no hint
        ("]d2" + "x" * 60, "no GS1 Application Identifier (AI) known at \u201c" + "x" * 40 + "\u2026\u201d"),
        (f"]C191{'A' * 50}{GS}91{'B' * 50}",
         "AI (91) appears twice with different values (\u201c" + "A" * 40 + "\u2026\u201d, \u201c" + "B" * 40
         + "\u2026\u201d)"),
        ("(9999)x", "(9999) is not a GS1 Application Identifier"),
        ("https://id.gs1.org/01/09506000134352/99/x", "Expected one of (22, 10, 21, 235) as qualifier, got '99'."),
        (f"(01){GTIN}(10)(21)", "AI (10) has no value"),
    ],
)
def test_the_reason_a_person_reads(raw: str, reason: str) -> None:
    c = understand(raw)
    assert c.kind is CodeKind.INVALID
    assert c.reason == REFUSED + reason


@pytest.mark.parametrize(
    ("message", "words"),
    [
        ("Failed to get GS1 Application Identifier from ''", "no GS1 Application Identifier (AI) known at \u201c\u201d"),
        ("Failed to get GS1 Application Identifier from 'ab\\x1d'",
         "no GS1 Application Identifier (AI) known at \u201cab<GS>\u201d"),
        ("Failed to match '991234' with GS1 AI (991)", "AI (991) must be its GS1 format, got \u201c234\u201d"),
        ("Failed to parse GS1 AI (17) date/time from '250031'.",
         "the expiration date (YYMMDD) in AI (17) is not a real date: \u201c250031\u201d"),
        ("Failed to parse GS1 AI (7003) date/time from '2500311299'.",
         "the expiration date and time (YYMMDDhhmm) in AI (7003) is not a real date: \u201c2500311299\u201d"),
        ("Unknown GS1 Application Identifier '" + "9" * 60 + "'.",
         "(" + "9" * 40 + "\u2026) is not a GS1 Application Identifier"),
        ("Could not find any GS1 Application Identifiers in '()'.", "no (AI)value pairs found"),
        ("Something else\x1dhappened", "Something else<GS>happened"),
        ("y" * 300, "y" * 180 + "\u2026"),
    ],
)
def test_biip_messages_are_rewritten_or_passed_on_display_safe(message: str, words: str) -> None:
    assert plain_reason(message) == words


def test_an_accepted_code_notes_its_element_strings_in_the_bracketed_form() -> None:
    c = understand(f"]C101{GTIN}10ABC{GS}91{'A' * 50}")
    assert c.kind is CodeKind.GS1
    assert c.notes == (f"GS1 (01){GTIN}(10)ABC(91){'A' * 50}",)
    assert c.gtin14 == GTIN


def test_the_contained_gtin_is_matched_when_there_is_no_ai_01() -> None:
    c = understand(f"]C102{GTIN}3710")
    assert (c.kind, c.gtin14, c.gs1) == (CodeKind.GS1, GTIN, {"02": GTIN, "37": "10"})
    assert c.notes == (f"GS1 (02){GTIN}(37)10",)


def test_a_gln_with_a_wrong_check_digit_is_refused_with_the_digits() -> None:
    c = understand("]C14141234567890123")
    assert c.reason == REFUSED + "the GLN in AI (414) has a wrong check digit: expected 8, got 3"


def test_no_element_strings_at_all_is_refused_in_words() -> None:
    template = Classification(raw="]C1", kind=CodeKind.TEXT, display="]C1", symbology="]C1")
    for refused in (from_element_strings([], template), read_element_string(GS + GS, template)):
        assert refused.kind is CodeKind.INVALID
        assert refused.reason == REFUSED + "it holds no element strings"
        assert (refused.raw, refused.symbology) == ("]C1", "]C1")  # the scan itself is kept
