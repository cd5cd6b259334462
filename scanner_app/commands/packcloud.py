"""``scanner-app packcloud serial CODE [--item ITEM] [--json]``: ask Pack.cloud about a
serial number, on purpose (``scanner-app lookup`` answers from the local store only and
never goes to the network).

Without ``--item``: which Pack.cloud product has the serial (and so which catalogue item,
by the imported ``packcloud_products`` links), which stock holds it, whether it has shipped.
Exit 0 when Pack.cloud has it. With ``--item ITEM`` (any code of a catalogue item: SKU,
GTIN, part number, item_id): the dispatch pre-validation (the serial exists for one of the
item's products, is in stock and has not shipped); exit 0 only when the unit may be
dispatched, the message says why not otherwise.

JSON (``--json``): the lookup is ``{code, register, found, matches: [{serial_id, code,
product_id, stock_id, fulfillment_line_id, in_stock, shipped, item: {item_id, name, sku} |
null}]}``; the check is ``{ok, verdict, message, serial}`` plus ``item_id``. Exit 1 as
well when Pack.cloud is not configured or signed in to, refuses the token, or cannot be
reached (said on stderr).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from scanner_app.commands import EXIT_NOT_DONE, EXIT_OK, print_json


def register(sub: Any) -> None:
    p = sub.add_parser("packcloud", help="ask Pack.cloud's serial-number register (network)")
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    s = actions.add_parser("serial", help="a serial's product, item, stock and shipping; or a dispatch check")
    s.add_argument("code", help="the serial number as scanned")
    s.add_argument("--item", metavar="ITEM", help="check the serial may be dispatched as this item (any item code)")
    s.add_argument("--json", action="store_true", help="print JSON")
    s.set_defaults(handler=run, needs_demo=False)


def _fail(message: str) -> int:
    print(f"scanner-app packcloud serial: {message}", file=sys.stderr)
    return EXIT_NOT_DONE


def run(station: Any, args: argparse.Namespace) -> int:
    from scanner_app.backends.errors import BackendError
    from scanner_app.codes import classify

    item_id = None
    if args.item is not None:
        found = station.inventory.lookup(classify(args.item))
        if found.item is None:
            return _fail(f"no item {args.item!r} in the local store ({found.reason or found.status})")
        item_id = found.item.item_id
    try:
        checks = station.serial_register_checks()
        if item_id is not None:
            return _print_check(checks.prevalidate_dispatch(item_id, args.code), item_id, args.json)
        return _print_lookup(checks.lookup_serial(args.code), args.json)
    except BackendError as exc:
        return _fail(str(exc))


def _print_check(check: Any, item_id: str, as_json: bool) -> int:
    if as_json:
        print_json({**check.to_json(), "item_id": item_id})
    else:
        print(f"{'OK' if check.ok else 'REFUSED'}: {check.message}")
    return EXIT_OK if check.ok else EXIT_NOT_DONE


def _print_lookup(answer: Any, as_json: bool) -> int:
    if as_json:
        print_json(answer.to_json())
    elif not answer.found:
        print(f"NOT FOUND: serial number {answer.code} is not in {answer.register}")
    for match in () if as_json else answer.matches:
        serial, item = match.serial, match.item
        what = f"{item.name!r} (item {item.item_id})" if item is not None else "no catalogue item (not linked)"
        state = (f"shipped (fulfilment line {serial.fulfillment_line_id})" if serial.shipped
                 else f"in stock {serial.stock_id}" if serial.in_stock else "not in stock")
        print(f"FOUND: serial number {serial.code}: {answer.register} product {serial.product_id}, {what}; {state}")
    return EXIT_OK if answer.found else EXIT_NOT_DONE
