"""The payloads of serial mappings and receipt lines (``outbox/serial_mapping.py``,
``outbox/batch_receipts.py``): what each must hold, the exact words of a refusal, and how
a recorded payload is read back; extends tests/outbox/test_serial_mapping.py and the
receipt-line tests with the rules they left unstated:

- a serial mapping needs an entity type, an entity id and an item (each one alone
  missing is refused), serial numbers (none, or an empty one, is refused) and no serial
  twice; each refusal in its own sentence;
- grouping picks into mappings takes chunks of 1 serial and more; a chunk below 1 is
  refused with "chunk must be at least 1";
- a recorded mapping whose ``serial_numbers`` is not a list is refused with
  "serial_numbers is not a list"; one whose warehouse or bin is ``""`` names no
  warehouse or bin: Zoho's validateandmap gets no ``warehouse_id`` / ``location_id``
  (items.yml: both optional) and the embedded store records none;
- a batch assignment needs an item, a batch number, a warehouse and a key, each alone
  missing refused, and a quantity above 0 (0 is refused); a serial receipt needs an item,
  a serial number, a warehouse and a key;
- a recorded receipt payload that is not one fails its outbox entry with
  "not a batch assignment payload: ..." / "not a serial receipt payload: ..." naming what
  is missing; a recorded mapping missing a field fails its entry with the mapping's own
  sentence, and nothing reaches the inventory system;
- reusing a batch whose dates differ is a Conflict a person reads as
  "<backend>: batch <n> exists with other dates: ... (code batch-dates-differ, assign a
  batch)", every differing date named, separated by "; " (the embedded store's
  single-date conflict and the reuse answer are pinned in
  test_embedded_batch_receipts_mutants.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from scanner_app.backends.errors import Conflict
from scanner_app.backends.zoho import ZohoClient
from scanner_app.inventory.importer import import_document
from scanner_app.inventory.models import Batch
from scanner_app.inventory.store import InventoryStore
from scanner_app.outbox import EMBEDDED_TARGET, Outbox, OutboxRelay, PickedSerial, SerialMapping, group_serial_mappings
from scanner_app.outbox.batch_receipts import (
    BATCH_ASSIGN,
    SERIAL_RECEIVE,
    BatchAssignment,
    SerialReceipt,
    is_dates_conflict,
)
from scanner_app.outbox.embedded_batch_receipts import EmbeddedBatchAssignmentDeliverer, EmbeddedSerialReceiptDeliverer
from scanner_app.outbox.embedded_serials import EmbeddedSerialMappingDeliverer
from scanner_app.outbox.entries import OutboxEntry
from scanner_app.outbox.serial_mapping import SERIAL_VALIDATE_AND_MAP
from scanner_app.outbox.zoho_serials import ZohoSerialMappingDeliverer
from tests.backends.fake_clock import FakeClock
from tests.backends.fake_zoho import FakeZoho
from tests.outbox.helpers import line_by_line
from tests.workflows.receiving_catalogue import receiving_catalogue

MAPPING_NEEDS = "a serial mapping needs an entity type, an entity id and an item"
ASSIGNMENT_NEEDS = "a batch assignment needs an item, a batch number, a warehouse and a key"
RECEIPT_NEEDS = "a serial receipt needs an item, a serial number, a warehouse and a key"


def refusal(make: Callable[[], object]) -> str:
    """The words of the ValueError ``make`` raises."""
    with pytest.raises(ValueError) as raised:
        make()
    return str(raised.value)


def as_entry(kind: str, payload: dict[str, Any], document: str = "salesorder:SO-1") -> OutboxEntry:
    return OutboxEntry(1, EMBEDDED_TARGET, document, kind, payload, "in_flight", 0, 0.0, False, None, None, None,
                       0.0, 0.0)


# -- serial mappings: what one must hold ---------------------------------------------------

@pytest.mark.parametrize("missing", ["entity_type", "entity_id", "item_id"])
def test_a_serial_mapping_without_its_document_or_item_is_refused(missing: str) -> None:
    fields: dict[str, Any] = {"entity_type": "salesorder", "entity_id": "SO-1", "item_id": "I1",
                              "warehouse_id": "W1", "bin_id": None, "serial_numbers": ("A",), missing: ""}
    assert refusal(lambda: SerialMapping(**fields)) == MAPPING_NEEDS


@pytest.mark.parametrize("numbers", [(), ("A", "")], ids=["none", "an-empty-one"])
def test_a_serial_mapping_without_serial_numbers_is_refused(numbers: tuple[str, ...]) -> None:
    assert refusal(lambda: SerialMapping("salesorder", "SO-1", "I1", "W1", None, numbers)) == (
        "a serial mapping needs serial numbers")


def test_a_serial_number_twice_in_one_mapping_is_refused() -> None:
    assert refusal(lambda: SerialMapping("salesorder", "SO-1", "I1", "W1", None, ("A", "B", "A"))) == (
        "a serial number appears twice in one mapping")


def test_picks_go_one_serial_per_call_with_a_chunk_of_one() -> None:
    picked = [PickedSerial("I1", "A", "B1"), PickedSerial("I1", "B", "B1")]
    groups = group_serial_mappings("package", "PK-1", "W1", picked, chunk=1)
    assert [(g.entity_type, g.entity_id, g.item_id, g.warehouse_id, g.bin_id, g.serial_numbers) for g in groups] == [
        ("package", "PK-1", "I1", "W1", "B1", ("A",)), ("package", "PK-1", "I1", "W1", "B1", ("B",))]


@pytest.mark.parametrize("chunk", [0, -3])
def test_a_chunk_below_one_is_refused(chunk: int) -> None:
    assert refusal(lambda: group_serial_mappings("package", "PK-1", "W1", [PickedSerial("I1", "A")],
                                                 chunk=chunk)) == "chunk must be at least 1"


# -- serial mappings: a recorded payload read back ------------------------------------------

def test_a_recorded_mapping_whose_serials_are_not_a_list_is_refused_in_those_words() -> None:
    payload = {"entity_type": "salesorder", "entity_id": "SO-1", "item_id": "I1", "warehouse_id": "W1",
               "bin_id": None, "serial_numbers": "A,B"}
    assert refusal(lambda: SerialMapping.from_payload(payload)) == "serial_numbers is not a list"


def test_an_empty_warehouse_and_bin_in_a_recorded_mapping_send_none_to_zoho(zoho: FakeZoho,
                                                                          client: ZohoClient) -> None:
    item_id = str(zoho.inventory.add_item("Drill", track_serial_number=True)["item_id"])
    zoho.inventory.add_serial(item_id, "SN-1")
    payload = {"entity_type": "salesorder", "entity_id": "SO-1", "item_id": item_id, "warehouse_id": "",
               "bin_id": "", "serial_numbers": ["SN-1"]}
    deliverer = ZohoSerialMappingDeliverer(lambda: client)
    assert dict(deliverer.deliver(as_entry(SERIAL_VALIDATE_AND_MAP, payload))) == {"mapped": ["SN-1"]}
    # items.yml: warehouse_id and location_id are optional; an empty one is not "no bin"
    assert zoho.inventory.serial_mappings == [{"item_id": item_id, "entity_type": "salesorder", "entity_id": "SO-1",
                                               "serial_numbers": ["SN-1"]}]


@pytest.fixture
def stocked(store: InventoryStore) -> InventoryStore:
    """Milk powder (I1, by batch; L-KNOWN = BA1), Drill (I2, by serial; SN-OLD in W1)."""
    import_document(store, receiving_catalogue())
    return store


def test_an_empty_bin_in_a_recorded_mapping_is_stored_as_no_bin(stocked: InventoryStore,
                                                               outbox_clock: FakeClock) -> None:
    payload = {"entity_type": "salesorder", "entity_id": "SO-1", "item_id": "I2", "warehouse_id": "W1",
               "bin_id": "", "serial_numbers": ["SN-OLD"]}
    EmbeddedSerialMappingDeliverer(stocked, now=outbox_clock.time).deliver(as_entry(SERIAL_VALIDATE_AND_MAP, payload))
    rows = stocked.connection().execute(
        "SELECT serialnumber, entity_type, entity_id, warehouse_id, bin_id FROM embedded_serial_mappings").fetchall()
    assert [tuple(r) for r in rows] == [("SN-OLD", "salesorder", "SO-1", "W1", None)]


# -- recorded payloads that are not one: what the failed entry says -------------------------

@pytest.fixture
def send(outbox: Outbox, make_relay: Callable[..., OutboxRelay], stocked: InventoryStore,
         outbox_clock: FakeClock) -> Callable[[str, dict[str, Any]], OutboxEntry]:
    """Record one entry into the embedded store and let the relay (no thread) deliver it;
    returns the entry as the outbox holds it afterwards."""
    relay = make_relay(target=EMBEDDED_TARGET, deliverers={
        BATCH_ASSIGN: EmbeddedBatchAssignmentDeliverer(stocked, now=outbox_clock.time),
        SERIAL_RECEIVE: EmbeddedSerialReceiptDeliverer(stocked, now=outbox_clock.time),
        SERIAL_VALIDATE_AND_MAP: EmbeddedSerialMappingDeliverer(stocked, now=outbox_clock.time)})
    return line_by_line(outbox, relay)


def _applied(store: InventoryStore) -> tuple[int, int, int]:
    one = store.connection().execute
    return (one("SELECT count(*) FROM embedded_receipt_applications").fetchone()[0],
            one("SELECT count(*) FROM embedded_serial_mappings").fetchone()[0],
            one("SELECT count(*) FROM serial_numbers").fetchone()[0])


def test_a_recorded_batch_payload_missing_its_item_fails_saying_so(
        send: Callable[[str, dict[str, Any]], OutboxEntry], stocked: InventoryStore) -> None:
    payload = BatchAssignment("I1", "L-1", 2, "W1").to_payload()
    del payload["item_id"]
    entry = send(BATCH_ASSIGN, payload)
    assert entry.state == "failed" and entry.vendor_message is None
    assert (entry.last_error or "").startswith("not a batch assignment payload: ")
    assert "'item_id'" in (entry.last_error or "")
    assert _applied(stocked) == (0, 0, 1)


def test_a_recorded_serial_receipt_missing_its_serial_fails_saying_so(
        send: Callable[[str, dict[str, Any]], OutboxEntry], stocked: InventoryStore) -> None:
    payload = SerialReceipt("I2", "SN-9", "W1").to_payload()
    del payload["serialnumber"]
    entry = send(SERIAL_RECEIVE, payload)
    assert entry.state == "failed" and entry.vendor_message is None
    assert (entry.last_error or "").startswith("not a serial receipt payload: ")
    assert "'serialnumber'" in (entry.last_error or "")
    assert _applied(stocked) == (0, 0, 1)


@pytest.mark.parametrize(("kind", "payload", "words"), [
    pytest.param(SERIAL_VALIDATE_AND_MAP, {"entity_type": "salesorder", "entity_id": "", "item_id": "I2",
                                           "warehouse_id": "W1", "bin_id": None, "serial_numbers": ["SN-OLD"]},
                 MAPPING_NEEDS, id="mapping-without-document"),
    pytest.param(BATCH_ASSIGN, {**BatchAssignment("I1", "L-1", 2, "W1").to_payload(), "warehouse_id": ""},
                 ASSIGNMENT_NEEDS, id="batch-without-warehouse"),
    pytest.param(BATCH_ASSIGN, {**BatchAssignment("I1", "L-1", 2, "W1").to_payload(), "quantity": 0},
                 "a batch assignment needs a quantity above 0", id="batch-of-nothing"),
    pytest.param(SERIAL_RECEIVE, {**SerialReceipt("I2", "SN-9", "W1").to_payload(), "key": ""},
                 RECEIPT_NEEDS, id="serial-without-key"),
])
def test_a_recorded_payload_that_breaks_a_rule_fails_with_that_rules_words(
        send: Callable[[str, dict[str, Any]], OutboxEntry], stocked: InventoryStore, kind: str,
        payload: dict[str, Any], words: str) -> None:
    entry = send(kind, payload)
    assert (entry.state, entry.last_error, entry.vendor_message) == ("failed", words, None)
    assert _applied(stocked) == (0, 0, 1)
    assert stocked.get_batch("BA1").balance_quantity == 5  # type: ignore[union-attr]


# -- receipt lines: what each must hold ------------------------------------------------------

@pytest.mark.parametrize("missing", ["item_id", "batch_number", "warehouse_id", "key"])
def test_a_batch_assignment_without_item_number_warehouse_or_key_is_refused(missing: str) -> None:
    fields: dict[str, Any] = {"item_id": "I1", "batch_number": "L-1", "quantity": 2, "warehouse_id": "W1",
                              "key": "k-1", missing: ""}
    assert refusal(lambda: BatchAssignment(**fields)) == ASSIGNMENT_NEEDS


@pytest.mark.parametrize("quantity", [0, -1])
def test_a_batch_assignment_of_nothing_is_refused(quantity: float) -> None:
    assert refusal(lambda: BatchAssignment("I1", "L-1", quantity, "W1")) == (
        "a batch assignment needs a quantity above 0")


def test_a_batch_assignment_of_a_fraction_is_accepted() -> None:
    assert BatchAssignment("I1", "L-1", 0.25, "W1").quantity == 0.25


@pytest.mark.parametrize("missing", ["item_id", "serialnumber", "warehouse_id", "key"])
def test_a_serial_receipt_without_item_serial_warehouse_or_key_is_refused(missing: str) -> None:
    fields: dict[str, Any] = {"item_id": "I2", "serialnumber": "SN-1", "warehouse_id": "W1", "key": "k-1",
                              missing: ""}
    assert refusal(lambda: SerialReceipt(**fields)) == RECEIPT_NEEDS


# -- reusing a batch ---------------------------------------------------------------------------

def test_a_batch_whose_dates_differ_is_a_conflict_a_person_reads_whole() -> None:
    mine = BatchAssignment("I1", "L-7", 3, "W1", manufactured_date="2025-02-01", expiry_date="2026-02-01")
    theirs = Batch("B-7", "I1", "L-7", manufactured_date="2025-01-01", expiry_date="2026-01-01")
    with pytest.raises(Conflict) as raised:
        mine.reuse(theirs, "Zoho Inventory")
    words = ("batch L-7 exists with other dates: manufactured 2025-01-01 there, 2025-02-01 on this receipt; "
             "expiry 2026-01-01 there, 2026-02-01 on this receipt")
    conflict = raised.value
    assert (conflict.backend, conflict.operation, conflict.vendor_message) == (
        "Zoho Inventory", "assign a batch", words)
    assert str(conflict) == f"Zoho Inventory: {words} (code batch-dates-differ, assign a batch)"
    assert is_dates_conflict(str(conflict))

