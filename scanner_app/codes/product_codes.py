"""Plain product numbers: GTIN-8/12/13/14, UPC-E and ISBN-10/13, check digits verified.

A string of 8, 12, 13 or 14 ASCII digits is a GTIN (that is what EAN/UPC/ITF-14 scanners
send); a wrong check digit makes it ``INVALID`` with the expected digit, never a quiet
"not found". An 8-digit string is EAN-8 when its check digit fits; otherwise, starting
with 0 or 1, it may be a UPC-E whose check digit fits its UPC-A expansion.

ISBN-10 is recognised bare (``0306406152``, ``080442957X``), hyphenated in its four
groups (``0-306-40615-2``) or after an ``ISBN`` label. A *bare* ten-digit number whose
ISBN check fails is not called invalid: ten-digit serials and part numbers are common,
and ninety per cent of them would fail an ISBN check they were never meant to pass. It
is left to be looked up as text.
"""

from __future__ import annotations

import re
from dataclasses import replace

from scanner_app.codes.classification import Classification, CodeKind
from scanner_app.codes.gtin import (
    expand_upc_e,
    gs1_check_digit,
    has_valid_check_digit,
    isbn10_is_valid,
    isbn10_to_isbn13,
)

_ASCII_DIGITS = re.compile(r"[0-9]+")
_GTIN_LENGTHS = (8, 12, 13, 14)
# What a person calls each length (in reasons) and the format name stored.
_SPOKEN = {8: "EAN-8", 12: "UPC-A", 13: "EAN-13", 14: "GTIN-14"}
_FORMAT = {8: "GTIN-8", 12: "UPC-A", 13: "EAN-13", 14: "GTIN-14"}

_ISBN_LABEL = re.compile(r"ISBN(?:-1[03])?:?\s*", re.IGNORECASE)
# digits with single hyphens or spaces between them, ending in a digit or X
_ISBN_BODY = re.compile(r"[0-9](?:[- ]?[0-9])*(?:[- ]?[Xx])?")
_ISBN_MAX_WRITTEN = 17  # 13 digits and 4 separators


def is_ascii_digits(text: str) -> bool:
    return _ASCII_DIGITS.fullmatch(text) is not None


def check_digit_reason(name: str, code: str) -> str:
    """"EAN-13 check digit is wrong: expected 2, got 3" for an all-digit ``code``."""
    expected = gs1_check_digit(code[:-1])
    return f"{name} check digit is wrong: expected {expected}, got {code[-1]}"


def _isbn10_expected(code: str) -> str:
    total = sum((10 - i) * int(c) for i, c in enumerate(code[:9]))
    check = (11 - total % 11) % 11
    return "X" if check == 10 else str(check)


def _is_isbn13_prefix(code: str) -> bool:
    return code.startswith(("978", "979"))


def read_gtin(code: str, symbology: str | None, template: Classification) -> Classification:
    """Classify an all-digit ``code`` of 8, 12, 13 or 14 digits."""
    length = len(code)
    if length == 8:
        return _read_eight(code, symbology, template)
    if has_valid_check_digit(code):
        if length == 13 and _is_isbn13_prefix(code):
            return replace(
                template, kind=CodeKind.ISBN, isbn13=code, gtin14=code.zfill(14), gtin_format="EAN-13"
            )
        return replace(template, kind=CodeKind.GTIN, gtin14=code.zfill(14), gtin_format=_FORMAT[length])
    name = "ISBN-13" if length == 13 and _is_isbn13_prefix(code) else _SPOKEN[length]
    return replace(
        template,
        kind=CodeKind.INVALID,
        gtin_format=_FORMAT[length],
        reason=check_digit_reason(name, code),
    )


def _read_eight(code: str, symbology: str | None, template: Classification) -> Classification:
    ean8_ok = has_valid_check_digit(code)
    upc_a = expand_upc_e(code) if symbology != "]E4" else None  # ]E4 is EAN-8 for certain
    upc_e_ok = upc_a is not None and has_valid_check_digit(upc_a)
    as_upc_e = replace(template, kind=CodeKind.GTIN, gtin14=(upc_a or "").zfill(14), gtin_format="UPC-E")
    if upc_e_ok and (symbology == "]E0" or not ean8_ok):
        # ]E0 with eight digits is UPC-E (EAN-8 is sent as ]E4).
        return as_upc_e
    if ean8_ok:
        notes: tuple[str, ...] = ()
        if upc_e_ok:
            notes = (f"also a valid UPC-E (UPC-A {upc_a}); read as EAN-8",)
        return replace(template, kind=CodeKind.GTIN, gtin14=code.zfill(14), gtin_format="GTIN-8", notes=notes)
    if upc_a is not None and symbology == "]E0":
        reason = check_digit_reason("UPC-E", upc_a)
    else:
        reason = check_digit_reason("EAN-8", code)
        if upc_a is not None:
            reason += f" (and it is not a valid UPC-E either: expected {gs1_check_digit(upc_a[:-1])})"
    return replace(template, kind=CodeKind.INVALID, gtin_format="GTIN-8", reason=reason)


def read_isbn(payload: str, template: Classification) -> Classification | None:
    """Classify ``payload`` as an ISBN-10/13 in any of its written forms, or ``None``.

    Bare 13-digit ISBNs never get here: they are EAN-13s (see :func:`read_gtin`).
    """
    label = _ISBN_LABEL.match(payload)
    body = payload[label.end() :] if label else payload
    if len(body) > _ISBN_MAX_WRITTEN or not _ISBN_BODY.fullmatch(body):
        return None
    groups = re.split(r"[- ]", body)
    compact = "".join(groups).upper()
    # Written with separators but not labelled: only the ISBN's own grouping counts (4
    # groups for ISBN-10, 5 for ISBN-13, one-character check digit group), so a part
    # number like 123-456-7890 is left alone.
    isbn_grouping = len(groups) == (4 if len(compact) == 10 else 5) and len(groups[-1]) == 1
    if not label and len(groups) > 1 and not isbn_grouping:
        return None
    if len(compact) == 13 and "X" not in compact:
        if not _is_isbn13_prefix(compact):
            if label:
                return replace(template, kind=CodeKind.INVALID, reason="an ISBN-13 starts with 978 or 979")
            return None
        if has_valid_check_digit(compact):
            return replace(
                template, kind=CodeKind.ISBN, isbn13=compact, gtin14=compact.zfill(14), gtin_format="EAN-13"
            )
        return replace(template, kind=CodeKind.INVALID, reason=check_digit_reason("ISBN-13", compact))
    if len(compact) != 10 or "X" in compact[:9]:
        if label:
            return replace(template, kind=CodeKind.INVALID, reason="an ISBN has 10 or 13 characters")
        return None
    if isbn10_is_valid(compact):
        isbn13 = isbn10_to_isbn13(compact)
        return replace(
            template, kind=CodeKind.ISBN, isbn13=isbn13, gtin14=isbn13.zfill(14), notes=(f"ISBN-10 {compact}",)
        )
    if not label and len(groups) == 1 and compact.isdigit():
        return None  # a bare ten-digit number: a serial or part number as likely as an ISBN
    reason = f"ISBN-10 check digit is wrong: expected {_isbn10_expected(compact)}, got {compact[-1]}"
    return replace(template, kind=CodeKind.INVALID, reason=reason)


def read_with_add_on(code: str, template: Classification) -> Classification | None:
    """``]E3``: an EAN/UPC followed by its 2- or 5-digit add-on (price, issue number)."""
    for main_length in (13, 8):
        add_on = len(code) - main_length
        if add_on in (2, 5):
            found = read_gtin(code[:main_length], "]E0" if main_length == 8 else None, template)
            return replace(found, notes=(*found.notes, f"add-on {code[main_length:]}"))
    return None
