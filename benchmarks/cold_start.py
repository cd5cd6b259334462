"""Cold start to a usable window: from launching a fresh Python process to the station
window shown and painted (demo catalogue already installed). Target: under 1.5 s.

Each run is a new process (`python -m scanner_app --home DIR` code path, minus the event
loop's endless wait). Baseline in the same run: a process that only starts Python and
imports PySide6.QtWidgets, i.e. the floor any Qt program pays. ``--quick``: one run of
each, the target not judged.

    .venv/bin/python benchmarks/cold_start.py [--runs 5] [--quick] [--target cold_start.median_s=1.5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from verdict import Target, Verdict, add_arguments, sizes

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import sys, time
from PySide6.QtWidgets import QApplication
from PySide6.QtCore import QTimer
from scanner_app.paths import resolve_paths
from scanner_app.station import Station
app = QApplication([])
station = Station(resolve_paths(sys.argv[1]))
from scanner_app.ui.main_window import MainWindow
w = MainWindow(station)
w.lookup_page.card.painted.connect(lambda: (print(time.time()), app.quit()))
w.show()
app.exec()
w.close(); station.close()
"""

TARGETS = [Target("median_s", "<", 1.5, "process start to painted window, median, s")]

BASELINE = "import time; from PySide6.QtWidgets import QApplication; app = QApplication([]); print(time.time())"


def run(code: str, *args: str) -> float:
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"), PYTHONPATH=str(ROOT))
    t0 = time.time()
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, check=True)
    return float(out.stdout.strip().splitlines()[-1]) - t0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, help="default 5 (quick: 1)")
    add_arguments(parser)
    args = parser.parse_args()
    sizes(args, runs=(5, 1))
    verdict = Verdict.from_args("cold_start", TARGETS, args)
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, "-m", "scanner_app", "--home", tmp, "lookup", "x"],
                       capture_output=True, env=dict(os.environ, PYTHONPATH=str(ROOT)))  # installs the demo
        window = [run(CHILD, tmp) for _ in range(args.runs)]
    baseline = [run(BASELINE) for _ in range(args.runs)]
    med, base = statistics.median(window), statistics.median(baseline)
    print(f"cold start to painted window: median {med:.3f} s, max {max(window):.3f} s over {args.runs} runs")
    print(f"baseline (python + QApplication only): median {base:.3f} s; window/baseline = {med / base:.1f}x")
    verdict.judge("median_s", med)
    verdict.finish()


if __name__ == "__main__":
    main()
