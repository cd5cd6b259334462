"""What ``outbox/for_station.py`` wires for a station, beyond its targets
(tests/outbox/test_entry_targets.py):

- every kind of entry a Zoho station records reaches Zoho through the station's one shared
  client holder (``station.zoho.get``): not signed in, each kind stops at that holder's
  NotConnected (which pauses the relay) and sends nothing;
- every kind an embedded station records is delivered into, and checked against, that
  station's own inventory store;
- the relay a command or the window gets works on the outbox it was given (the one whose
  changes the window's badge listens to), else on the station's own store, with the options
  it was given (policy, wait, rng)."""

from __future__ import annotations

import random
import threading
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import pytest

from scanner_app.backends.errors import NotConnected
from scanner_app.backends.zoho.backend import ZOHO_BACKEND
from scanner_app.config import BackendSettings, Settings
from scanner_app.inventory.importer import import_document
from scanner_app.outbox import EMBEDDED_TARGET, Outbox, RetryPolicy
from scanner_app.outbox.batch_receipts import BATCH_ASSIGN, SERIAL_RECEIVE, BatchAssignment, SerialReceipt
from scanner_app.outbox.bundles import BUNDLE_BUILD, BUNDLE_CONFIRM, BUNDLE_CREATE, AssemblyRecord, ConsumedComponent
from scanner_app.outbox.entries import OutboxEntry
from scanner_app.outbox.for_station import station_deliverers, station_relay
from scanner_app.outbox.serial_mapping import SERIAL_VALIDATE_AND_MAP, SerialMapping
from scanner_app.paths import resolve_paths
from scanner_app.station import Station

KINDS = (SERIAL_VALIDATE_AND_MAP, BATCH_ASSIGN, SERIAL_RECEIVE, BUNDLE_CREATE, BUNDLE_CONFIRM, BUNDLE_BUILD)
NOT_SIGNED_IN = "Zoho Inventory is not signed in: run scanner-app login zoho"


def payload(kind: str) -> dict[str, Any]:
    """A well-formed payload of each kind (the shapes the workflows record)."""
    if kind == SERIAL_VALIDATE_AND_MAP:
        return SerialMapping("salesorder", "SO-1", "I1", "W1", "B1", ("SN-1",)).to_payload()
    if kind == BATCH_ASSIGN:
        return BatchAssignment("I2", "L-1", 3.0, "W1", "B1", key="k-batch").to_payload()
    if kind == SERIAL_RECEIVE:
        return SerialReceipt("I1", "SN-9", "W1", key="k-serial").to_payload()
    return AssemblyRecord("ASM-1", "2026-12-01", "K1", "Kit", 1.0, "W1", None,
                          (ConsumedComponent("I3", "Part", 2.0),)).to_payload()


def entry(kind: str, target: str) -> OutboxEntry:
    return OutboxEntry(1, target, "doc", kind, payload(kind), "in_flight", 0, 0.0, False, None, None, None, 0.0,
                       0.0)


@pytest.fixture
def station(tmp_path: Path) -> Iterator[Station]:
    made = Station(resolve_paths(tmp_path / "home").ensure(), Settings(backend=BackendSettings(kind="embedded")))
    yield made
    made.close()


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_on_a_zoho_station_goes_through_the_stations_zoho_client(kind: str) -> None:
    asked: list[str] = []

    def not_signed_in() -> Any:
        asked.append(kind)
        raise NotConnected(NOT_SIGNED_IN, backend="Zoho Inventory")

    zoho_station = SimpleNamespace(backend=ZOHO_BACKEND, zoho=SimpleNamespace(get=not_signed_in), inventory=None)
    deliverers = station_deliverers(cast(Station, zoho_station))
    assert set(deliverers) == set(KINDS)
    with pytest.raises(NotConnected) as refused:
        deliverers[kind].deliver(entry(kind, "zoho:60012345"))
    assert refused.value.message == NOT_SIGNED_IN and asked == [kind]


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_on_an_embedded_station_is_checked_in_its_own_store(station: Station, kind: str) -> None:
    deliverers = station_deliverers(station)
    assert set(deliverers) == set(KINDS)
    # nothing of it is in the station's (new) store: not applied, so it will be sent
    assert deliverers[kind].was_applied(entry(kind, EMBEDDED_TARGET)) is None


def test_a_serial_receipt_is_delivered_into_the_stations_store(station: Station) -> None:
    import_document(station.inventory, {"warehouses": [{"warehouse_id": "W1", "warehouse_name": "Main"}],
                                        "items": [{"item_id": "I1", "name": "Drill", "track_serial_number": True}]})
    deliverer = station_deliverers(station)[SERIAL_RECEIVE]
    receipt = entry(SERIAL_RECEIVE, EMBEDDED_TARGET)
    deliverer.deliver(receipt)
    assert station.inventory.connection().execute(
        "SELECT item_id FROM serial_numbers WHERE serialnumber = 'SN-9'").fetchall() == [("I1",)]
    assert deliverer.was_applied(receipt) is not None  # found there: never applied twice


def test_the_relay_works_on_the_outbox_it_is_given_with_its_options(station: Station) -> None:
    outbox = Outbox(station.inventory)
    policy = RetryPolicy(max_attempts=2, backoff_seconds=3.0, max_backoff_seconds=5.0)

    def wait(wake: threading.Event, seconds: float) -> object:
        return wake.is_set()

    relay = station_relay(station, outbox, policy=policy, wait=wait, rng=random.Random(1))
    try:
        assert relay.outbox is outbox  # whose entry_changed the window's badge listens to
        assert relay.policy is policy
        assert relay.target == EMBEDDED_TARGET
    finally:
        relay.stop()


def test_without_an_outbox_the_relay_works_on_the_stations_store(station: Station) -> None:
    relay = station_relay(station)
    try:
        assert relay.outbox.store is station.inventory
        assert relay.policy == RetryPolicy()
    finally:
        relay.stop()
