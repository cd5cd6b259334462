"""A 1,000-serial dispatch: time from each scan to its answer (classify, lookup, the
dispatch checks; the row write is queued for the database-writer thread as in the
window), and the number of backend calls on completion (one per item, bin and chunk of
100, not one per serial).

Target: scan -> answer p99 under 8 ms: the window gives the answer on the UI thread, and
within one 16 ms frame of the scan it must also paint it, so the answer may take half the
frame (the row write, on the database-writer thread, is not part of it). Checks: every
serial accepted, one backend call per item, bin and chunk of 100, every serial mapped,
nothing left in the outbox. ``--quick``: 25 serials per item and bin (100 in all), the
target not judged.

    .venv/bin/python benchmarks/dispatch_1000.py [--per-group 250] [--quick] [--target dispatch_1000.answer_p99_ms=8]
"""

from __future__ import annotations

import argparse
import math
import statistics
import tempfile
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from catalogue import percentile
from verdict import Target, Verdict, add_arguments, sizes

from scanner_app.inventory.importer import import_document
from scanner_app.inventory.store import InventoryStore
from scanner_app.outbox import EMBEDDED_TARGET, SERIAL_VALIDATE_AND_MAP, Outbox, OutboxEntry, OutboxRelay
from scanner_app.outbox.embedded_serials import EmbeddedSerialMappingDeliverer
from scanner_app.scanning.pipeline import ScanPipeline
from scanner_app.scanning.scan import Scan, ScanSource
from scanner_app.workflows.dispatch import DispatchWorkflow

ITEMS, BINS = 2, 2  # 2 x 2 x 250 (--per-group) = 1,000 serials
CHUNK = 100  # serials per backend call
TARGETS = [Target("answer_p99_ms", "<", 8.0, "scan -> answer p99, ms")]


class CountingDeliverer(EmbeddedSerialMappingDeliverer):
    calls = 0

    def deliver(self, entry: OutboxEntry) -> Mapping[str, Any]:
        CountingDeliverer.calls += 1
        return super().deliver(entry)


def catalogue(per_group: int) -> dict[str, Any]:
    serials = [{"serialnumber_id": f"s{i}-{b}-{n}", "serialnumber": f"SN{i}{b}{n:05d}", "item_id": f"I{i}",
                "warehouse_id": "W1", "storage_location_id": f"B{b}"}
               for i in range(ITEMS) for b in range(BINS) for n in range(per_group)]
    return {"warehouses": [{"warehouse_id": "W1", "warehouse_name": "Main"}],
            "bins": [{"bin_id": f"B{b}", "warehouse_id": "W1", "code": f"BIN-{b}", "name": f"Bin {b}"}
                     for b in range(BINS)],
            "items": [{"item_id": f"I{i}", "name": f"Item {i}", "sku": f"SKU-{i}", "track_serial_number": True}
                      for i in range(ITEMS)],
            "serial_numbers": serials}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--per-group", type=int, help="serials per item and bin: default 250 (quick: 25)")
    add_arguments(parser)
    args = parser.parse_args()
    sizes(args, per_group=(250, 25))
    verdict = Verdict.from_args("dispatch_1000", TARGETS, args)
    per_group = args.per_group
    refused: list[str] = []
    with tempfile.TemporaryDirectory() as folder:
        store = InventoryStore(Path(folder) / "inventory.sqlite3")
        import_document(store, catalogue(per_group))
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
                for n in range(per_group):
                    t0 = time.perf_counter()
                    answer = workflow.handle(pipeline.process(Scan(f"SN{i}{b}{n:05d}", ScanSource.WEDGE)))
                    answers.append((time.perf_counter() - t0) * 1000)
                    if not answer.accepted:
                        refused.append(f"SN{i}{b}{n:05d}: {answer.message}")
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

    expected_calls = ITEMS * BINS * math.ceil(per_group / CHUNK)
    p99 = percentile(answers, 99)
    print(f"serials scanned:          {len(answers)}")
    print(f"scan -> answer:           median {statistics.median(answers):.3f} ms, p99 {p99:.3f} ms, "
          f"max {max(answers):.3f} ms")
    print(f"row write (writer thread): median {statistics.median(writes):.3f} ms, p99 {percentile(writes, 99):.3f} ms")
    print(f"completion transaction:   {record_ms:.1f} ms (all entries and the dispatch's state)")
    print(f"backend calls:            {CountingDeliverer.calls} for {ITEMS} items x {BINS} bins "
          f"(chunks of {CHUNK}), not {len(answers)}")
    print(f"delivered and mapped:     {mapped} serials in {deliver_s:.2f} s; left in the outbox: {len(left)}")
    verdict.check("every serial accepted", not refused, "; ".join(refused[:3]))
    verdict.check(f"one backend call per item, bin and chunk of {CHUNK}", CountingDeliverer.calls == expected_calls,
                  f"{CountingDeliverer.calls} calls, expected {expected_calls}")
    verdict.check("every serial mapped, none left in the outbox", mapped == len(answers) and not left,
                  f"{mapped} of {len(answers)} mapped, {len(left)} left")
    verdict.judge("answer_p99_ms", p99)
    verdict.finish()


if __name__ == "__main__":
    main()
