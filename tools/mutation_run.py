"""Run mutmut on each area of ``[tool.scanner_app.mutation]`` (pyproject.toml), one by one.

An area is a set of files to mutate and the tests that state their behaviour. Each runs in
its own folder, ``build/mutation/AREA/``: links to ``scanner_app/``, ``tests/`` and
``resources/``, and a ``pyproject.toml`` that is the repository's with ``[tool.mutmut]``'s
``only_mutate`` and test selection narrowed to the area (the ``--ignore`` list is kept).
mutmut then works there as usual (``mutants/``, its caches), so ``mutmut show NAME`` and
``mutmut run NAME`` work from that folder, and ``tools/mutation_report.py`` reads every
area's results.

Why areas: mutmut runs, for each mutant, the tests that called the mutated function. A
code-reading function is called by every workflow and outbox test on the way to its own
rules, so with one shared test list a surviving ``codes/`` mutant would run ~360 tests.

Usage: ``python tools/mutation_run.py [--keep | --survivors] [AREA ...]`` from the
repository root (all areas when none is named). Without an option each area starts
afresh. ``--keep``: mutmut keeps the verdicts of mutants whose function has not changed
(it does not notice new tests). ``--survivors``: only the mutants that survived, or that
no test reached, in the area's last run are tested again (with the tests as they are now:
the way to check new tests written to kill them).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
import tomllib
from pathlib import Path
from typing import Any

import tomli_w

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "build" / "mutation"
LINKED = ("scanner_app", "tests", "resources")


def load_pyproject() -> dict[str, Any]:
    with open(ROOT / "pyproject.toml", "rb") as f:
        return tomllib.load(f)


def areas(pyproject: dict[str, Any]) -> dict[str, dict[str, list[str]]]:
    """``{area: {"mutate": [...], "tests": [...]}}`` in the order pyproject.toml lists them."""
    return pyproject["tool"]["scanner_app"]["mutation"]


def area_pyproject(pyproject: dict[str, Any], area: dict[str, list[str]]) -> dict[str, Any]:
    """The repository's pyproject.toml with ``[tool.mutmut]`` narrowed to ``area``."""
    narrowed = dict(pyproject)
    narrowed["tool"] = dict(pyproject["tool"])
    mutmut = dict(pyproject["tool"]["mutmut"])
    ignores = [arg for arg in mutmut["pytest_add_cli_args_test_selection"] if arg.startswith("--ignore")]
    mutmut["only_mutate"] = list(area["mutate"])
    mutmut["pytest_add_cli_args_test_selection"] = list(area["tests"]) + ignores
    narrowed["tool"]["mutmut"] = mutmut
    return narrowed


def prepare(name: str, pyproject: dict[str, Any], area: dict[str, list[str]], keep: bool) -> Path:
    """The area's folder, with its links and pyproject.toml; its old results gone unless ``keep``."""
    folder = BUILD / name
    if not keep and (folder / "mutants").exists():
        shutil.rmtree(folder / "mutants")
    folder.mkdir(parents=True, exist_ok=True)
    for linked in LINKED:
        link = folder / linked
        if not link.is_symlink():
            link.symlink_to(Path(os.path.relpath(ROOT / linked, folder)))
    (folder / "pyproject.toml").write_text(tomli_w.dumps(area_pyproject(pyproject, area)), encoding="utf-8")
    return folder


def survivors(folder: Path) -> list[str]:
    """The mutants that survived, that no test reached or that were not tested, in ``folder``."""
    names = []
    for meta in sorted((folder / "mutants").glob("scanner_app/**/*.py.meta")):
        codes = json.loads(meta.read_text(encoding="utf-8")).get("exit_code_by_key", {})
        names += [name for name, code in codes.items() if code in (None, 0, 5, 33)]
    return names


def run(name: str, folder: Path, max_children: int, mutants: list[str] | None = None) -> int:
    """``mutmut run`` in ``folder`` (all mutants, or ``mutants``); its output goes to
    ``mutants/run.log`` there."""
    (folder / "mutants").mkdir(exist_ok=True)
    mutmut = Path(sys.executable).with_name("mutmut")
    env = {**os.environ, "HYPOTHESIS_PROFILE": "ci", "QT_QPA_PLATFORM": "offscreen"}
    started = time.monotonic()
    with open(folder / "mutants" / "run.log", "w", encoding="utf-8") as log:
        done = subprocess.run([str(mutmut), "run", "--max-children", str(max_children), *(mutants or [])],
                              cwd=folder, env=env, stdout=log, stderr=subprocess.STDOUT, check=False)
    minutes = (time.monotonic() - started) / 60
    print(f"mutation: {name}: {minutes:.1f} min (mutmut's output: {(folder / 'mutants' / 'run.log').relative_to(ROOT)})",
          flush=True)
    if done.returncode != 0:
        lines = (folder / "mutants" / "run.log").read_text(encoding="utf-8", errors="replace")
        print(lines.replace("\r", "\n")[-4000:], file=sys.stderr)
    return done.returncode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("areas", nargs="*", help="areas to run (default: all)")
    again = parser.add_mutually_exclusive_group()
    again.add_argument("--keep", action="store_true", help="keep earlier verdicts of unchanged functions")
    again.add_argument("--survivors", action="store_true",
                       help="test again only the last run's survivors (and mutants no test reached)")
    parser.add_argument("--max-children", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args(argv)

    pyproject = load_pyproject()
    known = areas(pyproject)
    unknown = [name for name in args.areas if name not in known]
    if unknown:
        parser.error(f"unknown area(s) {', '.join(unknown)}; known: {', '.join(known)}")
    failed = 0
    started = time.monotonic()
    for name in args.areas or list(known):
        folder = prepare(name, pyproject, known[name], args.keep or args.survivors)
        if args.survivors:
            names = survivors(folder)
            if not names:
                print(f"mutation: {name}: no survivors to test again", flush=True)
                continue
            failed += run(name, folder, args.max_children, names) != 0
        else:
            failed += run(name, folder, args.max_children) != 0
    print(f"mutation: all areas: {(time.monotonic() - started) / 60:.1f} min", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
