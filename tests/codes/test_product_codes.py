"""GTIN-8/12/13/14, UPC-E and ISBN-10/13 through classify()."""

from __future__ import annotations

import pytest

from scanner_app.codes import CodeKind, classify
from scanner_app.codes.classifier import understand
from scanner_app.codes.gtin import expand_upc_e
from tests.codes.helpers import check_digit


def test_helper_agrees_with_published_codes() -> None:
    # Codes printed on real packs (and in GS1's own examples), not computed here.
    assert check_digit("400638133393") == "1"  # EAN-13 4006381333931
    assert check_digit("03600029145") == "2"  # UPC-A 036000291452
    assert check_digit("0950600013435") == "2"  # GS1's example GTIN 09506000134352
    assert check_digit("9638507") == "4"  # EAN-8 96385074


@pytest.mark.parametrize(
    ("code", "gtin14", "fmt"),
    [
        ("4006381333931", "04006381333931", "EAN-13"),
        ("036000291452", "00036000291452", "UPC-A"),
        ("0036000291452", "00036000291452", "EAN-13"),
        ("10036000291459", "10036000291459", "GTIN-14"),
        ("00036000291452", "00036000291452", "GTIN-14"),
        ("96385074", "00000096385074", "GTIN-8"),
        ("04252614", "00042100005264", "UPC-E"),
    ],
)
def test_valid_gtins(code: str, gtin14: str, fmt: str) -> None:
    c = understand(code)
    assert c.kind is CodeKind.GTIN
    assert c.gtin14 == gtin14
    assert c.gtin_format == fmt
    assert c.reason is None and c.is_valid
    assert c.display == code and c.raw == code


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("4006381333932", "EAN-13 check digit is wrong: expected 1, got 2"),
        ("036000291453", "UPC-A check digit is wrong: expected 2, got 3"),
        ("10036000291458", "GTIN-14 check digit is wrong: expected 9, got 8"),
        ("96385075", "EAN-8 check digit is wrong: expected 4, got 5"),
        ("9780306406158", "ISBN-13 check digit is wrong: expected 7, got 8"),
    ],
)
def test_wrong_check_digit_is_invalid_with_the_reason(code: str, reason: str) -> None:
    c = understand(code)
    assert c.kind is CodeKind.INVALID
    assert c.reason == reason
    assert c.gtin14 is None
    assert not c.is_valid


def test_upc_e_expands_to_the_same_gtin_as_its_upc_a() -> None:
    assert understand("04252614").gtin14 == understand("042100005264").gtin14 == "00042100005264"


# UPC-E -> UPC-A by GS1's zero-suppression table, one pair per last digit d6 and number
# system (d1..d6 are the six digits between the number system and the check digit):
#   d6 0-2: number system, manufacturer d1 d2 d6 0 0, product 0 0 d3 d4 d5
#   d6 3:   number system, manufacturer d1 d2 d3 0 0, product 0 0 0 d4 d5
#   d6 4:   number system, manufacturer d1 d2 d3 d4 0, product 0 0 0 0 d5
#   d6 5-9: number system, manufacturer d1 d2 d3 d4 d5, product 0 0 0 0 d6
# The check digit of both is the UPC-A's. Each UPC-A below was written out by hand from
# the table, its check digit worked by hand (3 x odd positions + even positions), and the
# pairs cross-checked with zxing-cpp's UPC-E encoder, which refuses a wrong UPC-E check
# digit and reads the printed symbol back as the expanded GTIN. Distinct digits, so a digit
# moved to the wrong place changes the answer. 01234565 -> 012345000065 is Wikipedia's.
UPC_E_TO_UPC_A = [
    ("01234505", "012000003455"),  # d6=0: 0 | 12 0 00 | 00 345 | 5
    ("19876502", "198000007652"),  # d6=0, number system 1
    ("02345613", "023100004563"),  # d6=1: 0 | 23 1 00 | 00 456 | 3
    ("14567818", "145100006788"),  # d6=1, number system 1
    ("07891223", "078200009123"),  # d6=2: 0 | 78 2 00 | 00 912 | 3
    ("13456728", "134200005678"),  # d6=2, number system 1
    ("01234531", "012300000451"),  # d6=3: 0 | 123 00 | 000 45 | 1
    ("15678932", "156700000892"),  # d6=3, number system 1
    ("01234543", "012340000053"),  # d6=4: 0 | 1234 0 | 0000 5 | 3
    ("19876544", "198760000054"),  # d6=4, number system 1
    ("01234558", "012345000058"),  # d6=5: 0 | 12345 | 0000 5 | 8
    ("12468959", "124689000059"),  # d6=5, number system 1
    ("01234565", "012345000065"),  # d6=6 (Wikipedia's example)
    ("03141564", "031415000064"),  # d6=6
    ("16543263", "165432000063"),  # d6=6, number system 1
    ("02468372", "024683000072"),  # d6=7
    ("18642179", "186421000079"),  # d6=7, number system 1
    ("05127382", "051273000082"),  # d6=8
    ("11357988", "113579000088"),  # d6=8, number system 1
    ("09753198", "097531000098"),  # d6=9
    ("17418591", "174185000091"),  # d6=9, number system 1
]


def test_the_upc_e_table_covers_every_last_digit_in_both_number_systems() -> None:
    covered = {(upc_e[0], upc_e[6]) for upc_e, _ in UPC_E_TO_UPC_A}
    assert covered == {(ns, d6) for ns in "01" for d6 in "0123456789"}


@pytest.mark.parametrize(("upc_e", "upc_a"), UPC_E_TO_UPC_A)
def test_upc_e_expands_by_the_gs1_table(upc_e: str, upc_a: str) -> None:
    assert expand_upc_e(upc_e) == upc_a


@pytest.mark.parametrize(("upc_e", "upc_a"), UPC_E_TO_UPC_A)
def test_upc_e_under_e0_is_valid_and_found_by_its_upc_a(upc_e: str, upc_a: str) -> None:
    c = understand("]E0" + upc_e)
    assert c.kind is CodeKind.GTIN and c.is_valid and c.reason is None
    assert c.gtin_format == "UPC-E"
    assert c.gtin14 == "00" + upc_a
    assert understand(upc_a).gtin14 == c.gtin14


@pytest.mark.parametrize(("upc_e", "upc_a"), UPC_E_TO_UPC_A)
def test_bare_upc_e_is_valid_as_upc_e_or_as_an_ean8_noting_the_upc_e(upc_e: str, upc_a: str) -> None:
    c = understand(upc_e)
    assert c.kind is CodeKind.GTIN and c.is_valid
    if check_digit(upc_e[:7]) == upc_e[7]:  # its check digit fits EAN-8 too: EAN-8 wins, noted
        assert (c.gtin_format, c.gtin14) == ("GTIN-8", "000000" + upc_e)
        assert c.notes == (f"also a valid UPC-E (UPC-A {upc_a}); read as EAN-8",)
    else:
        assert (c.gtin_format, c.gtin14) == ("UPC-E", "00" + upc_a)


@pytest.mark.parametrize(("upc_e", "upc_a"), UPC_E_TO_UPC_A)
def test_upc_e_with_a_wrong_check_digit_is_invalid_naming_the_right_one(upc_e: str, upc_a: str) -> None:
    wrong = str((int(upc_e[7]) + 1) % 10)
    c = understand("]E0" + upc_e[:7] + wrong)
    assert c.kind is CodeKind.INVALID and c.gtin14 is None
    assert c.reason == f"UPC-E check digit is wrong: expected {upc_a[-1]}, got {wrong}"


def test_eight_digits_failing_both_ean8_and_upc_e_says_so() -> None:
    c = understand("04252615")
    assert c.kind is CodeKind.INVALID
    assert c.reason is not None
    assert c.reason.startswith("EAN-8 check digit is wrong: expected")
    assert "not a valid UPC-E either" in c.reason


def test_eight_digits_valid_both_ways_reads_as_ean8_with_a_note() -> None:
    c = understand("12345670")  # EAN-8 check fits, and UPC-E 1234567 -> 123456000070 fits too
    assert c.kind is CodeKind.GTIN
    assert c.gtin_format == "GTIN-8"
    assert c.gtin14 == "00000012345670"
    assert any("UPC-E" in note for note in c.notes)


def test_eight_digits_under_aim_e0_is_upc_e_and_e4_is_ean8() -> None:
    assert understand("]E012345670").gtin_format == "UPC-E"
    assert understand("]E012345670").gtin14 == "00123456000070"
    assert understand("]E412345670").gtin_format == "GTIN-8"
    # ]E4 is EAN-8 for certain: a UPC-E reading does not rescue a bad EAN-8 check digit
    assert understand("]E404252614").kind is CodeKind.INVALID


def test_upc_e_under_e0_with_a_bad_check_is_explained_as_upc_e() -> None:
    c = understand("]E004252615")
    assert c.kind is CodeKind.INVALID
    assert c.reason == "UPC-E check digit is wrong: expected 4, got 5"


@pytest.mark.parametrize(
    "written",
    ["0-306-40615-2", "0306406152", "ISBN 0-306-40615-2", "ISBN-10: 0306406152", "0 306 40615 2"],
)
def test_isbn10_in_its_written_forms(written: str) -> None:
    c = understand(written)
    assert c.kind is CodeKind.ISBN
    assert c.isbn13 == "9780306406157"
    assert c.gtin14 == "09780306406157"


def test_isbn10_with_x_check() -> None:
    c = understand("080442957X")
    assert c.kind is CodeKind.ISBN
    assert c.isbn13 == "9780804429573"
    assert understand("0-8044-2957-x").isbn13 == "9780804429573"


@pytest.mark.parametrize(
    "written", ["9780306406157", "978-0-306-40615-7", "ISBN 978-0-306-40615-7", "ISBN-13: 9780306406157"]
)
def test_isbn13(written: str) -> None:
    c = understand(written)
    assert c.kind is CodeKind.ISBN
    assert c.isbn13 == "9780306406157"
    assert c.gtin14 == "09780306406157"


def test_isbn10_and_its_isbn13_match_the_same_gtin() -> None:
    assert understand("0306406152").gtin14 == understand("9780306406157").gtin14


@pytest.mark.parametrize(
    ("written", "reason"),
    [
        ("0-306-40615-3", "ISBN-10 check digit is wrong: expected 2, got 3"),
        ("ISBN 0306406153", "ISBN-10 check digit is wrong: expected 2, got 3"),
        ("080442958X", "ISBN-10 check digit is wrong: expected 8, got X"),  # 201 mod 11 = 3
        ("978-0-306-40615-8", "ISBN-13 check digit is wrong: expected 7, got 8"),
    ],
)
def test_bad_isbn_is_invalid(written: str, reason: str) -> None:
    c = understand(written)
    assert c.kind is CodeKind.INVALID
    assert c.reason == reason


def test_bare_ten_digits_failing_isbn_is_text_not_invalid() -> None:
    # Ten-digit serials and part numbers are common; 10 in 11 fail an ISBN check.
    c = understand("0306406153")
    assert c.kind is CodeKind.TEXT
    assert c.text == "0306406153"


def test_phone_style_part_number_is_not_an_isbn() -> None:
    assert understand("123-456-7890").kind is CodeKind.TEXT


def test_ean13_with_add_on_under_e3() -> None:
    c = understand("]E3978030640615751299")
    assert c.kind is CodeKind.ISBN
    assert c.gtin14 == "09780306406157"
    assert c.symbology == "]E3"
    assert "add-on 51299" in c.notes


def test_gtin_scanned_with_ean_aim_identifier() -> None:
    c = understand("]E04006381333931")
    assert c.kind is CodeKind.GTIN
    assert c.symbology == "]E0"
    assert c.gtin14 == "04006381333931"
    assert c.display == "]E04006381333931"


def test_itf14_under_i1() -> None:
    c = understand("]I110036000291459")
    assert (c.kind, c.gtin14, c.symbology) == (CodeKind.GTIN, "10036000291459", "]I1")


def test_ean_aim_with_non_digits_is_invalid() -> None:
    c = understand("]E0ABC123")
    assert c.kind is CodeKind.INVALID
    assert c.reason is not None and "EAN/UPC" in c.reason


def test_terminators_are_dropped() -> None:
    for scanned in ("4006381333931\r\n", "4006381333931\t", " 4006381333931\r", "\ufeff4006381333931\n"):
        c = classify(scanned)
        assert c.kind is CodeKind.GTIN
        assert c.gtin14 == "04006381333931"
        assert c.raw == scanned
        assert c.display == "4006381333931"


def test_non_ascii_digits_are_not_a_gtin() -> None:
    # Arabic-Indic digits: str.isdigit() is true, but no scanner sends a GTIN like this.
    assert understand("٤٠٠٦٣٨١٣٣٣٩٣١").kind is CodeKind.TEXT
