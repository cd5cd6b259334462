"""Importing a catalogue file into the embedded inventory: ``import_file(store, path)``.

Two formats:

* JSON in the Zoho Inventory API's shapes: an object holding any of ``items``,
  ``composite_items``, ``batches``, ``serial_numbers``, ``warehouses`` (or
  ``locations``) and ``bins`` (or ``storage_locations``) arrays, or one record under
  ``item``, ``composite_item``, ``batch``, ``serial_number`` as a Zoho "retrieve"
  response has it. Other keys (``code``, ``message``, ``page_context``) are ignored.
  ``packcloud_products`` links Pack.cloud products to items (``{product_id, item_id}``
  or the item's ``sku``/``gtin``/``part_number`` instead of ``item_id``; see
  :mod:`scanner_app.inventory.product_link_reader`).
  The fields of each shape are listed in :mod:`scanner_app.inventory.catalogue_reader`.
* CSV of items: a header row with Zoho's field names (``name, sku, upc, ean, isbn,
  part_number, unit, status, description, track_serial_number, track_batch_number,
  item_id``); headers are matched case-insensitively with spaces as underscores, so
  Zoho's export headers ("Item Name", "Part Number", "Item ID") work too. Comma,
  semicolon or tab separated; UTF-8 with or without BOM.

One transaction per file: every record is checked first, and if anything is wrong
:class:`ImportFailed` lists every problem with where it is (``items[3]`` for JSON,
0-based as the array index; ``row 3`` for CSV, counting data rows from 1) and nothing of
the file is written. Codes that would name two items (the same GTIN or SKU on two
items, in the file or already in the store) are problems too. Importing a record again
updates it.

What a file may hold is bounded (:mod:`~scanner_app.inventory.input_limits`): a JSON
number too long, nesting too deep, a lone surrogate, a CSV field over the csv module's
limit are refused in words (where they are, when that can be told), like any other
problem, never a traceback.
"""

from __future__ import annotations

import csv
import io
import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scanner_app.codes.display import visible
from scanner_app.inventory.catalogue_json import (
    CatalogueJsonRefused,
    parse_catalogue_json,
)
from scanner_app.inventory.catalogue_reader import CatalogueReader, Position
from scanner_app.inventory.catalogue_rows import Problem
from scanner_app.inventory.catalogue_writer import write_catalogue
from scanner_app.inventory.existing import ExistingCatalogue
from scanner_app.inventory.store import InventoryStore

__all__ = ["ImportFailed", "ImportReport", "Problem", "import_document", "import_file"]

# File key -> (section, whether it holds one record instead of an array)
_SECTIONS: dict[str, tuple[str, bool]] = {
    "warehouses": ("warehouses", False), "locations": ("warehouses", False),
    "warehouse": ("warehouses", True), "location": ("warehouses", True),
    "bins": ("bins", False), "storage_locations": ("bins", False),
    "bin": ("bins", True), "storage_location": ("bins", True),
    "items": ("items", False), "item": ("items", True),
    "composite_items": ("composite_items", False), "composite_item": ("composite_items", True),
    "batches": ("batches", False), "batch": ("batches", True),
    "serial_numbers": ("serial_numbers", False), "serial_number": ("serial_numbers", True),
    "packcloud_products": ("packcloud_products", False),
}
_ORDER = ("warehouses", "bins", "items", "composite_items", "batches", "serial_numbers", "packcloud_products")
_CSV_ALIASES = {"item_name": "name", "product_name": "name", "serial_tracking": "track_serial_number",
                "batch_tracking": "track_batch_number", "usage_unit": "unit"}
MAX_LISTED_PROBLEMS = 5


class ImportFailed(Exception):
    """Nothing was imported; ``problems`` says every reason, and where."""

    def __init__(self, problems: Sequence[Problem], path: Path | None = None) -> None:
        self.problems = list(problems)
        self.path = path
        shown = "; ".join(str(p) for p in self.problems[:MAX_LISTED_PROBLEMS])
        more = len(self.problems) - MAX_LISTED_PROBLEMS
        suffix = f" (and {more} more)" if more > 0 else ""
        super().__init__(f"nothing imported, {len(self.problems)} problem(s): {shown}{suffix}")


@dataclass(frozen=True)
class ImportReport:
    """How many of each kind one file added or updated."""

    items: int = 0
    composite_items: int = 0
    warehouses: int = 0
    bins: int = 0
    stock_lines: int = 0
    batches: int = 0
    serial_numbers: int = 0
    packcloud_products: int = 0

    def to_json(self) -> dict[str, int]:
        counts = {
            "items": self.items, "composite_items": self.composite_items, "warehouses": self.warehouses,
            "bins": self.bins, "stock_lines": self.stock_lines, "batches": self.batches,
            "serial_numbers": self.serial_numbers,
        }
        if self.packcloud_products:  # only files that link Pack.cloud products say so
            counts["packcloud_products"] = self.packcloud_products
        return counts


Section = tuple[str, str, Sequence[Any], Sequence[Position] | None]  # section, key, records, positions


def import_file(store: InventoryStore, path: Path | str) -> ImportReport:
    """Import one JSON or CSV catalogue file, all or nothing. Raises :class:`ImportFailed`
    for any problem in the file and ``OSError`` when it cannot be read."""
    path = Path(path)
    data = path.read_bytes()
    try:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ImportFailed([Problem("file", 0, f"the file is not UTF-8 text (byte {exc.start})")]) from None
        suffix = path.suffix.lower()
        is_csv = suffix in (".csv", ".tsv") or (suffix != ".json" and not text.lstrip().startswith(("{", "[")))
        return _import(store, _csv_sections(text) if is_csv else _json_sections(text))
    except ImportFailed as exc:
        exc.path = path
        raise


def import_document(store: InventoryStore, document: Mapping[str, Any], *,
                    from_inventory_system: bool = False) -> ImportReport:
    """Import an already parsed Zoho-shaped JSON object (see :func:`import_file`).
    ``from_inventory_system``: the records are a sync's (Zoho's own figures), whose stock on
    hand may be below zero; a person's file may not hold negative stock."""
    return _import(store, _document_sections(document), negative_stock=from_inventory_system)


def _json_sections(text: str) -> list[Section]:
    try:
        document = parse_catalogue_json(text)
    except CatalogueJsonRefused as exc:
        raise ImportFailed([Problem("file", 0, str(exc))]) from None
    if not isinstance(document, Mapping):
        raise ImportFailed([Problem("file", 0, 'expected a JSON object such as {"items": [...]}')])
    return _document_sections(document)


def _document_sections(document: Mapping[str, Any]) -> list[Section]:
    sections: list[Section] = []
    problems: list[Problem] = []
    for key, value in document.items():
        if key not in _SECTIONS:
            continue
        section, single = _SECTIONS[key]
        if single:
            value = [value]
        if not isinstance(value, list):
            problems.append(Problem("file", 0, f'"{key}" must be an array, not {type(value).__name__}'))
            continue
        sections.append((section, key, value, None))
    if problems:
        raise ImportFailed(problems)
    if not sections:
        keys = ("items, composite_items, serial_numbers, batches, warehouses (locations), bins (storage_locations), "
                "packcloud_products")
        raise ImportFailed([Problem("file", 0, f"nothing to import: the file has none of {keys}")])
    sections.sort(key=lambda s: _ORDER.index(s[0]))
    return sections


def _csv_sections(text: str) -> list[Section]:
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return _csv_records(reader)
    except csv.Error as exc:  # a field over csv.field_size_limit(), a NUL, a broken quote
        why = (f"a field is longer than {csv.field_size_limit():,} characters" if "field limit" in str(exc)
               else str(exc))
        problem = Problem("file", 0, f"the CSV file cannot be read at line {reader.line_num}: {why}")
        raise ImportFailed([problem]) from None


def _csv_records(reader: Any) -> list[Section]:
    header = next(reader, None)
    if not header:
        raise ImportFailed([Problem("file", 0, "the CSV file is empty (expected a header row)")])
    names = [_CSV_ALIASES.get(n, n) for n in (h.strip().lower().replace(" ", "_").replace("-", "_") for h in header)]
    if "name" not in names:
        has = visible(", ".join(header), 200)
        raise ImportFailed([Problem("csv", 0, f"no 'name' column (it has: {has})", 1)])
    records: list[dict[str, str]] = []
    positions: list[Position] = []
    for cells in reader:
        if not any(cell.strip() for cell in cells):
            continue  # blank line
        records.append({n: c for n, c in zip(names, cells, strict=False) if n})
        positions.append((len(records), reader.line_num))
    return [("items", "csv", records, positions)]


def _import(store: InventoryStore, sections: list[Section], *, negative_stock: bool = False) -> ImportReport:
    try:
        with store.transaction(verified=True) as conn:  # never "imported" into a damaged file
            existing = ExistingCatalogue(conn)
            reader = CatalogueReader(existing, negative_stock=negative_stock)
            for section, key, records, positions in sections:
                reader.read_section(section, key, records, positions)
            reader.finish()
            if reader.problems:
                raise ImportFailed(reader.problems)
            stock_lines = write_catalogue(conn, reader.rows, fresh=existing.empty)
    except sqlite3.IntegrityError as exc:  # a constraint the reading pass did not foresee
        raise ImportFailed([Problem("file", 0, f"the inventory refused the file: {exc}")]) from exc
    rows = reader.rows
    kits = sum(1 for i in rows.items.values() if i.is_composite)
    return ImportReport(
        items=len(rows.items) - kits, composite_items=kits, warehouses=len(rows.warehouses),
        bins=len(rows.bins), stock_lines=stock_lines, batches=len(rows.batches),
        serial_numbers=len(rows.serials), packcloud_products=len(rows.product_links),
    )
