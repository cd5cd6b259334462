"""Details on demand: before a workflow command (``dispatch``, ``receive``, ``assemble``)
checks a scan on a Zoho station, the item the scan names is brought up to date from Zoho
in line, through the window's own code (:meth:`ItemDetails.refresh_if_due`: its record
with the stock per place and the tracking flags, its serial numbers and batches; fetched
only when due, i.e. never fetched, or tracked and older than ``[sync]
details_max_age_minutes``). For a kit (``assemble``) that is every component
(:meth:`DetailsOnDemand.ensure_kit`): the bench checks their stock here and their serials
and batches. Nothing here needs the window; the window keeps running the same
``due``/``fetch``/``write`` split across its threads (``ui/catalogue_sync.py``). No Qt.

When Zoho cannot be asked (offline, not signed in, sign-in refused, Zoho failing):

- the station has a copy of the item's details (fetched before, at any age, or serial
  numbers or batches of it in the store): the check goes on against that copy, and the
  command says so, with the copy's age (:attr:`DetailsCheck.message`, state
  ``local_copy``);
- it has none: the item's scans are refused with the reason (state ``unavailable``; the
  commands exit 1 and record nothing).

Why: a bench must keep working through a network outage (the product's promise: scans
are answered from the local store, and what is recorded reaches Zoho exactly once later),
and what goes wrong with a stale copy is caught where it matters: Zoho's own
``validateandmap`` (and the bundle and batch calls) check again on delivery, and a refusal
there is shown with Zoho's words. But with no copy at all the station does not even know
whether the item is tracked, where its stock is or which serials it has (Zoho's item
lists leave all of that out), so any answer would be a guess, typically "SN-1 is not a
serial number of …" for a good unit: refusing with "Zoho cannot be reached" is the answer
a warehouse user can act on (try again when the network is back).

Once Zoho failed in a command, it is not asked again in that command (each further item
would wait for the same timeout); an item is asked about at most once per command.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Literal

from scanner_app.backends.errors import BackendError, Offline
from scanner_app.inventory.models import Item
from scanner_app.sync.item_details import ItemDetails
from scanner_app.sync.state import details_fetched_at
from scanner_app.sync.wording import describe_age, explain_sync_error

if TYPE_CHECKING:
    from scanner_app.backends.zoho import ZohoClient

CheckState = Literal["fresh", "fetched", "gone", "local_copy", "unavailable"]


@dataclass(frozen=True)
class DetailsCheck:
    """Whether ``item_name``'s details can be relied on for a check now.

    ``fresh``: the store's copy is within its age (nothing asked); ``fetched``: fetched
    now; ``gone``: Zoho says the item does not exist (taken out of the store);
    ``local_copy``: Zoho could not be asked, the store's copy is used (``message`` says
    so, with its age); ``unavailable``: Zoho could not be asked and there is no copy
    (``message`` says why: the item's scans are refused)."""

    item_id: str
    item_name: str
    state: CheckState
    message: str | None = None

    @property
    def usable(self) -> bool:
        return self.state != "unavailable"

    @property
    def changed(self) -> bool:
        """The store changed: a scan looked up before must be looked up again."""
        return self.state in ("fetched", "gone")


class DetailsOnDemand:
    """Brings items up to date from Zoho before a command's checks, in line.

    ``client`` gives the station's Zoho client; it is called only when something is due
    (it may raise NotConnected, which counts as "Zoho could not be asked")."""

    def __init__(self, details: ItemDetails, client: Callable[[], ZohoClient],
                 clock: Callable[[], float] = time.time) -> None:
        self.details = details
        self._client = client
        self._clock = clock
        self.failure: BackendError | None = None  # Zoho could not be asked: not asked again
        self._checked: dict[str, DetailsCheck] = {}

    @classmethod
    def for_station(cls, station: Any) -> DetailsOnDemand:
        """A Zoho station's (the caller, :class:`~scanner_app.workflows.inline_scans.InlineScans`,
        makes one only there: embedded and Pack.cloud stations fetch nothing)."""
        return cls(ItemDetails(station.inventory, station.settings.sync), lambda: station.zoho.get())

    def ensure(self, item: Item) -> DetailsCheck:
        """Fetch ``item``'s details now if they are due (see the module docstring)."""
        earlier = self._checked.get(item.item_id)
        if earlier is not None:  # once per command; the store already shows what was fetched
            return replace(earlier, state="fresh") if earlier.changed else earlier
        check = self._ensure(item)
        self._checked[item.item_id] = check
        return check

    def ensure_kit(self, kit: Item) -> list[DetailsCheck]:
        """The kit's own (a kit is never due: it comes with its components from the
        catalogue sync) and each component's, in the kit's order."""
        checks = [self.ensure(kit)]
        for mapped in kit.mapped_items:
            component = self.details.store.get_item(mapped.item_id)
            if component is not None:
                checks.append(self.ensure(component))
        return checks

    def _ensure(self, item: Item) -> DetailsCheck:
        if not self.details.due(item):
            return DetailsCheck(item.item_id, item.name, "fresh")
        if self.failure is None:
            try:
                written = self.details.refresh_if_due(self._client, item)
            except BackendError as error:
                self.failure = error
            else:
                if written is None:
                    return DetailsCheck(item.item_id, item.name, "fresh")
                return DetailsCheck(item.item_id, item.name, "gone" if written.removed else "fetched")
        return self._without_zoho(item, self.failure)

    def _without_zoho(self, item: Item, error: BackendError) -> DetailsCheck:
        conn = self.details.store.connection()
        why = _why(error)
        fetched_at = details_fetched_at(conn, item.item_id)
        if fetched_at is not None:
            age = describe_age(max(0.0, self._clock() - fetched_at))
            return DetailsCheck(item.item_id, item.name, "local_copy",
                                f"{why}; checking {item.name} against the local copy of its details "
                                f"(stock, serial numbers, batches) fetched {age}")
        if _has_serials_or_batches(conn, item.item_id):
            return DetailsCheck(item.item_id, item.name, "local_copy",
                                f"{why}; checking {item.name} against the serial numbers and batches in the "
                                "local store (never fetched from Zoho: their age is not known)")
        return DetailsCheck(item.item_id, item.name, "unavailable",
                            f"{why}, and this station has no copy of {item.name}'s details yet (tracking, stock "
                            "per place, serial numbers, batches), so it cannot be checked: try again when Zoho "
                            "Inventory can be reached")


def _why(error: BackendError) -> str:
    if isinstance(error, Offline):
        return f"Zoho Inventory cannot be reached ({error.message})"
    return explain_sync_error(error)


def _has_serials_or_batches(conn: sqlite3.Connection, item_id: str) -> bool:
    found: int = conn.execute("SELECT EXISTS (SELECT 1 FROM serial_numbers WHERE item_id = ?) "
                              "OR EXISTS (SELECT 1 FROM batches WHERE item_id = ?)", (item_id, item_id)).fetchone()[0]
    return found == 1
