"""An assembly's three steps against the fake Zoho on loopback, through the real ZohoClient
and the relay: the three calls in order with the documented fields; a failure, a lost
answer or a crash between create and confirm resumes without a second assembly; Zoho's
refusal stops the later steps with Zoho's words."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator

import pytest

from scanner_app.backends.zoho import ZohoClient
from scanner_app.outbox import Outbox, OutboxRelay, zoho_target
from scanner_app.outbox.bundles import AssemblyRecord, ConsumedComponent, enqueue_assembly
from scanner_app.outbox.zoho_bundles import zoho_bundle_deliverers
from tests.backends.fake_zoho import FakeZoho, dropped_connection, server_error

FLUSH_S = 15.0
BUNDLES = "/inventory/v1/bundles"


@pytest.fixture
def kit(zoho: FakeZoho) -> AssemblyRecord:
    screw = zoho.inventory.add_item("Screw pack", sku="SCR-10")
    drill = zoho.inventory.add_item("Drill", sku="DRL-18", track_serial_number=True)
    kit = zoho.inventory.add_composite("Repair kit", [(screw["item_id"], 2), (drill["item_id"], 1)], sku="KIT-REP")
    return AssemblyRecord("ASM-7F3A9C21D0", "2026-01-15", kit["composite_item_id"], "Repair kit", 2, "W1", "B1", (
        ConsumedComponent(screw["item_id"], "Screw pack", 4),
        ConsumedComponent(drill["item_id"], "Drill", 2, ("SN-1", "SN-2"))))


@pytest.fixture
def relay(make_relay: Callable[..., OutboxRelay], zoho: FakeZoho, client: ZohoClient) -> Iterator[OutboxRelay]:
    made = make_relay(target=zoho_target(zoho.organization_id), deliverers=zoho_bundle_deliverers(lambda: client))
    yield made
    made.stop()


def record(outbox: Outbox, relay: OutboxRelay, assembly: AssemblyRecord) -> list[int]:
    with outbox.store.transaction() as conn:
        ids = enqueue_assembly(outbox, conn, relay.target, assembly)
    outbox.announce(ids)
    return ids


def writes(zoho: FakeZoho) -> list[str]:
    """The bundle writes Zoho received, in order, with the ids replaced by {id}."""
    ids = list(zoho.inventory.bundles)
    calls = [(r.method, r.path) for r in zoho.requests if r.method == "POST" and r.path.startswith(BUNDLES)]
    return [f"{method} {path.replace(ids[0], '{id}') if ids else path}" for method, path in calls]


def test_the_three_calls_in_order(zoho: FakeZoho, kit: AssemblyRecord, outbox: Outbox, relay: OutboxRelay) -> None:
    relay.start()
    ids = record(outbox, relay, kit)
    assert relay.flush(FLUSH_S) == []
    assert writes(zoho) == [f"POST {BUNDLES}", f"POST {BUNDLES}/{{id}}/confirmed", f"POST {BUNDLES}/{{id}}/bundled"]
    created = next(r for r in zoho.requests if r.method == "POST" and r.path == BUNDLES)
    assert created.query["ignore_auto_number_generation"] == "true"
    body = json.loads(created.body)
    assert {k: body[k] for k in ("reference_number", "date", "composite_item_id", "quantity_to_bundle", "status",
                                 "warehouse_id", "location_id", "is_completed")} == {
        "reference_number": "ASM-7F3A9C21D0", "date": "2026-01-15", "composite_item_id": kit.kit_item_id,
        "quantity_to_bundle": 2, "status": "draft", "warehouse_id": "W1", "location_id": "W1", "is_completed": True}
    assert [(line["name"], line["quantity_consumed"], line["location_id"]) for line in body["line_items"]] == [
        ("Screw pack", 4, "W1"), ("Drill", 2, "W1")]
    [bundle] = zoho.inventory.bundles.values()
    assert (bundle["status"], bundle["reference_number"]) == ("built", "ASM-7F3A9C21D0")
    assert [outbox.get(i).result["bundle_id"] for i in ids] == [bundle["bundle_id"]] * 3  # type: ignore[index]


def test_a_failure_between_create_and_confirm_resumes_without_a_second_assembly(
        zoho: FakeZoho, kit: AssemblyRecord, outbox: Outbox, relay: OutboxRelay) -> None:
    zoho.inject(server_error(500, method="POST", path=f"{BUNDLES}/", times=2))  # confirm fails twice
    relay.start()
    ids = record(outbox, relay, kit)
    assert relay.flush(FLUSH_S) == []
    assert len(zoho.inventory.bundles) == 1
    assert writes(zoho).count(f"POST {BUNDLES}") == 1
    assert writes(zoho)[-1] == f"POST {BUNDLES}/{{id}}/bundled"
    assert outbox.get(ids[1]).attempts == 2  # the confirm step was retried, checked with Zoho first each time
    assert next(iter(zoho.inventory.bundles.values()))["status"] == "built"


def test_a_lost_answer_to_the_create_finds_the_assembly_by_its_reference(
        zoho: FakeZoho, kit: AssemblyRecord, outbox: Outbox, relay: OutboxRelay) -> None:
    zoho.inject(dropped_connection(after_apply=True, method="POST", path=BUNDLES))
    relay.start()
    ids = record(outbox, relay, kit)
    assert relay.flush(FLUSH_S) == []
    [bundle] = zoho.inventory.bundles.values()
    assert outbox.get(ids[0]).result == {"bundle_id": bundle["bundle_id"], "status": "draft",
                                         "reference_number": "ASM-7F3A9C21D0", "found_applied": True}
    assert writes(zoho) == [f"POST {BUNDLES}", f"POST {BUNDLES}/{{id}}/confirmed", f"POST {BUNDLES}/{{id}}/bundled"]
    assert bundle["status"] == "built"


def test_a_crash_between_create_and_confirm_resumes_without_a_second_assembly(
        zoho: FakeZoho, kit: AssemblyRecord, outbox: Outbox, make_relay: Callable[..., OutboxRelay],
        client: ZohoClient) -> None:
    deliverers = zoho_bundle_deliverers(lambda: client)
    first = make_relay(target=zoho_target(zoho.organization_id), deliverers=deliverers)
    first.recover()
    create, confirm, _build = record(outbox, first, kit)
    # what the first relay did before the process died: create delivered, confirm claimed
    claimed = first.ledger.claim(outbox.get(create))
    assert claimed is not None
    first.ledger.delivered(claimed, deliverers["bundle.create"].deliver(claimed))
    assert first.ledger.claim(outbox.get(confirm)) is not None
    first.stop()  # the lock goes with the process
    second = make_relay(target=zoho_target(zoho.organization_id), deliverers=deliverers)
    second.start()
    assert second.flush(FLUSH_S) == []
    assert len(zoho.inventory.bundles) == 1 and writes(zoho).count(f"POST {BUNDLES}") == 1
    assert next(iter(zoho.inventory.bundles.values()))["status"] == "built"
    # the confirm was checked with Zoho (still a draft) before it was sent
    reads = [r.path for r in zoho.requests if r.method == "GET" and r.path.startswith(BUNDLES + "/")]
    assert len(reads) == 1


def test_zoho_refusing_the_create_stops_the_later_steps(zoho: FakeZoho, kit: AssemblyRecord, outbox: Outbox,
                                                        relay: OutboxRelay) -> None:
    del zoho.inventory.composites[kit.kit_item_id]  # deleted in Zoho since the last sync
    relay.start()
    ids = record(outbox, relay, kit)
    left = relay.flush(FLUSH_S)
    assert [e.entry_id for e in left] == ids
    assert [outbox.get(i).state for i in ids] == ["failed", "pending", "pending"]
    assert outbox.get(ids[0]).vendor_message == "Composite item does not exist."
    assert writes(zoho) == [f"POST {BUNDLES}"]
