"""The camera in the window, with a real video file as the camera: the item is shown, the
code is accepted once while in view, and closing the window stops the camera threads."""

from __future__ import annotations

import dataclasses
import threading
from pathlib import Path

import zxingcpp

from scanner_app.scanning.scan import ScanSource
from tests.scanning.barcode_images import symbol, write_sliding_video


def camera_threads() -> list[str]:
    return [t.name for t in threading.enumerate() if t.name.startswith("camera-") and t.is_alive()]


def test_video_scan_shows_item_once_and_stops_cleanly(qtbot, window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    video = tmp_path / "bench.avi"
    write_sliding_video(video, symbol(zxingcpp.BarcodeFormat.EAN13, "4006381333931", scale=3), frames=60)
    panel = window.camera_panel
    panel.settings = dataclasses.replace(panel.settings, source=str(video))
    panel.toggle.click()
    assert panel.running and panel.toggle.text() == "Stop camera"
    card = window.lookup_page.card
    qtbot.waitUntil(lambda: card.state == "found", timeout=10000)
    assert card.title.text() == "Cordless Drill 18V"
    assert window.last_outcome.scan.source is ScanSource.CAMERA
    qtbot.waitUntil(lambda: panel.preview.frames_shown > 0, timeout=5000)
    # the file ends: the panel stops by itself; the code stayed in view, so one scan only
    qtbot.waitUntil(lambda: not panel.running and panel.toggle.text() == "Start camera", timeout=15000)
    camera_scans = [o for o in window.history_panel.rows() if "[camera]" in o]
    assert len(camera_scans) == 1
    assert camera_threads() == []


def test_closing_the_window_stops_a_running_camera(qtbot, window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    video = tmp_path / "long.avi"
    write_sliding_video(video, symbol(zxingcpp.BarcodeFormat.EAN13, "4006381333931", scale=3), frames=300)
    panel = window.camera_panel
    panel.settings = dataclasses.replace(panel.settings, source=str(video))
    panel.start()
    qtbot.waitUntil(lambda: panel.preview.frames_shown > 3, timeout=10000)
    assert camera_threads()
    window.close()
    assert camera_threads() == []


def test_a_missing_camera_says_so_and_keeps_the_window_alive(qtbot, window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    panel = window.camera_panel
    panel.settings = dataclasses.replace(panel.settings, source=str(tmp_path / "no-such-camera.avi"))
    panel.start()
    qtbot.waitUntil(lambda: "retry" in panel.status_label.text().lower(), timeout=10000)
    window.handle_scan("TAPE-50", ScanSource.MANUAL)  # the window still answers
    assert window.lookup_page.card.state == "found"
    panel.stop()
    assert camera_threads() == []


def test_camera_autostarts_when_configured(qtbot, station, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from scanner_app.ui.main_window import MainWindow

    video = tmp_path / "auto.avi"
    write_sliding_video(video, symbol(zxingcpp.BarcodeFormat.EAN13, "4006381333931", scale=3), frames=90)
    station.settings = dataclasses.replace(
        station.settings, camera=dataclasses.replace(station.settings.camera, source=str(video), autostart=True))
    window = MainWindow(station)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.camera_panel.running, timeout=5000)
    qtbot.waitUntil(lambda: window.lookup_page.card.state == "found", timeout=10000)
    window.close()
    assert camera_threads() == []
