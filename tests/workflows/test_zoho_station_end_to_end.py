"""A Zoho station end to end from the command line, as a new user runs it: a fresh home, no
window ever opened, `configure zoho` -> `sync` -> `dispatch` -> `receive` -> `lookup` ->
`assemble`, each a real process against the fake Zoho on loopback. The organisation is
tried in both shapes a record names its place in (a location row with ``storages``;
``warehouse_id`` with the bin as ``location_id``), and the warehouse is given by its
name and by its id."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from scanner_app.days import TODAY_ENV
from tests.backends.fake_zoho import FakeZoho
from tests.backends.fake_zoho_places import SHAPES
from tests.sync.fixtures import zoho  # noqa: F401 (a fixture)
from tests.sync.test_sync_cli import NO_KEYRING, secrets_env

ROOT = Path(__file__).resolve().parents[2]


def _cli(home: Path, zoho: FakeZoho, *args: str) -> tuple[int, Any, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCANNER_APP_") or k == TODAY_ENV}
    env.update({"PYTHON_KEYRING_BACKEND": NO_KEYRING, **secrets_env(zoho)})
    done = subprocess.run([sys.executable, "-m", "scanner_app", "--home", str(home), *args], capture_output=True,
                          text=True, cwd=ROOT, env=env, timeout=120)
    try:
        answer = json.loads(done.stdout) if "--json" in args else done.stdout
    except ValueError:
        answer = done.stdout
    return done.returncode, answer, done.stderr


def _organisation(zoho: FakeZoho, shape: str) -> dict[str, str]:
    places, inv = zoho.inventory.places, zoho.inventory
    main = places.add_warehouse("Main Warehouse")
    north = places.add_warehouse("North Depot")
    a1, a2 = places.add_bin(main, "A-01-01"), places.add_bin(main, "A-01-02")
    places.add_bin(main, "R-EMPTY")
    places.add_bin(north, "N-01")
    laptop = inv.add_item("ThinkBook 14 Laptop", sku="LAP-TB14", track_serial_number=True,
                          locations=places.stock_rows(shape, [(main, a2, 3)]))
    for number in ("SN-LAP-001", "SN-LAP-002", "SN-LAP-003"):
        inv.add_serial(laptop["item_id"], number, **places.serial_place(shape, main, a2))
    cable = inv.add_item("USB-C Cable", sku="CBL-USBC", locations=places.stock_rows(shape, [(main, a1, 10)]))
    milk = inv.add_item("Oat Milk 1 l", sku="OAT-1L", track_batch_number=True,
                        locations=places.stock_rows(shape, [(main, a1, 0)]))
    kit = inv.add_composite("Laptop Starter Kit", [(laptop["item_id"], 1), (cable["item_id"], 2)], sku="KIT-LAP",
                            locations=places.stock_rows(shape, [(main, None, 0)]))
    return {"main": main, "a1": a1, "a2": a2, "laptop": laptop["item_id"], "milk": milk["item_id"],
            "cable": cable["item_id"],
            "kit": kit["composite_item_id"]}


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("by", ["name", "id"])
def test_a_new_zoho_station_does_the_core_jobs_from_the_command_line(
        zoho: FakeZoho, tmp_path: Path, shape: str, by: str) -> None:
    ids = _organisation(zoho, shape)
    home = tmp_path / "home"
    warehouse = "Main Warehouse" if by == "name" else ids["main"]
    code, _, err = _cli(home, zoho, "configure", "zoho", "--organization-id", zoho.organization_id,
                        "--data-center", "eu", "--client-id", zoho.client_id, "--api-url", zoho.url,
                        "--accounts-url", zoho.url)
    assert code == 0, err
    code, synced, err = _cli(home, zoho, "sync", "--json")
    assert code == 0, err
    assert synced["places"]["warehouses_from"] == "locations" and synced["places"]["bins"] == 4

    # dispatch: the serial is known only to Zoho until the command fetches it; mapped from its bin
    code, dispatched, err = _cli(home, zoho, "dispatch", "--entity-type", "salesorder", "--entity-id", "5001",
                                 "--warehouse", warehouse, "--item", "LAP-TB14", "--serial", "SN-LAP-001", "--json")
    assert code == 0, (dispatched, err)
    assert dispatched["warehouse_id"] == ids["main"]
    [mapping] = zoho.inventory.serial_mappings
    assert mapping["serial_numbers"] == ["SN-LAP-001"] and mapping.get("entity_id") == "5001"
    assert mapping.get("warehouse_id") == ids["main"] and mapping.get("location_id") == ids["a2"]
    # read your own writes: the mapped serial is not offered to another dispatch
    code, again, _ = _cli(home, zoho, "dispatch", "--entity-type", "salesorder", "--entity-id", "5002",
                          "--warehouse", warehouse, "--item", "LAP-TB14", "--serial", "SN-LAP-001", "--json")
    assert code != 0 and again["serials"][0]["state"] == "refused"
    assert len(zoho.inventory.serial_mappings) == 1

    # receive: a new batch is created in Zoho and found by lookup straight after
    code, received, err = _cli(home, zoho, "receive", "--item", "OAT-1L", "--batch", "OAT-2026-12",
                               "--expiry", "2031-01-31", "--quantity", "12", "--warehouse", warehouse,
                               "--bin", "A-01-01", "--reference", "PR-77", "--json")
    assert code == 0, (received, err)
    assert [b["batch_number"] for b in zoho.inventory.batches.values()] == ["OAT-2026-12"]
    code, looked, err = _cli(home, zoho, "lookup", "OAT-2026-12", "--json")
    assert code == 0 and looked["kind"] == "batch", (looked, err)

    # assemble: the kit is built in Zoho and its stock goes up here at once
    code, built, err = _cli(home, zoho, "assemble", "--kit", "KIT-LAP", "--quantity", "1", "--warehouse", warehouse,
                            "--component", "LAP-TB14=SN-LAP-002", "--component", "CBL-USBC",
                            "--component", "CBL-USBC", "--json")
    assert code == 0, (built, err)
    [bundle] = zoho.inventory.bundles.values()
    assert bundle["composite_item_id"] == ids["kit"] and bundle["status"] in ("built", "bundled")
    lines = {line["item_id"]: line for line in bundle["line_items"]}
    assert lines[ids["laptop"]]["serial_numbers"] == ["SN-LAP-002"]  # the unit consumed, per compositeitems.yml
    assert lines[ids["laptop"]]["quantity_consumed"] == 1 and "serial_numbers" not in lines[ids["cable"]]
    code, kit, err = _cli(home, zoho, "lookup", "KIT-LAP", "--json")
    assert code == 0, err
    assert sum(line["quantity"] for line in kit["item"]["stock"]) == 1.0
