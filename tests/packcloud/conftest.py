"""Fixtures for the Pack.cloud tests: the fake Pack.cloud on loopback, clients of it on a
fake clock, and a store whose catalogue links Pack.cloud products to items."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from scanner_app.backends.packcloud import PackcloudClient
from scanner_app.inventory.importer import import_document
from scanner_app.inventory.store import InventoryStore
from tests.backends.conftest import ClientMaker, clock  # noqa: F401 (a fixture)
from tests.backends.fake_clock import FakeClock
from tests.backends.fake_packcloud import FakePackcloud

MakeClient = Callable[..., PackcloudClient]

# Two warehouses with a bin each; two serial-tracked items linked to Pack.cloud products,
# one serial-tracked item that is not linked, one untracked; no serial numbers (Pack.cloud
# keeps them).
CATALOGUE: dict[str, Any] = {
    "warehouses": [{"warehouse_id": "W1", "warehouse_name": "Main"}, {"warehouse_id": "W2", "warehouse_name": "North"}],
    "bins": [{"bin_id": "B1", "warehouse_id": "W1", "code": "A-01", "name": "Aisle A 1"},
             {"bin_id": "B9", "warehouse_id": "W2", "code": "N-09", "name": "North 9"}],
    "items": [
        {"item_id": "I-TRIPOD", "name": "Tripod", "sku": "TRI-1", "track_serial_number": True},
        {"item_id": "I-CAM", "name": "Camera X100", "sku": "CAM-X100", "ean": "4006381333931",
         "track_serial_number": True},
        {"item_id": "I-LENS", "name": "Lens 50mm", "sku": "LENS-50", "part_number": "PN-50",
         "track_serial_number": True},
        {"item_id": "I-STRAP", "name": "Strap", "sku": "STRAP-1"},
    ],
    "packcloud_products": [
        {"product_id": "prod-cam", "item_id": "I-CAM"},
        {"product_id": "prod-cam-refurb", "gtin": "4006381333931"},
        {"product_id": "prod-lens", "sku": "lens-50"},
    ],
}


@pytest.fixture
def packcloud() -> Iterator[FakePackcloud]:
    with FakePackcloud() as server:
        yield server


@pytest.fixture
def make_client(packcloud: FakePackcloud, clock: FakeClock) -> Iterator[MakeClient]:
    """Clients of the fake Pack.cloud (closed after the test); keyword arguments override."""

    def build(settings: Any = None, token: Any = None, **options: Any) -> PackcloudClient:
        return PackcloudClient(settings or packcloud.settings(), token or packcloud.token, **options)

    maker = ClientMaker(build, clock)
    yield maker
    maker.close_all()


# Pack.cloud's stocks as this station's warehouses ([packcloud] stock_warehouses)
STOCKS = {"stock-main": "W1", "stock-north": "W2"}


def seed_units(packcloud: FakePackcloud) -> None:
    """One unit per dispatch rule, as Pack.cloud holds them."""
    packcloud.add_serial("CAM-0001", "prod-cam", stock_id="stock-main")
    packcloud.add_serial("CAM-0004", "prod-cam", stock_id="stock-main")
    packcloud.add_serial("CAM-0002", "prod-cam", stock_id=None, fulfillment_line_id="fl-311")
    packcloud.add_serial("CAM-0003", "prod-cam", stock_id=None)
    packcloud.add_serial("CAM-N1", "prod-cam", stock_id="stock-north")
    packcloud.add_serial("CAM-X1", "prod-cam", stock_id="stock-elsewhere")
    packcloud.add_serial("LENS-0001", "prod-lens", stock_id="stock-main")


@pytest.fixture
def linked_store(tmp_path: Path) -> Iterator[InventoryStore]:
    """A store holding :data:`CATALOGUE` and its product links."""
    with InventoryStore(tmp_path / "inventory.sqlite3") as store:
        import_document(store, CATALOGUE)
        yield store
