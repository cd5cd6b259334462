"""``scanner-app assemble`` as a script runs it, on a real home folder: recorded and
delivered (exit 0), every refusal said with nothing recorded (exit 1), on an embedded
station and on a Zoho station (the fake Zoho on loopback, secrets from the environment)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from scanner_app.config import BackendSettings, Settings, save_settings
from scanner_app.inventory.importer import import_document
from scanner_app.inventory.store import InventoryStore
from scanner_app.outbox import EMBEDDED_TARGET, Outbox, OutboxRelay
from scanner_app.outbox.embedded_bundles import embedded_bundle_deliverers
from tests.backends.fake_zoho import FakeZoho
from tests.workflows.helpers import run_json, script
from tests.workflows.kit_catalogue import GLUE_GTIN, SCREW_GTIN, kit_catalogue

REPAIR_KIT_PARTS = ("--component", f"(01){SCREW_GTIN}(30)2", "--component", "DRL-18=SN-1",
                    "--component", "GLU-50=GL-OK", "--component", f"(01){GLUE_GTIN}(10)GL-MORE(30)1")


@pytest.fixture
def home(tmp_path: Path) -> Path:
    folder = tmp_path / "home"
    store = InventoryStore(folder / "data" / "inventory.sqlite3")
    import_document(store, kit_catalogue())
    store.close()
    return folder


def assemble(capsys: pytest.CaptureFixture[str], home: Path, *args: str) -> tuple[int, dict[str, Any]]:
    return run_json(capsys, home, "assemble", *args)


def inventory(home: Path, sql: str) -> list[tuple[Any, ...]]:
    store = InventoryStore(home / "data" / "inventory.sqlite3")
    try:
        return store.connection().execute(sql).fetchall()
    finally:
        store.close()


def test_an_assembly_is_recorded_and_exits_0(capsys: pytest.CaptureFixture[str], home: Path) -> None:
    code, report = assemble(capsys, home, "--kit", "KIT-REP", "--warehouse", "main", "--location", "a-01-01",
                            *REPAIR_KIT_PARTS)
    assert code == 0, report
    assert (report["recorded"], report["progress"], report["problem"]) == (True, "recorded", None)
    assert report["kit"] == {"item_id": "KREP", "name": "Repair kit", "sku": "KIT-REP"}
    assert (report["warehouse_id"], report["bin_id"]) == ("W1", "B1") and report["reference"].startswith("ASM-")
    assert [(c["name"], c["ticked"], c["needed"]) for c in report["components"]] == [
        ("Screw pack", 2, 2), ("Drill", 1, 1), ("Glue", 2, 2)]
    assert inventory(home, "SELECT quantity FROM item_stock WHERE item_id = 'KREP'") == [(1,)]
    assert inventory(home, "SELECT state FROM outbox_entries") == [("delivered",)] * 3
    again, second = assemble(capsys, home, "--kit", "KIT-REP", "--warehouse", "W1", "--location", "B1",
                             *REPAIR_KIT_PARTS)
    assert again == 1 and not second["recorded"]
    assert ("DRL-18", "transacted_out") in [(s["code"], s["verdict"]) for s in second["scans"]]


def test_each_refusal_is_said_and_nothing_is_recorded(capsys: pytest.CaptureFixture[str], home: Path) -> None:
    code, report = assemble(capsys, home, "--kit", "KIT-REP", "--warehouse", "W1", "--location", "A-01-01",
                            "--component", "SCR-10", "--component", "SCR-10", "--component", "SCR-10",
                            "--component", "DRL-18", "--component", "GLU-50=GL-OLD", "--component", "BOX-1",
                            "--component", "SCR-10=SN-1", "--component", "DRL-18=SN-N")
    assert code == 1 and not report["recorded"]
    refused = [(s["code"], s["detail"], s["verdict"], s["message"]) for s in report["scans"] if not s["accepted"]]
    assert refused == [
        ("SCR-10", None, "too_many", "All 2 of Screw pack are ticked already"),
        ("DRL-18", None, "needs_serial", "Drill is tracked by serial number: give each unit's serial number"),
        ("GLU-50", "GL-OLD", "batch_expired", "Batch GL-OLD of Glue expired on 2024-11-30"),
        ("BOX-1", None, "not_in_kit", "Box is not a component of Repair kit"),
        ("SCR-10", "SN-1", "not_tracked", "Screw pack is not tracked by serial number or batch: give --component "
                                          "SCR-10 without =SN-1"),
        ("DRL-18", "SN-N", "other_warehouse", "SN-N of Drill is in North, not in this warehouse")]
    assert report["problem"].startswith("refused, so nothing was recorded: SCR-10: All 2 of Screw pack")
    assert inventory(home, "SELECT count(*) FROM outbox_entries") == [(0,)]
    assert inventory(home, "SELECT state FROM assemblies") == [("cancelled",)]


def test_missing_components_and_places_are_said(capsys: pytest.CaptureFixture[str], home: Path) -> None:
    code, report = assemble(capsys, home, "--kit", "KIT-REP", "--warehouse", "W1", "--component", "SCR-10")
    assert code == 1 and report["problem"] == "components still to scan: Screw pack 1 more, Drill 1 more, Glue 2 more"
    code, report = assemble(capsys, home, "--kit", "KIT-REP", "--component", "SCR-10")
    assert code == 1 and report["problem"] == ("choose the warehouse with --warehouse; the inventory has: "
                                               "Main (W1), North (W2)")
    code, report = assemble(capsys, home, "--kit", "SCR-10", "--warehouse", "W1")
    assert code == 1 and report["problem"] == ("--kit SCR-10: Screw pack is not a kit (composite item): "
                                               "scan the kit to build")
    code, report = assemble(capsys, home, "--kit", "KIT-WS", "--warehouse", "W1", "--location", "A-01-01",
                            "--component", "KIT-REP", "--component", "BOX-1")
    assert code == 1 and report["note"].startswith("Repair kit is itself a kit and none is in stock in bin "
                                                   "A-01-01: build it first")
    assert report["scans"][1]["verdict"] == "out_of_stock"
    code, report = assemble(capsys, home, "--kit", "KIT-REP", "--warehouse", "W1", "--quantity", "0")
    assert code == 2 and report["problem"] == "--quantity must be at least 1"


def test_the_command_as_a_script(home: Path) -> None:
    done = script(home, "assemble", "--kit", "RK-1", "--warehouse", "Main", "--location", "A-01-01", *REPAIR_KIT_PARTS)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.splitlines()[-1] == "recorded" and "Glue: 2 of 2 (20 in stock)" in done.stdout


def test_the_window_relay_delivers_while_the_command_waits(capsys: pytest.CaptureFixture[str], home: Path) -> None:
    store = InventoryStore(home / "data" / "inventory.sqlite3")
    relay = OutboxRelay(Outbox(store), EMBEDDED_TARGET, embedded_bundle_deliverers(store))
    relay.start()  # as the open window does: it holds the outbox
    try:
        code, report = assemble(capsys, home, "--kit", "KIT-REP", "--warehouse", "W1", "--location", "B1",
                                *REPAIR_KIT_PARTS)
    finally:
        relay.stop()
        store.close()
    assert code == 0 and report["progress"] == "recorded"


@pytest.fixture
def zoho_home(home: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Path, FakeZoho]]:
    with FakeZoho() as zoho:
        save_settings(home / "config.toml", Settings(backend=BackendSettings(kind="zoho"), zoho=zoho.settings()))
        monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
        monkeypatch.setenv("SCANNER_APP_ZOHO_CLIENT_SECRET", zoho.client_secret)
        monkeypatch.setenv("SCANNER_APP_ZOHO_REFRESH_TOKEN", zoho.refresh_token)
        # Zoho holds the same records as the station's copy: the command fetches the
        # components' details (record, serials, batches) from Zoho before it checks them
        catalogue = kit_catalogue()
        for item in catalogue["items"]:
            if item["item_id"] in ("SCR", "DRL", "GLU"):
                zoho.inventory.items[item["item_id"]] = {"status": "active", **item}
        for serial in catalogue["serial_numbers"]:
            zoho.inventory.add_serial(serial.pop("item_id"), serial.pop("serialnumber"), **serial)
        for batch in catalogue["batches"]:
            zoho.inventory.add_batch(batch.pop("item_id"), batch.pop("batch_number"), **batch)
        zoho.inventory.composites["KREP"] = {"composite_item_id": "KREP", "name": "Repair kit", "mapped_items": [
            {"item_id": "SCR", "quantity": 2}, {"item_id": "DRL", "quantity": 1}, {"item_id": "GLU", "quantity": 2}]}
        yield home, zoho


def test_a_zoho_station_records_the_assembly_in_zoho(capsys: pytest.CaptureFixture[str],
                                                     zoho_home: tuple[Path, FakeZoho]) -> None:
    home, zoho = zoho_home
    code, report = assemble(capsys, home, "--kit", "KIT-REP", "--warehouse", "W1", "--location", "B1",
                            *REPAIR_KIT_PARTS)
    assert code == 0, report
    [bundle] = zoho.inventory.bundles.values()
    assert (bundle["reference_number"], bundle["status"], bundle["quantity_to_bundle"]) == (
        report["reference"], "built", 1)
    assert [(line["item_id"], line["quantity_consumed"]) for line in bundle["line_items"]] == [
        ("SCR", 2), ("DRL", 1), ("GLU", 2)]
    assert [r.method + " " + r.path.rsplit("/", 1)[-1] for r in zoho.requests if r.method == "POST"
            and "/bundles" in r.path] == ["POST bundles", "POST confirmed", "POST bundled"]
