"""Pack.cloud's serial-number JSON mapped to the core's
:class:`~scanner_app.inventory.serial_register.RegisteredSerial`, in this one place.

A list answer (``GET /v1/organizations/{id}/serial-numbers``), as the vendor doc lists
its fields::

    {"data": [{"id": "...", "product_id": "...", "stock_id": "..." | null,
               "fulfillment_line_id": "..." | null, "code": "ABC123-XYZ456-789QWE",
               "created_at": "...", "updated_at": "..."}, ...],
     "prev": "<url>" | null, "next": "<url>" | null, "per_page": 25}

The doc lists the record fields and the paging fields together without naming the array;
``data`` is assumed (a bare JSON array is accepted too, as one page with no ``next``).
Ids are taken as text (a JSON number becomes its digits); an empty ``stock_id`` or
``fulfillment_line_id`` counts as none. Anything else is :class:`UnexpectedResponse`
naming the record and field, so a changed API is reported, never half-read.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from scanner_app.backends.errors import UnexpectedResponse
from scanner_app.backends.packcloud.dialect import PACKCLOUD
from scanner_app.inventory.serial_register import RegisteredSerial

RECORDS_KEY = "data"


@dataclass(frozen=True)
class SerialPage:
    """One page of a serial-number list and the link to the next (None on the last)."""

    serials: list[RegisteredSerial]
    next_url: str | None
    per_page: int | None = None


def serial_page_from_packcloud(body: Any, operation: str) -> SerialPage:
    """A list answer as a :class:`SerialPage`; UnexpectedResponse when it is not one."""
    def wrong(reason: str) -> UnexpectedResponse:
        return UnexpectedResponse(reason, backend=PACKCLOUD, operation=operation)

    records: Any
    if isinstance(body, list):
        records, next_url, per_page = body, None, None
    elif isinstance(body, Mapping):
        records = body.get(RECORDS_KEY)
        if not isinstance(records, list):
            raise wrong(f'the answer has no "{RECORDS_KEY}" array of serial numbers')
        next_url = body.get("next")
        if next_url is not None and not isinstance(next_url, str):
            raise wrong('"next" is not a link')
        raw_per_page = body.get("per_page")
        per_page = raw_per_page if isinstance(raw_per_page, int) and not isinstance(raw_per_page, bool) else None
    else:
        raise wrong(f"expected a JSON object, got {type(body).__name__}")
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
