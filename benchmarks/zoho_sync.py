"""Full catalogue sync of 10,000 items from the fake Zoho on loopback (in a child process):
requests made (pages, not items), CPU time per item on the syncing thread, and wall time,
first with no rate budget in the way, then against the default budget (90 requests per
minute, bursts of 5), whose own minimum for that many requests is printed beside it.

    .venv/bin/python benchmarks/zoho_sync.py [--items 10000] [--rpm 90] [--no-paced]

Targets: requests = pages + 1 token + 1 kit page; CPU under 0.2 ms per item; the paced
run within 10% of the budget's minimum (the budget, not the station, is the limit).
"""

from __future__ import annotations

import argparse
import math
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from fake_zoho_process import FakeZohoProcess  # noqa: E402

from scanner_app.backends.connect import zoho_client_from  # noqa: E402
from scanner_app.backends.http import HttpPolicy  # noqa: E402
from scanner_app.inventory.store import InventoryStore  # noqa: E402
from scanner_app.sync import CatalogueSync  # noqa: E402

PER_PAGE = 200


def one_sync(zoho: FakeZohoProcess, folder: Path, policy: HttpPolicy) -> tuple[float, float, int, dict[str, int]]:
    """(wall s, CPU s of this thread, items in the store, requests by endpoint) of one full sync."""
    before = zoho.counts()
    with InventoryStore(folder / "inventory.sqlite3") as store, \
            zoho_client_from(zoho.settings(), zoho.secrets(), policy=policy) as client:
        wall0, cpu0 = time.perf_counter(), time.thread_time()
        report = CatalogueSync(store, client, per_page=PER_PAGE).run(full=True)
        wall, cpu = time.perf_counter() - wall0, time.thread_time() - cpu0
        assert not report.cancelled and not report.skipped, report.summary()
        count = store.count_items()
    after = zoho.counts()
    return wall, cpu, count, {k: v - before.get(k, 0) for k, v in after.items() if v - before.get(k, 0)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--rpm", type=float, default=90.0, help="the paced run's budget (config default: 90)")
    parser.add_argument("--no-paced", action="store_true", help="skip the run against the budget")
    args = parser.parse_args()
    pages = math.ceil(args.items / PER_PAGE)
    expected_requests = pages + 1 + 1  # item pages, one token, one (empty) kit page
    ok = True
    with FakeZohoProcess(items=args.items) as zoho, tempfile.TemporaryDirectory() as tmp:
        unpaced = HttpPolicy(requests_per_minute=60_000, burst=100)
        wall, cpu, count, requests = one_sync(zoho, Path(tmp) / "a", unpaced)
        total = sum(requests.values())
        per_item_ms = cpu / args.items * 1000
        print(f"full sync of {args.items} items: {count} in the store; {total} requests "
              f"({', '.join(f'{k}: {v}' for k, v in sorted(requests.items()))}); expected {expected_requests}")
        print(f"unpaced: wall {wall:.2f} s ({args.items / wall:,.0f} items/s); CPU on the syncing thread "
              f"{cpu:.2f} s = {per_item_ms:.3f} ms per item (target < 0.2 ms)")
        ok &= count == args.items and total == expected_requests and per_item_ms < 0.2
        if not args.no_paced:
            burst = HttpPolicy().burst
            paced = HttpPolicy(requests_per_minute=args.rpm, burst=burst)
            api_requests = expected_requests - 1  # the token call is paced by the accounts server's own budget
            minimum = max(0.0, (api_requests - burst) / (args.rpm / 60))
            wall, cpu, count, requests = one_sync(zoho, Path(tmp) / "b", paced)
            print(f"paced at {args.rpm:g} requests/min (bursts of {burst}): wall {wall:.1f} s; the budget alone "
                  f"needs {minimum:.1f} s for {api_requests} API requests; ratio {wall / minimum:.2f} (target <= 1.10)")
            ok &= count == args.items and wall <= minimum * 1.10
    print("PASS" if ok else "FAIL")


if __name__ == "__main__":
    main()
