"""Validate-and-map in the embedded inventory: each rule, all or nothing, the same
document twice maps once, and the whole dispatch path through the relay with no cloud."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from scanner_app.backends.errors import NotFound, ValidationError
from scanner_app.inventory.importer import import_document
from scanner_app.inventory.store import InventoryStore
from scanner_app.outbox import (
    EMBEDDED_TARGET,
    SERIAL_VALIDATE_AND_MAP,
    Outbox,
    OutboxEntry,
    OutboxRelay,
    PickedSerial,
    SerialMapping,
    enqueue_serial_mappings,
    group_serial_mappings,
)
from scanner_app.outbox.embedded_serials import EmbeddedSerialMappingDeliverer
from tests.inventory.helpers import catalogue


@pytest.fixture
def stocked(store: InventoryStore) -> InventoryStore:
    document: dict[str, Any] = catalogue()
    document["serial_numbers"] += [
        {"serialnumber_id": f"S1{n}", "serialnumber": f"SN-1{n}", "item_id": "I2", "status": "active",
         "warehouse_id": "W1", "location_id": "B1"} for n in range(5)
    ] + [{"serialnumber_id": "S20", "serialnumber": "SN-20", "item_id": "I2", "warehouse_id": "W2"},
         {"serialnumber_id": "S21", "serialnumber": "SN-21", "item_id": "I2", "warehouse_id": "W1",
          "location_id": "B2"}]
    import_document(store, document)
    return store


@pytest.fixture
def embedded(stocked: InventoryStore) -> EmbeddedSerialMappingDeliverer:
    return EmbeddedSerialMappingDeliverer(stocked, now=lambda: 1_800_000_000.0)


def entry_for(*serials: str, order: str = "SO-1", bin_id: str | None = "B1", item_id: str = "I2",
              warehouse_id: str = "W1") -> OutboxEntry:
    mapping = SerialMapping("salesorder", order, item_id, warehouse_id, bin_id, tuple(serials))
    return OutboxEntry(1, EMBEDDED_TARGET, mapping.document, SERIAL_VALIDATE_AND_MAP, mapping.to_payload(),
                       "in_flight", 0, 0.0, False, None, None, None, 0.0, 0.0)


def mappings(store: InventoryStore) -> list[tuple[str, str, str | None]]:
    return [tuple(r) for r in store.connection().execute(
        "SELECT serialnumber, entity_id, bin_id FROM embedded_serial_mappings ORDER BY serialnumber")]


def test_maps_and_marks_transacted_out(stocked: InventoryStore, embedded: EmbeddedSerialMappingDeliverer) -> None:
    assert embedded.was_applied(entry_for("SN-10", "SN-11")) is None
    assert embedded.deliver(entry_for("SN-10", "SN-11")) == {"mapped": ["SN-10", "SN-11"]}
    assert mappings(stocked) == [("SN-10", "SO-1", "B1"), ("SN-11", "SO-1", "B1")]
    serial = stocked.get_serial("S10")
    assert serial is not None and serial.is_transacted_out
    assert embedded.was_applied(entry_for("SN-10", "SN-11")) == {"mapped": ["SN-10", "SN-11"], "found_applied": True}


def test_the_same_document_twice_maps_once(stocked: InventoryStore, embedded: EmbeddedSerialMappingDeliverer) -> None:
    embedded.deliver(entry_for("SN-10"))
    embedded.deliver(entry_for("SN-10", "SN-11"))
    assert mappings(stocked) == [("SN-10", "SO-1", "B1"), ("SN-11", "SO-1", "B1")]


@pytest.mark.parametrize(("serial", "why", "kwargs"), [
    ("SN-404", "SN-404 is not a serial number of this item", {}),
    ("SN-0002", "SN-0002 has been transacted out already", {"bin_id": None}),
    ("SN-0003", "SN-0003 is inactive", {"bin_id": None}),
    ("SN-20", "SN-20 is in another warehouse (W2)", {"bin_id": None}),
    ("SN-21", "SN-21 is in another bin (A-01-02)", {}),
])
def test_each_refusal_names_the_serial_and_changes_nothing(stocked: InventoryStore,
                                                           embedded: EmbeddedSerialMappingDeliverer,
                                                           serial: str, why: str, kwargs: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as refused:
        embedded.deliver(entry_for("SN-12", serial, **kwargs))
    assert refused.value.vendor_message == why and not refused.value.maybe_applied
    assert mappings(stocked) == []  # SN-12 was fine, but it is all or nothing
    fine = stocked.get_serial("S12")
    assert fine is not None and not fine.is_transacted_out


def test_a_serial_of_another_document_is_refused(stocked: InventoryStore,
                                                 embedded: EmbeddedSerialMappingDeliverer) -> None:
    embedded.deliver(entry_for("SN-13"))
    with pytest.raises(ValidationError, match="SN-13 is already mapped to salesorder SO-1"):
        embedded.deliver(entry_for("SN-13", order="SO-2"))
    assert embedded.was_applied(entry_for("SN-13", order="SO-2")) is None


def test_an_unknown_item_is_not_found(embedded: EmbeddedSerialMappingDeliverer) -> None:
    with pytest.raises(NotFound):
        embedded.deliver(entry_for("SN-1", item_id="I404"))


def test_a_mapping_survives_a_catalogue_reimport(stocked: InventoryStore,
                                                 embedded: EmbeddedSerialMappingDeliverer) -> None:
    embedded.deliver(entry_for("SN-14"))
    import_document(stocked, catalogue())  # re-import: the serial rows are written again
    assert embedded.was_applied(entry_for("SN-14")) is not None


def test_a_dispatch_through_the_relay_with_no_cloud(stocked: InventoryStore, outbox: Outbox,
                                                    make_relay: Callable[..., OutboxRelay]) -> None:
    relay = make_relay(target=EMBEDDED_TARGET, deliverers={
        SERIAL_VALIDATE_AND_MAP: EmbeddedSerialMappingDeliverer(stocked)})
    picked = [PickedSerial("I2", "SN-10", "B1"), PickedSerial("I2", "SN-11", "B1"), PickedSerial("I2", "SN-21", "B2")]
    with stocked.transaction() as conn:
        ids = enqueue_serial_mappings(outbox, conn, EMBEDDED_TARGET,
                                      group_serial_mappings("package", "PKG-7", "W1", picked))
    outbox.announce(ids)
    relay.start()
    assert relay.flush(10) == []
    assert mappings(stocked) == [("SN-10", "PKG-7", "B1"), ("SN-11", "PKG-7", "B1"), ("SN-21", "PKG-7", "B2")]
