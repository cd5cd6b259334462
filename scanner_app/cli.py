"""``scanner-app``: the window with no arguments, subcommands for scripts and support.

Thin on purpose: parse, call the core, print. Subcommands live in ``scanner_app/commands``
(one module each), print JSON with ``--json`` and exit non-zero when what was asked did
not happen (1: not done, e.g. not found or a bad file; 2: bad usage; 3: the station
could not start, e.g. a broken config.toml).
"""

from __future__ import annotations

import argparse
import logging
import multiprocessing
import sys
from types import ModuleType
from typing import Sequence

from scanner_app import __version__
from scanner_app.commands import EXIT_STARTUP
from scanner_app.commands import assemble as assemble_command
from scanner_app.commands import history as history_command
from scanner_app.commands import configure, decode, import_catalogue, login, lookup, packcloud, sync
from scanner_app.commands import dispatch as dispatch_command
from scanner_app.commands import jobs as jobs_command
from scanner_app.commands import outbox as outbox_command
from scanner_app.commands import receive as receive_command
from scanner_app.config import ConfigError
from scanner_app.logging_setup import configure_logging
from scanner_app.paths import resolve_paths

log = logging.getLogger(__name__)

COMMANDS: list[ModuleType] = [lookup, import_catalogue, sync, history_command, decode, configure, login, packcloud,
                             dispatch_command, receive_command, assemble_command, outbox_command, jobs_command]
# Commands that must not install the demo catalogue before they run (e.g. ones that fill
# the store from elsewhere) set ``needs_demo=False`` with ``set_defaults``.


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="scanner-app", description="Warehouse scanning station.")
    parser.add_argument("--home", metavar="DIR", help="folder for all state (default: $SCANNER_APP_HOME or the per-user folders)")
    parser.add_argument("--version", action="version", version=f"scanner-app {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in COMMANDS:
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    multiprocessing.freeze_support()  # the zbar decoder's worker process, in a frozen build
    args = build_parser().parse_args(argv)
    paths = resolve_paths(args.home).ensure()
    configure_logging(paths)
    if args.command is None:
        from scanner_app.ui.app import run_station_window

        return run_station_window(paths)
    from scanner_app.station import Station

    try:
        station = Station(paths)
    except ConfigError as exc:
        print(f"scanner-app: {exc}", file=sys.stderr)
        return EXIT_STARTUP
    try:
        if getattr(args, "needs_demo", True):
            station.install_demo_if_empty()
        return int(args.handler(station, args))
    finally:
        station.close()
