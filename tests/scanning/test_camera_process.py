"""The camera in a child process (``CameraProcess``), on real video files: reads, preview
frames at the size asked for, a person's pick, the child's own session and priority, and
a child that dies (the station carries on and says so)."""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from scanner_app.camera.camera_process import CAMERA_NICE, CameraProcess
from scanner_app.camera.camera_status import CameraStatus
from scanner_app.camera.preview import PreviewFrame, shrink_to_fit
from scanner_app.camera.reads import Read
from scanner_app.config import CameraSettings
from tests.scanning.barcode_images import F, symbol, write_sliding_video, write_two_codes_video


class Recorder:
    def __init__(self, camera: CameraProcess) -> None:
        self.accepted: list[str] = []
        self.frames: list[PreviewFrame] = []
        self.statuses: list[CameraStatus] = []
        self.stopped = threading.Event()
        camera.read_accepted.connect(self._on_read)
        camera.frame_decoded.connect(self.frames.append)
        camera.status.connect(self.statuses.append)
        camera.stopped.connect(lambda _: self.stopped.set())

    def _on_read(self, read: Read) -> None:
        self.accepted.append(read.raw)


def wait_for(condition: Callable[[], bool], timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def camera_threads() -> list[str]:
    return [t.name for t in threading.enumerate() if t.name.startswith("camera-") and t.is_alive()]


def test_a_code_sliding_into_view_is_read_once_with_preview_frames(tmp_path: Path) -> None:
    video = tmp_path / "sliding.avi"
    write_sliding_video(video, symbol(F.EAN13, "4000001100118", scale=3), frames=40)
    camera = CameraProcess(CameraSettings(source=str(video)), preview_size=(160, 160), pace_files=False)
    events = Recorder(camera)
    camera.start()
    assert events.stopped.wait(20), [s.message for s in events.statuses]
    assert camera.stop()
    assert events.accepted == ["4000001100118"]  # once, though it stayed in view
    assert [s.kind for s in events.statuses] == ["opened", "finished"]
    frame = events.frames[-1]
    assert (frame.width, frame.height) == (160, 120) and len(frame.pixels) == 160 * 120 * 3  # 640x480 fitted
    assert frame.size == (640, 480) and frame.reads[0].raw == "4000001100118"  # outlines in frame pixels
    assert camera.frames_decoded == len(events.frames) and camera.latest() is frame
    assert camera_threads() == [] and not camera.running
    wait_for(lambda: camera.pid not in [p.pid for p in multiprocessing.active_children()])  # exits, is reaped


def test_a_person_picks_a_code_off_centre_through_the_process(tmp_path: Path) -> None:
    path = write_two_codes_video(tmp_path / "two.avi", frames=150)
    camera = CameraProcess(CameraSettings(source=str(path)))
    events = Recorder(camera)
    camera.start()
    wait_for(lambda: events.accepted == ["4000001100118"] and len(events.frames) >= 3)  # nearest the centre
    camera.choose("not-in-view")
    camera.choose("96385074")
    wait_for(lambda: len(events.accepted) == 2)
    assert camera.stop()
    assert events.accepted == ["4000001100118", "96385074"]


def test_a_preview_size_change_reaches_the_child(tmp_path: Path) -> None:
    video = tmp_path / "long.avi"
    write_sliding_video(video, symbol(F.EAN13, "4000001100118", scale=3), frames=150)
    camera = CameraProcess(CameraSettings(source=str(video)), preview_size=(320, 240))
    events = Recorder(camera)
    camera.start()
    wait_for(lambda: len(events.frames) >= 2)
    assert (events.frames[-1].width, events.frames[-1].height) == (320, 240)
    camera.set_preview_size((100, 100))
    wait_for(lambda: events.frames[-1].width == 100)
    assert events.frames[-1].height == 75
    assert camera.stop()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_the_child_runs_in_its_own_session_at_a_lower_priority(tmp_path: Path) -> None:
    video = tmp_path / "long.avi"
    write_sliding_video(video, symbol(F.EAN13, "4000001100118", scale=3), frames=150)
    camera = CameraProcess(CameraSettings(source=str(video)))
    events = Recorder(camera)
    camera.start()
    wait_for(lambda: len(events.frames) >= 2)
    pid = camera.pid
    assert pid is not None and pid != os.getpid()
    assert os.getsid(pid) == pid != os.getsid(0)  # its own session: on Linux, its own autogroup
    # the threads that capture and decode (started after the child lowered its priority)
    nices = [os.getpriority(os.PRIO_PROCESS, int(tid)) for tid in os.listdir(f"/proc/{pid}/task")]
    assert nices.count(os.getpriority(os.PRIO_PROCESS, 0) + CAMERA_NICE) >= 3
    assert camera.stop()


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_a_camera_process_that_dies_is_reported_and_the_station_carries_on(tmp_path: Path) -> None:
    video = tmp_path / "long.avi"
    write_sliding_video(video, symbol(F.EAN13, "4000001100118", scale=3), frames=300)
    camera = CameraProcess(CameraSettings(source=str(video)))
    events = Recorder(camera)
    camera.start()
    wait_for(lambda: len(events.frames) >= 2)
    assert camera.pid is not None
    os.kill(camera.pid, signal.SIGKILL)
    assert events.stopped.wait(10)
    assert events.statuses[-1].kind == "error"
    assert "camera process ended unexpectedly" in events.statuses[-1].message
    assert str(-signal.SIGKILL) in events.statuses[-1].message
    camera.stop()
    assert camera_threads() == []


def test_a_missing_source_is_reported_through_the_process(tmp_path: Path) -> None:
    camera = CameraProcess(CameraSettings(source=str(tmp_path / "no-such.avi")))
    events = Recorder(camera)
    camera.start()
    wait_for(lambda: len(events.statuses) >= 1)
    assert camera.stop()
    assert events.statuses[0].kind == "error" and "does not exist" in events.statuses[0].message
    assert events.frames == [] and camera_threads() == []


def test_stop_before_start_and_twice_is_harmless() -> None:
    camera = CameraProcess(CameraSettings(source="no-such.avi"))
    assert camera.stop() and camera.stop() and not camera.running


@pytest.mark.parametrize("size, fit, expected", [
    ((1280, 720), (360, 240), (360, 202)),  # halved once (again would go under), then one bilinear step
    ((1280, 720), (640, 480), (640, 360)),  # exactly halved
    ((1280, 720), (1000, 1000), (1000, 562)),
    ((641, 479), (100, 100), (100, 75)),  # odd sizes: no halving, one bilinear step
    ((640, 480), (800, 800), (640, 480)),  # never enlarged
])
def test_shrink_to_fit_keeps_the_aspect_ratio(size: tuple[int, int], fit: tuple[int, int],
                                              expected: tuple[int, int]) -> None:
    frame = np.zeros((size[1], size[0], 3), np.uint8)
    frame[:, : size[0] // 2] = (255, 0, 0)  # left half blue
    out = shrink_to_fit(frame, fit)
    assert (out.shape[1], out.shape[0]) == expected
    assert tuple(out[expected[1] // 2, 2]) == (255, 0, 0) and tuple(out[expected[1] // 2, -3]) == (0, 0, 0)
