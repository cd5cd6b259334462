"""What the dispatch's scan rules use of the open dispatch: :class:`OpenDispatch`. Qt-free.

The rules (:class:`~scanner_app.workflows.dispatch_scans.DispatchScans`, and a serial
register's :class:`~scanner_app.workflows.dispatch_register.RegisterSerialRule`) get this
narrow view, not the whole :class:`~scanner_app.workflows.dispatch.DispatchWorkflow`: what
they read (the dispatch, its serials, the claims elsewhere), the two things a scan sets
(the current item and bin), and the one way they take a serial in. The workflow is one
(mypy checks it where it hands itself to them), and nothing here imports it.
"""

from __future__ import annotations

from typing import Protocol

from scanner_app.inventory.models import Bin, Item, SerialNumber
from scanner_app.inventory.store import InventoryStore
from scanner_app.workflows.dispatch_answers import DispatchAnswer
from scanner_app.workflows.dispatch_records import DispatchRecords, DispatchRow
from scanner_app.workflows.serial_checks import SerialClaims


class OpenDispatch(Protocol):
    """The dispatch the scan rules check a scan against, and what a scan may change of it."""

    dispatch: DispatchRow | None  # None: no dispatch started
    current_item: Item | None  # set by an item scan (or a serial scanned first)
    current_bin: Bin | None  # set by a bin scan: the serials that follow are picked from it
    store: InventoryStore
    records: DispatchRecords
    claims: SerialClaims

    @property
    def is_open(self) -> bool: ...

    def item_name(self, item_id: str) -> str: ...

    def has_serial(self, item_id: str, serialnumber: str) -> bool: ...

    def scanned_keys(self) -> list[tuple[str, str]]: ...

    def count_again(self, item_id: str, number: str) -> DispatchAnswer | None: ...

    def select_item(self, item: Item) -> None: ...

    def add_checked_serial(self, serial: SerialNumber, number: str, scanned_bin: Bin | None) -> DispatchAnswer: ...
