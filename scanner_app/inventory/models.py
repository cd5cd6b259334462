"""The inventory's plain data: items, stock, serial numbers, batches, bins, kits.

Field names follow Zoho Inventory's API (see shared/seeds) so that backends map JSON
to these types in one place. Warehouses are Zoho "locations" (``warehouse_id``); bins
are Zoho "storage locations" (``bin_id``, sent to Zoho as ``location_id`` in
``serialnumber/validateandmap``). Dates are ISO ``YYYY-MM-DD`` strings or ``None``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

LookupStatus = Literal["found", "not_found", "invalid"]
LookupKind = Literal["item", "serial", "batch", "bin"]


@dataclass(frozen=True)
class Warehouse:
    warehouse_id: str
    name: str


@dataclass(frozen=True)
class Bin:
    """A storage location (bin) inside a warehouse."""

    bin_id: str
    warehouse_id: str
    code: str  # the code printed on the bin label, scanned to select it
    name: str
    warehouse_name: str = ""


@dataclass(frozen=True)
class StockLine:
    """Stock on hand of one item in one warehouse, optionally in one bin."""

    warehouse_id: str
    warehouse_name: str
    quantity: float
    bin_id: str | None = None
    bin_code: str | None = None


@dataclass(frozen=True)
class Batch:
    batch_id: str
    item_id: str
    batch_number: str
    manufacturer_batch_number: str | None = None
    manufactured_date: str | None = None
    expiry_date: str | None = None
    balance_quantity: float = 0.0
    status: str = "active"  # active | inactive
    warehouse_id: str | None = None
    bin_id: str | None = None

    def is_expired(self, today: str) -> bool:
        """True when the expiry date is before ``today`` (ISO date string)."""
        return self.expiry_date is not None and self.expiry_date < today


@dataclass(frozen=True)
class SerialNumber:
    serialnumber_id: str
    serialnumber: str
    item_id: str
    status: str = "active"  # active | inactive
    is_transacted_out: bool = False
    warehouse_id: str | None = None
    warehouse_name: str | None = None
    bin_id: str | None = None
    bin_code: str | None = None
    batch_id: str | None = None


@dataclass(frozen=True)
class MappedItem:
    """One component of a composite item (kit): Zoho's ``mapped_items`` entry."""

    item_id: str
    name: str
    quantity: float
    sku: str | None = None


@dataclass(frozen=True)
class Item:
    item_id: str
    name: str
    sku: str | None = None
    upc: str | None = None
    ean: str | None = None
    isbn: str | None = None
    part_number: str | None = None
    unit: str | None = None
    status: str = "active"  # active | inactive
    description: str | None = None
    track_serial_number: bool = False
    track_batch_number: bool = False
    is_composite: bool = False
    gtin14: str | None = None  # normalised GTIN for matching (from upc/ean/isbn)
    stock: tuple[StockLine, ...] = ()
    batches: tuple[Batch, ...] = ()
    mapped_items: tuple[MappedItem, ...] = ()  # components, when is_composite

    @property
    def stock_on_hand(self) -> float:
        return sum(line.quantity for line in self.stock)


def _jsonable(value: Any) -> Any:
    if value is None:
        return None
    return asdict(value)


@dataclass(frozen=True)
class LookupResult:
    """The answer to a scan: what the code names in the inventory, or why nothing.

    ``to_json()`` is the contract of ``scanner-app lookup CODE --json``.
    """

    status: LookupStatus
    kind: LookupKind | None = None
    item: Item | None = None
    serial: SerialNumber | None = None
    batch: Batch | None = None
    bin: Bin | None = None
    gs1: dict[str, str] | None = None
    reason: str | None = None
    # codes that matched more than one thing, etc.: shown under the card
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def found(self) -> bool:
        return self.status == "found"

    def to_json(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "kind": self.kind,
            "item": _jsonable(self.item),
            "serial": _jsonable(self.serial),
            "batch": _jsonable(self.batch),
            "bin": _jsonable(self.bin),
            "gs1": dict(self.gs1) if self.gs1 is not None else None,
            "reason": self.reason,
            "notes": list(self.notes),
        }
