"""Receipt lines to the fake Zoho at one list call per item per receipt: the item's batches
are listed once (with empty ones) and kept while the receipt goes on, with the batches this
station creates added; a duplicate refusal, a lost create answer and a date conflict are
judged on a fresh list, so the exactly-once guarantees stay."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator

import pytest

from scanner_app.backends.zoho import ZohoClient
from scanner_app.inventory.models import Batch
from scanner_app.inventory.store import InventoryStore
from scanner_app.outbox import Outbox, OutboxRelay, zoho_target
from scanner_app.outbox.batch_receipts import BATCH_ASSIGN
from scanner_app.outbox.zoho_batch_receipts import ReceiptBatches, ZohoBatchAssignmentDeliverer
from scanner_app.workflows.receiving import ReceivingWorkflow
from scanner_app.workflows.receiving_rules import BatchFields
from tests.backends.conftest import TEST_POLICY as HTTP_POLICY
from tests.backends.fake_clock import FakeClock
from tests.backends.fake_zoho import FakeZoho
from tests.outbox.helpers import items_in_both
from tests.workflows.receiving_catalogue import TODAY

BATCHES = "/inventory/v1/items/batches"
FLUSH_S = 15.0


@pytest.fixture
def items(zoho: FakeZoho, store: InventoryStore) -> dict[str, str]:
    return items_in_both(zoho, store, milk=("Milk powder", "MLK-1", "track_batch_number"),
                         flour=("Flour", "FLR-1", "track_batch_number"))


@pytest.fixture
def relay(make_relay: Callable[..., OutboxRelay], zoho: FakeZoho, clients: list[ZohoClient]) -> Iterator[OutboxRelay]:
    made = make_relay(target=zoho_target(zoho.organization_id),
                      deliverers={BATCH_ASSIGN: ZohoBatchAssignmentDeliverer(lambda: clients[-1])})
    yield made
    made.stop()


@pytest.fixture
def receipts(outbox: Outbox, zoho: FakeZoho, items: dict[str, str]) -> Iterator[Callable[[str], ReceivingWorkflow]]:
    opened: list[ReceivingWorkflow] = []

    def open_receipt(reference: str) -> ReceivingWorkflow:
        wf = ReceivingWorkflow(outbox, zoho_target(zoho.organization_id), today=lambda: TODAY)
        wf.start(reference, "W1")
        opened.append(wf)
        return wf

    yield open_receipt
    for wf in opened:
        wf.close()


def receive(workflow: ReceivingWorkflow, item_id: str, number: str, expiry: str = "2026-12-31") -> None:
    answer = workflow.receive_batch(BatchFields(number, None, None, expiry, 2.0), item=workflow.store.get_item(item_id))
    assert answer.accepted, answer.message


def lists(zoho: FakeZoho) -> int:
    return zoho.count("GET", BATCHES)


def creates(zoho: FakeZoho) -> int:
    return zoho.count("POST", BATCHES)


def test_one_list_per_item_per_receipt(zoho: FakeZoho, items: dict[str, str], relay: OutboxRelay,
                                       receipts: Callable[[str], ReceivingWorkflow]) -> None:
    empty = zoho.inventory.add_batch(items["milk"], "L-EMPTY", expiry_date="2026-12-31")  # balance 0
    relay.start()
    first = receipts("PO-1")
    for n in range(5):
        receive(first, items["milk"], f"L-{n}")
    for n in range(3):
        receive(first, items["flour"], f"F-{n}")
    receive(first, items["milk"], "L-EMPTY")
    receive(first, items["milk"], "l-2")  # the same batch as L-2, as the lookup matches it
    assert relay.flush(FLUSH_S) == []
    assert [line.state for line in first.all_lines()] == ["assigned"] * 10
    assert (lists(zoho), creates(zoho)) == (2, 8)  # 10 lines: 10 requests, not 20
    by_number = {line.batch_number: line.batch_id for line in first.all_lines()}
    assert by_number["L-EMPTY"] == empty["batch_id"] and by_number["l-2"] == by_number["L-2"]
    assert all(r.query.get("include_empty_batches") == "true" for r in zoho.requests if r.method == "GET"
               and r.path == BATCHES)
    second = receipts("PO-2")  # another receipt lists again
    receive(second, items["milk"], "L-0")
    assert relay.flush(FLUSH_S) == []
    assert (lists(zoho), creates(zoho)) == (3, 8)
    assert len(zoho.inventory.batches) == 9


def test_a_batch_another_station_created_since_the_list_is_found_after_the_refusal(
        zoho: FakeZoho, items: dict[str, str], relay: OutboxRelay,
        receipts: Callable[[str], ReceivingWorkflow]) -> None:
    relay.start()
    receipt = receipts("PO-1")
    receive(receipt, items["milk"], "L-1")
    assert relay.flush(FLUSH_S) == []
    theirs = zoho.inventory.add_batch(items["milk"], "L-2", expiry_date="2026-12-31")  # not in our kept list
    receive(receipt, items["milk"], "L-2")
    receive(receipt, items["milk"], "L-3")
    assert relay.flush(FLUSH_S) == []
    assert [line.batch_id for line in receipt.all_lines()][1] == theirs["batch_id"]
    # L-2's create was refused as a duplicate, the list dropped and fetched again (once)
    assert (lists(zoho), creates(zoho)) == (2, 3) and len(zoho.inventory.batches) == 3


def test_a_lost_create_answer_is_checked_on_a_fresh_list(zoho: FakeZoho, items: dict[str, str], relay: OutboxRelay,
                                                         clients: list[ZohoClient],
                                                         receipts: Callable[[str], ReceivingWorkflow]) -> None:
    relay.start()
    receipt = receipts("PO-1")
    receive(receipt, items["milk"], "L-1")
    assert relay.flush(FLUSH_S) == []  # the list is kept now
    clients.append(ZohoClient(zoho.settings(), zoho.secrets(), clock=FakeClock(),
                              policy=dataclasses.replace(HTTP_POLICY, timeout_seconds=0.3)))
    zoho.answer_late(1.0, method="POST", path=BATCHES)
    receive(receipt, items["milk"], "L-LATE")
    assert relay.flush(FLUSH_S) == []
    [late] = [b for b in zoho.inventory.batches.values() if b["batch_number"] == "L-LATE"]
    entry = receipt.outbox.entries()[-1]
    assert entry.result is not None and (entry.result["found_applied"], entry.result["batch_id"]) == (
        True, late["batch_id"])
    assert creates(zoho) == 2 and lists(zoho) == 2  # the check listed again; nothing created twice


def test_a_date_conflict_is_judged_on_a_fresh_list(zoho: FakeZoho, items: dict[str, str], relay: OutboxRelay,
                                                   receipts: Callable[[str], ReceivingWorkflow]) -> None:
    stale = zoho.inventory.add_batch(items["milk"], "L-FIX", expiry_date="2026-10-15")
    zoho.inventory.add_batch(items["milk"], "L-OTHER", expiry_date="2026-10-15")
    relay.start()
    receipt = receipts("PO-1")
    receive(receipt, items["milk"], "L-0")
    assert relay.flush(FLUSH_S) == []  # kept: L-FIX with 2026-10-15
    stale["expiry_date"] = "2026-12-31"  # corrected in Zoho meanwhile
    receive(receipt, items["milk"], "L-FIX")
    assert relay.flush(FLUSH_S) == []
    assert receipt.all_lines()[1].batch_id == stale["batch_id"] and lists(zoho) == 2
    receive(receipt, items["milk"], "L-OTHER")  # and a real conflict still is one, checked fresh too
    [left] = relay.flush(FLUSH_S)
    assert left.state == "failed" and receipt.all_lines()[-1].state == "conflict" and lists(zoho) == 3
    assert "expiry 2026-10-15 there, 2026-12-31 on this receipt" in (receipt.all_lines()[-1].reason or "")


def test_kept_lists_age_and_make_room() -> None:
    now = [0.0]
    kept = ReceiptBatches(receipts=2, max_age=60.0, clock=lambda: now[0])
    batch = Batch("B1", "I1", "L-1")
    kept.put(("r1", "I1"), [batch])
    kept.put(("r2", "I1"), [])
    kept.add(("r2", "I1"), Batch("B2", "I1", "L-2"))
    assert kept.get(("r1", "I1")) == {"l-1": [batch]}
    kept.put(("r3", "I1"), [])  # r2 was used longest ago: it goes
    assert kept.get(("r2", "I1")) is None and kept.get(("r1", "I1")) is not None
    now[0] = 61.0
    assert kept.get(("r1", "I1")) is None and kept.get(("r3", "I1")) is None
