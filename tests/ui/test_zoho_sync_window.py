"""The window against the fake Zoho on loopback: it syncs in the background while scans
are answered, says how fresh the copy is, fetches a scanned item's serials, says "sign in
again" prominently, and closing it during a sync leaves no thread running."""

from __future__ import annotations

import os
from concurrent.futures import Future
from typing import Any

import pytest

from scanner_app.scanning.scan import ScanSource
from tests.backends.fake_zoho import FakeZoho, slow
from tests.ui.zoho_station import zoho, zoho_env, zoho_station, zoho_window  # noqa: F401 (fixtures)

ITEMS = "/inventory/v1/items"


def test_syncs_in_the_background_while_scans_are_answered(qtbot: Any, zoho_env: FakeZoho, zoho_window: Any) -> None:
    zoho_env.inventory.add_items(1200)
    zoho_env.inject(slow(0.3, path=ITEMS, times=6))  # each page takes a while: the scans meet the sync
    window = zoho_window()
    sync = window.catalogue_sync
    qtbot.waitUntil(lambda: sync.progress_bar.isVisible() and "page 1," in sync.status_label.text(), timeout=5000)
    outcome = window.handle_scan("ITEM-00042", ScanSource.MANUAL)
    assert outcome.result.found and window.lookup_page.card.state == "found"
    assert sync.running is not None  # the sync is still going
    assert window.handle_scan("NOT-A-CODE-1", ScanSource.MANUAL).result.status == "not_found"
    with qtbot.waitSignal(sync.sync_finished, timeout=10_000) as finished:
        pass
    report, error = finished.args
    assert error is None and report.received == 1200
    assert sync.import_process.pid not in (None, os.getpid())  # pages went in from a child process
    assert not sync.progress_bar.isVisible()
    assert sync.status_label.text() == "Zoho Inventory · synced just now · 1,200 items"
    assert window.handle_scan("ITEM-01199", ScanSource.MANUAL).result.found


def test_sync_now_is_incremental_after_the_first(qtbot: Any, zoho_env: FakeZoho, zoho_window: Any) -> None:
    zoho_env.inventory.add_items(50)
    window = zoho_window()
    sync = window.catalogue_sync
    qtbot.waitUntil(lambda: "synced just now" in sync.status_label.text(), timeout=5000)
    with qtbot.waitSignal(sync.sync_finished, timeout=5000) as finished:
        sync.sync_action.trigger()
    assert finished.args[0].kind == "incremental" and finished.args[1] is None


def test_a_scanned_tracked_item_gets_its_serials(qtbot: Any, zoho_env: FakeZoho, zoho_window: Any,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    item = zoho_env.inventory.add_item("Scanner Z-2200", sku="Z22", track_serial_number=True)
    zoho_env.inventory.add_serial(item["item_id"], "Z22-1001")
    window = zoho_window()
    sync = window.catalogue_sync
    qtbot.waitUntil(lambda: "synced just now" in sync.status_label.text(), timeout=5000)
    assert window.handle_scan("Z22-1001", ScanSource.MANUAL).result.status == "not_found"  # not fetched yet
    with qtbot.waitSignal(sync.item_updated, timeout=5000):
        assert window.handle_scan("Z22", ScanSource.MANUAL).result.found  # answered at once
    assert window.last_outcome is not None and window.last_outcome.result.item is not None
    calls = zoho_env.count("GET", f"{ITEMS}/serialnumbers")  # the fetch is written: its requests are done
    # Fresh now: scans of the item or its serial fetch nothing. Whether a scan fetches is
    # decided while it is handled (the pipeline's event is synchronous) and a fetch goes to
    # the network pool: every network task these scans start is waited for, so a refetch
    # would have reached Zoho before the count is read.
    started: list[Future[Any]] = []
    run_net = window.tasks.run_net
    monkeypatch.setattr(window.tasks, "run_net", lambda *a, **kw: started.append(run_net(*a, **kw)) or started[-1])
    serial = window.handle_scan("Z22-1001", ScanSource.MANUAL)
    assert serial.result.found and serial.result.serial is not None
    assert window.handle_scan("Z22", ScanSource.MANUAL).result.found
    for task in started:
        task.exception(timeout=5)
    assert zoho_env.count("GET", f"{ITEMS}/serialnumbers") == calls  # fresh: not fetched again
    assert started == []


def test_a_refused_sign_in_is_shown_prominently(qtbot: Any, zoho_env: FakeZoho, zoho_window: Any) -> None:
    zoho_env.refuse_refresh_token()
    window = zoho_window()
    sync = window.catalogue_sync
    qtbot.waitUntil(lambda: sync.problem_label.isVisible(), timeout=5000)
    assert "Sign in again" in sync.problem_label.text()
    assert "Station > Settings" in sync.problem_label.toolTip()
    assert sync.status_label.text().startswith("Zoho Inventory · not synced yet")
    assert window.handle_scan("ANYTHING-1", ScanSource.MANUAL).result.status == "not_found"


def test_closing_during_a_sync_stops_it(qtbot: Any, zoho_env: FakeZoho, zoho_window: Any) -> None:
    zoho_env.inventory.add_items(2000)
    zoho_env.inject(slow(0.3, path=ITEMS, times=10))
    window = zoho_window()
    sync = window.catalogue_sync
    qtbot.waitUntil(lambda: "page 1," in sync.status_label.text(), timeout=5000)
    window.close()  # cancels, then waits for the page in flight; the suite fails on a leftover thread
    assert sync.import_process.pid is None  # the import process is gone too
    assert zoho_env.count("GET", ITEMS) <= 3
    assert window.station.inventory.count_items() < 2000
