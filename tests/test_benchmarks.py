"""The benchmarks can fail: every one runs (quick mode: the whole code path and its
correctness checks, no figures judged), ``run_all.py`` (``make benchmarks``) exits
non-zero when a benchmark misses a target, and the README lists exactly what it runs.

No wall-clock figure is asserted here: targets are set to impossible or trivial values,
and only the verdicts and exit codes are checked.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from scanner_app.days import TODAY_ENV

ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = ROOT / "benchmarks"
HELPERS = {"catalogue", "fake_zoho_process", "run_all", "stall_monitor", "stall_trace", "verdict"}


def load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"benchmarks_{name}", BENCHMARKS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


run_all = load("run_all")
verdict = load("verdict")


def run_all_process(*args: str, timeout: float) -> subprocess.CompletedProcess[str]:
    """``run_all.py`` as ``make benchmarks`` runs it (no test day: as on a station)."""
    env = {k: v for k, v in os.environ.items() if k != TODAY_ENV}
    env["QT_QPA_PLATFORM"] = "offscreen"
    return subprocess.run([sys.executable, str(BENCHMARKS / "run_all.py"), *args], capture_output=True,
                          text=True, env=env, cwd=ROOT, timeout=timeout)


def readme_benchmarks() -> list[str]:
    """The scripts in the README's Benchmarks section's command block, in order."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Benchmarks\n", 1)[1].split("\n## ", 1)[0]
    block = section.split("```", 2)[1]
    return [m.group(1) for line in block.splitlines() if (m := re.search(r"benchmarks/(\w+)\.py", line))]


def test_the_readme_lists_what_run_all_runs() -> None:
    assert readme_benchmarks() == run_all.BENCHMARKS


def test_every_benchmark_script_is_run_by_run_all() -> None:
    scripts = {p.stem for p in BENCHMARKS.glob("*.py")} - HELPERS
    assert scripts == set(run_all.BENCHMARKS)


@pytest.mark.timeout(600)
def test_every_benchmark_runs_in_quick_mode() -> None:
    done = run_all_process("--quick", timeout=580)
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-3000:]
    n = len(run_all.BENCHMARKS)
    assert f"{n} of {n} passed" in done.stdout
    assert done.stdout.count("not judged (quick)") >= n  # no target judged, every benchmark's said so
    assert "\nPASS " not in done.stdout and "\nFAIL " not in done.stdout


IMPOSSIBLE = "lookup_latency.p99_ms=0.000001"
SMALL = ["--", "--items", "500", "--lookups", "200"]  # a judged run, small


@pytest.mark.timeout(120)
def test_run_all_fails_when_a_target_is_missed() -> None:
    done = run_all_process("lookup_latency", "--target", IMPOSSIBLE, *SMALL, timeout=110)
    assert done.returncode == 1, done.stdout + done.stderr
    assert re.search(r"^FAIL lookup_latency\.p99_ms = \S+, target < 1e-06", done.stdout, re.M), done.stdout
    assert "RESULT lookup_latency: FAIL (targets missed: lookup_latency.p99_ms)" in done.stdout
    assert "0 of 1 passed" in done.stdout


@pytest.mark.timeout(120)
def test_run_all_passes_when_every_target_is_met() -> None:
    done = run_all_process("lookup_latency", "--target", "lookup_latency.p99_ms=1000000", *SMALL, timeout=110)
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.search(r"^PASS lookup_latency\.p99_ms = \S+, target < 1000000", done.stdout, re.M), done.stdout
    assert "1 of 1 passed" in done.stdout


@pytest.mark.timeout(120)
def test_a_quick_run_does_not_judge_even_an_impossible_target() -> None:
    done = run_all_process("lookup_latency", "--quick", "--target", IMPOSSIBLE, timeout=110)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "not judged (quick): lookup_latency.p99_ms" in done.stdout


@pytest.mark.parametrize("args", [["--target", "nosuch.p99_ms=1"], ["--target", "lookup_latency.p99_ms"],
                                  ["nosuch_benchmark"]])
def test_run_all_refuses_what_it_does_not_know(args: list[str]) -> None:
    done = run_all_process(*args, timeout=60)
    assert done.returncode == 2, done.stdout + done.stderr


def test_a_benchmark_refuses_a_target_it_does_not_have() -> None:
    done = run_all_process("lookup_latency", "--quick", "--target", "lookup_latency.p50_ms=1", timeout=60)
    assert done.returncode == 1  # the benchmark exited 2 (usage): run_all counts it as not passed
    assert "unknown target 'lookup_latency.p50_ms'" in done.stdout


# The verdict module itself, in this process.

TARGETS = [verdict.Target("p99_ms", "<", 1.0, "p99, ms"), verdict.Target("rate", ">=", 0.9, "reads / images")]


def finish(v: object) -> int:
    with pytest.raises(SystemExit) as exited:
        v.finish()  # type: ignore[attr-defined]
    return int(exited.value.code)


def test_a_full_run_passes_when_every_target_is_met(capsys: pytest.CaptureFixture[str]) -> None:
    v = verdict.Verdict("bench", TARGETS)
    v.check("nothing lost", True)
    v.judge("p99_ms", 0.5)
    v.judge("rate", 0.9)
    assert finish(v) == 0
    out = capsys.readouterr().out
    assert "PASS bench.p99_ms = 0.5, target < 1 (p99, ms)" in out
    assert "PASS bench.rate = 0.9, target >= 0.9" in out
    assert out.rstrip().endswith("RESULT bench: PASS")


def test_a_full_run_fails_on_a_missed_target_and_names_it(capsys: pytest.CaptureFixture[str]) -> None:
    v = verdict.Verdict("bench", TARGETS)
    v.judge("p99_ms", 1.0)  # not under 1
    v.judge("rate", 0.95)
    assert finish(v) == 1
    out = capsys.readouterr().out
    assert "FAIL bench.p99_ms = 1, target < 1" in out
    assert "RESULT bench: FAIL (targets missed: bench.p99_ms)" in out


def test_a_target_never_measured_fails_a_full_run(capsys: pytest.CaptureFixture[str]) -> None:
    v = verdict.Verdict("bench", TARGETS)
    v.judge("p99_ms", 0.1)
    assert finish(v) == 1
    assert "FAIL bench.rate: not measured" in capsys.readouterr().out


def test_a_target_skipped_on_request_is_said_not_failed(capsys: pytest.CaptureFixture[str]) -> None:
    v = verdict.Verdict("bench", TARGETS)
    v.judge("p99_ms", 0.1)
    v.skip("rate", "--no-rate")
    assert finish(v) == 0
    assert "not measured: bench.rate (--no-rate)" in capsys.readouterr().out


def test_a_quick_run_does_not_judge_targets_but_does_judge_checks(capsys: pytest.CaptureFixture[str]) -> None:
    v = verdict.Verdict("bench", TARGETS, quick=True)
    v.judge("p99_ms", 50.0)  # rate never measured: no matter, in a quick run
    assert finish(v) == 0
    out = capsys.readouterr().out
    assert "not judged (quick): bench.p99_ms = 50, target < 1" in out
    assert "FAIL" not in out

    v = verdict.Verdict("bench", TARGETS, quick=True)
    v.check("every scan found", False, "2 of 3")
    v.judge("p99_ms", 0.1)
    assert finish(v) == 1
    out = capsys.readouterr().out
    assert "CHECK FAILED: every scan found (2 of 3)" in out
    assert "RESULT bench: FAIL (checks failed: every scan found)" in out


def test_a_target_can_be_overridden_by_its_full_or_short_name(capsys: pytest.CaptureFixture[str]) -> None:
    v = verdict.Verdict("bench", TARGETS, overrides=["bench.p99_ms=0.000001", "rate=0.5"])
    assert v.limit("p99_ms") == 0.000001 and v.limit("rate") == 0.5
    assert not v.judge("p99_ms", 0.01)
    assert v.judge("rate", 0.6)
    assert "FAIL bench.p99_ms = 0.01, target < 1e-06 (p99, ms) [target overridden]" in capsys.readouterr().out


@pytest.mark.parametrize("override", ["bench.p50_ms=1", "other.p99_ms=1", "bench.p99_ms", "bench.p99_ms=fast"])
def test_a_bad_override_is_a_usage_error(override: str) -> None:
    with pytest.raises(SystemExit) as exited:
        verdict.Verdict("bench", TARGETS, overrides=[override])
    assert exited.value.code == 2


def test_sizes_pick_the_quick_or_full_default_unless_given() -> None:
    args = argparse.Namespace(quick=True, items=None, scans=7)
    verdict.sizes(args, items=(100_000, 1_000), scans=(500, 40))
    assert (args.items, args.scans) == (1_000, 7)
    args = argparse.Namespace(quick=False, items=None)
    verdict.sizes(args, items=(100_000, 1_000))
    assert args.items == 100_000
