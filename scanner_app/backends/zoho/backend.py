"""Zoho Inventory's backend object (``[backend] kind = "zoho"``): the local store is a synced
copy of the organisation's catalogue in ``[zoho]`` (scans are answered from it, an item's
details fetched when it is scanned), and entries are delivered to that organisation through
the process's shared client (``Station.zoho``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from scanner_app.config import Settings
from scanner_app.plugins import attribute

if TYPE_CHECKING:
    from scanner_app.backends.connect import SharedZohoClient


class ZohoBackend:
    kind = "zoho"
    name = "Zoho Inventory"
    syncs_catalogue = True
    fetches_details_on_demand = True
    warms_http_stack = True
    installs_demo = False  # the catalogue comes from Zoho
    configured_words = " Scans are answered from the local copy."

    def status_words(self, item_count: int) -> str:
        return ""  # the catalogue sync's own status says "Zoho Inventory · synced ..."

    def outbox_target(self, settings: Settings) -> str:
        return str(attribute("scanner_app.outbox.entries:zoho_target")(settings.zoho.organization_id))

    def dispatch_target(self, settings: Settings) -> str | None:
        return self.outbox_target(settings)

    def catalogue_source(self, settings: Settings) -> str | None:
        return str(attribute("scanner_app.sync.state:zoho_source")(settings.zoho.organization_id))

    def deliverers(self, station: Any) -> Mapping[str, Any]:
        made: Mapping[str, Any] = attribute("scanner_app.outbox.for_station:zoho_deliverers")(station)
        return made

    def serial_register(self, station: Any) -> None:
        return None  # Zoho's serials are in the synced copy: the local serial rule applies

    def client(self, station: Any) -> SharedZohoClient:
        holder: SharedZohoClient = station.zoho
        return holder


ZOHO_BACKEND = ZohoBackend()
