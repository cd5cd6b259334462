"""Receipt lines delivered into the embedded inventory: what the station records and says
when the store refuses one, and what the store holds after one is applied.

Pinned here (the rules ``embedded_batch_receipts`` states, observed through the relay and
the outbox entry a person reads, or through the store a scan then reads):

- every refusal (unknown item, item not tracked that way, unknown warehouse, a bin of
  another warehouse, a serial the item has already, a batch whose dates differ) fails the
  entry with the whole sentence: "Embedded inventory: <what> (<the step>)", the store's
  own words as ``vendor_message``, and nothing applied;
- a new batch is active and scannable by its number and its manufacturer's batch number;
- a new serial is active, in its bin, and adds exactly one to that bin's stock;
- the answer of a batch or serial receipt (which batch, whether it was created, which
  serial) is the same when the entry is sent again after its answer was lost, and
  ``was_applied`` reports exactly that answer, marked as found.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from scanner_app.codes import classify
from scanner_app.inventory.importer import import_document
from scanner_app.inventory.store import InventoryStore
from scanner_app.outbox import EMBEDDED_TARGET, Outbox, OutboxRelay
from scanner_app.outbox.batch_receipts import (
    BATCH_ASSIGN,
    SERIAL_RECEIVE,
    BatchAssignment,
    SerialReceipt,
    line_document,
)
from scanner_app.outbox.embedded_batch_receipts import EmbeddedBatchAssignmentDeliverer, EmbeddedSerialReceiptDeliverer
from scanner_app.outbox.entries import OutboxEntry
from tests.backends.fake_clock import FakeClock
from tests.outbox.helpers import line_by_line
from tests.workflows.receiving_catalogue import receiving_catalogue

TODAY = "2025-06-01"


@pytest.fixture
def stocked(store: InventoryStore) -> InventoryStore:
    """Milk powder (I1, by batch; L-KNOWN = BA1), Drill (I2, by serial; SN-OLD), Tissues (I3,
    untracked); Main (W1) with bins B1 and B2, North (W2) with B9."""
    import_document(store, receiving_catalogue())
    return store


@pytest.fixture
def batches(stocked: InventoryStore, outbox_clock: FakeClock) -> EmbeddedBatchAssignmentDeliverer:
    return EmbeddedBatchAssignmentDeliverer(stocked, now=outbox_clock.time)


@pytest.fixture
def serials(stocked: InventoryStore, outbox_clock: FakeClock) -> EmbeddedSerialReceiptDeliverer:
    return EmbeddedSerialReceiptDeliverer(stocked, now=outbox_clock.time)


@pytest.fixture
def send(outbox: Outbox, make_relay: Callable[..., OutboxRelay], batches: EmbeddedBatchAssignmentDeliverer,
         serials: EmbeddedSerialReceiptDeliverer) -> Callable[[str, dict[str, Any]], OutboxEntry]:
    """Record one receipt line's entry and let the relay (no thread) deliver it; returns the
    entry as the outbox holds it afterwards."""
    relay = make_relay(target=EMBEDDED_TARGET, deliverers={BATCH_ASSIGN: batches, SERIAL_RECEIVE: serials})
    return line_by_line(outbox, relay)


def _applications(store: InventoryStore) -> int:
    return int(store.connection().execute("SELECT count(*) FROM embedded_receipt_applications").fetchone()[0])


def _stock(store: InventoryStore, item_id: str) -> list[tuple[str, str | None, float]]:
    return [(str(warehouse), bin_id, float(quantity)) for warehouse, bin_id, quantity in store.connection().execute(
        "SELECT warehouse_id, bin_id, quantity FROM item_stock WHERE item_id = ? AND quantity != 0"
        " ORDER BY warehouse_id, bin_id", (item_id,))]


# -- refusals: the sentence a person reads on the failed entry ----------------------------

@pytest.mark.parametrize(("kind", "payload", "last_error", "vendor_message"), [
    pytest.param(BATCH_ASSIGN, BatchAssignment("I9", "L-1", 1, "W1").to_payload(),
                 "Embedded inventory: item I9 does not exist (assign a batch)", None, id="batch-unknown-item"),
    pytest.param(SERIAL_RECEIVE, SerialReceipt("I9", "SN-1", "W1").to_payload(),
                 "Embedded inventory: item I9 does not exist (receive a serial number)", None,
                 id="serial-unknown-item"),
    pytest.param(BATCH_ASSIGN, BatchAssignment("I3", "L-1", 1, "W1").to_payload(),
                 "Embedded inventory: Tissues is not tracked by batch (assign a batch)",
                 "batch tracking is not enabled for Tissues", id="batch-untracked-item"),
    pytest.param(SERIAL_RECEIVE, SerialReceipt("I3", "SN-1", "W1").to_payload(),
                 "Embedded inventory: Tissues is not tracked by serial number (receive a serial number)",
                 "serial number tracking is not enabled for Tissues", id="serial-untracked-item"),
    pytest.param(BATCH_ASSIGN, BatchAssignment("I1", "L-1", 1, "W7").to_payload(),
                 "Embedded inventory: warehouse W7 does not exist (assign a batch)", None,
                 id="batch-unknown-warehouse"),
    pytest.param(SERIAL_RECEIVE, SerialReceipt("I2", "SN-1", "W7").to_payload(),
                 "Embedded inventory: warehouse W7 does not exist (receive a serial number)", None,
                 id="serial-unknown-warehouse"),
    pytest.param(BATCH_ASSIGN, BatchAssignment("I1", "L-1", 1, "W1", bin_id="B9").to_payload(),
                 "Embedded inventory: bin B9 is not in warehouse W1 (assign a batch)", None,
                 id="batch-bin-of-another-warehouse"),
    pytest.param(SERIAL_RECEIVE, SerialReceipt("I2", "SN-1", "W1", bin_id="B9").to_payload(),
                 "Embedded inventory: bin B9 is not in warehouse W1 (receive a serial number)", None,
                 id="serial-bin-of-another-warehouse"),
    pytest.param(SERIAL_RECEIVE, SerialReceipt("I2", "SN-OLD", "W1").to_payload(),
                 "Embedded inventory: serial number SN-OLD of Drill exists already (receive a serial number)",
                 "serial number SN-OLD of Drill exists already", id="serial-exists"),
    pytest.param(BATCH_ASSIGN, BatchAssignment("I1", "L-KNOWN", 4, "W1", expiry_date="2026-02-28").to_payload(),
                 "Embedded inventory: batch L-KNOWN exists with other dates: expiry 2026-01-10 there, "
                 "2026-02-28 on this receipt (code batch-dates-differ, assign a batch)",
                 "batch L-KNOWN exists with other dates: expiry 2026-01-10 there, 2026-02-28 on this receipt",
                 id="batch-dates-differ"),
])
def test_a_refused_receipt_line_fails_with_the_stores_sentence_and_nothing_applied(
        send: Callable[[str, dict[str, Any]], OutboxEntry], stocked: InventoryStore, kind: str,
        payload: dict[str, Any], last_error: str, vendor_message: str | None) -> None:
    entry = send(kind, payload)
    assert (entry.state, entry.last_error, entry.vendor_message) == ("failed", last_error, vendor_message)
    assert _applications(stocked) == 0
    assert _stock(stocked, "I1") == [] and _stock(stocked, "I2") == []
    assert stocked.get_batch("BA1").balance_quantity == 5  # type: ignore[union-attr]


# -- what the store holds after a receipt line ---------------------------------------------

def test_a_new_batch_is_active_and_scannable_by_its_manufacturers_batch_number(
        send: Callable[[str, dict[str, Any]], OutboxEntry], stocked: InventoryStore) -> None:
    entry = send(BATCH_ASSIGN, BatchAssignment("I1", "L-NEW", 6, "W1", bin_id="B1",
                                               manufacturer_batch_number="MFR-77").to_payload())
    assert entry.state == "delivered", entry.last_error
    assert entry.result is not None
    batch_id = entry.result["batch_id"]
    for code in ("L-NEW", "mfr-77"):  # matched case-insensitively, like every text code
        found = stocked.lookup(classify(code), today=TODAY)
        assert found.batch is not None and found.batch.batch_id == batch_id, code
        assert found.notes == (), code  # active: nothing to warn about
    batch = stocked.get_batch(batch_id)
    assert batch is not None and (batch.status, batch.manufacturer_batch_number) == ("active", "MFR-77")
    assert _stock(stocked, "I1") == [("W1", "B1", 6)]


def test_a_new_serial_is_active_in_its_bin_and_adds_one_to_that_bins_stock(
        send: Callable[[str, dict[str, Any]], OutboxEntry], stocked: InventoryStore) -> None:
    first = send(SERIAL_RECEIVE, SerialReceipt("I2", "SN-NEW-1", "W1", bin_id="B2").to_payload())
    assert first.state == "delivered", first.last_error
    found = stocked.lookup(classify("SN-NEW-1"), today=TODAY)
    assert found.serial is not None and (found.serial.status, found.serial.bin_id) == ("active", "B2")
    assert found.notes == ()
    assert _stock(stocked, "I2") == [("W1", "B2", 1)]
    send(SERIAL_RECEIVE, SerialReceipt("I2", "SN-NEW-2", "W1", bin_id="B2").to_payload())
    assert _stock(stocked, "I2") == [("W1", "B2", 2)]


# -- the answer, and the same answer after it was lost -------------------------------------

def test_a_new_batch_is_answered_as_created_and_a_resend_answers_the_same(
        send: Callable[[str, dict[str, Any]], OutboxEntry], batches: EmbeddedBatchAssignmentDeliverer,
        stocked: InventoryStore) -> None:
    entry = send(BATCH_ASSIGN, BatchAssignment("I1", "L-NEW", 3, "W1").to_payload())
    assert entry.result is not None
    assert (entry.result["batch_number"], entry.result["created"]) == ("L-NEW", True)
    batch = stocked.get_batch(entry.result["batch_id"])
    assert batch is not None and batch.batch_number == "L-NEW"
    # the answer was lost: sent again, the store changes nothing and answers as before
    assert dict(batches.deliver(entry)) == entry.result
    assert batches.was_applied(entry) == {**entry.result, "found_applied": True}
    assert stocked.get_batch(entry.result["batch_id"]).balance_quantity == 3  # type: ignore[union-attr]
    assert _stock(stocked, "I1") == [("W1", None, 3)]


def test_a_reused_batch_is_answered_as_not_created_and_a_resend_answers_the_same(
        send: Callable[[str, dict[str, Any]], OutboxEntry], batches: EmbeddedBatchAssignmentDeliverer,
        stocked: InventoryStore) -> None:
    entry = send(BATCH_ASSIGN, BatchAssignment("I1", "L-KNOWN", 4, "W1", expiry_date="2026-01-10").to_payload())
    assert entry.result == {"batch_id": "BA1", "batch_number": "L-KNOWN", "created": False}
    assert dict(batches.deliver(entry)) == {"batch_id": "BA1", "batch_number": "L-KNOWN", "created": False}
    assert batches.was_applied(entry) == {"batch_id": "BA1", "batch_number": "L-KNOWN", "created": False,
                                          "found_applied": True}
    assert stocked.get_batch("BA1").balance_quantity == 9  # type: ignore[union-attr]


def test_a_serial_receipt_is_answered_with_its_serial_and_a_resend_answers_the_same(
        send: Callable[[str, dict[str, Any]], OutboxEntry], serials: EmbeddedSerialReceiptDeliverer,
        stocked: InventoryStore) -> None:
    other = send(SERIAL_RECEIVE, SerialReceipt("I2", "SN-FIRST", "W1").to_payload())
    entry = send(SERIAL_RECEIVE, SerialReceipt("I2", "SN-NEW", "W1", bin_id="B2").to_payload())
    assert entry.result is not None and set(entry.result) == {"serialnumber_id", "serialnumber"}
    assert entry.result["serialnumber"] == "SN-NEW"
    found = stocked.lookup(classify("SN-NEW"), today=TODAY)
    assert found.serial is not None and found.serial.serialnumber_id == entry.result["serialnumber_id"]
    # the answer was lost: sent again, nothing changes and the answer is the same
    assert dict(serials.deliver(entry)) == entry.result
    assert serials.was_applied(entry) == {**entry.result, "found_applied": True}
    assert serials.was_applied(other) == {**(other.result or {}), "found_applied": True}
    assert other.result != entry.result
    assert _stock(stocked, "I2") == [("W1", None, 1), ("W1", "B2", 1)]


def test_a_serial_receipt_never_sent_is_not_found_applied(
        serials: EmbeddedSerialReceiptDeliverer, send: Callable[[str, dict[str, Any]], OutboxEntry]) -> None:
    send(SERIAL_RECEIVE, SerialReceipt("I2", "SN-SENT", "W1").to_payload())
    unsent = OutboxEntry(entry_id=99, target=EMBEDDED_TARGET, document=line_document(2, 1), kind=SERIAL_RECEIVE,
                         payload=SerialReceipt("I2", "SN-SENT", "W1").to_payload(), state="in_flight", attempts=1,
                         next_attempt_at=0, check_before_send=True, last_error=None, vendor_message=None,
                         result=None, created_at=0, updated_at=0)
    assert serials.was_applied(unsent) is None  # same serial, another receipt (another key): not this one
