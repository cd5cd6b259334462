"""GS1 element strings, the bracketed form, Digital Link URIs, and their failures."""

from __future__ import annotations

import pytest

from scanner_app.codes import CodeKind
from scanner_app.codes.classifier import understand
from tests.codes.helpers import with_check

GS = "\x1d"
GTIN = "09506000134352"  # GS1's example GTIN (check digit 2)
SSCC = "106141412345678908"  # GS1's example SSCC
GLN = with_check("123456789012")


def test_gs1_128_with_aim_and_group_separators() -> None:
    raw = f"]C101{GTIN}10ABC123{GS}17251231{GS}21SN-42"
    c = understand(raw)
    assert c.kind is CodeKind.GS1
    assert c.symbology == "]C1"
    assert c.gs1 == {"01": GTIN, "10": "ABC123", "17": "251231", "21": "SN-42"}
    assert c.gtin14 == GTIN
    assert c.display == f"]C101{GTIN}10ABC123<GS>17251231<GS>21SN-42"
    assert c.raw == raw


@pytest.mark.parametrize("aim", ["]C1", "]d2", "]Q3", "]e0", "]J1"])
def test_every_gs1_symbology_identifier_means_gs1(aim: str) -> None:
    c = understand(f"{aim}01{GTIN}3712")
    assert c.kind is CodeKind.GS1
    assert c.symbology == aim
    assert c.gs1 == {"01": GTIN, "37": "12"}


def test_dates_quantities_and_location_keep_their_raw_strings() -> None:
    raw = f"01{GTIN}11240131{GS}17260228{GS}3005{GS}414{GLN}"
    c = understand(raw)
    assert c.kind is CodeKind.GS1
    assert c.gs1 == {"01": GTIN, "11": "240131", "17": "260228", "30": "05", "414": GLN}


def test_sscc_with_contained_gtin_and_count() -> None:
    c = understand(f"00{SSCC}02{GTIN}37120{GS}10LOT7")
    assert c.kind is CodeKind.GS1
    assert c.gs1 == {"00": SSCC, "02": GTIN, "37": "120", "10": "LOT7"}
    assert c.gtin14 == GTIN  # from AI 02 when there is no 01


def test_sscc_alone_has_no_gtin() -> None:
    c = understand(f"]C100{SSCC}")
    assert c.kind is CodeKind.GS1
    assert c.gs1 == {"00": SSCC}
    assert c.gtin14 is None


def test_unmarked_digits_that_are_certainly_gs1() -> None:
    # A GS1-128 read by a scanner that sends neither AIM identifier nor FNC1.
    c = understand(f"01{GTIN}10ABC123")
    assert c.kind is CodeKind.GS1
    assert c.gs1 == {"01": GTIN, "10": "ABC123"}


@pytest.mark.parametrize(
    "plain",
    [
        "96385",  # biip reads this as AI 96; it is just a number
        "123456789012345678",  # 18 digits: some AI, but not 00/01/02 first
        f"01{GTIN}",  # a single element string without any GS1 marker stays text
        "0195060001343531234",  # 01 with a wrong GTIN check digit: a plain number
        "0012345",  # starts like an SSCC but is far too short
    ],
)
def test_plain_numbers_are_not_guessed_to_be_gs1(plain: str) -> None:
    c = understand(plain)
    assert c.kind is CodeKind.TEXT
    assert c.text == plain


def test_leading_group_separator_is_fnc1_and_marks_gs1() -> None:
    c = understand(f"{GS}01{GTIN}")
    assert c.kind is CodeKind.GS1
    assert c.gs1 == {"01": GTIN}


@pytest.mark.parametrize("substitute", ["~", "<GS>", "|"])
def test_configured_group_separator_substitute(substitute: str) -> None:
    raw = f"01{GTIN}10ABC{substitute}17251231{substitute}21XYZ"
    c = understand(raw, gs_substitute=substitute)
    assert c.kind is CodeKind.GS1
    assert c.gs1 == {"01": GTIN, "10": "ABC", "17": "251231", "21": "XYZ"}
    assert c.raw == raw.replace(substitute, GS)
    assert "<GS>" in c.display


def test_substitute_is_not_applied_to_text() -> None:
    c = understand("AB~CD", gs_substitute="~")
    assert c.kind is CodeKind.TEXT
    assert c.text == "AB~CD"
    assert c.raw == "AB~CD"


def test_without_the_substitute_configured_a_tilde_is_data() -> None:
    # "~" is outside GS1's character set, so the batch number cannot hold it.
    c = understand(f"]C101{GTIN}10ABC~17251231")
    assert c.kind is CodeKind.INVALID
    assert c.reason is not None
    assert "known at \u201c~17251231\u201d" in c.reason
    assert "set it as the substitute" in c.reason


def test_bracketed_human_readable_form() -> None:
    c = understand(f"(01){GTIN}(10)ABC123(17)251231")
    assert c.kind is CodeKind.GS1
    assert c.gs1 == {"01": GTIN, "10": "ABC123", "17": "251231"}


@pytest.mark.parametrize(
    "uri",
    [
        f"https://id.gs1.org/01/{GTIN}/10/ABC123?17=251231",
        f"https://brand.example.com/products/01/{GTIN}/10/ABC123?17=251231&utm_source=label",
        f"HTTP://ID.GS1.ORG/01/{GTIN}/10/ABC123?17=251231",
    ],
)
def test_digital_link_uris(uri: str) -> None:
    c = understand(uri)
    assert c.kind is CodeKind.GS1
    assert c.gs1 == {"01": GTIN, "10": "ABC123", "17": "251231"}
    assert c.gtin14 == GTIN


def test_digital_link_short_gtin_is_zero_filled() -> None:
    c = understand("https://id.gs1.org/01/036000291452")
    assert c.gtin14 == "00036000291452"


def test_digital_link_in_a_gs1_qr_code() -> None:
    c = understand(f"]Q1https://id.gs1.org/01/{GTIN}")
    assert c.kind is CodeKind.GS1
    assert c.symbology == "]Q1"


@pytest.mark.parametrize(
    "url", ["https://example.com/blog/2023/01/15/post", "https://example.com/", "http://intranet/bins/A-01"]
)
def test_ordinary_addresses_are_text(url: str) -> None:
    c = understand(url)
    assert c.kind is CodeKind.TEXT
    assert c.text == url


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        (f"]C101{GTIN[:-1]}3", "GTIN in AI (01) has a wrong check digit: expected 2, got 3"),
        (f"{GS}01{GTIN[:-1]}3", "GTIN in AI (01) has a wrong check digit: expected 2, got 3"),
        (f"(01){GTIN[:-1]}3(10)A", "GTIN in AI (01) has a wrong check digit: expected 2, got 3"),
        (f"https://id.gs1.org/01/{GTIN[:-1]}3", "GTIN in AI (01) has a wrong check digit: expected 2, got 3"),
        (f"]C100{SSCC[:-1]}7", "SSCC in AI (00) has a wrong check digit: expected 8, got 7"),
        (f"]C101{GTIN}17251331", "expiration date (YYMMDD) in AI (17) is not a real date: \u201c251331\u201d"),
        (f"]C101{GTIN}17251", "expiration date (YYMMDD) in AI (17) must be 6 digits, got \u201c251\u201d"),
        ("]C10109506", "in AI (01) must be 14 digits, got \u201c09506\u201d"),
        ("]d2hello", "no GS1 Application Identifier (AI) known at \u201chello\u201d"),
        (f"01{GTIN}10ABC{GS}10XYZ", "AI (10) appears twice with different values"),
        ("(99)x(01)", "AI (01) has no value"),
        ("(9999)x", "(9999) is not a GS1 Application Identifier"),
        (f"01{GTIN}{GS}17991399", "is not a real date"),
    ],
)
def test_rejected_gs1_is_invalid_in_plain_words(raw: str, words: str) -> None:
    c = understand(raw)
    assert c.kind is CodeKind.INVALID
    assert c.reason is not None
    assert c.reason.startswith("This GS1 code cannot be read: ")
    assert words in c.reason
    assert "pattern" not in c.reason and "\\d" not in c.reason  # no regex in front of a person
    assert c.gtin14 is None


def test_repeated_ai_with_the_same_value_is_fine() -> None:
    c = understand(f"01{GTIN}10ABC{GS}10ABC")
    assert c.kind is CodeKind.GS1
    assert c.gs1 == {"01": GTIN, "10": "ABC"}


def test_non_gs1_data_with_group_separators_is_text() -> None:
    raw = "[)>\x1e06\x1dP12345\x1dS998\x1e\x04"  # ISO/IEC 15434 (ANSI MH10.8.2) envelope
    c = understand(raw)
    assert c.kind is CodeKind.TEXT
    assert c.display == "[)><RS>06<GS>P12345<GS>S998"
    assert any("15434" in note for note in c.notes)


def test_scanner_naming_plain_code_128_is_believed() -> None:
    # ]C0 is Code 128 *without* FNC1: the digits are not guessed to be GS1.
    c = understand(f"]C001{GTIN}10ABC123")
    assert c.kind is CodeKind.TEXT
    assert c.text == f"01{GTIN}10ABC123"
    assert c.symbology == "]C0"


def test_a_count_written_with_digits_of_another_script_is_refused_not_read_as_a_number() -> None:
    """``int("1٢")`` is 12 in Python: a label whose AI (30) holds an Arabic-Indic two must not
    become a count of twelve. GS1 values are ASCII; a numeric AI takes 0-9 only."""
    from scanner_app.codes import CodeKind, classify

    refused = classify("(01)04000001300112(30)1\u0662")
    assert refused.kind is CodeKind.INVALID and refused.gs1 is None
    assert refused.reason == ("This GS1 code cannot be read: AI (30) holds \u201c1\u0662\u201d: GS1 values are "
                              "ASCII only (a numeric AI takes the digits 0-9)")
    assert classify("(01)04000001300112(30)12").gs1 == {"01": "04000001300112", "30": "12"}
