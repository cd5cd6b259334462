"""Delivering ``serial.validate_and_map`` to Zoho Inventory
(``POST /items/{item_id}/serialnumber/validateandmap``, items.yml).

Was it applied? What the mapping leaves behind is the serials' association with the
document (``entity_type``/``entity_id``); ``is_transacted_out`` alone cannot say it: a
serial mapped to a sales order that has not shipped is not transacted out. The check
(:func:`read_mapping`) therefore combines these readings, strongest first:

1. The serial records, listed with ``show_transacted_out=true`` (serialnumbers.yml: without
   it a transacted-out serial is not listed at all). The documented record has no field
   naming a document; should Zoho send one, it is read: ``entity_id``, ``transaction_id``,
   ``reference_id``, ``<entity_type>_id`` (``salesorder_id``, ``package_id``, ...), also
   inside an ``associated_transactions``/``transactions``/``entities`` list. A serial
   named with this document is ours, with another one is another document's.
2. ``POST .../serialnumber/validate`` (items.yml: ``entity_type``, ``entity_id``,
   ``warehouse_id``, ``location_id``) twice: with this document's ``entity_id`` and without
   it. Accepted for this document while refused without it: the serials are unavailable
   to everything except this document, i.e. mapped to it (assumed: validating for an
   existing document accepts its own serials, which is what the parameter is for). Accepted
   both ways: they are free, so not mapped (unless reading 3 says otherwise). Refused for
   this document: taken by something, perhaps this document (should Zoho not exempt its
   own serials, or they shipped with it); readings 1 and 3 decide, else it cannot tell.
3. The document itself, ``GET /salesorders/{id}`` (``/packages``, ``/invoices``,
   ``/transferorders``): serial numbers on its line items for the item (packages.yml
   ``line_items[].serial_numbers`` and ``storages[].serial_numbers``; salesorders.yml shows
   none, but one is read if present). A document type this station may not read (a
   missing scope, an unknown path) is not asked again in this process.

Combined: another document named (1) -> not applied; this document named (1), or the
validate pair says ours (2), or the document lists them all (3) -> applied; free by (2)
-> not applied; otherwise it cannot tell -> "not applied", and the resend is harmless:
Zoho maps all or nothing and refuses serials that are no longer available. A resend that
Zoho refuses is read again the same way: refused because the serials are already mapped
to this same document, it ends as applied (``already_mapped``); refused because another
document took them (or for any other reason), it fails with Zoho's words, and when the
readings could not tell, with what to check in Zoho.

On delivery the local copy records the mapping (``record_locally``), so the serial shows
as mapped to its document and no other dispatch or assembly is offered it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Final, Literal
from urllib.parse import quote

from scanner_app.backends.errors import (
    BackendError,
    Conflict,
    NotFound,
    ScopeError,
    UnexpectedResponse,
    ValidationError,
)
from scanner_app.backends.zoho import ZohoClient
from scanner_app.outbox.entries import OutboxEntry
from scanner_app.outbox.local_copy import LocalCopy
from scanner_app.outbox.serial_mapping import SerialMapping

log = logging.getLogger(__name__)

Verdict = Literal["ours", "other", "free", "unknown"]
# the document types whose record can be read, by entity_type: (path, the record's key)
_DOCUMENTS: Final = {
    "salesorder": ("/salesorders", "salesorder"), "package": ("/packages", "package"),
    "invoice": ("/invoices", "invoice"), "transfer_order": ("/transferorders", "transfer_order"),
    "transferorder": ("/transferorders", "transfer_order"),
}
_ID_FIELDS: Final = ("entity_id", "transaction_id", "reference_id")
_LIST_FIELDS: Final = ("associated_transactions", "transactions", "entities")
# answers to a document read that mean "this station cannot read that", not "try later"
_UNREADABLE: Final = (NotFound, ValidationError, Conflict, ScopeError, UnexpectedResponse)


@dataclass(frozen=True)
class MappingReading:
    """What Zoho shows about a mapping's serials: whose they are, and how it was told."""

    verdict: Verdict
    evidence: tuple[str, ...]


class ZohoSerialMappingDeliverer:
    """``serial.validate_and_map`` for the Zoho organisation of ``client()`` (called per
    delivery, so a client made again after a new sign-in is used; its NotConnected
    pauses the relay like a refused sign-in)."""

    def __init__(self, client: Callable[[], ZohoClient]) -> None:
        self._client = client
        self._unreadable_documents: set[str] = set()  # entity types whose record cannot be read here

    def deliver(self, entry: OutboxEntry) -> Mapping[str, Any]:
        mapping = SerialMapping.from_payload(entry.payload)
        client = self._client()
        try:
            client.validate_and_map_serial_numbers(
                mapping.item_id, mapping.serial_numbers, entity_type=mapping.entity_type,
                entity_id=mapping.entity_id, warehouse_id=mapping.warehouse_id, bin_id=mapping.bin_id)
        except (ValidationError, Conflict) as refusal:
            reading = self.read(client, mapping)
            if reading.verdict == "ours":
                log.info("serials %s are mapped to %s already (%s): delivered", ", ".join(mapping.serial_numbers),
                         mapping.document, "; ".join(reading.evidence))
                return {"mapped": list(mapping.serial_numbers), "already_mapped": True}
            if reading.verdict == "unknown" and (entry.check_before_send or entry.attempts):
                raise _cannot_tell(refusal, mapping) from refusal
            raise
        return {"mapped": list(mapping.serial_numbers)}

    def was_applied(self, entry: OutboxEntry) -> Mapping[str, Any] | None:
        mapping = SerialMapping.from_payload(entry.payload)
        reading = self.read(self._client(), mapping)
        log.info("was %s mapped to %s? %s (%s)", ", ".join(mapping.serial_numbers), mapping.document,
                 reading.verdict, "; ".join(reading.evidence))
        if reading.verdict == "ours":
            return {"mapped": list(mapping.serial_numbers), "found_applied": True}
        return None

    def record_locally(self, local: LocalCopy, entry: OutboxEntry, result: Mapping[str, Any]) -> None:
        mapping = SerialMapping.from_payload(entry.payload)
        local.serials_mapped(mapping.item_id, mapping.serial_numbers, entity_type=mapping.entity_type,
                             entity_id=mapping.entity_id, warehouse_id=mapping.warehouse_id, bin_id=mapping.bin_id)

    # -- the readings ---------------------------------------------------------------------------

    def read(self, client: ZohoClient, mapping: SerialMapping) -> MappingReading:
        """Whose the mapping's serials are, by the readings of the module docstring."""
        evidence: list[str] = []
        records = {_number(r): r for r in client.serial_number_records(mapping.item_id)}
        owners = {n: _named_document(records[n], mapping.entity_type) for n in mapping.serial_numbers if n in records}
        others = sorted(n for n, named in owners.items() if named and mapping.entity_id not in named)
        if others:
            return MappingReading("other", (f"serial records name another document for {', '.join(others)}",))
        if len(owners) == len(mapping.serial_numbers) and all(owners.values()):
            return MappingReading("ours", ("the serial records name this document",))
        missing = [n for n in mapping.serial_numbers if n not in records]
        if missing:
            evidence.append(f"not listed for the item: {', '.join(missing)}")
        out = [n for n, r in records.items() if n in mapping.serial_numbers and _truthy(r.get("is_transacted_out"))]
        if out:
            evidence.append(f"transacted out: {', '.join(out)}")

        for_us = self._check(client, mapping, mapping.entity_id)
        if for_us is None:
            anywhere = self._check(client, mapping, None)
            if anywhere is not None:
                return MappingReading("ours", (*evidence, f"validate accepts them for {mapping.document} only "
                                                          f"(without it: {anywhere})"))
            evidence.append("validate accepts them with and without this document")
        else:
            evidence.append(f"validate for {mapping.document} refuses them: {for_us}")

        listed = self._on_document(client, mapping)
        if listed:
            return MappingReading("ours", (*evidence, f"{mapping.document} lists them"))
        if for_us is None and not out and not missing:
            return MappingReading("free", tuple(evidence))
        return MappingReading("unknown", tuple(evidence))

    @staticmethod
    def _check(client: ZohoClient, mapping: SerialMapping, entity_id: str | None) -> str | None:
        return client.check_serial_numbers(mapping.item_id, mapping.serial_numbers, entity_type=mapping.entity_type,
                                           entity_id=entity_id, warehouse_id=mapping.warehouse_id,
                                           bin_id=mapping.bin_id)

    def _on_document(self, client: ZohoClient, mapping: SerialMapping) -> bool:
        """Whether the document's record lists every serial of the mapping on its lines
        for the item; False when it does not, or cannot be read."""
        where = _DOCUMENTS.get(mapping.entity_type.lower())
        if where is None or mapping.entity_type.lower() in self._unreadable_documents:
            return False
        path, key = where
        try:
            body = client.call("GET", f"{path}/{quote(mapping.entity_id, safe='')}")
        except _UNREADABLE as unreadable:
            if not isinstance(unreadable, NotFound) or "does not exist" not in (unreadable.vendor_message or ""):
                self._unreadable_documents.add(mapping.entity_type.lower())  # the path or the scope: not again
            return False
        record = body.get(key)
        if not isinstance(record, dict):
            return False
        listed = set(_serials_on_lines(record.get("line_items"), mapping.item_id))
        return set(mapping.serial_numbers) <= listed


def _cannot_tell(refusal: BackendError, mapping: SerialMapping) -> BackendError:
    """Zoho's refusal, with what to check when the station could not tell whether an
    earlier attempt (one whose answer was lost, or cut short by a crash) had mapped the
    serials to this document."""
    words = (f"{refusal.message.rstrip('. ')}. An earlier attempt may have reached Zoho, and Zoho does not show "
             f"whether these serial numbers ({', '.join(mapping.serial_numbers)}) are mapped to {mapping.entity_type} "
             f"{mapping.entity_id}: check it in Zoho Inventory, then discard this entry if they are, or retry it")
    return type(refusal)(words, backend=refusal.backend, operation=refusal.operation, status=refusal.status,
                         code=refusal.code, vendor_message=refusal.vendor_message)


def _number(record: Mapping[str, Any]) -> str:
    for name in ("serialnumber", "serial_number", "code"):
        value = record.get(name)
        if value not in (None, ""):
            return str(value)
    return ""


def _truthy(value: Any) -> bool:
    return value is True or (isinstance(value, str) and value.strip().lower() == "true") or value == 1


def _named_document(record: Mapping[str, Any], entity_type: str) -> set[str]:
    """The document ids a serial record names (see the module docstring), or none."""
    names: set[str] = set()
    for source in (record, *(t for f in _LIST_FIELDS if isinstance(record.get(f), list)
                             for t in record[f] if isinstance(t, Mapping))):
        for field in (*_ID_FIELDS, f"{entity_type}_id", f"{entity_type.replace('_', '')}_id"):
            value = source.get(field)
            if value not in (None, "", 0):
                names.add(str(value))
    return names


def _serials_on_lines(lines: Any, item_id: str) -> Iterable[str]:
    if not isinstance(lines, list):
        return
    for line in lines:
        if not isinstance(line, Mapping) or str(line.get("item_id", "")) != item_id:
            continue
        yield from _serial_texts(line.get("serial_numbers"))
        for nested in ("storages", "batches"):
            for part in line.get(nested) or ():
                if isinstance(part, Mapping):
                    yield from _serial_texts(part.get("serial_numbers"))


def _serial_texts(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield from (s.strip() for s in value.split(",") if s.strip())
    elif isinstance(value, list):
        for one in value:
            if isinstance(one, Mapping):
                one = _number(one)
            if one not in (None, ""):
                yield str(one)
