"""Keeping the embedded store in step with a cloud inventory (Zoho Inventory). No Qt.

- ``catalogue``: :class:`CatalogueSync`, full or incremental, page by page, with
  progress and cancellation between pages;
- ``item_details``: :class:`ItemDetails`, an item's serial numbers and batches fetched
  when it is scanned, cached with the time they were fetched;
- ``page_import``: one page into the store in one transaction, leaving out (and
  reporting) the records the store cannot take;
- ``state``: what the store remembers: the last successful sync, details fetch times.

The station answers every scan from the store; syncing only ever refreshes it.
"""

from scanner_app.sync.catalogue import CatalogueSync, SyncProgress, SyncReport, sync_source, write_here
from scanner_app.sync.item_details import FetchedDetails, ItemDetails, WrittenDetails
from scanner_app.sync.page_import import SkippedRecord, import_records
from scanner_app.sync.state import SyncKind, SyncState, load_sync_state, zoho_source

__all__ = [
    "CatalogueSync",
    "FetchedDetails",
    "ItemDetails",
    "SkippedRecord",
    "SyncKind",
    "SyncProgress",
    "SyncReport",
    "SyncState",
    "WrittenDetails",
    "import_records",
    "load_sync_state",
    "sync_source",
    "write_here",
    "zoho_source",
]
