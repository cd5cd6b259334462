"""The kill rate of the last mutation run (``make mutation``), per module and per area.

mutmut keeps each mutated file's verdicts in ``mutants/<path>.meta`` (JSON: an exit code
per mutant), here in each area's folder (``build/mutation/AREA/mutants/``, written by
``tools/mutation_run.py``; a bare ``mutmut run`` at the root writes ``mutants/``, read
when there are no area results). This script reads them, sorts each mutant into killed / survived / no tests
/ ..., and prints one row per module and one per area (codes, the wedge, the workflows'
rules, the outbox, the HTTP client):

- **killed** counts mutants a test failed on, timed out on or crashed on;
- **equivalent** counts survivors that docs/testing.md lists as reviewed equivalents
  (no behaviour of the station could tell them apart from the original; the doc says why);
- **rate** is killed / (mutants - equivalent): a survivor that was not reviewed, and a
  mutant that no test reached ("no tests"), both count against it.

The exit status is 1 when no results are found, or with ``--fail-under`` when a module
is below the rate or has unchecked mutants.

A documented equivalent that is now killed, or that no longer exists (mutmut numbers the
mutants of a function in order, so editing the function renumbers them), is named as
stale: review the list again.

Usage: ``python tools/mutation_report.py [--survivors] [--fail-under PERCENT]`` from the
repository root, after ``mutmut run``.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
AREA_RESULTS = ROOT / "build" / "mutation"
ROOT_RESULTS = ROOT / "mutants"
DOC = ROOT / "docs" / "testing.md"

#: mutmut's exit codes (mutmut.stats.status_by_exit_code, 3.x), grouped as this report counts them.
KILLED_CODES = {1, 3, 36, 37, -24, 24, 152, 255, -11, -9}  # failed, pytest error, timeout, type check, crash
SURVIVED_CODES = {0}
NO_TESTS_CODES = {5, 33}
NOT_CHECKED_CODES = {None}

#: The areas of issue #14, by module prefix, in the order they are printed.
AREAS: tuple[tuple[str, str], ...] = (
    ("codes", "scanner_app.codes."),
    ("scanning/wedge", "scanner_app.scanning.wedge"),
    ("workflows (rules)", "scanner_app.workflows."),
    ("outbox", "scanner_app.outbox."),
    ("backends/http*", "scanner_app.backends.http"),
)

EQUIVALENT_NAME = re.compile(r"`(scanner_app\.[^`\s]+__mutmut_\d+)`")


@dataclass
class Tally:
    """The verdicts of one module's (or one area's) mutants."""

    killed: int = 0
    survived: int = 0
    no_tests: int = 0
    not_checked: int = 0
    other: int = 0  # skipped, suspicious, interrupted
    equivalent: int = 0  # survivors reviewed as equivalent (also counted in ``survived``)
    survivors: list[str] = field(default_factory=list)  # not reviewed, or not reached by a test

    @property
    def total(self) -> int:
        return self.killed + self.survived + self.no_tests + self.not_checked + self.other

    @property
    def rate(self) -> float | None:
        """Killed / (mutants - reviewed equivalents), in percent; None when there is nothing to kill."""
        denominator = self.total - self.equivalent
        return None if denominator <= 0 else 100.0 * self.killed / denominator

    def add(self, other: Tally) -> None:
        self.killed += other.killed
        self.survived += other.survived
        self.no_tests += other.no_tests
        self.not_checked += other.not_checked
        self.other += other.other
        self.equivalent += other.equivalent
        self.survivors += other.survivors


def module_name(meta: Path) -> str:
    """``.../mutants/scanner_app/codes/gtin.py.meta`` -> ``scanner_app.codes.gtin``."""
    parts = meta.parts
    relative = "/".join(parts[len(parts) - 1 - parts[::-1].index("mutants") + 1:]).removesuffix(".py.meta")
    return relative.replace("/", ".").removesuffix(".__init__")


EQUIVALENTS_FROM = "### Survivors judged equivalent"
EQUIVALENTS_UNTIL = "#### Survivors left"


def documented_equivalents(doc: Path = DOC) -> set[str]:
    """The mutant names docs/testing.md lists (in backticks) as reviewed equivalents: those
    after its "Survivors judged equivalent" heading and before "Survivors left"."""
    if not doc.exists():
        return set()
    text = doc.read_text(encoding="utf-8")
    section = text.partition(EQUIVALENTS_FROM)[2].partition(EQUIVALENTS_UNTIL)[0]
    return set(EQUIVALENT_NAME.findall(section))


def tally(exit_codes: dict[str, int | None], equivalents: set[str]) -> Tally:
    """Sorts one module's mutants by verdict."""
    result = Tally()
    for name, code in sorted(exit_codes.items()):
        if code in KILLED_CODES:
            result.killed += 1
        elif code in SURVIVED_CODES:
            result.survived += 1
            if name in equivalents:
                result.equivalent += 1
            else:
                result.survivors.append(name)
        elif code in NO_TESTS_CODES:
            result.no_tests += 1
            result.survivors.append(name)
        elif code in NOT_CHECKED_CODES:
            result.not_checked += 1
        else:
            result.other += 1
            result.survivors.append(name)
    return result


def load() -> dict[str, dict[str, int | None]]:
    """Every mutated module's verdicts, by module name (the areas' results, else the root's)."""
    verdicts: dict[str, dict[str, int | None]] = {}
    metas = sorted(AREA_RESULTS.glob("*/mutants/scanner_app/**/*.py.meta"))
    if not metas:
        metas = sorted(ROOT_RESULTS.glob("scanner_app/**/*.py.meta"))
    for meta in metas:
        data = json.loads(meta.read_text(encoding="utf-8"))
        codes = data.get("exit_code_by_key", {})
        if codes:
            verdicts[module_name(meta)] = codes
    return verdicts


def area_of(module: str) -> str:
    for area, prefix in AREAS:
        if module.startswith(prefix):
            return area
    return "other"


def percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate:5.1f}%"


def row(label: str, t: Tally) -> str:
    return (f"{label:<48} {t.total:>7} {t.killed:>7} {t.survived:>8} {t.equivalent:>6} "
            f"{t.no_tests:>8} {t.not_checked + t.other:>6} {percent(t.rate):>7}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--survivors", action="store_true",
                        help="name every mutant that counts against the rate")
    parser.add_argument("--fail-under", type=float, default=None, metavar="PERCENT",
                        help="exit 1 when a module's rate is below PERCENT (or a mutant is unchecked)")
    args = parser.parse_args(argv)

    verdicts = load()
    if not verdicts:
        print("No mutation results in build/mutation/*/mutants/ (or mutants/): run `make mutation` first.")
        return 1
    equivalents = documented_equivalents()

    header = (f"{'module':<48} {'mutants':>7} {'killed':>7} {'survived':>8} {'equiv':>6} "
              f"{'no tests':>8} {'other':>6} {'rate':>7}")
    print("Mutation testing: kill rate = killed / (mutants - reviewed equivalents)")
    print(header)
    print("-" * len(header))
    by_area: dict[str, Tally] = {}
    by_module: dict[str, Tally] = {}
    for module in sorted(verdicts, key=lambda m: ([a for a, _ in AREAS] + ["other"]).index(area_of(m))):
        t = tally(verdicts[module], equivalents)
        by_module[module] = t
        by_area.setdefault(area_of(module), Tally()).add(t)
        print(row(module, t))
    print("-" * len(header))
    overall = Tally()
    for area, t in by_area.items():
        overall.add(t)
        print(row(f"[{area}]", t))
    print(row("[all]", overall))

    seen = {name for codes in verdicts.values() for name in codes}
    survived = {name for codes in verdicts.values() for name, code in codes.items() if code in SURVIVED_CODES}
    stale = sorted(name for name in equivalents if name not in survived)
    if stale:
        print()
        print("Stale entries in docs/testing.md (listed as equivalent, but now killed or gone):")
        for name in stale:
            print(f"  {name}{'' if name in seen else '  (no such mutant)'}")

    if args.survivors and overall.survivors:
        print()
        print("Mutants counted against the rate (`mutmut show NAME` in build/mutation/AREA/ shows the change):")
        for name in overall.survivors:
            print(f"  {name}")

    if args.fail_under is not None:
        low = [m for m, t in by_module.items()
               if t.not_checked or (t.rate is not None and t.rate < args.fail_under)]
        if low:
            print()
            print(f"Below {args.fail_under:g}% (or not all checked): {', '.join(low)}")
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
