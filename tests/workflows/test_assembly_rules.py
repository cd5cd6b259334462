"""The assemble workflow's scan rules: a kit lists its components with what is needed and
in stock here; each component scan ticks units (or a GS1 quantity); every refusal has
its own verdict and words and changes nothing; kits of kits and components out of stock
are explained; the assembly survives a restart."""

from __future__ import annotations

import pytest

from scanner_app.inventory.store import InventoryStore
from scanner_app.jobs.ownership import JobInUse
from scanner_app.outbox import EMBEDDED_TARGET, Outbox
from scanner_app.workflows.assembly import AssemblyWorkflow
from scanner_app.workflows.assembly_answers import AssemblyNotReady
from scanner_app.workflows.assembly_records import AssemblyRecords
from scanner_app.workflows.dispatch_records import DispatchRecords
from tests.workflows.helpers import assert_refused, scanner_for
from tests.workflows.kit_catalogue import GLUE_GTIN, SCREW_GTIN, TODAY, ScanInto


def table(bench: AssemblyWorkflow) -> list[tuple[str, float, float, float, float]]:
    return [(line.name, line.per_kit, line.needed, line.in_stock, line.ticked) for line in bench.lines()]


def saved_units(store: InventoryStore, bench: AssemblyWorkflow) -> list[tuple[str, float, str | None]]:
    assert bench.assembly is not None
    return [(u.item_id, u.quantity, u.serialnumber or u.batch_id)
            for u in AssemblyRecords(store).units(bench.assembly.assembly_id)]


@pytest.fixture
def repair(bench: AssemblyWorkflow, kit_scan: ScanInto) -> ScanInto:
    answer = kit_scan("KIT-REP")
    assert answer.verdict == "kit_started", answer.message
    return kit_scan


def test_a_kit_lists_its_components_for_n_kits_with_the_stock_here(bench: AssemblyWorkflow,
                                                                   kit_scan: ScanInto) -> None:
    bench.choose("W1", "B1", 3)
    answer = kit_scan("RK-1")  # any code of the kit: here its part number
    assert answer.verdict == "kit_started" and answer.note is None
    assert answer.message == "Repair kit: 3 kit(s), 3 component(s) in bin A-01-01: scan each component"
    assert table(bench) == [("Screw pack", 2, 6, 50, 0), ("Drill", 1, 3, 3, 0), ("Glue", 2, 6, 20, 0)]
    bench.choose("W1", None, 3)  # the whole warehouse: every bin and the stock without one
    assert [line.in_stock for line in bench.lines()] == [65, 3, 20]
    assert bench.place == "in Main"


def test_scans_before_a_kit_are_refused(kit_outbox: Outbox, kit_store: InventoryStore, kit_scan: ScanInto) -> None:
    assert (kit_scan("SCR-10").verdict, kit_scan("SCR-10").message) == (
        "not_a_kit", "Screw pack is not a kit (composite item): scan the kit to build")
    assert kit_scan("SN-1").verdict == "no_kit"
    assert kit_scan("KIT-OLD").verdict == "kit_inactive"
    unplaced = AssemblyWorkflow(kit_outbox, EMBEDDED_TARGET)
    try:
        assert scanner_for(kit_store, unplaced)("KIT-REP").verdict == "no_place"
    finally:
        unplaced.close()


def test_each_scan_ticks_one_unit_or_the_gs1_quantity(repair: ScanInto, bench: AssemblyWorkflow,
                                                      kit_store: InventoryStore) -> None:
    first = repair("SCR-10")
    assert first.verdict == "ticked" and first.message.startswith("Screw pack: 1 of 2 · still to scan: Screw pack 1")
    too_many = repair(f"(01){SCREW_GTIN}(30)5")
    assert (too_many.verdict, too_many.message) == ("too_many", "Screw pack: 1 more needed, this scan is 5")
    assert repair(f"(01){SCREW_GTIN}(30)1").verdict == "ticked"
    again = repair("SCR-10")
    assert (again.verdict, again.message) == ("too_many", "All 2 of Screw pack are ticked already")
    assert saved_units(kit_store, bench) == [("SCR", 1, None), ("SCR", 1, None)]


def test_a_serial_tracked_component_needs_each_serial(repair: ScanInto, bench: AssemblyWorkflow) -> None:
    selected = repair("DRL-18")
    assert (selected.verdict, selected.accepted) == ("component_selected", True)
    assert "Drill is tracked by serial number" in selected.message
    assert table(bench)[1][4] == 0  # the item code alone ticks nothing
    assert repair("SN-1").message.startswith("Drill (SN-1): 1 of 1")
    duplicate = repair("sn-1")  # codes are matched case-insensitively
    assert (duplicate.verdict, duplicate.message) == ("duplicate", "SN-1 is already scanned in this assembly")
    assert (repair("SN-2").verdict, repair("SN-2").message) == ("too_many", "All 1 of Drill are ticked already")


def test_a_batch_tracked_component_needs_its_batch(repair: ScanInto, bench: AssemblyWorkflow,
                                                   kit_store: InventoryStore) -> None:
    assert "Glue is tracked by batch" in repair("GLU-50").message
    assert repair("GL-OK").message.startswith("Glue (batch GL-OK): 1 of 2")
    assert repair(f"(01){GLUE_GTIN}(10)GL-MORE(30)1").verdict == "ticked"  # a GS1 label: batch and count
    assert saved_units(kit_store, bench) == [("GLU", 1, "bt-GL-OK"), ("GLU", 1, "bt-GL-MORE")]


def test_a_batch_cannot_give_more_than_is_left_in_it(bench: AssemblyWorkflow, kit_scan: ScanInto) -> None:
    bench.choose("W1", "B1", 3)
    kit_scan("KIT-REP")
    short = kit_scan(f"(01){GLUE_GTIN}(10)GL-OK(30)6")
    assert (short.verdict, short.message) == (
        "batch_short", "Batch GL-OK of Glue has 5 left and 0 ticked already: 6 more is too many")
    assert kit_scan(f"(01){GLUE_GTIN}(10)GL-OK(30)5").verdict == "ticked"
    assert kit_scan("GL-OK").verdict == "batch_short"


@pytest.mark.parametrize(("code", "verdict", "words"), [
    ("BOX-1", "not_in_kit", "Box is not a component of Repair kit"),
    ("KIT-REP", "kit_itself", "Repair kit is the kit being built: scan its components"),
    ("SN-OUT", "transacted_out", "SN-OUT of Drill has already gone out (transacted out)"),
    ("SN-OFF", "serial_inactive", "SN-OFF of Drill is inactive"),
    ("SN-N", "other_warehouse", "SN-N of Drill is in North, not in this warehouse"),
    ("GL-OLD", "batch_expired", "Batch GL-OLD of Glue expired on 2024-11-30"),
    ("GL-OFF", "batch_inactive", "Batch GL-OFF of Glue is inactive"),
    ("GL-N", "batch_other_warehouse", "Batch GL-N of Glue is in another warehouse (W2)"),
    (f"(01){SCREW_GTIN}(30)0", "bad_quantity", "The label's quantity (0) is not a count of units"),
    ("NOPE-9", "unknown_code", "No item, serial, batch or bin with code 'NOPE-9'"),
    ("N-09", "bin_other_warehouse", "Bin N-09 is in North, not in this assembly's warehouse"),
    ("", "invalid", "Nothing was scanned"),
])
def test_each_refusal_has_its_own_words_and_changes_nothing(repair: ScanInto, bench: AssemblyWorkflow,
                                                            kit_store: InventoryStore, code: str, verdict: str,
                                                            words: str) -> None:
    assert_refused(repair(code), verdict, words)
    assert [line.ticked for line in bench.lines()] == [0, 0, 0] and saved_units(kit_store, bench) == []
    assert bench.kit is not None and bench.kit.name == "Repair kit" and bench.is_open


def test_a_serial_taken_by_a_dispatch_or_another_assembly_is_refused(
        repair: ScanInto, bench: AssemblyWorkflow, kit_outbox: Outbox, kit_store: InventoryStore) -> None:
    records = DispatchRecords(kit_store)
    records.create("salesorder", "SO-1", "W1")
    from scanner_app.workflows.dispatch_records import ScannedSerialRow

    records.add_serial(records.latest_open().dispatch_id, ScannedSerialRow("DRL", "SN-2", "B1", False, 1, None))  # type: ignore[union-attr]
    answer = repair("SN-2")
    assert (answer.verdict, answer.message) == ("claimed", "SN-2 of Drill is already being dispatched with "
                                                           "salesorder SO-1")
    assert repair("SN-1").verdict == "ticked"
    other = AssemblyWorkflow(kit_outbox, EMBEDDED_TARGET, today=lambda: TODAY)
    try:
        other.choose("W1", "B1", 1)  # a second bench on the same station
        scan_other = scanner_for(kit_store, other)
        assert scan_other("KIT-REP").verdict == "kit_started"
        taken = scan_other("SN-1")
        assert bench.assembly is not None
        assert (taken.verdict, taken.message) == ("claimed", f"SN-1 of Drill is already a component of the "
                                                             f"assembly of Repair kit ({bench.assembly.reference}), "
                                                             "not built yet")
    finally:
        other.close()


def test_a_kit_of_kits_and_components_out_of_stock_are_explained(bench: AssemblyWorkflow,
                                                                 kit_scan: ScanInto) -> None:
    bench.choose("W1", "B1", 3)
    started = kit_scan("KIT-WS")
    assert started.verdict == "kit_started"
    assert started.note == ("Repair kit is itself a kit and none is in stock in bin A-01-01: build it first (scan it "
                            "as the kit); Box: 3 needed, only 2 in stock in bin A-01-01; No kit can be built in bin "
                            "A-01-01 yet")
    nested = kit_scan("KIT-REP")  # a component here, not the kit to build
    assert (nested.verdict, nested.message) == ("out_of_stock", "Repair kit is itself a kit and none is in stock in "
                                                "bin A-01-01: build it first (scan it as the kit); 0 ticked already")
    assert [kit_scan("BOX-1").verdict for _ in range(3)] == ["ticked", "ticked", "out_of_stock"]
    assert kit_scan("BOX-1").message == "Box: 3 needed, only 2 in stock in bin A-01-01; 2 ticked already"


def test_an_inactive_or_missing_component_is_said_at_the_start(bench: AssemblyWorkflow, kit_scan: ScanInto) -> None:
    started = kit_scan("KIT-MAN")
    assert started.note == ("Manual is out of stock in bin A-01-01 (1 needed); Old tool is inactive; "
                            "No kit can be built in bin A-01-01 yet")
    assert kit_scan("OLD-1").verdict == "component_inactive"
    assert kit_scan("MAN-1").verdict == "out_of_stock"


def test_another_kit_replaces_the_assembly_only_while_nothing_is_ticked(repair: ScanInto,
                                                                        bench: AssemblyWorkflow) -> None:
    assert repair("KIT-MAN").verdict == "kit_started" and bench.kit is not None and bench.kit.name == "Manual kit"
    assert repair("KIT-REP").verdict == "kit_started"
    repair("SCR-10")
    refused = repair("KIT-MAN")
    assert (refused.verdict, refused.message) == ("kit_in_progress", "Repair kit is being assembled: complete or "
                                                  "cancel it before starting Manual kit")


def test_a_bin_label_chooses_the_bin_until_a_component_is_ticked(repair: ScanInto, bench: AssemblyWorkflow) -> None:
    moved = repair("A-01-02")
    assert moved.verdict == "bin_selected" and bench.place == "in bin A-01-02"
    assert [line.in_stock for line in bench.lines()] == [5, 0, 0]
    repair("SCR-10")
    assert repair("A-01-01").verdict == "bin_after_ticks"


def test_the_number_of_kits_cannot_drop_below_what_is_ticked(bench: AssemblyWorkflow, kit_scan: ScanInto) -> None:
    bench.choose("W1", "B1", 2)
    kit_scan("KIT-REP")
    for _ in range(3):
        kit_scan("SCR-10")
    with pytest.raises(AssemblyNotReady, match=r"more is ticked than 1 kit\(s\) need \(Screw pack\)"):
        bench.set_quantity(1)
    bench.set_quantity(4)
    assert table(bench)[0] == ("Screw pack", 2, 8, 50, 3)
    with pytest.raises(AssemblyNotReady, match="before choosing another place"):
        bench.choose("W1", "B2", 4)


def test_completing_needs_every_component_then_records_three_steps(repair: ScanInto, bench: AssemblyWorkflow,
                                                                   kit_outbox: Outbox) -> None:
    repair("SCR-10")
    with pytest.raises(AssemblyNotReady, match="components still to scan: Screw pack 1 more, Drill 1 more, Glue 2 more"):
        bench.complete()
    for code in ("SCR-10", "SN-1", f"(01){GLUE_GTIN}(10)GL-OK(30)2"):
        assert repair(code).verdict == "ticked"
    assert bench.all_ticked
    bench.complete()
    assert bench.assembly is not None and bench.assembly.state == "completed"
    entries = kit_outbox.entries()
    assert [e.kind for e in entries] == ["bundle.create", "bundle.confirm", "bundle.build"]
    assert {e.document for e in entries} == {f"assembly:{bench.assembly.reference}"}
    payload = entries[0].payload
    assert (payload["composite_item_id"], payload["quantity_to_bundle"], payload["warehouse_id"],
            payload["bin_id"], payload["date"]) == ("KREP", 1, "W1", "B1", "2026-01-15")  # TODAY
    assert [(line["item_id"], line["quantity_consumed"], line["serial_numbers"],
             [(b["batch_number"], b["quantity"]) for b in line["batches"]]) for line in payload["line_items"]] == [
        ("SCR", 2, [], []), ("DRL", 1, ["SN-1"], []), ("GLU", 2, [], [("GL-OK", 2)])]
    assert bench.progress == ("recording", None)
    assert repair("SCR-10").verdict == "not_a_kit"  # the next scan starts the next kit


def test_an_open_assembly_survives_a_restart(repair: ScanInto, bench: AssemblyWorkflow, kit_outbox: Outbox) -> None:
    repair("SCR-10")
    repair("SN-1")
    assert bench.assembly is not None
    reference = bench.assembly.reference
    restarted = AssemblyWorkflow(kit_outbox, EMBEDDED_TARGET, today=lambda: TODAY)
    try:
        with pytest.raises(JobInUse, match="assembly-1 is being worked on by another scanner-app process; "
                                           "wait for it to finish or stop it"):
            restarted.resume()  # the first bench still holds it: not loaded
        assert restarted.assembly is None
        bench.let_go()  # what the operating system does when the first process dies
        row = restarted.resume()
        assert row is not None and row.reference == reference
        assert [(line.name, line.ticked) for line in restarted.lines()] == [("Screw pack", 1), ("Drill", 1),
                                                                             ("Glue", 0)]
        assert restarted.place == "in bin A-01-01"
    finally:
        restarted.close()
