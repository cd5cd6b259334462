"""What the application-wide wedge filter costs on the events that are not key presses.

``WedgeKeyFilter`` sees every Qt event of the process (about 150-250 per scan answer), and
all but a handful are not key presses. Two measurements, before and after in the same
process; "before" is the guard the filter had until it returned early on non-key events
(``event.type() != QEvent.Type.KeyPress`` first: PySide6 builds an enum object for every
``type()`` call), reproduced in a subclass here:

1. ``eventFilter`` called directly on a mix of non-key events: the Python method's own
   cost, ns per event.
2. Real dispatch: Qt delivers a zero-interval timer's QTimerEvent (made in C++, so PySide6
   wraps it for Python as it does every event) once per event-loop pass, with no filter,
   the filter before and the filter now installed on the application: the filter's share
   of each event is the difference from no filter.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/wedge_filter_cost.py [--events 200000]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEvent, QObject, QRect, QTimer, QTimerEvent
from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import QApplication, QWidget
from verdict import Target, Verdict, add_arguments, sizes

from scanner_app.ui.wedge_filter import WedgeKeyFilter

TARGETS = [Target("direct_ns", "<", 500.0, "eventFilter called directly, ns per non-key event")]


class GuardAsBefore(WedgeKeyFilter):
    """The filter with its previous first test: ``event.type()`` on every event."""

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if self._replaying or event.type() != QEvent.Type.KeyPress or not self._is_target(obj):
            return False
        return super().eventFilter(obj, event)


class NoFilter(QObject):
    """The cost of a Python event filter that does nothing (the floor PySide6 sets)."""

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        return False


def non_key_events() -> list[QEvent]:
    return [QEvent(QEvent.Type.MetaCall), QTimerEvent(1), QPaintEvent(QRect(0, 0, 10, 10)),
            QEvent(QEvent.Type.UpdateRequest), QEvent(QEvent.Type.LayoutRequest)]


def direct_ns(filt: QObject, widget: QWidget, events: list[QEvent], count: int) -> float:
    """Median over 5 rounds of ns per direct ``eventFilter`` call."""
    call = filt.eventFilter
    rounds = []
    per_round = count // len(events)
    for _ in range(5):
        t0 = time.perf_counter_ns()
        for _ in range(per_round):
            for event in events:
                call(widget, event)
        rounds.append((time.perf_counter_ns() - t0) / (per_round * len(events)))
    return statistics.median(rounds)


def dispatch_ns(app: QApplication, filt: QObject | None, passes: int) -> float:
    """Median over 5 rounds of ns per event-loop pass delivering one QTimerEvent."""
    if filt is not None:
        app.installEventFilter(filt)
    timer = QTimer()
    timer.setInterval(0)
    timer.start()
    rounds = []
    try:
        for _ in range(5):
            t0 = time.perf_counter_ns()
            for _ in range(passes):
                app.processEvents()
            rounds.append((time.perf_counter_ns() - t0) / passes)
    finally:
        timer.stop()
        if filt is not None:
            app.removeEventFilter(filt)
    return statistics.median(rounds)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, help="default 200,000 (quick: 20,000)")
    add_arguments(parser)
    args = parser.parse_args()
    sizes(args, events=(200_000, 20_000))
    verdict = Verdict.from_args("wedge_filter_cost", TARGETS, args)
    app = QApplication.instance() or QApplication([])
    widget = QWidget()
    before, now, empty = GuardAsBefore(), WedgeKeyFilter(), NoFilter()
    events = non_key_events()

    direct = {name: direct_ns(f, widget, events, args.events)
              for name, f in (("empty filter", empty), ("before", before), ("now", now))}
    print(f"1. eventFilter called directly, {len(events)} kinds of non-key event, ns per event (median of 5):")
    for name, ns in direct.items():
        print(f"   {name:<13}{ns:8.0f} ns")
    print(f"   before/now = {direct['before'] / direct['now']:.1f}x")

    passes = args.events // 10
    dispatch_ns(app, None, passes // 10)  # warm-up
    base = dispatch_ns(app, None, passes)
    real = {name: dispatch_ns(app, f, passes) - base
            for name, f in (("empty filter", empty), ("before", before), ("now", now))}
    print(f"2. Qt dispatching a C++ QTimerEvent (one per event-loop pass, {base:.0f} ns a pass with no filter), "
          "the filter's share, ns per event (median of 5):")
    for name, ns in real.items():
        print(f"   {name:<13}{ns:8.0f} ns")
    print(f"   before/now = {real['before'] / max(real['now'], 1.0):.1f}x;"
          f" per 200 events of a scan answer: before {real['before'] * 200 / 1e6:.3f} ms,"
          f" now {real['now'] * 200 / 1e6:.3f} ms")
    verdict.judge("direct_ns", direct["now"])
    verdict.finish()


if __name__ == "__main__":
    main()
