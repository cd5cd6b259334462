"""The outbox of one station: which inventory system its entries are for (the target),
the deliverers that reach it, and a relay wired to both. The CLI and the window start here.

``[backend] kind = "embedded"`` (the default) delivers into the local store; ``"zoho"``
delivers to the organisation in ``[zoho]``, through the process's shared Zoho client;
``"packcloud"`` records no dispatch entries (:func:`dispatch_target`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from scanner_app.config import Settings
from scanner_app.outbox.batch_receipts import BATCH_ASSIGN, SERIAL_RECEIVE
from scanner_app.outbox.delivery import Deliverer
from scanner_app.outbox.embedded_batch_receipts import EmbeddedBatchAssignmentDeliverer, EmbeddedSerialReceiptDeliverer
from scanner_app.outbox.embedded_bundles import embedded_bundle_deliverers
from scanner_app.outbox.embedded_serials import EmbeddedSerialMappingDeliverer
from scanner_app.outbox.entries import EMBEDDED_TARGET, zoho_target
from scanner_app.outbox.relay import OutboxRelay
from scanner_app.outbox.serial_mapping import SERIAL_VALIDATE_AND_MAP
from scanner_app.outbox.store import Outbox

if TYPE_CHECKING:
    from scanner_app.station import Station


def station_target(settings: Settings) -> str:
    """The target new entries are recorded for, from the settings."""
    if settings.backend.kind == "zoho":
        return zoho_target(settings.zoho.organization_id)
    return EMBEDDED_TARGET


def dispatch_target(settings: Settings) -> str | None:
    """The target a completed dispatch's serial mappings are recorded for; None on a
    Pack.cloud station: its REST API only reads (the vendor doc has no write), so no entry
    is made for a system that cannot take it, and the dispatch stays in the station's
    records (workflows/dispatch_register.py)."""
    return None if settings.backend.kind == "packcloud" else station_target(settings)


def station_deliverers(station: Station) -> dict[str, Deliverer]:
    """Each kind of entry this station can deliver to its inventory system."""
    if station.uses_zoho:
        from scanner_app.outbox.zoho_batch_receipts import ZohoBatchAssignmentDeliverer, ZohoSerialReceiptDeliverer
        from scanner_app.outbox.zoho_bundles import zoho_bundle_deliverers
        from scanner_app.outbox.zoho_serials import ZohoSerialMappingDeliverer  # the HTTP stack, only now

        return {SERIAL_VALIDATE_AND_MAP: ZohoSerialMappingDeliverer(station.zoho.get),
                BATCH_ASSIGN: ZohoBatchAssignmentDeliverer(station.zoho.get),
                SERIAL_RECEIVE: ZohoSerialReceiptDeliverer(station.zoho.get),
                **zoho_bundle_deliverers(station.zoho.get)}
    return {SERIAL_VALIDATE_AND_MAP: EmbeddedSerialMappingDeliverer(station.inventory),
            BATCH_ASSIGN: EmbeddedBatchAssignmentDeliverer(station.inventory),
            SERIAL_RECEIVE: EmbeddedSerialReceiptDeliverer(station.inventory),
            **embedded_bundle_deliverers(station.inventory)}


def station_relay(station: Station, outbox: Outbox | None = None, **options: Any) -> OutboxRelay:
    """A relay (not started) for the station's outbox and inventory system; ``options``
    go to :class:`OutboxRelay` (policy, wait, rng)."""
    return OutboxRelay(outbox or Outbox(station.inventory), station_target(station.settings),
                       station_deliverers(station), **options)
