"""A supplier's advance shipping notice as a CSV file, read into receipt rows. Qt-free.

The header row is ``item,batch,manufacturer_batch,manufactured,expiry,quantity,serial``
(any order; every column present, no others). ``item`` is any code of the item (SKU,
GTIN, part number); a row has either a ``batch`` (with its optional manufacturer batch,
dates as ``YYYY-MM-DD`` and quantity, default 1) or a ``serial`` (quantity empty or 1).
Empty cells are allowed where a field does not apply.

The whole file is checked before anything is recorded: :func:`read_rows` raises
:class:`FileRefused` listing every bad row with its row number (the header is row 1).
Codes and quantities are held to the stated limits
(:mod:`~scanner_app.inventory.input_limits`, through :mod:`.receiving_rules`); a file the
csv module cannot read (a field over its 131,072-character limit, a NUL) is refused
naming the line.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from scanner_app.workflows.receiving_rules import (
    BadField,
    check_code,
    parse_date,
    parse_quantity,
)

COLUMNS: Final = ("item", "batch", "manufacturer_batch", "manufactured", "expiry", "quantity", "serial")


class FileRefused(ValueError):
    """The file cannot be received; ``problems`` are the sentences, one per bad row."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class ReceiptRow:
    """One line to receive, as a file or the command line gives it."""

    row: int  # the row number in the file (1: the header); 0 for the command line
    item: str
    batch: str | None = None
    manufacturer_batch: str | None = None
    manufactured: str | None = None
    expiry: str | None = None
    quantity: float = 1.0
    serial: str | None = None

    @property
    def where(self) -> str:
        return f"row {self.row}" if self.row else "the command line"


def read_rows(path: Path) -> list[ReceiptRow]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as problem:
        raise FileRefused([f"{path} cannot be read: {problem}"]) from None
    return parse_rows(text)


def parse_rows(text: str) -> list[ReceiptRow]:
    reader = csv.reader(io.StringIO(text))
    try:
        return _rows(reader)
    except csv.Error as exc:  # a field over csv.field_size_limit(), a NUL, a broken quote
        why = (f"a field is longer than {csv.field_size_limit():,} characters" if "field limit" in str(exc)
               else str(exc))
        raise FileRefused([f"line {reader.line_num}: the file cannot be read: {why}"]) from None


def _rows(reader: Any) -> list[ReceiptRow]:
    header = [name.strip().lower() for name in next(reader, [])]
    missing = [c for c in COLUMNS if c not in header]
    extra = [c for c in header if c not in COLUMNS]
    if missing or extra or len(set(header)) != len(header):
        raise FileRefused([f"row 1: the header must be {','.join(COLUMNS)}"
                           + (f" (missing: {', '.join(missing)})" if missing else "")
                           + (f" (unknown: {', '.join(extra)})" if extra else "")])
    rows: list[ReceiptRow] = []
    problems: list[str] = []
    for number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue  # a blank line
        if len(cells) != len(header):
            problems.append(f"row {number}: {len(cells)} cells, the header has {len(header)}")
            continue
        values = {name: cell.strip() for name, cell in zip(header, cells, strict=False)}
        try:
            rows.append(checked_row(number, values))
        except BadField as bad:
            problems.append(f"row {number}: {bad}")
    if problems:
        raise FileRefused(problems)
    if not rows:
        raise FileRefused(["the file has no rows to receive"])
    return rows


def checked_row(number: int, values: dict[str, str | None]) -> ReceiptRow:
    """A row from its cells (empty: not given); BadField says what is wrong."""
    def cell(name: str) -> str | None:
        value = values.get(name)
        return value.strip() if value and value.strip() else None

    item, batch, serial = (check_code(cell(name), name) for name in ("item", "batch", "serial"))
    manufacturer_batch = check_code(cell("manufacturer_batch"), "manufacturer_batch")
    if item is None:
        raise BadField("the item is missing (any code of the item: SKU, GTIN, part number)")
    if batch and serial:
        raise BadField("give a batch or a serial number, not both")
    if not batch and not serial:
        raise BadField("a batch or a serial number is needed")
    quantity = parse_quantity(cell("quantity"))
    if serial and quantity != 1:
        raise BadField(f"a serial number is one unit, not {quantity:g}")
    if serial and any(cell(name) for name in ("manufacturer_batch", "manufactured", "expiry")):
        raise BadField("batch fields (manufacturer_batch, manufactured, expiry) do not go with a serial number")
    return ReceiptRow(number, item, batch, manufacturer_batch, parse_date(cell("manufactured"), "manufactured"),
                      parse_date(cell("expiry"), "expiry"), quantity, serial)
