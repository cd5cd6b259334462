"""The one rule for reading the place a record names: which warehouse (Zoho location) and
which bin (Zoho storage location), from whatever fields the record carries.

Every record that names a place goes through here: an item's stock rows (``locations``
or the older ``warehouses``, with their ``storages``), serial numbers, batches,
assemblies, and the places lists themselves. Zoho names places in two shapes, and both
are read:

* **warehouse and location together** (``warehouse_id`` + ``location_id``): the
  warehouse is ``warehouse_id`` and the *location is the bin*, as in
  ``serialnumber/validateandmap`` (items.yml), whose body names ``warehouse_id`` and
  ``location_id`` side by side. A ``location_id`` equal to ``warehouse_id`` names no bin.
* **a location alone** (``location_id``): the location is a warehouse (or branch)
  location of Zoho's Locations feature (locations.yml; items.yml's ``locations`` rows
  carry ``location_id``, ``location_name``, ``location_stock_on_hand``).

A bin may also be named outright: ``storage_location_id`` (items.yml's ``storages``),
``storage_id`` (storagelocations.yml) or ``bin_id`` (the station's own files).

What the record alone cannot settle is settled by what the station knows
(:class:`KnownPlaces`, the synced places lists): a ``location_id`` given alone that is a
known bin and no known warehouse is read as that bin, in its warehouse. Quantities of a
stock row: a bin row's ``location_stock_on_hand`` (or ``stock_on_hand``/``quantity``) is
the bin's; ``storages`` give per-bin quantities, and what the location holds beyond
their sum is stock in no bin. Rows naming the same place add up.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from scanner_app.inventory.record_fields import FieldReader

BIN_ID_FIELDS = ("storage_location_id", "storage_id", "bin_id")
BIN_NAME_FIELDS = ("storage_location_name", "bin_name")
BIN_CODE_FIELDS = ("storage_location_code", "bin_code")
WAREHOUSE_QUANTITY_FIELDS = ("location_stock_on_hand", "warehouse_stock_on_hand", "stock_on_hand", "initial_stock")
BIN_QUANTITY_FIELDS = ("location_stock_on_hand", "storage_stock_on_hand", "stock_on_hand", "quantity",
                       "warehouse_stock_on_hand")
STORAGE_QUANTITY_FIELDS = ("quantity", "stock_on_hand", "storage_stock_on_hand", "location_stock_on_hand")


class KnownPlaces(Protocol):
    """What the station already knows about places (the store, plus a file being read)."""

    def warehouse_known(self, warehouse_id: str) -> bool: ...

    def bin_warehouse(self, bin_id: str) -> str | None: ...


@dataclass(frozen=True)
class NamedPlace:
    """A place as a record names it, before it is checked against the known places."""

    warehouse_id: str | None
    warehouse_name: str | None = None
    bin_id: str | None = None
    bin_name: str | None = None
    bin_code: str | None = None
    location_alone: bool = False  # only ``location_id`` named it: a warehouse, or a known bin

    @property
    def label(self) -> str | None:
        """What a bin is called on its label: its code, else its name."""
        return self.bin_code or self.bin_name


def named_place(r: FieldReader) -> NamedPlace:
    """The place ``r``'s record names (see the module docstring for the rule)."""
    warehouse_id = r.text("warehouse_id")
    location_id = r.text("location_id")
    bin_id = r.text(*BIN_ID_FIELDS)
    if warehouse_id is not None:
        name = r.text("warehouse_name")
        if bin_id is None and location_id is not None and location_id != warehouse_id:
            return NamedPlace(warehouse_id, name, location_id, r.text(*BIN_NAME_FIELDS, "location_name"),
                              r.text(*BIN_CODE_FIELDS))
        if bin_id is None and location_id == warehouse_id:
            name = name or r.text("location_name")
        return NamedPlace(warehouse_id, name, bin_id, r.text(*BIN_NAME_FIELDS), r.text(*BIN_CODE_FIELDS))
    return NamedPlace(location_id, r.text("location_name"), bin_id, r.text(*BIN_NAME_FIELDS),
                      r.text(*BIN_CODE_FIELDS), location_alone=location_id is not None and bin_id is None)


def resolve(place: NamedPlace, known: KnownPlaces) -> NamedPlace:
    """``place`` with a lone ``location_id`` that is a known bin (and no known warehouse)
    read as that bin in its warehouse; anything else as it is."""
    if not place.location_alone or place.warehouse_id is None or known.warehouse_known(place.warehouse_id):
        return place
    bin_warehouse = known.bin_warehouse(place.warehouse_id)
    if bin_warehouse is None:
        return place
    return NamedPlace(bin_warehouse, None, place.warehouse_id, place.warehouse_name)


@dataclass(frozen=True)
class StockEntry:
    """Stock on hand of an item at one place, as one stock row (or storage) names it."""

    place: NamedPlace
    quantity: float
    where: str = ""  # which row named it, for problems: "locations[0]: storages[1]"


def stock_entries(r: FieldReader, known: KnownPlaces | None = None, *,
                  negative_allowed: bool = False) -> list[StockEntry]:
    """An item record's stock per place: its ``locations`` rows (or the older
    ``warehouses``), each row's ``storages`` read as bins of that row's warehouse.
    Problems (a row that is not an object, ``storages`` not a list) go to ``r``.
    ``negative_allowed``: the records are the inventory system's own (a sync), which may
    show stock below zero; a file a person imports may not."""
    key = "locations" if r.has("locations") else "warehouses"
    rows = r.record.get(key) or []
    if not isinstance(rows, list):
        r.problem(f"{key} must be a list")
        return []
    entries: list[StockEntry] = []
    for i, row in enumerate(rows):
        loc = FieldReader(row if isinstance(row, Mapping) else {})
        if not isinstance(row, Mapping):
            r.problem(f"{key}[{i}]: expected an object")
            continue
        entries.extend(_row_entries(loc, known, f"{key}[{i}]", negative_allowed))
        r.problems.extend(f"{key}[{i}]: {reason}" for reason in loc.problems)
    return entries


def _row_entries(loc: FieldReader, known: KnownPlaces | None, where: str,
                 negative_allowed: bool) -> list[StockEntry]:
    place = named_place(loc)
    if known is not None:
        place = resolve(place, known)
    if place.warehouse_id is None:
        loc.problem("missing location_id (or warehouse_id)")
        return []
    if place.bin_id is not None:
        return [StockEntry(place, loc.quantity(*BIN_QUANTITY_FIELDS, negative_allowed=negative_allowed), where)]
    total = loc.quantity(*WAREHOUSE_QUANTITY_FIELDS, negative_allowed=negative_allowed)
    storages: Any = loc.record.get("storages") or []
    if not isinstance(storages, list):
        loc.problem("storages must be a list")
        return []
    entries: list[StockEntry] = []
    in_bins = 0.0
    for j, storage in enumerate(storages):
        s = FieldReader(storage if isinstance(storage, Mapping) else {})
        bin_id = s.text(*BIN_ID_FIELDS, required=True)
        amount = s.quantity(*STORAGE_QUANTITY_FIELDS, negative_allowed=negative_allowed)
        loc.problems.extend(f"storages[{j}]: {reason}" for reason in s.problems)
        if bin_id is None or s.problems:
            continue
        name = s.text(*BIN_NAME_FIELDS, "name", "location_name")
        entries.append(StockEntry(NamedPlace(place.warehouse_id, place.warehouse_name, bin_id, name,
                                             s.text(*BIN_CODE_FIELDS, "code")), amount, f"{where}: storages[{j}]"))
        in_bins += amount
    rest = total - in_bins
    if not storages or rest > 0:
        entries.append(StockEntry(NamedPlace(place.warehouse_id, place.warehouse_name), rest, where))
    return entries
