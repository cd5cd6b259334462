"""An item's details fetched when it is scanned: its own record (stock per warehouse and
bin, whether it tracks serials or batches, which Zoho's item lists leave out) and, for a
tracked item, its serial numbers and batches, cached in the store with the time they
were fetched.

A scan is always answered at once from the store; the window then asks
:meth:`ItemDetails.due` (one indexed read) and, when the details are due, runs
:meth:`ItemDetails.fetch` on its network pool and :meth:`ItemDetails.write` on its
database-writer thread, and shows the item again if it is still on screen.

Due means: never fetched; or tracked (serials or batches) and fetched longer ago than
``[sync] details_max_age_minutes``; or fetched longer ago than ``full_sync_hours`` (an
item may start being tracked). So an untracked item costs one call now and then, a
tracked one one to three calls per ``details_max_age_minutes`` while it is being scanned.
An item Zoho says does not exist any more is taken out of the store.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from scanner_app.backends.errors import NotFound
from scanner_app.backends.zoho import ZohoClient
from scanner_app.config import SyncSettings
from scanner_app.inventory.importer import ImportReport
from scanner_app.inventory.models import Item
from scanner_app.inventory.record_fields import FieldReader
from scanner_app.inventory.removal import remove_items
from scanner_app.inventory.store import InventoryStore
from scanner_app.sync.page_import import SkippedRecord, import_records
from scanner_app.sync.state import details_fetched_at, mark_details_fetched


@dataclass(frozen=True)
class FetchedDetails:
    """What Zoho said about one item; ``gone``: it no longer exists there."""

    item_id: str
    fetched_at: float
    gone: bool = False
    document: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    @property
    def serial_count(self) -> int:
        return len(self.document.get("serial_numbers", []))

    @property
    def batch_count(self) -> int:
        return len(self.document.get("batches", []))


@dataclass(frozen=True)
class WrittenDetails:
    item_id: str
    removed: bool
    imported: ImportReport
    skipped: list[SkippedRecord]


class ItemDetails:
    def __init__(self, store: InventoryStore, settings: SyncSettings | None = None,
                 clock: Callable[[], float] = time.time) -> None:
        self.store = store
        self.settings = settings or SyncSettings()
        self._clock = clock

    def due(self, item: Item) -> bool:
        """Whether ``item``'s details should be fetched now (any thread; one indexed read)."""
        if item.is_composite:
            return False  # kits come with their components from the catalogue sync
        fetched = details_fetched_at(self.store.connection(), item.item_id)
        if fetched is None:
            return True
        age = self._clock() - fetched
        tracked = item.track_serial_number or item.track_batch_number
        if tracked and age >= self.settings.details_max_age_minutes * 60:
            return True
        return age >= self.settings.full_sync_hours * 3600

    def fetch(self, client: ZohoClient, item_id: str) -> FetchedDetails:
        """The item's record, serials and batches from Zoho (network; no store access)."""
        now = self._clock()
        try:
            body = client.call("GET", f"/items/{quote(item_id, safe='')}")
        except NotFound:
            return FetchedDetails(item_id, now, gone=True)
        record = body.get("item")
        if not isinstance(record, dict):
            record = {}
        flags = FieldReader(record)
        document: dict[str, list[dict[str, Any]]] = {"items": [record]}
        if flags.boolean("track_batch_number"):
            document["batches"] = self._records(client, "/items/batches", "batches", item_id)
        if flags.boolean("track_serial_number"):
            document["serial_numbers"] = self._records(client, "/items/serialnumbers", "serial_numbers", item_id)
        return FetchedDetails(item_id, now, document=document)

    @staticmethod
    def _records(client: ZohoClient, path: str, key: str, item_id: str) -> list[dict[str, Any]]:
        records = [r for page in client.pages(path, key, {"item_id": item_id}) for r in page.records]
        # the list of one item's serials (batches) leaves its item_id out
        return [r if r.get("item_id") not in (None, "") else {**r, "item_id": item_id} for r in records]

    def write(self, fetched: FetchedDetails) -> WrittenDetails:
        """Store what :meth:`fetch` found (the database-writer thread)."""
        if fetched.gone:
            with self.store.transaction() as conn:
                removed = remove_items(conn, [fetched.item_id]) > 0
            return WrittenDetails(fetched.item_id, removed, ImportReport(), [])
        imported, skipped = import_records(self.store, fetched.document)
        with self.store.transaction() as conn:
            if conn.execute("SELECT 1 FROM items WHERE item_id = ?", (fetched.item_id,)).fetchone():
                mark_details_fetched(conn, fetched.item_id, fetched.fetched_at)
        return WrittenDetails(fetched.item_id, False, imported, skipped)
