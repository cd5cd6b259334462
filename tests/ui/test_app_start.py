"""Starting the station as a person does: `scanner-app --home DIR` opens one window; a second
start for the same home brings the first to the front instead of opening another; SIGTERM
closes it cleanly."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def start(home: Path) -> subprocess.Popen[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.Popen([sys.executable, "-m", "scanner_app", "--home", str(home)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_for_log(home: Path, words: str, timeout: float = 20.0) -> None:
    log = home / "logs" / "scanner-app.log"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if log.exists() and words in log.read_text():
            return
        time.sleep(0.1)
    raise AssertionError(f"{words!r} never appeared in {log}")


def test_second_start_raises_the_first_and_sigterm_closes_cleanly(tmp_path: Path) -> None:
    home = tmp_path / "home"
    first = start(home)
    try:
        wait_for_log(home, "station window shown")
        second = start(home)
        _, err = second.communicate(timeout=30)
        assert second.returncode == 0
        assert "already open" in err
        wait_for_log(home, "bringing the window to the front")
        assert first.poll() is None  # the first window is still running
        first.send_signal(signal.SIGTERM)
        first.wait(timeout=20)
        assert first.returncode == 0
    finally:
        if first.poll() is None:
            first.kill()
            first.wait()


def test_another_home_gets_its_own_window(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    first = start(a)
    try:
        wait_for_log(a, "station window shown")
        second = start(b)
        try:
            wait_for_log(b, "station window shown")
            assert second.poll() is None
        finally:
            second.send_signal(signal.SIGTERM)
            second.wait(timeout=20)
    finally:
        first.send_signal(signal.SIGTERM)
        first.wait(timeout=20)
