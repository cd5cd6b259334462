"""``scanner-app dispatch --entity-type T --entity-id ID --warehouse W [--location BIN]
--item CODE --serial S [--serial S ...] [--timeout SECONDS] [--json]``.

The window's dispatch workflow from a script: the item (any of its codes) and each serial
are checked like scans (:mod:`scanner_app.workflows.dispatch`); W and BIN are an id or a
name (a bin also by its label code). When any serial is refused, or one has no bin,
nothing is recorded (exit 1). Otherwise the mappings go through the outbox and the command
waits for their delivery (the open window's relay delivers them when it has the outbox).
On a Zoho station the item's details (its record, serial numbers and batches) are fetched
from Zoho when due, right after --item is resolved and before any serial is checked (the
window's code: :mod:`scanner_app.workflows.inline_scans`), so a serial only Zoho knew of
yet, or one it shipped since, gets its true answer; when Zoho cannot be reached the local
copy is used, said on stderr with its age, or, with no copy, nothing is checked (exit 1,
the reason said). On a Pack.cloud station each serial is checked in Pack.cloud (its
product, in stock, not shipped, its stock mapped to the warehouse) instead of the local
serial table, and the completed dispatch is recorded in the station only (state
``recorded``: Pack.cloud's API cannot be written to). JSON: ``{document, warehouse_id, all_mapped, problem, serials:
[{serialnumber, item_id, bin_id, state, reason, verdict, message}]}``. Exit 0 only when
every serial was mapped (or recorded, on a Pack.cloud station).

Run again after a kill (or simply again), the same command finishes what it started, once
(:mod:`scanner_app.workflows.dispatch_run`): it continues the document's open dispatch, and
reports the serials an earlier run already dispatched with their state instead of mapping
them again. JSON also has ``dispatch_id``, ``continued`` (an open dispatch was taken over),
``completed_before`` (the earlier dispatches' numbers) and, per serial, ``dispatch_id``;
verdicts ``already_scanned`` and ``already_dispatched`` say which serials came from before.
"""

from __future__ import annotations

import argparse
from typing import Any

from scanner_app.cli_format import say
from scanner_app.commands import print_json


def register(sub: Any) -> None:
    p = sub.add_parser("dispatch", help="validate serial numbers and map them to an outgoing document")
    p.add_argument("--entity-type", required=True, help="salesorder, package, invoice, transfer_order, ...")
    p.add_argument("--entity-id", required=True, help="the document's id or number")
    p.add_argument("--warehouse", required=True, metavar="W", help="warehouse id or name")
    p.add_argument("--location", metavar="BIN", help="bin id, code or name the serials are picked from")
    p.add_argument("--item", required=True, metavar="CODE", help="any code of the item (SKU, GTIN, part number)")
    p.add_argument("--serial", action="append", required=True, metavar="S", help="a serial number (repeat)")
    p.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for delivery (default 60)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=run)


def run(station: Any, args: argparse.Namespace) -> int:
    from scanner_app.workflows.dispatch_run import DispatchPlan, run_dispatch

    plan = DispatchPlan(args.entity_type.strip(), args.entity_id.strip(), args.warehouse, args.item,
                        tuple(args.serial), args.location)
    code, report = run_dispatch(station, plan, args.timeout)
    return print_report(report, code, as_json=args.json)


def print_report(report: dict[str, Any], code: int, *, as_json: bool) -> int:
    """Print a dispatch run's report (JSON, or a line per serial) and return ``code``."""
    if as_json:
        print_json(report)
        return code
    doc = report["document"]
    say(f"dispatch {doc['entity_type']} {doc['entity_id']} (warehouse {report['warehouse_id'] or '?'})")
    if report.get("continued"):
        say(f"  continued the open dispatch-{report['dispatch_id']} left by an earlier run")
    if report.get("completed_before"):
        which = ", ".join(f"dispatch-{n}" for n in report["completed_before"])
        say(f"  already dispatched before ({which}): those serial numbers are reported as they are, "
              "not mapped again")
    for line in report["serials"]:
        why = f": {line['reason']}" if line["reason"] else ""
        say(f"  {line['serialnumber']}: {line['state']}{why}")
    if report["problem"]:
        say(f"not done: {report['problem']}")
    return code
