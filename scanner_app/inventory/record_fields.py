"""Reading one record of a catalogue file (a JSON object or a CSV row) field by field,
turning Zoho's loose values into checked ones, and saying precisely what is wrong.

Zoho sends ids and codes as strings or as JSON numbers, quantities as numbers or ``""``,
booleans as ``true``/``false``; CSV exports say ``TRUE``/``Yes``. A :class:`FieldReader`
accepts all of those, and for anything else records a problem naming the field and the
value (``bad date in expiry_date: '31/12/2030' (expected YYYY-MM-DD)``) and returns a
harmless default, so one pass over a file finds every problem in it.

Every text and quantity is held to :mod:`~scanner_app.inventory.input_limits` (length,
forbidden control and invisible characters, finite quantities from 0 to a billion): a
value outside them is a problem naming the field, never a row written.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from typing import Any

from scanner_app.codes.gtin import gs1_check_digit, isbn10_is_valid
from scanner_app.inventory.code_keys import catalogue_gtin_keys
from scanner_app.inventory.input_limits import (
    TextKind,
    quantity_problem,
    quoted,
    text_problem,
)

_TRUE = {"true", "yes", "y", "1", "t"}
_FALSE = {"false", "no", "n", "0", "f"}
STATUSES = ("active", "inactive")
# JSON numbers lose leading zeros: pad back to the field's printed length.
_NUMERIC_WIDTH = {"upc": 12, "ean": 13}
# Fields that are names or prose; every other text field is a code (ids, SKUs, numbers).
_TEXT_KINDS = {
    "name": TextKind.NAME, "warehouse_name": TextKind.NAME, "location_name": TextKind.NAME,
    "storage_location_name": TextKind.NAME, "bin_name": TextKind.NAME, "unit": TextKind.NAME,
    "description": TextKind.LONG_TEXT,
}


class FieldReader:
    """Checked access to the fields of ``record``; problems go to ``self.problems``."""

    def __init__(self, record: Mapping[str, Any]) -> None:
        self.record = record
        self.problems: list[str] = []
        self.refused: set[str] = set()  # fields holding a value outside the limits (said in problems)

    def problem(self, reason: str) -> None:
        self.problems.append(reason)

    def _first(self, names: tuple[str, ...]) -> tuple[str, Any]:
        for name in names:
            value = self.record.get(name)
            if value is not None and value != "":
                return name, value
        return names[0], None

    def has(self, *names: str) -> bool:
        return any(name in self.record for name in names)

    def given(self, *names: str) -> bool:
        """True when one of ``names`` holds a value (not missing, null or empty)."""
        return any(self.record.get(name) not in (None, "") for name in names)

    def text(self, *names: str, required: bool = False) -> str | None:
        """A string field (ids, names, codes); numbers are accepted and written out.

        The first of ``names`` holding something wins (Zoho's aliases: ``location_id``
        or ``warehouse_id``); white space around the value is dropped.
        """
        for name in names:
            value = self.record.get(name)
            if type(value) is str:  # the common case, kept fast for big imports
                value = value.strip()
                if value:
                    return self._checked_text(name, value)
                continue
            if value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                self.problem(f"{name} must be text, not {type(value).__name__}")
                return None
            if isinstance(value, float):
                if not math.isfinite(value):
                    self.problem(f"{name} must be text, not the number {value}")
                    return None
                return str(int(value)) if value.is_integer() else repr(value)
            return self._checked_text(name, str(value))
        if required:
            self.problem(f"missing {names[0]}")
        return None

    def _checked_text(self, name: str, value: str) -> str | None:
        problem = text_problem(value, name, _TEXT_KINDS.get(name, TextKind.CODE))
        if problem is not None:
            self.problem(problem)
            self.refused.add(name)
            return None
        return value

    def boolean(self, *names: str, default: bool = False) -> bool:
        name, value = self._first(names)
        if value is None:
            return default
        if isinstance(value, bool):
            return value
        if isinstance(value, int) and value in (0, 1):
            return bool(value)
        word = str(value).strip().lower()
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
        self.problem(f"bad boolean in {name}: {quoted(value)} (expected true or false)")
        return default

    def date(self, *names: str) -> str | None:
        """An ISO ``YYYY-MM-DD`` date, or None when empty."""
        name, value = self._first(names)
        if value is None:
            return None
        text = str(value).strip()
        try:
            if len(text) != 10:
                raise ValueError
            return dt.date.fromisoformat(text).isoformat()
        except ValueError:
            self.problem(f"bad date in {name}: {quoted(value)} (expected YYYY-MM-DD)")
            return None

    def quantity(self, *names: str, default: float = 0.0, negative_allowed: bool = False) -> float:
        name, value = self._first(names)
        if value is None:
            return default
        number = _number(value)
        if number is None:
            self.problem(f"bad number in {name}: {quoted(value)}")
            return default
        problem = quantity_problem(number, name, negative_allowed=negative_allowed)
        if problem is not None:
            self.problem(problem)
            return default
        return number

    def status(self, *names: str) -> str:
        name, value = self._first(names)
        if value is None:
            return "active"
        word = str(value).strip().lower()
        if word not in STATUSES:
            self.problem(f"bad {name}: {quoted(value)} (expected active or inactive)")
            return "active"
        return word

    def gtin(self, name: str) -> tuple[str | None, list[str]]:
        """A ``upc``/``ean``/``isbn`` value as written, and its GTIN-14 lookup keys."""
        value = self.record.get(name)
        if value is None or value == "":
            return None, []
        text: str | None
        if isinstance(value, int) and not isinstance(value, bool):
            width = _NUMERIC_WIDTH.get(name, 10 if value < 10**10 else 13)
            text = str(value).zfill(width)
        else:
            text = self.text(name)
        if text is None:
            return None, []
        keys = catalogue_gtin_keys(name, text)
        if not keys:
            self.problem(gtin_reason(name, text))
        return text, keys


def _number(value: Any) -> float | None:
    """A float from a JSON number or numeric text (NaN and infinity included, for the
    quantity check to name); None for anything else."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return None
    try:
        return float(value)
    except (ValueError, OverflowError):
        return None


def gtin_reason(name: str, text: str) -> str:
    """Why ``text`` in catalogue field ``name`` is not a GTIN/ISBN, in specific words."""
    compact = "".join(ch for ch in text if ch not in " -")
    if compact.isdigit() and compact.isascii() and len(compact) in (8, 12, 13, 14):
        expected = gs1_check_digit(compact[:-1])
        return f"bad GTIN check digit in {name}: {text!r} (the check digit should be {expected})"
    if name == "isbn" and len(compact) == 10 and not isbn10_is_valid(compact):
        return f"bad ISBN-10 check digit in isbn: {text!r}"
    hint = " (a spreadsheet may have turned it into a number)" if "e+" in compact.lower() else ""
    return f"{name} {text!r} is not a GTIN (8, 12, 13 or 14 digits){hint}"
