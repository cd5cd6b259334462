"""``scanner-app jobs [--json]``, ``jobs resume ID [--timeout S] [--json]``, ``jobs cancel ID [--json]``.

Open jobs left by a killed process or a person who walked away (a dispatch, a receipt, an
assembly: :mod:`scanner_app.jobs`). Listing exits 0 (also with none). ``resume`` finishes
the job and exits 0 when it was finished (everything delivered), 1 otherwise; ``cancel``
releases what the job held, says what, and exits 0. An id that is not an open job: exit 1,
with the reason. JSON: the list ``[{id, kind, number, document, warehouse_id, started_at,
holds, how_to_finish}]``; for resume and cancel ``{id, done, message, details}``.
"""

from __future__ import annotations

import argparse
import time
from typing import Any

from scanner_app.cli_format import say
from scanner_app.commands import EXIT_NOT_DONE, EXIT_OK, print_json


def register(sub: Any) -> None:
    p = sub.add_parser("jobs", help="list, resume or cancel unfinished dispatches, receipts and assemblies")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=run_list)
    actions = p.add_subparsers(dest="action", metavar="ACTION")
    resume = actions.add_parser("resume", help="finish an open job")
    resume.add_argument("job_id", metavar="ID", help="the job's id as `scanner-app jobs` lists it")
    resume.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for delivery (default 60)")
    resume.add_argument("--json", action="store_true", help="print JSON")
    resume.set_defaults(handler=run_resume)
    cancel = actions.add_parser("cancel", help="cancel an open job and release what it holds")
    cancel.add_argument("job_id", metavar="ID", help="the job's id as `scanner-app jobs` lists it")
    cancel.add_argument("--json", action="store_true", help="print JSON")
    cancel.set_defaults(handler=run_cancel)


def run_list(station: Any, args: argparse.Namespace) -> int:
    from scanner_app.jobs import open_jobs

    jobs = open_jobs(station)
    if args.json:
        print_json([job.as_json() for job in jobs])
        return EXIT_OK
    if not jobs:
        say("no open jobs")
        return EXIT_OK
    for job in jobs:
        started = time.strftime("%Y-%m-%d %H:%M", time.localtime(job.started_at))
        say(f"{job.job_id}  {job.document}  (warehouse {job.warehouse_id or '?'}, started {started}): "
              f"{job.holds}; resume: {job.how_to_finish}")
    return EXIT_OK


def run_resume(station: Any, args: argparse.Namespace) -> int:
    from scanner_app.jobs import JobNotFound, parse_job_id

    try:
        kind, number = parse_job_id(args.job_id)
        outcome = kind.resume(station, number, timeout=args.timeout)
    except JobNotFound as missing:
        return _report(args, False, str(missing), {}, EXIT_NOT_DONE)
    return _report(args, outcome.exit_code == EXIT_OK, outcome.message, outcome.details, outcome.exit_code)


def run_cancel(station: Any, args: argparse.Namespace) -> int:
    from scanner_app.jobs import JobNotFound, parse_job_id

    try:
        kind, number = parse_job_id(args.job_id)
        outcome = kind.cancel(station, number)
    except JobNotFound as missing:
        return _report(args, False, str(missing), {}, EXIT_NOT_DONE)
    return _report(args, outcome.exit_code == EXIT_OK, outcome.message, outcome.details, outcome.exit_code)


def _report(args: argparse.Namespace, done: bool, message: str, details: dict[str, Any], code: int) -> int:
    if args.json:
        print_json({"id": args.job_id, "done": done, "message": message, "details": details})
    else:
        say(message if done else f"not done: {message}")
    return code
