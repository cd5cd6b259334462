"""Pack.cloud's backend object (``[backend] kind = "packcloud"``): the local store keeps the
catalogue (imported, with the product links) and receives the entries; Pack.cloud is the
serial-number register dispatch checks each serial with. Its REST API only reads, so a
completed dispatch records no outbox entry (``dispatch_target`` is None)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from scanner_app.backends.embedded.backend import EMBEDDED_BACKEND
from scanner_app.config import Settings

if TYPE_CHECKING:
    from scanner_app.backends.packcloud.connect import SharedPackcloudClient
    from scanner_app.inventory.register_checks import SerialRegisterChecks


class PackcloudBackend:
    kind = "packcloud"
    name = "Pack.cloud"
    syncs_catalogue = False
    fetches_details_on_demand = False
    warms_http_stack = True
    installs_demo = False  # the catalogue is imported, with the product links
    configured_words = " Dispatch checks serial numbers in Pack.cloud."

    def status_words(self, item_count: int) -> str:
        return f"Local catalogue · {item_count} items · serial numbers in Pack.cloud"

    def outbox_target(self, settings: Settings) -> str:
        return EMBEDDED_BACKEND.outbox_target(settings)

    def dispatch_target(self, settings: Settings) -> str | None:
        return None

    def catalogue_source(self, settings: Settings) -> str | None:
        return None

    def deliverers(self, station: Any) -> Mapping[str, Any]:
        return EMBEDDED_BACKEND.deliverers(station)

    def serial_register(self, station: Any) -> SerialRegisterChecks:
        checks: SerialRegisterChecks = station.serial_register_checks()
        return checks

    def client(self, station: Any) -> SharedPackcloudClient:
        holder: SharedPackcloudClient = station.packcloud
        return holder


PACKCLOUD_BACKEND = PackcloudBackend()
