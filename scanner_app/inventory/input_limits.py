"""The limits on text and numbers that come from outside, stated once, with the reasons.

Catalogue files (``scanner-app import``, the window's import, a Zoho sync page), receipt
files and options (``scanner-app receive``) and the receive page check what they are
given against these before anything is recorded, and refuse with words naming the field:

* **Codes** (ids, SKUs, part numbers, GTIN fields, serial and batch numbers, bin codes):
  at most :data:`MAX_CODE_LENGTH` characters (a GS1 serial or batch is at most 20, a
  Code 128 label rarely holds 48; 200 leaves room for any system's ids). No control
  characters (C0, C1, DEL), no format characters (bidi overrides that make a code read
  backwards on screen, zero-width spaces, BOM), no line separators, no lone surrogates:
  a code holding one cannot be typed, printed on a label or told apart on screen.
* **Names** (item, warehouse and bin names, units): at most :data:`MAX_NAME_LENGTH`
  characters; the same characters forbidden, except the zero-width joiner and non-joiner,
  which scripts (Persian, Indic) and emoji need.
* **Long text** (an item's description): at most :data:`MAX_TEXT_LENGTH` characters; as
  names, and tab and line breaks allowed.
* **Quantities** (stock, batch balances, kit components, received quantities): finite
  (no NaN or infinity), not negative, at most :data:`MAX_QUANTITY` (one billion units of
  one item in one place: a warehouse never holds that; a bigger number is a typo or a
  spreadsheet's overflow, and would lose precision in sums).
* **JSON files**: nested at most :data:`MAX_NESTING` levels deep (a Zoho-shaped catalogue
  needs 7); a number at most :data:`MAX_NUMBER_DIGITS` digits long (Zoho's ids have 19;
  Python refuses integers over 4,300 digits with an exception, so longer ones are refused
  with words first).
* **CSV files**: a field at most ``csv.field_size_limit()`` (131,072) characters; the
  field checks above refuse long values far sooner.
"""

from __future__ import annotations

import math
import unicodedata
from enum import Enum
from typing import Any, Final

from scanner_app.codes.display import token

MAX_CODE_LENGTH: Final = 200
MAX_NAME_LENGTH: Final = 1_000
MAX_TEXT_LENGTH: Final = 10_000
MAX_QUANTITY: Final = 1_000_000_000
MAX_NESTING: Final = 32
MAX_NUMBER_DIGITS: Final = 100

# Cc: C0/C1 controls and DEL. Cf: format characters (bidi overrides and isolates, zero-width
# space, BOM, soft hyphen). Cs: lone surrogates. Zl/Zp: line and paragraph separators.
_FORBIDDEN_CATEGORIES: Final = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
_JOINERS: Final = frozenset("\u200c\u200d")  # zero-width non-joiner and joiner
_LINE_BREAKS: Final = frozenset("\t\n\r")
_QUOTED: Final = 40  # characters of a refused value quoted in a message


class TextKind(Enum):
    """What a text field is, which sets its length and the characters it may hold."""

    CODE = ("code", MAX_CODE_LENGTH)
    NAME = ("name", MAX_NAME_LENGTH)
    LONG_TEXT = ("text", MAX_TEXT_LENGTH)

    def __init__(self, word: str, max_length: int) -> None:
        self.word = word
        self.max_length = max_length


def forbidden_character(text: str, kind: TextKind = TextKind.CODE) -> tuple[int, str] | None:
    """``(position, character)`` of the first character ``kind`` may not hold, or None."""
    if text.isprintable():  # C speed; false for every forbidden character (and for some allowed ones)
        return None
    for position, char in enumerate(text):
        if unicodedata.category(char) not in _FORBIDDEN_CATEGORIES:
            continue
        if kind is not TextKind.CODE and char in _JOINERS:
            continue
        if kind is TextKind.LONG_TEXT and char in _LINE_BREAKS:
            continue
        return position, char
    return None


def text_problem(text: str, what: str, kind: TextKind = TextKind.CODE) -> str | None:
    """Why ``text`` (field ``what``) cannot be taken, in words; None when it can."""
    if len(text) > kind.max_length:
        return f"{what} is {len(text):,} characters long (at most {kind.max_length:,} for a {kind.word})"
    found = forbidden_character(text, kind)
    if found is not None:
        position, char = found
        sort = "control" if unicodedata.category(char) == "Cc" else "invisible"
        return (f"{what} holds the {sort} character {token(char)} at character {position + 1} "
                f"(not allowed in a {kind.word})")
    return None


def quantity_problem(value: float, what: str, *, negative_allowed: bool = False) -> str | None:
    """Why ``value`` (field ``what``) is not a usable quantity; None when it is.
    ``negative_allowed``: stock on hand as the inventory system reports it (Zoho Inventory
    shows negative stock when an organisation lets stock go below zero), never a quantity a
    person types or a file brings in."""
    if not math.isfinite(value):
        return f"{what} must be a finite number, not {value}"
    if abs(value) > MAX_QUANTITY:
        return f"{what} {value:g} is more than the most the station takes ({MAX_QUANTITY:,})"
    if value < 0 and not negative_allowed:
        return f"{what} must not be negative, not {value:g}"
    if value > MAX_QUANTITY:
        return f"{what} {value:g} is more than the most the station takes ({MAX_QUANTITY:,})"
    return None


def quoted(value: Any) -> str:
    """A refused value as a message quotes it: its repr (controls escaped), cut to a readable length."""
    if isinstance(value, str) and len(value) > _QUOTED:
        return repr(value[:_QUOTED]) + f"… ({len(value):,} characters)"
    if isinstance(value, (list, dict)):
        return f"a JSON {'array' if isinstance(value, list) else 'object'}"
    text = repr(value)
    return text if len(text) <= _QUOTED else text[:_QUOTED] + f"… ({len(text):,} characters)"
