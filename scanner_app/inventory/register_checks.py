"""What a serial number in an outside register (Pack.cloud) means at this station: which
catalogue item it is and whether it may be dispatched. Qt-free.

:class:`SerialRegisterChecks` joins a :class:`~scanner_app.inventory.serial_register.SerialRegister`
(network: Pack.cloud) with the embedded store's product links
(:mod:`~scanner_app.inventory.product_links`):

- :meth:`~SerialRegisterChecks.lookup_serial`: which product (so which item), which stock,
  and whether it has shipped;
- :meth:`~SerialRegisterChecks.prevalidate_dispatch`: before a packer's serial is accepted
  for an item, the serial must exist for one of the item's products, be in stock
  (``stock_id`` set) and not have shipped. Each failure has its own :data:`Verdict` and
  message, for the screen and the error sound.

Both make one register call (one page for a unique code). They run on a network thread,
never the UI thread, and raise the register's
:class:`~scanner_app.backends.errors.BackendError` when it cannot answer (offline, token
refused, rate limited): whether to block or queue the dispatch then is the workflow's call.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from scanner_app.inventory.models import Item
from scanner_app.inventory.product_links import ProductLinks
from scanner_app.inventory.serial_register import RegisteredSerial, SerialRegister
from scanner_app.inventory.store import InventoryStore

Verdict = Literal["ok", "item_not_linked", "unknown_serial", "other_product", "not_in_stock", "shipped"]


@dataclass(frozen=True)
class RegisterMatch:
    """One serial the register has under the code, and the item its product is (None
    when the product is not linked to any catalogue item)."""

    serial: RegisteredSerial
    item: Item | None

    def to_json(self) -> dict[str, Any]:
        item = None if self.item is None else {"item_id": self.item.item_id, "name": self.item.name,
                                               "sku": self.item.sku}
        return {**self.serial.to_json(), "item": item}


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
    """Whether a serial may be dispatched as the item; ``message`` says why not."""

    verdict: Verdict
    message: str
    serial: RegisteredSerial | None = None

    @property
    def ok(self) -> bool:
        return self.verdict == "ok"

    def to_json(self) -> dict[str, Any]:
        return {"ok": self.ok, "verdict": self.verdict, "message": self.message,
                "serial": None if self.serial is None else self.serial.to_json()}


class SerialRegisterChecks:
    """Lookup and dispatch pre-validation against ``register`` for the items of ``store``."""

    def __init__(self, register: SerialRegister, store: InventoryStore) -> None:
        self.register = register
        self.store = store
        self.links = ProductLinks(store)

    def lookup_serial(self, code: str) -> SerialLookup:
        """Every serial the register has under ``code``, with the item each one is."""
        serials = self.register.find_serial(code) if code.strip() else []
        matches = tuple(RegisterMatch(s, self.links.item_for(s.product_id)) for s in serials)
        return SerialLookup(code.strip(), self.register.name, matches)

    def prevalidate_dispatch(self, item_id: str, serial_code: str) -> DispatchCheck:
        """May the unit with ``serial_code`` be dispatched as the catalogue item ``item_id``?"""
        code = serial_code.strip()
        item = self.store.get_item(item_id)
        name = repr(item.name) if item is not None else f"item {item_id}"
        products = self.links.products_of(item_id)
        if not products:
            return DispatchCheck("item_not_linked", f"{name} is not linked to a {self.register.name} product, so its "
                                 "serial numbers cannot be checked (import its packcloud_products link)")
        if not code:
            return DispatchCheck("unknown_serial", "no serial number was scanned")
        found = self.register.find_serial(code)
        if not found:
            return DispatchCheck("unknown_serial", f"serial number {code} is not in {self.register.name}")
        own = [s for s in found if s.product_id in products]
        if not own:
            other = found[0]
            linked = self.links.item_for(other.product_id)
            owner = repr(linked.name) if linked is not None else f"{self.register.name} product {other.product_id}"
            return DispatchCheck("other_product", f"serial number {code} belongs to {owner}, not to {name}", other)
        best = min(own, key=lambda s: (s.shipped, not s.in_stock))
        if best.shipped:
            return DispatchCheck("shipped", f"serial number {code} of {name} has already shipped "
                                 f"(fulfilment line {best.fulfillment_line_id})", best)
        if not best.in_stock:
            return DispatchCheck("not_in_stock", f"serial number {code} of {name} is not in stock in "
                                 f"{self.register.name}", best)
        return DispatchCheck("ok", f"serial number {code} of {name} is in stock ({best.stock_id})", best)
