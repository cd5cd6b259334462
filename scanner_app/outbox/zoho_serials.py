"""Delivering ``serial.validate_and_map`` to Zoho Inventory
(``POST /items/{item_id}/serialnumber/validateandmap``).

Was it applied? Zoho's documented serial number record (shared/seeds) says whether a
serial is still available (``status``, ``is_transacted_out``) but not which transaction
took it. The check therefore reads the item's serial numbers and takes the mapping as
applied when every serial of the call is no longer available (``is_transacted_out``).
Zoho validates a call all or nothing, so "some taken, some not" means it was not
applied. Assumed, and worth confirming on a Zoho sandbox organisation: a serial mapped by
validateandmap to an outgoing transaction is reported ``is_transacted_out: true`` and is
refused by another validateandmap (so a resend could never map it twice). The limit of
the check: a serial taken by another station between our lost answer and the check would
be read as ours; the dispatch page checks availability before anything is recorded, which
keeps that window small.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from scanner_app.backends.zoho import ZohoClient
from scanner_app.outbox.entries import OutboxEntry
from scanner_app.outbox.serial_mapping import SerialMapping


class ZohoSerialMappingDeliverer:
    """``serial.validate_and_map`` for the Zoho organisation of ``client()`` (called per
    delivery, so a client made again after a new sign-in is used; its NotConnected
    pauses the relay like a refused sign-in)."""

    def __init__(self, client: Callable[[], ZohoClient]) -> None:
        self._client = client

    def deliver(self, entry: OutboxEntry) -> Mapping[str, Any]:
        mapping = SerialMapping.from_payload(entry.payload)
        self._client().validate_and_map_serial_numbers(
            mapping.item_id, mapping.serial_numbers, entity_type=mapping.entity_type, entity_id=mapping.entity_id,
            warehouse_id=mapping.warehouse_id, bin_id=mapping.bin_id)
        return {"mapped": list(mapping.serial_numbers)}

    def was_applied(self, entry: OutboxEntry) -> Mapping[str, Any] | None:
        mapping = SerialMapping.from_payload(entry.payload)
        serials = {s.serialnumber: s for s in self._client().serial_numbers(mapping.item_id)}
        taken = [n for n in mapping.serial_numbers if n in serials and serials[n].is_transacted_out]
        if len(taken) == len(mapping.serial_numbers):
            return {"mapped": list(mapping.serial_numbers), "found_applied": True}
        return None
