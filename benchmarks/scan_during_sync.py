"""A scan while a catalogue sync runs: the window (Zoho backend, 100,000 items in the
local store) keeps syncing 10,000 changed items from the fake Zoho (a child process, at
low priority: it stands for a server elsewhere) in the background, page after page, while
scans go through the wedge path as in scan_to_screen.py: from the terminator key to the
card painted, median and p99, target p99 under 16 ms. Also the longest event-loop stall
during a sync (stall_monitor.py), target under 16 ms. Baseline in the same process: the
same scans and the same loop with no sync running.

``--rpm`` is the station's request budget, which sets how densely pages arrive: 90 a
minute by default (a page every 0.67 s), 1000 at most (16 a second, the stress case).

The scans start once the first page of a sync has been written. Checks: no sync failed,
every scan found; in a full run also at least half the measured scans made while a sync
ran, and pages written while they ran (how they interleave is timing, so a quick run on a
loaded machine does not judge it). ``--quick``: 2,000 items of which 600 changed, 100 scans, at 1000
requests a minute, the targets not judged.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/scan_during_sync.py [--scans 400] [--rpm 90]
        [--items 100000] [--changed 10000] [--quick]
        [--target scan_during_sync.p99_ms=16] [--target scan_during_sync.stall_ms=16]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from catalogue import build_store, percentile, sample_codes

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from fake_zoho_process import FakeZohoProcess
from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from stall_monitor import EventLoopStallMonitor
from verdict import Target, Verdict, add_arguments, sizes

from scanner_app.config import BackendSettings, FeedbackSettings, Settings, SyncSettings
from scanner_app.paths import resolve_paths
from scanner_app.station import Station
from scanner_app.sync.state import SyncState, save_sync_state, zoho_source

TARGETS = [Target("p99_ms", "<", 16.0, "terminator key -> card painted during a sync, p99, ms"),
           Target("stall_ms", "<", 16.0, "longest event-loop stall during a sync, ms")]
WARM_UP = 20  # scans not measured


def seed_store(paths_dir: Path, organization_id: str, items: int) -> float:
    """The items, as synced a minute ago (so the next sync fetches what changed)."""
    store, import_s = build_store(paths_dir, items)
    now = time.time()
    with store.transaction() as conn:
        save_sync_state(conn, SyncState(zoho_source(organization_id), "full", now - 60, now - 30, now - 60, items))
    store.close()
    return import_s


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scans", type=int, help="default 400 (quick: 100), after 20 warm-up scans")
    parser.add_argument("--rpm", type=float, help="the station's request budget: 90 (config default), "
                        "up to 1000 (the most config allows); quick: 1000")
    parser.add_argument("--items", type=int, help="items in the store: default 100,000 (quick: 2,000)")
    parser.add_argument("--changed", type=int, help="items changed in Zoho: default 10,000 (quick: 600)")
    add_arguments(parser)
    args = parser.parse_args()
    sizes(args, scans=(400, 100), rpm=(90.0, 1000.0), items=(100_000, 2_000), changed=(10_000, 600))
    verdict = Verdict.from_args("scan_during_sync", TARGETS, args)
    items, changed = args.items, args.changed
    with FakeZohoProcess(catalogue=(items, changed)) as zoho, tempfile.TemporaryDirectory() as tmp:
        os.environ["SCANNER_APP_ZOHO_CLIENT_SECRET"] = zoho.info["client_secret"]
        os.environ["SCANNER_APP_ZOHO_REFRESH_TOKEN"] = zoho.info["refresh_token"]
        paths = resolve_paths(Path(tmp) / "home").ensure()
        import_s = seed_store(paths.data_dir, zoho.info["organization_id"], items)
        settings = Settings(feedback=FeedbackSettings(sound=False), backend=BackendSettings(kind="zoho"),
                            zoho=zoho.settings(requests_per_minute=args.rpm), sync=SyncSettings(interval_minutes=0))
        app = QApplication.instance() or QApplication([])
        from scanner_app.ui.main_window import MainWindow

        station = Station(paths, settings)
        window = MainWindow(station)
        window.show()
        window.activateWindow()
        QTest.qWaitForWindowExposed(window)
        sync = window.catalogue_sync
        entry = window.lookup_page.entry
        entry.setFocus()
        card = window.lookup_page.card
        painted_at: list[float] = []
        card.painted.connect(lambda: painted_at.append(time.perf_counter()))
        finished: list[object] = []
        sync.sync_finished.connect(lambda report, error: finished.append(error))
        # Here scans come 30 a second; a person's pace of details fetches (one per new item)
        # would be 30 times over and starve the sync of its request budget: off.
        sync.details.due = lambda item: False  # type: ignore[method-assign]
        pages_written: list[int] = []
        sync._progress.connect(lambda progress: pages_written.append(progress.pages))

        def scan(code: str) -> float:
            QTest.keyClicks(entry, code)
            painted_at.clear()
            t0 = time.perf_counter()
            QTest.keyClick(entry, Qt.Key.Key_Return)
            deadline = t0 + 2
            while not painted_at and time.perf_counter() < deadline:
                app.processEvents()
            return (time.perf_counter() - t0) * 1000 if painted_at else float("nan")

        # The sync's first page comes after its token, the places and the server's first
        # filtering of the changed items (seconds, on a busy machine): scan from then on,
        # while pages are being written.
        sync.sync_now()
        deadline = time.perf_counter() + 120
        while not pages_written and time.perf_counter() < deadline:
            pump = QEventLoop()
            QTimer.singleShot(50, pump.quit)
            pump.exec()
        pages_before_scans = len(pages_written)
        codes = sample_codes(items, args.scans + WARM_UP)
        during: list[float] = []
        found = 0
        for i, code in enumerate(codes):
            if sync.running is None:
                sync.sync_now()
            ms = scan(code)
            found += card.state == "found"
            if i >= WARM_UP and sync.running is not None:
                during.append(ms)
            app.processEvents()
        pages_during_scans = len(pages_written) - pages_before_scans
        monitor = EventLoopStallMonitor()
        if sync.running is None:
            sync.sync_now()
        monitor.start()
        while sync.running is not None:
            loop = QEventLoop()
            QTimer.singleShot(50, loop.quit)
            loop.exec()
        monitor.stop()
        stalls_during = list(monitor.gaps_ms)
        syncs, failed = len(finished), sum(error is not None for error in finished)

        baseline = [scan(code) for code in codes[WARM_UP:]]
        monitor.start()
        loop = QEventLoop()
        QTimer.singleShot(2000, loop.quit)
        loop.exec()
        monitor.stop()
        stalls_idle = list(monitor.gaps_ms)
        window.close()
        station.close()

    med, p99 = (statistics.median(during), percentile(during, 99)) if during else (float("nan"),) * 2
    base_med, base_p99 = statistics.median(baseline), percentile(baseline, 99)
    print(f"store: {items} items (import {import_s:.1f} s); {syncs} incremental syncs of {changed} changed items "
          f"ran at {args.rpm:g} requests/min ({failed} failed); {pages_during_scans} pages written during the scans")
    print(f"scans during a sync: {len(during)}, found {found}/{len(codes)}; terminator key -> card painted: "
          f"median {med:.2f} ms, p99 {p99:.2f} ms, max {max(during, default=float('nan')):.2f} ms")
    print(f"baseline, no sync: median {base_med:.2f} ms, p99 {base_p99:.2f} ms; p99 ratio {p99 / base_p99:.1f}x")
    print(f"longest event-loop stall during a sync {max(stalls_during, default=float('nan')):.1f} ms, "
          f"idle {max(stalls_idle):.1f} ms")
    verdict.check("no sync failed", failed == 0, f"{failed} of {syncs} failed")
    verdict.check("every scan found", found == len(codes), f"found {found} of {len(codes)}")
    if not args.quick:  # how scans and pages interleave is timing: judged where the figures are
        verdict.check("at least half the measured scans made while a sync ran", len(during) >= args.scans // 2,
                      f"{len(during)} of {args.scans}")
        verdict.check("pages written while the scans ran", pages_during_scans > 0, "none")
    verdict.judge("p99_ms", p99)
    verdict.judge("stall_ms", max(stalls_during, default=float("nan")))
    verdict.finish()


if __name__ == "__main__":
    main()
