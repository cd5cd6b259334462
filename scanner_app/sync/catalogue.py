"""Catalogue sync: Zoho Inventory's items and kits into the embedded store, which keeps
answering scans from its own copy (fast, and offline-safe).

Every sync first reads the organisation's places (warehouses and bins, from Zoho's own
lists: :mod:`scanner_app.sync.places`), so that the items' stock rows find their bins.
A **full** sync pages through every item (``GET /items``, 200 a page) and every
composite item (``GET /compositeitems``, then ``GET /compositeitems/{id}`` per kit for
its components, which the list leaves out), and afterwards takes out of the store the
items Zoho no longer lists (deleted there; see :mod:`scanner_app.inventory.removal`).
An **incremental** sync asks only for what changed (``last_modified_time``) since the
last successful sync began, less ``overlap_seconds`` for the clocks of this PC and
Zoho disagreeing; fetching an item twice is harmless. The first sync from a source, a
``full=True`` request, or a last full sync older than ``[sync] full_sync_hours`` makes
a full one. The last success (kind, times, item count) is kept in the store
(:mod:`scanner_app.sync.state`), per source (``zoho:<organization_id>``).

Each page is written in its own transaction (:mod:`scanner_app.sync.page_import`):
records the store cannot take are left out and reported, never blocking the rest. They
are tried once more at the end (a SKU that moved from one item to another can only land
once the other item is updated); what still fails is in :attr:`SyncReport.skipped`.

Threads: :meth:`CatalogueSync.run` runs where it is called (the CLI's main thread, the
window's network pool) and hands every write to ``write``, which the window points at
its database-writer thread; a page is imported by ``import_page`` (default: right there;
the window's hands it to a child process, see :mod:`scanner_app.sync.import_process`).
Progress goes out through :attr:`CatalogueSync.progress` (on the sync's thread);
:meth:`CatalogueSync.cancel` stops it before the next page.
Backend errors (offline, sign in again, ...) are raised; pages written stay written,
and the sync counts as not done, so the next one starts from the last success.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import quote

from scanner_app.backends.zoho import Page, ZohoClient
from scanner_app.config import SyncSettings
from scanner_app.events import Event
from scanner_app.inventory.importer import ImportReport
from scanner_app.inventory.removal import remove_items, stored_item_ids
from scanner_app.inventory.store import InventoryStore
from scanner_app.sync.page_import import SkippedRecord, add_reports, import_records
from scanner_app.sync.places import PlacesFetch, PlacesReport
from scanner_app.sync.state import SyncKind, SyncState, load_sync_state, save_sync_state, zoho_source

T = TypeVar("T")
Writer = Callable[[Callable[[], T]], T]
PageImporter = Callable[[Mapping[str, Sequence[Any]]], tuple[ImportReport, list[SkippedRecord]]]
OVERLAP_SECONDS = 300.0


def write_here(fn: Callable[[], T]) -> T:
    """The writer for a single-threaded caller (the CLI): write on this thread."""
    return fn()


def sync_source(client: ZohoClient) -> str:
    return zoho_source(client.organization_id)


@dataclass(frozen=True)
class SyncProgress:
    """How far a sync is: ``phase`` is "items", "kits" or "removing"; ``expected`` is the
    item count of the last full sync (a full sync's likely total), None when unknown."""

    kind: SyncKind
    phase: str
    pages: int
    records: int
    expected: int | None
    skipped: int


@dataclass
class SyncReport:
    """What one sync did. ``cancelled``: stopped before the end (not a success)."""

    kind: SyncKind
    started_at: float
    finished_at: float = 0.0
    pages: int = 0
    received: int = 0  # item and kit records Zoho sent
    imported: ImportReport = field(default_factory=ImportReport)
    skipped: list[SkippedRecord] = field(default_factory=list)
    removed: int = 0
    cancelled: bool = False
    places: PlacesReport = field(default_factory=PlacesReport)

    def summary(self) -> str:
        if self.cancelled:
            return f"{self.kind} sync stopped after {self.pages} page(s), {self.received} records"
        written = self.imported.items + self.imported.composite_items
        text = f"{self.kind} sync: {self.received} records in {self.pages} page(s), {written} items and kits written"
        if self.removed:
            text += f", {self.removed} removed (deleted in Zoho)"
        if self.skipped:
            text += f", {len(self.skipped)} left out (see below)"
        return text + f" in {self.finished_at - self.started_at:.1f} s; {self.places.summary()}"

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind, "cancelled": self.cancelled, "pages": self.pages, "received": self.received,
            "imported": self.imported.to_json(), "removed": self.removed,
            "skipped": [s.to_json() for s in self.skipped], "places": self.places.to_json(),
            "started_at": self.started_at, "finished_at": self.finished_at,
        }


class CatalogueSync:
    """One sync of ``store`` from ``client``; make a new one for each run."""

    def __init__(self, store: InventoryStore, client: ZohoClient, settings: SyncSettings | None = None, *,
                 write: Writer[Any] = write_here, import_page: PageImporter | None = None,
                 clock: Callable[[], float] = time.time, per_page: int = 200,
                 overlap_seconds: float = OVERLAP_SECONDS) -> None:
        self.store = store
        self.client = client
        self.settings = settings or SyncSettings()
        self.source = sync_source(client)
        self._write = write
        self._import: PageImporter = import_page or (lambda document: import_records(self.store, document))
        self._clock = clock
        self._per_page = per_page
        self._overlap = overlap_seconds
        self._cancelled = threading.Event()
        self.progress: Event[SyncProgress] = Event()

    def cancel(self) -> None:
        """Stop before the next page (thread-safe); the call in flight finishes first."""
        self._cancelled.set()

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()

    def last_success(self) -> SyncState | None:
        return load_sync_state(self.store.connection(), self.source)

    def choose_kind(self, state: SyncState | None, now: float, full: bool = False) -> SyncKind:
        if full or state is None or now - state.last_full_started_at > self.settings.full_sync_hours * 3600:
            return "full"
        return "incremental"

    def run(self, *, full: bool = False) -> SyncReport:
        state = self.last_success()
        report = SyncReport(self.choose_kind(state, self._clock(), full), started_at=self._clock())
        since = None if report.kind == "full" or state is None else state.last_started_at - self._overlap
        expected = state.full_item_count if state is not None and report.kind == "full" else None
        seen: set[str] = set()
        retry: list[SkippedRecord] = []

        def take(section: str, records: list[dict[str, Any]], phase: str) -> None:
            imported, skipped = self._write(lambda: self._import({section: records}))
            report.imported = add_reports(report.imported, imported)
            retry.extend(skipped)
            report.received += len(records)
            seen.update(str(r.get("composite_item_id") or r.get("item_id")) for r in records)
            self.progress.emit(SyncProgress(report.kind, phase, report.pages, report.received, expected,
                                            len(retry)))

        self._places(report, retry)
        modified = _utc(since) if since is not None else None
        for page in self._pages(self.client.item_pages(per_page=self._per_page, modified_since=modified), report):
            take("items", page.records, "items")
        kit_pages = self.client.composite_item_pages(per_page=self._per_page, modified_since=modified)
        for page in self._pages(kit_pages, report):
            kits = self._kits(page)
            if kits is None:
                break
            take("composite_items", kits, "kits")
        if self.cancelled:
            return self._stopped(report, retry)
        self._retry(report, retry)
        if report.kind == "full":
            self.progress.emit(SyncProgress(report.kind, "removing", report.pages, report.received, expected,
                                            len(report.skipped)))
            report.removed = self._write(lambda: self._remove_unlisted(seen))
        report.finished_at = self._clock()
        previous_full = state.last_full_started_at if state is not None else report.started_at
        success = SyncState(
            self.source, report.kind, report.started_at, report.finished_at,
            report.started_at if report.kind == "full" else previous_full,
            len(seen) if report.kind == "full" else (state.full_item_count if state else 0),
        )
        self._write(lambda: self._save(success))
        return report

    def _places(self, report: SyncReport, retry: list[SkippedRecord]) -> None:
        """Warehouses and bins from Zoho's lists, written before the items that name them;
        a bin whose warehouse only the items name is tried again after the items."""
        fetch = PlacesFetch(self.client, lambda: self.cancelled)
        document = fetch.run()
        report.places = fetch.report
        if self.cancelled or not any(document.values()):
            return
        imported, skipped = self._write(lambda: self._import(document))
        report.imported = add_reports(report.imported, imported)
        retry.extend(skipped)

    def _pages(self, pages: Iterator[Page], report: SyncReport) -> Iterator[Page]:
        """The pages, fetched one by one, until cancelled (checked before each fetch)."""
        try:
            while not self.cancelled:
                try:
                    page = next(pages)
                except StopIteration:
                    return
                report.pages += 1
                yield page
        finally:
            close = getattr(pages, "close", None)  # a generator: stop it fetching
            if close is not None:
                close()

    def _kits(self, page: Page) -> list[dict[str, Any]] | None:
        """The page's kits with their components (one call each); None when cancelled."""
        kits = []
        for listed in page.records:
            if self.cancelled:
                return None
            kit_id = str(listed.get("composite_item_id") or "")
            if not kit_id:
                kits.append(listed)  # the importer reports it
                continue
            body = self.client.call("GET", f"/compositeitems/{quote(kit_id, safe='')}")
            detail = body.get("composite_item")
            kits.append(detail if isinstance(detail, dict) else listed)
        return kits

    def _retry(self, report: SyncReport, retry: list[SkippedRecord]) -> None:
        """Records left out once go in again after the rest (their conflict may be gone)."""
        sections = ("warehouses", "bins", "items", "composite_items")
        for section in sections:
            records = [s.record for s in retry if s.section == section and s.record is not None]
            if records:
                # the writer runs it and returns before the loop moves on
                imported, still = self._write(lambda: self._import({section: records}))  # noqa: B023
                report.imported = add_reports(report.imported, imported)
                report.skipped.extend(still)
        report.skipped.extend(s for s in retry if s.section not in sections or s.record is None)

    def _stopped(self, report: SyncReport, retry: list[SkippedRecord]) -> SyncReport:
        report.cancelled = True
        report.skipped.extend(retry)
        report.finished_at = self._clock()
        return report

    def _remove_unlisted(self, seen: set[str]) -> int:
        with self.store.transaction() as conn:
            return remove_items(conn, stored_item_ids(conn) - seen)

    def _save(self, state: SyncState) -> None:
        with self.store.transaction() as conn:
            save_sync_state(conn, state)


def _utc(seconds: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(seconds, dt.UTC)
