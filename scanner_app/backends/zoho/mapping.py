"""Zoho Inventory JSON into the core's models: the one place where that happens.

Values are read with the importer's :class:`~scanner_app.inventory.record_fields.FieldReader`
and the same field names and aliases as its reading pass
(:mod:`~scanner_app.inventory.catalogue_reader`), so an item that reaches the station
through the API reads exactly like one imported from a Zoho JSON file: ids sent as JSON
numbers become text, ``upc``/``ean`` numbers get their leading zeros back, GTINs get
their GTIN-14 key. Catalogue sync can also hand raw pages straight to
:func:`scanner_app.inventory.importer.import_document`.

A record without what identifies it (an id, a name, a serial or batch number) raises
:class:`UnexpectedResponse`; a bad optional value (a date Zoho should not have sent, a
UPC with a wrong check digit) is logged and left out.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from scanner_app.backends.errors import UnexpectedResponse
from scanner_app.backends.zoho.payloads import Bundle, BundleLine
from scanner_app.inventory.models import Batch, Item, MappedItem, SerialNumber, StockLine
from scanner_app.inventory.place_fields import named_place, stock_entries
from scanner_app.inventory.record_fields import FieldReader

log = logging.getLogger(__name__)


def _reader(record: Any, what: str, item_id: str | None = None) -> FieldReader:
    """A reader of ``record``; ``item_id`` stands in when the record leaves it out (the
    list of one item's serials or batches)."""
    if not isinstance(record, Mapping):
        raise UnexpectedResponse(f"Zoho's {what} record is not an object", backend="Zoho Inventory")
    if item_id is not None and record.get("item_id") in (None, ""):
        record = {**record, "item_id": item_id}
    return FieldReader(record)


def _identity(r: FieldReader, what: str, *fields: tuple[str, ...]) -> list[str]:
    """The values of the fields that identify a record (each the first of its aliases
    that holds one); UnexpectedResponse when one is missing."""
    values = [r.text(*aliases, required=True) for aliases in fields]
    present = [value for value in values if value is not None]
    if len(present) < len(values):
        raise UnexpectedResponse(f"Zoho's {what} record is unusable: {'; '.join(r.problems)}",
                                 backend="Zoho Inventory")
    return present


def _report(reader: FieldReader, what: str, record_id: str) -> None:
    for problem in reader.problems:
        log.warning("Zoho %s %s: %s (left out)", what, record_id, problem)


def item_from_zoho(record: Any) -> Item:
    """An item from ``items``, ``item`` or ``itemdetails``, or a composite item (kit)
    from ``composite_items``/``composite_item`` (its ``composite_item_id`` is its id)."""
    r = _reader(record, "item")
    composite = r.given("composite_item_id")
    item_id, name = _identity(r, "item", ("composite_item_id", "item_id") if composite else ("item_id",), ("name",))
    upc, upc_keys = r.gtin("upc")
    ean, ean_keys = r.gtin("ean")
    isbn, isbn_keys = r.gtin("isbn")
    gtin_keys = list(dict.fromkeys(upc_keys + ean_keys + isbn_keys))
    mapped = _mapped_items(r, item_id)
    item = Item(
        item_id=item_id, name=name, sku=r.text("sku"), upc=upc, ean=ean, isbn=isbn,
        part_number=r.text("part_number"), unit=r.text("unit"), status=r.status("status"),
        description=r.text("description"),
        track_serial_number=r.boolean("track_serial_number"),
        track_batch_number=r.boolean("track_batch_number"),
        is_composite=composite or r.boolean("is_combo_product", "is_composite") or bool(mapped),
        gtin14=gtin_keys[0] if gtin_keys else None,
        stock=_stock(r), mapped_items=mapped,
    )
    _report(r, "item", item_id)
    return item


def _mapped_items(r: FieldReader, item_id: str) -> tuple[MappedItem, ...]:
    entries = r.record.get("mapped_items")
    if not isinstance(entries, list):
        return ()
    mapped = []
    for entry in entries:
        m = _reader(entry, f"component of composite item {item_id}")
        [component_id] = _identity(m, f"component of composite item {item_id}", ("item_id",))
        mapped.append(MappedItem(
            item_id=component_id, name=m.text("name") or component_id,
            quantity=m.quantity("quantity", default=1.0), sku=m.text("sku"),
        ))
    return tuple(mapped)


def _stock(r: FieldReader) -> tuple[StockLine, ...]:
    """Stock per warehouse and bin, by the one place rule (``inventory.place_fields``)."""
    lines: list[StockLine] = []
    for entry in stock_entries(r, negative_allowed=True):  # Zoho's own figures
        place = entry.place
        if place.warehouse_id is None:
            continue
        lines.append(StockLine(place.warehouse_id, place.warehouse_name or place.warehouse_id, entry.quantity,
                               bin_id=place.bin_id, bin_code=place.label if place.bin_id else None))
    return tuple(lines)


def _place(r: FieldReader) -> tuple[str | None, str | None]:
    """(warehouse_id, bin_id) by the one place rule: ``location_id`` is the bin when
    ``warehouse_id`` is given too, and the warehouse when not."""
    place = named_place(r)
    return place.warehouse_id, place.bin_id


def serial_from_zoho(record: Any, item_id: str | None = None) -> SerialNumber:
    """A serial number from ``serial_numbers``/``serial_number``; ``item_id`` for lists
    that leave it out (the list of one item's serials)."""
    r = _reader(record, "serial number", item_id)
    serial_id, number, owner = _identity(r, "serial number", ("serialnumber_id",),
                                         ("serialnumber", "serial_number", "code"), ("item_id",))
    warehouse_id, bin_id = _place(r)
    serial = SerialNumber(
        serialnumber_id=serial_id, serialnumber=number, item_id=owner, status=r.status("status"),
        is_transacted_out=r.boolean("is_transacted_out"), warehouse_id=warehouse_id,
        warehouse_name=named_place(r).warehouse_name, bin_id=bin_id,
        bin_code=named_place(r).label,
        batch_id=r.text("batch_id"),
    )
    _report(r, "serial number", serial_id)
    return serial


def batch_from_zoho(record: Any, item_id: str | None = None) -> Batch:
    """A batch from ``batches``/``batch``; ``item_id`` for lists that leave it out."""
    r = _reader(record, "batch", item_id)
    batch_id, number, owner = _identity(r, "batch", ("batch_id",), ("batch_number",), ("item_id",))
    warehouse_id, bin_id = _place(r)
    batch = Batch(
        batch_id=batch_id, item_id=owner, batch_number=number,
        manufacturer_batch_number=r.text("manufacturer_batch_number", "external_batch_number"),
        manufactured_date=r.date("manufactured_date", "manufacturer_date"),
        expiry_date=r.date("expiry_date"), balance_quantity=r.quantity("balance_quantity"),
        status=r.status("status"), warehouse_id=warehouse_id, bin_id=bin_id,
    )
    _report(r, "batch", batch_id)
    return batch


def bundle_from_zoho(record: Any) -> Bundle:
    """An assembly from ``bundles``/``bundle`` (or the top level of a create answer)."""
    r = _reader(record, "assembly")
    bundle_id, composite_id = _identity(r, "assembly", ("bundle_id",), ("composite_item_id",))
    lines = []
    entries = r.record.get("line_items")
    for entry in entries if isinstance(entries, list) else []:
        line = _reader(entry, f"line of assembly {bundle_id}")
        [line_item_id] = _identity(line, f"line of assembly {bundle_id}", ("item_id",))
        lines.append(BundleLine(
            item_id=line_item_id, name=line.text("name") or line_item_id,
            quantity_consumed=line.quantity("quantity_consumed"), account_id=line.text("account_id"),
            location_id=line.text("location_id"), warehouse_id=line.text("warehouse_id"),
        ))
    bundle = Bundle(
        bundle_id=bundle_id, composite_item_id=composite_id,
        quantity_to_bundle=r.quantity("quantity_to_bundle"), status=r.text("status") or "",
        reference_number=r.text("reference_number"), transaction_number=r.text("transaction_number"),
        date=r.date("date"), warehouse_id=r.text("warehouse_id"), line_items=tuple(lines),
    )
    _report(r, "assembly", bundle_id)
    return bundle
