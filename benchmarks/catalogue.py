"""A synthetic catalogue for the benchmarks: N items with valid EAN-13s, SKUs and part
numbers, imported through the station's own importer into a real SQLite file."""

from __future__ import annotations

import json
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scanner_app.codes.gtin import gs1_check_digit
from scanner_app.inventory.importer import import_file
from scanner_app.inventory.store import InventoryStore


def ean13(n: int) -> str:
    body = f"40{n:010d}"
    return body + str(gs1_check_digit(body))


def synthetic_items(count: int) -> list[dict[str, object]]:
    return [
        {
            "item_id": f"9{n:09d}",
            "name": f"Benchmark item {n}",
            "sku": f"SKU-{n:06d}",
            "ean": ean13(n),
            "part_number": f"PN{n:07d}",
            "unit": "pcs",
            "status": "active",
            "locations": [{"location_id": "BW1", "location_name": "Bench warehouse",
                           "location_stock_on_hand": str(n % 50)}],
        }
        for n in range(count)
    ]


def build_store(folder: Path, count: int) -> tuple[InventoryStore, float]:
    """A store with ``count`` items; returns it and the import time in seconds."""
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / f"catalogue-{count}.json"
    source.write_text(json.dumps({"items": synthetic_items(count)}))
    store = InventoryStore(folder / "inventory.sqlite3")
    t0 = time.perf_counter()
    import_file(store, source)
    return store, time.perf_counter() - t0


def sample_codes(count: int, k: int, seed: int = 7) -> list[str]:
    """``k`` codes of the catalogue, mixed kinds: EAN-13, UPC-less GTIN-14 form, SKU, part number."""
    rng = random.Random(seed)
    codes = []
    for _ in range(k):
        n = rng.randrange(count)
        codes.append(rng.choice([ean13(n), "0" + ean13(n), f"SKU-{n:06d}", f"PN{n:07d}"]))
    return codes


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[index]
