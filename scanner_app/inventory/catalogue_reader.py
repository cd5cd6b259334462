"""The importer's reading pass: Zoho-shaped records in, checked rows and problems out.

Nothing is written here. Every record of the file is read, every problem found is kept
with where it is, and the rows are only written (by ``catalogue_writer``) when there
are none. References (an item of a serial, the bin of a stock line, the component of a
kit) may point at something earlier or later in the same file, or already in the store.

Accepted shapes (one JSON file may hold several of these keys; they are read in this
order whatever their order in the file):

``warehouses`` / ``locations``
    ``{warehouse_id | location_id, warehouse_name | location_name | name}``
``bins`` / ``storage_locations``
    ``{bin_id | storage_location_id | storage_id, warehouse_id | location_id,
    code | bin_code | storage_location_code (default: the name),
    name | storage_location_name | bin_name}``
``items``
    Zoho item fields: ``item_id, name, sku, upc, ean, isbn, part_number, unit, status,
    description, track_serial_number, track_batch_number, is_combo_product``; an item
    whose record leaves tracking out is taken to track serials (batches) when the file
    gives it serial numbers (batches), and otherwise keeps the stored item's tracking. Stock in
    ``locations`` (or the older ``warehouses``): ``{location_id, location_name,
    location_stock_on_hand, storages: [{storage_location_id, storage_location_name,
    storage_location_code?, quantity}]}``, or one row per bin naming ``warehouse_id``
    and the bin as ``location_id`` (the one place rule:
    :mod:`~scanner_app.inventory.place_fields`). Stock in ``storages`` is stock in that bin;
    what the location holds beyond the storages' sum is stock in no bin. A location or
    storage not declared elsewhere is created from its name. Without ``item_id`` an id
    is made from the SKU (``sku:ABC``) or GTIN (``gtin:00012345678905``).
``composite_items``
    Zoho composite item fields (``composite_item_id`` is its item_id) with
    ``mapped_items: [{item_id, quantity}]``.
``batches``
    ``{batch_id?, item_id, batch_number, manufacturer_batch_number, manufactured_date,
    expiry_date, balance_quantity, status, location_id | warehouse_id,
    storage_location_id | bin_id}``
``serial_numbers``
    ``{serialnumber_id?, serialnumber | serial_number, item_id, status,
    is_transacted_out, batch_id, warehouse_id, storage_location_id | bin_id}``.
    As in Zoho's ``validateandmap``, ``location_id`` is the bin when ``warehouse_id`` is
    given, and the warehouse when it is not (or a known bin: see ``place_fields``).
``packcloud_products``
    ``{product_id, item_id | sku | gtin | upc | ean | isbn | part_number}``: which item a
    Pack.cloud product is (:mod:`~scanner_app.inventory.product_link_reader`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from scanner_app.inventory.catalogue_rows import (
    BatchRow,
    BinRow,
    CatalogueRows,
    ItemRow,
    MappedRow,
    Problem,
    SerialRow,
    WarehouseRow,
)
from scanner_app.inventory.code_keys import GTIN, SKU, text_key
from scanner_app.inventory.existing import ExistingCatalogue
from scanner_app.inventory.product_link_reader import ProductLinkReader
from scanner_app.inventory.record_fields import FieldReader
from scanner_app.inventory.stock_reader import StockReader

Position = tuple[int, int | None]  # (row, CSV line)


class CatalogueReader:
    def __init__(self, existing: ExistingCatalogue, *, negative_stock: bool = False) -> None:
        self.existing = existing
        self.rows = CatalogueRows()
        self.problems: list[Problem] = []
        self.places = StockReader(self.rows, existing, negative_stock=negative_stock)
        self.product_links = ProductLinkReader(self.rows, existing)
        self._where: dict[str, str] = {}  # item_id -> "items[3]"
        # (kind, key) -> (item_id, where, what): codes claimed by the file's items
        self._claims: dict[tuple[str, str], tuple[str, Problem, str]] = {}
        self._pending_kits: list[tuple[Problem, str, list[MappedRow]]] = []
        self._batch_numbers: dict[tuple[str, str], str] = {}
        self._serial_numbers: dict[tuple[str, str], str] = {}

    def read_section(
        self, section: str, key: str, records: Sequence[Any], positions: Sequence[Position] | None = None
    ) -> None:
        """Read the records of array ``key`` (canonical ``section`` name)."""
        read: Callable[[FieldReader, Problem], None] = {
            "warehouses": self._warehouse, "bins": self._bin, "items": self._item,
            "composite_items": self._composite, "batches": self._batch, "serial_numbers": self._serial,
            "packcloud_products": lambda fields, at: self.product_links.read(fields, at.row),
        }[section]
        for index, record in enumerate(records):
            row, line = positions[index] if positions else (index, None)
            at = Problem(key, row, "", line)
            if not isinstance(record, Mapping):
                self._report(at, [f"expected an object, not {type(record).__name__}"])
                continue
            fields = FieldReader(record)
            read(fields, at)
            self._report(at, fields.problems)

    def finish(self) -> None:
        """Checks that need the whole file: kit components, codes already in the store."""
        for at, kit_id, mapped in self._pending_kits:
            reasons = []
            for m in mapped:
                if m.item_id == kit_id:
                    reasons.append(f"mapped_items: the kit cannot contain itself ({m.item_id})")
                elif m.item_id not in self.rows.items and self.existing.item(m.item_id) is None:
                    reasons.append(f"mapped_items: unknown item_id {m.item_id!r}")
            self._report(at, reasons)
        for (kind, key), (item_id, at, what) in self._claims.items():
            for other in self.existing.code_owners(key, kind):
                if other != item_id and other not in self.rows.items:
                    stored = self.existing.item(other)
                    name = stored[0] if stored else other
                    self._report(at, [f"duplicate {what}: the stored item {name!r} (item_id {other}) has it already"])

    def _report(self, at: Problem, reasons: list[str]) -> None:
        self.problems.extend(Problem(at.section, at.row, reason, at.line) for reason in reasons)

    # -- sections ---------------------------------------------------------------------

    def _warehouse(self, r: FieldReader, at: Problem) -> None:
        warehouse_id = r.text("warehouse_id", "location_id", required=True)
        name = r.text("warehouse_name", "location_name", "name", required=True)
        if warehouse_id and name:
            self.rows.warehouses[warehouse_id] = WarehouseRow(warehouse_id, name)

    def _bin(self, r: FieldReader, at: Problem) -> None:
        bin_id = r.text("bin_id", "storage_location_id", "storage_id", required=True)
        warehouse_id = r.text("warehouse_id", "location_id", required=True)
        name = r.text("name", "storage_location_name", "bin_name")
        code = r.text("code", "bin_code", "storage_location_code") or name
        if code is None:
            r.problem("missing code (or name) of the bin")
        if bin_id and warehouse_id and code:
            if not self.places.warehouse_known(warehouse_id):
                r.problem(f"unknown warehouse_id {warehouse_id!r}")
            else:
                self.places.add_bin(r, BinRow(bin_id, warehouse_id, code, name or code))

    def _composite(self, r: FieldReader, at: Problem) -> None:
        self._item(r, at, composite=True)

    def _item(self, r: FieldReader, at: Problem, composite: bool = False) -> None:
        item_id = r.text("composite_item_id", "item_id") if composite else r.text("item_id")
        name = r.text("name", required=True)
        sku, part_number = r.text("sku"), r.text("part_number")
        upc, upc_keys = r.gtin("upc")
        ean, ean_keys = r.gtin("ean")
        isbn, isbn_keys = r.gtin("isbn")
        gtin_keys = list(dict.fromkeys(upc_keys + ean_keys + isbn_keys))
        if item_id is None:
            item_id = f"sku:{sku}" if sku else f"gtin:{gtin_keys[0]}" if gtin_keys else None
            if item_id is None:
                if not r.refused:  # else a refused sku or GTIN is the reason, said already
                    r.problem("missing item_id (and no sku or GTIN to make one from)")
                return
        if item_id in self._where:
            r.problem(f"item_id {item_id} appears twice (also {self._where[item_id]})")
            return
        self._where[item_id] = _label(at)
        claims = [(GTIN, k, f"GTIN {k}") for k in gtin_keys]
        if sku:
            claims.append((SKU, text_key(sku), f"sku {sku!r}"))
        for kind, key, what in claims:
            self._claim(r, kind, key, item_id, at, what)
        track_serial, track_batch = self._tracking(r, item_id)
        row = ItemRow(
            item_id=item_id, name=name or "", sku=sku, upc=upc, ean=ean, isbn=isbn,
            part_number=part_number, unit=r.text("unit"), status=r.status("status"),
            description=r.text("description"),
            track_serial_number=track_serial, track_batch_number=track_batch,
            is_composite=composite or r.boolean("is_combo_product", "is_composite"),
            gtin14=gtin_keys[0] if gtin_keys else None, gtin_keys=gtin_keys,
            serial_flag_given=r.given("track_serial_number"), batch_flag_given=r.given("track_batch_number"),
        )
        if r.has("locations", "warehouses"):
            row.stock = self.places.stock(r)
        if r.has("mapped_items"):
            row.mapped = self._mapped(r)
            self._pending_kits.append((at, item_id, row.mapped))
        elif composite:
            r.problem("missing mapped_items (the components of the composite item)")
        self.rows.items[item_id] = row

    def _tracking(self, r: FieldReader, item_id: str) -> tuple[bool, bool]:
        """(track_serial_number, track_batch_number): as the record says, and where it
        leaves one out (Zoho's item lists do), as the stored item has it."""
        serials, batches = r.boolean("track_serial_number"), r.boolean("track_batch_number")
        serial_given, batch_given = r.given("track_serial_number"), r.given("track_batch_number")
        if not (serial_given and batch_given):
            stored = self.existing.item(item_id)
            if stored is not None:
                serials = serials if serial_given else stored[1]
                batches = batches if batch_given else stored[2]
        return serials, batches

    def _claim(self, r: FieldReader, kind: str, key: str, item_id: str, at: Problem, what: str) -> None:
        owner = self._claims.get((kind, key))
        if owner is not None and owner[0] != item_id:
            r.problem(f"duplicate {what}: item {owner[0]} ({_label(owner[1])}) has it too")
        else:
            self._claims[(kind, key)] = (item_id, at, what)

    def _mapped(self, r: FieldReader) -> list[MappedRow]:
        entries = r.record.get("mapped_items")
        if not isinstance(entries, list) or not entries:
            r.problem("mapped_items must be a non-empty list")
            return []
        mapped: dict[str, MappedRow] = {}
        for order, entry in enumerate(entries):
            m = FieldReader(entry if isinstance(entry, Mapping) else {})
            item_id = m.text("item_id", required=True)
            quantity = m.quantity("quantity", default=1.0)
            if quantity <= 0:
                m.problem(f"quantity must be more than 0, not {quantity:g}")
            for reason in m.problems:
                r.problem(f"mapped_items[{order}]: {reason}")
            if item_id and not m.problems:
                mapped[item_id] = MappedRow(item_id, quantity, int(m.quantity("item_order", default=order)))
        return list(mapped.values())

    def _tracked_item(self, r: FieldReader, item_id: str, serials: bool) -> bool:
        row = self.rows.items.get(item_id)
        if row is not None:
            if not (row.serial_flag_given if serials else row.batch_flag_given):
                # the item's record left tracking out: its serials / batches say it
                if serials:
                    row.track_serial_number = True
                else:
                    row.track_batch_number = True
            name, tracks = row.name, row.track_serial_number if serials else row.track_batch_number
        else:
            stored = self.existing.item(item_id)
            if stored is None:
                r.problem(f"unknown item_id {item_id!r}")
                return False
            name, tracks = stored[0], stored[1] if serials else stored[2]
        if not tracks:
            flag = "track_serial_number" if serials else "track_batch_number"
            r.problem(f"item {name!r} does not track {'serial numbers' if serials else 'batches'} ({flag} is false)")
        return True

    def _batch(self, r: FieldReader, at: Problem) -> None:
        item_id = r.text("item_id", required=True)
        number = r.text("batch_number", required=True)
        made = r.date("manufactured_date", "manufacturer_date")
        expiry = r.date("expiry_date")
        if made and expiry and expiry < made:
            r.problem(f"expiry_date {expiry} is before manufactured_date {made}")
        warehouse_id, bin_id = self.places.place(r)
        if item_id is None or number is None or not self._tracked_item(r, item_id, serials=False):
            return
        batch_id = r.text("batch_id") or f"{item_id}:{number}"
        same = self._batch_numbers.setdefault((item_id, text_key(number)), batch_id)
        stored = self.existing.batch_id(item_id, number)
        if same != batch_id or (stored not in (None, batch_id) and stored not in self.rows.batches):
            other = same if same != batch_id else stored
            r.problem(f"duplicate batch_number {number!r} for item {item_id} (batch {other})")
        self.rows.batches[batch_id] = BatchRow(
            batch_id, item_id, number, r.text("manufacturer_batch_number", "external_batch_number"),
            made, expiry, r.quantity("balance_quantity", "quantity"), r.status("status"), warehouse_id, bin_id,
        )

    def _serial(self, r: FieldReader, at: Problem) -> None:
        item_id = r.text("item_id", required=True)
        serial = r.text("serialnumber", "serial_number", required=True)
        warehouse_id, bin_id = self.places.place(r)
        batch_id = r.text("batch_id")
        if item_id is None or serial is None or not self._tracked_item(r, item_id, serials=True):
            return
        if batch_id:
            batch = self.rows.batches.get(batch_id)
            batch_item = batch.item_id if batch else self.existing.batch_item(batch_id)
            if batch_item is None:
                r.problem(f"unknown batch_id {batch_id!r}")
            elif batch_item != item_id:
                r.problem(f"batch {batch_id} belongs to item {batch_item}, not {item_id}")
        serial_id = r.text("serialnumber_id") or f"{item_id}:{serial}"
        same = self._serial_numbers.setdefault((item_id, serial), serial_id)
        stored = self.existing.serial_id(item_id, serial)
        if same != serial_id or (stored not in (None, serial_id) and stored not in self.rows.serials):
            r.problem(f"duplicate serial number {serial!r} for item {item_id}")
        self.rows.serials[serial_id] = SerialRow(
            serial_id, serial, item_id, r.status("status"), r.boolean("is_transacted_out"),
            warehouse_id, bin_id, batch_id,
        )



def _label(at: Problem) -> str:
    """Where a record is, as the problem list writes it: ``items[3]`` or ``row 4``."""
    return f"row {at.row}" if at.section == "csv" else f"{at.section}[{at.row}]"
