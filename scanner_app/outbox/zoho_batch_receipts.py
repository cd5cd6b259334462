"""Delivering receipt lines to Zoho Inventory.

``batch.assign`` (``GET /items/batches?item_id=&search_text=``, ``POST /items/batches``):
the item's batches are searched by the batch number (Zoho's search_text also matches
manufacturer batch numbers and parts of numbers, so the answer is narrowed to the same
number, compared case-insensitively like the station's lookup). One found is reused when
its dates agree and is a conflict (``Conflict``, code ``DATES_DIFFER``) when they differ;
with none, the batch is created. A create that Zoho refuses as a duplicate (another
station created it meanwhile) is searched again and judged the same way.

Exactly once: ``was_applied`` is the same search without the create. A create that timed
out after Zoho applied it is therefore found (and reused) instead of created twice; the
relay asks before it resends (``check_before_send``), and even a plain resend searches
first. Each line costs one GET, plus one POST when the batch is new.

Quantities: Zoho's batch API (shared/seeds) has no quantity to send; ``balance_quantity``
follows Zoho's own stock transactions (the purchase receive). The station assigns the
batch; the received quantity reaches Zoho with that receive.

``serial.receive``: the seeds' serial-number API lists, reads and validates serials but
has no call that creates one: in Zoho a serial number comes into being on the incoming
transaction (purchase receive, inventory adjustment) that carries it, and those
endpoints are not in the documented API this station follows. The closest right thing is
to check rather than guess an undocumented call: the entry is delivered when Zoho lists
the serial for the item (recorded on the purchase receive), and otherwise fails with
words saying what to do in Zoho before retrying it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final

from scanner_app.backends.errors import Conflict, NotFound
from scanner_app.backends.zoho import NewBatch, ZohoClient
from scanner_app.inventory.code_keys import text_key
from scanner_app.inventory.models import Batch
from scanner_app.outbox.batch_receipts import BatchAssignment, SerialReceipt
from scanner_app.outbox.entries import OutboxEntry

BACKEND: Final = "Zoho Inventory"


class ZohoBatchAssignmentDeliverer:
    """``batch.assign`` for the organisation of ``client()`` (called per delivery)."""

    def __init__(self, client: Callable[[], ZohoClient]) -> None:
        self._client = client

    def deliver(self, entry: OutboxEntry) -> Mapping[str, Any]:
        a = BatchAssignment.from_payload(entry.payload)
        client = self._client()
        found = _same_number(client, a)
        if found is not None:
            return a.reuse(found, BACKEND)
        try:
            created = client.create_batch(NewBatch(
                item_id=a.item_id, batch_number=a.batch_number, manufacturer_batch_number=a.manufacturer_batch_number,
                manufactured_date=a.manufactured_date, expiry_date=a.expiry_date))
        except Conflict:
            found = _same_number(client, a)  # created elsewhere between our search and our create
            if found is None:
                raise
            return a.reuse(found, BACKEND)
        return {"batch_id": created.batch_id, "batch_number": created.batch_number, "created": True}

    def was_applied(self, entry: OutboxEntry) -> Mapping[str, Any] | None:
        a = BatchAssignment.from_payload(entry.payload)
        found = _same_number(self._client(), a)
        if found is None:
            return None
        return {**a.reuse(found, BACKEND), "found_applied": True}


def _same_number(client: ZohoClient, a: BatchAssignment) -> Batch | None:
    wanted = text_key(a.batch_number)
    matches = [b for b in client.batches(a.item_id, search_text=a.batch_number) if text_key(b.batch_number) == wanted]
    exact = [b for b in matches if b.batch_number == a.batch_number]
    return (exact or matches or [None])[0]


class ZohoSerialReceiptDeliverer:
    """``serial.receive``: confirmed when Zoho lists the serial (see the module docstring)."""

    def __init__(self, client: Callable[[], ZohoClient]) -> None:
        self._client = client

    def deliver(self, entry: OutboxEntry) -> Mapping[str, Any]:
        r = SerialReceipt.from_payload(entry.payload)
        for serial in self._client().serial_numbers(r.item_id):
            if serial.serialnumber == r.serialnumber:
                return {"serialnumber_id": serial.serialnumber_id, "serialnumber": r.serialnumber,
                        "confirmed_in_zoho": True}
        words = (f"serial number {r.serialnumber} is not in Zoho Inventory yet: Zoho's API creates serial numbers "
                 "only with the purchase receive that brings them in. Record it on the purchase receive"
                 f"{' ' + r.reference if r.reference else ''} in Zoho Inventory, then retry this line")
        raise NotFound(words, backend=BACKEND, operation="receive a serial number", vendor_message=words)

    def was_applied(self, entry: OutboxEntry) -> Mapping[str, Any] | None:
        return None  # deliver() only reads: sending it again is always safe
