"""The rows one catalogue file will write, already checked: what the importer's reading
pass produces and its writing pass stores.

Kept apart from the reading (``catalogue_reader``) so the writer (``catalogue_writer``)
depends on plain data only.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class WarehouseRow:
    warehouse_id: str
    name: str


@dataclass
class BinRow:
    bin_id: str
    warehouse_id: str
    code: str
    name: str


@dataclass
class StockRow:
    warehouse_id: str
    bin_id: str | None
    quantity: float


@dataclass
class MappedRow:
    item_id: str
    quantity: float
    item_order: int


@dataclass
class ItemRow:
    item_id: str
    name: str
    sku: str | None
    upc: str | None
    ean: str | None
    isbn: str | None
    part_number: str | None
    unit: str | None
    status: str
    description: str | None
    track_serial_number: bool
    track_batch_number: bool
    is_composite: bool
    gtin14: str | None
    gtin_keys: list[str]
    # None: the record did not mention stock / components, so the stored ones stay.
    stock: list[StockRow] | None = None
    mapped: list[MappedRow] | None = None
    # whether the record said track_serial_number / track_batch_number at all (Zoho's
    # item lists leave them out; serials or batches in the file then imply them)
    serial_flag_given: bool = True
    batch_flag_given: bool = True


@dataclass
class BatchRow:
    batch_id: str
    item_id: str
    batch_number: str
    manufacturer_batch_number: str | None
    manufactured_date: str | None
    expiry_date: str | None
    balance_quantity: float
    status: str
    warehouse_id: str | None
    bin_id: str | None


@dataclass
class SerialRow:
    serialnumber_id: str
    serialnumber: str
    item_id: str
    status: str
    is_transacted_out: bool
    warehouse_id: str | None
    bin_id: str | None
    batch_id: str | None


@dataclass
class CatalogueRows:
    """Everything one file adds or updates, in the order it is written."""

    warehouses: dict[str, WarehouseRow] = field(default_factory=dict)
    bins: dict[str, BinRow] = field(default_factory=dict)
    items: dict[str, ItemRow] = field(default_factory=dict)
    batches: dict[str, BatchRow] = field(default_factory=dict)
    serials: dict[str, SerialRow] = field(default_factory=dict)
    product_links: dict[str, str] = field(default_factory=dict)  # Pack.cloud product id -> item_id


@dataclass(frozen=True)
class Problem:
    """One reason a file cannot be imported, and where in the file it is.

    ``section`` is the JSON array's key (``items``, ``serial_numbers`` ...), ``"csv"``
    for a CSV file, or ``"file"`` for the file as a whole. ``row`` is the index in the
    JSON array (0-based, as in ``items[3]``) or the CSV data row (1-based, the header is
    not counted); ``line`` is the CSV line in the file.
    """

    section: str
    row: int
    reason: str
    line: int | None = None

    def __str__(self) -> str:
        if self.section == "file":
            return self.reason
        if self.section == "csv":
            where = "header" if self.row == 0 else f"row {self.row}" + (f" (line {self.line})" if self.line else "")
            return f"{where}: {self.reason}"
        return f"{self.section}[{self.row}]: {self.reason}"
