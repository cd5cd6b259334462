"""A 1,000-serial dispatch: time from each scan to its answer (classify, lookup, the
dispatch checks; the row write is queued for the database-writer thread as in the
window), and the number of backend calls on completion (one per item, bin and chunk of
100, not one per serial). Run: ``.venv/bin/python benchmarks/dispatch_1000.py``."""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from scanner_app.inventory.importer import import_document
from scanner_app.inventory.store import InventoryStore
from scanner_app.outbox import EMBEDDED_TARGET, SERIAL_VALIDATE_AND_MAP, Outbox, OutboxEntry, OutboxRelay
from scanner_app.outbox.embedded_serials import EmbeddedSerialMappingDeliverer
from scanner_app.scanning.pipeline import ScanPipeline
from scanner_app.scanning.scan import Scan, ScanSource
from scanner_app.workflows.dispatch import DispatchWorkflow

ITEMS, BINS, PER_GROUP = 2, 2, 250  # 2 x 2 x 250 = 1,000 serials


class CountingDeliverer(EmbeddedSerialMappingDeliverer):
    calls = 0

    def deliver(self, entry: OutboxEntry) -> Mapping[str, Any]:
        CountingDeliverer.calls += 1
        return super().deliver(entry)


def catalogue() -> dict[str, Any]:
    serials = [{"serialnumber_id": f"s{i}-{b}-{n}", "serialnumber": f"SN{i}{b}{n:05d}", "item_id": f"I{i}",
                "warehouse_id": "W1", "storage_location_id": f"B{b}"}
               for i in range(ITEMS) for b in range(BINS) for n in range(PER_GROUP)]
    return {"warehouses": [{"warehouse_id": "W1", "warehouse_name": "Main"}],
            "bins": [{"bin_id": f"B{b}", "warehouse_id": "W1", "code": f"BIN-{b}", "name": f"Bin {b}"}
                     for b in range(BINS)],
            "items": [{"item_id": f"I{i}", "name": f"Item {i}", "sku": f"SKU-{i}", "track_serial_number": True}
                      for i in range(ITEMS)],
            "serial_numbers": serials}


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = InventoryStore(Path(folder) / "inventory.sqlite3")
        import_document(store, catalogue())
        queued: list[Callable[[], object]] = []
        outbox = Outbox(store)
        workflow = DispatchWorkflow(outbox, EMBEDDED_TARGET, write=queued.append)
        pipeline = ScanPipeline(store)
        workflow.start("salesorder", "SO-BENCH", "W1")
        answers: list[float] = []
        writes: list[float] = []
        for i in range(ITEMS):
            workflow.handle(pipeline.process(Scan(f"SKU-{i}", ScanSource.WEDGE)))
            for b in range(BINS):
                for n in range(PER_GROUP):
                    t0 = time.perf_counter()
                    answer = workflow.handle(pipeline.process(Scan(f"SN{i}{b}{n:05d}", ScanSource.WEDGE)))
                    answers.append((time.perf_counter() - t0) * 1000)
                    assert answer.accepted, answer.message
                    t1 = time.perf_counter()
                    while queued:  # the database-writer thread's share, after the answer
                        queued.pop(0)()
                    writes.append((time.perf_counter() - t1) * 1000)
        workflow.complete()
        t2 = time.perf_counter()
        queued.pop(0)()
        record_ms = (time.perf_counter() - t2) * 1000
        relay = OutboxRelay(outbox, EMBEDDED_TARGET, {SERIAL_VALIDATE_AND_MAP: CountingDeliverer(store)})
        relay.start()
        t3 = time.perf_counter()
        left = relay.flush(60)
        deliver_s = time.perf_counter() - t3
        relay.stop()
        mapped = sum(1 for s in workflow.serials() if s.state == "mapped")
        workflow.close()
        store.close()

    def p99(values: list[float]) -> float:
        return sorted(values)[int(len(values) * 0.99) - 1]

    print(f"serials scanned:          {len(answers)}")
    print(f"scan -> answer:           median {statistics.median(answers):.3f} ms, p99 {p99(answers):.3f} ms, "
          f"max {max(answers):.3f} ms (target 16 ms)")
    print(f"row write (writer thread): median {statistics.median(writes):.3f} ms, p99 {p99(writes):.3f} ms")
    print(f"completion transaction:   {record_ms:.1f} ms (all entries and the dispatch's state)")
    print(f"backend calls:            {CountingDeliverer.calls} for {ITEMS} items x {BINS} bins "
          f"(chunks of 100), not {len(answers)}")
    print(f"delivered and mapped:     {mapped} serials in {deliver_s:.2f} s; left in the outbox: {len(left)}")


if __name__ == "__main__":
    main()
