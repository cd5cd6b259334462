"""The organisation's places from Zoho's own lists: warehouses (locations) and their bins
(storage locations), empty bins included, so goods can be received into a bin that holds
nothing yet and a bin is never mistaken for a warehouse.

Where each list comes from, in this order (the first that answers wins; each fallback is
said in :meth:`PlacesReport.summary`, which ``scanner-app sync`` prints):

warehouses
    1. ``GET /locations`` (locations.yml: the Locations feature; branches and warehouse
       locations, ``location_id``/``location_name``, a warehouse's ``parent_location_id``
       is its branch). Read flat (``is_hierarchical_response`` left false).
    2. ``GET /settings/warehouses`` (the older warehouses settings: ``warehouse_id``,
       ``warehouse_name``), when the organisation has no Locations (404 or an error code)
       or lists none.
    3. Neither: the warehouses the items' stock rows name (as before this module).
bins
    1. ``GET /storagelocations`` (storagelocations.yml: ``storage_id``, ``name``,
       ``location_id``), every page. A bin listed without its warehouse is looked for
       again per warehouse (``?location_id=``, or ``?warehouse_id=`` for warehouses from
       the older settings), and left out when still unplaced.
    2. Unavailable (404 or an error code: bin locations not enabled): the bins the items'
       stock rows and serial numbers name.

"Unavailable" is :class:`NotFound`, :class:`ValidationError` (an error code), a
:class:`ScopeError` (the token lacks ``ZohoInventory.settings.READ`` or
``ZohoInventory.warehouses.READ``) or an answer without the list; anything else (offline,
sign in again, Zoho failing) fails the sync like any other call. Places are written
before the items, so the items' stock rows find their bins. Places deleted in Zoho stay
in the store: stock rows, serials and history may still name them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from scanner_app.backends.errors import BackendError, NotFound, ScopeError, UnexpectedResponse, ValidationError
from scanner_app.backends.zoho import Page, ZohoClient

FROM_LOCATIONS = "locations"
FROM_WAREHOUSES = "settings/warehouses"
FROM_STORAGE_LOCATIONS = "storagelocations"
FROM_STOCK_ROWS = "items' stock rows"
UNAVAILABLE = (NotFound, ValidationError, ScopeError, UnexpectedResponse)


@dataclass
class PlacesReport:
    """Which lists the places came from, how many, and why a list was passed over."""

    warehouses: int = 0
    warehouses_from: str = FROM_STOCK_ROWS
    bins: int = 0
    bins_from: str = FROM_STOCK_ROWS
    notes: list[str] = field(default_factory=list)
    pages: int = 0

    def summary(self) -> str:
        text = (f"places: {self.warehouses} warehouse(s) from {_source(self.warehouses_from)}, "
                f"{self.bins} bin(s) from {_source(self.bins_from)}")
        return text + "".join(f"; {note}" for note in self.notes)

    def to_json(self) -> dict[str, Any]:
        return {"warehouses": self.warehouses, "warehouses_from": self.warehouses_from, "bins": self.bins,
                "bins_from": self.bins_from, "notes": list(self.notes)}


def _source(name: str) -> str:
    return name if name == FROM_STOCK_ROWS else f"/{name}"


def _why(failure: BackendError) -> str:
    status = f"HTTP {failure.status}" if failure.status else type(failure).__name__
    said = failure.vendor_message or failure.message
    return f"{status}: {said}" if said else status


class PlacesFetch:
    """One fetch of the places lists (network only; the caller writes the document)."""

    def __init__(self, client: ZohoClient, cancelled: Callable[[], bool] = lambda: False) -> None:
        self.client = client
        self.cancelled = cancelled
        self.report = PlacesReport()

    def run(self) -> dict[str, list[dict[str, Any]]]:
        """``{"warehouses": [...], "bins": [...]}`` as the importer reads them (Zoho's
        records, unchanged); empty lists where the fallback is the items' stock rows."""
        warehouses = self._warehouses()
        bins = self._bins(warehouses) if not self.cancelled() else []
        return {"warehouses": warehouses, "bins": bins}

    def _all(self, pages: Iterator[Page]) -> list[dict[str, Any]]:
        records: list[dict[str, Any]] = []
        for page in pages:
            self.report.pages += 1
            records.extend(page.records)
            if self.cancelled():
                break
        return records

    def _try(self, what: str, fetch: Callable[[], list[dict[str, Any]]]) -> list[dict[str, Any]] | None:
        try:
            return fetch()
        except UNAVAILABLE as failure:
            self.report.notes.append(f"/{what} unavailable ({_why(failure)})")
            return None

    def _warehouses(self) -> list[dict[str, Any]]:
        locations = self._try(FROM_LOCATIONS, lambda: self._all(self.client.location_pages()))
        if locations:
            self.report.warehouses, self.report.warehouses_from = len(locations), FROM_LOCATIONS
            return locations
        if locations is not None:
            self.report.notes.append("/locations lists none")
        warehouses = self._try(FROM_WAREHOUSES, lambda: self._all(self.client.warehouse_pages()))
        if warehouses:
            self.report.warehouses, self.report.warehouses_from = len(warehouses), FROM_WAREHOUSES
            return warehouses
        return []

    def _bins(self, warehouses: list[dict[str, Any]]) -> list[dict[str, Any]]:
        bins = self._try(FROM_STORAGE_LOCATIONS, lambda: self._all(self.client.storage_location_pages()))
        if bins is None:
            return []
        placed = [b for b in bins if _bin_warehouse(b)]
        if len(placed) < len(bins):
            placed.extend(self._placed_per_warehouse(warehouses, {str(_bin_id(b)) for b in placed}))
            unplaced = len({str(_bin_id(b)) for b in bins} - {str(_bin_id(b)) for b in placed})
            if unplaced:
                self.report.notes.append(f"{unplaced} bin(s) listed without their warehouse left out")
        self.report.bins, self.report.bins_from = len(placed), FROM_STORAGE_LOCATIONS
        return placed

    def _placed_per_warehouse(self, warehouses: list[dict[str, Any]], done: set[str]) -> list[dict[str, Any]]:
        """Bins asked for warehouse by warehouse, each given the warehouse it was asked for."""
        found: list[dict[str, Any]] = []
        for warehouse in warehouses:
            warehouse_id = _warehouse_id(warehouse)
            if not warehouse_id or self.cancelled():
                continue
            key = "warehouse_id" if self.report.warehouses_from == FROM_WAREHOUSES else "location_id"
            records = self._try(FROM_STORAGE_LOCATIONS,  # _try calls it at once
                                lambda: self._all(self.client.storage_location_pages(**{key: warehouse_id})))  # noqa: B023
            for record in records or []:
                bin_id = _bin_id(record)
                if bin_id and str(bin_id) not in done:
                    done.add(str(bin_id))
                    found.append({**record, "location_id": _bin_warehouse(record) or warehouse_id})
        return found


def _bin_id(record: dict[str, Any]) -> Any:
    return record.get("storage_id") or record.get("storage_location_id") or record.get("bin_id")


def _bin_warehouse(record: dict[str, Any]) -> Any:
    return record.get("warehouse_id") or record.get("location_id")


def _warehouse_id(record: dict[str, Any]) -> str | None:
    value = record.get("location_id") or record.get("warehouse_id")
    return str(value) if value not in (None, "") else None
