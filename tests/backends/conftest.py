"""Fixtures for the backend tests: a fake clock, and a fake Zoho on loopback."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, Generic, TypeVar

import pytest

from scanner_app.backends.http import HttpPolicy
from scanner_app.backends.shared_client import Closeable
from scanner_app.backends.zoho import ZohoClient
from tests.backends.fake_clock import FakeClock
from tests.backends.fake_zoho import FakeZoho

# Quick to fail and quick to retry: a test never waits for real except for timeouts.
TEST_POLICY = HttpPolicy(timeout_seconds=2.0, connect_timeout_seconds=2.0, requests_per_minute=6000,
                         burst=50, max_concurrent=8, max_attempts=3, backoff_seconds=0.01,
                         max_backoff_seconds=0.05)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def zoho() -> Iterator[FakeZoho]:
    with FakeZoho() as server:
        yield server


C = TypeVar("C", bound=Closeable)


class ClientMaker(Generic[C]):
    """Makes clients of a fake vendor with ``build(**options)`` on the test clock and
    :data:`TEST_POLICY` (keyword arguments override), and closes them all at the end."""

    def __init__(self, build: Callable[..., C], clock: FakeClock) -> None:
        self.build = build
        self.clock = clock
        self.clients: list[C] = []

    def __call__(self, **overrides: Any) -> C:
        client = self.build(**{"clock": self.clock, "policy": TEST_POLICY, **overrides})
        self.clients.append(client)
        return client

    def close_all(self) -> None:
        for client in self.clients:
            client.close()


@pytest.fixture
def make_client(zoho: FakeZoho, clock: FakeClock) -> Iterator[Callable[..., ZohoClient]]:
    """Clients of the fake Zoho (closed after the test); keyword arguments override."""

    def build(settings: Any = None, secrets: Any = None, **options: Any) -> ZohoClient:
        return ZohoClient(settings or zoho.settings(), secrets or zoho.secrets(), **options)

    maker = ClientMaker(build, clock)
    yield maker
    maker.close_all()
