"""The kitting bench's scan rules, sentence by sentence (issue #14, mutation testing of
``scanner_app/workflows/assembly_scans.py``).

What this file pins, each as what the person at the assembly bench reads, the verdict,
what is ticked (recorded) and, where it matters, the component the answer is about:

- before a kit is scanned: a bin label chooses the bin; any other code is refused with
  the code as scanned (without the scanner's symbology prefix), or with the inventory's
  own words when the code is unknown; after a completed assembly a serial or batch
  says the assembly is completed;
- GS1 quantities: AI 37 (count of trade items) ticks that many like AI 30, a count of 0
  on either is refused naming it, a serial number label with a count other than 1 is
  refused; a GS1 label whose serial the item does not have ticks nothing;
- the selected component's serials and batches come first: a serial or batch number
  that another item shares (scanned as text, or on a GS1 label with only AI 21 or AI 10)
  is the selected component's; a serial scanned exactly as recorded is that serial even
  when another differs from it only by case; a serial ticked without selecting its
  component selects it;
- a serial or batch of an item that is not in the kit is refused naming the code, the
  item and the kit; one of a component that is not tracked that way is refused;
- a serial taken from another bin than the bench's is ticked with a note naming that
  bin; from the bench's bin, without a bin, or at a bench without a bin, with no note;
- tolerances: what is needed, the stock here and a batch's balance are met when the
  scan exceeds them by no more than the floating-point hair (1e-9);
- the exact words of the selection, "not a component", "inactive" and "every component
  is ticked" answers, and the component each answer is about.

The catalogue is the assembly tests' (``tests/workflows/kit_catalogue.py``) with a few
records more (``kit_store`` is overridden here): an item outside every kit with a serial
and a batch whose numbers a component's share, serials differing only by case, a serial
and a batch of the screw pack from when it was tracked, and a kit whose quantities sit a
hair from a whole unit.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from scanner_app.codes import classify
from scanner_app.inventory.importer import import_document
from scanner_app.inventory.models import LookupResult
from scanner_app.inventory.removal import remove_items
from scanner_app.inventory.store import InventoryStore
from scanner_app.scanning.pipeline import ScanPipeline
from scanner_app.scanning.scan import Scan, ScanOutcome, ScanSource
from scanner_app.workflows.assembly import AssemblyWorkflow
from scanner_app.workflows.assembly_answers import AssemblyAnswer
from scanner_app.workflows.assembly_records import AssemblyRecords
from scanner_app.workflows.assembly_scans import gs1_quantity
from tests.workflows.helpers import catalogue_store
from tests.workflows.kit_catalogue import GLUE_GTIN, SCREW_GTIN, ScanInto, kit_catalogue, stock

HAIR = 1e-9  # the tolerance the bench allows for floating-point noise


def wider_catalogue() -> dict[str, Any]:
    """The assembly tests' catalogue and: Scanner (serial-tracked) and Paint (batch-tracked),
    in no kit, whose S-100 and L100 the Drill and the Glue also have (their records sort
    first, so a lookup by text alone finds them); Drill serials cs-1 / CS-1 (case only),
    SN-LOOSE (no bin); a Glue batch of
    0.999999999 left; and the Fine kit: a washer needed 0.999999999 per kit, a clip with
    0.999999999 in stock, a pin needed 0.9999999992 with 0.9999999985 in stock. (The screw
pack's serial and batch: ``untracked_screws_with_a_serial_and_a_batch``.)"""
    catalogue = kit_catalogue()

    def serial(sid: str, number: str, item_id: str, bin_id: str | None = "B1") -> dict[str, Any]:
        record = {"serialnumber_id": sid, "serialnumber": number, "item_id": item_id, "status": "active",
                  "warehouse_id": "W1"}
        if bin_id:
            record["storage_location_id"] = bin_id
        return record

    def batch(bid: str, number: str, item_id: str, balance: float) -> dict[str, Any]:
        return {"batch_id": bid, "item_id": item_id, "batch_number": number, "expiry_date": "2031-01-31",
                "balance_quantity": balance, "status": "active", "location_id": "W1", "storage_location_id": "B1"}

    catalogue["items"] += [
        {"item_id": "SCN", "name": "Scanner", "sku": "SCN-1", "track_serial_number": True,
         "locations": stock(("W1", "B1", 5))},
        {"item_id": "PNT", "name": "Paint", "sku": "PNT-1", "track_batch_number": True,
         "locations": stock(("W1", "B1", 5))},
        {"item_id": "WSH", "name": "Washer", "sku": "WSH-1", "locations": stock(("W1", "B1", 50))},
        {"item_id": "CLP", "name": "Clip", "sku": "CLP-1", "locations": stock(("W1", "B1", 1 - HAIR))},
        {"item_id": "PIN", "name": "Pin", "sku": "PIN-1", "locations": stock(("W1", "B1", 0.9999999985))},
    ]
    catalogue["composite_items"].append(
        {"composite_item_id": "KFINE", "name": "Fine kit", "sku": "KIT-FINE",
         "mapped_items": [{"item_id": "WSH", "quantity": 1 - HAIR}, {"item_id": "CLP", "quantity": 1},
                          {"item_id": "PIN", "quantity": 0.9999999992}]})
    catalogue["serial_numbers"] += [
        serial("a-scn-S-100", "S-100", "SCN"), serial("sn-S-100", "S-100", "DRL"),
        serial("a-scn-SC-1", "SC-1", "SCN"),
        serial("sn-c1", "cs-1", "DRL"), serial("sn-c2", "CS-1", "DRL"),
        serial("sn-LOOSE", "SN-LOOSE", "DRL", bin_id=None),
    ]
    catalogue["batches"] += [
        batch("a-pnt-L100", "L100", "PNT", 10), batch("bt-L100", "L100", "GLU", 10),
        batch("a-pnt-PN-1", "PN-1", "PNT", 10),
        batch("bt-GL-HAIR", "GL-HAIR", "GLU", 1 - HAIR),
    ]
    return catalogue


def untracked_screws_with_a_serial_and_a_batch(store: InventoryStore) -> None:
    """The Screw pack tracked serials and batches once (SP-1, SB-1 recorded), then stopped:
    imported again with both flags off, the records stay."""
    screws = next(item for item in kit_catalogue()["items"] if item["item_id"] == "SCR")
    import_document(store, {
        "items": [{**screws, "track_serial_number": True, "track_batch_number": True}],
        "serial_numbers": [{"serialnumber_id": "x-scr-SP-1", "serialnumber": "SP-1", "item_id": "SCR",
                            "status": "active", "warehouse_id": "W1", "storage_location_id": "B1"}],
        "batches": [{"batch_id": "x-scr-SB-1", "item_id": "SCR", "batch_number": "SB-1", "expiry_date": "2031-01-31",
                     "balance_quantity": 10, "status": "active", "location_id": "W1", "storage_location_id": "B1"}]})
    import_document(store, {"items": [{**screws, "track_serial_number": False, "track_batch_number": False}]})


@pytest.fixture
def kit_store(tmp_path: Path) -> Iterator[InventoryStore]:
    """The wider catalogue: ``bench``, ``kit_outbox`` and ``kit_scan`` build on it here."""
    for store in catalogue_store(tmp_path, wider_catalogue()):
        untracked_screws_with_a_serial_and_a_batch(store)
        yield store


@pytest.fixture
def repair(bench: AssemblyWorkflow, kit_scan: ScanInto) -> ScanInto:
    """The Repair kit (2 Screw pack, 1 Drill, 2 Glue) started at bin A-01-01 of Main."""
    assert kit_scan("KIT-REP").verdict == "kit_started"
    return kit_scan


def ticked(bench: AssemblyWorkflow) -> dict[str, float]:
    return {line.item_id: line.ticked for line in bench.lines()}


def recorded(store: InventoryStore, bench: AssemblyWorkflow) -> list[tuple[str, float, str | None, str | None]]:
    """The units saved for the bench's assembly (what a restart finds)."""
    assert bench.assembly is not None
    return [(u.item_id, u.quantity, u.serialnumber, u.batch_id)
            for u in AssemblyRecords(store).units(bench.assembly.assembly_id)]


def line_of(answer: AssemblyAnswer) -> tuple[str, float, float] | None:
    """(item, ticked, needed) of the component the answer is about."""
    return None if answer.line is None else (answer.line.item_id, answer.line.ticked, answer.line.needed)


def outcome_of(raw: str, result: LookupResult) -> ScanOutcome:
    """A scan of ``raw`` answered with ``result``: for lookups this inventory never gives."""
    return ScanOutcome(Scan(raw, ScanSource.CLI), classify(raw), result, {})


# -- before a kit, and after one ----------------------------------------------------------

def test_a_bin_label_before_any_kit_chooses_the_bin(bench: AssemblyWorkflow, kit_scan: ScanInto) -> None:
    answer = kit_scan("A-01-02")
    assert (answer.verdict, answer.message) == (
        "bin_selected", "Bin A-01-02: components are taken from it and the kits go to it")
    assert bench.bin is not None and bench.bin.code == "A-01-02"
    started = kit_scan("KIT-REP")
    assert started.message == "Repair kit: 1 kit(s), 3 component(s) in bin A-01-02: scan each component"


@pytest.mark.parametrize(("code", "words"), [
    ("SN-1", "SN-1: scan the kit to build first (any of its codes)"),
    ("]C0GL-OK", "GL-OK: scan the kit to build first (any of its codes)"),  # Code 128's AIM prefix is not said
    ("NOPE-9", "No item, serial, batch or bin with code 'NOPE-9'"),  # the inventory's words for an unknown code
])
def test_a_code_before_any_kit_is_refused_naming_it(bench: AssemblyWorkflow, kit_scan: ScanInto, code: str,
                                                     words: str) -> None:
    answer = kit_scan(code)
    assert (answer.verdict, answer.message, answer.accepted) == ("no_kit", words, False)
    assert bench.assembly is None


def test_an_unknown_code_without_the_inventorys_words_is_named_as_scanned(bench: AssemblyWorkflow) -> None:
    """A lookup that says "not found" without a reason (the embedded inventory always
    gives one, so the outcome is made here): the bench names the code itself."""
    answer = bench.handle(outcome_of("ZZ-1", LookupResult("not_found")))
    assert (answer.verdict, answer.message) == ("no_kit", "ZZ-1: scan the kit to build first (any of its codes)")


def test_an_invalid_scan_without_the_readers_words_says_not_a_valid_code(repair: ScanInto,
                                                                         bench: AssemblyWorkflow) -> None:
    """An invalid result without a reason (the pipeline always gives one, so the outcome is
    made here) is still refused in words."""
    answer = bench.handle(outcome_of("#", LookupResult("invalid")))
    assert (answer.verdict, answer.message) == ("invalid", "Not a valid code")
    assert ticked(bench) == {"SCR": 0, "DRL": 0, "GLU": 0}


def test_after_a_completed_assembly_a_serial_or_batch_says_it_is_completed(
        repair: ScanInto, bench: AssemblyWorkflow) -> None:
    for code in ("SCR-10", "SCR-10", "SN-1", f"(01){GLUE_GTIN}(10)GL-OK(30)2"):
        assert repair(code).verdict == "ticked", code
    bench.complete()
    for code in ("SN-2", "GL-MORE"):
        answer = repair(code)
        assert (answer.verdict, answer.message) == (
            "assembly_closed", "This assembly is completed: scan the next kit to build")
    unknown = repair("NOPE-9")
    assert (unknown.verdict, unknown.message) == ("no_kit", "No item, serial, batch or bin with code 'NOPE-9'")


def test_after_a_cancelled_assembly_a_serial_asks_for_the_kit(repair: ScanInto, bench: AssemblyWorkflow) -> None:
    bench.cancel()
    answer = repair("SN-2")
    assert (answer.verdict, answer.message) == ("no_kit", "SN-2: scan the kit to build first (any of its codes)")


# -- GS1 quantities ------------------------------------------------------------------------

def test_a_count_of_trade_items_ticks_that_many(repair: ScanInto, bench: AssemblyWorkflow,
                                                kit_store: InventoryStore) -> None:
    answer = repair(f"(02){SCREW_GTIN}(37)2")
    assert (answer.verdict, answer.message) == ("ticked", "Screw pack: 2 of 2 · still to scan: Drill 1 more, "
                                                          "Glue 2 more")
    assert recorded(kit_store, bench) == [("SCR", 2, None, None)]


@pytest.mark.parametrize("label", [f"(02){SCREW_GTIN}(37)0", f"(01){SCREW_GTIN}(30)0"])
def test_a_count_of_zero_is_refused_naming_it(repair: ScanInto, bench: AssemblyWorkflow, label: str) -> None:
    answer = repair(label)
    assert (answer.verdict, answer.message) == ("bad_quantity", "The label's quantity (0) is not a count of units")
    assert ticked(bench) == {"SCR": 0, "DRL": 0, "GLU": 0}


def test_a_label_quantity_that_is_not_digits_is_not_a_count() -> None:
    """``gs1_quantity`` directly: the reader refuses a GS1 count that is not digits, so no
    scan brings one to the bench; the rule is the function's own (0 means "refuse")."""
    assert gs1_quantity({"30": "2.5"}) == 0
    assert gs1_quantity({"37": "x"}) == 0
    assert gs1_quantity({"37": "4"}) == 4
    assert gs1_quantity({"01": SCREW_GTIN}) is None


@pytest.mark.parametrize("selected", [False, True])
def test_a_serial_number_label_counts_one_unit(repair: ScanInto, bench: AssemblyWorkflow,
                                               kit_store: InventoryStore, selected: bool) -> None:
    if selected:
        assert repair("DRL-18").verdict == "component_selected"
    refused = repair("(21)SN-1(30)2")
    assert (refused.verdict, refused.message) == ("bad_quantity", "A serial number is one unit; the label says 2")
    assert recorded(kit_store, bench) == []
    one = repair("(21)SN-1(30)1")
    assert (one.verdict, one.message) == ("ticked", "Drill (SN-1): 1 of 1 · still to scan: Screw pack 2 more, "
                                                    "Glue 2 more")
    assert recorded(kit_store, bench) == [("DRL", 1, "SN-1", None)]


def test_a_serial_the_item_does_not_have_ticks_nothing(repair: ScanInto, bench: AssemblyWorkflow,
                                                       kit_store: InventoryStore) -> None:
    answer = repair(f"(01){SCREW_GTIN}(21)NOPE")
    assert (answer.verdict, answer.message) == ("unknown_code", "Screw pack has no serial number 'NOPE'")
    assert ticked(bench) == {"SCR": 0, "DRL": 0, "GLU": 0} and recorded(kit_store, bench) == []


# -- the selected component's serials and batches come first ------------------------------------

@pytest.mark.parametrize("code", ["L100", "(10)L100"])
def test_a_batch_number_another_item_shares_is_the_selected_components(
        repair: ScanInto, bench: AssemblyWorkflow, kit_store: InventoryStore, code: str) -> None:
    selected = repair("GLU-50")
    assert (selected.verdict, selected.message) == (
        "component_selected", "Glue is tracked by batch: scan its batch (or a GS1 label with its batch)")
    assert line_of(selected) == ("GLU", 0, 2)
    answer = repair(code)
    assert (answer.verdict, answer.message) == ("ticked", "Glue (batch L100): 1 of 2 · still to scan: "
                                                          "Screw pack 2 more, Drill 1 more, Glue 1 more")
    assert recorded(kit_store, bench) == [("GLU", 1, None, "bt-L100")]


@pytest.mark.parametrize("code", ["S-100", "s-100", "(21)S-100"])
def test_a_serial_number_another_item_shares_is_the_selected_components(
        repair: ScanInto, bench: AssemblyWorkflow, kit_store: InventoryStore, code: str) -> None:
    selected = repair("DRL-18")
    assert (selected.verdict, selected.message) == (
        "component_selected", "Drill is tracked by serial number: scan each unit's serial number")
    assert line_of(selected) == ("DRL", 0, 1)
    answer = repair(code)
    assert (answer.verdict, answer.message) == ("ticked", "Drill (S-100): 1 of 1 · still to scan: "
                                                          "Screw pack 2 more, Glue 2 more")
    assert recorded(kit_store, bench) == [("DRL", 1, "S-100", None)]


def test_with_nothing_selected_a_shared_number_is_whichever_the_inventory_finds(repair: ScanInto,
                                                                               bench: AssemblyWorkflow) -> None:
    answer = repair("S-100")  # the Scanner's S-100 comes first in the inventory
    assert (answer.verdict, answer.accepted) == ("not_in_kit", False)
    assert ticked(bench) == {"SCR": 0, "DRL": 0, "GLU": 0}


def test_a_serial_ticked_without_selecting_its_component_selects_it(bench: AssemblyWorkflow,
                                                                     kit_scan: ScanInto,
                                                                     kit_store: InventoryStore) -> None:
    bench.choose("W1", "B1", 2)
    kit_scan("KIT-REP")
    assert kit_scan("SN-1").verdict == "ticked"
    answer = kit_scan("S-100")  # now the Drill's, not the Scanner's
    assert (answer.verdict, answer.message) == ("ticked", "Drill (S-100): 2 of 2 · still to scan: "
                                                          "Screw pack 4 more, Glue 4 more")
    assert recorded(kit_store, bench) == [("DRL", 1, "SN-1", None), ("DRL", 1, "S-100", None)]


def test_a_serial_scanned_as_recorded_is_that_one_even_when_another_differs_only_by_case(
        repair: ScanInto, bench: AssemblyWorkflow, kit_store: InventoryStore) -> None:
    repair("DRL-18")
    answer = repair("CS-1")
    assert answer.verdict == "ticked" and answer.message.startswith("Drill (CS-1): 1 of 1")
    assert recorded(kit_store, bench) == [("DRL", 1, "CS-1", None)]


# -- serials and batches of other items, or of untracked components ----------------------------------

def test_a_serial_of_an_item_not_in_the_kit_is_refused_naming_it(repair: ScanInto, bench: AssemblyWorkflow) -> None:
    answer = repair("SC-1")
    assert (answer.verdict, answer.accepted) == ("not_in_kit", False)
    assert answer.message == "SC-1 is a serial number of Scanner, which is not a component of Repair kit"
    assert ticked(bench) == {"SCR": 0, "DRL": 0, "GLU": 0}


def test_a_batch_of_an_item_not_in_the_kit_is_refused_naming_it(repair: ScanInto, bench: AssemblyWorkflow) -> None:
    answer = repair("PN-1")
    assert (answer.verdict, answer.accepted) == ("not_in_kit", False)
    assert answer.message == "Batch PN-1 is a batch of Paint, which is not a component of Repair kit"
    assert ticked(bench) == {"SCR": 0, "DRL": 0, "GLU": 0}


def test_a_serial_whose_item_was_removed_meanwhile_is_named_by_the_item_id(
        repair: ScanInto, bench: AssemblyWorkflow, kit_store: InventoryStore) -> None:
    """The window looks a scan up, then hands it to the bench; a catalogue sync on the
    database-writer thread may remove the item in between (done here between the two)."""
    outcome = ScanPipeline(kit_store).process(Scan("SC-1", ScanSource.CLI))
    assert outcome.result.kind == "serial"
    with kit_store.transaction() as conn:
        remove_items(conn, ["SCN"])
    answer = bench.handle(outcome)
    assert answer.verdict == "not_in_kit"
    assert answer.message.startswith("SC-1 is a serial number of item SCN")


def test_an_item_not_in_the_kit_is_refused_in_its_words(repair: ScanInto) -> None:
    answer = repair("BOX-1")
    assert (answer.verdict, answer.message) == ("not_in_kit", "Box is not a component of Repair kit")


@pytest.mark.parametrize(("code", "words"), [
    ("SP-1", "Screw pack is not tracked by serial number: scan the item"),
    ("SB-1", "Screw pack is not tracked by batch: scan the item"),
])
def test_a_serial_or_batch_of_an_untracked_component_is_refused(repair: ScanInto, bench: AssemblyWorkflow,
                                                                code: str, words: str) -> None:
    answer = repair(code)
    assert (answer.verdict, answer.message) == ("not_tracked", words)
    assert ticked(bench) == {"SCR": 0, "DRL": 0, "GLU": 0}


def test_an_inactive_component_is_refused_in_words(bench: AssemblyWorkflow, kit_scan: ScanInto) -> None:
    kit_scan("KIT-MAN")
    answer = kit_scan("OLD-1")
    assert (answer.verdict, answer.message) == ("component_inactive", "Old tool is inactive")


# -- the bin a serial is taken from --------------------------------------------------------------

def test_a_serial_from_another_bin_is_ticked_with_a_note_naming_that_bin(repair: ScanInto) -> None:
    answer = repair("SN-3")  # recorded in A-01-02; the bench takes from A-01-01
    assert (answer.verdict, answer.note) == ("ticked", "the inventory has SN-3 in bin A-01-02")
    assert answer.message.startswith("Drill (SN-3): 1 of 1")


@pytest.mark.parametrize("code", ["SN-1", "SN-LOOSE"])  # in the bench's bin; in no bin
def test_a_serial_from_the_benchs_bin_or_from_no_bin_has_no_note(repair: ScanInto, code: str) -> None:
    answer = repair(code)
    assert (answer.verdict, answer.note) == ("ticked", None)
    assert line_of(answer) == ("DRL", 1, 1)


def test_at_a_bench_without_a_bin_no_serial_has_a_note(bench: AssemblyWorkflow, kit_scan: ScanInto) -> None:
    bench.choose("W1", None, 1)  # the whole warehouse
    kit_scan("KIT-REP")
    answer = kit_scan("SN-3")
    assert (answer.verdict, answer.note) == ("ticked", None)
    assert answer.message.startswith("Drill (SN-3): 1 of 1")


# -- ticking: the last one, too many, out of stock, and the component each answer is about -------------

def test_the_last_tick_says_every_component_is_ticked(repair: ScanInto) -> None:
    for code in ("SCR-10", "SCR-10", "SN-1"):
        repair(code)
    answer = repair(f"(01){GLUE_GTIN}(10)GL-OK(30)2")
    assert (answer.verdict, answer.message) == (
        "ticked", "Glue (batch GL-OK): 2 of 2 · every component is ticked: complete the assembly")
    assert line_of(answer) == ("GLU", 2, 2)


def test_refusals_of_a_tick_name_the_component(repair: ScanInto, bench: AssemblyWorkflow) -> None:
    more = repair(f"(01){SCREW_GTIN}(30)5")
    assert (more.verdict, line_of(more)) == ("too_many", ("SCR", 0, 2))
    repair("SCR-10")
    repair("SCR-10")
    done = repair("SCR-10")
    assert (done.verdict, line_of(done)) == ("too_many", ("SCR", 2, 2))


def test_an_out_of_stock_refusal_names_the_component(bench: AssemblyWorkflow, kit_scan: ScanInto) -> None:
    kit_scan("KIT-MAN")
    answer = kit_scan("MAN-1")
    assert (answer.verdict, answer.message) == (
        "out_of_stock", "Manual is out of stock in bin A-01-01 (1 needed); 0 ticked already")
    assert line_of(answer) == ("MAN", 0, 1)


# -- the floating-point hair -------------------------------------------------------------------

def test_a_unit_a_hair_over_what_is_needed_or_in_stock_is_ticked(bench: AssemblyWorkflow, kit_scan: ScanInto,
                                                                 kit_store: InventoryStore) -> None:
    """The Fine kit needs 0.999999999 washers and has 0.999999999 clips in stock: one unit
    of each is within the tolerance (1e-9), not too many and not out of stock."""
    kit_scan("KIT-FINE")
    washer = kit_scan("WSH-1")
    assert washer.verdict == "ticked" and washer.message.startswith("Washer: 1 of 1")
    clip = kit_scan("CLP-1")
    assert clip.verdict == "ticked" and clip.message.startswith("Clip: 1 of 1")
    assert recorded(kit_store, bench) == [("WSH", 1, None, None), ("CLP", 1, None, None)]


def test_a_batch_a_hair_short_of_the_unit_still_gives_it(repair: ScanInto, kit_store: InventoryStore,
                                                          bench: AssemblyWorkflow) -> None:
    repair("GLU-50")
    answer = repair("GL-HAIR")  # 0.999999999 left
    assert answer.verdict == "ticked" and answer.message.startswith("Glue (batch GL-HAIR): 1 of 2")
    assert recorded(kit_store, bench) == [("GLU", 1, None, "bt-GL-HAIR")]


def test_stock_short_of_a_scan_though_not_of_the_kit_is_said_in_words(bench: AssemblyWorkflow,
                                                                      kit_scan: ScanInto) -> None:
    """The Fine kit's pin: 0.9999999992 needed, 0.9999999985 in stock. The component is not
    short (within the hair), but one unit is more than the stock plus the hair: refused,
    saying what is in stock (shown rounded, as every amount is)."""
    kit_scan("KIT-FINE")
    answer = kit_scan("PIN-1")
    assert (answer.verdict, answer.message) == (
        "out_of_stock", "Pin: only 1 in stock in bin A-01-01; 0 ticked already")
    assert line_of(answer) == ("PIN", 0, 0.9999999992)
    assert ticked(bench)["PIN"] == 0
