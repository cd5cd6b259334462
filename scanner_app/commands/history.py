"""``scanner-app history [--json] [--limit N]``: the scan history, newest first."""

from __future__ import annotations

import argparse
from typing import Any

from scanner_app.cli_format import say
from scanner_app.commands import EXIT_OK, print_json


def register(sub: Any) -> None:
    p = sub.add_parser("history", help="print the scan history, newest first")
    p.add_argument("--limit", type=int, default=50, help="how many scans (default 50)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=run)


def run(station: Any, args: argparse.Namespace) -> int:
    entries = station.history.recent(args.limit)
    if args.json:
        print_json([e.to_json() for e in entries])
        return EXIT_OK
    for e in entries:
        detail = e.summary or e.reason or ""
        say(f"{e.scanned_at}  {e.status:<9}  {e.source:<6}  {e.display}  {detail}")
    return EXIT_OK
