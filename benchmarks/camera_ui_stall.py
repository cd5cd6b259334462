"""The UI thread is never blocked by the camera: the longest event-loop stall while the
camera runs on a 1280x720 video (capture, decoding, preview), against the same window with
the camera off, in the same process. Target: under 16 ms.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/camera_ui_stall.py [--seconds 8]
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import zxingcpp  # noqa: E402
from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402
from stall_monitor import EventLoopStallMonitor  # noqa: E402

from scanner_app.config import FeedbackSettings, Settings  # noqa: E402
from scanner_app.paths import resolve_paths  # noqa: E402
from scanner_app.station import Station  # noqa: E402
from tests.scanning.barcode_images import symbol, write_sliding_video  # noqa: E402


def run_loop(seconds: float) -> None:
    """Run the real event loop (QTest.qWait sleeps between its passes, which would hide
    nothing but add its own 10 ms gaps)."""
    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()


def measure(app: QApplication, seconds: float) -> list[float]:
    monitor = EventLoopStallMonitor()
    monitor.start()
    run_loop(seconds)
    monitor.stop()
    return monitor.gaps_ms


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=8.0)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    from scanner_app.ui.main_window import MainWindow

    with tempfile.TemporaryDirectory() as tmp:
        video = Path(tmp) / "720p.avi"
        frames = int(args.seconds * 30) + 30
        write_sliding_video(video, symbol(zxingcpp.BarcodeFormat.EAN13, "4000001100118", scale=4),
                            frames=frames, size=(1280, 720), step=30)
        station = Station(resolve_paths(Path(tmp) / "home"), Settings(feedback=FeedbackSettings(sound=False)))
        window = MainWindow(station)
        window.show()
        QTest.qWaitForWindowExposed(window)
        run_loop(0.5)  # demo install, history load
        baseline = measure(app, args.seconds / 2)
        panel = window.camera_panel
        panel.settings = dataclasses.replace(panel.settings, source=str(video))
        panel.start()
        run_loop(0.3)
        running = measure(app, args.seconds)
        decoded = panel.scanner.frames_decoded if panel.scanner else 0
        shown = panel.preview.frames_shown
        window.close()
        station.close()
    print(f"camera: 1280x720 video at 30 fps for {args.seconds:g} s; frames decoded {decoded}, previewed {shown}")
    print(f"event-loop gaps with camera: median {statistics.median(running):.2f} ms, longest {max(running):.2f} ms "
          f"(target < 16 ms)")
    print(f"baseline, camera off: median {statistics.median(baseline):.2f} ms, longest {max(baseline):.2f} ms; "
          f"longest ratio {max(running) / max(baseline):.1f}x")
    print("PASS" if max(running) < 16 else "FAIL")


if __name__ == "__main__":
    main()
