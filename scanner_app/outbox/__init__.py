"""The durable outbox: every write meant for an inventory system is recorded in the
inventory database, in the same transaction as the workflow state that caused it, and
delivered in the background exactly once, in order per document. No Qt.

- ``entries``: :class:`OutboxEntry`, its states, :class:`EntryChange`, document keys, targets;
- ``store``: :class:`Outbox` (enqueue inside a caller's transaction, list, counts, retry, discard);
- ``ledger``: the relay's side of the tables (claim, delivered, wait, fail, park);
- ``delivery``: the :class:`Deliverer` protocol, :class:`RetryPolicy`, backend errors -> actions;
- ``relay``: :class:`OutboxRelay` (the worker thread, exactly once, status, flush);
- ``relay_lock``: one relay per outbox across processes;
- ``serial_mapping``: the ``serial.validate_and_map`` payload and grouping by item and bin;
- ``zoho_serials``, ``embedded_serials``: its deliverers for Zoho and for the local store;
- ``local_copy``: what a cloud system accepted, written into the station's store at once;
- ``for_station``: target, deliverers and relay of a :class:`~scanner_app.station.Station`.
"""

from scanner_app.outbox.delivery import Deliverer, RetryPolicy
from scanner_app.outbox.entries import (
    EMBEDDED_TARGET,
    EntryChange,
    EntryState,
    OutboxEntry,
    document_key,
    zoho_target,
)
from scanner_app.outbox.relay import OutboxRelay
from scanner_app.outbox.relay_status import NoDeliverer, RelayBusy, RelayStatus
from scanner_app.outbox.serial_mapping import (
    SERIAL_VALIDATE_AND_MAP,
    PickedSerial,
    SerialMapping,
    enqueue_serial_mappings,
    group_serial_mappings,
)
from scanner_app.outbox.store import ActionRefused, Outbox, OutboxAction, OutboxError, UnknownEntry

__all__ = [
    "EMBEDDED_TARGET",
    "SERIAL_VALIDATE_AND_MAP",
    "ActionRefused",
    "Deliverer",
    "EntryChange",
    "EntryState",
    "NoDeliverer",
    "Outbox",
    "OutboxAction",
    "OutboxEntry",
    "OutboxError",
    "OutboxRelay",
    "PickedSerial",
    "RelayBusy",
    "RelayStatus",
    "RetryPolicy",
    "SerialMapping",
    "UnknownEntry",
    "document_key",
    "enqueue_serial_mappings",
    "group_serial_mappings",
    "zoho_target",
]
