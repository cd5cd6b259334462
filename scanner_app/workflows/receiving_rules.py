"""The rules of a received batch, and reading its fields from a GS1 label. Qt-free.

- Dates are ``YYYY-MM-DD``. A GS1 label carries them as ``YYMMDD`` (AI 11 manufactured,
  17 expiry): the century follows the GS1 General Specifications (7.12, a year at most
  49 years back or 50 ahead), and day ``00`` means the last day of that month
  (biip reads both).
- An expiry before the manufactured date is refused.
- An expiry already past, or within ``warning_days`` of today, is a warning: the line
  is taken only when a person confirms it (the window asks; the CLI needs
  ``--accept-expiring``).
- A quantity is a positive, finite number, at most a billion (a GS1 label's AI 30 or 37:
  a count).
- A batch number, manufacturer batch number, serial number or item code is a code as
  :mod:`~scanner_app.inventory.input_limits` says: at most 200 characters, no control or
  invisible characters (:func:`check_code`).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Literal

from biip import ParseError
from biip.gs1_element_strings import GS1ElementString

from scanner_app.inventory.input_limits import (
    TextKind,
    quantity_problem,
    quoted,
    text_problem,
)

DateVerdict = Literal["ok", "expired", "expiring_soon", "expiry_before_manufactured"]


class BadField(ValueError):
    """A field a person or a file gave cannot be used; ``str()`` says which and why."""


@dataclass(frozen=True)
class BatchFields:
    """What is received of one batch: its number, the manufacturer's, dates, quantity."""

    batch_number: str
    manufacturer_batch_number: str | None = None
    manufactured_date: str | None = None  # YYYY-MM-DD
    expiry_date: str | None = None  # YYYY-MM-DD
    quantity: float = 1.0

    def same_batch_details(self, other: BatchFields) -> bool:
        """Same number, manufacturer batch number and dates (quantity aside)."""
        return (self.batch_number, self.manufacturer_batch_number, self.manufactured_date, self.expiry_date) == (
            other.batch_number, other.manufacturer_batch_number, other.manufactured_date, other.expiry_date)


@dataclass(frozen=True)
class LabelFields:
    """What a GS1 label says about the goods it is on (None: not on the label)."""

    gtin: str | None
    batch_number: str | None
    manufactured_date: str | None
    expiry_date: str | None
    serialnumber: str | None
    quantity: float | None


@dataclass(frozen=True)
class DateCheck:
    verdict: DateVerdict
    message: str

    @property
    def refused(self) -> bool:
        return self.verdict == "expiry_before_manufactured"

    @property
    def needs_confirmation(self) -> bool:
        return self.verdict in ("expired", "expiring_soon")


def parse_date(text: str | None, what: str) -> str | None:
    """``YYYY-MM-DD`` (or empty: None); BadField naming ``what`` otherwise."""
    if text is None or not text.strip():
        return None
    try:
        return dt.date.fromisoformat(text.strip()).isoformat()
    except ValueError:
        raise BadField(f"{what} {quoted(text.strip())} is not a date: write it as YYYY-MM-DD") from None


def parse_quantity(text: str | float | None, what: str = "quantity") -> float:
    """A positive, finite quantity of at most ``MAX_QUANTITY`` (empty: 1)."""
    if text is None or (isinstance(text, str) and not text.strip()):
        return 1.0
    try:
        value = float(text)
    except (ValueError, OverflowError):
        raise BadField(f"{what} {quoted(text)} is not a number") from None
    return checked_quantity(value, what, shown=quoted(text))


def checked_quantity(value: float, what: str = "quantity", *, shown: str | None = None) -> float:
    """``value`` when it is a usable received quantity; BadField saying why not."""
    if not math.isfinite(value) or value <= 0:
        raise BadField(f"{what} must be more than 0, not {shown or f'{value:g}'}")
    problem = quantity_problem(value, what)
    if problem is not None:
        raise BadField(problem)
    return value


def check_code(text: str | None, what: str) -> str | None:
    """``text`` when it is a usable code (or None); BadField naming ``what`` otherwise."""
    if text is not None:
        problem = text_problem(text, what, TextKind.CODE)
        if problem is not None:
            raise BadField(problem)
    return text


def gs1_date(ai: str, value: str) -> str:
    """A GS1 date AI's ``YYMMDD`` as ``YYYY-MM-DD`` (day 00: the month's last day)."""
    try:
        element = GS1ElementString.extract(ai + value)
    except (ParseError, ValueError):
        element = None
    if element is None or element.date is None:
        raise BadField(f"the label's ({ai}) {value!r} is not a date (YYMMDD)")
    return element.date.isoformat()


def label_fields(gs1: dict[str, str]) -> LabelFields:
    """The receiving fields of a parsed GS1 label (AIs 01, 10, 11, 17, 21, 30, 37)."""
    count = gs1.get("30") or gs1.get("37")
    return LabelFields(
        gtin=gs1.get("01"),
        batch_number=gs1.get("10") or None,
        manufactured_date=gs1_date("11", gs1["11"]) if gs1.get("11") else None,
        expiry_date=gs1_date("17", gs1["17"]) if gs1.get("17") else None,
        serialnumber=gs1.get("21") or None,
        quantity=parse_quantity(count, "the label's count (30/37)") if count else None,
    )


def check_dates(manufactured: str | None, expiry: str | None, today: dt.date, warning_days: int) -> DateCheck:
    """The verdict on a batch's dates received ``today``."""
    if manufactured and expiry and expiry < manufactured:
        return DateCheck("expiry_before_manufactured",
                         f"the expiry {expiry} is before the manufactured date {manufactured}")
    if expiry:
        days = (dt.date.fromisoformat(expiry) - today).days
        if days < 0:
            return DateCheck("expired", f"expired on {expiry} ({-days} day{'s' if days != -1 else ''} ago)")
        if days <= warning_days:
            when = "today" if days == 0 else f"in {days} day{'s' if days != 1 else ''}"
            return DateCheck("expiring_soon", f"expires on {expiry} ({when}; the warning starts "
                             f"{warning_days} days before)")
    return DateCheck("ok", "")
