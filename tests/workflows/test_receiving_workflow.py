"""The receive workflow's rules, scan by scan: GS1 labels to lines, quantity adding up,
every refusal (with nothing recorded), corrections and cancellations in one transaction
with their outbox entries, and a receipt restored after a restart."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from scanner_app.inventory.store import InventoryStore
from scanner_app.jobs.ownership import JobInUse
from scanner_app.outbox import EMBEDDED_TARGET, Outbox
from scanner_app.outbox.batch_receipts import BATCH_ASSIGN, SERIAL_RECEIVE
from scanner_app.workflows.receiving import BatchDraft, ReceivingWorkflow
from scanner_app.workflows.receiving_answers import ReceiveAnswer, ReceiveNotReady
from scanner_app.workflows.receiving_rules import BatchFields
from tests.workflows.receiving_bench import catalogue, scan, workflow  # noqa: F401 (fixtures)
from tests.workflows.receiving_catalogue import DRILL_GTIN, MILK_GTIN, TODAY, gs1


def entries(outbox: Outbox, kind: str | None = None) -> list[tuple[str, dict]]:
    return [(e.state, e.payload) for e in outbox.entries() if kind is None or e.kind == kind]


def test_a_gs1_label_fills_a_batch_line_in_one_scan(workflow: ReceivingWorkflow, scan: Callable[..., ReceiveAnswer],
                                                    outbox: Outbox) -> None:
    workflow.start("PO-1001", "W1", "B1")
    answer = scan(gs1(("01", MILK_GTIN), ("10", "L-NEW"), ("11", "250101"), ("17", "261200"), ("37", "12")))
    assert answer.verdict == "line_added", answer.message
    line = answer.line
    assert line is not None and (line.item_id, line.batch_number, line.manufactured_date, line.expiry_date,
                                 line.quantity, line.state) == ("I1", "L-NEW", "2025-01-01", "2026-12-31", 12, "queued")
    [(state, payload)] = entries(outbox, BATCH_ASSIGN)
    assert state == "pending"
    assert {k: payload[k] for k in ("item_id", "batch_number", "expiry_date", "quantity", "warehouse_id", "bin_id",
                                    "reference")} == {
        "item_id": "I1", "batch_number": "L-NEW", "expiry_date": "2026-12-31", "quantity": 12.0,
        "warehouse_id": "W1", "bin_id": "B1", "reference": "PO-1001"}


def test_the_same_item_and_batch_again_adds_to_its_quantity(workflow: ReceivingWorkflow,
                                                            scan: Callable[..., ReceiveAnswer], outbox: Outbox) -> None:
    workflow.start(None, "W1")
    label = gs1(("01", MILK_GTIN), ("10", "L-1"), ("17", "261231"), ("37", "6"))
    assert scan(label).verdict == "line_added"
    again = scan(label)
    assert again.verdict == "quantity_added" and "now 12 (+6)" in again.message
    assert scan("MLK-1").verdict == "item_selected"
    typed = scan("L-1", BatchDraft(quantity=3))  # the batch typed or scanned alone, quantity typed
    assert typed.verdict == "quantity_added"
    [line] = workflow.all_lines()
    assert line.quantity == 15
    # the pending entry was replaced each time: one live entry carries the sum
    live = [(s, p["quantity"]) for s, p in entries(outbox, BATCH_ASSIGN) if s != "discarded"]
    assert live == [("pending", 15.0)]
    assert workflow.totals()["units"] == 15 and workflow.totals()["lines"] == 1


def test_quantity_after_delivery_goes_as_an_entry_of_its_own(workflow: ReceivingWorkflow,
                                                             scan: Callable[..., ReceiveAnswer], outbox: Outbox) -> None:
    workflow.start(None, "W1")
    label = gs1(("01", MILK_GTIN), ("10", "L-1"), ("37", "6"))
    scan(label)
    [first] = outbox.entries()
    outbox.store.connection().execute("UPDATE outbox_entries SET state = 'delivered' WHERE entry_id = ?",
                                      (first.entry_id,))
    assert scan(label).verdict == "quantity_added"
    assert [(s, p["quantity"]) for s, p in entries(outbox)] == [("delivered", 6.0), ("pending", 6.0)]


def test_a_batch_known_to_the_store_brings_its_dates(workflow: ReceivingWorkflow,
                                                     scan: Callable[..., ReceiveAnswer]) -> None:
    workflow.start(None, "W1")
    answer = scan("L-KNOWN")  # a batch alone names its item
    assert answer.verdict == "line_added" and answer.line is not None
    assert (answer.line.item_id, answer.line.expiry_date, answer.line.manufactured_date) == (
        "I1", "2026-01-10", "2025-01-10")
    assert answer.note == "batch L-KNOWN is known: it will be reused"


def test_typed_dates_go_with_a_scanned_batch_number(workflow: ReceivingWorkflow,
                                                    scan: Callable[..., ReceiveAnswer]) -> None:
    workflow.start(None, "W1")
    scan("MLK-1")
    answer = scan("LOT-9", BatchDraft(quantity=4, manufacturer_batch_number="M-9", expiry_date="2027-03-01"))
    assert answer.line is not None and (answer.line.batch_number, answer.line.manufacturer_batch_number,
                                        answer.line.expiry_date, answer.line.quantity) == ("LOT-9", "M-9",
                                                                                           "2027-03-01", 4)


def test_serial_lines_and_their_refusals(workflow: ReceivingWorkflow, scan: Callable[..., ReceiveAnswer],
                                         outbox: Outbox) -> None:
    workflow.start(None, "W1", "B1")
    assert scan("DRL-18").verdict == "item_selected"
    assert scan("SN-100").verdict == "line_added"
    assert scan(gs1(("01", DRILL_GTIN), ("21", "SN-101"))).verdict == "line_added"
    twice = scan("SN-100")
    assert twice.verdict == "serial_twice" and twice.message == "SN-100 is already line 1 of this receipt"
    exists = scan("SN-OLD")
    assert exists.verdict == "serial_exists" and exists.message == "SN-OLD is already a serial number of Drill"
    assert scan(gs1(("01", DRILL_GTIN), ("21", "SN-OLD"))).verdict == "serial_exists"
    assert [p["serialnumber"] for _, p in entries(outbox, SERIAL_RECEIVE)] == ["SN-100", "SN-101"]


def test_a_serial_being_received_by_another_receipt_is_refused(workflow: ReceivingWorkflow,
                                                              scan: Callable[..., ReceiveAnswer]) -> None:
    first = workflow.start("PO-1", "W1")
    scan("DRL-18")
    scan("SN-200")
    workflow.start("PO-2", "W1")
    scan("DRL-18")
    answer = scan("SN-200")
    assert answer.verdict == "serial_being_received"
    assert answer.message == f"SN-200 of Drill is being received with receipt {first.receipt_id} (PO-1)"


@pytest.mark.parametrize(("codes", "verdict", "words"), [
    (["TIS-100"], "not_tracked", "Tissues is tracked by neither batch nor serial number"),
    (["SYR-OLD"], "item_inactive", "Old syrup is inactive"),
    (["NOTHING-HERE"], "no_item", "No item"),
    (["]C1" + "0109506000134390"], "unknown_item", "No item with GTIN"),  # a valid GTIN nobody has
    (["]C1" + "0109506000134353"], "invalid",  # a wrong check digit: its own words, not "not found"
     "the GTIN in AI (01) has a wrong check digit: expected 2, got 3"),
    (["A-01-02", "N-09"], "bin_other_warehouse", "Bin N-09 is in North, not in this receipt's warehouse"),
])
def test_refusals_record_nothing(workflow: ReceivingWorkflow, scan: Callable[..., ReceiveAnswer], outbox: Outbox,
                                 codes: list[str], verdict: str, words: str) -> None:
    workflow.start(None, "W1")
    answers = [scan(code) for code in codes]
    assert answers[-1].verdict == verdict and words in answers[-1].message
    assert not answers[-1].accepted and outbox.entries() == [] and workflow.all_lines() == []


def test_nothing_is_taken_without_a_receipt(scan: Callable[..., ReceiveAnswer]) -> None:
    assert scan("MLK-1").verdict == "no_receipt"


def test_expiry_before_manufactured_is_refused(workflow: ReceivingWorkflow, scan: Callable[..., ReceiveAnswer],
                                               outbox: Outbox) -> None:
    workflow.start(None, "W1")
    answer = scan(gs1(("01", MILK_GTIN), ("10", "L-BAD"), ("11", "260101"), ("17", "251231")))
    assert answer.verdict == "expiry_before_manufactured"
    assert answer.message == "Batch L-BAD refused: the expiry 2025-12-31 is before the manufactured date 2026-01-01"
    assert outbox.entries() == []


def test_an_expiring_batch_waits_for_confirmation(workflow: ReceivingWorkflow, scan: Callable[..., ReceiveAnswer],
                                                  outbox: Outbox) -> None:
    workflow.start(None, "W1")
    answer = scan(gs1(("01", MILK_GTIN), ("10", "L-SOON"), ("17", "250600"), ("37", "2")))  # 2025-06-30
    assert answer.verdict == "needs_confirmation" and answer.pending is not None
    assert "expires on 2025-06-30 (in 29 days" in answer.message and outbox.entries() == []
    confirmed = workflow.confirm(answer.pending)
    assert confirmed.verdict == "line_added" and confirmed.line is not None and confirmed.line.quantity == 2
    expired = scan(gs1(("01", MILK_GTIN), ("10", "L-OLD"), ("17", "250101")))
    assert expired.verdict == "needs_confirmation" and "expired on 2025-01-01" in expired.message


def test_the_same_batch_with_other_dates_is_refused(workflow: ReceivingWorkflow,
                                                    scan: Callable[..., ReceiveAnswer]) -> None:
    workflow.start(None, "W1")
    scan(gs1(("01", MILK_GTIN), ("10", "L-1"), ("17", "261231")))
    answer = scan(gs1(("01", MILK_GTIN), ("10", "L-1"), ("17", "270131")))
    assert answer.verdict == "batch_details_differ" and "line 1 with another expiry" in answer.message
    assert workflow.all_lines()[0].quantity == 1


def test_a_line_is_corrected_with_its_entry_replaced(workflow: ReceivingWorkflow, scan: Callable[..., ReceiveAnswer],
                                                     outbox: Outbox) -> None:
    workflow.start(None, "W1")
    scan(gs1(("01", MILK_GTIN), ("10", "L-1"), ("17", "261231"), ("37", "5")))
    assert workflow.correct(1, BatchFields("L-1B", None, None, "271231", 7)).verdict == "bad_field"
    answer = workflow.correct(1, BatchFields("L-1B", None, None, "2027-12-31", 7))
    assert answer.verdict == "line_corrected"
    assert [(s, p["batch_number"], p["quantity"]) for s, p in entries(outbox)] == [
        ("discarded", "L-1", 5.0), ("pending", "L-1B", 7.0)]
    [line] = workflow.all_lines()
    assert (line.batch_number, line.quantity, line.state) == ("L-1B", 7, "queued")
    assert outbox.actions(outbox.entries()[0].entry_id)[0].reason == "line corrected"


def test_a_cancelled_line_sends_nothing(workflow: ReceivingWorkflow, scan: Callable[..., ReceiveAnswer],
                                        outbox: Outbox) -> None:
    workflow.start(None, "W1")
    scan("DRL-18")
    scan("SN-300")
    assert workflow.cancel_line(1).verdict == "line_cancelled"
    assert [s for s, _ in entries(outbox)] == ["discarded"]
    assert workflow.all_lines()[0].state == "cancelled" and workflow.totals()["lines"] == 0
    assert scan("SN-300").verdict == "line_added"  # no longer in the receipt


def test_a_delivered_line_cannot_be_corrected_or_cancelled(workflow: ReceivingWorkflow, outbox: Outbox,
                                                           scan: Callable[..., ReceiveAnswer]) -> None:
    workflow.start(None, "W1")
    scan(gs1(("01", MILK_GTIN), ("10", "L-1")))
    outbox.store.connection().execute("UPDATE outbox_entries SET state = 'in_flight'")
    workflow.reload()
    assert workflow.all_lines()[0].state == "assigning"
    assert workflow.cancel_line(1).verdict == "line_not_changeable"
    refused = workflow.correct(1, BatchFields("L-2"))
    assert refused.verdict == "line_not_changeable" and "assigning" in refused.message
    assert [e.state for e in outbox.entries()] == ["in_flight"]


def test_a_correction_that_loses_the_race_with_the_relay_changes_nothing(
        workflow: ReceivingWorkflow, outbox: Outbox, scan: Callable[..., ReceiveAnswer]) -> None:
    workflow.start(None, "W1")
    scan(gs1(("01", MILK_GTIN), ("10", "L-1")))
    # the relay claims the entry after the screen showed the line as queued
    outbox.store.connection().execute("UPDATE outbox_entries SET state = 'in_flight'")
    answer = workflow.cancel_line(1)
    assert answer.verdict == "line_not_changeable" and "being assigned already" in answer.message
    assert [e.state for e in outbox.entries()] == ["in_flight"]


def test_the_open_receipt_and_its_lines_survive_a_restart(outbox: Outbox, store: InventoryStore,
                                                          scan: Callable[..., ReceiveAnswer],
                                                          workflow: ReceivingWorkflow) -> None:
    workflow.start("PO-7", "W1", "B1")
    scan(gs1(("01", MILK_GTIN), ("10", "L-1"), ("37", "3")))
    scan("DRL-18")
    scan("SN-1")
    again = ReceivingWorkflow(Outbox(store), EMBEDDED_TARGET, today=lambda: TODAY)
    try:
        with pytest.raises(JobInUse, match="receipt-1 is being worked on by another scanner-app process"):
            again.resume()  # the first one still holds it: nothing is loaded
        assert again.receipt is None and again.all_lines() == []
        workflow.close()  # the first process ends (a kill drops its lock the same way)
        row = again.resume()
        assert row is not None and (row.reference, row.warehouse_id, row.bin_id) == ("PO-7", "W1", "B1")
        assert [(ln.item_name, ln.code, ln.quantity, ln.state) for ln in again.all_lines()] == [
            ("Milk powder", "L-1", 3, "queued"), ("Drill", "SN-1", 1, "queued")]
    finally:
        again.close()
    assert workflow.records.remembered_place() == ("W1", "B1")


def test_a_receipt_needs_a_known_warehouse_and_a_bin_of_it(workflow: ReceivingWorkflow) -> None:
    with pytest.raises(ReceiveNotReady, match="no warehouse 'W7'"):
        workflow.start(None, "W7")
    with pytest.raises(ReceiveNotReady, match="bin 'B9' is not in warehouse W1"):
        workflow.start(None, "W1", "B9")


def test_a_scanned_bin_becomes_the_receiving_bin(workflow: ReceivingWorkflow, scan: Callable[..., ReceiveAnswer],
                                                 outbox: Outbox) -> None:
    workflow.start(None, "W1", "B1")
    assert scan("A-01-02").verdict == "bin_selected"
    scan(gs1(("01", MILK_GTIN), ("10", "L-1")))
    assert outbox.entries()[0].payload["bin_id"] == "B2"
    assert workflow.records.remembered_place() == ("W1", "B2")


def test_a_batch_made_and_expiring_on_the_same_day_is_taken(workflow: ReceivingWorkflow,
                                                            scan: Callable[..., ReceiveAnswer], outbox: Outbox) -> None:
    workflow.start(None, "W1")
    answer = scan(gs1(("01", MILK_GTIN), ("10", "L-SAME"), ("11", "270301"), ("17", "270301")))
    assert answer.verdict == "line_added", answer.message
    assert answer.line is not None and (answer.line.manufactured_date, answer.line.expiry_date) == (
        "2027-03-01", "2027-03-01")
    assert len(entries(outbox, BATCH_ASSIGN)) == 1
