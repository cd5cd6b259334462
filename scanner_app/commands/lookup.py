"""``scanner-app lookup CODE [--json]``: exit 0 only when the code was found."""

from __future__ import annotations

import argparse
from typing import Any

from scanner_app.cli_format import say
from scanner_app.commands import EXIT_NOT_DONE, EXIT_OK, print_json


def register(sub: Any) -> None:
    p = sub.add_parser("lookup", help="look up a code in the inventory")
    p.add_argument("code", help="the scanned string (GTIN, SKU, serial, batch, bin, GS1 ...)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=run, scanned_argument="code")  # a scan: bytes decoded with replacement


def run(station: Any, args: argparse.Namespace) -> int:
    from scanner_app.cli_format import format_lookup
    from scanner_app.scanning.scan import Scan, ScanSource

    outcome = station.pipeline.process(Scan(args.code, ScanSource.CLI))
    station.history.record(outcome)
    if args.json:
        print_json(outcome.result.to_json())
    else:
        say(format_lookup(outcome))
    return EXIT_OK if outcome.result.found else EXIT_NOT_DONE
