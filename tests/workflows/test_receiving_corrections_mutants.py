"""Correcting a line of the open receipt, rule by rule (issue #14, mutation testing).

At the receiving bench a person may correct a line while nothing of it has gone yet: a
batch line gets new batch fields (number, dates, quantity), a serial line a new serial
number. Each refusal has its verdict and sentence and changes nothing: a line that does
not exist (or was cancelled), a line already on its way, a serial for a batch line (and
batch fields for a serial line), no batch number, a batch number another line has, a
serial the rules refuse, dates the rules refuse. An expiry that needs confirming is asked
about first. A correction sends the line again (its outbox entry replaced).

Receiving by typed fields (the CLI's and the window's forms) refuses in words too: no
receipt yet, no item chosen, an item tracked the other way, an empty number, a serial
the inventory has; a batch received again with other details names each difference.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from scanner_app.inventory.models import Item
from scanner_app.outbox import Outbox
from scanner_app.workflows.receiving import ReceivingWorkflow
from scanner_app.workflows.receiving_answers import ReceiveAnswer
from scanner_app.workflows.receiving_rules import BatchFields
from tests.workflows.receiving_bench import catalogue, scan, workflow  # noqa: F401 (fixtures)
from tests.workflows.receiving_catalogue import MILK_GTIN, gs1


@pytest.fixture
def two_lines(workflow: ReceivingWorkflow, scan: Callable[..., ReceiveAnswer]) -> ReceivingWorkflow:
    """Line 1: milk, batch L-1 (5); line 2: a drill, serial SN-300."""
    workflow.start(None, "W1")
    assert scan(gs1(("01", MILK_GTIN), ("10", "L-1"), ("17", "261231"), ("37", "5"))).verdict == "line_added"
    scan("DRL-18")
    assert scan("SN-300").verdict == "line_added"
    return workflow


def payloads(outbox: Outbox) -> list[tuple[str, str | None, str | None]]:
    return [(e.state, e.payload.get("batch_number"), e.payload.get("serialnumber")) for e in outbox.entries()]


def assert_refused(answer: ReceiveAnswer, verdict: str, message: str, outbox: Outbox,
                   before: list[tuple[str, str | None, str | None]]) -> None:
    assert (answer.verdict, answer.message) == (verdict, message)
    assert payloads(outbox) == before  # nothing changed


def test_before_a_receipt_is_open_there_is_no_line_to_correct(workflow: ReceivingWorkflow) -> None:
    answer = workflow.correct(1, "SN-1")
    assert (answer.verdict, answer.message) == ("line_not_changeable", "There is no line 1 to correct")


@pytest.mark.parametrize(
    ("position", "change", "verdict", "message"),
    [
        (9, "SN-9", "line_not_changeable", "There is no line 9 to correct"),
        (1, "SN-9", "bad_field", "Line 1 is a batch: correct its batch fields"),
        (2, BatchFields("L-9"), "bad_field", "Line 2 is a serial number: correct its serial number"),
        (1, BatchFields("  "), "bad_field", "Line 1 needs a batch number"),
        (1, BatchFields("L-1B", None, "2026-01-01", "2025-12-31"), "expiry_before_manufactured",
         "Batch L-1B refused: the expiry 2025-12-31 is before the manufactured date 2026-01-01"),
        (1, BatchFields("L-1B", None, None, "31/12/2026"), "bad_field",
         "Batch L-1B: expiry '31/12/2026' is not a date: write it as YYYY-MM-DD"),
    ],
)
def test_a_refused_correction_says_why_and_changes_nothing(two_lines: ReceivingWorkflow, outbox: Outbox,
                                                           position: int, change: BatchFields | str,
                                                           verdict: str, message: str) -> None:
    before = payloads(outbox)
    assert_refused(two_lines.correct(position, change), verdict, message, outbox, before)


def test_a_batch_number_another_line_has_is_refused(workflow: ReceivingWorkflow, scan: Callable[..., ReceiveAnswer],
                                                    outbox: Outbox) -> None:
    workflow.start(None, "W1")
    scan(gs1(("01", MILK_GTIN), ("10", "L-1")))
    scan(gs1(("01", MILK_GTIN), ("10", "L-2")))
    before = payloads(outbox)
    assert_refused(workflow.correct(1, BatchFields("L-2")), "batch_details_differ",
                   "Batch L-2 is line 2 already: add to that line instead", outbox, before)
    spaced = workflow.correct(1, BatchFields(" L-2 "))  # as typed, spaces around
    assert spaced.verdict == "batch_details_differ" and "is line 2 already" in spaced.message
    assert workflow.correct(1, BatchFields("L-1", quantity=3)).verdict == "line_corrected"  # its own number


def test_a_cancelled_line_cannot_be_corrected(two_lines: ReceivingWorkflow, outbox: Outbox) -> None:
    assert two_lines.cancel_line(2).verdict == "line_cancelled"
    answer = two_lines.correct(2, "SN-301")
    assert (answer.verdict, answer.message) == ("line_not_changeable", "There is no line 2 to correct")


def test_a_line_on_its_way_cannot_be_corrected(two_lines: ReceivingWorkflow, outbox: Outbox) -> None:
    outbox.store.connection().execute("UPDATE outbox_entries SET state = 'in_flight'")
    two_lines.reload()
    answer = two_lines.correct(2, "SN-301")
    assert answer.verdict == "line_not_changeable"
    assert answer.message == (f"Line 2 is {two_lines.all_lines()[1].state}: it can no longer be corrected "
                              "(receive another line instead)")


def test_a_serial_line_gets_a_new_serial_and_is_sent_again(two_lines: ReceivingWorkflow, outbox: Outbox) -> None:
    answer = two_lines.correct(2, "  SN-301 ")
    assert (answer.verdict, answer.message, answer.changed) == ("line_corrected", "Line 2 corrected: it is sent again",
                                                                (2,))
    assert answer.line is not None and answer.line.serialnumber == "SN-301"
    assert [p for p in payloads(outbox) if p[2] is not None] == [("discarded", None, "SN-300"),
                                                                 ("pending", None, "SN-301")]


def test_a_serial_the_receipt_has_already_is_refused(two_lines: ReceivingWorkflow, scan: Callable[..., ReceiveAnswer],
                                                     outbox: Outbox) -> None:
    scan("DRL-18")
    assert scan("SN-301").verdict == "line_added"  # line 3
    before = payloads(outbox)
    answer = two_lines.correct(2, "SN-301")
    assert answer.verdict != "line_corrected" and "SN-301" in answer.message
    assert payloads(outbox) == before
    assert two_lines.correct(2, "SN-300").verdict == "line_corrected"  # its own serial again is fine


def test_an_expiry_to_confirm_is_asked_about_first(two_lines: ReceivingWorkflow, outbox: Outbox) -> None:
    before = payloads(outbox)
    asked = two_lines.correct(1, BatchFields("L-1B", None, None, "2025-06-10", 5))
    assert asked.verdict == "needs_confirmation"
    assert asked.message == ("Batch L-1B of Milk powder expires on 2025-06-10 (in 9 days; the warning starts 30 days "
                             "before): receive it anyway?")
    assert payloads(outbox) == before
    done = two_lines.correct(1, BatchFields("L-1B", None, None, "2025-06-10", 5), confirmed=True)
    assert done.verdict == "line_corrected"
    assert done.line is not None and (done.line.batch_number, done.line.expiry_date) == ("L-1B", "2025-06-10")


MILK = Item(item_id="I1", name="Milk powder", track_batch_number=True)
DRILL = Item(item_id="I2", name="Drill", track_serial_number=True)


def test_typed_receptions_before_a_receipt_or_an_item(workflow: ReceivingWorkflow) -> None:
    for answer in (workflow.receive_batch(BatchFields("L-1"), item=MILK), workflow.receive_serial("SN-1", item=DRILL)):
        assert (answer.verdict, answer.message) == ("no_receipt", "Start a receipt first")
    workflow.start(None, "W1")
    for answer in (workflow.receive_batch(BatchFields("L-1")), workflow.receive_serial("SN-1")):
        assert (answer.verdict, answer.message) == ("no_item", "Scan the item first")


@pytest.mark.parametrize(
    ("receive", "verdict", "message"),
    [
        (lambda wf: wf.receive_batch(BatchFields("L-1"), item=DRILL), "not_tracked",
         "Drill is tracked by serial number: scan each unit's serial"),
        (lambda wf: wf.receive_serial("SN-1", item=MILK), "not_tracked",
         "Milk powder is tracked by batch: scan or type the batch number"),
        (lambda wf: wf.receive_batch(BatchFields("   "), item=MILK), "bad_field", "A batch number is needed"),
        (lambda wf: wf.receive_serial("  ", item=DRILL), "bad_field", "A serial number is needed"),
        (lambda wf: wf.receive_serial("SN-OLD", item=DRILL), "serial_exists",
         "SN-OLD is already a serial number of Drill"),
    ],
)
def test_a_typed_reception_the_rules_refuse_says_why_and_adds_nothing(
        workflow: ReceivingWorkflow, outbox: Outbox, receive: Callable[[ReceivingWorkflow], ReceiveAnswer],
        verdict: str, message: str) -> None:
    workflow.start(None, "W1")
    answer = receive(workflow)
    assert (answer.verdict, answer.message) == (verdict, message)
    assert workflow.all_lines() == [] and outbox.entries() == []


def test_a_batch_received_again_with_other_details_names_every_difference(workflow: ReceivingWorkflow) -> None:
    workflow.start(None, "W1")
    assert workflow.receive_batch(BatchFields("L-1", "M-1", "2025-01-01", "2026-12-31"), item=MILK).verdict == \
        "line_added"
    answer = workflow.receive_batch(BatchFields("L-1", "M-2", "2025-01-02", "2026-12-31", 3), item=MILK)
    assert (answer.verdict, answer.message) == (
        "batch_details_differ", "Batch L-1 is line 1 with another manufacturer batch, manufactured date: correct "
        "that line, or check the label")
    added = workflow.receive_batch(BatchFields("L-1", None, None, None, 3), item=MILK)
    assert (added.verdict, added.message, added.changed) == (
        "quantity_added", "Milk powder: batch L-1 now 4 (+3)", (1,))
    assert added.line is not None and added.line.quantity == 4


def test_a_refusal_shown_as_a_sentence_keeps_the_case_of_the_words_inside_it() -> None:
    from scanner_app.workflows.receiving_answers import sentence

    assert sentence("outbox entry 12 cannot be discarded: Zoho has SN-1 for PO-7") == (
        "Outbox entry 12 cannot be discarded: Zoho has SN-1 for PO-7")  # capitalize() gave "zoho", "sn-1"
    assert sentence("") == ""
