"""Fixtures for the embedded inventory: a real SQLite file per test, empty or loaded
with the small catalogue of ``helpers.catalogue()``."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from scanner_app.inventory.importer import import_file
from scanner_app.inventory.store import InventoryStore
from tests.inventory.helpers import catalogue


@pytest.fixture
def store(tmp_path: Path) -> Iterator[InventoryStore]:
    s = InventoryStore(tmp_path / "inventory.sqlite3")
    yield s
    s.close()


@pytest.fixture
def write_json(tmp_path: Path) -> Any:
    counter = iter(range(1000))

    def write(document: Any, name: str | None = None) -> Path:
        path = tmp_path / (name or f"catalogue-{next(counter)}.json")
        path.write_text(json.dumps(document), encoding="utf-8")
        return path

    return write


@pytest.fixture
def loaded(store: InventoryStore, write_json: Any) -> InventoryStore:
    import_file(store, write_json(catalogue()))
    return store
