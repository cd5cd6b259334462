"""``scanner-app packcloud serial CODE [--item ITEM [--warehouse W]] [--json]``: ask
Pack.cloud about a serial number, on purpose (``scanner-app lookup`` answers from the local
store only and never goes to the network). ``scanner-app packcloud stock STOCK_ID
--warehouse W`` (or ``--remove``) and ``scanner-app packcloud stocks [--json]``: which of
this station's warehouses each Pack.cloud stock is (``[packcloud] stock_warehouses``).

Without ``--item``: which Pack.cloud product has the serial (and so which catalogue item,
by the imported ``packcloud_products`` links), which stock holds it, whether it has shipped.
Exit 0 when Pack.cloud has it. With ``--item ITEM`` (any code of a catalogue item: SKU,
GTIN, part number, item_id): the dispatch pre-validation (the serial exists for one of the
item's products, is in stock and has not shipped); exit 0 only when the unit may be
dispatched, the message says why not otherwise; with ``--warehouse W`` (id or name) it must
also be in a stock mapped to W, as in a dispatch from W.

JSON (``--json``): the lookup is ``{code, register, found, matches: [{serial_id, code,
product_id, stock_id, fulfillment_line_id, in_stock, shipped, item: {item_id, name, sku} |
null, warehouse_id}]}``; the check is ``{ok, verdict, message, item_id, serial}``. Exit 1
as well when Pack.cloud is not configured or signed in to, refuses the token, or cannot be
reached (said on stderr).

Pack.cloud's stock ids are not the catalogue's warehouse ids and the REST doc offers no
way to read a stock's warehouse, so the mapping is kept in config.toml and set here; a
stock without one is reported as unmapped, never guessed.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from scanner_app.cli_format import say
from scanner_app.commands import EXIT_NOT_DONE, EXIT_OK, print_json


def register(sub: Any) -> None:
    p = sub.add_parser("packcloud", help="ask Pack.cloud's serial-number register (network)")
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    s = actions.add_parser("serial", help="a serial's product, item, stock and shipping; or a dispatch check")
    s.add_argument("code", help="the serial number as scanned")
    s.add_argument("--item", metavar="ITEM", help="check the serial may be dispatched as this item (any item code)")
    s.add_argument("--warehouse", metavar="W", help="with --item: the dispatch's warehouse (id or name)")
    s.add_argument("--json", action="store_true", help="print JSON")
    s.set_defaults(handler=run, needs_demo=False)
    m = actions.add_parser("stock", help="map a Pack.cloud stock to one of this station's warehouses")
    m.add_argument("stock_id", metavar="STOCK_ID", help="the stock's id in Pack.cloud (stock_id of its serials)")
    target = m.add_mutually_exclusive_group(required=True)
    target.add_argument("--warehouse", metavar="W", help="the warehouse (id or name) that stock is")
    target.add_argument("--remove", action="store_true", help="forget the stock's mapping")
    m.set_defaults(handler=run_stock, needs_demo=False)
    ls = actions.add_parser("stocks", help="list the Pack.cloud stock mapping")
    ls.add_argument("--json", action="store_true", help="print JSON")
    ls.set_defaults(handler=run_stocks, needs_demo=False)


def _fail(message: str) -> int:
    say(f"scanner-app packcloud: {message}", file=sys.stderr)
    return EXIT_NOT_DONE


def run(station: Any, args: argparse.Namespace) -> int:
    from scanner_app.backends.errors import BackendError
    from scanner_app.codes import classify
    from scanner_app.workflows.places import PlaceNotFound, find_warehouse

    item_id = warehouse_id = None
    if args.warehouse is not None:
        if args.item is None:
            return _fail("--warehouse goes with --item (the dispatch check)")
        try:
            warehouse_id = find_warehouse(station.inventory, args.warehouse).warehouse_id
        except PlaceNotFound as exc:
            return _fail(str(exc))
    if args.item is not None:
        found = station.inventory.lookup(classify(args.item), today=station.today().isoformat())
        if found.item is None:
            return _fail(f"no item {args.item!r} in the local store ({found.reason or found.status})")
        item_id = found.item.item_id
    try:
        checks = station.serial_register_checks()
        if item_id is not None:
            return _print_check(checks.prevalidate_dispatch(item_id, args.code, warehouse_id), args.json)
        names = {w.warehouse_id: w.name for w in station.inventory.warehouses()}
        return _print_lookup(checks.lookup_serial(args.code), names, args.json)
    except BackendError as exc:
        return _fail(str(exc))


def run_stock(station: Any, args: argparse.Namespace) -> int:
    import dataclasses

    from scanner_app.config import ConfigError
    from scanner_app.workflows.places import PlaceNotFound, find_warehouse

    stock_id = args.stock_id.strip()
    stocks = station.settings.packcloud.stock_map()
    if args.remove:
        if stocks.pop(stock_id, None) is None:
            return _fail(f"stock {stock_id} is not mapped")
    else:
        try:
            warehouse = find_warehouse(station.inventory, args.warehouse)
        except PlaceNotFound as exc:
            return _fail(f"{exc} (import the catalogue's warehouses first)")
        stocks[stock_id] = warehouse.warehouse_id
    packcloud = dataclasses.replace(station.settings.packcloud,
                                    stock_warehouses=tuple(f"{k}={v}" for k, v in sorted(stocks.items())))
    try:
        station.update_settings(dataclasses.replace(station.settings, packcloud=packcloud))
    except ConfigError as exc:
        return _fail(f"{exc} (nothing written)")
    say(f"Pack.cloud stock {stock_id}: " + ("no longer mapped" if args.remove else
                                               f"warehouse {warehouse.name} ({warehouse.warehouse_id})"))
    return EXIT_OK


def run_stocks(station: Any, args: argparse.Namespace) -> int:
    names = {w.warehouse_id: w.name for w in station.inventory.warehouses()}
    stocks = station.settings.packcloud.stock_map()
    rows = [{"stock_id": s, "warehouse_id": w, "warehouse_name": names.get(w)} for s, w in sorted(stocks.items())]
    if args.json:
        print_json({"stocks": rows})
        return EXIT_OK
    if not rows:
        say("No Pack.cloud stock is mapped: map each with scanner-app packcloud stock STOCK_ID --warehouse W")
    for row in rows:
        name = row["warehouse_name"] or "not in the local store"
        say(f"{row['stock_id']} -> {row['warehouse_id']} ({name})")
    return EXIT_OK


def _print_check(check: Any, as_json: bool) -> int:
    if as_json:
        print_json(check.to_json())
    else:
        say(f"{'OK' if check.ok else 'REFUSED'}: {check.message}")
    return EXIT_OK if check.ok else EXIT_NOT_DONE


def _print_lookup(answer: Any, warehouse_names: dict[str, str], as_json: bool) -> int:
    if as_json:
        print_json(answer.to_json())
    elif not answer.found:
        say(f"NOT FOUND: serial number {answer.code} is not in {answer.register}")
    for match in () if as_json else answer.matches:
        serial, item = match.serial, match.item
        what = f"{item.name!r} (item {item.item_id})" if item is not None else "no catalogue item (not linked)"
        held = (f"warehouse {warehouse_names.get(match.warehouse_id, match.warehouse_id)}" if match.warehouse_id
                else "stock not mapped to a warehouse")
        state = (f"shipped (fulfilment line {serial.fulfillment_line_id})" if serial.shipped
                 else f"in stock {serial.stock_id} ({held})" if serial.in_stock else "not in stock")
        say(f"FOUND: serial number {serial.code}: {answer.register} product {serial.product_id}, {what}; {state}")
    return EXIT_OK if answer.found else EXIT_NOT_DONE
