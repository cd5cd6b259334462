"""A Zoho station's workflow commands fetch what they check, with no window ever opened:
``configure zoho`` → ``sync`` → ``dispatch`` / ``receive`` / ``assemble`` as scripts run
them (real subprocesses, a fresh home folder, the fake Zoho on loopback). Zoho's item
lists leave out the tracking flags, serial numbers and batches (the fake's records get
their tracking flags only after the sync, as a real organisation's lists would show
them), so each command must bring the item's details (``ItemDetails``) up to date before
it checks; fresh details are not fetched again; stale ones are; offline, the local copy
is used and said, or, with none, the command refuses with the reason."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.backends.fake_zoho import FakeZoho
from tests.sync.test_sync_cli import assert_no_secret_in, run_cli, secrets_env

ITEMS = "/inventory/v1/items"
MAX_AGE_MINUTES = 10  # [sync] details_max_age_minutes, the default


@dataclass
class Organisation:
    zoho: FakeZoho
    home: Path
    main: str  # "Main Warehouse"
    laptop: dict[str, Any]  # serial-tracked
    sanitiser: dict[str, Any]  # batch-tracked
    scanner: dict[str, Any]  # serial-tracked, never scanned on this station

    def run(self, *args: str) -> tuple[int, dict[str, Any], str]:
        """``scanner-app --home HOME ARGS --json``: exit code, report, stderr."""
        done = run_cli(self.home, *args, "--json", env=secrets_env(self.zoho))
        assert done.stdout, done.stderr
        return done.returncode, json.loads(done.stdout), done.stderr

    def dispatch(self, order: str, *serials: str, item: str = "LAP-TB14", timeout: str = "30") -> tuple[
            int, dict[str, Any], str]:
        return self.run("dispatch", "--entity-type", "salesorder", "--entity-id", order,
                        "--warehouse", "Main Warehouse", "--location", "A-01-01", "--item", item,
                        "--timeout", timeout, *(arg for s in serials for arg in ("--serial", s)))

    def item_reads(self, record: dict[str, Any]) -> int:
        """GETs of the item's own record (its details)."""
        return self.zoho.count("GET", f"{ITEMS}/{record['item_id']}")

    def age_details(self, record: dict[str, Any], minutes: float) -> None:
        """Make the stored details of ``record`` ``minutes`` older (no waiting)."""
        with sqlite3.connect(self.home / "data" / "inventory.sqlite3") as conn:
            changed = conn.execute("UPDATE item_details_fetched SET fetched_at = fetched_at - ? WHERE item_id = ?",
                                   (minutes * 60, record["item_id"])).rowcount
        assert changed == 1

    def sql(self, query: str, *params: Any) -> list[tuple[Any, ...]]:
        with sqlite3.connect(self.home / "data" / "inventory.sqlite3") as conn:
            return conn.execute(query, params).fetchall()


@pytest.fixture
def org(tmp_path: Path) -> Iterator[Organisation]:
    with FakeZoho() as zoho:
        places = zoho.inventory.places
        main = places.add_warehouse("Main Warehouse")
        places.add_bin(main, "A-01-01")
        inventory = zoho.inventory
        laptop = inventory.add_item("ThinkBook 14 Laptop", sku="LAP-TB14",
                                    locations=places.stock_rows("storages", [(main, None, 5)]))
        for number in ("SN-LAP-001", "SN-LAP-002", "SN-LAP-003"):
            inventory.add_serial(laptop["item_id"], number, **places.serial_place("storages", main, None))
        inventory.add_serial(laptop["item_id"], "SN-LAP-OUT", is_transacted_out=True,
                             **places.serial_place("storages", main, None))
        sanitiser = inventory.add_item("Hand sanitiser 500 ml", sku="SAN-500",
                                       locations=places.stock_rows("storages", [(main, None, 40)]))
        inventory.add_batch(sanitiser["item_id"], "SAN-2401", expiry_date="2027-01-31", balance_quantity=0,
                            **places.serial_place("storages", main, None))
        scanner = inventory.add_item("Scanner Z-2200", sku="Z22",
                                     locations=places.stock_rows("storages", [(main, None, 2)]))
        inventory.add_serial(scanner["item_id"], "Z22-1001", **places.serial_place("storages", main, None))
        cable = inventory.add_item("USB-C cable", sku="CAB-1", locations=places.stock_rows("storages", [(main, None, 10)]))
        inventory.add_composite("Laptop starter kit", [(laptop["item_id"], 1), (cable["item_id"], 1)], sku="KIT-LAP")

        home = tmp_path / "home"
        configured = run_cli(home, "configure", "zoho", "--organization-id", zoho.organization_id,
                             "--data-center", "eu", "--client-id", zoho.client_id, "--api-url", zoho.url,
                             "--accounts-url", zoho.url, "--requests-per-minute", "1000")
        assert configured.returncode == 0, configured.stderr
        synced = run_cli(home, "sync", env=secrets_env(zoho))
        assert synced.returncode == 0, synced.stderr
        # What the item lists did not say: only each item's own record does
        for record, flag in ((laptop, "track_serial_number"), (scanner, "track_serial_number"),
                             (sanitiser, "track_batch_number")):
            record[flag] = True
        yield Organisation(zoho, home, main, laptop, sanitiser, scanner)
        assert_no_secret_in(home, zoho)


def test_dispatch_fetches_the_serials_only_zoho_knows(org: Organisation) -> None:
    assert org.sql("SELECT count(*) FROM serial_numbers") == [(0,)]  # the sync brought none

    code, report, _ = org.dispatch("5001", "SN-LAP-001")
    assert code == 0, report
    assert [(s["serialnumber"], s["verdict"], s["state"]) for s in report["serials"]] == [
        ("SN-LAP-001", "serial_added", "mapped")]
    [mapping] = org.zoho.inventory.serial_mappings
    assert (mapping["item_id"], mapping["serial_numbers"]) == (org.laptop["item_id"], ["SN-LAP-001"])
    assert org.item_reads(org.laptop) == 1
    [listing] = [r.query for r in org.zoho.requests if r.path == f"{ITEMS}/serialnumbers"]
    assert listing["item_id"] == org.laptop["item_id"] and listing["show_transacted_out"] == "true"


def test_a_serial_zoho_lists_as_transacted_out_is_refused_as_shipped(org: Organisation) -> None:
    code, report, _ = org.dispatch("5002", "SN-LAP-002", "SN-LAP-OUT")
    assert code == 1 and "nothing was recorded" in report["problem"]
    assert [(s["serialnumber"], s["verdict"]) for s in report["serials"]] == [
        ("SN-LAP-002", "serial_added"), ("SN-LAP-OUT", "transacted_out")]
    assert "SN-LAP-OUT of ThinkBook 14 Laptop has already gone out" in report["serials"][1]["message"]
    assert org.zoho.inventory.serial_mappings == []


def test_fresh_details_are_not_fetched_again_stale_ones_are(org: Organisation) -> None:
    assert org.dispatch("5003", "SN-LAP-001")[0] == 0
    reads, listings = org.item_reads(org.laptop), org.zoho.count("GET", f"{ITEMS}/serialnumbers")
    assert (reads, listings) == (1, 1)

    assert org.dispatch("5004", "SN-LAP-002")[0] == 0  # within details_max_age_minutes
    assert (org.item_reads(org.laptop), org.zoho.count("GET", f"{ITEMS}/serialnumbers")) == (1, 1)

    org.age_details(org.laptop, MAX_AGE_MINUTES + 1)
    assert org.dispatch("5005", "SN-LAP-003")[0] == 0
    assert (org.item_reads(org.laptop), org.zoho.count("GET", f"{ITEMS}/serialnumbers")) == (2, 2)


def test_receive_of_a_batch_tracked_item(org: Organisation) -> None:
    code, report, _ = org.run("receive", "--item", "SAN-500", "--batch", "SAN-2602", "--expiry", "2099-12-31",
                              "--quantity", "12", "--warehouse", "Main Warehouse", "--reference", "PO-77")
    assert code == 0, report
    [line] = report["lines"]
    assert (line["batch_number"], line["quantity"], line["state"]) == ("SAN-2602", 12, "assigned")
    created = [b for b in org.zoho.inventory.batches.values() if b["batch_number"] == "SAN-2602"]
    assert [b["batch_id"] for b in created] == [line["batch_id"]]
    assert org.item_reads(org.sanitiser) == 1
    listing = next(r.query for r in org.zoho.requests if r.path == f"{ITEMS}/batches")  # the details, first
    assert listing["item_id"] == org.sanitiser["item_id"] and listing["include_empty_batches"] == "true"
    # the emptied batch is known to the station (with its zero balance), not left out
    assert org.sql("SELECT batch_number, balance_quantity FROM batches WHERE batch_number = 'SAN-2401'") == [
        ("SAN-2401", 0)]


def test_assemble_a_kit_with_a_serial_tracked_component(org: Organisation) -> None:
    code, report, _ = org.run("assemble", "--kit", "KIT-LAP", "--warehouse", "Main Warehouse",
                              "--component", "LAP-TB14=SN-LAP-003", "--component", "CAB-1")
    assert code == 0, report
    assert report["recorded"] and [(c["name"], c["ticked"], c["in_stock"]) for c in report["components"]] == [
        ("ThinkBook 14 Laptop", 1, 5), ("USB-C cable", 1, 10)]
    [bundle] = org.zoho.inventory.bundles.values()
    assert bundle["status"] == "built" and bundle["reference_number"] == report["reference"]
    assert org.item_reads(org.laptop) == 1  # each component's details, once
    assert org.zoho.count("GET", f"{ITEMS}/serialnumbers") == 1


def test_offline_the_local_copy_is_used_and_said(org: Organisation) -> None:
    assert org.dispatch("5006", "SN-LAP-001")[0] == 0
    org.age_details(org.laptop, MAX_AGE_MINUTES + 5)  # due again, and Zoho cannot be reached
    org.zoho.stop()

    code, report, stderr = org.dispatch("5007", "SN-LAP-002", timeout="0.5")
    assert "Zoho Inventory cannot be reached" in stderr
    assert "checking ThinkBook 14 Laptop against the local copy of its details" in stderr and "min ago" in stderr
    assert [(s["serialnumber"], s["verdict"]) for s in report["serials"]] == [("SN-LAP-002", "serial_added")]
    assert code == 1 and report["serials"][0]["state"] != "refused"  # recorded; delivered when Zoho is back
    assert org.sql("SELECT count(*) FROM outbox_entries WHERE state = 'pending'") == [(1,)]


def test_offline_with_no_copy_refuses_with_the_reason(org: Organisation) -> None:
    org.zoho.stop()
    code, report, _ = org.dispatch("5008", "Z22-1001", item="Z22", timeout="0.5")
    assert code == 1
    assert report["problem"].startswith("Zoho Inventory cannot be reached")
    assert "no copy of Scanner Z-2200's details" in report["problem"]
    assert org.sql("SELECT count(*) FROM outbox_entries") == [(0,)]

    code, receipt, _ = org.run("receive", "--item", "SAN-500", "--batch", "SAN-2603", "--expiry", "2099-12-31",
                               "--warehouse", "Main Warehouse")
    assert code == 1 and receipt["lines"][0]["verdict"] == "details_unavailable"
    assert "cannot be reached" in receipt["problem"] and "nothing was recorded" in receipt["problem"]

    code, assembly, _ = org.run("assemble", "--kit", "KIT-LAP", "--warehouse", "Main Warehouse",
                                "--component", "LAP-TB14=SN-LAP-003", "--component", "CAB-1")
    assert code == 1 and not assembly["recorded"] and "no copy of ThinkBook 14 Laptop's details" in assembly["problem"]
    assert org.sql("SELECT count(*) FROM outbox_entries") == [(0,)]
