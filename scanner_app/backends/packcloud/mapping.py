"""Pack.cloud's serial-number JSON mapped to the core's
:class:`~scanner_app.inventory.serial_register.RegisteredSerial`, in this one place.

What the vendor doc (shared/seeds/packcloud-serial-numbers.txt) says of a list answer
(``GET /v1/organizations/{id}/serial-numbers``), and all it says: the body has the serial
numbers' fields (``id``, ``product_id``, ``stock_id`` string|null, ``fulfillment_line_id``
string|null, ``code``, ``created_at``, ``updated_at``) and the paging fields ``prev``
(string|null, link to the previous page), ``next`` (string|null, link to the next page) and
``per_page`` (integer, item count per page, e.g. 25)::

    {<array>: [{"id": "...", "product_id": "...", "stock_id": "..." | null,
                "fulfillment_line_id": "..." | null, "code": "ABC123-XYZ456-789QWE",
                "created_at": "...", "updated_at": "..."}, ...],
     "prev": "<url>" | null, "next": "<url>" | null, "per_page": 25}

The doc never names the array's key (its renderer drops the names of object-valued
fields: the products page shows "Cost price of product" with no field name either), so
the serial numbers are read from *the one array* in the answer, whatever its key; no key is
guessed. An answer without ``next``, with a ``per_page`` that is not a positive integer,
with more records than ``per_page``, with no array or with several, is
:class:`UnexpectedResponse`, as is a record missing ``id``, ``product_id`` or ``code``: a
changed API is reported, never half-read (a missing ``next`` read as "last page" would
silently drop serial numbers). Ids are taken as text (a JSON number becomes its digits);
an empty ``stock_id`` or ``fulfillment_line_id`` counts as none.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from scanner_app.backends.errors import UnexpectedResponse
from scanner_app.backends.packcloud.dialect import PACKCLOUD
from scanner_app.inventory.serial_register import RegisteredSerial


@dataclass(frozen=True)
class SerialPage:
    """One page of a serial-number list, the link to the next (None on the last) and the
    server's page size."""

    serials: list[RegisteredSerial]
    next_url: str | None
    per_page: int


def serial_page_from_packcloud(body: Any, operation: str) -> SerialPage:
    """A list answer as a :class:`SerialPage`; UnexpectedResponse when it is not one."""
    def wrong(reason: str) -> UnexpectedResponse:
        return UnexpectedResponse(reason, backend=PACKCLOUD, operation=operation)

    if not isinstance(body, Mapping):
        raise wrong(f"expected a JSON object (serial numbers with prev, next and per_page), got {type(body).__name__}")
    arrays = sorted(str(key) for key, value in body.items() if isinstance(value, list))
    if len(arrays) != 1:
        raise wrong("the answer has no array of serial numbers" if not arrays else
                    f"the answer has several arrays ({', '.join(arrays)}): cannot tell which holds the serial numbers")
    records: list[Any] = body[arrays[0]]
    if "next" not in body:
        raise wrong('the answer has no "next" field (the link to the next page, null on the last)')
    next_url = body["next"]
    for name in ("next", "prev"):
        if body.get(name) is not None and not isinstance(body.get(name), str):
            raise wrong(f'"{name}" is not a link')
    per_page = body.get("per_page")
    if not isinstance(per_page, int) or isinstance(per_page, bool) or per_page < 1:
        raise wrong(f'"per_page" must be a positive integer, not {per_page!r}')
    if len(records) > per_page:
        raise wrong(f"the page holds {len(records)} serial numbers but per_page is {per_page}")
    serials = []
    for index, record in enumerate(records):
        try:
            serials.append(serial_from_packcloud(record))
        except ValueError as exc:
            raise wrong(f"serial number {index} of the page: {exc}") from None
    return SerialPage(serials, (next_url or "").strip() or None, per_page)


def serial_from_packcloud(record: Any) -> RegisteredSerial:
    """One serial-number record; ValueError naming the field when it is malformed."""
    if not isinstance(record, Mapping):
        raise ValueError(f"expected an object, not {type(record).__name__}")
    return RegisteredSerial(
        serial_id=_text(record, "id"),
        code=_text(record, "code"),
        product_id=_text(record, "product_id"),
        stock_id=_optional_text(record, "stock_id"),
        fulfillment_line_id=_optional_text(record, "fulfillment_line_id"),
    )


def _optional_text(record: Mapping[str, Any], name: str) -> str | None:
    value = record.get(name)
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise ValueError(f"{name} must be text or null, not {type(value).__name__}")
    return str(value).strip() or None


def _text(record: Mapping[str, Any], name: str) -> str:
    value = _optional_text(record, name)
    if value is None:
        raise ValueError(f"missing {name}")
    return value
