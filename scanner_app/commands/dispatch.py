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
"""

from __future__ import annotations

import argparse
from typing import Any

from scanner_app.commands import EXIT_NOT_DONE, EXIT_OK, EXIT_USAGE, print_json
from scanner_app.commands.delivery_wait import deliver_or_wait


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
    from scanner_app.outbox import Outbox
    from scanner_app.outbox.for_station import dispatch_target
    from scanner_app.workflows.dispatch import DispatchWorkflow
    from scanner_app.workflows.dispatch_answers import DispatchNotReady
    from scanner_app.workflows.dispatch_register import register_rule
    from scanner_app.workflows.inline_scans import DetailsUnavailable, InlineScans, to_stderr
    from scanner_app.workflows.places import PlaceNotFound, find_bin, find_warehouse

    report: dict[str, Any] = {"document": {"entity_type": args.entity_type, "entity_id": args.entity_id},
                              "warehouse_id": None, "all_mapped": False, "problem": None, "serials": []}
    outbox = Outbox(station.inventory)
    workflow = DispatchWorkflow(outbox, dispatch_target(station.settings), register=register_rule(station))
    scans = InlineScans(station, to_stderr("dispatch"))

    def scan(code: str) -> Any:
        answer = workflow.handle(scans.process(code))  # a Zoho station's item: its details first
        if answer.pending is not None:  # a serial register's check: asked here, in line
            answer = workflow.settle(workflow.ask(answer.pending))
        return answer

    try:
        warehouse = find_warehouse(station.inventory, args.warehouse)
        report["warehouse_id"] = warehouse.warehouse_id
        workflow.start(args.entity_type, args.entity_id, warehouse.warehouse_id)
        if args.location:
            workflow.select_bin(find_bin(station.inventory, warehouse.warehouse_id, args.location))
        chosen = scan(args.item)
        if chosen.verdict != "item_selected":
            workflow.cancel()
            return _finish(args, report, f"--item {args.item}: {chosen.message}", EXIT_USAGE)
        answers = [(number, scan(number)) for number in args.serial]
        report["serials"] = [{"serialnumber": n, "item_id": a.serial.item_id if a.serial else None,
                              "bin_id": a.serial.bin_id if a.serial else None, "state": "refused",
                              "reason": None if a.accepted else a.message, "verdict": a.verdict,
                              "message": a.message} for n, a in answers]
        if not all(a.accepted for _, a in answers):
            workflow.cancel()
            return _finish(args, report, "some serial numbers were refused: nothing was recorded", EXIT_NOT_DONE)
        workflow.complete()
    except (PlaceNotFound, DispatchNotReady, DetailsUnavailable) as refused:
        workflow.cancel()
        return _finish(args, report, str(refused), EXIT_NOT_DONE)
    if workflow.target is None:  # recorded in the station only: nothing to deliver
        return _done(args, report, workflow)

    deliver_or_wait(station, outbox, args.timeout, lambda: any(s.state == "validating" for s in _refreshed(workflow)))
    return _done(args, report, workflow)


def _done(args: argparse.Namespace, report: dict[str, Any], workflow: Any) -> int:
    serials = _refreshed(workflow)
    workflow.close()
    for line, serial in zip(report["serials"], serials):
        line.update({"state": serial.state, "reason": serial.reason, "bin_id": serial.bin_id})
    report["all_mapped"] = all(s.state in ("mapped", "recorded") for s in serials)
    left = None if report["all_mapped"] else "not every serial number was mapped"
    return _finish(args, report, left, EXIT_OK if report["all_mapped"] else EXIT_NOT_DONE)


def _refreshed(workflow: Any) -> list[Any]:
    """The serials with their entries' current states (read again from the outbox)."""
    workflow.reload()
    return list(workflow.serials())


def _finish(args: argparse.Namespace, report: dict[str, Any], problem: str | None, code: int) -> int:
    report["problem"] = problem
    if args.json:
        print_json(report)
        return code
    doc = report["document"]
    print(f"dispatch {doc['entity_type']} {doc['entity_id']} (warehouse {report['warehouse_id'] or '?'})")
    for line in report["serials"]:
        why = f": {line['reason']}" if line["reason"] else ""
        print(f"  {line['serialnumber']}: {line['state']}{why}")
    if problem:
        print(f"not done: {problem}")
    return code
