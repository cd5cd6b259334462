"""What a serial number in an outside register (Pack.cloud) means at this station: which
catalogue item it is, which of our warehouses holds it, and whether it may be dispatched.
Qt-free.

:class:`SerialRegisterChecks` joins a :class:`~scanner_app.inventory.serial_register.SerialRegister`
(network: Pack.cloud) with the embedded store's product links
(:mod:`~scanner_app.inventory.product_links`) and the station's stock mapping (Pack.cloud
stock id -> warehouse id, ``[packcloud] stock_warehouses``):

- :meth:`~SerialRegisterChecks.lookup_serial`: which product (so which item), which stock
  (so which warehouse, when mapped), and whether it has shipped (:func:`register_lookup_result`
  puts it on the Lookup card);
- :meth:`~SerialRegisterChecks.prevalidate_dispatch`: before a packer's serial is accepted
  for an item, the serial must exist for one of the item's products, be in stock
  (``stock_id`` set), not have shipped (``fulfillment_line_id`` null) and, when the
  dispatch's warehouse is given, be in a stock mapped to that warehouse. A stock with no
  mapping is said so (``stock_not_mapped``), never guessed. Each failure has its own
  :data:`Verdict` and message, for the screen and the error sound.

The network call is one :meth:`SerialRegister.find_serial` (one page for a unique code);
the rest is local reads. A caller that must not wait on the network (the window) splits
the two: :meth:`~SerialRegisterChecks.before_asking` and :meth:`~SerialRegisterChecks.judge`
on its own thread, ``register.find_serial`` on a network thread. The register's
:class:`~scanner_app.backends.errors.BackendError` (offline, token refused, rate limited)
is raised to the caller: whether to block the dispatch then is the workflow's call.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from scanner_app.inventory.models import Item, LookupResult, SerialNumber
from scanner_app.inventory.product_links import ProductLinks
from scanner_app.inventory.serial_register import RegisteredSerial, SerialRegister
from scanner_app.inventory.store import InventoryStore

Verdict = Literal["ok", "item_not_linked", "unknown_serial", "other_product", "not_in_stock", "shipped",
                  "other_warehouse", "stock_not_mapped", "ambiguous"]
MAP_STOCK_HELP = "scanner-app packcloud stock {stock} --warehouse W"


@dataclass(frozen=True)
class RegisterMatch:
    """One serial the register has under the code, the item its product is (None when the
    product is not linked) and the warehouse its stock is (None when not mapped or no stock)."""

    serial: RegisteredSerial
    item: Item | None
    warehouse_id: str | None = None

    def to_json(self) -> dict[str, Any]:
        item = None if self.item is None else {"item_id": self.item.item_id, "name": self.item.name,
                                               "sku": self.item.sku}
        return {**self.serial.to_json(), "item": item, "warehouse_id": self.warehouse_id}


@dataclass(frozen=True)
class SerialLookup:
    """The register's answer for a scanned serial: every serial with that code."""

    code: str
    register: str
    matches: tuple[RegisterMatch, ...]

    @property
    def found(self) -> bool:
        return bool(self.matches)

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code, "register": self.register, "found": self.found,
                "matches": [m.to_json() for m in self.matches]}


@dataclass(frozen=True)
class DispatchCheck:
    """Whether a serial may be dispatched as an item; ``message`` says why not. ``item_id``
    is the item the serial was judged for (the one found, when none was scanned)."""

    verdict: Verdict
    message: str
    serial: RegisteredSerial | None = None
    item_id: str | None = None

    @property
    def ok(self) -> bool:
        return self.verdict == "ok"

    def to_json(self) -> dict[str, Any]:
        return {"ok": self.ok, "verdict": self.verdict, "message": self.message, "item_id": self.item_id,
                "serial": None if self.serial is None else self.serial.to_json()}


class SerialRegisterChecks:
    """Lookup and dispatch pre-validation against ``register`` for the items of ``store``;
    ``stocks`` maps the register's stock ids to the store's warehouse ids."""

    def __init__(self, register: SerialRegister, store: InventoryStore,
                 stocks: Mapping[str, str] | None = None) -> None:
        self.register = register
        self.store = store
        self.links = ProductLinks(store)
        self.stocks = dict(stocks or {})

    def warehouse_of(self, serial: RegisteredSerial) -> str | None:
        return None if serial.stock_id is None else self.stocks.get(serial.stock_id)

    def lookup_serial(self, code: str) -> SerialLookup:
        """Every serial the register has under ``code``, with its item and warehouse (network)."""
        return self.describe(code, self.register.find_serial(code) if code.strip() else [])

    def describe(self, code: str, serials: list[RegisteredSerial]) -> SerialLookup:
        """The register's serials for ``code`` with their items and warehouses (local reads)."""
        matches = tuple(RegisterMatch(s, self.links.item_for(s.product_id), self.warehouse_of(s)) for s in serials)
        return SerialLookup(code.strip(), self.register.name, matches)

    def prevalidate_dispatch(self, item_id: str | None, serial_code: str,
                             warehouse_id: str | None = None) -> DispatchCheck:
        """May the unit with ``serial_code`` be dispatched as ``item_id`` (None: as the item
        its product is linked to) from ``warehouse_id`` (None: any)? One register call at most."""
        refused = self.before_asking(item_id, serial_code)
        if refused is not None:
            return refused
        return self.judge(item_id, serial_code, self.register.find_serial(serial_code.strip()), warehouse_id)

    def before_asking(self, item_id: str | None, serial_code: str) -> DispatchCheck | None:
        """A refusal that needs no register call (nothing scanned, item not linked), or None."""
        if item_id is not None and not self.links.products_of(item_id):
            return DispatchCheck("item_not_linked", f"{self._name(item_id)} is not linked to a {self.register.name} "
                                 "product, so its serial numbers cannot be checked (import its packcloud_products "
                                 "link)", item_id=item_id)
        if not serial_code.strip():
            return DispatchCheck("unknown_serial", "no serial number was scanned", item_id=item_id)
        return None

    def judge(self, item_id: str | None, serial_code: str, found: list[RegisteredSerial],
              warehouse_id: str | None = None) -> DispatchCheck:
        """The verdict on the register's answer ``found`` for ``serial_code`` (local reads only)."""
        code, register = serial_code.strip(), self.register.name
        if not found:
            return DispatchCheck("unknown_serial", f"serial number {code} is not in {register}", item_id=item_id)
        if item_id is None:
            items = sorted({i for i in (self.links.item_id_for(s.product_id) for s in found) if i is not None})
            if not items:
                return DispatchCheck("other_product", f"serial number {code} is {register} product "
                                     f"{found[0].product_id}, which is not linked to a catalogue item", found[0])
            if len(items) > 1:
                names = ", ".join(self._name(i) for i in items)
                return DispatchCheck("ambiguous", f"serial number {code} is a unit of several items ({names}): "
                                     "scan the item first")
            item_id = items[0]
        name, products = self._name(item_id), self.links.products_of(item_id)
        own = [s for s in found if s.product_id in products]
        if not own:
            other = found[0]
            linked = self.links.item_for(other.product_id)
            owner = repr(linked.name) if linked is not None else f"{register} product {other.product_id}"
            return DispatchCheck("other_product", f"serial number {code} belongs to {owner}, not to {name}",
                                 other, item_id)
        best = min(own, key=lambda s: (s.shipped, not s.in_stock, warehouse_id is not None
                                       and self.warehouse_of(s) != warehouse_id))
        if best.shipped:
            return DispatchCheck("shipped", f"serial number {code} of {name} has already shipped "
                                 f"(fulfilment line {best.fulfillment_line_id})", best, item_id)
        if not best.in_stock:
            return DispatchCheck("not_in_stock", f"serial number {code} of {name} is not in stock in {register}",
                                 best, item_id)
        if warehouse_id is not None:
            held_in = self.warehouse_of(best)
            if held_in is None:
                return DispatchCheck("stock_not_mapped", f"serial number {code} of {name} is in {register} stock "
                                     f"{best.stock_id}, which is not mapped to a warehouse of this station, so "
                                     f"whether it is in this warehouse is unknown: map it with "
                                     + MAP_STOCK_HELP.format(stock=best.stock_id), best, item_id)
            if held_in != warehouse_id:
                return DispatchCheck("other_warehouse", f"serial number {code} of {name} is in "
                                     f"{self._warehouse_name(held_in)} ({register} stock {best.stock_id}), not in "
                                     f"{self._warehouse_name(warehouse_id)}", best, item_id)
        where = f"{best.stock_id}" if warehouse_id is None else f"{self._warehouse_name(warehouse_id)}, " \
                f"{register} stock {best.stock_id}"
        return DispatchCheck("ok", f"serial number {code} of {name} is in stock ({where})", best, item_id)

    def _name(self, item_id: str) -> str:
        item = self.store.get_item(item_id)
        return repr(item.name) if item is not None else f"item {item_id}"

    def _warehouse_name(self, warehouse_id: str) -> str:
        names = {w.warehouse_id: w.name for w in self.store.warehouses()}
        return names.get(warehouse_id, f"warehouse {warehouse_id}")


def register_lookup_result(answer: SerialLookup, warehouse_names: Mapping[str, str]) -> LookupResult:
    """The register's answer as the Lookup card's :class:`LookupResult`: the unit's item,
    whether it shipped, which warehouse holds it (or that its stock is not mapped)."""
    register = answer.register
    if not answer.found:
        return LookupResult("not_found", reason=f"{answer.code} is not in the local store, nor in {register}")
    match = min(answer.matches, key=lambda m: (m.item is None, m.serial.shipped, not m.serial.in_stock))
    s = match.serial
    if s.stock_id is None:
        where = "no stock"
    elif match.warehouse_id is None:
        where = f"{register} stock {s.stock_id} (not mapped to a warehouse)"
    else:
        where = f"{warehouse_names.get(match.warehouse_id, match.warehouse_id)} ({register} stock {s.stock_id})"
    status = "active" if s.in_stock or s.shipped else "not in stock"
    notes = [f"From {register}: product {s.product_id}"
             + (f", shipped with fulfilment line {s.fulfillment_line_id}" if s.shipped else "")]
    if match.item is None:
        notes.append(f"{register} product {s.product_id} is not linked to a catalogue item")
    if len(answer.matches) > 1:
        notes.append(f"{len(answer.matches)} units in {register} have this code")
    serial = SerialNumber(f"{register}:{s.serial_id}", s.code, match.item.item_id if match.item else "",
                          status=status, is_transacted_out=s.shipped, warehouse_id=match.warehouse_id,
                          warehouse_name=where)
    return LookupResult("found", "serial", item=match.item, serial=serial, notes=tuple(notes))
