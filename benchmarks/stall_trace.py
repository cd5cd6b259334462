"""What ran while the UI event loop stalled: timed spans of the UI handlers that answer a
scan and paint the preview, and of the camera threads' steps, to lay beside the longest
gaps of :class:`stall_monitor.EventLoopStallMonitor`. Benchmarks only: it wraps methods
in place for the rest of the process (``instrument()``), at a few microseconds a call.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from stall_monitor import Gap


@dataclass(frozen=True)
class Span:
    start: float
    end: float
    thread: str
    name: str

    @property
    def ms(self) -> float:
        return (self.end - self.start) * 1000


SPANS: list[Span] = []


def _wrap(owner: Any, attr: str, name: str) -> None:
    original: Callable[..., Any] = getattr(owner, attr)

    def timed(*args: Any, **kwargs: Any) -> Any:
        t0 = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            SPANS.append(Span(t0, time.perf_counter(), threading.current_thread().name, name))

    setattr(owner, attr, timed)


def _trace_gc() -> None:
    import gc

    started: dict[str, float] = {}

    def on_gc(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            started["t"] = time.perf_counter()
        elif "t" in started:
            SPANS.append(Span(started.pop("t"), time.perf_counter(), threading.current_thread().name,
                              f"gc generation {info.get('generation')}"))

    gc.callbacks.append(on_gc)


def instrument() -> None:
    """Wrap the scan answer, the preview and the camera threads' steps (call before the
    window is built: signal connections made afterwards reach the wrappers), and time the
    garbage collector."""
    _trace_gc()
    import cv2
    import zxingcpp

    from scanner_app.camera import camera, capture
    from scanner_app.history.store import HistoryStore
    from scanner_app.ui import main_window
    from scanner_app.ui.widgets import camera_panel, camera_preview, history_panel, result_card

    _wrap(main_window.MainWindow, "handle_scan", "handle_scan")
    _wrap(result_card.ResultCard, "show_outcome", "card.show_outcome")
    _wrap(result_card.ResultCard, "paintEvent", "card.paintEvent")
    _wrap(history_panel.HistoryPanel, "add_outcome", "history.add_outcome")
    _wrap(HistoryStore, "record", "HistoryStore.record")
    _wrap(camera_panel.CameraPanel, "_refresh_preview", "preview.refresh")
    _wrap(camera_panel.CameraPanel, "_prepare_preview", "preview.prepare")
    _wrap(camera_preview.CameraPreview, "paintEvent", "preview.paintEvent")
    _wrap(camera.CameraScanner, "_decode_one", "decode one frame")
    _wrap(zxingcpp, "read_barcodes", "zxing")
    _wrap(cv2, "resize", "cv2.resize")
    _wrap(capture.LatestFrame, "put", "LatestFrame.put")


def thread_cpu_ms() -> dict[int, float]:
    """CPU time so far of each thread of this process (Linux), by native thread id."""
    import os

    times = {}
    for tid in os.listdir("/proc/self/task"):
        try:
            with open(f"/proc/self/task/{tid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        times[int(tid)] = (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")
    return times


def cpu_by_thread(before: dict[int, float], after: dict[int, float], seconds: float) -> list[str]:
    """Each thread's share of a core between two ``thread_cpu_ms()`` samples, named when
    it is a Python thread (others: OpenCV's pool, FFmpeg's decoders, Qt's)."""
    names = {t.native_id: t.name for t in threading.enumerate()}
    used = sorted(((after[tid] - before.get(tid, 0.0), tid) for tid in after), reverse=True)
    return [f"  {names.get(tid, 'native thread ' + str(tid)):24s} {ms / seconds / 10:5.1f} % of a core"
            for ms, tid in used if ms > 0]


def report(gaps: list[Gap], spans: list[Span], margin_ms: float = 1.0) -> list[str]:
    """For each gap, the spans that overlap it (times relative to the gap's start)."""
    lines = []
    for gap in gaps:
        begin = gap.at - gap.ms / 1000
        kind = "waiting" if gap.waiting else "working"
        lines.append(f"  gap {gap.ms:.2f} ms, UI thread CPU {gap.ui_cpu_ms:.2f} ms ({kind})")
        for span in sorted(spans, key=lambda s: s.start):
            if span.end > begin - margin_ms / 1000 and span.start < gap.at:
                lines.append(f"      {span.thread:14.14s} {span.name:22s} {span.ms:6.2f} ms "
                             f"from {(span.start - begin) * 1000:+7.2f} ms")
    return lines


def summary(spans: list[Span]) -> list[str]:
    by_name: dict[str, list[float]] = {}
    for span in spans:
        by_name.setdefault(span.name, []).append(span.ms)
    lines = []
    for name, values in sorted(by_name.items()):
        values.sort()
        lines.append(f"  {name:22s} n={len(values):4d} median {values[len(values) // 2]:6.2f} ms, "
                     f"p95 {values[int(len(values) * 0.95)]:6.2f} ms, max {values[-1]:6.2f} ms")
    return lines
