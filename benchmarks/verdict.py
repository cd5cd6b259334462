"""The verdict of a benchmark: its named targets, a PASS/FAIL line for each, its
correctness checks, and the exit code. One place for all the scripts.

Every benchmark takes ``--quick`` (small sizes: the whole code path runs, the figures are
printed, the correctness checks are judged but the targets are not) and ``--target
NAME=VALUE`` (repeatable: another limit for a named target, e.g.
``--target lookup_latency.p99_ms=0.5``; ``run_all.py`` passes it through). Lines printed:

    PASS lookup_latency.p99_ms = 0.604, target < 1 (classify+lookup p99, ms)
    FAIL lookup_latency.p99_ms = 0.604, target < 1e-06 (classify+lookup p99, ms) [target overridden]
    not judged (quick): lookup_latency.p99_ms = 0.031, target < 1 (classify+lookup p99, ms)
    CHECK ok: every code found
    CHECK FAILED: every code found (12 misses)
    RESULT lookup_latency: PASS

Exit code: 0 when every check held and, in a full run, every target was met; 1 when a
target was missed or a check failed (and 1 too when the script crashes: Python's own);
2 for a bad command line (an unknown target name, a value that is not a number).
"""

from __future__ import annotations

import argparse
import math
import operator
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, NoReturn

OPS: dict[str, Callable[[float, float], bool]] = {"<": operator.lt, "<=": operator.le, ">": operator.gt,
                                                   ">=": operator.ge, "==": operator.eq}


@dataclass(frozen=True)
class Target:
    metric: str  # e.g. "p99_ms"; the full name is "<benchmark>.<metric>"
    op: str  # one of OPS: the measured value must be <op> the limit
    limit: float
    what: str  # what is measured, with its unit


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--quick", action="store_true",
                        help="small sizes: run the whole code path and its checks, do not judge the targets")
    parser.add_argument("--target", action="append", default=[], metavar="NAME=VALUE",
                        help="another limit for a named target (e.g. lookup_latency.p99_ms=0.5); repeatable")


def sizes(args: argparse.Namespace, **full_and_quick: tuple[Any, Any]) -> None:
    """Each option left unset (None) gets its full-run or its quick-run value:
    ``sizes(args, items=(100_000, 1_000))``."""
    for name, (full, quick) in full_and_quick.items():
        if getattr(args, name) is None:
            setattr(args, name, quick if args.quick else full)


def fmt(value: float) -> str:
    if not math.isfinite(value):
        return str(value)
    if value == int(value) and abs(value) < 1e15:
        return f"{int(value)}"
    if 0.001 <= abs(value) < 1000:
        return f"{value:.4g}"
    return f"{value:.6g}"


class Verdict:
    def __init__(self, benchmark: str, targets: Sequence[Target], *, quick: bool = False,
                 overrides: Sequence[str] = ()) -> None:
        self.benchmark = benchmark
        self.quick = quick
        self.targets = {t.metric: t for t in targets}
        self.overridden: set[str] = set()
        self.judged: set[str] = set()
        self.missed: list[str] = []
        self.failed_checks: list[str] = []
        for item in overrides:
            name, sep, value = item.partition("=")
            metric = name.removeprefix(f"{benchmark}.")
            if not sep or metric not in self.targets:
                known = ", ".join(self.name(m) for m in self.targets) or "none"
                self._usage(f"unknown target {name!r} (this benchmark's targets: {known})")
            try:
                limit = float(value)
            except ValueError:
                self._usage(f"target {name}: {value!r} is not a number")
            t = self.targets[metric]
            self.targets[metric] = Target(t.metric, t.op, limit, t.what)
            self.overridden.add(metric)

    @classmethod
    def from_args(cls, benchmark: str, targets: Sequence[Target], args: argparse.Namespace) -> Verdict:
        return cls(benchmark, targets, quick=args.quick, overrides=args.target)

    def _usage(self, message: str) -> NoReturn:
        print(f"{self.benchmark}: {message}", file=sys.stderr)
        raise SystemExit(2)

    def name(self, metric: str) -> str:
        return f"{self.benchmark}.{metric}"

    def limit(self, metric: str) -> float:
        return self.targets[metric].limit

    def describe(self, metric: str) -> str:
        """``target < 16`` (for a figure's own line)."""
        t = self.targets[metric]
        return f"target {t.op} {fmt(t.limit)}"

    def judge(self, metric: str, measured: float) -> bool:
        """A PASS/FAIL line for a target (``not judged`` in a quick run); True when met."""
        t = self.targets[metric]
        met = OPS[t.op](measured, t.limit)  # NaN compares False: a figure not measured fails
        self.judged.add(metric)
        line = f"{self.name(metric)} = {fmt(measured)}, target {t.op} {fmt(t.limit)} ({t.what})"
        line += " [target overridden]" * (metric in self.overridden)
        if self.quick:
            print(f"not judged (quick): {line}", flush=True)
            return met
        print(f"{'PASS' if met else 'FAIL'} {line}", flush=True)
        if not met:
            self.missed.append(self.name(metric))
        return met

    def skip(self, metric: str, reason: str) -> None:
        """A target this run did not measure (by request): said, not failed."""
        self.judged.add(metric)
        print(f"not measured: {self.name(metric)} ({reason})", flush=True)

    def check(self, what: str, ok: bool, detail: str = "") -> bool:
        """A correctness check (a wrong decode, a lost scan): judged in quick runs too."""
        if ok:
            print(f"CHECK ok: {what}", flush=True)
        else:
            print(f"CHECK FAILED: {what}" + (f" ({detail})" if detail else ""), flush=True)
            self.failed_checks.append(what)
        return ok

    @property
    def ok(self) -> bool:
        return not self.missed and not self.failed_checks

    def finish(self) -> NoReturn:
        """The RESULT line, then exit: 0 when all held, 1 otherwise."""
        if not self.quick:
            for metric in self.targets:
                if metric not in self.judged:  # a script that forgot a target must not pass by it
                    print(f"FAIL {self.name(metric)}: not measured", flush=True)
                    self.missed.append(self.name(metric))
        problems = []
        if self.missed:
            problems.append(f"targets missed: {', '.join(self.missed)}")
        if self.failed_checks:
            problems.append(f"checks failed: {'; '.join(self.failed_checks)}")
        if problems:
            print(f"RESULT {self.benchmark}: FAIL ({'; '.join(problems)})", flush=True)
        elif self.quick:
            print(f"RESULT {self.benchmark}: OK, not judged (quick): the code path ran and its checks held",
                  flush=True)
        else:
            print(f"RESULT {self.benchmark}: PASS", flush=True)
        raise SystemExit(0 if not problems else 1)
