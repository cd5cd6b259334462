"""Shared test set-up: Qt offscreen, a fresh home folder per test, one fixed day for every
test (``TEST_DAY``), no leaked threads, no silent skips (``tests/skip_policy.py``) and
Hypothesis's profiles.

Hypothesis profiles (``HYPOTHESIS_PROFILE``; ``.ci/run`` picks ``ci``):
- ``ci``: derandomised (the same examples on every run, so a red run is reproducible and a
  green one does not turn red by luck), no example database, 100 examples per property
  unless the test states its own budget (``tests/codes/test_properties.py``: 300 and 1,000;
  the outbox state machine: 60 runs of up to 25 steps), no deadline (a loaded CI machine is
  slow, not wrong).
- ``dev`` (the default): random examples, and the failing ones kept in the local example
  database (``.hypothesis/``, ignored by git) so a developer's failure is replayed first.
"""

from __future__ import annotations

import gc
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings
from hypothesis.database import DirectoryBasedExampleDatabase

from scanner_app.days import TODAY_ENV
from tests.skip_policy import SkipPolicy

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

settings.register_profile("ci", derandomize=True, database=None, max_examples=100, deadline=None, print_blob=True)
# Hypothesis loads its own derandomised "ci" profile as the default when it sees a CI
# environment variable, and a profile inherits the default's settings; "dev" states each
# setting it depends on so that it is the same profile on a developer's machine and in CI.
settings.register_profile(
    "dev",
    deadline=None,
    derandomize=False,
    database=DirectoryBasedExampleDatabase(".hypothesis/examples"),
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


def pytest_configure(config: pytest.Config) -> None:
    config.pluginmanager.register(SkipPolicy(), "scanner_app_skip_policy")


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "home"
    monkeypatch.setenv("SCANNER_APP_HOME", str(folder))
    return folder


# The day the station's rules go by in every test (scanner_app/days.py), so that no test
# depends on when it runs: set in the environment, it reaches every station, workflow and
# scanner-app subprocess a test starts. A test about a particular day gives its station
# (``Station(..., today=days.fixed(...))``) or workflow that day instead.
TEST_DAY = "2026-01-15"


@pytest.fixture(autouse=True)
def _a_fixed_day(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(TODAY_ENV, TEST_DAY)


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
