"""Check, quickly, whether some tests kill some mutants of an area's last mutation run.

While writing a test against a survivor, re-running mutmut is slow (it runs every selected
test that reaches the function, and records verdicts). This runs just the named test files
against each named mutant, in the area's ``build/mutation/AREA/mutants/`` copy (the tests are
copied there first, so new test files are seen), and prints ``killed`` or ``SURVIVED`` per
mutant. Nothing is recorded: the verdicts that count are mutmut's, from
``tools/mutation_run.py --survivors AREA`` afterwards.

Usage (from the repository root)::

    .venv/bin/python tools/mutant_check.py workflows \\
        --test tests/workflows/test_dispatch_register_mutants.py \\
        'scanner_app.workflows.dispatch_register.xǁRegisterSerialRuleǁquery__mutmut_8' ...
    .venv/bin/python tools/mutant_check.py workflows --survivors-of dispatch_register \\
        --test tests/workflows/test_dispatch_register_mutants.py

``--survivors-of MODULE`` takes every mutant of ``scanner_app.<area's package>.MODULE`` that
the last run left alive (survived, no test, not checked). The tests are first run with no
mutant: they must pass on the real code, or no verdict means anything.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

from mutation_run import BUILD, survivors  # noqa: E402


def copy_changed_tests(source: Path, target: Path) -> None:
    """Copy the test files that are new or changed since the last copy (several checks may
    run side by side: an unchanged file is never rewritten under another one's feet)."""
    for path in source.rglob("*.py"):
        copy = target / path.relative_to(source)
        if copy.exists() and copy.read_bytes() == path.read_bytes():
            continue
        copy.parent.mkdir(parents=True, exist_ok=True)
        staged = copy.with_name(f".{copy.name}.{os.getpid()}")
        shutil.copy2(path, staged)
        staged.replace(copy)


def pytest_run(mutants: Path, tests: list[str], mutant: str) -> int:
    """Exit code of the tests run against ``mutant`` (``""``: the real code)."""
    env = {**os.environ, "HYPOTHESIS_PROFILE": "ci", "QT_QPA_PLATFORM": "offscreen", "MUTANT_UNDER_TEST": mutant}
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", "-p", "no:pytest-qt", *tests],
        cwd=mutants, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False,
    )
    return done.returncode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("area")
    parser.add_argument("names", nargs="*", help="mutant names, as mutmut prints them")
    parser.add_argument("--test", dest="tests", action="append", required=True,
                        help="a test file, relative to the repository (repeat for more)")
    parser.add_argument("--survivors-of", metavar="MODULE", help="every live mutant of this module (e.g. dispatch_register)")
    args = parser.parse_intermixed_args(argv)

    folder = BUILD / args.area
    mutants = folder / "mutants"
    if not mutants.is_dir():
        parser.error(f"no mutation run for {args.area!r} yet: run tools/mutation_run.py {args.area} first")
    names = list(args.names)
    if args.survivors_of:
        names += [name for name in survivors(folder) if name.split(".")[2] == args.survivors_of]
    if not names:
        parser.error("no mutants named")
    copy_changed_tests(ROOT / "tests", mutants / "tests")

    if pytest_run(mutants, args.tests, "") != 0:
        print("the tests fail on the real code: fix them first", file=sys.stderr)
        return 2
    alive = 0
    for name in names:
        killed = pytest_run(mutants, args.tests, name) != 0
        alive += not killed
        print(f"{'killed  ' if killed else 'SURVIVED'} {name}", flush=True)
    print(f"{len(names) - alive} of {len(names)} killed")
    return 1 if alive else 0


if __name__ == "__main__":
    sys.exit(main())
