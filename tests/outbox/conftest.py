"""Fixtures for the outbox tests: a real inventory file, a fake clock, an outbox on both,
and relays built on them (stopped after the test); the fake Zoho on loopback and real
ZohoClients talking to it (closed after the test)."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from scanner_app.backends.zoho import ZohoClient
from scanner_app.inventory.store import InventoryStore
from scanner_app.outbox import Outbox, OutboxRelay, RetryPolicy
from tests.backends.conftest import TEST_POLICY as HTTP_POLICY
from tests.backends.fake_clock import FakeClock
from tests.backends.fake_zoho import FakeZoho
from tests.outbox.helpers import KIND, FastForward, ScriptedDeliverer

TARGET = "test"
# small numbers: a few attempts before parking, waits of seconds (on the fake clock)
TEST_POLICY = RetryPolicy(max_attempts=4, backoff_seconds=1.0, max_backoff_seconds=8.0, jitter=0.5,
                          rate_limit_wait_seconds=30.0, idle_poll_seconds=1.0)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[InventoryStore]:
    s = InventoryStore(tmp_path / "inventory.sqlite3")
    yield s
    s.close()


@pytest.fixture
def outbox_clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def outbox(store: InventoryStore, outbox_clock: FakeClock) -> Outbox:
    return Outbox(store, now=outbox_clock.time)


@pytest.fixture
def deliverer() -> ScriptedDeliverer:
    return ScriptedDeliverer()


@pytest.fixture
def make_relay(outbox: Outbox, outbox_clock: FakeClock,
               deliverer: ScriptedDeliverer) -> Iterator[Callable[..., OutboxRelay]]:
    relays: list[OutboxRelay] = []

    def make(**options: Any) -> OutboxRelay:
        values: dict[str, Any] = {"policy": TEST_POLICY, "wait": FastForward(outbox_clock),
                                  "rng": random.Random(7)}
        values.update(options)
        target = values.pop("target", TARGET)
        deliverers = values.pop("deliverers", {KIND: deliverer})
        relay = OutboxRelay(values.pop("outbox", outbox), target, deliverers, **values)
        relays.append(relay)
        return relay

    yield make
    for relay in relays:
        relay.stop()


@pytest.fixture
def add(outbox: Outbox) -> Callable[..., int]:
    """Record one test entry in a transaction of its own; returns its id."""

    def add_entry(key: str, document: str = "doc-1", kind: str = KIND, target: str = TARGET) -> int:
        with outbox.store.transaction() as conn:
            entry_id = outbox.enqueue(conn, target=target, document=document, kind=kind, payload={"key": key})
        outbox.announce([entry_id])
        return entry_id

    return add_entry


@pytest.fixture
def zoho() -> Iterator[FakeZoho]:
    with FakeZoho() as server:
        yield server


@pytest.fixture
def client(zoho: FakeZoho) -> Iterator[ZohoClient]:
    made = ZohoClient(zoho.settings(), zoho.secrets(), clock=FakeClock(), policy=HTTP_POLICY)
    yield made
    made.close()


@pytest.fixture
def clients(client: ZohoClient) -> Iterator[list[ZohoClient]]:
    """The client a deliverer uses is ``clients[-1]``: ``client`` at first, then whichever one
    a test adds (each closed after the test)."""
    made = [client]
    yield made
    for added in made[1:]:
        added.close()
