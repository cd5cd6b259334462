"""Receipt lines delivered to Zoho Inventory (``batch.assign``, ``serial.receive``): the rules
the other receipt tests leave unstated, each one a mutant of
``scanner_app/outbox/zoho_batch_receipts.py`` used to survive.

Pinned here:

- what reaches Zoho: the create carries every field of batches.yml's create request the line
  has (manufacturer batch number, manufactured date, expiry); of two batches whose numbers
  differ only in case, the one spelled as on the line is reused; serials are looked up with
  ``show_transacted_out=true`` (serialnumbers.yml), so one received and already gone out
  still confirms the line;
- the requests a receipt costs: a date conflict found on a fresh list is reported without
  listing again, one found on a kept list is checked on a fresh list and never answered with
  a create; entries that are not receipt lines keep one list per document and reference; a
  kept list is used up to ``max_age`` seconds old inclusive, and one aged out no longer takes
  the room of a live one;
- exactly once: a duplicate refusal drops the kept list even when listing again fails, so
  the retry lists again instead of sending the create a second time; a station keeping no
  lists still judges a duplicate refusal; a lost answer on an entry that is not a receipt
  line is found by the check before a resend;
- what the station records and says: the entry's result (the batch, and whether this line
  created it; the serial confirmed in Zoho), the local copy's batch in the receipt's
  warehouse and bin, and the exact words (``last_error``, ``vendor_message``) of a date
  conflict and of a serial Zoho does not have yet.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import pytest

from scanner_app.backends.errors import ServerError
from scanner_app.backends.zoho import ZohoClient
from scanner_app.inventory.importer import import_document
from scanner_app.inventory.models import Batch
from scanner_app.inventory.store import InventoryStore
from scanner_app.outbox import Outbox, OutboxRelay, zoho_target
from scanner_app.outbox.batch_receipts import (
    BATCH_ASSIGN,
    SERIAL_RECEIVE,
    BatchAssignment,
    SerialReceipt,
    line_document,
)
from scanner_app.outbox.zoho_batch_receipts import (
    ReceiptBatches,
    ZohoBatchAssignmentDeliverer,
    ZohoSerialReceiptDeliverer,
)
from scanner_app.workflows.receiving import ReceivingWorkflow
from scanner_app.workflows.receiving_rules import BatchFields
from tests.backends.conftest import TEST_POLICY as HTTP_POLICY
from tests.backends.fake_clock import FakeClock
from tests.backends.fake_zoho import FakeZoho, dropped_connection
from tests.workflows.helpers import places
from tests.workflows.receiving_catalogue import TODAY

BATCHES = "/inventory/v1/items/batches"
SERIALS = "/inventory/v1/items/serialnumbers"
FLUSH_S = 15.0


@pytest.fixture
def items(zoho: FakeZoho, store: InventoryStore) -> dict[str, str]:
    """Milk (batch-tracked) and a drill (serial-tracked), in Zoho and in the station's store,
    with the warehouses and bins of ``places()`` (W1 with bin B1)."""
    milk = str(zoho.inventory.add_item("Milk powder", sku="MLK-1", track_batch_number=True)["item_id"])
    drill = str(zoho.inventory.add_item("Drill", sku="DRL-18", track_serial_number=True)["item_id"])
    import_document(store, {**places(), "items": [
        {"item_id": milk, "name": "Milk powder", "sku": "MLK-1", "track_batch_number": True},
        {"item_id": drill, "name": "Drill", "sku": "DRL-18", "track_serial_number": True}]})
    return {"milk": milk, "drill": drill}


@pytest.fixture
def relay_with(make_relay: Callable[..., OutboxRelay], zoho: FakeZoho,
               client: ZohoClient) -> Callable[..., OutboxRelay]:
    """A started relay to the fake Zoho; ``batch_deliverer`` replaces the usual one."""

    def make(batch_deliverer: ZohoBatchAssignmentDeliverer | None = None) -> OutboxRelay:
        relay = make_relay(target=zoho_target(zoho.organization_id), deliverers={
            BATCH_ASSIGN: batch_deliverer or ZohoBatchAssignmentDeliverer(lambda: client),
            SERIAL_RECEIVE: ZohoSerialReceiptDeliverer(lambda: client)})
        relay.start()
        return relay

    return make


@pytest.fixture
def relay(relay_with: Callable[..., OutboxRelay]) -> OutboxRelay:
    return relay_with()


@pytest.fixture
def workflow(outbox: Outbox, zoho: FakeZoho, items: dict[str, str]) -> Iterator[ReceivingWorkflow]:
    wf = ReceivingWorkflow(outbox, zoho_target(zoho.organization_id), today=lambda: TODAY)
    wf.start("PO-42", "W1", "B1")
    yield wf
    wf.close()


def receive(workflow: ReceivingWorkflow, item_id: str, number: str, expiry: str | None = "2026-12-31",
            manufacturer_number: str | None = None, manufactured: str | None = None) -> None:
    answer = workflow.receive_batch(BatchFields(number, manufacturer_number, manufactured, expiry, 2.0),
                                    item=workflow.store.get_item(item_id))
    assert answer.accepted, answer.message


def enqueue(outbox: Outbox, zoho: FakeZoho, document: str, kind: str, payload: Mapping[str, Any]) -> int:
    """One entry recorded as a station records it (its own transaction, then announced)."""
    with outbox.store.transaction() as conn:
        entry_id = outbox.enqueue(conn, target=zoho_target(zoho.organization_id), document=document, kind=kind,
                                  payload=payload)
    outbox.announce([entry_id])
    return entry_id


def assignment(item_id: str, number: str, reference: str | None) -> dict[str, Any]:
    return BatchAssignment(item_id, number, 1.0, "W1", expiry_date="2026-12-31", reference=reference).to_payload()


def lists(zoho: FakeZoho) -> int:
    return zoho.count("GET", BATCHES)


def creates(zoho: FakeZoho) -> int:
    return zoho.count("POST", BATCHES)


def zoho_batch(zoho: FakeZoho, number: str) -> dict[str, Any]:
    [found] = [b for b in zoho.inventory.batches.values() if b["batch_number"] == number]
    return found


# -- what reaches Zoho --------------------------------------------------------------------------------

def test_the_create_carries_the_manufacturers_number_and_both_dates(
        zoho: FakeZoho, items: dict[str, str], workflow: ReceivingWorkflow, relay: OutboxRelay) -> None:
    receive(workflow, items["milk"], "L-NEW", expiry="2027-06-30", manufacturer_number="M-99",
            manufactured="2026-01-02")
    assert relay.flush(FLUSH_S) == []
    [posted] = [r for r in zoho.requests if r.method == "POST" and r.path == BATCHES]
    # batches.yml, create-a-batch-request: item_id, batch_number, manufacturer_batch_number,
    # manufactured_date, expiry_date
    assert json.loads(posted.body) == {
        "item_id": items["milk"], "batch_number": "L-NEW", "manufacturer_batch_number": "M-99",
        "manufactured_date": "2026-01-02", "expiry_date": "2027-06-30"}
    created = zoho_batch(zoho, "L-NEW")
    assert (created["manufacturer_batch_number"], created["manufactured_date"]) == ("M-99", "2026-01-02")


def test_the_batch_spelled_as_on_the_line_is_preferred_to_one_differing_in_case(
        zoho: FakeZoho, items: dict[str, str], workflow: ReceivingWorkflow, relay: OutboxRelay) -> None:
    lower = zoho.inventory.add_batch(items["milk"], "l-7", expiry_date="2026-12-31")
    upper = zoho.inventory.add_batch(items["milk"], "L-7", expiry_date="2026-12-31")
    receive(workflow, items["milk"], "L-7")
    receive(workflow, items["milk"], "l-7")
    assert relay.flush(FLUSH_S) == []
    assert [line.batch_id for line in workflow.all_lines()] == [upper["batch_id"], lower["batch_id"]]
    assert creates(zoho) == 0


def test_a_serial_received_and_already_gone_out_confirms_the_line(
        zoho: FakeZoho, items: dict[str, str], outbox: Outbox, relay: OutboxRelay) -> None:
    shipped = zoho.inventory.add_serial(items["drill"], "SN-GONE", is_transacted_out=True)
    entry_id = enqueue(outbox, zoho, line_document(1, 1), SERIAL_RECEIVE,
                       SerialReceipt(items["drill"], "SN-GONE", "W1", "B1", reference="PO-42").to_payload())
    assert relay.flush(FLUSH_S) == []
    entry = outbox.get(entry_id)
    assert entry.state == "delivered"
    assert entry.result == {"serialnumber_id": shipped["serialnumber_id"], "serialnumber": "SN-GONE",
                            "confirmed_in_zoho": True}
    # serialnumbers.yml: show_transacted_out "Include serial numbers that have already been transacted out"
    assert [r.query.get("show_transacted_out") for r in zoho.requests if r.path == SERIALS] == ["true"]


# -- the requests a receipt costs ----------------------------------------------------------------------

def test_a_date_conflict_on_a_fresh_list_is_reported_at_once_in_full_words(
        zoho: FakeZoho, items: dict[str, str], workflow: ReceivingWorkflow, outbox: Outbox,
        relay: OutboxRelay) -> None:
    zoho.inventory.add_batch(items["milk"], "L-7", expiry_date="2026-10-15")
    receive(workflow, items["milk"], "L-7", expiry="2026-11-01")
    [left] = relay.flush(FLUSH_S)
    words = "batch L-7 exists with other dates: expiry 2026-10-15 there, 2026-11-01 on this receipt"
    assert (left.state, left.vendor_message) == ("failed", words)
    assert left.last_error == f"Zoho Inventory: {words} (code batch-dates-differ, assign a batch)"
    assert (lists(zoho), creates(zoho)) == (1, 0)  # the list just fetched is fresh: not fetched again


def test_a_date_conflict_in_the_kept_list_is_never_answered_with_a_create(
        zoho: FakeZoho, items: dict[str, str], workflow: ReceivingWorkflow, relay: OutboxRelay) -> None:
    zoho.inventory.add_batch(items["milk"], "L-7", expiry_date="2026-10-15")
    receive(workflow, items["milk"], "L-0")
    assert relay.flush(FLUSH_S) == []  # the item's list is kept now, L-7 in it
    receive(workflow, items["milk"], "L-7", expiry="2026-11-01")
    [left] = relay.flush(FLUSH_S)
    assert left.vendor_message == ("batch L-7 exists with other dates: expiry 2026-10-15 there, "
                                   "2026-11-01 on this receipt")
    assert workflow.all_lines()[1].state == "conflict"
    assert (lists(zoho), creates(zoho)) == (2, 1)  # checked on a fresh list; only L-0 was created


def test_entries_that_are_not_receipt_lines_keep_a_list_per_document(
        zoho: FakeZoho, items: dict[str, str], outbox: Outbox, relay: OutboxRelay) -> None:
    for document, number in (("purchasereceive:PR/1", "L-A"), ("purchasereceive:PR/2", "L-B")):
        enqueue(outbox, zoho, document, BATCH_ASSIGN, assignment(items["milk"], number, "PR"))
    assert relay.flush(FLUSH_S) == []
    assert [e.state for e in outbox.entries()] == ["delivered", "delivered"]
    assert (lists(zoho), creates(zoho)) == (2, 2)


def test_entries_of_one_document_share_a_list_per_reference(
        zoho: FakeZoho, items: dict[str, str], outbox: Outbox, relay: OutboxRelay) -> None:
    for reference, number in (("PO-1", "L-A"), ("PO-1", "L-B"), ("PO-2", "L-C")):
        enqueue(outbox, zoho, "manual:bench-1", BATCH_ASSIGN, assignment(items["milk"], number, reference))
    assert relay.flush(FLUSH_S) == []
    assert [e.state for e in outbox.entries()] == ["delivered"] * 3
    assert (lists(zoho), creates(zoho)) == (2, 3)


def test_a_kept_list_is_used_until_it_is_more_than_max_age_old() -> None:
    now = [0.0]
    kept = ReceiptBatches(max_age=60.0, clock=lambda: now[0])
    batch = Batch("B1", "I1", "L-1")
    kept.put(("r1", "I1"), [batch])
    now[0] = 60.0  # exactly max_age old: not older
    assert kept.get(("r1", "I1")) == {"l-1": [batch]}
    now[0] = 60.5
    assert kept.get(("r1", "I1")) is None


def test_a_list_that_aged_out_gives_up_its_room() -> None:
    now = [0.0]
    kept = ReceiptBatches(receipts=2, max_age=60.0, clock=lambda: now[0])
    kept.put(("r1", "I1"), [])
    now[0] = 10.0
    kept.put(("r2", "I1"), [Batch("B2", "I1", "L-2")])
    now[0] = 20.0
    assert kept.get(("r1", "I1")) == {}  # r1 used last
    now[0] = 65.0
    assert kept.get(("r1", "I1")) is None  # aged out (65 s), r2 (55 s) not
    kept.put(("r3", "I1"), [])  # two lists kept: r2 and r3, nothing live made room
    assert kept.get(("r2", "I1")) == {"l-2": [Batch("B2", "I1", "L-2")]}


def test_a_dropped_list_is_listed_again() -> None:
    kept = ReceiptBatches()
    kept.put(("r1", "I1"), [])
    kept.drop(("r1", "I1"))
    assert kept.get(("r1", "I1")) is None


# -- exactly once ----------------------------------------------------------------------------------------

def test_after_a_duplicate_refusal_the_retry_lists_again_even_if_listing_failed(
        zoho: FakeZoho, items: dict[str, str], workflow: ReceivingWorkflow,
        relay_with: Callable[..., OutboxRelay], clients: list[ZohoClient]) -> None:
    class Unlucky(ZohoClient):
        listed = 0

        def batches(self, item_id: str, *, search_text: str | None = None,
                    include_empty_batches: bool = True) -> list[Batch]:
            self.listed += 1
            if self.listed == 2:  # the list after the refusal: Zoho fails to answer it
                raise ServerError("Internal error, please try again later.", backend="Zoho Inventory", status=500)
            found = super().batches(item_id, search_text=search_text, include_empty_batches=include_empty_batches)
            if self.listed == 1:  # another station creates the number right after our list
                zoho.inventory.add_batch(item_id, "L-RACE", expiry_date="2026-12-31")
            return found

    unlucky = Unlucky(zoho.settings(), zoho.secrets(), clock=FakeClock(), policy=HTTP_POLICY)
    clients.append(unlucky)
    relay = relay_with(ZohoBatchAssignmentDeliverer(lambda: unlucky))
    receive(workflow, items["milk"], "L-RACE")
    assert relay.flush(FLUSH_S) == []
    # refused as a duplicate, the list after it failed; the retry lists again (the list kept
    # before the refusal is gone) and finds the other station's batch: one create, not two
    [line] = workflow.all_lines()
    assert (line.state, line.batch_id) == ("assigned", zoho_batch(zoho, "L-RACE")["batch_id"])
    assert (unlucky.listed, creates(zoho)) == (3, 1)


def test_a_station_that_keeps_no_lists_still_judges_a_duplicate_refusal(
        zoho: FakeZoho, items: dict[str, str], workflow: ReceivingWorkflow, clients: list[ZohoClient],
        relay_with: Callable[..., OutboxRelay]) -> None:
    class Racing(ZohoClient):
        raced = False

        def batches(self, item_id: str, *, search_text: str | None = None,
                    include_empty_batches: bool = True) -> list[Batch]:
            found = super().batches(item_id, search_text=search_text, include_empty_batches=include_empty_batches)
            if not self.raced:  # another station creates the number right after our list
                self.raced = True
                zoho.inventory.add_batch(item_id, "L-RACE", expiry_date="2026-12-31")
            return found

    racing = Racing(zoho.settings(), zoho.secrets(), clock=FakeClock(), policy=HTTP_POLICY)
    clients.append(racing)
    relay = relay_with(ZohoBatchAssignmentDeliverer(lambda: racing, kept=ReceiptBatches(receipts=0)))
    receive(workflow, items["milk"], "L-RACE")
    receive(workflow, items["milk"], "L-NEXT")
    assert relay.flush(FLUSH_S) == []
    theirs = zoho_batch(zoho, "L-RACE")
    assert [line.batch_id for line in workflow.all_lines()] == [theirs["batch_id"], zoho_batch(zoho, "L-NEXT")[
        "batch_id"]]
    assert (lists(zoho), creates(zoho)) == (3, 2)  # nothing kept: each line lists, the refusal lists again


def test_a_lost_answer_on_an_entry_that_is_not_a_receipt_line_is_found_not_resent(
        zoho: FakeZoho, items: dict[str, str], outbox: Outbox, relay: OutboxRelay) -> None:
    zoho.inject(dropped_connection(after_apply=True, method="POST", path=BATCHES))
    entry_id = enqueue(outbox, zoho, "manual:bench-1", BATCH_ASSIGN, assignment(items["milk"], "L-LOST", None))
    assert relay.flush(FLUSH_S) == []
    entry = outbox.get(entry_id)
    assert entry.result is not None
    assert (entry.state, entry.result["found_applied"], entry.result["batch_id"]) == (
        "delivered", True, zoho_batch(zoho, "L-LOST")["batch_id"])
    assert creates(zoho) == 1


# -- what the station records and says -------------------------------------------------------------

def test_the_result_says_which_batch_and_whether_this_line_created_it(
        zoho: FakeZoho, items: dict[str, str], workflow: ReceivingWorkflow, relay: OutboxRelay) -> None:
    theirs = zoho.inventory.add_batch(items["milk"], "L-THEIRS", expiry_date="2026-12-31")
    receive(workflow, items["milk"], "L-NEW")
    receive(workflow, items["milk"], "L-THEIRS")
    assert relay.flush(FLUSH_S) == []
    new, reused = (e.result or {} for e in workflow.outbox.entries())
    assert (new["batch_id"], new["batch_number"], new["created"]) == (
        zoho_batch(zoho, "L-NEW")["batch_id"], "L-NEW", True)
    assert (reused["batch_id"], reused["batch_number"], reused["created"]) == (
        theirs["batch_id"], "L-THEIRS", False)


def test_the_local_copy_has_the_batch_in_the_receipts_warehouse_and_bin(
        zoho: FakeZoho, items: dict[str, str], workflow: ReceivingWorkflow, store: InventoryStore,
        relay: OutboxRelay) -> None:
    theirs = zoho.inventory.add_batch(items["milk"], "L-THEIRS", expiry_date="2026-12-31")  # no place in Zoho
    receive(workflow, items["milk"], "L-NEW")
    receive(workflow, items["milk"], "L-THEIRS")
    assert relay.flush(FLUSH_S) == []
    for batch_id in (zoho_batch(zoho, "L-NEW")["batch_id"], theirs["batch_id"]):
        local = store.get_batch(batch_id)
        assert local is not None
        assert (local.item_id, local.warehouse_id, local.bin_id) == (items["milk"], "W1", "B1")


@pytest.mark.parametrize(("reference", "where"), [("PO-42", "the purchase receive PO-42"),
                                                  (None, "the purchase receive")])
def test_a_serial_zoho_does_not_have_yet_fails_with_words_saying_what_to_do(
        zoho: FakeZoho, items: dict[str, str], outbox: Outbox, relay: OutboxRelay, reference: str | None,
        where: str) -> None:
    entry_id = enqueue(outbox, zoho, line_document(1, 1), SERIAL_RECEIVE,
                       SerialReceipt(items["drill"], "SN-NOT-YET", "W1", "B1", reference=reference).to_payload())
    [left] = relay.flush(FLUSH_S)
    words = ("serial number SN-NOT-YET is not in Zoho Inventory yet: Zoho's API creates serial numbers only with "
             f"the purchase receive that brings them in. Record it on {where} in Zoho Inventory, then retry "
             "this line")
    assert (left.entry_id, left.state, left.vendor_message) == (entry_id, "failed", words)
    assert left.last_error == f"Zoho Inventory: {words} (receive a serial number)"

