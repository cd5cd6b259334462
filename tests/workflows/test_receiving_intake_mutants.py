"""What the receiving bench says and records as lines are taken in (issue #14, mutation
testing of ``receiving_intake.py``).

Pinned here, each as the person at the bench reads it and as the outbox records it:

- choosing an item says how its units are received ("scan or type each batch", "scan each
  unit's serial number"); an item tracked neither way, or inactive, is refused in full
  words, however it is given (scanned, or typed with a batch or a serial);
- a new batch line is announced with its number, its expiry when it has one, and its
  quantity; a serial line with its serial number; the answer carries the line as the
  screen lists it (with the item's name) and names it as the one changed;
- the item stays chosen after a batch, so the next batch number typed or scanned alone
  is of the same item;
- a batch number typed with spaces around it is named without them; a manufactured date
  that is not a date is named as the manufactured date;
- a known batch received with another expiry is noted as a conflict to expect;
- a correction takes every batch field given; an expiring correction, once confirmed,
  corrects that line (it does not add another one);
- more of a batch whose line failed is refused until that line is corrected, and a
  correction that loses the race with the relay is refused in words; neither changes
  what the outbox holds.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from scanner_app.inventory.models import Item
from scanner_app.inventory.store import InventoryStore
from scanner_app.outbox import Outbox
from scanner_app.workflows.receiving import ReceivingWorkflow
from scanner_app.workflows.receiving_answers import ReceiveAnswer
from scanner_app.workflows.receiving_rules import BatchFields
from tests.workflows.receiving_bench import catalogue, scan, workflow  # noqa: F401 (fixtures)
from tests.workflows.receiving_catalogue import MILK_GTIN, gs1

Scan = Callable[..., ReceiveAnswer]
Entry = tuple[str, Any, Any, Any]


def recorded(outbox: Outbox) -> list[Entry]:
    """What the outbox holds: (state, batch number, serial number, quantity) per entry."""
    return [(e.state, e.payload.get("batch_number"), e.payload.get("serialnumber"), e.payload.get("quantity"))
            for e in outbox.entries()]


def item(store: InventoryStore, item_id: str) -> Item:
    found = store.get_item(item_id)
    assert found is not None
    return found


# -- choosing an item ----------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("code", "message"),
    [("MLK-1", "Milk powder: scan or type each batch"),
     ("DRL-18", "Drill: scan each unit's serial number")],
)
def test_choosing_an_item_says_how_its_units_are_received(workflow: ReceivingWorkflow, scan: Scan,
                                                         code: str, message: str) -> None:
    workflow.start(None, "W1")
    answer = scan(code)
    assert (answer.verdict, answer.message) == ("item_selected", message)


UNTRACKED = "Tissues is tracked by neither batch nor serial number: there is nothing for the station to assign"


@pytest.mark.parametrize(
    ("receive", "verdict", "message"),
    [
        (lambda wf, scan, store: scan("TIS-100"), "not_tracked", UNTRACKED),
        (lambda wf, scan, store: wf.receive_batch(BatchFields("L-1"), item=item(store, "I3")), "not_tracked",
         UNTRACKED),
        (lambda wf, scan, store: wf.receive_serial("SN-1", item=item(store, "I3")), "not_tracked", UNTRACKED),
        (lambda wf, scan, store: wf.receive_batch(BatchFields("L-1"), item=item(store, "I4")), "item_inactive",
         "Old syrup is inactive"),
    ],
    ids=["scanned", "typed batch", "typed serial", "typed batch of an inactive item"],
)
def test_an_item_the_station_cannot_receive_is_refused_in_full_words(
        workflow: ReceivingWorkflow, scan: Scan, store: InventoryStore, outbox: Outbox,
        receive: Callable[[ReceivingWorkflow, Scan, InventoryStore], ReceiveAnswer], verdict: str,
        message: str) -> None:
    workflow.start(None, "W1")
    answer = receive(workflow, scan, store)
    assert (answer.verdict, answer.message) == (verdict, message)
    assert workflow.all_lines() == [] and outbox.entries() == []


# -- batch lines ----------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (BatchFields("L-1", None, None, "2026-12-31", 5), "Milk powder: batch L-1, expiry 2026-12-31, quantity 5"),
        (BatchFields("L-2"), "Milk powder: batch L-2, quantity 1"),  # no expiry: none said
        (BatchFields("L-3", quantity=2.5), "Milk powder: batch L-3, quantity 2.5"),
    ],
)
def test_a_new_batch_line_is_announced_with_its_number_expiry_and_quantity(
        workflow: ReceivingWorkflow, store: InventoryStore, outbox: Outbox, fields: BatchFields,
        message: str) -> None:
    workflow.start(None, "W1")
    answer = workflow.receive_batch(fields, item=item(store, "I1"))
    assert (answer.verdict, answer.message, answer.changed) == ("line_added", message, (1,))
    [line] = workflow.all_lines()
    assert answer.line == line
    assert (line.item_name, line.batch_number, line.expiry_date, line.quantity) == (
        "Milk powder", fields.batch_number, fields.expiry_date, fields.quantity)
    assert recorded(outbox) == [("pending", fields.batch_number, None, fields.quantity)]


def test_the_item_stays_chosen_after_a_batch(workflow: ReceivingWorkflow, scan: Scan, outbox: Outbox) -> None:
    workflow.start(None, "W1")
    assert scan(gs1(("01", MILK_GTIN), ("10", "L-1"), ("37", "4"))).verdict == "line_added"  # the label names it
    answer = scan("L-2")  # a batch number alone: of the same item
    assert (answer.verdict, answer.message) == ("line_added", "Milk powder: batch L-2, quantity 1")
    assert [(ln.item_id, ln.batch_number) for ln in workflow.all_lines()] == [("I1", "L-1"), ("I1", "L-2")]
    assert recorded(outbox) == [("pending", "L-1", None, 4.0), ("pending", "L-2", None, 1.0)]


def test_a_batch_number_typed_with_spaces_is_named_without_them(workflow: ReceivingWorkflow,
                                                                store: InventoryStore, outbox: Outbox) -> None:
    workflow.start(None, "W1")
    milk = item(store, "I1")
    refused = workflow.receive_batch(BatchFields("  L-BAD ", None, "2026-01-01", "2025-12-31"), item=milk)
    assert (refused.verdict, refused.message) == (
        "expiry_before_manufactured",
        "Batch L-BAD refused: the expiry 2025-12-31 is before the manufactured date 2026-01-01")
    asked = workflow.receive_batch(BatchFields(" L-SOON  ", None, None, "2025-06-30", 2), item=milk)
    assert (asked.verdict, asked.message) == (
        "needs_confirmation", "Batch L-SOON of Milk powder expires on 2025-06-30 (in 29 days; the warning starts 30 "
                              "days before): receive it anyway?")
    assert outbox.entries() == []
    assert asked.pending is not None
    taken = workflow.confirm(asked.pending)
    assert (taken.verdict, taken.message) == ("line_added", "Milk powder: batch L-SOON, expiry 2025-06-30, quantity 2")
    assert recorded(outbox) == [("pending", "L-SOON", None, 2.0)]


def test_a_manufactured_date_that_is_not_a_date_is_named(workflow: ReceivingWorkflow, store: InventoryStore,
                                                         outbox: Outbox) -> None:
    workflow.start(None, "W1")
    answer = workflow.receive_batch(BatchFields("L-1", None, "10/01/2025", "2026-12-31"), item=item(store, "I1"))
    assert (answer.verdict, answer.message) == (
        "bad_field", "Batch L-1: manufactured date '10/01/2025' is not a date: write it as YYYY-MM-DD")
    assert outbox.entries() == []


def test_a_known_batch_with_another_expiry_is_noted_as_a_conflict_to_expect(workflow: ReceivingWorkflow,
                                                                           scan: Scan) -> None:
    workflow.start(None, "W1")  # the inventory has L-KNOWN of milk powder, expiring 2026-01-10
    answer = scan(gs1(("01", MILK_GTIN), ("10", "L-KNOWN"), ("17", "261231")))
    assert answer.verdict == "line_added"
    assert answer.note == "the inventory has batch L-KNOWN with expiry 2026-01-10: expect a conflict"


def test_more_of_a_batch_whose_line_failed_is_refused_until_it_is_corrected(
        workflow: ReceivingWorkflow, scan: Scan, outbox: Outbox) -> None:
    workflow.start(None, "W1")
    assert scan(gs1(("01", MILK_GTIN), ("10", "L-1"), ("37", "5"))).verdict == "line_added"
    outbox.store.connection().execute("UPDATE outbox_entries SET state = 'failed'")  # the inventory refused it
    workflow.reload()
    before = recorded(outbox)
    answer = scan(gs1(("01", MILK_GTIN), ("10", "L-1"), ("37", "2")))
    assert (answer.verdict, answer.message) == (
        "line_not_changeable", "Line 1 waits for a correction: correct or cancel it first")
    assert not answer.accepted
    assert recorded(outbox) == before == [("failed", "L-1", None, 5.0)]


# -- serial lines ---------------------------------------------------------------------------------

def test_a_serial_line_is_announced_with_its_serial_number(workflow: ReceivingWorkflow, scan: Scan,
                                                           store: InventoryStore, outbox: Outbox) -> None:
    workflow.start(None, "W1")
    scan("DRL-18")
    scanned = scan("SN-100")
    assert (scanned.verdict, scanned.message, scanned.changed) == ("line_added", "Drill: serial number SN-100", (1,))
    typed = workflow.receive_serial("  SN-101 ", item=item(store, "I2"))
    assert (typed.verdict, typed.message, typed.changed) == ("line_added", "Drill: serial number SN-101", (2,))
    lines = workflow.all_lines()
    assert [scanned.line, typed.line] == lines
    assert [(ln.item_name, ln.kind, ln.serialnumber, ln.quantity) for ln in lines] == [
        ("Drill", "serial", "SN-100", 1), ("Drill", "serial", "SN-101", 1)]
    assert recorded(outbox) == [("pending", None, "SN-100", None), ("pending", None, "SN-101", None)]


# -- corrections ----------------------------------------------------------------------------------

def batch_payloads(outbox: Outbox) -> list[tuple[str, Any, Any, Any, Any, Any]]:
    return [(e.state, e.payload["batch_number"], e.payload["manufacturer_batch_number"],
             e.payload["manufactured_date"], e.payload["expiry_date"], e.payload["quantity"])
            for e in outbox.entries()]


def test_a_correction_takes_every_batch_field_given(workflow: ReceivingWorkflow, store: InventoryStore,
                                                    outbox: Outbox) -> None:
    workflow.start(None, "W1")
    milk = item(store, "I1")
    assert workflow.receive_batch(BatchFields("L-1", "M-1", "2025-01-01", "2026-12-31", 5), item=milk).verdict == \
        "line_added"
    answer = workflow.correct(1, BatchFields("L-1B", "M-2", "2025-02-01", "2027-01-31", 7))
    assert (answer.verdict, answer.message, answer.changed) == ("line_corrected", "Line 1 corrected: it is sent again",
                                                                (1,))
    assert answer.line is not None
    assert (answer.line.batch_number, answer.line.manufacturer_batch_number, answer.line.manufactured_date,
            answer.line.expiry_date, answer.line.quantity) == ("L-1B", "M-2", "2025-02-01", "2027-01-31", 7)
    assert batch_payloads(outbox) == [("discarded", "L-1", "M-1", "2025-01-01", "2026-12-31", 5.0),
                                      ("pending", "L-1B", "M-2", "2025-02-01", "2027-01-31", 7.0)]


def test_a_confirmed_expiring_correction_corrects_that_line(workflow: ReceivingWorkflow, scan: Scan,
                                                            outbox: Outbox) -> None:
    workflow.start(None, "W1")
    scan(gs1(("01", MILK_GTIN), ("10", "L-1"), ("17", "261231"), ("37", "5")))
    asked = workflow.correct(1, BatchFields("L-1B", None, None, "2025-06-10", 5))
    assert asked.verdict == "needs_confirmation" and asked.pending is not None
    assert recorded(outbox) == [("pending", "L-1", None, 5.0)]
    done = workflow.confirm(asked.pending)
    assert (done.verdict, done.message, done.changed) == ("line_corrected", "Line 1 corrected: it is sent again", (1,))
    assert [(ln.position, ln.batch_number, ln.expiry_date) for ln in workflow.all_lines()] == [
        (1, "L-1B", "2025-06-10")]  # no second line
    assert recorded(outbox) == [("discarded", "L-1", None, 5.0), ("pending", "L-1B", None, 5.0)]


@pytest.mark.parametrize(
    "change",
    [BatchFields("L-2", quantity=3), "SN-301"],
    ids=["batch fields", "serial number"],
)
def test_a_correction_that_loses_the_race_with_the_relay_is_refused_in_words(
        workflow: ReceivingWorkflow, scan: Scan, outbox: Outbox, change: BatchFields | str) -> None:
    workflow.start(None, "W1")
    if isinstance(change, str):
        scan("DRL-18")
        scan("SN-300")
    else:
        scan(gs1(("01", MILK_GTIN), ("10", "L-1"), ("37", "5")))
    # the relay claims the entry after the screen showed the line as queued
    outbox.store.connection().execute("UPDATE outbox_entries SET state = 'in_flight'")
    before = recorded(outbox)
    answer = workflow.correct(1, change)
    assert (answer.verdict, answer.message) == (
        "line_not_changeable", "Line 1 is being assigned already: it cannot be changed")
    assert not answer.accepted
    assert recorded(outbox) == before
