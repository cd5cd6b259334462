"""Delivering receipt lines to Zoho Inventory.

``batch.assign`` (``GET /items/batches?item_id=&include_empty_batches=true``, ``POST
/items/batches``, batches.yml): the item's batch with the line's batch number (compared
case-insensitively like the station's lookup, the exact spelling preferred) is reused
when its dates agree and is a conflict (``Conflict``, code ``DATES_DIFFER``) when they
differ; with none, the batch is created. ``include_empty_batches=true`` because a batch
just created has no stock (Zoho's stock comes with the purchase receive), and the list
leaves empty batches out without it.

One list per item per receipt (:class:`ReceiptBatches`): the item's batches are listed
once, every page, when the receipt's first line of the item is delivered, and kept for
the receipt's later lines (keyed by the receipt, taken from the line's document
``receipt-line:<receipt>/<line>``, and the item), with every batch this station creates
added. A line therefore costs about one request per new batch, and none for a batch
already listed. The list is not trusted where it matters:

- ``was_applied`` always lists again (and refreshes the kept list): a create that timed
  out after Zoho applied it is found, never made twice;
- a create Zoho refuses as a duplicate (``Conflict``: another station created that number
  meanwhile) drops the kept list, lists again and judges the batch found;
- a date conflict found in the kept list is checked on a fresh list before it is reported;
- a kept list older than ``max_age`` seconds, or of a receipt not used for a while (at most
  ``receipts`` receipts and items are kept), is listed again.

Quantities: Zoho's batch API has no quantity to send; ``balance_quantity`` follows Zoho's
own stock transactions (the purchase receive). The station assigns the batch; the received
quantity reaches Zoho with that receive.

``serial.receive``: the seeds' serial-number API lists, reads and validates serials but
has no call that creates one: in Zoho a serial number comes into being on the incoming
transaction (purchase receive, inventory adjustment) that carries it, and those
endpoints are not in the documented API this station follows. The closest right thing is
to check rather than guess an undocumented call: the entry is delivered when Zoho lists
the serial for the item (``show_transacted_out=true``: one received and already gone out
counts), and otherwise fails with words saying what to do in Zoho before retrying it.

Both write the local copy on delivery (``record_locally``): the batch Zoho created or
reused is in the store's lookup index at once, as is a confirmed serial.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import asdict
from typing import Any, Final

from scanner_app.backends.errors import Conflict, NotFound
from scanner_app.backends.zoho import NewBatch, ZohoClient
from scanner_app.inventory.code_keys import text_key
from scanner_app.inventory.models import Batch
from scanner_app.outbox.batch_receipts import BatchAssignment, SerialReceipt
from scanner_app.outbox.entries import OutboxEntry
from scanner_app.outbox.local_copy import LocalCopy

BACKEND: Final = "Zoho Inventory"
KEEP_RECEIPTS: Final = 16  # receipt-and-item lists kept at once
KEEP_SECONDS: Final = 600.0  # a kept list older than this is listed again

CacheKey = tuple[str, str]  # (receipt, item_id)


def receipt_of(entry: OutboxEntry, a: BatchAssignment) -> str:
    """The receipt a line belongs to: its document without the line's position."""
    document = entry.document
    if document.startswith("receipt-line:") and "/" in document:
        return document.rsplit("/", 1)[0]
    return f"{document}|{a.reference or ''}"


class ReceiptBatches:
    """The batches of each (receipt, item) as last listed, plus those created since.
    Thread-safe; ``clock`` is monotonic seconds."""

    def __init__(self, *, receipts: int = KEEP_RECEIPTS, max_age: float = KEEP_SECONDS,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._kept: OrderedDict[CacheKey, tuple[float, dict[str, list[Batch]]]] = OrderedDict()
        self._receipts, self._max_age, self._clock = receipts, max_age, clock
        self._lock = threading.Lock()

    def get(self, key: CacheKey) -> dict[str, list[Batch]] | None:
        with self._lock:
            kept = self._kept.get(key)
            if kept is None or self._clock() - kept[0] > self._max_age:
                self._kept.pop(key, None)
                return None
            self._kept.move_to_end(key)
            return kept[1]

    def put(self, key: CacheKey, batches: list[Batch]) -> dict[str, list[Batch]]:
        by_number: dict[str, list[Batch]] = {}
        for batch in batches:
            by_number.setdefault(text_key(batch.batch_number), []).append(batch)
        with self._lock:
            self._kept[key] = (self._clock(), by_number)
            self._kept.move_to_end(key)
            while len(self._kept) > self._receipts:
                self._kept.popitem(last=False)
        return by_number

    def add(self, key: CacheKey, batch: Batch) -> None:
        """A batch this station created: later lines of the receipt find it."""
        with self._lock:
            kept = self._kept.get(key)
            if kept is not None:
                kept[1].setdefault(text_key(batch.batch_number), []).append(batch)

    def drop(self, key: CacheKey) -> None:
        with self._lock:
            self._kept.pop(key, None)


class ZohoBatchAssignmentDeliverer:
    """``batch.assign`` for the organisation of ``client()`` (called per delivery)."""

    def __init__(self, client: Callable[[], ZohoClient], *, kept: ReceiptBatches | None = None) -> None:
        self._client = client
        self.kept = kept or ReceiptBatches()

    def deliver(self, entry: OutboxEntry) -> Mapping[str, Any]:
        a = BatchAssignment.from_payload(entry.payload)
        key = (receipt_of(entry, a), a.item_id)
        client = self._client()
        by_number = self.kept.get(key)
        fresh = by_number is None
        if by_number is None:
            by_number = self._list(client, key)
        found = _same_number(by_number, a)
        if found is not None:
            if not fresh and a.date_differences(found):  # a conflict is reported from a fresh list only
                found = _same_number(self._list(client, key), a)
            if found is not None:
                return _reused(a, found)
        try:
            created = client.create_batch(NewBatch(
                item_id=a.item_id, batch_number=a.batch_number, manufacturer_batch_number=a.manufacturer_batch_number,
                manufactured_date=a.manufactured_date, expiry_date=a.expiry_date))
        except Conflict:
            self.kept.drop(key)  # created elsewhere since the list: list again
            found = _same_number(self._list(client, key), a)
            if found is None:
                raise
            return _reused(a, found)
        self.kept.add(key, created)
        return {"batch_id": created.batch_id, "batch_number": created.batch_number, "created": True,
                "batch": _fields(created)}

    def was_applied(self, entry: OutboxEntry) -> Mapping[str, Any] | None:
        a = BatchAssignment.from_payload(entry.payload)
        # never from the kept list: an earlier create whose answer was lost is only in a fresh one
        found = _same_number(self._list(self._client(), (receipt_of(entry, a), a.item_id)), a)
        if found is None:
            return None
        return {**_reused(a, found), "found_applied": True}

    def record_locally(self, local: LocalCopy, entry: OutboxEntry, result: Mapping[str, Any]) -> None:
        a = BatchAssignment.from_payload(entry.payload)
        fields = result.get("batch")
        if not isinstance(fields, Mapping) or not result.get("batch_id"):
            return
        local.batch_known(Batch(**{**fields, "batch_id": str(result["batch_id"]), "item_id": a.item_id}),
                          warehouse_id=a.warehouse_id, bin_id=a.bin_id)

    def _list(self, client: ZohoClient, key: CacheKey) -> dict[str, list[Batch]]:
        return self.kept.put(key, client.batches(key[1]))


def _same_number(by_number: Mapping[str, list[Batch]], a: BatchAssignment) -> Batch | None:
    matches = by_number.get(text_key(a.batch_number), [])
    exact = [b for b in matches if b.batch_number == a.batch_number]
    return (exact or matches)[0] if matches else None


def _fields(batch: Batch) -> dict[str, Any]:
    """The batch as Zoho has it, for the local copy (the entry's result keeps it)."""
    return {k: v for k, v in asdict(batch).items() if k not in ("batch_id", "item_id")}


def _reused(a: BatchAssignment, batch: Batch) -> dict[str, Any]:
    return {**a.reuse(batch, BACKEND), "batch": _fields(batch)}  # Conflict when the dates differ


class ZohoSerialReceiptDeliverer:
    """``serial.receive``: confirmed when Zoho lists the serial (see the module docstring)."""

    def __init__(self, client: Callable[[], ZohoClient]) -> None:
        self._client = client

    def deliver(self, entry: OutboxEntry) -> Mapping[str, Any]:
        r = SerialReceipt.from_payload(entry.payload)
        for serial in self._client().serial_numbers(r.item_id, show_transacted_out=True):
            if serial.serialnumber == r.serialnumber:
                return {"serialnumber_id": serial.serialnumber_id, "serialnumber": r.serialnumber,
                        "confirmed_in_zoho": True}
        words = (f"serial number {r.serialnumber} is not in Zoho Inventory yet: Zoho's API creates serial numbers "
                 "only with the purchase receive that brings them in. Record it on the purchase receive"
                 f"{' ' + r.reference if r.reference else ''} in Zoho Inventory, then retry this line")
        raise NotFound(words, backend=BACKEND, operation="receive a serial number", vendor_message=words)

    def was_applied(self, entry: OutboxEntry) -> Mapping[str, Any] | None:
        return None  # deliver() only reads: sending it again is always safe

    def record_locally(self, local: LocalCopy, entry: OutboxEntry, result: Mapping[str, Any]) -> None:
        r = SerialReceipt.from_payload(entry.payload)
        if result.get("serialnumber_id"):
            local.serial_known(str(result["serialnumber_id"]), r.serialnumber, r.item_id,
                               warehouse_id=r.warehouse_id, bin_id=r.bin_id)
