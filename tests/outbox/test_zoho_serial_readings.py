"""Was a serial mapping applied? Each reading of ZohoSerialMappingDeliverer against the fake
Zoho (tests/backends/fake_zoho_inventory.SerialModes says what a mapping leaves behind), a
lost answer resolved without a second mapping in each mode that can tell, a resend Zoho
refuses because the serials are mapped to this document already (delivered), and one it
refuses because another document took them (failed, with Zoho's words)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from scanner_app.backends.zoho import ZohoClient
from scanner_app.outbox import (
    SERIAL_VALIDATE_AND_MAP,
    Outbox,
    OutboxEntry,
    OutboxRelay,
    PickedSerial,
    enqueue_serial_mappings,
    group_serial_mappings,
    zoho_target,
)
from scanner_app.outbox.serial_mapping import SerialMapping
from scanner_app.outbox.zoho_serials import ZohoSerialMappingDeliverer
from tests.backends.fake_zoho import FakeZoho, dropped_connection
from tests.backends.fake_zoho_inventory import SerialModes

FLUSH_S = 15.0
ORDER = "4815000000044208"


@pytest.fixture
def drill(zoho: FakeZoho) -> str:
    item_id = str(zoho.inventory.add_item("Drill", track_serial_number=True)["item_id"])
    for n in range(1, 5):
        zoho.inventory.add_serial(item_id, f"SN-{n}")
    return item_id


@pytest.fixture
def deliverer(client: ZohoClient) -> ZohoSerialMappingDeliverer:
    return ZohoSerialMappingDeliverer(lambda: client)


@pytest.fixture
def relay(make_relay: Callable[..., OutboxRelay], zoho: FakeZoho,
          deliverer: ZohoSerialMappingDeliverer) -> Iterator[OutboxRelay]:
    made = make_relay(target=zoho_target(zoho.organization_id), deliverers={SERIAL_VALIDATE_AND_MAP: deliverer})
    yield made
    made.stop()


def map_path(item_id: str) -> str:
    return f"/inventory/v1/items/{item_id}/serialnumber/validateandmap"


def mapping(item_id: str, *serials: str, order: str = ORDER) -> SerialMapping:
    return SerialMapping("salesorder", order, item_id, "W1", "B1", serials)


def as_entry(m: SerialMapping, *, check: bool = True) -> OutboxEntry:
    return OutboxEntry(1, "zoho:test", m.document, SERIAL_VALIDATE_AND_MAP, m.to_payload(), "in_flight", 0, 0.0,
                       check, None, None, None, 0.0, 0.0)


def map_in_zoho(client: ZohoClient, m: SerialMapping) -> None:
    """The mapping reached Zoho (its answer was lost)."""
    client.validate_and_map_serial_numbers(m.item_id, m.serial_numbers, entity_type=m.entity_type,
                                           entity_id=m.entity_id, warehouse_id=m.warehouse_id, bin_id=m.bin_id)


def record(outbox: Outbox, relay: OutboxRelay, item_id: str, *serials: str, order: str = ORDER) -> list[int]:
    with outbox.store.transaction() as conn:
        ids = enqueue_serial_mappings(outbox, conn, relay.target, group_serial_mappings(
            "salesorder", order, "W1", [PickedSerial(item_id, s, "B1") for s in serials]))
    outbox.announce(ids)
    return ids


# -- each reading ------------------------------------------------------------------------------

def test_mapped_to_an_unshipped_order_reads_as_applied_by_validate(
        zoho: FakeZoho, drill: str, client: ZohoClient, deliverer: ZohoSerialMappingDeliverer) -> None:
    m = mapping(drill, "SN-1", "SN-2")
    map_in_zoho(client, m)
    assert not any(s["is_transacted_out"] for s in zoho.inventory.serials.values())  # the old check's blind spot
    reading = deliverer.read(client, m)
    assert reading.verdict == "ours" and "validate accepts them for salesorder:" in reading.evidence[-1]
    assert deliverer.was_applied(as_entry(m)) == {"mapped": ["SN-1", "SN-2"], "found_applied": True}
    listed = [r.query for r in zoho.requests if r.path.endswith("/items/serialnumbers")]
    assert listed and all(q.get("show_transacted_out") == "true" for q in listed)
    validated = [r.query for r in zoho.requests if r.path.endswith("/serialnumber/validate")]
    assert [(q.get("entity_id"), q["warehouse_id"], q["location_id"]) for q in validated[-2:]] == [
        (ORDER, "W1", "B1"), (None, "W1", "B1")]


def test_the_variant_that_marks_them_transacted_out(zoho: FakeZoho, drill: str, client: ZohoClient,
                                                    deliverer: ZohoSerialMappingDeliverer) -> None:
    zoho.inventory.serial_modes = SerialModes(transacts_out=True)
    m = mapping(drill, "SN-1")
    map_in_zoho(client, m)
    assert deliverer.read(client, m).verdict == "ours"
    # transacted out by another document: not ours, whatever is_transacted_out says
    zoho.inventory.link_serial(drill, "SN-2", "salesorder", "SO-OTHER")
    assert deliverer.was_applied(as_entry(mapping(drill, "SN-2"))) is None


def test_association_fields_on_the_serial_records(zoho: FakeZoho, drill: str, client: ZohoClient,
                                                  deliverer: ZohoSerialMappingDeliverer) -> None:
    zoho.inventory.serial_modes = SerialModes(association_fields=True, validate_exempts_own_document=False)
    ours = mapping(drill, "SN-1")
    map_in_zoho(client, ours)
    zoho.inventory.link_serial(drill, "SN-2", "salesorder", "SO-OTHER")
    assert deliverer.read(client, ours).evidence == ("the serial records name this document",)
    other = deliverer.read(client, mapping(drill, "SN-2"))
    assert other.verdict == "other" and "another document for SN-2" in other.evidence[0]


def test_the_document_lists_the_serials(zoho: FakeZoho, drill: str, client: ZohoClient,
                                        deliverer: ZohoSerialMappingDeliverer) -> None:
    zoho.inventory.serial_modes = SerialModes(documents_list_serials=True, validate_exempts_own_document=False)
    m = mapping(drill, "SN-3", "SN-4")
    map_in_zoho(client, m)
    reading = deliverer.read(client, m)
    assert reading.verdict == "ours" and reading.evidence[-1] == f"salesorder:{ORDER} lists them"
    assert zoho.count("GET", f"/inventory/v1/salesorders/{ORDER}") == 1


def test_free_serials_read_as_not_applied(zoho: FakeZoho, drill: str, client: ZohoClient,
                                          deliverer: ZohoSerialMappingDeliverer) -> None:
    m = mapping(drill, "SN-1")
    assert deliverer.read(client, m).verdict == "free"
    assert deliverer.was_applied(as_entry(m)) is None
    # a document type this station cannot read (here: an unknown path) is not asked again
    deliverer.read(client, m)
    assert zoho.count("GET", "/inventory/v1/salesorders/") == 1


def test_serials_another_document_took_are_not_read_as_ours(zoho: FakeZoho, drill: str, client: ZohoClient,
                                                            deliverer: ZohoSerialMappingDeliverer) -> None:
    zoho.inventory.link_serial(drill, "SN-1", "salesorder", "SO-OTHER")
    reading = deliverer.read(client, mapping(drill, "SN-1"))
    assert reading.verdict == "unknown" and "refuses them" in reading.evidence[-1]
    assert deliverer.was_applied(as_entry(mapping(drill, "SN-1"))) is None


def test_the_client_lists_every_serial_only_when_asked(zoho: FakeZoho, drill: str, client: ZohoClient) -> None:
    zoho.inventory.add_serial(drill, "SN-GONE", is_transacted_out=True)
    assert "SN-GONE" in [s.serialnumber for s in client.serial_numbers(drill)]
    assert "SN-GONE" not in [s.serialnumber for s in client.serial_numbers(drill, show_transacted_out=False)]


# -- through the relay: exactly once ------------------------------------------------------------

@pytest.mark.parametrize("modes", [
    SerialModes(),
    SerialModes(transacts_out=True),
    SerialModes(association_fields=True, validate_exempts_own_document=False),
    SerialModes(documents_list_serials=True, validate_exempts_own_document=False),
], ids=["unshipped-order", "transacted-out", "record-fields", "document-lines"])
def test_a_lost_answer_is_never_mapped_twice(zoho: FakeZoho, drill: str, outbox: Outbox, relay: OutboxRelay,
                                             modes: SerialModes) -> None:
    zoho.inventory.serial_modes = modes
    zoho.inject(dropped_connection(after_apply=True, path=map_path(drill)))
    relay.start()
    ids = record(outbox, relay, drill, "SN-1", "SN-2")
    assert relay.flush(FLUSH_S) == []
    entry = outbox.get(ids[0])
    assert (entry.state, entry.result) == ("delivered", {"mapped": ["SN-1", "SN-2"], "found_applied": True})
    assert zoho.count("POST", map_path(drill)) == 1


def test_a_resend_refused_because_this_document_has_them_ends_applied(
        zoho: FakeZoho, drill: str, client: ZohoClient, outbox: Outbox, relay: OutboxRelay) -> None:
    map_in_zoho(client, mapping(drill, "SN-1"))  # e.g. mapped before, the answer never recorded
    relay.start()
    ids = record(outbox, relay, drill, "SN-1")
    assert relay.flush(FLUSH_S) == []
    entry = outbox.get(ids[0])
    assert (entry.state, entry.attempts, entry.result) == ("delivered", 0, {"mapped": ["SN-1"],
                                                                             "already_mapped": True})
    assert zoho.count("POST", map_path(drill)) == 2  # ours and the refused resend; never mapped again


def test_a_resend_zoho_accepts_again_is_harmless(zoho: FakeZoho, drill: str, client: ZohoClient, outbox: Outbox,
                                                 relay: OutboxRelay) -> None:
    zoho.inventory.serial_modes = SerialModes(remap_same_document="accept")
    map_in_zoho(client, mapping(drill, "SN-1"))
    relay.start()
    ids = record(outbox, relay, drill, "SN-1")
    assert relay.flush(FLUSH_S) == [] and outbox.get(ids[0]).state == "delivered"
    [link] = {zoho.inventory.serial_links[s["serialnumber_id"]] for s in zoho.inventory.serials.values()
              if s["serialnumber"] == "SN-1"}
    assert link == ("salesorder", ORDER)


def test_a_refusal_because_another_document_took_them_fails_with_zohos_words(
        zoho: FakeZoho, drill: str, outbox: Outbox, relay: OutboxRelay) -> None:
    zoho.inventory.link_serial(drill, "SN-2", "salesorder", "SO-OTHER")
    relay.start()
    ids = record(outbox, relay, drill, "SN-1", "SN-2")
    [left] = relay.flush(FLUSH_S)
    assert left.entry_id == ids[0] and left.state == "failed"
    assert left.vendor_message == "Serial number(s) SN-2 are not available for this item."
    assert zoho.inventory.serial_links.keys().isdisjoint(
        s["serialnumber_id"] for s in zoho.inventory.serials.values() if s["serialnumber"] == "SN-1")


def test_when_zoho_shows_nothing_the_resend_fails_saying_what_to_check(
        zoho: FakeZoho, drill: str, outbox: Outbox, relay: OutboxRelay) -> None:
    """The limit: a Zoho whose validate refuses a document its own serials, with no field
    naming the document. The check cannot tell; the resend is refused (all or nothing, so
    harmless) and a person is told what to look at, not parked."""
    zoho.inventory.serial_modes = SerialModes(validate_exempts_own_document=False)
    zoho.inject(dropped_connection(after_apply=True, path=map_path(drill)))
    relay.start()
    ids = record(outbox, relay, drill, "SN-3")
    [left] = relay.flush(FLUSH_S)
    assert left.entry_id == ids[0] and left.state == "failed"
    assert left.vendor_message == "Serial number(s) SN-3 are not available for this item."
    assert "check it in Zoho Inventory, then discard this entry if they are" in (left.last_error or "")
    assert zoho.count("POST", map_path(drill)) == 2 and len(zoho.inventory.serial_mappings) == 1


def test_the_check_reads_each_call_once(zoho: FakeZoho, drill: str, client: ZohoClient,
                                        deliverer: ZohoSerialMappingDeliverer) -> None:
    """What a check costs: the list, the two validates, and the document once per type."""
    m = mapping(drill, "SN-1")
    before = len(zoho.requests)
    deliverer.read(client, m)
    paths = [r.path.rsplit("/", 2)[-2:] for r in zoho.requests[before:] if r.path.startswith("/inventory/")]
    assert paths == [["items", "serialnumbers"], ["serialnumber", "validate"], ["serialnumber", "validate"],
                     ["salesorders", ORDER]]
