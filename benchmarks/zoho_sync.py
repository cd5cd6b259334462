"""Full catalogue sync of 10,000 items from the fake Zoho on loopback (in a child process):
requests made (pages, not items; plus the token and the catalogue-size-independent lists:
kits, warehouses, bins), CPU time per item on the syncing thread, and wall time,
first with no rate budget in the way, then against the default budget (90 requests per
minute, bursts of 5), whose own minimum for that many requests is printed beside it.

    .venv/bin/python benchmarks/zoho_sync.py [--items 10000] [--rpm 90] [--no-paced] [--quick]
        [--target zoho_sync.cpu_per_item_ms=0.2] [--target zoho_sync.paced_ratio=1.1]

Targets: CPU under 0.2 ms per item; the paced run within 10% of the budget's minimum (the
budget, not the station, is the limit). Checks: every item in the store, one request per
page of 200 items and one token request. ``--quick``: 1,000 items (7 requests), the targets not judged.
"""

from __future__ import annotations

import argparse
import math
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from fake_zoho_process import FakeZohoProcess
from verdict import Target, Verdict, add_arguments, sizes

from scanner_app.backends.connect import zoho_client_from
from scanner_app.backends.http import HttpPolicy
from scanner_app.inventory.store import InventoryStore
from scanner_app.sync import CatalogueSync

PER_PAGE = 200
TARGETS = [Target("cpu_per_item_ms", "<", 0.2, "CPU on the syncing thread per item, unpaced, ms"),
           Target("paced_ratio", "<=", 1.10, "paced wall time / the budget's own minimum")]


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
    parser.add_argument("--items", type=int, help="default 10,000 (quick: 1,000)")
    parser.add_argument("--rpm", type=float, default=90.0, help="the paced run's budget (config default: 90)")
    parser.add_argument("--no-paced", action="store_true", help="skip the run against the budget")
    add_arguments(parser)
    args = parser.parse_args()
    sizes(args, items=(10_000, 1_000))
    verdict = Verdict.from_args("zoho_sync", TARGETS, args)
    pages = math.ceil(args.items / PER_PAGE)
    item_requests, token_requests = "GET /inventory/v1/items", "POST /oauth/v2/token"
    with FakeZohoProcess(items=args.items) as zoho, tempfile.TemporaryDirectory() as tmp:
        unpaced = HttpPolicy(requests_per_minute=60_000, burst=100)
        wall, cpu, count, requests = one_sync(zoho, Path(tmp) / "a", unpaced)
        total = sum(requests.values())
        per_item_ms = cpu / args.items * 1000
        print(f"full sync of {args.items} items: {count} in the store; {total} requests "
              f"({', '.join(f'{k}: {v}' for k, v in sorted(requests.items()))}); expected {pages} item pages")
        print(f"unpaced: wall {wall:.2f} s ({args.items / wall:,.0f} items/s); CPU on the syncing thread "
              f"{cpu:.2f} s = {per_item_ms:.3f} ms per item")
        verdict.check("unpaced: every item in the store", count == args.items, f"{count} of {args.items}")
        verdict.check(f"unpaced: one request a page of {PER_PAGE} items", requests.get(item_requests) == pages,
                      f"{requests.get(item_requests)} item requests, expected {pages}")
        verdict.check("unpaced: one token request", requests.get(token_requests) == 1,
                      f"{requests.get(token_requests)} token requests")
        verdict.judge("cpu_per_item_ms", per_item_ms)
        if not args.no_paced:
            burst = HttpPolicy().burst
            paced = HttpPolicy(requests_per_minute=args.rpm, burst=burst)
            wall, cpu, count, requests = one_sync(zoho, Path(tmp) / "b", paced)
            # the token call is paced by the accounts server's own budget, not the station's
            api_requests = sum(requests.values()) - requests.get(token_requests, 0)
            minimum = max(0.0, (api_requests - burst) / (args.rpm / 60))
            ratio = wall / minimum if minimum else float("nan")
            print(f"paced at {args.rpm:g} requests/min (bursts of {burst}): wall {wall:.1f} s; the budget alone "
                  f"needs {minimum:.1f} s for {api_requests} API requests; ratio {ratio:.2f}")
            verdict.check("paced: every item in the store", count == args.items, f"{count} of {args.items}")
            verdict.judge("paced_ratio", ratio)
        else:
            verdict.skip("paced_ratio", "--no-paced")
    verdict.finish()


if __name__ == "__main__":
    main()
