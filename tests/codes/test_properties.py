"""Hypothesis properties of code understanding.

The properties call :func:`understand` (no safety net) where a bug must fail the test,
and :func:`classify` where the never-raises promise itself is under test.
"""

from __future__ import annotations

import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scanner_app.codes import CodeKind, classify
from scanner_app.codes.classifier import understand
from scanner_app.codes.gtin import expand_upc_e, has_valid_check_digit
from tests.codes.helpers import check_digit, with_check, with_wrong_check

FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

digits = st.text(alphabet="0123456789", min_size=1, max_size=1)
_SPOKEN = {8: "EAN-8", 12: "UPC-A", 13: "EAN-13", 14: "GTIN-14"}


@st.composite
def gtin_bodies(draw: st.DrawFn) -> str:
    length = draw(st.sampled_from([8, 12, 13, 14]))
    return draw(st.text(alphabet="0123456789", min_size=length - 1, max_size=length - 1))


@FAST
@given(body=gtin_bodies(), offset=st.integers(min_value=1, max_value=9))
def test_every_gtin_with_a_wrong_check_digit_is_invalid(body: str, offset: int) -> None:
    code = with_wrong_check(body, offset)
    c = understand(code)
    upc_a = expand_upc_e(code) if len(code) == 8 else None
    if upc_a is not None and has_valid_check_digit(upc_a):
        # The one exception: a bad EAN-8 that is a good UPC-E is that UPC-E.
        assert c.kind is CodeKind.GTIN
        assert c.gtin_format == "UPC-E"
        assert c.gtin14 == upc_a.zfill(14)
        return
    assert c.kind is CodeKind.INVALID
    assert c.gtin14 is None
    name = "ISBN-13" if len(code) == 13 and code.startswith(("978", "979")) else _SPOKEN[len(code)]
    assert c.reason is not None
    assert c.reason.startswith(f"{name} check digit is wrong: expected {check_digit(body)}, got {code[-1]}")


@FAST
@given(body=gtin_bodies())
def test_every_gtin_with_the_right_check_digit_is_found_by_its_gtin14(body: str) -> None:
    code = with_check(body)
    c = understand(code)
    assert c.kind in (CodeKind.GTIN, CodeKind.ISBN)
    assert c.gtin14 == code.zfill(14)


@FAST
@given(body=st.text(alphabet="0123456789", min_size=11, max_size=11))
def test_upc_a_ean13_and_gtin14_forms_of_one_gtin_agree(body: str) -> None:
    upc_a = with_check(body)
    forms = [
        upc_a,  # UPC-A
        "0" + upc_a,  # the same number as EAN-13
        "00" + upc_a,  # ITF-14 / GTIN-14 with leading zeros
        "]E00" + upc_a,  # EAN-13 with its AIM identifier
        "]C101" + "00" + upc_a,  # GS1-128 AI 01
        f"(01)00{upc_a}(10)LOT1",
        f"https://id.gs1.org/01/{upc_a}",  # Digital Link (zero-filled)
    ]
    found = {form: understand(form).gtin14 for form in forms}
    assert set(found.values()) == {"00" + upc_a}, found


@FAST
@given(body=st.text(alphabet="0123456789", min_size=6, max_size=6), system=st.sampled_from("01"))
def test_a_valid_upc_e_matches_its_upc_a(body: str, system: str) -> None:
    expanded = expand_upc_e(system + body + "0")
    assert expanded is not None
    upc_a = with_check(expanded[:-1])
    upc_e = system + body + upc_a[-1]
    c = understand("]E0" + upc_e)
    assert c.kind is CodeKind.GTIN
    assert c.gtin14 == understand(upc_a).gtin14 == "00" + upc_a


@FAST
@given(body=st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_isbn10_and_its_isbn13_agree(body: str) -> None:
    total = sum((10 - i) * int(d) for i, d in enumerate(body))
    check = (11 - total % 11) % 11
    isbn10 = body + ("X" if check == 10 else str(check))
    isbn13 = with_check("978" + body)
    c10, c13 = understand(isbn10), understand(isbn13)
    assert c10.kind is CodeKind.ISBN and c13.kind is CodeKind.ISBN
    assert c10.isbn13 == c13.isbn13 == isbn13
    assert c10.gtin14 == c13.gtin14 == "0" + isbn13


# Pieces that steer arbitrary text into every reader: identifiers, separators, GS1
# prefixes, link prefixes, shifted digits, huge-ish runs.
_PIECES = st.sampled_from(
    [
        "]C1", "]E0", "]E3", "]d2", "]Q3", "]A0", "\x1d", "\x1e", "\x04", "\x00", "\r\n", "~", "<GS>",
        "01", "00", "02", "10", "17", "21", "37", "414", "09506000134352", "4006381333931", "(01)",
        "(17)", ")", "(", "https://id.gs1.org/01/", "http://x/01/", "?17=", "/10/", "%", "ISBN ",
        "-", "X", "&é\"'(§è!çà", "é", "è", "_", "\ud800", "\u202e", "🙂", "0" * 40, "9" * 600,
    ]
)  # fmt: skip
_ANY_TEXT = st.text(alphabet=st.characters(exclude_categories=()))  # includes surrogates
scans = st.one_of(
    _ANY_TEXT,
    st.lists(st.one_of(_PIECES, _ANY_TEXT, digits), max_size=12).map("".join),
)
_UNSAFE = {"Cc", "Cf", "Cs", "Zl", "Zp"}


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=scans, substitute=st.sampled_from([None, "~", "<GS>", "|"]))
def test_classification_never_raises_and_display_is_safe(raw: str, substitute: str | None) -> None:
    c = understand(raw, gs_substitute=substitute)  # a bug raises here
    assert classify(raw, gs_substitute=substitute) == c
    assert not any(unicodedata.category(ch) in _UNSAFE for ch in c.display), c.display
    assert len(c.display) <= 201
    if c.reason is not None:
        assert not any(unicodedata.category(ch) in _UNSAFE for ch in c.reason), c.reason
    # Each kind carries what it promises.
    if c.kind is CodeKind.INVALID:
        assert c.reason
    if c.kind is CodeKind.TEXT:
        assert c.text and c.text.strip()
    if c.kind is CodeKind.GS1:
        assert c.gs1
    if c.kind in (CodeKind.GTIN, CodeKind.ISBN):
        assert c.gtin14 is not None and len(c.gtin14) == 14 and has_valid_check_digit(c.gtin14)
    if c.gtin14 is not None:
        assert c.kind in (CodeKind.GTIN, CodeKind.ISBN, CodeKind.GS1)


@FAST
@given(code=st.text(alphabet="0123456789", min_size=4, max_size=20), belgian=st.booleans())
def test_azerty_shifted_digits_are_recognised_and_corrected(code: str, belgian: bool) -> None:
    shifted_keys = "&é\"'(§è!çà" if belgian else "&é\"'(-è_çà"
    shifted = "".join(shifted_keys["1234567890".index(d)] for d in code)
    c = understand(shifted)
    if set(code) & set("7902") or (belgian and "6" in code) or len(code) >= 8:
        assert c.kind is CodeKind.INVALID
        assert c.corrected == code
    else:
        # Too short and without a telltale accented key: left alone rather than guessed.
        assert c.corrected is None
