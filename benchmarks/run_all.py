"""Run the benchmarks one after the other (``make benchmarks``), each in its own process,
and exit 1 when any of them missed a target, failed a check or crashed (0 when all
passed). The README's list of benchmarks is ``BENCHMARKS`` (a test keeps them the same).

    .venv/bin/python benchmarks/run_all.py [NAME ...] [--quick] [--target NAME=VALUE ...]
        [--timeout SECONDS] [-- ARGS]

NAME: only these benchmarks (default: all, in the order of ``BENCHMARKS``). ``--quick``:
each in its quick mode (small sizes, the whole code path and its checks, the targets not
judged: ``make benchmarks-quick``, and the test suite). ``--target`` goes to the
benchmark it names (``lookup_latency.p99_ms=0.5`` to lookup_latency.py). ARGS after
``--`` go to every benchmark run (e.g. sizes, with one NAME). A summary of every
benchmark's verdict comes last.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHMARKS = ["lookup_latency", "scan_to_screen", "cold_start", "decode_samples", "frame_cost",
              "time_to_first_read", "zoho_sync", "scan_during_sync", "receive_1000", "dispatch_1000",
              "camera_ui_stall", "wedge_filter_cost", "kill_trials"]
QUICK_TIMEOUT_S = 300.0  # a quick benchmark that takes longer hangs


@dataclass
class Outcome:
    name: str
    returncode: int | None = None  # None: timed out
    seconds: float = 0.0
    result: str = ""  # the benchmark's RESULT line
    failures: list[str] = field(default_factory=list)  # its FAIL and CHECK FAILED lines

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    def status(self, timeout: float | None) -> str:
        if self.returncode is None:
            return f"timed out after {timeout:g} s"
        if self.ok:
            return "OK (quick, not judged)" if "not judged" in self.result else "PASS"
        return "FAIL" if self.result else f"crashed (exit {self.returncode})"


def run(name: str, args: list[str], timeout: float | None) -> Outcome:
    """One benchmark in a process group of its own, its output passed through as it comes;
    what is left of the group when it ends (a fake server, a camera process) is killed."""
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    outcome = Outcome(name)
    t0 = time.perf_counter()
    process = subprocess.Popen([sys.executable, str(HERE / f"{name}.py"), *args], cwd=HERE, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, errors="replace",
                               start_new_session=True)

    def relay() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            print(line, end="", flush=True)
            if line.startswith("RESULT "):
                outcome.result = line.strip()
            elif line.startswith(("FAIL ", "CHECK FAILED")):
                outcome.failures.append(line.strip())

    reader = threading.Thread(target=relay, daemon=True)
    reader.start()
    timed_out = False
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
    finally:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait()
        reader.join(10)
    outcome.seconds = time.perf_counter() - t0
    outcome.returncode = None if timed_out else process.returncode
    return outcome


def main(argv: list[str]) -> int:
    own, passed = (argv[:argv.index("--")], argv[argv.index("--") + 1:]) if "--" in argv else (argv, [])
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", metavar="NAME",
                        help=f"benchmarks to run (default all: {', '.join(BENCHMARKS)})")
    parser.add_argument("--quick", action="store_true", help="each in its quick mode: checks judged, targets not")
    parser.add_argument("--target", action="append", default=[], metavar="NAME=VALUE",
                        help="another limit for a benchmark's target, e.g. lookup_latency.p99_ms=0.5; repeatable")
    parser.add_argument("--timeout", type=float, default=None,
                        help=f"seconds a benchmark may take (default: none; {QUICK_TIMEOUT_S:g} with --quick)")
    args = parser.parse_args(own)
    unknown = [n for n in args.names if n not in BENCHMARKS]
    if unknown:
        parser.error(f"unknown benchmark(s) {', '.join(unknown)}; known: {', '.join(BENCHMARKS)}")
    for target in args.target:
        if target.split(".", 1)[0] not in BENCHMARKS or "=" not in target:
            parser.error(f"--target {target}: expected BENCHMARK.METRIC=VALUE, BENCHMARK one of "
                         f"{', '.join(BENCHMARKS)}")
    timeout = args.timeout if args.timeout is not None else (QUICK_TIMEOUT_S if args.quick else None)
    names = args.names or BENCHMARKS
    outcomes = []
    started = time.perf_counter()
    for name in names:
        flags = ["--quick"] * args.quick
        flags += [f"--target={t}" for t in args.target if t.split(".", 1)[0] == name]
        print(f"== {name} {' '.join(flags + passed)}".rstrip(), flush=True)
        outcomes.append(run(name, flags + passed, timeout))
    failed = [o for o in outcomes if not o.ok]
    print(f"== summary{' (quick: the targets not judged)' if args.quick else ''}")
    for o in outcomes:
        print(f"{o.name:<20}{o.status(timeout):<28}{o.seconds:7.1f} s")
        for line in o.failures:
            print(f"{'':<20}{line}")
    total = time.perf_counter() - started
    print(f"{len(outcomes) - len(failed)} of {len(outcomes)} passed in {total:.0f} s"
          + (f"; not passed: {', '.join(o.name for o in failed)}" if failed else ""), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
