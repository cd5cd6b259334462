"""The dispatch workflow on a Pack.cloud station, end to end against the fake Pack.cloud on
loopback: the serial rule asks Pack.cloud (the local store has no serials), every refusal
has its own verdict and records nothing, the register's failures are said plainly, and a
completed dispatch is recorded in the station with no outbox entry (Pack.cloud's REST API
cannot be written to)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest

from scanner_app.backends.packcloud.connect import ConnectingRegister, SharedPackcloudClient
from scanner_app.config import PackcloudSettings, ScannerSettings
from scanner_app.inventory.register_checks import SerialRegisterChecks
from scanner_app.inventory.serial_register import SerialRegister
from scanner_app.inventory.store import InventoryStore
from scanner_app.outbox import Outbox
from scanner_app.scanning.pipeline import ScanPipeline
from scanner_app.scanning.scan import Scan, ScanSource
from scanner_app.workflows.dispatch import DispatchWorkflow
from scanner_app.workflows.dispatch_answers import DispatchAnswer, DispatchNotReady
from scanner_app.workflows.dispatch_register import RegisterSerialRule
from tests.backends.fake_packcloud import FakePackcloud, rate_limited
from tests.packcloud.conftest import STOCKS, MakeClient, seed_units


@dataclass
class Bench:
    """A packing bench: the workflow on a Pack.cloud station and a way to scan."""

    store: InventoryStore
    workflow: DispatchWorkflow
    pipeline: ScanPipeline

    def handle(self, code: str) -> DispatchAnswer:
        return self.workflow.handle(self.pipeline.process(Scan(code, ScanSource.MANUAL)))

    def scan(self, code: str) -> DispatchAnswer:
        """Scan, and when the answer is "checking", ask Pack.cloud and settle (as the CLI does)."""
        answer = self.handle(code)
        return self.workflow.settle(self.workflow.ask(answer.pending)) if answer.pending else answer

    def recorded(self) -> int:
        return int(self.store.connection().execute("SELECT count(*) FROM dispatch_serials").fetchone()[0])

    def entries(self) -> int:
        return int(self.store.connection().execute("SELECT count(*) FROM outbox_entries").fetchone()[0])


MakeBench = Callable[..., Bench]


@pytest.fixture
def bench(packcloud: FakePackcloud, make_client: MakeClient, linked_store: InventoryStore) -> Iterator[MakeBench]:
    seed_units(packcloud)
    made: list[DispatchWorkflow] = []

    def build(register: SerialRegister | None = None, **client_options: object) -> Bench:
        checks = SerialRegisterChecks(register or make_client(**client_options), linked_store, STOCKS)
        workflow = DispatchWorkflow(Outbox(linked_store), None, register=RegisterSerialRule(checks))
        made.append(workflow)
        workflow.start("salesorder", "SO-1", "W1")
        return Bench(linked_store, workflow, ScanPipeline(linked_store, ScannerSettings()))

    yield build
    for workflow in made:
        workflow.close()


def test_a_serial_is_checked_in_packcloud_and_the_dispatch_recorded_here(bench: MakeBench,
                                                                         packcloud: FakePackcloud) -> None:
    b = bench()
    assert b.store.connection().execute("SELECT count(*) FROM serial_numbers").fetchone()[0] == 0  # none locally
    assert b.scan("CAM-X100").verdict == "item_selected"
    assert b.scan("A-01").verdict == "bin_selected"
    first = b.handle("CAM-0001")
    assert first.verdict == "checking" and first.message == "CAM-0001: checking with Pack.cloud…"
    assert not first.accepted and packcloud.count() == 0 and b.recorded() == 0  # nothing asked or kept yet
    added = b.workflow.settle(b.workflow.ask(first.pending))  # type: ignore[arg-type]
    assert added.verdict == "serial_added" and added.serial is not None
    assert "CAM-0001 of Camera X100: bin A-01" in added.message and "is in stock (Main, Pack.cloud stock" in added.message
    assert packcloud.list_calls() == [{"filter[code]": "CAM-0001"}]
    assert b.recorded() == 1
    b.workflow.complete()
    assert b.workflow.dispatch is not None and b.workflow.dispatch.state == "completed"
    assert [s.state for s in b.workflow.serials()] == ["recorded"] and b.entries() == 0  # nothing sent anywhere
    b.workflow.reload()  # read back from the database (a restart)
    assert [(s.serialnumber, s.state, s.bin_code) for s in b.workflow.serials()] == [("CAM-0001", "recorded", "A-01")]


def test_a_serial_scanned_first_selects_its_item(bench: MakeBench) -> None:
    b = bench()
    answer = b.scan("CAM-0001")
    assert answer.verdict == "serial_added" and "no bin yet: scan its bin" in answer.message
    assert b.workflow.current_item is not None and b.workflow.current_item.item_id == "I-CAM"
    with pytest.raises(DispatchNotReady, match="no bin"):
        b.workflow.complete()


@pytest.mark.parametrize(("code", "verdict", "words"), [
    ("CAM-0002", "transacted_out", "CAM-0002 of 'Camera X100' has already shipped (fulfilment line fl-311)"),
    ("CAM-0003", "not_in_stock", "CAM-0003 of 'Camera X100' is not in stock in Pack.cloud"),
    ("CAM-N1", "other_warehouse", "CAM-N1 of 'Camera X100' is in North (Pack.cloud stock stock-north), not in Main"),
    ("CAM-X1", "stock_not_mapped", "is in Pack.cloud stock stock-elsewhere, which is not mapped to a warehouse of "
                                   "this station, so whether it is in this warehouse is unknown: map it with "
                                   "scanner-app packcloud stock stock-elsewhere --warehouse W"),
    ("LENS-0001", "other_item", "LENS-0001 belongs to 'Lens 50mm', not to 'Camera X100'"),
    ("CAM-9999", "unknown_code", "Serial number CAM-9999 is not in Pack.cloud"),
])
def test_each_refusal_has_its_verdict_and_records_nothing(bench: MakeBench, packcloud: FakePackcloud,
                                                         code: str, verdict: str, words: str) -> None:
    b = bench()
    b.scan("CAM-X100")
    answer = b.scan(code)
    assert (answer.verdict, answer.accepted) == (verdict, False)
    assert words in answer.message
    assert b.workflow.serials() == [] and b.recorded() == 0
    assert packcloud.list_calls() == [{"filter[code]": code}]


def test_refusals_that_need_no_network(bench: MakeBench, packcloud: FakePackcloud) -> None:
    b = bench()
    b.scan("TRI-1")  # serial-tracked, but not linked to a Pack.cloud product
    answer = b.scan("CAM-0001")
    assert answer.verdict == "item_not_linked" and "'Tripod' is not linked to a Pack.cloud product" in answer.message
    assert packcloud.count() == 0
    b.scan("CAM-X100")
    assert b.scan("CAM-0001").verdict == "serial_added"
    again = b.scan("CAM-0001")
    assert again.verdict == "duplicate" and "already scanned in this dispatch" in again.message
    assert packcloud.count() == 1  # the duplicate was refused without asking


def test_a_serial_being_checked_is_not_checked_twice_and_blocks_completion(bench: MakeBench) -> None:
    b = bench()
    b.scan("CAM-X100")
    b.scan("CAM-0004")
    first = b.handle("CAM-0001")
    assert first.verdict == "checking"
    second = b.handle("CAM-0001")
    assert second.verdict == "duplicate" and "already being checked with Pack.cloud" in second.message
    with pytest.raises(DispatchNotReady, match=r"Pack.cloud has not answered"):
        b.workflow.complete()
    assert b.workflow.settle(b.workflow.ask(first.pending)).verdict == "serial_added"  # type: ignore[arg-type]
    assert len(b.workflow.serials()) == 2


def test_a_serial_dispatched_before_is_claimed(bench: MakeBench) -> None:
    b = bench()
    for code in ("CAM-X100", "A-01", "CAM-0001"):
        b.scan(code)
    b.workflow.complete()
    b.workflow.start("salesorder", "SO-2", "W1")
    b.scan("CAM-X100")
    answer = b.scan("CAM-0001")
    assert answer.verdict == "claimed" and "salesorder SO-1" in answer.message


def test_an_answer_after_the_dispatch_was_cancelled_adds_nothing(bench: MakeBench) -> None:
    b = bench()
    b.scan("CAM-X100")
    pending = b.handle("CAM-0001").pending
    assert pending is not None
    reply = b.workflow.ask(pending)
    b.workflow.cancel()
    late = b.workflow.settle(reply)
    assert late.verdict == "dispatch_closed" and "answered after the dispatch was cancelled" in late.message
    assert b.recorded() == 0


def _not_configured() -> SerialRegister:
    return ConnectingRegister(SharedPackcloudClient(lambda: PackcloudSettings()))


@pytest.mark.parametrize(("case", "words"), [
    ("token", "CAM-0001: Pack.cloud refused the API token: run scanner-app login packcloud with a valid token. "
              "Nothing was recorded"),
    ("rate", "CAM-0001: Pack.cloud says too many requests (try again in 3600 s): scan it again shortly. "
             "Nothing was recorded"),
    ("offline", "CAM-0001: Pack.cloud cannot be reached (network?): scan it again when it is back. "
                "Nothing was recorded"),
    ("not_configured", "not configured (no organization_id in [packcloud]): run scanner-app configure packcloud"),
])
def test_when_packcloud_cannot_answer_the_serial_is_refused_with_its_reason(
        bench: MakeBench, packcloud: FakePackcloud, case: str, words: str) -> None:
    settings = packcloud.settings()
    if case == "token":
        b = bench(token="pc_live_revoked")
    elif case == "rate":
        packcloud.inject(rate_limited(3600))
        b = bench()
    elif case == "offline":
        packcloud.stop()
        b = bench(settings=settings)
    else:
        b = bench(register=_not_configured())
    b.scan("CAM-X100")
    answer = b.scan("CAM-0001")
    assert answer.verdict == "register_unavailable" and not answer.accepted
    assert words in answer.message
    assert b.workflow.serials() == [] and b.recorded() == 0
