"""The Receive page as a clerk uses it: a receipt started, scans (wedge, typed, GS1 labels)
answered at once while the window's relay assigns batches in the background (also against
a slow Zoho), lines' states updating live with a running total, the confirm step for an
expiring batch, a line corrected and cancelled, and the worker stopped with the window."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtWidgets import QLineEdit

from scanner_app.inventory.importer import import_document
from scanner_app.scanning.scan import ScanSource
from scanner_app.station import Station
from tests.backends.fake_zoho import FakeZoho, slow
from tests.sync.fixtures import zoho  # noqa: F401 (a fixture)
from tests.ui.keys import scan_burst
from tests.ui.zoho_station import zoho_env, zoho_station, zoho_window  # noqa: F401 (fixtures)
from tests.workflows.receiving_catalogue import MILK_GTIN, receiving_catalogue


@pytest.fixture
def catalogue() -> dict[str, Any]:
    return receiving_catalogue()


def start_receipt(qtbot: Any, window: Any, reference: str = "PO-77", bin_id: str = "B1") -> Any:
    window.pages.setCurrentWidget(window.receive_page)
    page = window.receive_page
    qtbot.waitUntil(lambda: page.warehouse.count() >= 1 and page.bin.count() >= 1)
    page.reference.setText(reference)
    page.warehouse.setCurrentIndex(page.warehouse.findData("W1"))
    page.bin.setCurrentIndex(page.bin.findData(bin_id))
    page.start_button.click()
    assert window.receive.workflow.is_open
    return page


@pytest.fixture
def receiving(qtbot: Any, window: Any) -> Any:
    start_receipt(qtbot, window)
    return window


def typed(window: Any, text: str) -> None:
    window.receive_page.entry.setText(text)
    window.receive_page.entry.returnPressed.emit()


def test_scanning_a_receipt_shows_lines_assigned_live(qtbot: Any, receiving: Any) -> None:
    window, page = receiving, receiving.receive_page
    assert page.receipt_label.text().startswith("Receipt 1 · PO-77 · Main · bin RCV-01")
    field = QLineEdit(window)  # another field has focus: the scanner still reaches the receipt
    field.show()
    field.setFocus()
    qtbot.waitUntil(field.hasFocus)
    scan_burst(field, "MLK-1")
    assert page.banner_state == "accepted" and field.text() == ""
    page.quantity.setValue(6)
    page.expiry.setText("2099-12-31")
    scan_burst(field, "LOT-A")
    assert page.banner_state == "accepted" and window.sounds.played[-1] == "found"
    typed(window, f"(01){MILK_GTIN}(10)LOT-B(17)990000(37)12".replace("990000", "401231"))
    qtbot.waitUntil(lambda: page.state_of("LOT-A") is not None and page.state_of("LOT-B") is not None)
    qtbot.waitUntil(lambda: (page.state_of("LOT-A") or "").startswith("✔ Assigned")
                    and (page.state_of("LOT-B") or "").startswith("✔ Assigned"), timeout=5000)
    assert page.summary.text().startswith("2 lines, 18 units · 2 assigned")
    assert page.expiry.text() == "" and page.quantity.value() == 1  # the next batch starts clean
    assert window.lookup_page.card.state == "idle"  # the scans went to the receipt


def test_refusals_say_why_with_the_error_sound(qtbot: Any, receiving: Any) -> None:
    window, page = receiving, receiving.receive_page
    typed(window, "DRL-18")
    typed(window, "SN-OLD")
    assert page.banner_state == "refused" and window.sounds.played[-1] == "invalid"
    assert "SN-OLD is already a serial number of Drill" in page.banner.current.message.text()
    typed(window, "SN-NEW")
    typed(window, "SN-NEW")
    assert "already line 1 of this receipt" in page.banner.current.message.text()
    typed(window, f"(01){MILK_GTIN}(10)BAD(11)260101(17)251231")
    assert page.banner_state == "refused" and "before the manufactured date" in page.banner.current.message.text()
    qtbot.waitUntil(lambda: page.table.rowCount() == 1)


def test_an_expiring_batch_asks_for_confirmation(qtbot: Any, receiving: Any) -> None:
    window, page = receiving, receiving.receive_page
    typed(window, f"(01){MILK_GTIN}(10)OLD-1(17)200131")
    assert page.banner_state == "confirm" and page.confirm_bar.isVisible()
    assert "expired on 2020-01-31" in page.banner.current.message.text() and page.table.rowCount() == 0
    page.decline_button.click()
    assert page.banner_state == "refused" and not page.confirm_bar.isVisible()
    typed(window, f"(01){MILK_GTIN}(10)OLD-1(17)200131")
    page.confirm_button.click()
    assert page.banner_state == "accepted"
    qtbot.waitUntil(lambda: (page.state_of("OLD-1") or "").startswith("✔ Assigned"), timeout=5000)


def test_a_conflict_is_corrected_and_a_line_cancelled(qtbot: Any, receiving: Any) -> None:
    window, page = receiving, receiving.receive_page
    typed(window, f"(01){MILK_GTIN}(10)L-KNOWN(17)270228(37)4")  # the store has L-KNOWN expiring 2026-01-10
    qtbot.waitUntil(lambda: (page.state_of("L-KNOWN") or "").startswith("⚠ Conflict"), timeout=5000)
    assert "expiry 2026-01-10 there, 2027-02-28 on this receipt" in (page.state_of("L-KNOWN") or "")
    page.select_line(1)
    assert page.correction.text() == "L-KNOWN"
    page.quantity.setValue(4)
    page.expiry.setText("2026-01-10")
    page.correct_button.click()
    if page.banner_state == "confirm":  # the stored batch has expired by now (a real clock)
        page.confirm_button.click()
    assert page.banner_state == "accepted", page.banner.current.message.text()
    qtbot.waitUntil(lambda: (page.state_of("L-KNOWN") or "").startswith("✔ Assigned (BA1)"), timeout=5000)
    window.outbox_badge.relay.stop()  # the worker is away: the next line stays queued
    typed(window, "DRL-18")
    typed(window, "SN-CANCEL")
    qtbot.waitUntil(lambda: page.state_of("SN-CANCEL") == "Queued")
    page.select_line(2)
    page.cancel_line_button.click()
    assert page.banner_state == "accepted" and "Line 2 cancelled" in page.banner.current.message.text()
    qtbot.waitUntil(lambda: page.state_of("SN-CANCEL") is None)
    assert [e.state for e in window.outbox.entries()][-1] == "discarded"


def test_closing_the_window_stops_the_worker(qtbot: Any, station: Station) -> None:
    from scanner_app.ui.main_window import MainWindow

    window = MainWindow(station)
    qtbot.addWidget(window)
    window.show()
    start_receipt(qtbot, window)
    relay = window.outbox_badge.relay
    qtbot.waitUntil(lambda: relay.running)
    typed(window, f"(01){MILK_GTIN}(10)LOT-Z(17)401231")
    window.close()
    assert not relay.running  # joined, not left behind (the suite also fails a dangling thread)


def test_scans_are_answered_while_the_worker_waits_on_a_slow_zoho(
        qtbot: Any, zoho_env: FakeZoho, zoho_station: Station, zoho_window: Any) -> None:
    milk = str(zoho_env.inventory.add_item("Milk powder", sku="MLK-1", track_batch_number=True)["item_id"])
    import_document(zoho_station.inventory, {"warehouses": [{"warehouse_id": "W1", "warehouse_name": "Main"}],
                                             "items": [{"item_id": milk, "name": "Milk powder", "sku": "MLK-1",
                                                        "track_batch_number": True}]})
    zoho_env.inject(slow(0.3, path="/inventory/v1/items/batches", times=10_000))  # every batch call is slow
    window = zoho_window()
    page = start_receipt(qtbot, window, bin_id="")
    window.handle_scan("MLK-1", ScanSource.MANUAL)
    answered = []
    for n in range(8):
        window.handle_scan(f"Z-{n}", ScanSource.MANUAL)
        answered.append(page.banner_state)
        window.receive.refresh()
        assert page.state_of(f"Z-{n}") is not None  # the line is on screen as soon as it is scanned
    assert answered == ["accepted"] * 8
    busy = [page.state_of(f"Z-{n}") for n in range(8)]
    assert sum(state in ("Saving…", "Queued", "Assigning…") for state in busy if state) >= 6  # the worker lags
    qtbot.waitUntil(lambda: all((page.state_of(f"Z-{n}") or "").startswith("✔ Assigned") for n in range(8)),
                    timeout=20_000)
    assert len(zoho_env.inventory.batches) == 8


def test_the_history_keeps_the_receipt_s_verdict_not_the_lookup_s(qtbot: Any, receiving: Any) -> None:
    window = receiving
    scan_burst(window.receive_page.entry, "MLK-1")
    scan_burst(window.receive_page.entry, "LOT-HIST-1")  # a new batch: the lookup knows nothing of it
    scan_burst(window.receive_page.entry, "4006381333932")  # a GTIN with a wrong check digit: refused
    qtbot.waitUntil(lambda: len(window.station.history.recent(10)) >= 3, timeout=5000)
    stored = {e.raw: e for e in window.station.history.recent(10)}
    assert stored["LOT-HIST-1"].status == "accepted" and stored["4006381333932"].status == "refused"
    assert "check digit" in (stored["4006381333932"].reason or "")
    qtbot.waitUntil(lambda: len(window.history_panel.rows()) >= 3, timeout=5000)
    newest = window.history_panel.rows()[:3]
    assert "✖ refused" in newest[0] and "✔ accepted" in newest[1] and "· receive]" in newest[1]


@pytest.mark.parametrize("station_day", ["2026-12-01"])
def test_the_confirmation_goes_by_the_stations_day(qtbot: Any, receiving: Any, station_day: str) -> None:
    window, page = receiving, receiving.receive_page
    typed(window, f"(01){MILK_GTIN}(10)SOON-1(17)261231")  # 30 days after the station's day
    assert page.banner_state == "confirm" and page.confirm_bar.isVisible()
    assert "expires on 2026-12-31 (in 30 days" in page.banner.current.message.text()
    assert page.table.rowCount() == 0


def test_an_open_receipt_another_process_holds_is_not_loaded(qtbot: Any, station: Station) -> None:
    from scanner_app.jobs.ownership import JobOwnership
    from scanner_app.outbox import EMBEDDED_TARGET, Outbox
    from scanner_app.ui.main_window import MainWindow
    from scanner_app.workflows.receiving import ReceivingWorkflow

    left = ReceivingWorkflow(Outbox(station.inventory), EMBEDDED_TARGET, today=station.today)
    left.start("PO-LEFT", "W1", "B1")  # a window that was killed: its receipt stays open
    left.close()
    other = JobOwnership(station.inventory.path, "receipt", 1)  # `jobs resume receipt-1` elsewhere
    assert other.take()
    try:
        window = MainWindow(station)
        qtbot.addWidget(window)
        window.show()
        page = window.receive_page
        qtbot.waitUntil(lambda: page.banner_state == "refused" and page.warehouse.count() >= 1)
        assert page.banner.current.message.text() == (
            "The open receipt was not loaded here: receipt-1 is being worked on by another scanner-app process; "
            "wait for it to finish or stop it")
        assert window.receive.workflow.receipt is None and page.receipt_label.text().startswith("No receipt open")
        window.close()
    finally:
        other.release()
    again = MainWindow(station)  # once the other process let go, the window takes it over
    qtbot.addWidget(again)
    again.show()
    qtbot.waitUntil(lambda: again.receive.workflow.receipt is not None)
    assert again.receive.workflow.receipt.reference == "PO-LEFT"
    again.close()
