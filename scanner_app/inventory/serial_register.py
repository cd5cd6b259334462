"""A serial-number register kept outside the station (Pack.cloud), as the core sees it.

:class:`RegisteredSerial` is the small model every transport maps its answers to, and
:class:`SerialRegister` the calls the station makes. The workflows (lookup, dispatch
pre-validation: :mod:`scanner_app.inventory.register_checks`) depend only on these, so
the REST transport (``backends/packcloud/client.py``) can be replaced by a GraphQL one
without touching them. No Qt, no HTTP here.

A register knows *products* (its own ids), not catalogue items: the embedded store's
product links (:mod:`scanner_app.inventory.product_links`) say which item a product is.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol


@dataclass(frozen=True)
class RegisteredSerial:
    """One serial number in the register.

    ``stock_id`` is the stock (warehouse stock) holding the unit, None when none does;
    ``fulfillment_line_id`` is the fulfilment line that shipped it, None while unshipped.
    """

    serial_id: str
    code: str
    product_id: str
    stock_id: str | None = None
    fulfillment_line_id: str | None = None

    @property
    def shipped(self) -> bool:
        return self.fulfillment_line_id is not None

    @property
    def in_stock(self) -> bool:
        return self.stock_id is not None

    def to_json(self) -> dict[str, Any]:
        return {
            "serial_id": self.serial_id, "code": self.code, "product_id": self.product_id,
            "stock_id": self.stock_id, "fulfillment_line_id": self.fulfillment_line_id,
            "in_stock": self.in_stock, "shipped": self.shipped,
        }


class SerialRegister(Protocol):
    """The calls the station makes on a serial-number register.

    Every call may raise a :class:`~scanner_app.backends.errors.BackendError` (offline,
    signed out, rate limited ...); callers decide what that means for their workflow.
    """

    name: str  # for messages: "Pack.cloud"

    def find_serial(self, code: str) -> list[RegisteredSerial]:
        """Every serial whose code is ``code`` (surrounding spaces ignored; otherwise as
        the register matches codes); empty when the register has none. More than one
        when several products share the code."""
        ...

    def serials_for_product(self, product_id: str, *, stock_id: str | None = None) -> list[RegisteredSerial]:
        """Every serial of a product (optionally: only those in one stock)."""
        ...

    def serials_in_stock(self, stock_id: str) -> list[RegisteredSerial]:
        """Every serial held by one stock."""
        ...
