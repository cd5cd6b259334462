"""``scanner-app``: the window with no arguments, subcommands for scripts and support.

Thin on purpose: parse, call the core, print. Subcommands print JSON with ``--json`` and
exit non-zero when what was asked did not happen (1: not done, e.g. not found or a bad
file; 2: bad usage; 3: the station could not start, e.g. a broken config.toml).
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path
from typing import Any, Sequence

from scanner_app import __version__
from scanner_app.config import ConfigError
from scanner_app.logging_setup import configure_logging
from scanner_app.paths import resolve_paths

log = logging.getLogger(__name__)

EXIT_OK, EXIT_NOT_DONE, EXIT_USAGE, EXIT_STARTUP = 0, 1, 2, 3


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="scanner-app", description="Warehouse scanning station.")
    parser.add_argument("--home", metavar="DIR", help="folder for all state (default: $SCANNER_APP_HOME or the per-user folders)")
    parser.add_argument("--version", action="version", version=f"scanner-app {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("lookup", help="look up a code in the inventory")
    p.add_argument("code", help="the scanned string (GTIN, SKU, serial, batch, bin, GS1 ...)")
    p.add_argument("--json", action="store_true", help="print JSON")

    p = sub.add_parser("import", help="import a catalogue file (Zoho-shaped JSON, or CSV of items)")
    p.add_argument("file", type=Path)
    p.add_argument("--json", action="store_true", help="print JSON")

    p = sub.add_parser("history", help="print the scan history, newest first")
    p.add_argument("--limit", type=int, default=50, help="how many scans (default 50)")
    p.add_argument("--json", action="store_true", help="print JSON")
    return parser


def _print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    paths = resolve_paths(args.home).ensure()
    configure_logging(paths)
    from scanner_app.station import Station

    try:
        station = Station(paths)
    except ConfigError as exc:
        print(f"scanner-app: {exc}", file=sys.stderr)
        return EXIT_STARTUP
    try:
        if args.command is None:
            from scanner_app.ui.app import run_window

            return run_window(station)
        station.install_demo_if_empty()
        handler = {"lookup": _lookup, "import": _import, "history": _history}[args.command]
        return handler(station, args)
    finally:
        station.close()


def _lookup(station: Any, args: argparse.Namespace) -> int:
    from scanner_app.cli_format import format_lookup
    from scanner_app.scanning.scan import Scan, ScanSource

    outcome = station.pipeline.process(Scan(args.code, ScanSource.CLI))
    station.history.record(outcome)
    if args.json:
        _print_json(outcome.result.to_json())
    else:
        print(format_lookup(outcome))
    return EXIT_OK if outcome.result.found else EXIT_NOT_DONE


def _import(station: Any, args: argparse.Namespace) -> int:
    from scanner_app.inventory.importer import ImportFailed, import_file

    try:
        report = import_file(station.inventory, args.file)
    except ImportFailed as exc:
        problems = [str(p) for p in exc.problems]
        if args.json:
            _print_json({"imported": False, "file": str(args.file), "problems": problems})
        else:
            print(f"Nothing imported from {args.file}:", file=sys.stderr)
            for problem in problems:
                print(f"  {problem}", file=sys.stderr)
        return EXIT_NOT_DONE
    except OSError as exc:
        message = f"cannot read {args.file}: {exc.strerror or exc}"
        if args.json:
            _print_json({"imported": False, "file": str(args.file), "problems": [message]})
        else:
            print(message, file=sys.stderr)
        return EXIT_NOT_DONE
    counts = report.to_json() if hasattr(report, "to_json") else vars(report)
    if args.json:
        _print_json({"imported": True, "file": str(args.file), **counts})
    else:
        print(f"Imported {args.file}: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
    return EXIT_OK


def _history(station: Any, args: argparse.Namespace) -> int:
    entries = station.history.recent(args.limit)
    if args.json:
        _print_json([e.to_json() for e in entries])
        return EXIT_OK
    for e in entries:
        detail = e.summary or e.reason or ""
        print(f"{e.scanned_at}  {e.status:<9}  {e.source:<6}  {e.display}  {detail}")
    return EXIT_OK
