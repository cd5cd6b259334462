"""``scanner-app assemble --kit CODE --quantity N --component CODE[=SERIAL_OR_BATCH] ...
[--warehouse W] [--location BIN] [--timeout SECONDS] [--json]``.

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
verdict, accepted, message}]}``. Exit 0 only when the assembly was recorded.
"""

from __future__ import annotations

import argparse
from typing import Any

from scanner_app.commands import EXIT_NOT_DONE, EXIT_OK, EXIT_USAGE, print_json
from scanner_app.commands.delivery_wait import deliver_or_wait


def register(sub: Any) -> None:
    p = sub.add_parser("assemble", help="build kits: scan a kit and its components, record the assembly")
    p.add_argument("--kit", required=True, metavar="CODE", help="any code of the kit (composite item)")
    p.add_argument("--quantity", type=int, default=1, metavar="N", help="kits to build (default 1)")
    p.add_argument("--component", action="append", default=[], metavar="CODE[=SERIAL_OR_BATCH]",
                   help="a component unit (repeat; a GS1 code may carry a count)")
    p.add_argument("--warehouse", metavar="W", help="warehouse id or name (needed when there are several)")
    p.add_argument("--location", metavar="BIN", help="bin id, code or name the components come from")
    p.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for delivery (default 60)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=run)


def split_component(given: str) -> tuple[str, str | None]:
    """``CODE=DETAIL`` -> (CODE, DETAIL); a URL (GS1 Digital Link) is a code of its own."""
    code, sep, detail = given.partition("=")
    if not sep or "://" in code:
        return given, None
    return code, detail


def run(station: Any, args: argparse.Namespace) -> int:
    from scanner_app.outbox import Outbox
    from scanner_app.outbox.for_station import station_target
    from scanner_app.workflows.assembly import AssemblyWorkflow
    from scanner_app.workflows.assembly_answers import AssemblyNotReady
    from scanner_app.workflows.inline_scans import DetailsUnavailable
    from scanner_app.workflows.places import PlaceNotFound

    report: dict[str, Any] = {"kit": None, "quantity": args.quantity, "warehouse_id": None, "bin_id": None,
                              "reference": None, "recorded": False, "progress": None, "problem": None, "note": None,
                              "components": [], "scans": []}
    if args.quantity < 1:
        return _finish(args, report, "--quantity must be at least 1", EXIT_USAGE)
    outbox = Outbox(station.inventory)
    workflow = AssemblyWorkflow(outbox, station_target(station.settings), today=station.today)
    try:
        try:
            _place(station, workflow, args, report)
            if not _scan_all(station, workflow, args, report):
                workflow.cancel()
                _lines(workflow, report)
                return _finish(args, report, report["problem"], EXIT_NOT_DONE)
            workflow.complete()
            _lines(workflow, report)  # the stock as it was when the bench scanned
        except (PlaceNotFound, AssemblyNotReady, DetailsUnavailable) as refused:
            workflow.cancel()
            _lines(workflow, report)
            return _finish(args, report, str(refused), EXIT_NOT_DONE)
        _deliver(station, outbox, workflow, args.timeout)
        progress, reason = workflow.progress
    finally:
        workflow.close()
    report["progress"], report["recorded"] = progress, progress == "recorded"
    problem = None if progress == "recorded" else (reason or f"the assembly is {progress}: not recorded yet")
    return _finish(args, report, problem, EXIT_OK if progress == "recorded" else EXIT_NOT_DONE)


def _place(station: Any, workflow: Any, args: argparse.Namespace, report: dict[str, Any]) -> None:
    from scanner_app.workflows.places import PlaceNotFound, find_bin, find_warehouse

    if args.warehouse:
        warehouse = find_warehouse(station.inventory, args.warehouse)
    else:
        warehouses = station.inventory.warehouses()
        if len(warehouses) != 1:
            names = ", ".join(f"{w.name} ({w.warehouse_id})" for w in warehouses) or "none"
            raise PlaceNotFound(f"choose the warehouse with --warehouse; the inventory has: {names}")
        warehouse = warehouses[0]
    bin_ = find_bin(station.inventory, warehouse.warehouse_id, args.location) if args.location else None
    report["warehouse_id"], report["bin_id"] = warehouse.warehouse_id, bin_.bin_id if bin_ else None
    workflow.choose(warehouse.warehouse_id, bin_.bin_id if bin_ else None, args.quantity)


def _scan_all(station: Any, workflow: Any, args: argparse.Namespace, report: dict[str, Any]) -> bool:
    """Scan the kit and every component; False (with report["problem"]) when any was refused.
    Raises DetailsUnavailable (a Zoho station that cannot ask Zoho, with no copy)."""
    from scanner_app.workflows.assembly_answers import AssemblyAnswer
    from scanner_app.workflows.assembly_scans import detail_needed
    from scanner_app.workflows.inline_scans import InlineScans, to_stderr

    process = InlineScans(station, to_stderr("assemble")).process

    def note(code: str, detail: str | None, answer: Any) -> None:
        report["scans"].append({"code": code, "detail": detail, "verdict": answer.verdict,
                                "accepted": answer.accepted, "message": answer.message})

    started = workflow.handle(process(args.kit, kit=True))  # a Zoho station: the components' details first
    note(args.kit, None, started)
    if started.verdict != "kit_started":
        report["problem"] = f"--kit {args.kit}: {started.message}"
        return False
    kit = workflow.kit
    report["kit"] = {"item_id": kit.item_id, "name": kit.name, "sku": kit.sku}
    report["reference"], report["note"] = workflow.assembly.reference, started.note
    for given in args.component:
        code, detail = split_component(given)
        outcome = process(code)
        item = outcome.result.item
        if detail is not None and outcome.result.kind == "item" and item is not None and not (
                item.track_serial_number or item.track_batch_number):
            answer = AssemblyAnswer("not_tracked", f"{item.name} is not tracked by serial number or batch: "
                                    f"give --component {code} without ={detail}")
        else:
            answer = workflow.handle(outcome)
            if answer.verdict == "component_selected":
                answer = workflow.handle(process(detail)) if detail else detail_needed(answer.line)
        note(code, detail, answer)
    refused = [s for s in report["scans"] if not s["accepted"]]
    if refused:
        report["problem"] = "refused, so nothing was recorded: " + "; ".join(
            f"{s['code']}{'=' + s['detail'] if s['detail'] else ''}: {s['message']}" for s in refused)
        return False
    return True


def _deliver(station: Any, outbox: Any, workflow: Any, timeout: float) -> None:
    """Deliver the assembly now, or wait for the window's relay when it has the outbox."""
    def recording() -> bool:
        workflow.reload()
        return bool(workflow.progress[0] == "recording")

    deliver_or_wait(station, outbox, timeout, recording)
    workflow.reload()


def _lines(workflow: Any, report: dict[str, Any]) -> None:
    report["components"] = [line.to_json() for line in workflow.lines()]


def _finish(args: argparse.Namespace, report: dict[str, Any], problem: str | None, code: int) -> int:
    report["problem"] = problem
    if args.json:
        print_json(report)
        return code
    kit = report["kit"]
    name = kit["name"] if kit else args.kit
    where = report["warehouse_id"] or "?"
    print(f"assemble {report['quantity']} x {name} (warehouse {where}"
          f"{', bin ' + report['bin_id'] if report['bin_id'] else ''}) {report['reference'] or ''}".rstrip())
    for line in report["components"]:
        print(f"  {line['name']}: {line['ticked']:g} of {line['needed']:g} ({line['in_stock']:g} in stock)")
    for scan in report["scans"]:
        if not scan["accepted"]:
            print(f"  refused {scan['code']}: {scan['message']}")
    if report["note"]:
        print(f"note: {report['note']}")
    print("recorded" if report["recorded"] else f"not done: {problem}")
    return code
