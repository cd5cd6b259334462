"""``scanner-app sync [--full] [--json]``: the Zoho Inventory catalogue into the local store.

Incremental (what changed since the last successful sync) unless this is the first sync,
``--full`` is given or the last full sync is older than ``[sync] full_sync_hours``.
Progress goes to stderr (one line per page; rewritten in place on a terminal); the
summary to stdout, or JSON with ``--json`` (``synced, kind, cancelled, pages, received,
imported{...}, removed, skipped[{section, id, label, reasons}], started_at, finished_at,
items_in_store``; on failure ``{synced: false, error, sign_in_again}``). Records the store
could not take are listed on stderr and do not make the sync fail. Exit 1 when the sync did
not happen: not configured or signed in, sign-in refused ("sign in again"), Zoho unreachable, or stopped (Ctrl-C).
"""

from __future__ import annotations

import argparse
import logging
import sys
from typing import Any

from scanner_app.cli_format import say
from scanner_app.commands import EXIT_NOT_DONE, EXIT_OK, print_json

log = logging.getLogger(__name__)
MAX_LISTED_SKIPPED = 20


def register(sub: Any) -> None:
    p = sub.add_parser("sync", help="sync the catalogue from Zoho Inventory into the local store")
    p.add_argument("--full", action="store_true", help="fetch every item (and drop those deleted in Zoho)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=run, needs_demo=False)


class _ProgressLine:
    def __init__(self) -> None:
        self.in_place = sys.stderr.isatty()

    def show(self, progress: Any) -> None:
        total = f" of about {progress.expected}" if progress.expected else ""
        text = f"sync ({progress.kind}): {progress.phase}, page {progress.pages}, {progress.records}{total} records"
        if progress.skipped:
            text += f", {progress.skipped} left out"
        sys.stderr.write(f"\r{text}\x1b[K" if self.in_place else text + "\n")
        sys.stderr.flush()

    def end(self) -> None:
        if self.in_place:
            sys.stderr.write("\n")


def run(station: Any, args: argparse.Namespace) -> int:
    from scanner_app.backends.errors import BackendError
    from scanner_app.sync import CatalogueSync
    from scanner_app.sync.wording import explain_sync_error, needs_sign_in

    line = _ProgressLine()
    try:
        sync = CatalogueSync(station.inventory, station.zoho.get(), station.settings.sync)
        sync.progress.connect(line.show)
        report = sync.run(full=args.full)
    except BackendError as exc:
        line.end()
        log.info("sync failed: %s", exc)
        say(f"scanner-app sync: {explain_sync_error(exc)}", file=sys.stderr)
        if args.json:
            print_json({"synced": False, "error": explain_sync_error(exc), "sign_in_again": needs_sign_in(exc)})
        return EXIT_NOT_DONE
    except KeyboardInterrupt:
        line.end()
        say("scanner-app sync: stopped; pages already written stay, the next sync starts from the last "
            "successful one", file=sys.stderr)
        return EXIT_NOT_DONE
    line.end()
    log.info("%s", report.summary())
    for skipped in report.skipped:
        log.info("sync left out %s", skipped.describe())
    if args.json:
        print_json({"synced": not report.cancelled, **report.to_json(),
                    "items_in_store": station.inventory.count_items()})
    else:
        say(report.summary() + f"; {station.inventory.count_items()} items in the local store")
    for skipped in report.skipped[:MAX_LISTED_SKIPPED]:
        say(f"  left out: {skipped.describe()}", file=sys.stderr)
    if len(report.skipped) > MAX_LISTED_SKIPPED:
        say(f"  ... and {len(report.skipped) - MAX_LISTED_SKIPPED} more (all in the log)", file=sys.stderr)
    return EXIT_NOT_DONE if report.cancelled else EXIT_OK
