"""Receipt lines delivered into the embedded store by the relay's thread: a batch created
(scannable at once, quantity in stock), reused when the dates match, a conflict when they
differ (the line says so, and a correction resolves it), new serials created, and each
entry applied exactly once even when its answer was lost."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from scanner_app.codes import classify
from scanner_app.inventory.importer import import_document
from scanner_app.inventory.store import InventoryStore
from scanner_app.outbox import EMBEDDED_TARGET, Outbox, OutboxRelay, RetryPolicy
from scanner_app.outbox.batch_receipts import BATCH_ASSIGN, SERIAL_RECEIVE, BatchAssignment, SerialReceipt
from scanner_app.outbox.embedded_batch_receipts import EmbeddedBatchAssignmentDeliverer, EmbeddedSerialReceiptDeliverer
from scanner_app.outbox.entries import OutboxEntry
from scanner_app.scanning.pipeline import ScanPipeline
from scanner_app.workflows.receiving import ReceivingWorkflow
from scanner_app.workflows.receiving_answers import ReceiveAnswer
from scanner_app.workflows.receiving_rules import BatchFields
from tests.workflows.helpers import scanner
from tests.workflows.receiving_catalogue import MILK_GTIN, TODAY, gs1, receiving_catalogue

QUICK = RetryPolicy(max_attempts=3, backoff_seconds=0.01, max_backoff_seconds=0.05, idle_poll_seconds=0.2)


@pytest.fixture
def stocked(store: InventoryStore) -> InventoryStore:
    import_document(store, receiving_catalogue())
    return store


@pytest.fixture
def plain_outbox(stocked: InventoryStore) -> Outbox:
    return Outbox(stocked)  # the real clock: the relay runs on its thread


@pytest.fixture
def relay(plain_outbox: Outbox, stocked: InventoryStore) -> Iterator[OutboxRelay]:
    r = OutboxRelay(plain_outbox, EMBEDDED_TARGET, {BATCH_ASSIGN: EmbeddedBatchAssignmentDeliverer(stocked),
                                                    SERIAL_RECEIVE: EmbeddedSerialReceiptDeliverer(stocked)},
                    policy=QUICK)
    r.start()
    yield r
    r.stop()


@pytest.fixture
def workflow(plain_outbox: Outbox) -> Iterator[ReceivingWorkflow]:
    wf = ReceivingWorkflow(plain_outbox, EMBEDDED_TARGET, today=lambda: TODAY)
    yield wf
    wf.close()


@pytest.fixture
def scan(stocked: InventoryStore, workflow: ReceivingWorkflow) -> Callable[..., ReceiveAnswer]:
    return scanner(ScanPipeline(stocked), workflow)


def test_a_new_batch_is_created_with_its_quantity_in_stock(
        workflow: ReceivingWorkflow, scan: Callable[..., ReceiveAnswer], stocked: InventoryStore,
        relay: OutboxRelay) -> None:
    states: list[str] = []
    workflow.changed.connect(lambda wf: states.extend(line.state for line in wf.all_lines()))
    workflow.start("PO-1", "W1", "B1")
    scan(gs1(("01", MILK_GTIN), ("10", "L-NEW"), ("17", "261231"), ("37", "12")))
    assert relay.flush(10) == []
    [line] = workflow.all_lines()
    assert line.state == "assigned" and line.batch_id
    assert "queued" in states and "assigned" in states
    batch = stocked.get_batch(line.batch_id)
    assert batch is not None and (batch.batch_number, batch.expiry_date, batch.balance_quantity,
                                  batch.warehouse_id, batch.bin_id) == ("L-NEW", "2026-12-31", 12, "W1", "B1")
    assert stocked.lookup(classify("L-NEW")).batch == batch  # scannable at once
    assert stocked.connection().execute("SELECT quantity FROM item_stock WHERE item_id = 'I1' AND bin_id = 'B1'"
                                        ).fetchone() == (12,)


def test_a_known_batch_with_the_same_dates_is_reused(
        workflow: ReceivingWorkflow, scan: Callable[..., ReceiveAnswer], stocked: InventoryStore,
        relay: OutboxRelay) -> None:
    workflow.start(None, "W1")
    scan(gs1(("01", MILK_GTIN), ("10", "L-KNOWN"), ("11", "250110"), ("17", "260110"), ("37", "4")))
    assert relay.flush(10) == []
    [line] = workflow.all_lines()
    assert (line.state, line.batch_id) == ("assigned", "BA1")
    assert stocked.get_batch("BA1").balance_quantity == 9  # type: ignore[union-attr]
    assert stocked.connection().execute("SELECT count(*) FROM batches WHERE item_id = 'I1'").fetchone() == (1,)


def test_other_dates_are_a_conflict_until_the_line_is_corrected(
        workflow: ReceivingWorkflow, scan: Callable[..., ReceiveAnswer], stocked: InventoryStore,
        relay: OutboxRelay) -> None:
    workflow.start(None, "W1")
    scan(gs1(("01", MILK_GTIN), ("10", "L-KNOWN"), ("17", "260228"), ("37", "4")))
    left = relay.flush(10)
    assert [e.state for e in left] == ["failed"]
    [line] = workflow.all_lines()
    assert line.state == "conflict"
    assert line.reason == "batch L-KNOWN exists with other dates: expiry 2026-01-10 there, 2026-02-28 on this receipt"
    assert stocked.get_batch("BA1").balance_quantity == 5  # type: ignore[union-attr]
    assert workflow.correct(1, BatchFields("L-KNOWN", None, None, "2026-01-10", 4)).verdict == "line_corrected"
    assert relay.flush(10) == []
    assert workflow.all_lines()[0].state == "assigned"
    assert stocked.get_batch("BA1").balance_quantity == 9  # type: ignore[union-attr]


def test_new_serials_are_created_in_the_bin(workflow: ReceivingWorkflow, scan: Callable[..., ReceiveAnswer],
                                            stocked: InventoryStore, relay: OutboxRelay) -> None:
    workflow.start(None, "W1", "B2")
    scan("DRL-18")
    scan("SN-A")
    scan("SN-B")
    assert relay.flush(10) == []
    assert [line.state for line in workflow.all_lines()] == ["assigned", "assigned"]
    found = stocked.lookup(classify("SN-A"))
    assert found.serial is not None and (found.serial.item_id, found.serial.bin_id) == ("I2", "B2")
    assert scan("SN-A").verdict == "serial_exists"  # received now: a second receipt of it is refused


def test_a_serial_that_appeared_meanwhile_fails_with_the_reason(
        workflow: ReceivingWorkflow, scan: Callable[..., ReceiveAnswer], stocked: InventoryStore,
        relay: OutboxRelay) -> None:
    relay.stop()
    workflow.start(None, "W1")
    scan("DRL-18")
    scan("SN-RACE")
    import_document(stocked, {"serial_numbers": [{"serialnumber_id": "S9", "serialnumber": "SN-RACE",
                                                  "item_id": "I2"}]})  # e.g. a sync brought it in
    relay.start()
    relay.flush(10)
    [line] = workflow.all_lines()
    assert line.state == "failed" and "SN-RACE of Drill exists already" in (line.reason or "")


def _entry(payload: dict, kind: str = BATCH_ASSIGN) -> OutboxEntry:
    return OutboxEntry(entry_id=1, target=EMBEDDED_TARGET, document="receipt-line:1/1", kind=kind, payload=payload,
                       state="in_flight", attempts=0, next_attempt_at=0, check_before_send=True, last_error=None,
                       vendor_message=None, result=None, created_at=0, updated_at=0)


def test_an_entry_whose_answer_was_lost_is_applied_once(stocked: InventoryStore) -> None:
    deliverer = EmbeddedBatchAssignmentDeliverer(stocked)
    entry = _entry(BatchAssignment("I1", "L-ONCE", 3, "W1").to_payload())
    assert deliverer.was_applied(entry) is None
    first = deliverer.deliver(entry)
    assert deliverer.was_applied(entry) == {**first, "found_applied": True}
    assert deliverer.deliver(entry)["batch_id"] == first["batch_id"]  # a resend changes nothing
    assert stocked.get_batch(str(first["batch_id"])).balance_quantity == 3  # type: ignore[union-attr]


def test_a_serial_receipt_whose_answer_was_lost_is_applied_once(stocked: InventoryStore) -> None:
    deliverer = EmbeddedSerialReceiptDeliverer(stocked)
    entry = _entry(SerialReceipt("I2", "SN-ONCE", "W1", bin_id="B2").to_payload(), SERIAL_RECEIVE)
    assert deliverer.was_applied(entry) is None
    first = deliverer.deliver(entry)
    assert first["serialnumber"] == "SN-ONCE"
    assert deliverer.was_applied(entry) == {"serialnumber_id": first["serialnumber_id"], "serialnumber": "SN-ONCE",
                                            "found_applied": True}
    assert deliverer.deliver(entry)["serialnumber_id"] == first["serialnumber_id"]  # a resend changes nothing
    other = _entry(SerialReceipt("I2", "SN-OTHER", "W1").to_payload(), SERIAL_RECEIVE)
    assert deliverer.was_applied(other) is None  # applied is per receipt, not per item
    found = stocked.lookup(classify("SN-ONCE"))
    assert found.serial is not None and found.serial.serialnumber_id == first["serialnumber_id"]


@pytest.mark.parametrize(("payload", "error"), [
    (BatchAssignment("I3", "L-1", 1, "W1").to_payload(), "Tissues is not tracked by batch"),
    (BatchAssignment("I9", "L-1", 1, "W1").to_payload(), "item I9 does not exist"),
    (BatchAssignment("I1", "L-1", 1, "W1", bin_id="B9").to_payload(), "bin B9 is not in warehouse W1"),
])
def test_the_embedded_store_refuses_what_it_cannot_take(stocked: InventoryStore, payload: dict, error: str) -> None:
    with pytest.raises(Exception, match=error):
        EmbeddedBatchAssignmentDeliverer(stocked).deliver(_entry(payload))
    assert stocked.connection().execute("SELECT count(*) FROM embedded_receipt_applications").fetchone() == (0,)


# The batch rule: a batch number the store has is reused only when no date contradicts it;
# a manufactured date or an expiry that differs is a conflict, and nothing is added to it.
# L-KNOWN (BA1) in the store: manufactured 2025-01-10, expiry 2026-01-10, 5 in stock.
@pytest.mark.parametrize(("made", "expiry", "reason"), [
    ("250201", "260110", "batch L-KNOWN exists with other dates: manufactured 2025-01-10 there, "
                         "2025-02-01 on this receipt"),  # the manufactured date alone differs
    ("250110", "260111", "batch L-KNOWN exists with other dates: expiry 2026-01-10 there, "
                         "2026-01-11 on this receipt"),  # the expiry alone differs, by a day
    ("250109", "260228", "batch L-KNOWN exists with other dates: manufactured 2025-01-10 there, "
                         "2025-01-09 on this receipt; expiry 2026-01-10 there, 2026-02-28 on this receipt"),
])
def test_a_known_batch_number_with_another_date_is_a_conflict_and_not_reused(
        workflow: ReceivingWorkflow, scan: Callable[..., ReceiveAnswer], stocked: InventoryStore,
        relay: OutboxRelay, made: str, expiry: str, reason: str) -> None:
    workflow.start(None, "W1")
    answer = scan(gs1(("01", MILK_GTIN), ("10", "L-KNOWN"), ("11", made), ("17", expiry), ("37", "4")))
    assert answer.verdict == "line_added", answer.message
    assert [e.state for e in relay.flush(10)] == ["failed"]
    [line] = workflow.all_lines()
    assert (line.state, line.reason, line.batch_id) == ("conflict", reason, None)
    assert stocked.get_batch("BA1").balance_quantity == 5  # type: ignore[union-attr]
    assert stocked.connection().execute("SELECT count(*) FROM batches WHERE item_id = 'I1'").fetchone() == (1,)
    assert stocked.connection().execute("SELECT count(*) FROM item_stock WHERE item_id = 'I1' AND quantity > 0"
                                        " AND warehouse_id = 'W1'").fetchone() == (0,)


def test_a_known_batch_received_without_a_manufactured_date_is_reused_by_its_expiry(
        workflow: ReceivingWorkflow, scan: Callable[..., ReceiveAnswer], stocked: InventoryStore,
        relay: OutboxRelay) -> None:
    workflow.start(None, "W1")  # a date missing on one side contradicts nothing
    scan(gs1(("01", MILK_GTIN), ("10", "L-KNOWN"), ("17", "260110"), ("37", "4")))
    assert relay.flush(10) == []
    [line] = workflow.all_lines()
    assert (line.state, line.batch_id) == ("assigned", "BA1")
    assert stocked.get_batch("BA1").balance_quantity == 9  # type: ignore[union-attr]
