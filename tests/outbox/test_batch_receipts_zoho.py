"""Receipt lines delivered to the fake Zoho on loopback, through the real ZohoClient and the
relay's thread: a batch created, reused, a date conflict, a create that timed out after
Zoho applied it (found, not created twice), a duplicate created by another station
meanwhile, a 429 storm and token expiry while a long receipt runs, and serial numbers
confirmed against Zoho's list."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from scanner_app.backends.zoho import ZohoClient
from scanner_app.inventory.models import Batch
from scanner_app.inventory.store import InventoryStore
from scanner_app.outbox import Outbox, OutboxRelay, RelayStatus, zoho_target
from scanner_app.outbox.batch_receipts import BATCH_ASSIGN, SERIAL_RECEIVE
from scanner_app.outbox.zoho_batch_receipts import ZohoBatchAssignmentDeliverer, ZohoSerialReceiptDeliverer
from scanner_app.workflows.receiving import ReceivingWorkflow
from scanner_app.workflows.receiving_rules import BatchFields
from tests.backends.conftest import TEST_POLICY as HTTP_POLICY
from tests.backends.fake_clock import FakeClock
from tests.backends.fake_zoho import FakeZoho, rate_limited
from tests.outbox.helpers import items_in_both
from tests.workflows.receiving_catalogue import TODAY

BATCHES = "/inventory/v1/items/batches"
FLUSH_S = 15.0


@pytest.fixture
def items(zoho: FakeZoho, store: InventoryStore) -> dict[str, str]:
    """The same items in Zoho and in the station's synced store."""
    return items_in_both(zoho, store, milk=("Milk powder", "MLK-1", "track_batch_number"),
                         drill=("Drill", "DRL-18", "track_serial_number"))


@pytest.fixture
def relay(make_relay: Callable[..., OutboxRelay], zoho: FakeZoho, clients: list[ZohoClient]) -> Iterator[OutboxRelay]:
    made = make_relay(target=zoho_target(zoho.organization_id), deliverers={
        BATCH_ASSIGN: ZohoBatchAssignmentDeliverer(lambda: clients[-1]),
        SERIAL_RECEIVE: ZohoSerialReceiptDeliverer(lambda: clients[-1])})
    yield made
    made.stop()


@pytest.fixture
def workflow(outbox: Outbox, zoho: FakeZoho, items: dict[str, str]) -> Iterator[ReceivingWorkflow]:
    wf = ReceivingWorkflow(outbox, zoho_target(zoho.organization_id), today=lambda: TODAY)
    wf.start("PO-42", "W1")
    yield wf
    wf.close()


def receive(workflow: ReceivingWorkflow, item_id: str, number: str, expiry: str | None = "2026-12-31",
            quantity: float = 1.0, manufactured: str | None = None) -> None:
    item = workflow.store.get_item(item_id)
    answer = workflow.receive_batch(BatchFields(number, None, manufactured, expiry, quantity), item=item)
    assert answer.accepted, answer.message


def zoho_batches(zoho: FakeZoho, number: str) -> list[dict[str, Any]]:
    return [b for b in zoho.inventory.batches.values() if b["batch_number"] == number]


def test_a_new_batch_is_created_in_zoho(zoho: FakeZoho, items: dict[str, str], workflow: ReceivingWorkflow,
                                        relay: OutboxRelay) -> None:
    relay.start()
    receive(workflow, items["milk"], "L-NEW", quantity=12)
    assert relay.flush(FLUSH_S) == []
    [created] = zoho_batches(zoho, "L-NEW")
    assert created["expiry_date"] == "2026-12-31" and created["item_id"] == items["milk"]
    [line] = workflow.all_lines()
    assert (line.state, line.batch_id) == ("assigned", created["batch_id"])
    assert zoho.count("GET", BATCHES) == 1 and zoho.count("POST", BATCHES) == 1
    # the item's whole list (batches.yml: include_empty_batches), not a search per line
    [listed] = [r.query for r in zoho.requests if r.method == "GET"]
    assert (listed["item_id"], listed["include_empty_batches"], "search_text" in listed) == (
        items["milk"], "true", False)


def test_a_batch_with_the_same_dates_is_reused(zoho: FakeZoho, items: dict[str, str], workflow: ReceivingWorkflow,
                                               relay: OutboxRelay) -> None:
    existing = zoho.inventory.add_batch(items["milk"], "L-7", expiry_date="2026-12-31")
    zoho.inventory.add_batch(items["milk"], "L-77", expiry_date="2027-01-31")  # found by the search too
    relay.start()
    receive(workflow, items["milk"], "L-7")
    assert relay.flush(FLUSH_S) == []
    assert workflow.all_lines()[0].batch_id == existing["batch_id"]
    assert zoho.count("POST", BATCHES) == 0 and len(zoho.inventory.batches) == 2


def test_other_dates_are_a_conflict(zoho: FakeZoho, items: dict[str, str], workflow: ReceivingWorkflow,
                                    relay: OutboxRelay) -> None:
    zoho.inventory.add_batch(items["milk"], "L-7", expiry_date="2026-10-15", manufactured_date="2026-01-01")
    relay.start()
    receive(workflow, items["milk"], "L-7", expiry="2026-11-01")
    [left] = relay.flush(FLUSH_S)
    assert left.state == "failed"
    [line] = workflow.all_lines()
    assert line.state == "conflict"
    assert line.reason == "batch L-7 exists with other dates: expiry 2026-10-15 there, 2026-11-01 on this receipt"
    assert zoho.count("POST", BATCHES) == 0


# The batch rule: Zoho's batch with the line's number is reused only when no date contradicts
# it; another manufactured date or another expiry is a conflict, and nothing is created.
# Zoho's L-7: manufactured 2026-01-01, expiry 2026-12-31. Zoho names the manufactured date
# either way (docs/zoho.md): both spellings are tried.
@pytest.mark.parametrize("zoho_field", ["manufactured_date", "manufacturer_date"])
@pytest.mark.parametrize(("manufactured", "expiry", "reason"), [
    ("2026-02-01", "2026-12-31",  # the manufactured date alone differs
     "batch L-7 exists with other dates: manufactured 2026-01-01 there, 2026-02-01 on this receipt"),
    ("2026-01-01", "2027-01-01",  # the expiry alone differs
     "batch L-7 exists with other dates: expiry 2026-12-31 there, 2027-01-01 on this receipt"),
])
def test_a_batch_number_zoho_has_with_another_date_is_a_conflict(
        zoho: FakeZoho, items: dict[str, str], workflow: ReceivingWorkflow, relay: OutboxRelay, zoho_field: str,
        manufactured: str, expiry: str, reason: str) -> None:
    zoho.inventory.add_batch(items["milk"], "L-7", expiry_date="2026-12-31", **{zoho_field: "2026-01-01"})
    relay.start()
    receive(workflow, items["milk"], "L-7", expiry=expiry, manufactured=manufactured)
    [left] = relay.flush(FLUSH_S)
    assert left.state == "failed"
    [line] = workflow.all_lines()
    assert (line.state, line.reason, line.batch_id) == ("conflict", reason, None)
    assert zoho.count("POST", BATCHES) == 0 and len(zoho_batches(zoho, "L-7")) == 1


def test_a_batch_with_the_same_manufactured_date_and_expiry_is_reused(
        zoho: FakeZoho, items: dict[str, str], workflow: ReceivingWorkflow, relay: OutboxRelay) -> None:
    existing = zoho.inventory.add_batch(items["milk"], "L-7", expiry_date="2026-12-31",
                                        manufactured_date="2026-01-01")
    relay.start()
    receive(workflow, items["milk"], "L-7", expiry="2026-12-31", manufactured="2026-01-01")
    assert relay.flush(FLUSH_S) == []
    assert workflow.all_lines()[0].batch_id == existing["batch_id"]
    assert zoho.count("POST", BATCHES) == 0


def test_a_create_that_timed_out_after_zoho_applied_it_is_not_made_twice(
        zoho: FakeZoho, items: dict[str, str], workflow: ReceivingWorkflow, relay: OutboxRelay,
        clients: list[ZohoClient]) -> None:
    clients.append(ZohoClient(zoho.settings(), zoho.secrets(), clock=FakeClock(),
                              policy=dataclasses.replace(HTTP_POLICY, timeout_seconds=0.3)))
    zoho.answer_late(1.0, method="POST", path=BATCHES)
    relay.start()
    receive(workflow, items["milk"], "L-LATE")
    assert relay.flush(FLUSH_S) == []
    [created] = zoho_batches(zoho, "L-LATE")
    [entry] = workflow.outbox.entries()
    assert entry.state == "delivered" and entry.result is not None and entry.result["found_applied"] is True
    assert entry.result["batch_id"] == created["batch_id"] == workflow.all_lines()[0].batch_id
    assert zoho.count("POST", BATCHES) == 1  # checked with a search, never sent again


def test_a_batch_another_station_created_meanwhile_is_reused(
        zoho: FakeZoho, items: dict[str, str], workflow: ReceivingWorkflow, outbox: Outbox,
        make_relay: Callable[..., OutboxRelay], clients: list[ZohoClient]) -> None:
    class Racing(ZohoClient):
        raced = False

        def batches(self, item_id: str, *, search_text: str | None = None) -> list[Batch]:
            if not self.raced:  # our search sees nothing; the other station creates it now
                self.raced = True
                zoho.inventory.add_batch(item_id, "L-RACE", expiry_date="2026-12-31")
                return []
            return super().batches(item_id, search_text=search_text)

    racing = Racing(zoho.settings(), zoho.secrets(), clock=FakeClock(), policy=HTTP_POLICY)
    clients.append(racing)
    relay = make_relay(target=zoho_target(zoho.organization_id),
                       deliverers={BATCH_ASSIGN: ZohoBatchAssignmentDeliverer(lambda: racing)})
    relay.start()
    receive(workflow, items["milk"], "L-RACE")
    assert relay.flush(FLUSH_S) == []
    assert len(zoho_batches(zoho, "L-RACE")) == 1 and workflow.all_lines()[0].state == "assigned"
    assert zoho.count("POST", BATCHES) == 1  # refused as a duplicate, then found


def test_a_429_storm_is_waited_out(zoho: FakeZoho, items: dict[str, str], workflow: ReceivingWorkflow,
                                   relay: OutboxRelay, outbox_clock: FakeClock) -> None:
    zoho.inject(rate_limited(20, path=BATCHES, times=6))
    waits: list[RelayStatus] = []
    relay.status_changed.connect(lambda s: waits.append(s) if s.state == "waiting" else None)
    started = outbox_clock.time()
    relay.start()
    for n in range(5):
        receive(workflow, items["milk"], f"L-{n}")
    assert relay.flush(FLUSH_S) == []
    assert [line.state for line in workflow.all_lines()] == ["assigned"] * 5
    assert all(e.attempts == 0 for e in workflow.outbox.entries())  # a 429 is no failed attempt
    assert waits and "rate limited" in waits[0].reason and outbox_clock.time() - started >= 20
    assert len(zoho.inventory.batches) == 5


def test_token_expiry_while_a_long_receipt_runs(zoho: FakeZoho, items: dict[str, str], workflow: ReceivingWorkflow,
                                                relay: OutboxRelay, clients: list[ZohoClient]) -> None:
    statuses: list[str] = []
    relay.status_changed.connect(lambda s: statuses.append(s.state))
    relay.start()
    for n in range(40):
        receive(workflow, items["milk"], f"LOT-{n:03d}", quantity=n + 1)
    deadline = time.monotonic() + FLUSH_S
    while sum(line.state == "assigned" for line in workflow.all_lines()) < 10:
        assert time.monotonic() < deadline, "nothing was delivered"
        time.sleep(0.005)
    zoho.expire_tokens()  # mid-receipt: the next call gets 401 code 57
    assert relay.flush(FLUSH_S) == []
    assert [line.state for line in workflow.all_lines()] == ["assigned"] * 40
    assert len(zoho.inventory.batches) == 40 and zoho.refresh_count == 2 and "paused" not in statuses


def test_serials_are_confirmed_against_zohos_list(zoho: FakeZoho, items: dict[str, str],
                                                  workflow: ReceivingWorkflow, relay: OutboxRelay) -> None:
    zoho.inventory.add_serial(items["drill"], "SN-ON-RECEIVE")  # recorded on the purchase receive in Zoho
    relay.start()
    drill = workflow.store.get_item(items["drill"])
    assert workflow.receive_serial("SN-ON-RECEIVE", item=drill).accepted
    assert workflow.receive_serial("SN-NOT-YET", item=drill).accepted
    left = relay.flush(FLUSH_S)
    assert [e.payload["serialnumber"] for e in left] == ["SN-NOT-YET"]
    first, second = workflow.all_lines()
    assert first.state == "assigned" and second.state == "failed"
    assert "SN-NOT-YET is not in Zoho Inventory yet" in (second.reason or "")
    assert "purchase receive PO-42" in (second.reason or "")
