"""Fixtures for the backend tests: a fake clock, and a fake Zoho on loopback."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from scanner_app.backends.http import HttpPolicy
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


@pytest.fixture
def make_client(zoho: FakeZoho, clock: FakeClock) -> Iterator[Callable[..., ZohoClient]]:
    """Clients of the fake Zoho (closed after the test); keyword arguments override."""
    clients: list[ZohoClient] = []

    def make(**overrides: Any) -> ZohoClient:
        options: dict[str, Any] = {"clock": clock, "policy": TEST_POLICY}
        options.update(overrides)
        settings = options.pop("settings", None) or zoho.settings()
        secrets = options.pop("secrets", None) or zoho.secrets()
        client = ZohoClient(settings, secrets, **options)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()
