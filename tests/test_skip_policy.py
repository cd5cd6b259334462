"""The skip policy: a skipped test fails the run unless it was reviewed onto the list."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.skip_policy import ALLOWED_SKIPS, is_allowed

ROOT = Path(__file__).resolve().parents[1]


def run_pytest(folder: Path, relative: str, body: str) -> subprocess.CompletedProcess[str]:
    """Runs ``body`` as the test module ``relative`` under ``folder`` with only the policy loaded."""
    module = folder / relative
    module.parent.mkdir(parents=True, exist_ok=True)
    module.write_text(body)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "tests.skip_policy",
                           "--rootdir", str(folder), "-c", os.devnull, relative],
                          cwd=folder, env=env, capture_output=True, text=True, timeout=60)


SKIPS = "import pytest\n\ndef test_passes():\n    pass\n\ndef test_skips():\n    pytest.skip('a tool is missing')\n"


def test_an_unlisted_skip_fails_an_otherwise_green_run(tmp_path: Path) -> None:
    out = run_pytest(tmp_path, "test_tools.py", SKIPS)
    assert out.returncode == 1, out.stdout
    assert "1 passed, 1 skipped" in out.stdout
    assert "test_tools.py::test_skips: a tool is missing" in out.stdout


def test_a_skip_on_the_list_passes(tmp_path: Path) -> None:
    out = run_pytest(tmp_path, "tests/outbox/test_crash_safety.py", SKIPS)  # its module is on the list
    assert out.returncode == 0, out.stdout
    assert "1 passed, 1 skipped" in out.stdout


def test_a_run_without_skips_is_untouched_and_a_failure_stays_a_failure(tmp_path: Path) -> None:
    assert run_pytest(tmp_path, "test_plain.py", "def test_passes():\n    pass\n").returncode == 0
    assert run_pytest(tmp_path, "test_red.py", "def test_fails():\n    assert False\n").returncode == 1


def test_the_list_names_tests_that_exist_with_a_reason() -> None:
    for test_id, reason in ALLOWED_SKIPS.items():
        assert reason.strip(), test_id
        module, _, name = test_id.partition("::")
        source = (ROOT / module).read_text()
        assert not name or f"def {name}(" in source, test_id


def test_parametrised_cases_and_whole_modules_match() -> None:
    allowed = {"tests/a.py::test_x": "why", "tests/b.py": "why"}
    assert is_allowed("tests/a.py::test_x[1-2]", allowed)
    assert is_allowed("tests/b.py::test_anything", allowed)
    assert not is_allowed("tests/a.py::test_y", allowed)
    assert not is_allowed("tests/c.py::test_x", allowed)
