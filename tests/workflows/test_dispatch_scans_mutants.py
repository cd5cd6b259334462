"""What a packer reads at the dispatch bench for each kind of scan, and what it changes
(issue #14, mutation testing of ``scanner_app/workflows/dispatch_scans.py``).

Pinned here, each through the workflow's scan entry point (``DispatchWorkflow.handle``, a
code through the station's pipeline):

- the exact sentence of every answer that is not about a serial's own state: no dispatch
  yet, a closed dispatch, an item chosen, an inactive or untracked item, a bin chosen, a
  batch (never dispatched: dispatch maps serial numbers), a code the inventory does not
  know (the lookup's own words);
- the words name the code as the scanner sent it, without the AIM symbology identifier
  (``]C0``) some scanners put in front;
- the current item's serial wins whatever else the code also reads as: another item's
  GTIN (a numeric serial), a serial number another item has too, a GS1 label whose GTIN
  the inventory does not know (its serial, AI 21, case-insensitively), a GS1 string of
  another item's batch; a unit is taken under its own spelling;
- a serial scanned first of an item no longer tracked by serial number is refused;
- on a station whose serials are kept by a register (Pack.cloud), a GS1 label's serial is
  handed to the register under its AI 21 value, and a batch is refused locally as
  everywhere else.

A refusal records nothing and leaves the current item and bin as they were; an accepted
serial is recorded for the dispatch and reaches the outbox under its item on completion.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from scanner_app.inventory.importer import import_document
from scanner_app.inventory.register_checks import SerialRegisterChecks
from scanner_app.inventory.serial_register import RegisteredSerial
from scanner_app.inventory.store import InventoryStore
from scanner_app.outbox import Outbox
from scanner_app.workflows.dispatch import DispatchWorkflow
from scanner_app.workflows.dispatch_answers import DispatchAnswer
from scanner_app.workflows.dispatch_register import RegisterSerialRule
from tests.workflows.conftest import dispatch_catalogue, serial
from tests.workflows.helpers import places, saved_serials, scanner_for

Scan = Callable[[str], DispatchAnswer]

SCANNER_EAN = "4006381333931"  # the Scanner's EAN-13, and also a Drill unit's serial number
GLUE_GTIN = "04000001990023"  # the Glue's GTIN-14 (batch-tracked)
UNKNOWN_GTIN = "09506000134352"  # a valid GTIN no item of this inventory has
# A Drill unit's serial number that reads as a GS1 element string: GTIN of the Glue, AI 10 12345
GS1_LOOKING_SERIAL = f"01{GLUE_GTIN}1012345"
BATCH_SENTENCE = "{} is a batch: dispatch maps serial numbers; scan the item or a unit's serial number"


@pytest.fixture
def catalogue() -> dict[str, Any]:
    """The dispatch catalogue, and: an inactive tracked item, a batch-tracked item with a
    batch, an item tracked now (its tracking may be turned off later), the Scanner's EAN,
    a serial number two items share, and Drill serials that read as other codes."""
    base = dispatch_catalogue()
    for item in base["items"]:
        if item["item_id"] == "I5":
            item["ean"] = SCANNER_EAN
    base["items"] += [
        {"item_id": "I6", "name": "Sander", "sku": "SND-1", "track_serial_number": True},
        {"item_id": "I7", "name": "Old Drill", "sku": "ODR-1", "track_serial_number": True, "status": "inactive"},
        {"item_id": "I8", "name": "Glue", "sku": "GLU-1", "ean": GLUE_GTIN[1:], "track_batch_number": True},
    ]
    base["batches"] = [{"batch_id": "bt-7", "item_id": "I8", "batch_number": "LOT-7", "status": "active",
                        "location_id": "W1"},
                       {"batch_id": "bt-12345", "item_id": "I8", "batch_number": "12345", "status": "active",
                        "location_id": "W1"}]
    base["serial_numbers"] += [
        serial("SD-1", "I6"),
        serial("X-77", "I2"), serial("X-77", "I5", bin_id="B2"),  # one number, two items
        serial(SCANNER_EAN, "I2"),
        serial(GS1_LOOKING_SERIAL, "I2", bin_id="B2"),
    ]
    return base


def refused_changing_nothing(answer: DispatchAnswer, verdict: str, words: str, workflow: DispatchWorkflow,
                             store: InventoryStore, current_item: str | None) -> None:
    """``answer`` is the refusal ``verdict`` with exactly ``words``; nothing was recorded and
    the current item (its name, or None) is what it was."""
    assert (answer.verdict, answer.message, answer.accepted) == (verdict, words, False)
    assert answer.serial is None and workflow.serials() == [] and saved_serials(store, workflow) == []
    assert (workflow.current_item.name if workflow.current_item else None) == current_item
    assert workflow.current_bin is None


def outbox_serials(outbox: Outbox) -> list[tuple[str, str | None, list[str]]]:
    """(item_id, bin_id, serial numbers) of every outbox entry."""
    return [(e.payload["item_id"], e.payload["bin_id"], e.payload["serial_numbers"]) for e in outbox.entries()]


# -- the sentences of the answers about the dispatch, items and bins ------------------------

def test_a_scan_before_any_dispatch_says_how_to_start_one(workflow: DispatchWorkflow, scan: Scan,
                                                          outbox: Outbox) -> None:
    answer = scan("DRL-18")
    assert (answer.verdict, answer.message, answer.accepted) == (
        "no_dispatch", "Start a dispatch first: enter the document and the warehouse", False)
    assert workflow.dispatch is None and workflow.current_item is None and outbox.entries() == []


@pytest.mark.parametrize("end", ["completed", "cancelled"])
def test_a_scan_after_the_dispatch_ended_says_it_ended_and_records_nothing(
        workflow: DispatchWorkflow, scan: Scan, outbox: Outbox, end: str) -> None:
    workflow.start("salesorder", "SO-1", "W1")
    assert scan("DRL-18").accepted and scan("SN-0001").accepted
    if end == "completed":
        workflow.complete()
    else:
        workflow.cancel()
    before = outbox_serials(outbox)
    answer = scan("SN-0002")
    assert (answer.verdict, answer.message, answer.accepted) == (
        "dispatch_closed", f"This dispatch is {end}: start a new one", False)
    assert [s.serialnumber for s in workflow.serials()] == ["SN-0001"] and outbox_serials(outbox) == before


def test_an_item_code_chooses_the_item_and_says_to_scan_its_units(workflow: DispatchWorkflow, scan: Scan) -> None:
    workflow.start("salesorder", "SO-1", "W1")
    answer = scan("DRL-18")
    assert (answer.verdict, answer.message, answer.accepted) == (
        "item_selected", "Drill: scan each unit's serial number", True)
    assert workflow.current_item is not None and workflow.current_item.item_id == "I2"


@pytest.mark.parametrize(("code", "verdict", "words"), [
    ("ODR-1", "item_inactive", "Old Drill is inactive"),
    ("TIS-100", "not_serial_tracked", "Tissues is not tracked by serial number: dispatch maps serial numbers only"),
])
def test_an_item_that_cannot_be_dispatched_is_refused_in_its_own_words(
        workflow: DispatchWorkflow, scan: Scan, store: InventoryStore, code: str, verdict: str, words: str) -> None:
    workflow.start("salesorder", "SO-1", "W1")
    assert scan("DRL-18").accepted
    refused_changing_nothing(scan(code), verdict, words, workflow, store, current_item="Drill")


def test_a_bin_code_chooses_the_bin_and_says_what_it_is_for(workflow: DispatchWorkflow, scan: Scan) -> None:
    workflow.start("salesorder", "SO-1", "W1")
    answer = scan("A-01-02")
    assert (answer.verdict, answer.message, answer.accepted) == (
        "bin_selected", "Bin A-01-02: the serials that follow are picked from it", True)
    assert workflow.current_bin is not None and workflow.current_bin.bin_id == "B2"


@pytest.mark.parametrize("item_first", [False, True])
def test_a_batch_is_never_dispatched(workflow: DispatchWorkflow, scan: Scan, store: InventoryStore,
                                     item_first: bool) -> None:
    """Dispatch maps serial numbers: a batch number is refused, with or without an item chosen."""
    workflow.start("salesorder", "SO-1", "W1")
    if item_first:
        assert scan("DRL-18").accepted
    refused_changing_nothing(scan("LOT-7"), "not_dispatchable", BATCH_SENTENCE.format("LOT-7"), workflow, store,
                             current_item="Drill" if item_first else None)


def test_a_code_the_inventory_does_not_know_is_refused_in_the_lookups_words(
        workflow: DispatchWorkflow, scan: Scan, store: InventoryStore) -> None:
    """No item chosen yet: the packer reads what the lookup found (nothing), as on the Lookup page."""
    workflow.start("salesorder", "SO-1", "W1")
    refused_changing_nothing(scan("NOPE-1"), "unknown_code", "No item, serial, batch or bin with code 'NOPE-1'",
                             workflow, store, current_item=None)


def test_the_words_name_the_code_without_the_scanners_symbology_identifier(
        workflow: DispatchWorkflow, scan: Scan, store: InventoryStore) -> None:
    """A scanner set to send AIM identifiers sends ``]C0`` (Code 128) before the data: the
    packer reads the code printed on the label."""
    workflow.start("salesorder", "SO-1", "W1")
    assert scan("DRL-18").accepted
    refused_changing_nothing(scan("]C0NOPE-1"), "not_of_item", "NOPE-1 is not a serial number of Drill",
                             workflow, store, current_item="Drill")


# -- the current item's serial wins over other readings of its code --------------------------

def test_a_numeric_serial_that_is_another_items_gtin_is_the_current_items_unit(
        workflow: DispatchWorkflow, scan: Scan, store: InventoryStore, outbox: Outbox) -> None:
    """The Drill unit's serial 4006381333931 is also the Scanner's EAN: with the Drill
    chosen it is that unit; with no item chosen, the Scanner's code."""
    workflow.start("salesorder", "SO-1", "W1")
    assert scan("DRL-18").accepted
    answer = scan(SCANNER_EAN)
    assert (answer.verdict, answer.message) == ("serial_added", f"{SCANNER_EAN} of Drill: bin A-01-01")
    assert workflow.current_item is not None and workflow.current_item.name == "Drill"
    assert saved_serials(store, workflow) == [("I2", SCANNER_EAN, "B1")]
    workflow.complete()
    assert outbox_serials(outbox) == [("I2", "B1", [SCANNER_EAN])]

    workflow.start("salesorder", "SO-2", "W1")
    assert scan(SCANNER_EAN).verdict == "item_selected"
    assert workflow.current_item is not None and workflow.current_item.name == "Scanner"


@pytest.mark.parametrize("label", ["X-77", "(21)X-77"])
def test_a_serial_number_two_items_have_is_the_current_items_unit(
        workflow: DispatchWorkflow, scan: Scan, store: InventoryStore, outbox: Outbox, label: str) -> None:
    """The Drill and the Scanner each have a unit X-77. With the Scanner chosen, X-77 (as
    text, or a GS1 label with only its serial, AI 21) is the Scanner's unit, from its bin."""
    workflow.start("salesorder", "SO-1", "W1")
    assert scan("SCN-1").accepted
    answer = scan(label)
    assert (answer.verdict, answer.message) == ("serial_added", "X-77 of Scanner: bin A-01-02")
    assert saved_serials(store, workflow) == [("I5", "X-77", "B2")]
    workflow.complete()
    assert outbox_serials(outbox) == [("I5", "B2", ["X-77"])]


@pytest.mark.parametrize("number", ["SN-0002", "sn-0002"])
def test_a_gs1_label_with_a_gtin_the_inventory_does_not_know_gives_the_current_items_serial(
        workflow: DispatchWorkflow, scan: Scan, store: InventoryStore, number: str) -> None:
    """A manufacturer's GS1 label whose GTIN is not in the inventory: its serial (AI 21) is
    read as the current item's, matched case-insensitively like every code, and recorded
    under the inventory's spelling."""
    workflow.start("salesorder", "SO-1", "W1")
    assert scan("DRL-18").accepted
    answer = scan(f"(01){UNKNOWN_GTIN}(21){number}")
    assert (answer.verdict, answer.message) == ("serial_added", "SN-0002 of Drill: bin A-01-01")
    assert saved_serials(store, workflow) == [("I2", "SN-0002", "B1")]


def test_of_two_units_spelled_alike_but_for_case_the_one_spelled_as_on_the_label_is_taken(
        workflow: DispatchWorkflow, scan: Scan, store: InventoryStore) -> None:
    """The Drill has units ab-1 and AB-1 (the inventory keeps both spellings). A GS1 label
    with serial ab-1 and a GTIN the inventory does not know takes ab-1, then AB-1's label
    takes AB-1: neither is taken for the other."""
    import_document(store, {"serial_numbers": [serial("ab-1", "I2"), serial("AB-1", "I2", bin_id="B2")]})
    workflow.start("salesorder", "SO-1", "W1")
    assert scan("DRL-18").accepted
    first = scan(f"(01){UNKNOWN_GTIN}(21)ab-1")
    assert (first.verdict, first.message) == ("serial_added", "ab-1 of Drill: bin A-01-01")
    second = scan(f"(01){UNKNOWN_GTIN}(21)AB-1")
    assert (second.verdict, second.message) == ("serial_added", "AB-1 of Drill: bin A-01-02")
    assert saved_serials(store, workflow) == [("I2", "ab-1", "B1"), ("I2", "AB-1", "B2")]


def test_a_serial_that_reads_as_another_items_batch_label_is_the_current_items_unit(
        workflow: DispatchWorkflow, scan: Scan, store: InventoryStore) -> None:
    """The Drill unit 01040000019900231012345 reads as a GS1 string: the Glue's GTIN and its
    batch 12345 (AI 10). With the Drill chosen it is that unit; with no item chosen it is
    the Glue's batch, refused."""
    workflow.start("salesorder", "SO-1", "W1")
    refused_changing_nothing(scan(GS1_LOOKING_SERIAL), "not_dispatchable", BATCH_SENTENCE.format(GS1_LOOKING_SERIAL),
                             workflow, store, current_item=None)
    assert scan("DRL-18").accepted
    answer = scan(GS1_LOOKING_SERIAL)
    assert (answer.verdict, answer.message) == ("serial_added", f"{GS1_LOOKING_SERIAL} of Drill: bin A-01-02")
    assert saved_serials(store, workflow) == [("I2", GS1_LOOKING_SERIAL, "B2")]


# -- a serial scanned first selects its item, if that item is tracked by serial number -------

def test_a_serial_scanned_first_of_an_item_no_longer_tracked_is_refused(
        workflow: DispatchWorkflow, scan: Scan, store: InventoryStore) -> None:
    """The Sander's serial tracking was turned off in the catalogue after its units were
    imported: the unit SD-1 is still in the inventory, but cannot be dispatched."""
    import_document(store, {"items": [{"item_id": "I6", "name": "Sander", "sku": "SND-1",
                                       "track_serial_number": False}]})
    workflow.start("salesorder", "SO-1", "W1")
    refused_changing_nothing(scan("SD-1"), "not_serial_tracked", "Sander is not tracked by serial number",
                             workflow, store, current_item=None)


# -- a station whose serial numbers a register (Pack.cloud) keeps ------------------------------

class UnaskedRegister:
    """Pack.cloud as the serial register, for the first step of a scan only: that step makes
    no network call, so any call here fails the test."""

    name = "Pack.cloud"

    def find_serial(self, code: str) -> list[RegisteredSerial]:
        raise AssertionError(f"the register was asked about {code!r} while the scan was answered")

    def serials_for_product(self, product_id: str, *, stock_id: str | None = None) -> list[RegisteredSerial]:
        raise AssertionError("not asked at the bench")

    def serials_in_stock(self, stock_id: str) -> list[RegisteredSerial]:
        raise AssertionError("not asked at the bench")


PACKCLOUD_CATALOGUE: dict[str, Any] = {
    **places(),
    "items": [{"item_id": "I-CAM", "name": "Camera X100", "sku": "CAM-X100", "ean": SCANNER_EAN,
               "track_serial_number": True},
              {"item_id": "I8", "name": "Glue", "sku": "GLU-1", "track_batch_number": True}],
    "batches": [{"batch_id": "bt-7", "item_id": "I8", "batch_number": "LOT-7", "status": "active",
                 "location_id": "W1"}],
    "packcloud_products": [{"product_id": "prod-cam", "item_id": "I-CAM"}],
}  # no serial numbers: Pack.cloud keeps them


@pytest.fixture
def packcloud_bench(tmp_path: Path) -> Iterator[tuple[DispatchWorkflow, Scan, InventoryStore]]:
    """A dispatch (SO-1, Main) on a station whose serials Pack.cloud keeps, and its scanner."""
    with InventoryStore(tmp_path / "packcloud.sqlite3") as store:
        import_document(store, PACKCLOUD_CATALOGUE)
        rule = RegisterSerialRule(SerialRegisterChecks(UnaskedRegister(), store, {"stock-main": "W1"}))
        workflow = DispatchWorkflow(Outbox(store), None, register=rule)
        try:
            workflow.start("salesorder", "SO-1", "W1")
            yield workflow, scanner_for(store, workflow), store
        finally:
            workflow.close()


@pytest.mark.parametrize("item_first", [False, True])
def test_a_gs1_labels_serial_is_checked_with_the_register_under_its_ai_21(
        packcloud_bench: tuple[DispatchWorkflow, Scan, InventoryStore], item_first: bool) -> None:
    """The Camera's GS1 label (GTIN and serial CAM-0001): the station has no serials of its
    own, so Pack.cloud is asked about CAM-0001, the serial, not the label's whole text."""
    workflow, scan, store = packcloud_bench
    if item_first:
        assert scan("CAM-X100").verdict == "item_selected"
    answer = scan(f"(01)0{SCANNER_EAN}(21)CAM-0001")
    assert (answer.verdict, answer.message, answer.accepted) == (
        "checking", "CAM-0001: checking with Pack.cloud…", False)
    assert answer.pending is not None
    assert (answer.pending.code, answer.pending.item_id) == ("CAM-0001", "I-CAM" if item_first else None)
    assert workflow.serials() == [] and saved_serials(store, workflow) == []


def test_a_batch_is_refused_at_the_bench_without_asking_the_register(
        packcloud_bench: tuple[DispatchWorkflow, Scan, InventoryStore]) -> None:
    workflow, scan, store = packcloud_bench
    answer = scan("LOT-7")
    assert (answer.verdict, answer.message, answer.pending) == ("not_dispatchable", BATCH_SENTENCE.format("LOT-7"),
                                                                None)
    assert workflow.serials() == [] and saved_serials(store, workflow) == []
