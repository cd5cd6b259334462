"""``scanner-app``: the window with no arguments, subcommands for scripts and support.

Thin on purpose: parse, call the core, print. Subcommands live in ``scanner_app/commands``
(one module each), print JSON with ``--json`` and exit non-zero when what was asked did
not happen (1: not done, e.g. not found or a bad file; 2: bad usage; 3: the station
could not start, e.g. a broken config.toml; 4: the environment failed during the work;
5: an unexpected error; see ``scanner_app/commands/__init__.py``).

:func:`main` is the CLI's one error boundary: whatever escapes the start or a command is
said in words on stderr (:func:`scanner_app.faults.explain`: what happened, what to do),
with its exit code, and logged with its traceback to the log file. A traceback reaches
the terminal only with ``--debug`` (which also logs at DEBUG, on stderr too).
"""

from __future__ import annotations

import argparse
import logging
import multiprocessing
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

from scanner_app import __version__
from scanner_app.cli_format import say
from scanner_app.commands import (
    EXIT_FAULT,
    EXIT_NOT_DONE,
    EXIT_STARTUP,
    EXIT_UNEXPECTED,
    EXIT_USAGE,
    configure,
    decode,
    import_catalogue,
    login,
    lookup,
    packcloud,
    sync,
)
from scanner_app.commands import assemble as assemble_command
from scanner_app.commands import dispatch as dispatch_command
from scanner_app.commands import history as history_command
from scanner_app.commands import jobs as jobs_command
from scanner_app.commands import outbox as outbox_command
from scanner_app.commands import receive as receive_command
from scanner_app.logging_setup import (
    configure_logging,
    file_level_from,
    log_file_in_use,
    logging_ready,
    set_file_level,
)
from scanner_app.paths import resolve_paths

log = logging.getLogger(__name__)

COMMANDS: list[ModuleType] = [lookup, import_catalogue, sync, history_command, decode, configure, login, packcloud,
                             dispatch_command, receive_command, assemble_command, outbox_command, jobs_command]
# Commands that must not install the demo catalogue before they run (e.g. ones that fill
# the store from elsewhere) set ``needs_demo=False`` with ``set_defaults``.


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="scanner-app", description="Warehouse scanning station.")
    parser.add_argument("--home", metavar="DIR",
                        help="folder for all state (default: $SCANNER_APP_HOME or the per-user folders)")
    parser.add_argument("--version", action="version", version=f"scanner-app {__version__}")
    parser.add_argument("--debug", action="store_true",
                        help="log at DEBUG (file and stderr) and show tracebacks, for support")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in COMMANDS:
        module.register(sub)
    return parser


def undecodable_argument(argv: Sequence[str], args: argparse.Namespace) -> str | None:
    """The first command-line argument that is not valid UTF-8 text (Python hands such bytes
    over as lone surrogates), with its option and its bytes visible; None when all are. A
    command whose argument is a scan (``lookup CODE``) names it in ``scanned_argument``: the
    scan path decodes that one with replacement, like a scanner's bytes."""
    scanned = getattr(args, getattr(args, "scanned_argument", "") or "", None)
    for index, text in enumerate(argv):
        if text == scanned or not any("\ud800" <= char <= "\udfff" for char in text):
            continue
        shown = text.encode("utf-8", "surrogateescape").decode("ascii", "backslashreplace")
        before = argv[index - 1] if index else ""
        option = f"{before} " if before.startswith("-") and "=" not in before else ""
        return f"{option}'{shown}' is not valid UTF-8 text; nothing was done"
    return None


def main(argv: Sequence[str] | None = None) -> int:
    multiprocessing.freeze_support()  # the zbar decoder's worker process, in a frozen build
    argv = list(sys.argv[1:] if argv is None else argv)
    args = build_parser().parse_args(argv)
    undecodable = undecodable_argument(argv, args)
    if undecodable is not None:
        say(f"scanner-app: {undecodable}", file=sys.stderr)
        return EXIT_USAGE
    debug = bool(args.debug)
    data_dir: Path | None = None
    try:
        paths = resolve_paths(args.home)
        data_dir = paths.data_dir
        paths.ensure()
        configure_logging(paths, file_level=file_level_from(debug=debug), debug=debug)
        if args.command is None:
            from scanner_app.ui.app import run_station_window

            return run_station_window(paths, debug=debug)
        from scanner_app.station import Station

        station = Station(paths)
    except Exception as exc:  # noqa: BLE001 (the boundary: everything is said in words)
        return report_failure(exc, EXIT_STARTUP, data_dir, debug)
    except KeyboardInterrupt:
        return _interrupted()
    if not debug:
        set_file_level(file_level_from(configured=station.settings.logging.level))
    try:
        if getattr(args, "needs_demo", True):
            station.install_demo_if_empty()
        return int(args.handler(station, args))
    except Exception as exc:  # noqa: BLE001 (the boundary: everything is said in words)
        return report_failure(exc, EXIT_FAULT, paths.data_dir, debug)
    except KeyboardInterrupt:
        return _interrupted()
    finally:
        try:
            station.close()
        except Exception:
            log.warning("closing the station failed", exc_info=True)


def report_failure(exc: BaseException, fault_code: int, data_dir: Path | None, debug: bool) -> int:
    """Say ``exc`` in words on stderr and return its exit code: ``fault_code`` for an
    environmental fault (3 at the start, 4 during the work), 1 for a backend's refusal
    that escaped a command, 5 for anything else (a bug). The traceback goes to the log
    file, and to stderr with ``--debug`` only."""
    from scanner_app.backends.errors import BackendError
    from scanner_app.faults import explain

    if isinstance(exc, BackendError):
        words, code = str(exc), EXIT_NOT_DONE
    else:
        words, environmental = explain(exc, data_dir, log_file_in_use())
        code = fault_code if environmental else EXIT_UNEXPECTED
    if logging_ready():
        log.error("%s", words, exc_info=exc, extra={"stderr": False})
    say(f"scanner-app: {words}", file=sys.stderr)
    if debug:
        traceback.print_exception(exc, file=sys.stderr)
    return code


def _interrupted() -> int:
    print("scanner-app: interrupted", file=sys.stderr)
    return 130
