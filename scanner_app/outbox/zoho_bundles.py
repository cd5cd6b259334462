"""Delivering an assembly's three steps to Zoho Inventory (shared/seeds, "Assemblies"):

=================  ===========================================  =======================================
step               call                                         was it applied?
=================  ===========================================  =======================================
``bundle.create``  ``POST /bundles`` (status ``draft``,          ``GET /bundles?composite_item_id=&
                   ``reference_number`` = the station's          reference_number=`` lists it
                   reference, kept by ``ignore_auto_number_
                   generation``)
``bundle.confirm`` ``POST /bundles/{id}/confirmed``              ``GET /bundles/{id}``: confirmed or built
``bundle.build``   ``POST /bundles/{id}/bundled``                ``GET /bundles/{id}``: built
=================  ===========================================  =======================================

The id comes from ``bundle.create``'s result (``entry.earlier_results``); should that be
missing (the create entry was discarded after it had in fact reached Zoho), the id is found
by the reference, and a step whose assembly Zoho does not have fails with NotFound.

What is sent, and what is assumed (to confirm on a Zoho sandbox organisation):

- ``warehouse_id`` and ``location_id`` are both the warehouse: in the bundle API a
  "location" is a warehouse (the docs' example gives both the same id), and there is no
  field for a bin, so the bench's bin stays on the station.
- ``quantity_consumed`` of a line is what the whole assembly consumed (per-kit quantity
  times the kits built), which is what the bench scanned.
- Consumed serials and batches are sent on each line as compositeitems.yml's
  create-bundle-request shows them (``serial_numbers: [..]``, ``batches: [{batch_id,
  out_quantity}]``; the seed text does not show them). Per-line ``storages`` (bins) are not
  sent: the header's ``location_id`` is the warehouse (equal to ``warehouse_id``, which by
  the one place rule names no bin).
- ``account_id`` (required per line in the OpenAPI document) is not sent: the station
  has no account ids, and Zoho's UI defaults a component line to its inventory account.

Read your own writes: once ``bundle.build`` is delivered (sent, or found built by
``was_applied``), the local copy's stock follows (``record_locally``): the kits go up at
the assembly's place (its bin, where the bench put them), each component goes down in the
warehouse where the local copy keeps its stock (the bench's bin and the scanned units'
bins first), by at most what it has. Each step is delivered once, so this happens once.
The create and confirm steps move no stock.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final

from scanner_app.backends.errors import NotFound
from scanner_app.backends.zoho import BundleLine, NewBundle, ZohoClient, bundle_from_zoho
from scanner_app.backends.zoho.payloads import Bundle
from scanner_app.outbox.bundles import BUNDLE_BUILD, BUNDLE_CONFIRM, BUNDLE_CREATE, AssemblyRecord
from scanner_app.outbox.entries import OutboxEntry
from scanner_app.outbox.local_copy import LocalCopy, UsedComponent

# Zoho's statuses after each step (it reports "built" for an assembly marked bundled)
_DONE: Final = {BUNDLE_CONFIRM: ("confirmed", "built", "bundled"), BUNDLE_BUILD: ("built", "bundled")}


def new_bundle(record: AssemblyRecord) -> NewBundle:
    """The ``POST /bundles`` body for ``record``, as a draft."""
    lines = tuple(BundleLine(c.item_id, c.name, c.quantity, location_id=record.warehouse_id,
                             warehouse_id=record.warehouse_id, serial_numbers=tuple(c.serial_numbers),
                             batches=tuple((b.batch_id, b.quantity) for b in c.batches))
                  for c in record.components)
    return NewBundle(reference_number=record.reference, date=record.date, composite_item_id=record.kit_item_id,
                     composite_item_name=record.kit_name, quantity_to_bundle=record.quantity, line_items=lines,
                     status="draft", warehouse_id=record.warehouse_id, location_id=record.warehouse_id,
                     description=f"Assembled at a scanner-app kitting bench ({record.reference})")


def zoho_bundle_deliverers(client: Callable[[], ZohoClient]) -> dict[str, ZohoBundleDeliverer]:
    """A deliverer for each step, by kind."""
    return {step: ZohoBundleDeliverer(client, step) for step in (BUNDLE_CREATE, BUNDLE_CONFIRM, BUNDLE_BUILD)}


class ZohoBundleDeliverer:
    """One step of an assembly for the Zoho organisation of ``client()`` (called per
    delivery, so a client made again after a new sign-in is used)."""

    def __init__(self, client: Callable[[], ZohoClient], step: str) -> None:
        if step not in (BUNDLE_CREATE, *_DONE):
            raise ValueError(f"not an assembly step: {step}")
        self._client, self.step = client, step

    def deliver(self, entry: OutboxEntry) -> Mapping[str, Any]:
        record = AssemblyRecord.from_payload(entry.payload)
        client = self._client()
        if self.step == BUNDLE_CREATE:
            return _result(client.create_bundle(new_bundle(record)))
        bundle_id = self._bundle_id(client, entry, record)
        if self.step == BUNDLE_CONFIRM:
            return _result(client.mark_bundle_confirmed(bundle_id), bundle_id)
        return _result(client.mark_bundle_bundled(bundle_id), bundle_id)

    def was_applied(self, entry: OutboxEntry) -> Mapping[str, Any] | None:
        record = AssemblyRecord.from_payload(entry.payload)
        client = self._client()
        if self.step == BUNDLE_CREATE:
            found = _by_reference(client, record)
            return None if found is None else {**_result(found), "found_applied": True}
        bundle = client.get_bundle(self._bundle_id(client, entry, record))
        return {**_result(bundle), "found_applied": True} if bundle.status in _DONE[self.step] else None

    def record_locally(self, local: LocalCopy, entry: OutboxEntry, result: Mapping[str, Any]) -> None:
        if self.step != BUNDLE_BUILD:  # delivered: Zoho built it (answered, or found built)
            return
        record = AssemblyRecord.from_payload(entry.payload)
        local.assembly_built(record.kit_item_id, record.quantity, record.warehouse_id, record.bin_id, [
            UsedComponent(c.item_id, c.quantity, c.serial_numbers, tuple(b.batch_id for b in c.batches))
            for c in record.components])

    @staticmethod
    def _bundle_id(client: ZohoClient, entry: OutboxEntry, record: AssemblyRecord) -> str:
        created = entry.earlier_results.get(BUNDLE_CREATE) or {}
        if created.get("bundle_id"):
            return str(created["bundle_id"])
        found = _by_reference(client, record)
        if found is None:
            raise NotFound(f"there is no assembly {record.reference} (it was not created)",
                           backend="Zoho Inventory", operation="GET /bundles")
        return found.bundle_id


def _by_reference(client: ZohoClient, record: AssemblyRecord) -> Bundle | None:
    """The kit's assembly with our reference (Zoho filters by ``reference_number``; the
    match is checked here too, in case a filter is ignored)."""
    params = {"composite_item_id": record.kit_item_id, "reference_number": record.reference}
    for page in client.pages("/bundles", "bundles", params):
        for found in (bundle_from_zoho(r) for r in page.records):
            if found.reference_number == record.reference:
                return found
    return None


def _result(bundle: Bundle, bundle_id: str | None = None) -> dict[str, Any]:
    return {"bundle_id": bundle.bundle_id or bundle_id, "status": bundle.status,
            "reference_number": bundle.reference_number}
