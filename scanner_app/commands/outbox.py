"""``scanner-app outbox``: what is waiting to reach the inventory system, and what to do about it.

- ``outbox [--all] [--json]``: counts by state and the entries not delivered yet (``--all``:
  every entry). JSON: ``{counts: {state: n}, entries: [entry]}``.
- ``outbox retry ID [--json]``: try a failed or parked entry again (or a waiting one now).
- ``outbox discard ID --reason TEXT [--json]``: give up on an entry; the reason is recorded.
- ``outbox flush [--timeout S] [--json]``: deliver now and wait up to S seconds (default
  60); when the station window is open its relay delivers, and this waits for it. JSON:
  ``{left: [entry], relay: {state, reason, until}}``. Exit 1 when anything is left
  (pending, failed or parked), e.g. offline, "sign in again", or entries for a person.

Exit 1 also for an unknown entry or an action its state does not allow.
"""

from __future__ import annotations

import argparse
import time
from typing import Any

from scanner_app.cli_format import say
from scanner_app.commands import EXIT_NOT_DONE, EXIT_OK, EXIT_USAGE, print_json
from scanner_app.history.actions import record_discard


def register(sub: Any) -> None:
    p = sub.add_parser("outbox", help="list, retry, discard or flush the writes waiting for the inventory system")
    p.add_argument("--all", action="store_true", help="list delivered and discarded entries too")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=run, needs_demo=False, outbox_action="list")
    actions = p.add_subparsers(dest="outbox_action", metavar="ACTION")
    retry = actions.add_parser("retry", help="try an entry again")
    retry.add_argument("entry_id", type=int, metavar="ID")
    discard = actions.add_parser("discard", help="give up on an entry (the reason is recorded)")
    discard.add_argument("entry_id", type=int, metavar="ID")
    discard.add_argument("--reason", required=True, help="why it is discarded")
    flush = actions.add_parser("flush", help="deliver now and wait; exit 1 if anything is left")
    flush.add_argument("--timeout", type=float, default=60.0, metavar="S", help="seconds to wait (default 60)")
    for action in (retry, discard, flush):  # --json after the action too; SUPPRESS keeps one given before it
        action.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help="print JSON")


def run(station: Any, args: argparse.Namespace) -> int:
    from scanner_app.outbox import Outbox, OutboxError

    outbox = Outbox(station.inventory)
    try:
        if args.outbox_action == "retry":
            return _print_entry(args, outbox.retry(args.entry_id), "will be tried again")
        if args.outbox_action == "discard":
            if not args.reason.strip():
                say("scanner-app outbox discard: --reason must say why")
                return EXIT_USAGE
            entry = outbox.discard(args.entry_id, args.reason)
            record_discard(station.history, entry, args.reason)
            return _print_entry(args, entry, "discarded")
    except OutboxError as refused:
        if args.json:
            print_json({"done": False, "error": str(refused)})
        else:
            say(f"scanner-app outbox: {refused}")
        return EXIT_NOT_DONE
    if args.outbox_action == "flush":
        return _flush(station, outbox, args)
    return _list(outbox, args)


def _list(outbox: Any, args: argparse.Namespace) -> int:
    from scanner_app.outbox.entries import OPEN_STATES

    counts = outbox.counts()
    entries = outbox.entries() if args.all else outbox.entries(states=OPEN_STATES)
    if args.json:
        print_json({"counts": counts, "entries": [e.to_json() for e in entries]})
        return EXIT_OK
    say(", ".join(f"{state} {n}" for state, n in counts.items()))
    for entry in entries:
        say(_line(entry))
    return EXIT_OK


def _flush(station: Any, outbox: Any, args: argparse.Namespace) -> int:
    from scanner_app.outbox import RelayBusy
    from scanner_app.outbox.entries import OPEN_STATES
    from scanner_app.outbox.for_station import station_relay
    from scanner_app.outbox.ledger import RelayLedger

    relay = station_relay(station, outbox)
    status: dict[str, Any] = {"state": "stopped", "reason": "", "until": None}
    try:
        relay.start()
        left = relay.flush(args.timeout)
        status = {"state": relay.status.state, "reason": relay.status.reason, "until": relay.status.until}
    except RelayBusy as busy:  # the window delivers: wait for it to finish what it can
        status = {"state": "elsewhere", "reason": str(busy), "until": None}
        ledger, deadline = RelayLedger(outbox, relay.target), time.monotonic() + args.timeout
        while ledger.deliverable_count() and time.monotonic() < deadline:
            time.sleep(0.2)
        left = outbox.entries(states=OPEN_STATES)
    finally:
        relay.stop()
    if args.json:
        print_json({"left": [e.to_json() for e in left], "relay": status})
    else:
        for entry in left:
            say(_line(entry))
        summary = f"{len(left)} {'entry' if len(left) == 1 else 'entries'} left" if left else "everything was delivered"
        why = f" ({status['reason']})" if left and status["reason"] else ""
        say(summary + why)
    return EXIT_NOT_DONE if left else EXIT_OK


def _print_entry(args: argparse.Namespace, entry: Any, what: str) -> int:
    if args.json:
        print_json({"done": True, "entry": entry.to_json()})
    else:
        say(f"outbox entry {entry.entry_id} {what}")
    return EXIT_OK


def _line(entry: Any) -> str:
    """One entry for a person: id, state, what, for which document, and why it waits."""
    problem = entry.vendor_message or entry.last_error
    tail = f"  {problem}" if problem and entry.state != "delivered" else ""
    tries = f" ({entry.attempts} tries)" if entry.attempts else ""
    return f"{entry.entry_id:>6}  {entry.state:<9}  {entry.kind}  {entry.document}{tries}{tail}"
