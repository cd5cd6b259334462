"""``scanner-app outbox``, ``outbox retry``, ``outbox discard`` and ``outbox flush`` as a
script uses them: on an embedded station, on a Zoho station (the fake Zoho on loopback,
secrets from the environment), and while another process's relay holds the outbox."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from scanner_app import cli
from scanner_app.config import BackendSettings, Settings, save_settings
from scanner_app.inventory.importer import import_document
from scanner_app.inventory.store import InventoryStore
from scanner_app.outbox import (
    EMBEDDED_TARGET,
    Outbox,
    PickedSerial,
    enqueue_serial_mappings,
    group_serial_mappings,
    zoho_target,
)
from scanner_app.outbox.relay_lock import RelayLock
from tests.backends.fake_zoho import FakeZoho
from tests.inventory.helpers import catalogue


def run(capsys: pytest.CaptureFixture[str], home: Path, *args: str) -> tuple[int, Any]:
    code = cli.main(["--home", str(home), "outbox", *args])
    out = capsys.readouterr().out
    return code, json.loads(out) if "--json" in args else out


def record(home: Path, target: str, *picked: PickedSerial, order: str = "SO-1",
           catalogue_document: dict[str, Any] | None = None) -> list[int]:
    store = InventoryStore(home / "data" / "inventory.sqlite3")
    try:
        if catalogue_document is not None:
            import_document(store, catalogue_document)
        outbox = Outbox(store)
        with store.transaction() as conn:
            return enqueue_serial_mappings(outbox, conn, target, group_serial_mappings("salesorder", order, "W1",
                                                                                       picked))
    finally:
        store.close()


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


def test_list_flush_retry_discard_on_an_embedded_station(capsys: pytest.CaptureFixture[str], home: Path) -> None:
    [mapped] = record(home, EMBEDDED_TARGET, PickedSerial("I2", "SN-0001", "B1"), catalogue_document=catalogue())
    [refused] = record(home, EMBEDDED_TARGET, PickedSerial("I2", "SN-0002"), order="SO-2")
    code, listed = run(capsys, home, "--json")
    assert code == 0 and listed["counts"]["pending"] == 2 and [e["id"] for e in listed["entries"]] == [mapped, refused]

    code, flushed = run(capsys, home, "flush", "--timeout", "10", "--json")
    assert code == 1 and [(e["id"], e["state"]) for e in flushed["left"]] == [(refused, "failed")]
    assert flushed["left"][0]["vendor_message"] == "SN-0002 has been transacted out already"

    code, text = run(capsys, home)
    assert code == 0 and "delivered 1, failed 1" in text and "SN-0002 has been transacted out already" in text
    code, retried = run(capsys, home, "retry", str(refused), "--json")
    assert code == 0 and retried["entry"]["state"] == "pending"
    code, text = run(capsys, home, "discard", str(refused), "--reason", "the unit was swapped at the bench")
    assert code == 0 and f"entry {refused} discarded" in text
    from scanner_app.history import HistoryStore
    from scanner_app.paths import resolve_paths

    history = HistoryStore(resolve_paths(home).history_db)
    discarded = [e for e in history.recent(50) if e.status == "discarded"]
    history.close()
    assert [(e.source, e.reason) for e in discarded] == [("outbox", "the unit was swapped at the bench")]
    code, flushed = run(capsys, home, "flush", "--json")
    assert code == 0 and flushed["left"] == []
    code, everything = run(capsys, home, "--all", "--json")
    assert [e["state"] for e in everything["entries"]] == ["delivered", "discarded"]


def test_refused_actions_exit_1(capsys: pytest.CaptureFixture[str], home: Path) -> None:
    [entry_id] = record(home, EMBEDDED_TARGET, PickedSerial("I2", "SN-0001", "B1"), catalogue_document=catalogue())
    assert run(capsys, home, "flush")[0] == 0
    code, answer = run(capsys, home, "discard", str(entry_id), "--reason", "too late", "--json")
    assert code == 1 and "delivered already" in answer["error"]
    assert run(capsys, home, "retry", "999")[0] == 1


def test_flush_waits_for_the_relay_of_another_process(capsys: pytest.CaptureFixture[str], home: Path) -> None:
    record(home, EMBEDDED_TARGET, PickedSerial("I2", "SN-0001", "B1"), catalogue_document=catalogue())
    window = RelayLock(home / "data" / "inventory.sqlite3.relay-lock")
    assert window.acquire()  # the open window's relay (which is not delivering)
    try:
        code, flushed = run(capsys, home, "flush", "--timeout", "0.3", "--json")
    finally:
        window.release()
    assert code == 1 and flushed["relay"]["state"] == "elsewhere" and len(flushed["left"]) == 1


@pytest.fixture
def zoho_home(home: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Path, FakeZoho]]:
    with FakeZoho() as zoho:
        save_settings(home / "config.toml", Settings(backend=BackendSettings(kind="zoho"), zoho=zoho.settings()))
        monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
        yield home, zoho


def test_flush_delivers_to_zoho(capsys: pytest.CaptureFixture[str], zoho_home: tuple[Path, FakeZoho],
                                monkeypatch: pytest.MonkeyPatch) -> None:
    home, zoho = zoho_home
    monkeypatch.setenv("SCANNER_APP_ZOHO_CLIENT_SECRET", zoho.client_secret)
    monkeypatch.setenv("SCANNER_APP_ZOHO_REFRESH_TOKEN", zoho.refresh_token)
    item_id = str(zoho.inventory.add_item("Drill", track_serial_number=True)["item_id"])
    zoho.inventory.add_serial(item_id, "SN-1")
    record(home, zoho_target(zoho.organization_id), PickedSerial(item_id, "SN-1", "B1"))
    code, flushed = run(capsys, home, "flush", "--timeout", "10", "--json")
    assert code == 0 and flushed["left"] == []
    assert [m["serial_numbers"] for m in zoho.inventory.serial_mappings] == [["SN-1"]]


def test_flush_on_a_station_not_signed_in_says_so(capsys: pytest.CaptureFixture[str],
                                                  zoho_home: tuple[Path, FakeZoho]) -> None:
    home, zoho = zoho_home
    record(home, zoho_target(zoho.organization_id), PickedSerial("1", "SN-1", "B1"))
    code, text = run(capsys, home, "flush", "--timeout", "10")
    assert code == 1 and "1 entry left (sign in again: Zoho Inventory: not signed in" in text
    assert zoho.count() == 0
