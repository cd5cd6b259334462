"""``scanner-app receive``: the receive workflow from a script.

- ``receive --item CODE --batch B [--manufacturer-batch MB] [--manufactured DATE]
  [--expiry DATE] [--quantity N] [--gs1 RAW]``: one batch line (a GS1 label alone, or with
  --item of the same item, fills every field; options given win over the label);
- ``receive --item CODE --serial S [--serial S ...]``: new serial numbers of an item;
- ``receive --from FILE.csv``: a supplier's advance shipping notice (header
  ``item,batch,manufacturer_batch,manufactured,expiry,quantity,serial``).

Common: ``--warehouse W`` and ``--bin BIN`` (id or name, a bin also by its code; default:
the station's remembered ones), ``--reference REF`` (purchase order or receive number),
``--accept-expiring`` (take batches that expired or expire within [receiving]
expiry_warning_days; without it they are refused), ``--timeout S``, ``--json``.

Every line is checked (the same rules as the window) before anything is recorded: a bad
row or a refused line refuses the whole file, with the row number, and records nothing
(exit 1). Otherwise the lines go through the outbox and the command waits for them to be
assigned (the open window's relay delivers them when it holds the outbox). JSON: ``{receipt,
run, note, all_assigned, problem, lines: [{row, item, item_id, kind, batch_number,
serialnumber, quantity, expiry_date, state, reason, batch_id, verdict, message}]}``. Exit 0
only when every line was assigned.

Run again, the same command finds its receipt (:mod:`scanner_app.workflows.receiving_run`):
the same ``--reference``, or without one the same place and rows. ``run`` says what
happened: ``new``; ``continued`` (a killed run's open receipt: only the rows not recorded
yet are recorded); ``already_completed`` (nothing received again, its lines reported and
waited for). The same reference with other lines or another place is refused (exit 1)
naming the receipt; so is a receipt another live process is working on.

On a Zoho station each item's details (its record with the tracking flags, its serial
numbers and batches) are fetched from Zoho when due before its lines are checked; when
Zoho cannot be reached the local copy is used (said on stderr, with its age) or, for an
item with none, its lines are refused (verdict ``details_unavailable``; see
:mod:`scanner_app.sync.details_on_demand`).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from scanner_app.cli_format import say
from scanner_app.commands import EXIT_NOT_DONE, EXIT_OK, EXIT_USAGE, print_json


def register(sub: Any) -> None:
    p = sub.add_parser("receive", help="receive goods: batches found or created, new serial numbers",
                       description="Receive goods into a warehouse and bin. The whole input is checked first: "
                                   "any bad row or refused line refuses it all and records nothing.")
    p.add_argument("--item", metavar="CODE", help="any code of the item (SKU, GTIN, part number)")
    p.add_argument("--batch", metavar="B", help="the batch number")
    p.add_argument("--manufacturer-batch", metavar="MB", help="the manufacturer's batch number")
    p.add_argument("--manufactured", metavar="DATE", help="manufactured date, YYYY-MM-DD")
    p.add_argument("--expiry", metavar="DATE", help="expiry date, YYYY-MM-DD")
    p.add_argument("--quantity", metavar="N", help="quantity received (default 1, or the label's count)")
    p.add_argument("--gs1", metavar="RAW", help="a GS1 label's data (AIs 01, 10, 11, 17, 21, 30/37); "
                   "group separators as ASCII 29, or the (AI) form")
    p.add_argument("--serial", action="append", metavar="S", help="a new serial number (repeat for each unit)")
    p.add_argument("--from", dest="from_file", metavar="FILE.csv", type=Path,
                   help="an advance shipping notice: item,batch,manufacturer_batch,manufactured,expiry,quantity,serial")
    p.add_argument("--warehouse", metavar="W", help="warehouse id or name (default: the station's last one)")
    p.add_argument("--bin", metavar="BIN", help="receiving bin id, code or name (default: the station's last one)")
    p.add_argument("--reference", metavar="REF", help="purchase order or receive number")
    p.add_argument("--accept-expiring", action="store_true",
                   help="take batches that expired or expire within [receiving] expiry_warning_days")
    p.add_argument("--timeout", type=float, default=60.0, metavar="S", help="seconds to wait for the worker (60)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=run)


def run(station: Any, args: argparse.Namespace) -> int:
    from scanner_app.workflows.receiving_run import ReceiveRun, UsageProblem, all_assigned

    try:
        job = ReceiveRun(station, args)
    except UsageProblem as problem:
        return _finish(args, {"receipt": None, "run": None, "note": None, "all_assigned": False, "lines": []},
                       str(problem), EXIT_USAGE)
    try:
        report = job.check_and_record()
        if report["problem"] is not None:
            return _finish(args, report, report["problem"], EXIT_NOT_DONE)
        job.wait(args.timeout)
        report = job.report()
    finally:
        job.close()
    report["all_assigned"] = all_assigned(report)
    left = None if report["all_assigned"] else "not every line was assigned"
    return _finish(args, report, left, EXIT_OK if report["all_assigned"] else EXIT_NOT_DONE)


def _finish(args: argparse.Namespace, report: dict[str, Any], problem: str | None, code: int) -> int:
    report["problem"] = problem
    if args.json:
        print_json(report)
        return code
    receipt = report.get("receipt")
    if receipt:
        ref = f" {receipt['reference']}" if receipt.get("reference") else ""
        where = receipt["warehouse_id"] + (f" / bin {receipt['bin_id']}" if receipt.get("bin_id") else "")
        say(f"receipt {receipt['id']}{ref} into {where}")
    if report.get("note"):
        say(report["note"])
    for line in report["lines"]:
        what = f"batch {line['batch_number']}" if line["kind"] == "batch" else f"serial {line['serialnumber']}"
        detail = line["reason"] or line["message"] or ""
        batch = f" ({line['batch_id']})" if line.get("batch_id") else ""
        place = f"row {line['row']}: " if line.get("row") else ""
        say(f"  {place}{line['item']} {what} x{line['quantity']:g}: {line['state']}{batch}"
              + (f": {detail}" if detail and line["state"] != "assigned" else ""))
    if problem:
        say(f"not done: {problem}")
    return code
