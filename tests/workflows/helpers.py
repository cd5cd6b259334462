"""What the workflow tests share: the two warehouses and their bins every test catalogue
has, a real inventory file made from a catalogue (for a fixture: ``yield from``), scanning
into a workflow as the CLI does, and running a subcommand on a home folder (in this
process, or as a script runs it)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from scanner_app import cli
from scanner_app.inventory.importer import import_document
from scanner_app.inventory.store import InventoryStore
from scanner_app.scanning.pipeline import ScanPipeline
from scanner_app.scanning.scan import Scan, ScanSource

ROOT = Path(__file__).resolve().parents[2]


def places(first_bin: tuple[str, str] = ("A-01-01", "Aisle A 1")) -> dict[str, list[dict[str, str]]]:
    """Main (W1) with bins B1 (``first_bin``: code, name) and B2 (A-01-02), North (W2) with B9 (N-09)."""
    code, name = first_bin
    return {"warehouses": [{"warehouse_id": "W1", "warehouse_name": "Main"},
                           {"warehouse_id": "W2", "warehouse_name": "North"}],
            "bins": [{"bin_id": "B1", "warehouse_id": "W1", "code": code, "name": name},
                     {"bin_id": "B2", "warehouse_id": "W1", "code": "A-01-02", "name": "Aisle A 2"},
                     {"bin_id": "B9", "warehouse_id": "W2", "code": "N-09", "name": "North 9"}]}


def catalogue_store(folder: Path, catalogue: dict[str, Any]) -> Iterator[InventoryStore]:
    """An inventory file in ``folder`` with ``catalogue`` imported, closed afterwards."""
    store = InventoryStore(folder / "inventory.sqlite3")
    import_document(store, catalogue)
    yield store
    store.close()


def scanner(pipeline: ScanPipeline, workflow: Any) -> Callable[..., Any]:
    """``scan(code, *more)``: the code through ``pipeline`` into ``workflow.handle`` (``more``:
    what else the workflow's handle takes, e.g. a receipt's batch draft)."""
    return lambda raw, *more: workflow.handle(pipeline.process(Scan(raw, ScanSource.CLI)), *more)


def scanner_for(store: InventoryStore, workflow: Any) -> Callable[..., Any]:
    return scanner(ScanPipeline(store), workflow)


def script(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``scanner-app --home HOME ARGS`` as a script runs it: a real subprocess."""
    return subprocess.run([sys.executable, "-m", "scanner_app", "--home", str(home), *args],
                          capture_output=True, text=True, cwd=ROOT, timeout=60)


def script_home(tmp_path: Path, catalogue: dict[str, Any]) -> Path:
    """A home folder whose inventory was imported from ``catalogue`` by ``scanner-app import``."""
    folder, file = tmp_path / "home", tmp_path / "catalogue.json"
    file.write_text(json.dumps(catalogue))
    done = script(folder, "import", str(file))
    assert done.returncode == 0, done.stderr
    return folder


def run_json(capsys: pytest.CaptureFixture[str], home: Path, *args: str) -> tuple[int, dict[str, Any]]:
    """``scanner-app --home HOME ARGS --json`` in this process: the exit code and the report."""
    code = cli.main(["--home", str(home), *args, "--json"])
    return code, json.loads(capsys.readouterr().out)


def assert_refused(answer: Any, verdict: str, words: str) -> None:
    """A workflow's answer to one scan is a refusal with its own verdict and words."""
    assert words, "state the refusal's words: an empty string is in every message"
    assert (answer.verdict, answer.accepted) == (verdict, False), answer.message
    assert words in answer.message


def saved_serials(store: InventoryStore, workflow: Any) -> list[tuple[str, str, str | None]]:
    """(item_id, serialnumber, bin_id) saved for ``workflow``'s dispatch (what a restart finds)."""
    from scanner_app.workflows.dispatch_records import DispatchRecords

    assert workflow.dispatch is not None
    return [(r.item_id, r.serialnumber, r.bin_id) for r in DispatchRecords(store).serials(workflow.dispatch.dispatch_id)]
