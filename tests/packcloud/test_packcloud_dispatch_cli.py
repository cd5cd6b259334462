"""``scanner-app packcloud stock/stocks`` and ``scanner-app dispatch`` on a Pack.cloud
station, as scripts use them: real subprocesses against the fake Pack.cloud on loopback,
the token from SCANNER_APP_PACKCLOUD_TOKEN."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from tests.backends.fake_packcloud import FakePackcloud
from tests.packcloud.conftest import CATALOGUE, seed_units
from tests.packcloud.test_packcloud_cli import TOKEN_ENV, configured  # noqa: F401 (a fixture)
from tests.sync.test_sync_cli import run_cli


def count(home: Path, table: str) -> int:
    with sqlite3.connect(home / "data" / "inventory.sqlite3") as conn:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def dispatch(home: Path, packcloud: FakePackcloud, entity: str, *serials: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    args = ["dispatch", "--entity-type", "salesorder", "--entity-id", entity, "--warehouse", "Main",
            "--location", "A-01", "--item", "CAM-X100", "--json"]
    for serial in serials:
        args += ["--serial", serial]
    done = run_cli(home, *args, env={TOKEN_ENV: packcloud.token})
    return done.returncode, json.loads(done.stdout)


def test_stock_mapping_then_a_dispatch_checked_in_packcloud(packcloud: FakePackcloud, configured: Path) -> None:
    catalogue = configured / "catalogue.json"
    catalogue.write_text(json.dumps(CATALOGUE))
    assert run_cli(configured, "import", catalogue.as_posix()).returncode == 0
    seed_units(packcloud)

    none = run_cli(configured, "packcloud", "stocks")
    assert none.returncode == 0 and "No Pack.cloud stock is mapped" in none.stdout
    unmapped, report = dispatch(configured, packcloud, "SO-0", "CAM-0001")
    assert unmapped == 1 and report["serials"][0]["verdict"] == "stock_not_mapped"
    assert "scanner-app packcloud stock stock-main --warehouse W" in report["serials"][0]["message"]

    mapped = run_cli(configured, "packcloud", "stock", "stock-main", "--warehouse", "main")  # by name, any case
    assert mapped.returncode == 0 and "warehouse Main (W1)" in mapped.stdout
    assert run_cli(configured, "packcloud", "stock", "stock-north", "--warehouse", "W2").returncode == 0
    nowhere = run_cli(configured, "packcloud", "stock", "stock-x", "--warehouse", "Atlantis")
    assert nowhere.returncode == 1 and "there is no warehouse 'Atlantis'" in nowhere.stderr
    listed = json.loads(run_cli(configured, "packcloud", "stocks", "--json").stdout)["stocks"]
    assert listed == [{"stock_id": "stock-main", "warehouse_id": "W1", "warehouse_name": "Main"},
                      {"stock_id": "stock-north", "warehouse_id": "W2", "warehouse_name": "North"}]
    assert 'stock_warehouses = [\n    "stock-main=W1",' in (configured / "config.toml").read_text()

    refused, report = dispatch(configured, packcloud, "SO-1", "CAM-0001", "CAM-0002", "CAM-N1")
    assert refused == 1 and report["problem"] == "some serial numbers were refused: nothing was recorded"
    assert [s["verdict"] for s in report["serials"]] == ["serial_added", "transacted_out", "other_warehouse"]
    assert count(configured, "dispatches WHERE state != 'cancelled'") == 0 and count(configured, "outbox_entries") == 0
    ok, report = dispatch(configured, packcloud, "SO-2", "CAM-0001", "CAM-0004")
    assert ok == 0 and report["all_mapped"] is True and report["problem"] is None
    assert [(s["serialnumber"], s["state"], s["bin_id"]) for s in report["serials"]] == \
        [("CAM-0001", "recorded", "B1"), ("CAM-0004", "recorded", "B1")]
    assert count(configured, "outbox_entries") == 0  # nothing for Pack.cloud, which cannot take it
    again, report = dispatch(configured, packcloud, "SO-3", "CAM-0001")
    assert again == 1 and report["serials"][0]["verdict"] == "claimed" and "SO-2" in report["serials"][0]["message"]

    removed = run_cli(configured, "packcloud", "stock", "stock-north", "--remove")
    assert removed.returncode == 0 and "no longer mapped" in removed.stdout
    text = run_cli(configured, "packcloud", "serial", "CAM-N1", env={TOKEN_ENV: packcloud.token}).stdout
    assert "in stock stock-north (stock not mapped to a warehouse)" in text
    checked = run_cli(configured, "packcloud", "serial", "CAM-0001", "--item", "CAM-X100", "--warehouse", "North",
                      env={TOKEN_ENV: packcloud.token})
    assert checked.returncode == 1 and "is in Main (Pack.cloud stock stock-main), not in North" in checked.stdout
