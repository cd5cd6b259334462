"""GTIN arithmetic: check digits, UPC-E expansion, ISBN-10 conversion, GTIN-14 form.

Every GTIN is matched in its 14-digit form, so a UPC-A, the same number printed as
EAN-13 with a leading zero, and an ITF-14 carrying the same GTIN find the same item.
"""

from __future__ import annotations


def gs1_check_digit(body: str) -> int:
    """The GS1 mod-10 check digit for ``body`` (all digits, without its check digit)."""
    total = 0
    for position, char in enumerate(reversed(body)):
        weight = 3 if position % 2 == 0 else 1
        total += int(char) * weight
    return (10 - total % 10) % 10


def has_valid_check_digit(code: str) -> bool:
    """True when ``code`` is all digits and its last digit is the GS1 check digit."""
    if len(code) < 2 or not code.isdigit() or not code.isascii():
        return False
    return gs1_check_digit(code[:-1]) == int(code[-1])


def expand_upc_e(code: str) -> str | None:
    """Expand an 8-digit UPC-E (number system 0 or 1, with check digit) to UPC-A.

    Returns ``None`` when ``code`` is not a UPC-E shape. The check digit is not verified
    here: the caller compares it against the expanded UPC-A.
    """
    if len(code) != 8 or not code.isdigit() or code[0] not in "01":
        return None
    ns, d, check = code[0], code[1:7], code[7]
    last = d[5]
    if last in "012":
        body = d[0:2] + last + "0000" + d[2:5]
    elif last == "3":
        body = d[0:3] + "00000" + d[3:5]
    elif last == "4":
        body = d[0:4] + "00000" + d[4]
    else:
        body = d[0:5] + "0000" + last
    return ns + body + check


def isbn10_is_valid(code: str) -> bool:
    """ISBN-10 mod-11 check (last character may be X)."""
    if len(code) != 10 or not code[:9].isdigit() or not code[:9].isascii():
        return False
    last = code[9].upper()
    if not (last.isdigit() or last == "X"):
        return False
    total = sum((10 - i) * int(c) for i, c in enumerate(code[:9]))
    total += 10 if last == "X" else int(last)
    return total % 11 == 0


def isbn10_to_isbn13(code: str) -> str:
    """Convert a valid ISBN-10 to its ISBN-13 (978 prefix, GS1 check digit)."""
    body = "978" + code[:9]
    return body + str(gs1_check_digit(body))


def to_gtin14(code: str) -> str | None:
    """The 14-digit GTIN for a valid GTIN-8/12/13/14, or ``None``.

    A 12-digit code is UPC-A; 13 is EAN-13; 14 is GTIN-14 (ITF-14); 8 is EAN-8. UPC-E is
    not guessed here (an 8-digit string is EAN-8 unless the caller knows it is UPC-E):
    use :func:`expand_upc_e` first.
    """
    code = code.strip()
    if len(code) not in (8, 12, 13, 14) or not has_valid_check_digit(code):
        return None
    return code.zfill(14)


def gtin14_for_catalogue(value: str | None) -> str | None:
    """Normalise a catalogue field (upc, ean, isbn) to GTIN-14, tolerating ISBN-10 and
    hyphens/spaces; ``None`` when the value is not a valid GTIN or ISBN."""
    if value is None:
        return None
    compact = "".join(ch for ch in str(value) if ch not in " -")
    if len(compact) == 10 and isbn10_is_valid(compact):
        return isbn10_to_isbn13(compact.upper()).zfill(14)
    return to_gtin14(compact)
