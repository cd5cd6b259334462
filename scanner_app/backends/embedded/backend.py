"""The embedded inventory's backend object (``[backend] kind = "embedded"``, the default):
entries are delivered into the local store, a first run installs the demo catalogue."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from scanner_app.config import Settings
from scanner_app.plugins import attribute


class EmbeddedBackend:
    kind = "embedded"
    name = "Embedded inventory"
    syncs_catalogue = False
    fetches_details_on_demand = False
    warms_http_stack = False
    installs_demo = True
    configured_words = ""

    def status_words(self, item_count: int) -> str:
        return f"Embedded inventory · {item_count} items"

    def outbox_target(self, settings: Settings) -> str:
        return str(attribute("scanner_app.outbox.entries:EMBEDDED_TARGET"))

    def dispatch_target(self, settings: Settings) -> str | None:
        return self.outbox_target(settings)

    def catalogue_source(self, settings: Settings) -> str | None:
        return None

    def deliverers(self, station: Any) -> Mapping[str, Any]:
        made: Mapping[str, Any] = attribute("scanner_app.outbox.for_station:embedded_deliverers")(station)
        return made

    def serial_register(self, station: Any) -> None:
        return None

    def client(self, station: Any) -> None:
        return None


EMBEDDED_BACKEND = EmbeddedBackend()
