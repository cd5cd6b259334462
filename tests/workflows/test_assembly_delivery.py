"""An assembly delivered to the embedded inventory through the outbox relay: the kits'
stock goes up, the components' stock, serials and batches go down, exactly once; a kit
of kits consumes the kit built before it; stock gone missing before delivery fails the
build with the reason and changes nothing, and a retry builds it once."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from scanner_app.inventory.store import InventoryStore
from scanner_app.outbox import EMBEDDED_TARGET, Outbox, OutboxRelay
from scanner_app.outbox.embedded_bundles import embedded_bundle_deliverers
from scanner_app.workflows.assembly import AssemblyWorkflow
from tests.workflows.kit_catalogue import GLUE_GTIN, ScanInto


@pytest.fixture
def relay(kit_outbox: Outbox, kit_store: InventoryStore) -> Iterator[OutboxRelay]:
    made = OutboxRelay(kit_outbox, EMBEDDED_TARGET, embedded_bundle_deliverers(kit_store))
    made.recover()
    yield made
    made.stop()


def stock(store: InventoryStore, item_id: str) -> dict[str | None, float]:
    rows = store.connection().execute("SELECT bin_id, quantity FROM item_stock WHERE item_id = ? AND warehouse_id = 'W1'",
                                      (item_id,))
    return dict(rows)


def transacted_out(store: InventoryStore) -> list[str]:
    return [r[0] for r in store.connection().execute(
        "SELECT serialnumber FROM serial_numbers WHERE item_id = 'DRL' AND is_transacted_out = 1 ORDER BY 1")]


def balances(store: InventoryStore) -> dict[str, float]:
    return dict(store.connection().execute("SELECT batch_number, balance_quantity FROM batches WHERE item_id = 'GLU'"
                                           " AND batch_number IN ('GL-OK', 'GL-MORE')").fetchall())


def build_two_repair_kits(bench: AssemblyWorkflow, scan: ScanInto) -> None:
    bench.choose("W1", "B1", 2)
    assert scan("KIT-REP").verdict == "kit_started"
    for code in ("SCR-10", "SCR-10", "SCR-10", "SCR-10", "SN-1", "SN-3", "GL-OK",
                 f"(01){GLUE_GTIN}(10)GL-MORE(30)3"):
        assert scan(code).verdict == "ticked", code
    bench.complete()


def test_building_moves_the_stock_serials_and_batches_once(bench: AssemblyWorkflow, kit_scan: ScanInto,
                                                           kit_store: InventoryStore, relay: OutboxRelay,
                                                           kit_outbox: Outbox) -> None:
    build_two_repair_kits(bench, kit_scan)
    assert relay.deliver_due() == 3
    assert bench.progress == ("recorded", None)
    assert stock(kit_store, "KREP") == {"B1": 2}
    assert stock(kit_store, "SCR") == {"B1": 46, None: 10, "B2": 5}  # taken from the assembly's bin only
    assert stock(kit_store, "DRL") == {"B1": 1}  # SN-3 is recorded in B2, but the bench took it from B1
    assert stock(kit_store, "GLU") == {"B1": 16}
    assert transacted_out(kit_store) == ["SN-1", "SN-3", "SN-OUT"]
    assert balances(kit_store) == {"GL-OK": 4, "GL-MORE": 12}
    # a step sent again (an answer lost, a crash after applying) changes nothing
    deliverers = embedded_bundle_deliverers(kit_store)
    for entry in kit_outbox.entries():
        assert deliverers[entry.kind].was_applied(entry) is not None
        deliverers[entry.kind].deliver(entry)
    assert stock(kit_store, "KREP") == {"B1": 2} and stock(kit_store, "SCR")["B1"] == 46
    assert balances(kit_store) == {"GL-OK": 4, "GL-MORE": 12}


def test_a_kit_of_kits_consumes_the_kit_built_before_it(bench: AssemblyWorkflow, kit_scan: ScanInto,
                                                        kit_store: InventoryStore, relay: OutboxRelay) -> None:
    bench.choose("W1", "B1", 1)
    kit_scan("KIT-WS")
    assert kit_scan("KIT-REP").verdict == "out_of_stock"  # not built yet
    bench.cancel()
    build_two_repair_kits(bench, kit_scan)
    relay.deliver_due()
    bench.choose("W1", "B1", 1)
    started = kit_scan("KIT-WS")
    assert started.note is None and [line.in_stock for line in bench.lines()] == [2, 2]
    assert [kit_scan(code).verdict for code in ("KIT-REP", "BOX-1")] == ["ticked", "ticked"]
    bench.complete()
    assert relay.deliver_due() == 3
    assert (stock(kit_store, "KWS"), stock(kit_store, "KREP"), stock(kit_store, "BOX")) == (
        {"B1": 1}, {"B1": 1}, {"B1": 1})


def test_stock_gone_before_delivery_fails_the_build_and_a_retry_builds_once(
        bench: AssemblyWorkflow, kit_scan: ScanInto, kit_store: InventoryStore, relay: OutboxRelay,
        kit_outbox: Outbox) -> None:
    build_two_repair_kits(bench, kit_scan)
    with kit_store.transaction() as conn:  # someone took screws out of the bin meanwhile
        conn.execute("UPDATE item_stock SET quantity = 1 WHERE item_id = 'SCR' AND bin_id = 'B1'")
    relay.deliver_due()
    create, confirm, build = kit_outbox.entries()
    assert (create.state, confirm.state, build.state) == ("delivered", "delivered", "failed")
    assert build.vendor_message == "Screw pack: 4 needed, 1 in stock"
    assert bench.progress == ("failed", "Screw pack: 4 needed, 1 in stock")
    # all or nothing: the serials, batches and other stock were left as they were
    assert transacted_out(kit_store) == ["SN-OUT"] and balances(kit_store) == {"GL-OK": 5, "GL-MORE": 15}
    assert stock(kit_store, "DRL") == {"B1": 3} and stock(kit_store, "KREP") == {}
    with kit_store.transaction() as conn:
        conn.execute("UPDATE item_stock SET quantity = 10 WHERE item_id = 'SCR' AND bin_id = 'B1'")
    kit_outbox.retry(build.entry_id)
    relay.deliver_due()
    assert bench.progress == ("recorded", None)
    assert stock(kit_store, "SCR")["B1"] == 6 and stock(kit_store, "KREP") == {"B1": 2}
