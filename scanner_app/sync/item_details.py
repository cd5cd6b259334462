"""An item's details fetched when it is scanned: its own record (stock per warehouse and
bin, whether it tracks serials or batches, which Zoho's item lists leave out) and, for a
tracked item, its serial numbers and batches, cached in the store with the time they
were fetched.

Two callers, one code path: the window answers a scan at once from the store, then asks
:meth:`ItemDetails.due` (one indexed read) and, when the details are due, runs
:meth:`ItemDetails.fetch` on its network pool and :meth:`ItemDetails.write` on its
database-writer thread, and shows the item again if it is still on screen. The workflow
commands (``dispatch``, ``receive``, ``assemble``) run the same three steps in line with
:meth:`ItemDetails.refresh_if_due` *before* the workflow checks the scan
(:mod:`scanner_app.sync.details_on_demand`), so what they check never depends on the
window having been opened.

Due means: never fetched; or tracked (serials or batches) and fetched longer ago than
``[sync] details_max_age_minutes``; or fetched longer ago than ``full_sync_hours`` (an
item may start being tracked). So an untracked item costs one call now and then, a
tracked one one to three calls per ``details_max_age_minutes`` while it is being scanned.
An item Zoho says does not exist any more is taken out of the store.

The lists are asked for everything the workflows must know about, not only what is in
stock (``shared/seeds/zoho-openapi``):

- serial numbers: ``GET /items/serialnumbers?item_id=…&show_transacted_out=true``
  (serialnumbers.yml, ``show_transacted_out``: "Include serial numbers that have already
  been transacted out"). Without it a shipped serial is left out of the list, so the
  station would either keep its old copy of it as still in stock, or not know it at all
  and refuse it as "not a serial number of" its item instead of "already gone out";
- batches: ``GET /items/batches?item_id=…&include_empty_batches=true`` (batches.yml,
  ``include_empty_batches``: "Include batches that have zero quantity"): an emptied batch
  must be known with its zero balance (else the store keeps its old balance and an
  assembly could take from it), and more of it received is checked against its dates.
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
            document["batches"] = self._records(client, "/items/batches", "batches", item_id,
                                                include_empty_batches="true")
        if flags.boolean("track_serial_number"):
            document["serial_numbers"] = self._records(client, "/items/serialnumbers", "serial_numbers", item_id,
                                                       show_transacted_out="true")
        return FetchedDetails(item_id, now, document=document)

    @staticmethod
    def _records(client: ZohoClient, path: str, key: str, item_id: str, **flags: str) -> list[dict[str, Any]]:
        """Every page of one item's serials (batches); ``flags``: the list's filters (module docstring)."""
        records = [r for page in client.pages(path, key, {"item_id": item_id, **flags}) for r in page.records]
        # the list of one item's serials (batches) leaves its item_id out
        return [r if r.get("item_id") not in (None, "") else {**r, "item_id": item_id} for r in records]

    def refresh_if_due(self, client: Callable[[], ZohoClient], item: Item) -> WrittenDetails | None:
        """In line (a command's main thread): :meth:`due`, then :meth:`fetch` and
        :meth:`write`, as the window does across its threads. None when the details are
        fresh (nothing asked; ``client`` is called only when they are due, so a station
        that is not signed in fails only when it must ask). Raises the client's
        BackendError when Zoho could not be asked; then nothing was written."""
        if not self.due(item):
            return None
        return self.write(self.fetch(client(), item.item_id))

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
