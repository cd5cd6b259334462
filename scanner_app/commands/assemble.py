"""``scanner-app assemble --kit CODE --quantity N --component CODE[=SERIAL_OR_BATCH] ...
[--warehouse W] [--location BIN] [--reference REF] [--timeout SECONDS] [--json]``.

The kitting bench from a script: the kit (any of its codes) and each component are
checked like scans (:mod:`scanner_app.workflows.assembly`); a component given N times
ticks N units, a GS1 code ticks the count it carries, ``CODE=SERIAL`` or ``CODE=BATCH``
gives a serial- or batch-tracked unit. W and BIN are an id or a name (a bin also by its
label code); W may be left out when the inventory has one warehouse. When anything is
refused or a component is missing, nothing is recorded (exit 1, each reason said).
Otherwise the assembly goes through the outbox and the command waits for its delivery
(the open window's relay delivers it when it has the outbox).

On a Zoho station every component's details (its record with the stock per place and the
tracking flags, its serial numbers and batches) are fetched from Zoho when due as soon as
the kit is resolved, before the components are listed and checked (the window's code:
:mod:`scanner_app.workflows.inline_scans`); when Zoho cannot be reached the local copy is
used (said on stderr, with its age) or, for a component with none, nothing is checked
(exit 1, the reason said).

JSON: ``{kit, quantity, warehouse_id, bin_id, reference, recorded, progress, problem,
note, components: [{item_id, name, needed, ticked, in_stock, ...}], scans: [{code, detail,
verdict, accepted, message}]}``, ``assembly_id``, ``continued`` (an open assembly this very
command left was taken over) and ``completed_before`` (it was built before: reported, not
built again; :mod:`scanner_app.workflows.assembly_run`). Exit 0 only when the assembly was
recorded.
"""

from __future__ import annotations

import argparse
from typing import Any

from scanner_app.cli_format import say
from scanner_app.commands import print_json


def register(sub: Any) -> None:
    p = sub.add_parser("assemble", help="build kits: scan a kit and its components, record the assembly")
    p.add_argument("--kit", required=True, metavar="CODE", help="any code of the kit (composite item)")
    p.add_argument("--quantity", type=int, default=1, metavar="N", help="kits to build (default 1)")
    p.add_argument("--component", action="append", default=[], metavar="CODE[=SERIAL_OR_BATCH]",
                   help="a component unit (repeat; a GS1 code may carry a count)")
    p.add_argument("--warehouse", metavar="W", help="warehouse id or name (needed when there are several)")
    p.add_argument("--location", metavar="BIN", help="bin id, code or name the components come from")
    p.add_argument("--reference", metavar="REF",
                   help="your reference for this build (a work order): run again with it, the command continues "
                        "or reports the same build, never builds it twice")
    p.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for delivery (default 60)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=run)


def run(station: Any, args: argparse.Namespace) -> int:
    from scanner_app.workflows.assembly_run import AssemblyPlan, run_assembly

    plan = AssemblyPlan(args.kit, args.quantity, tuple(args.component), args.warehouse, args.location,
                        args.reference)
    code, report = run_assembly(station, plan, args.timeout)
    return print_report(report, code, as_json=args.json, kit_code=args.kit)


def print_report(report: dict[str, Any], code: int, *, as_json: bool, kit_code: str) -> int:
    """Print an assembly run's report (JSON, or the components and refusals) and return ``code``."""
    if as_json:
        print_json(report)
        return code
    problem = report["problem"]
    kit = report["kit"]
    name = kit["name"] if kit else kit_code
    where = report["warehouse_id"] or "?"
    say(f"assemble {report['quantity']} x {name} (warehouse {where}"
          f"{', bin ' + report['bin_id'] if report['bin_id'] else ''}) {report['reference'] or ''}".rstrip())
    if report.get("continued"):
        say(f"  continued the open assembly-{report['assembly_id']} left by an earlier run")
    if report.get("completed_before"):
        say(f"  already completed before (assembly-{report['assembly_id']}): reported as it is, not built again")
    for line in report["components"]:
        say(f"  {line['name']}: {line['ticked']:g} of {line['needed']:g} ({line['in_stock']:g} in stock)")
    for scan in report["scans"]:
        if not scan["accepted"]:
            say(f"  refused {scan['code']}: {scan['message']}")
    if report["note"]:
        say(f"note: {report['note']}")
    say("recorded" if report["recorded"] else f"not done: {problem}")
    return code
