"""The camera threads on real sources: a video file written here, a missing file, a refused
URL, and an HTTP stream that ends mid-way (as an unplugged IP camera does)."""

from __future__ import annotations

import functools
import http.server
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from scanner_app.camera import capture
from scanner_app.camera.camera import CameraScanner
from scanner_app.camera.capture import CameraStatus, LatestFrame
from scanner_app.camera.frame_reader import DecodedFrame
from scanner_app.camera.reads import Read
from scanner_app.config import CameraSettings
from tests.scanning.barcode_images import F, symbol, write_sliding_video, write_two_codes_video


class Recorder:
    """Collects a scanner's events (they arrive on its threads)."""

    def __init__(self, scanner: CameraScanner) -> None:
        self.accepted: list[tuple[str, int | None]] = []
        self.statuses: list[CameraStatus] = []
        self.frames: list[DecodedFrame] = []
        self.stopped = threading.Event()
        self._scanner = scanner
        scanner.read_accepted.connect(self._on_read)
        scanner.status.connect(self.statuses.append)
        scanner.frame_decoded.connect(self.frames.append)
        scanner.stopped.connect(lambda _: self.stopped.set())

    def _on_read(self, read: Read) -> None:
        latest = self._scanner.latest()
        self.accepted.append((read.raw, latest.number if latest else None))

    def kinds(self) -> list[str]:
        return [s.kind for s in self.statuses]


def wait_for(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def camera_threads() -> list[str]:
    return [t.name for t in threading.enumerate() if t.name.startswith("camera-") and t.is_alive()]


@pytest.fixture(autouse=True)
def _fast_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(capture, "FIRST_RETRY_S", 0.05)


@pytest.fixture
def sliding_video(tmp_path: Path) -> tuple[Path, int]:
    path = tmp_path / "sliding.avi"
    first_full = write_sliding_video(path, symbol(F.EAN13, "4000001100118", scale=3), frames=40)
    return path, first_full


def test_a_code_sliding_into_view_is_accepted_once_then_the_file_finishes(sliding_video: tuple[Path, int]) -> None:
    path, first_full = sliding_video
    scanner = CameraScanner(CameraSettings(source=str(path)))
    events = Recorder(scanner)
    scanner.start()
    assert events.stopped.wait(10), events.statuses
    assert scanner.stop()
    assert camera_threads() == []
    assert [raw for raw, _ in events.accepted] == ["4000001100118"]  # once, though in view ~25 frames
    frame_number = events.accepted[0][1]
    assert frame_number is not None and frame_number <= first_full + 3
    assert events.kinds()[0] == "opened" and events.kinds()[-1] == "finished"
    assert "640x480" in events.statuses[0].message
    latest = scanner.latest()
    assert latest is not None and latest.size == (640, 480) and latest.reads[0].raw == "4000001100118"
    assert sum(1 for f in events.frames if f.reads) >= 15


def test_stop_mid_video_joins_both_threads(sliding_video: tuple[Path, int]) -> None:
    scanner = CameraScanner(CameraSettings(source=str(sliding_video[0])))
    events = Recorder(scanner)
    scanner.start()
    wait_for(lambda: len(events.frames) >= 3)
    assert scanner.stop(timeout=5)
    assert camera_threads() == [] and not scanner.running
    assert events.stopped.is_set() and "finished" not in events.kinds()


@pytest.mark.parametrize("source, words", [("/no/such/video.mp4", "does not exist"),
                                           ("http://127.0.0.1:9/stream.mjpg", "cannot be opened")])
def test_a_failing_source_is_reported_and_retried(source: str, words: str) -> None:
    scanner = CameraScanner(CameraSettings(source=source))
    events = Recorder(scanner)
    scanner.start()
    wait_for(lambda: len(events.statuses) >= 3)
    assert scanner.stop(timeout=8)
    assert camera_threads() == []
    assert set(events.kinds()) == {"error"}
    assert all(words in s.message and "retrying in" in s.message for s in events.statuses)
    assert "retrying in 0.05 s" in events.statuses[0].message and "retrying in 0.1 s" in events.statuses[1].message


@pytest.fixture
def http_server(tmp_path: Path) -> Iterator[str]:
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    handler.log_message = lambda *args: None  # type: ignore[method-assign, assignment]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_a_stream_that_drops_is_reported_and_reconnected(sliding_video: tuple[Path, int], http_server: str) -> None:
    url = f"{http_server}/{sliding_video[0].name}"
    scanner = CameraScanner(CameraSettings(source=url), pace_files=False)
    events = Recorder(scanner)
    scanner.start()
    wait_for(lambda: events.kinds().count("opened") >= 2)  # it ended, was reported, and came back
    assert scanner.stop()
    kinds = events.kinds()
    assert kinds[:2] == ["opened", "error"] and "stopped sending frames" in events.statuses[1].message
    assert "finished" not in kinds  # a stream ending is a failure to recover from, not the end


def test_a_person_can_pick_a_code_that_is_not_in_the_centre(tmp_path: Path) -> None:
    path = write_two_codes_video(tmp_path / "two.avi", frames=30)
    scanner = CameraScanner(CameraSettings(source=str(path)))
    events = Recorder(scanner)
    scanner.start()
    wait_for(lambda: len(events.accepted) == 1 and len(events.frames) >= 3)
    assert events.accepted[0][0] == "4000001100118"  # nearest the centre
    assert scanner.choose("96385074") is not None
    assert scanner.choose("not-in-view") is None
    assert events.stopped.wait(5)
    scanner.stop()
    assert [raw for raw, _ in events.accepted] == ["4000001100118", "96385074"]


def test_the_mailbox_keeps_only_the_newest_frame() -> None:
    import numpy as np

    slot = LatestFrame()
    for n in range(3):
        slot.put(np.full((2, 2), n, np.uint8), n)
    taken = slot.take_newer(-1, timeout=0)
    assert taken is not None and taken[1] == 2 and int(taken[0][0, 0]) == 2
    assert slot.dropped == 2
    assert slot.take_newer(2, timeout=0.01) is None
    slot.close()
    assert slot.closed and slot.take_newer(2, timeout=1) is None


def test_stop_from_an_event_listener_does_not_deadlock(sliding_video: tuple[Path, int]) -> None:
    scanner = CameraScanner(CameraSettings(source=str(sliding_video[0])))
    events = Recorder(scanner)
    results: list[bool] = []
    scanner.read_accepted.connect(lambda _: results.append(scanner.stop(timeout=2)))
    scanner.start()
    assert events.stopped.wait(5)
    assert results == [True] and scanner.stop() and camera_threads() == []
