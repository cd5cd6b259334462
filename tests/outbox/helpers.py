"""Test doubles for the outbox: a scripted deliverer that remembers what it applied, a
relay wait that moves a fake clock on instead of sleeping, and items set up alike in the
fake Zoho and the station's store."""

from __future__ import annotations

import threading
from collections import Counter, deque
from collections.abc import Callable, Mapping
from typing import Any

from scanner_app.backends.errors import Offline
from scanner_app.inventory.importer import import_document
from scanner_app.inventory.store import InventoryStore
from scanner_app.outbox.batch_receipts import line_document
from scanner_app.outbox.entries import EMBEDDED_TARGET, OutboxEntry
from scanner_app.outbox.relay import OutboxRelay
from scanner_app.outbox.store import Outbox
from tests.backends.fake_clock import FakeClock
from tests.backends.fake_zoho import FakeZoho

KIND = "test.write"


class Crash(BaseException):
    """The process dies here (not an Exception: nothing catches it on the way out)."""


class ScriptedDeliverer:
    """A deliverer whose "server" counts each write it applied (by the payload's ``key``).

    ``outcomes`` (consumed one per ``deliver``): "ok"; an exception to raise without
    applying; "apply_then_drop" (applied, then the answer is lost: Offline,
    maybe_applied); "apply_then_crash" (applied, then the process dies); "crash_before".
    ``check_outcomes`` the same for ``was_applied`` (exceptions only).
    """

    def __init__(self) -> None:
        self.applied: Counter[str] = Counter()
        self.order: list[str] = []
        self.outcomes: deque[Any] = deque()
        self.check_outcomes: deque[BaseException] = deque()
        self.sent = 0
        self.checks = 0
        self.handed: list[OutboxEntry] = []
        self._lock = threading.Lock()

    def deliver(self, entry: OutboxEntry) -> Mapping[str, Any]:
        self.handed.append(entry)
        outcome = self.outcomes.popleft() if self.outcomes else "ok"
        self.sent += 1
        if isinstance(outcome, BaseException):
            raise outcome
        if outcome == "crash_before":
            raise Crash()
        key = str(entry.payload["key"])
        with self._lock:
            self.applied[key] += 1
            self.order.append(key)
        if outcome == "apply_then_drop":
            raise Offline("the connection dropped before the answer came", maybe_applied=True)
        if outcome == "apply_then_crash":
            raise Crash()
        return {"remote_id": f"R-{key}"}

    def was_applied(self, entry: OutboxEntry) -> Mapping[str, Any] | None:
        self.checks += 1
        if self.check_outcomes:
            raise self.check_outcomes.popleft()
        key = str(entry.payload["key"])
        return {"remote_id": f"R-{key}", "found": True} if self.applied[key] else None


class FastForward:
    """The relay's wait: moves ``clock`` on by the wait (a backoff of minutes passes at
    once), and gives other threads a moment."""

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock

    def __call__(self, wake: threading.Event, seconds: float) -> object:
        if wake.is_set():
            return True
        self.clock.advance(seconds)
        return wake.wait(0.002)


def items_in_both(zoho: FakeZoho, store: InventoryStore, **items: tuple[str, str, str]) -> dict[str, str]:
    """The same items in Zoho and in the station's synced store (warehouse W1), in the order
    given: ``key=(name, sku, tracking)`` with ``tracking`` the item's flag (e.g.
    ``"track_batch_number"``); returns each key's item id."""
    rows: list[dict[str, Any]] = []
    for name, sku, tracking in items.values():
        item_id = zoho.inventory.add_item(name, sku=sku, **{tracking: True})["item_id"]
        rows.append({"item_id": item_id, "name": name, "sku": sku, tracking: True})
    import_document(store, {"warehouses": [{"warehouse_id": "W1", "warehouse_name": "Main"}], "items": rows})
    return {key: str(row["item_id"]) for key, row in zip(items, rows, strict=False)}


def line_by_line(outbox: Outbox, relay: OutboxRelay) -> Callable[[str, dict[str, Any]], OutboxEntry]:
    """Record one receipt line's entry for the embedded store at a time and let ``relay``
    (no thread) deliver it; each call returns the entry as the outbox holds it afterwards."""
    relay.recover()
    lines = iter(range(1, 1000))

    def record_and_deliver(kind: str, payload: dict[str, Any]) -> OutboxEntry:
        with outbox.store.transaction() as conn:
            entry_id = outbox.enqueue(conn, target=EMBEDDED_TARGET, document=line_document(1, next(lines)),
                                      kind=kind, payload=payload)
        outbox.announce([entry_id])
        relay.deliver_due()
        return outbox.get(entry_id)

    return record_and_deliver
