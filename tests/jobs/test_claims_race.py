"""Claims are atomic: two processes taking one serial number at the same moment never both
get it, whatever the interleaving. Two real processes (``spawn``), each with its own
connection to one inventory file, meet at a barrier before every round and then take the
round's serial: exactly one is accepted; the other is refused at scan time with the usual
words. Dispatch against dispatch, and dispatch against an assembly (the two workflows that
take serials out of stock), and two assemblies against one batch's last units."""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from scanner_app.inventory.importer import import_document
from scanner_app.inventory.store import InventoryStore
from tests.workflows.helpers import places
from tests.workflows.kit_catalogue import stock

ROUNDS = 30
HANG_GUARD_S = 120.0


def race_catalogue() -> dict[str, Any]:
    serials = [{"serialnumber_id": f"id-R-{i}", "serialnumber": f"R-{i:03d}", "item_id": "DRL", "status": "active",
                "warehouse_id": "W1", "storage_location_id": "B1"} for i in range(ROUNDS)]
    batches = [{"batch_id": f"bt-{i}", "item_id": "GLU", "batch_number": f"G-{i:03d}", "expiry_date": "2031-01-31",
                "balance_quantity": 1, "status": "active", "location_id": "W1", "storage_location_id": "B1"}
               for i in range(ROUNDS)]
    return {**places(), "items": [
        {"item_id": "DRL", "name": "Drill", "sku": "DRL-18", "track_serial_number": True,
         "locations": stock(("W1", "B1", 1000))},
        {"item_id": "GLU", "name": "Glue", "sku": "GLU-50", "track_batch_number": True,
         "locations": stock(("W1", "B1", 1000))}],
        "composite_items": [
            {"composite_item_id": "KSER", "name": "Drill kit", "sku": "KIT-DRL",
             "mapped_items": [{"item_id": "DRL", "quantity": 1}]},
            {"composite_item_id": "KGLU", "name": "Glue kit", "sku": "KIT-GLU",
             "mapped_items": [{"item_id": "GLU", "quantity": 1}]}],
        "serial_numbers": serials, "batches": batches}


def _dispatcher(database: str, document: str) -> tuple[Any, Callable[[str], Any]]:
    from scanner_app.outbox import EMBEDDED_TARGET, Outbox
    from scanner_app.workflows.dispatch import DispatchWorkflow
    from tests.workflows.helpers import scanner_for

    store = InventoryStore(Path(database))
    workflow = DispatchWorkflow(Outbox(store), EMBEDDED_TARGET)
    workflow.start("salesorder", document, "W1")
    scan = scanner_for(store, workflow)
    assert scan("DRL-18").verdict == "item_selected"
    return workflow, lambda i: scan(f"R-{i:03d}")


def _assembler(database: str, kit: str, component: str) -> tuple[Any, Callable[[str], Any]]:
    from scanner_app.days import fixed
    from scanner_app.outbox import EMBEDDED_TARGET, Outbox
    from scanner_app.workflows.assembly import AssemblyWorkflow
    from tests.workflows.helpers import scanner_for

    store = InventoryStore(Path(database))
    workflow = AssemblyWorkflow(Outbox(store), EMBEDDED_TARGET, today=fixed("2026-01-15"))
    workflow.choose("W1", "B1", 1)
    scan = scanner_for(store, workflow)

    def take(i: int) -> Any:
        if workflow.is_open:
            workflow.cancel()  # the last round's assembly: its unit was another round's
        assert scan(kit).verdict == "kit_started"
        if component == "serial":
            assert scan("DRL-18").verdict == "component_selected"
            return scan(f"R-{i:03d}")
        assert scan("GLU-50").verdict == "component_selected"
        return scan(f"G-{i:03d}")

    return workflow, take


def racer(database: str, role: str, barrier: Any, results: Any) -> None:
    """One process: ``ROUNDS`` times, wait for the other at the barrier, then take round i's unit."""
    if role.startswith("dispatch"):
        workflow, take = _dispatcher(database, f"SO-{role}")
    elif role.startswith("assembly-batch"):
        workflow, take = _assembler(database, "KIT-GLU", "batch")
    else:
        workflow, take = _assembler(database, "KIT-DRL", "serial")
    try:
        for i in range(ROUNDS):
            barrier.wait(timeout=HANG_GUARD_S)
            answer = take(i)
            results.put((role, i, answer.verdict, answer.message))
    finally:
        workflow.close()


def race(tmp_path: Path, roles: tuple[str, str]) -> dict[int, list[tuple[str, str, str]]]:
    database = tmp_path / "inventory.sqlite3"
    store = InventoryStore(database)
    import_document(store, race_catalogue())
    store.close()
    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(2), context.Queue()
    workers = [context.Process(target=racer, args=(str(database), role, barrier, results)) for role in roles]
    for worker in workers:
        worker.start()
    rounds: dict[int, list[tuple[str, str, str]]] = {}
    try:
        for _ in range(ROUNDS * 2):
            role, i, verdict, message = results.get(timeout=HANG_GUARD_S)
            rounds.setdefault(i, []).append((role, verdict, message))
    finally:
        for worker in workers:
            worker.join(timeout=HANG_GUARD_S)
    assert [w.exitcode for w in workers] == [0, 0]
    return rounds


ACCEPTED = {"serial_added", "ticked"}


@pytest.mark.parametrize(("roles", "refusal", "words"), [
    (("dispatch-A", "dispatch-B"), "claimed", "is already being dispatched with salesorder SO-dispatch-"),
    (("dispatch-A", "assembly-serial"), "claimed", "is already "),
    (("assembly-batch-1", "assembly-batch-2"), "batch_short", "of it held by other assemblies not built yet"),
])
def test_exactly_one_process_takes_each_unit(tmp_path: Path, roles: tuple[str, str], refusal: str,
                                             words: str) -> None:
    rounds = race(tmp_path, roles)
    assert sorted(rounds) == list(range(ROUNDS))
    for i, answers in rounds.items():
        winners = [a for a in answers if a[1] in ACCEPTED]
        losers = [a for a in answers if a[1] not in ACCEPTED]
        assert len(winners) == 1, (i, answers)
        assert [verdict for _, verdict, _ in losers] == [refusal], (i, answers)
        assert words in losers[0][2], (i, answers)
