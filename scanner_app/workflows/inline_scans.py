"""``InlineScans``: the scans a workflow command (``dispatch``, ``receive``, ``assemble``)
runs in line, as the window's scans are: each code through the station's pipeline and
recorded in the history. On a Zoho station the item a scan names (the item itself, a
serial's or batch's item, a GS1 label's item; for a kit, with ``kit=True``, every
component) is first brought up to date from Zoho when its details are due
(:mod:`scanner_app.sync.details_on_demand`, the window's ``ItemDetails``), and the code
is looked up again when that changed the store, so the workflow checks the fresh copy.
Embedded and Pack.cloud stations look up and record only, as before. Qt-free.

Zoho could not be asked: a notice goes to ``say`` (stderr in the commands) once per item
when the local copy is used; :class:`DetailsUnavailable` is raised when there is none.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from scanner_app.inventory.models import Item
from scanner_app.scanning.scan import Scan, ScanOutcome, ScanSource

if TYPE_CHECKING:
    from scanner_app.sync.details_on_demand import DetailsOnDemand


class DetailsUnavailable(Exception):
    """An item's details could not be fetched and the station has no copy of them: its
    scans cannot be checked. ``str()`` says why, for a person."""


def to_stderr(command: str) -> Callable[[str], None]:
    """``say`` for a command: ``scanner-app COMMAND: words`` on stderr."""
    from scanner_app.cli_format import say as say_safely  # control characters made visible

    def say(words: str) -> None:
        say_safely(f"scanner-app {command}: {words}", file=sys.stderr)
    return say


class InlineScans:
    def __init__(self, station: Any, say: Callable[[str], None]) -> None:
        self.station = station
        self.say = say
        self.notices: list[str] = []
        self.demand: DetailsOnDemand | None = None
        if station.backend.fetches_details_on_demand:  # imported only here: the HTTP stack is not needed otherwise
            from scanner_app.sync.details_on_demand import DetailsOnDemand

            self.demand = DetailsOnDemand.for_station(station)

    def process(self, code: str, *, kit: bool = False) -> ScanOutcome:
        """The scan's outcome, from an up-to-date store (see the module docstring), recorded
        in the history. Raises DetailsUnavailable (the scan is recorded first)."""
        scan = Scan(code, ScanSource.CLI)
        outcome: ScanOutcome = self.station.pipeline.process(scan)
        try:
            if outcome.result.item is not None and self.ensure(outcome.result.item, kit=kit):
                outcome = self.station.pipeline.process(scan)
        finally:
            self.station.history.record(outcome)
        return outcome

    def ensure(self, item: Item, *, kit: bool = False) -> bool:
        """Bring ``item`` (and a kit's components) up to date; True when the store changed.
        Raises DetailsUnavailable."""
        if self.demand is None:
            return False
        checks = self.demand.ensure_kit(item) if kit and item.is_composite else [self.demand.ensure(item)]
        for check in checks:
            if check.state == "local_copy" and check.message and check.message not in self.notices:
                self.notices.append(check.message)
                self.say(check.message)
        refused = [check.message or check.item_name for check in checks if not check.usable]
        if refused:
            raise DetailsUnavailable("; ".join(refused))
        return any(check.changed for check in checks)
