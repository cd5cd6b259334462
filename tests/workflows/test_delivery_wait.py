"""The workflow commands while the station window holds the outbox: its relay delivers what
the command recorded and the command waits for it (``deliver_or_wait``), for dispatch and
receive as for assemble (tests/workflows/test_assembly_cli.py)."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from scanner_app import cli
from scanner_app.inventory.importer import import_document
from scanner_app.inventory.store import InventoryStore
from scanner_app.outbox import EMBEDDED_TARGET, Outbox, OutboxRelay
from scanner_app.outbox.batch_receipts import BATCH_ASSIGN, SERIAL_RECEIVE
from scanner_app.outbox.delivery import Deliverer
from scanner_app.outbox.embedded_batch_receipts import EmbeddedBatchAssignmentDeliverer, EmbeddedSerialReceiptDeliverer
from scanner_app.outbox.embedded_serials import EmbeddedSerialMappingDeliverer
from scanner_app.outbox.serial_mapping import SERIAL_VALIDATE_AND_MAP
from tests.workflows.conftest import dispatch_catalogue
from tests.workflows.receiving_catalogue import receiving_catalogue


def window_relay(store: InventoryStore) -> dict[str, Deliverer]:
    return {SERIAL_VALIDATE_AND_MAP: EmbeddedSerialMappingDeliverer(store),
            BATCH_ASSIGN: EmbeddedBatchAssignmentDeliverer(store), SERIAL_RECEIVE: EmbeddedSerialReceiptDeliverer(store)}


@pytest.fixture(params=["dispatch", "receive"])
def case(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Path, list[str]]]:
    home = tmp_path / "home"
    store = InventoryStore(home / "data" / "inventory.sqlite3")
    catalogue: Mapping[str, Any] = dispatch_catalogue() if request.param == "dispatch" else receiving_catalogue()
    import_document(store, dict(catalogue))
    relay = OutboxRelay(Outbox(store), EMBEDDED_TARGET, window_relay(store))
    relay.start()  # as the open window does: it holds the outbox
    args = (["dispatch", "--entity-type", "salesorder", "--entity-id", "SO-9", "--warehouse", "W1", "--item", "DRL-18",
             "--serial", "SN-0001", "--serial", "SN-0004"] if request.param == "dispatch" else
            ["receive", "--item", "DRL-18", "--serial", "SN-NEW-1", "--serial", "SN-NEW-2", "--warehouse", "W1"])
    try:
        yield home, args
    finally:
        relay.stop()
        store.close()


def test_the_command_waits_for_the_window_relay(capsys: pytest.CaptureFixture[str],
                                                case: tuple[Path, list[str]]) -> None:
    home, args = case
    code = cli.main(["--home", str(home), *args, "--json", "--timeout", "30"])
    report = json.loads(capsys.readouterr().out)
    assert code == 0, report
    states = [line["state"] for line in report.get("serials", report.get("lines", []))]
    assert states in (["mapped", "mapped"], ["assigned", "assigned"]), report
