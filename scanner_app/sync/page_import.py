"""Writing what the cloud inventory sent into the embedded store, one transaction per
page, through the same importer as catalogue files.

A file import is all or nothing; a page from Zoho is not: one item Zoho accepted but the
station cannot (a GTIN with a wrong check digit, a SKU another stored item has) must not
keep the other 199 items of its page, or the whole catalogue, out of the store. So the
records the importer names in its problems are set aside as :class:`SkippedRecord` (with
the importer's reasons) and the rest of the page is imported again; when the importer
cannot say which record is at fault, the page goes in record by record.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from scanner_app.inventory.importer import ImportFailed, ImportReport, import_document
from scanner_app.inventory.store import InventoryStore

MAX_ROUNDS = 8  # then record by record: a page whose every fix uncovers a new problem
# as the importer reads them
SECTION_ORDER = ("warehouses", "bins", "items", "composite_items", "batches", "serial_numbers")

_ID_FIELDS = ("composite_item_id", "item_id", "serialnumber_id", "batch_id", "bin_id", "warehouse_id")
_LABEL_FIELDS = ("name", "serialnumber", "serial_number", "batch_number", "sku", "code")


@dataclass(frozen=True)
class SkippedRecord:
    """A record the store could not take, and why (the importer's words)."""

    section: str  # items, composite_items, serial_numbers, batches
    record_id: str
    label: str
    reasons: tuple[str, ...]
    record: Any = field(default=None, repr=False, compare=False)  # as received, to try again later

    def describe(self) -> str:
        what = f"{self.label} ({self.record_id})" if self.label else self.record_id or "a record"
        return f"{self.section}: {what}: {'; '.join(self.reasons)}"

    def to_json(self) -> dict[str, Any]:
        return {"section": self.section, "id": self.record_id, "label": self.label, "reasons": list(self.reasons)}


def _field(record: Any, names: Sequence[str]) -> str:
    if not isinstance(record, Mapping):
        return ""
    for name in names:
        value = record.get(name)
        if value not in (None, ""):
            return str(value)
    return ""


def skipped(section: str, record: Any, reasons: Sequence[str]) -> SkippedRecord:
    return SkippedRecord(section, _field(record, _ID_FIELDS), _field(record, _LABEL_FIELDS), tuple(reasons), record)


def add_reports(a: ImportReport, b: ImportReport) -> ImportReport:
    return ImportReport(**{f.name: getattr(a, f.name) + getattr(b, f.name) for f in dataclasses.fields(a)})


Document = dict[str, list[Any]]


def import_records(
    store: InventoryStore, document: Mapping[str, Sequence[Any]]
) -> tuple[ImportReport, list[SkippedRecord]]:
    """Import ``document`` (array keys as :func:`import_document` takes them) in one
    transaction, leaving out the records it cannot take; returns what was imported and
    what was left out."""
    pending: Document = {key: list(records) for key, records in document.items() if records}
    left_out: list[SkippedRecord] = []
    for _ in range(MAX_ROUNDS):
        if not pending:
            return ImportReport(), left_out
        try:
            return import_document(store, pending, from_inventory_system=True), left_out
        except ImportFailed as failed:
            blamed = _blamed_rows(pending, failed)
        if not blamed:
            break
        for key, rows in blamed.items():
            left_out.extend(skipped(key, pending[key][row], reasons) for row, reasons in sorted(rows.items()))
            pending[key] = [record for row, record in enumerate(pending[key]) if row not in rows]
        pending = {key: records for key, records in pending.items() if records}
    report, more = _one_by_one(store, pending)
    return report, left_out + more


def _blamed_rows(pending: Document, failed: ImportFailed) -> dict[str, dict[int, list[str]]]:
    """section -> row -> reasons, for the problems that name a record of ``pending``."""
    blamed: dict[str, dict[int, list[str]]] = {}
    for problem in failed.problems:
        records = pending.get(problem.section)
        if records is not None and 0 <= problem.row < len(records):
            blamed.setdefault(problem.section, {}).setdefault(problem.row, []).append(problem.reason)
    return blamed


def _one_by_one(store: InventoryStore, pending: Document) -> tuple[ImportReport, list[SkippedRecord]]:
    report, left_out = ImportReport(), []
    for key in sorted(pending, key=lambda k: SECTION_ORDER.index(k) if k in SECTION_ORDER else len(SECTION_ORDER)):
        for record in pending[key]:
            try:
                report = add_reports(report, import_document(store, {key: [record]}, from_inventory_system=True))
            except ImportFailed as failed:
                left_out.append(skipped(key, record, [p.reason for p in failed.problems]))
    return report, left_out
