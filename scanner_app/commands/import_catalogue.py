"""``scanner-app import FILE [--json]``: one transaction per file, all or nothing."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from scanner_app.cli_format import say
from scanner_app.commands import EXIT_NOT_DONE, EXIT_OK, print_json


def register(sub: Any) -> None:
    p = sub.add_parser("import", help="import a catalogue file (Zoho-shaped JSON, or CSV of items)")
    p.add_argument("file", type=Path)
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=run)


def _fail(args: argparse.Namespace, problems: list[str], headline: str) -> int:
    if args.json:
        print_json({"imported": False, "file": str(args.file), "problems": problems})
    else:
        say(headline, file=sys.stderr)
        for problem in problems:
            say(f"  {problem}", file=sys.stderr)
    return EXIT_NOT_DONE


def run(station: Any, args: argparse.Namespace) -> int:
    from scanner_app.inventory.importer import ImportFailed, import_file

    try:
        report = import_file(station.inventory, args.file)
    except ImportFailed as exc:
        return _fail(args, [str(p) for p in exc.problems], f"Nothing imported from {args.file}:")
    except OSError as exc:
        return _fail(args, [f"cannot read {args.file}: {exc.strerror or exc}"], f"Nothing imported from {args.file}:")
    counts = report.to_json()
    if args.json:
        print_json({"imported": True, "file": str(args.file), **counts})
    else:
        say(f"Imported {args.file}: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
    return EXIT_OK
