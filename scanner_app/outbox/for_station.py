"""The outbox of one station: which inventory system its entries are for (the target),
the deliverers that reach it, and a relay wired to both. The CLI and the window start here.

The station's backend object (``station.backend``, :mod:`scanner_app.backends.registry`)
says which: the embedded store's target and deliverers (into the local store; Pack.cloud's
too, whose dispatches record no entries: :func:`dispatch_target`), or Zoho's (the
organisation in ``[zoho]``, through the process's shared Zoho client). The vendors'
deliverer sets are made here (:func:`embedded_deliverers`, :func:`zoho_deliverers`), named
by their backend objects, until the deliverers move into the vendor folders.
"""

from __future__ import annotations

from typing import Any

from scanner_app.backends.registry import backend_for
from scanner_app.config import Settings
from scanner_app.outbox.batch_receipts import BATCH_ASSIGN, SERIAL_RECEIVE
from scanner_app.outbox.delivery import Deliverer
from scanner_app.outbox.embedded_batch_receipts import EmbeddedBatchAssignmentDeliverer, EmbeddedSerialReceiptDeliverer
from scanner_app.outbox.embedded_bundles import embedded_bundle_deliverers
from scanner_app.outbox.embedded_serials import EmbeddedSerialMappingDeliverer
from scanner_app.outbox.relay import OutboxRelay
from scanner_app.outbox.serial_mapping import SERIAL_VALIDATE_AND_MAP
from scanner_app.outbox.store import Outbox

# ``station`` below is a :class:`scanner_app.station.Station` (typed Any: the outbox sits below it).


def station_target(settings: Settings) -> str:
    """The target new entries are recorded for, from the settings."""
    return backend_for(settings.backend.kind).outbox_target(settings)


def dispatch_target(settings: Settings) -> str | None:
    """The target a completed dispatch's serial mappings are recorded for; None when the
    backend takes none (a Pack.cloud station: its REST API only reads, so no entry is made
    for a system that cannot take it, and the dispatch stays in the station's records;
    workflows/dispatch_register.py)."""
    return backend_for(settings.backend.kind).dispatch_target(settings)


def station_deliverers(station: Any) -> dict[str, Deliverer]:
    """Each kind of entry this station can deliver to its inventory system."""
    return dict(station.backend.deliverers(station))


def embedded_deliverers(station: Any) -> dict[str, Deliverer]:
    """Deliverers into the station's own inventory store."""
    return {SERIAL_VALIDATE_AND_MAP: EmbeddedSerialMappingDeliverer(station.inventory),
            BATCH_ASSIGN: EmbeddedBatchAssignmentDeliverer(station.inventory),
            SERIAL_RECEIVE: EmbeddedSerialReceiptDeliverer(station.inventory),
            **embedded_bundle_deliverers(station.inventory)}


def zoho_deliverers(station: Any) -> dict[str, Deliverer]:
    """Deliverers to Zoho Inventory through the station's shared client holder."""
    from scanner_app.outbox.zoho_batch_receipts import ZohoBatchAssignmentDeliverer, ZohoSerialReceiptDeliverer
    from scanner_app.outbox.zoho_bundles import zoho_bundle_deliverers
    from scanner_app.outbox.zoho_serials import ZohoSerialMappingDeliverer  # the HTTP stack, only now

    return {SERIAL_VALIDATE_AND_MAP: ZohoSerialMappingDeliverer(station.zoho.get),
            BATCH_ASSIGN: ZohoBatchAssignmentDeliverer(station.zoho.get),
            SERIAL_RECEIVE: ZohoSerialReceiptDeliverer(station.zoho.get),
            **zoho_bundle_deliverers(station.zoho.get)}


def station_relay(station: Any, outbox: Outbox | None = None, **options: Any) -> OutboxRelay:
    """A relay (not started) for the station's outbox and inventory system; ``options``
    go to :class:`OutboxRelay` (policy, wait, rng)."""
    return OutboxRelay(outbox or Outbox(station.inventory), station_target(station.settings),
                       station_deliverers(station), **options)
