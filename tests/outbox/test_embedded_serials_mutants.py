"""Validate-and-map in the embedded inventory: the words a person reads when it is refused
(the surviving mutants of ``scanner_app/outbox/embedded_serials.py``).

- an unknown item: "Embedded inventory: item … does not exist (validate and map serial
  numbers)", a NotFound (the relay fails the entry; nothing is mapped);
- several serials that cannot be mapped are all named, each reason once, joined by "; ",
  in the entry's ``vendor_message``; ``last_error`` is the whole sentence, naming the
  embedded inventory and the operation, as the outbox keeps it after the relay's attempt.
"""

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
    SerialMapping,
    enqueue_serial_mappings,
)
from scanner_app.outbox.embedded_serials import EmbeddedSerialMappingDeliverer
from tests.inventory.helpers import catalogue


@pytest.fixture
def stocked(store: InventoryStore) -> InventoryStore:
    """Drill (I2) serials SN-10 and SN-11 in W1 bin B1, SN-20 in W2 (plus the catalogue's own)."""
    document: dict[str, Any] = catalogue()
    document["serial_numbers"] += [
        {"serialnumber_id": f"S1{n}", "serialnumber": f"SN-1{n}", "item_id": "I2", "status": "active",
         "warehouse_id": "W1", "location_id": "B1"} for n in range(2)
    ] + [{"serialnumber_id": "S20", "serialnumber": "SN-20", "item_id": "I2", "warehouse_id": "W2"}]
    import_document(store, document)
    return store


@pytest.fixture
def embedded(stocked: InventoryStore) -> EmbeddedSerialMappingDeliverer:
    return EmbeddedSerialMappingDeliverer(stocked, now=lambda: 1_800_000_000.0)


def mapping_for(*serials: str, item_id: str = "I2") -> SerialMapping:
    return SerialMapping("salesorder", "SO-1", item_id, "W1", "B1", tuple(serials))


def entry_for(mapping: SerialMapping) -> OutboxEntry:
    return OutboxEntry(1, EMBEDDED_TARGET, mapping.document, SERIAL_VALIDATE_AND_MAP, mapping.to_payload(),
                       "in_flight", 0, 0.0, False, None, None, None, 0.0, 0.0)


def mapped(store: InventoryStore) -> list[str]:
    return [r[0] for r in store.connection().execute("SELECT serialnumber FROM embedded_serial_mappings")]


def test_an_unknown_item_is_named_in_a_sentence(stocked: InventoryStore,
                                                embedded: EmbeddedSerialMappingDeliverer) -> None:
    with pytest.raises(NotFound) as missing:
        embedded.deliver(entry_for(mapping_for("SN-10", item_id="I404")))
    assert str(missing.value) == "Embedded inventory: item I404 does not exist (validate and map serial numbers)"
    assert mapped(stocked) == []


def test_every_serial_that_cannot_be_mapped_is_named(stocked: InventoryStore,
                                                     embedded: EmbeddedSerialMappingDeliverer) -> None:
    with pytest.raises(ValidationError) as refused:
        embedded.deliver(entry_for(mapping_for("SN-404", "SN-10", "SN-20")))
    words = "SN-404 is not a serial number of this item; SN-20 is in another warehouse (W2)"
    assert refused.value.vendor_message == words
    assert str(refused.value) == f"Embedded inventory: serial numbers not available: {words}" \
                                 " (validate and map serial numbers)"
    assert mapped(stocked) == []


def test_the_outbox_keeps_the_refusal_for_a_person(stocked: InventoryStore, outbox: Outbox,
                                                   make_relay: Callable[..., OutboxRelay]) -> None:
    relay = make_relay(target=EMBEDDED_TARGET, deliverers={
        SERIAL_VALIDATE_AND_MAP: EmbeddedSerialMappingDeliverer(stocked, now=lambda: 1_800_000_000.0)})
    with stocked.transaction() as conn:
        [entry_id] = enqueue_serial_mappings(outbox, conn, EMBEDDED_TARGET, [mapping_for("SN-11", "SN-20", "SN-405")])
    outbox.announce([entry_id])
    relay.start()
    assert [e.entry_id for e in relay.flush(10)] == [entry_id]
    failed = outbox.get(entry_id)
    words = "SN-20 is in another warehouse (W2); SN-405 is not a serial number of this item"
    assert (failed.state, failed.vendor_message) == ("failed", words)
    assert failed.last_error == f"Embedded inventory: serial numbers not available: {words}" \
                                " (validate and map serial numbers)"
    assert mapped(stocked) == []
