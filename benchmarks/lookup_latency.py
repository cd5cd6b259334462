"""Lookup alone at 100,000 items: classify + indexed SQLite lookup, median and p99.

Target: p99 under 1 ms. Baseline in the same process: a bare primary-key SELECT on the
same connection, so the figure can be read as a ratio on a noisy machine. Check: every
code is found. ``--quick``: 1,000 items, 500 lookups, the target not judged.

    .venv/bin/python benchmarks/lookup_latency.py [--items 100000] [--lookups 20000] [--quick]
        [--target lookup_latency.p99_ms=1]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from catalogue import build_store, percentile, sample_codes
from verdict import Target, Verdict, add_arguments, sizes

from scanner_app.codes import classify

TARGETS = [Target("p99_ms", "<", 1.0, "classify+lookup p99, ms")]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, help="default 100,000 (quick: 1,000)")
    parser.add_argument("--lookups", type=int, help="default 20,000 (quick: 500)")
    add_arguments(parser)
    args = parser.parse_args()
    sizes(args, items=(100_000, 1_000), lookups=(20_000, 500))
    verdict = Verdict.from_args("lookup_latency", TARGETS, args)
    with tempfile.TemporaryDirectory() as tmp:
        store, import_s = build_store(Path(tmp), args.items)
        codes = sample_codes(args.items, args.lookups)
        for code in codes[:500]:  # warm the page cache and statement cache
            store.lookup(classify(code))
        lookup_ms, baseline_ms, misses = [], [], 0
        conn = store.connection()  # baseline on the same connection
        for code in codes:
            t0 = time.perf_counter()
            result = store.lookup(classify(code))
            t1 = time.perf_counter()
            conn.execute("SELECT name FROM items WHERE item_id = ?", ("9000012345",)).fetchone()
            t2 = time.perf_counter()
            lookup_ms.append((t1 - t0) * 1000)
            baseline_ms.append((t2 - t1) * 1000)
            misses += not result.found
        store.close()
    med, p99 = statistics.median(lookup_ms), percentile(lookup_ms, 99)
    base = statistics.median(baseline_ms)
    print(f"catalogue: {args.items} items, imported in {import_s:.2f} s")
    print(f"lookups: {len(codes)} (misses: {misses})")
    print(f"classify+lookup: median {med:.3f} ms, p99 {p99:.3f} ms, max {max(lookup_ms):.3f} ms")
    print(f"baseline primary-key SELECT: median {base:.4f} ms; lookup/baseline = {med / base:.1f}x")
    verdict.check("every code found", misses == 0, f"{misses} of {len(codes)} missed")
    verdict.judge("p99_ms", p99)
    verdict.finish()


if __name__ == "__main__":
    main()
