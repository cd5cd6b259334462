"""Shared test set-up: Qt offscreen, a fresh home folder per test, no leaked threads."""

from __future__ import annotations

import gc
import os
import threading
from pathlib import Path
from typing import Iterator

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "home"
    monkeypatch.setenv("SCANNER_APP_HOME", str(folder))
    return folder


@pytest.fixture(autouse=True)
def _no_dangling_threads() -> Iterator[None]:
    """Fail a test that leaves a worker thread running (like napari's dangling-QThread check)."""
    before = set(threading.enumerate())
    yield
    leftover = [t for t in threading.enumerate() if t not in before and t.is_alive() and not t.daemon]
    for thread in leftover:
        thread.join(timeout=2)
    still = [t.name for t in leftover if t.is_alive()]
    assert not still, f"threads left running: {still}"


@pytest.fixture(autouse=True)
def _cycle_collector_unfrozen(request: pytest.FixtureRequest) -> Iterator[None]:
    """A window freezes its start-up objects for the cycle collector (ui/garbage.py); each
    test starts and ends with nothing frozen, so one test's objects do not outlive it. Its
    garbage is collected here, on the main thread: left to a later automatic collection, a
    closed window's Qt objects could be destroyed on whichever thread allocated then (a
    relay or network thread of another test), which Qt does not survive."""
    gc.unfreeze()
    yield
    gc.unfreeze()
    if "qtbot" in request.fixturenames:  # the tests that make widgets (a collection each costs ~80 ms)
        gc.collect()
