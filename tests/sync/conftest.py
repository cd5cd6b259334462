"""Fixtures for the sync tests: a fake Zoho on loopback whose records are a day old (so
a test decides what "changed since the last sync" means), a store, and its client."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from scanner_app.backends.zoho import ZohoClient
from scanner_app.inventory.store import InventoryStore
from tests.backends.conftest import TEST_POLICY
from tests.backends.fake_zoho import FakeZoho
from tests.sync.fixtures import zoho  # noqa: F401 (a fixture)


@pytest.fixture
def client(zoho: FakeZoho) -> Iterator[ZohoClient]:
    with ZohoClient(zoho.settings(), zoho.secrets(), policy=TEST_POLICY) as made:
        yield made


@pytest.fixture
def store(tmp_path: Path) -> Iterator[InventoryStore]:
    with InventoryStore(tmp_path / "inventory.sqlite3") as opened:
        yield opened
