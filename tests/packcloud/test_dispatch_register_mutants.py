"""Dispatch's serial rule on a Pack.cloud station, the cases the end-to-end tests
(``test_dispatch_with_packcloud.py``) leave open (issue #14, mutation testing of
``workflows/dispatch_register.py``). Against the fake Pack.cloud on loopback; each test
says what the packer reads, the verdict, what is recorded and what Pack.cloud is asked:

- the rule given nothing answers "Nothing was scanned" and asks nothing;
- a reply that carries neither serials nor a failure refuses the serial as unchecked
  ("no answer"), never as unknown;
- Pack.cloud's answer arriving after the packer started another dispatch adds nothing to
  either ("answered after the dispatch was closed");
- the local rules are applied again on the answer: a serial another dispatch took while
  Pack.cloud was asked is refused as claimed (naming the item), and a serial scanned
  before its item, already in this dispatch (after a restart), as a duplicate;
- a serial scanned first whose Pack.cloud product is linked to an item not tracked by
  serial number is refused, naming that item;
- ``register_rule``: a Pack.cloud station's dispatches check serials with Pack.cloud (its
  settings, token and stock mapping), an embedded station's with the local serial table.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from scanner_app.config import BackendSettings, FeedbackSettings, ScannerSettings, Settings
from scanner_app.inventory.importer import import_document
from scanner_app.inventory.register_checks import SerialRegisterChecks
from scanner_app.inventory.store import InventoryStore
from scanner_app.outbox import Outbox
from scanner_app.paths import resolve_paths
from scanner_app.scanning.pipeline import ScanPipeline
from scanner_app.scanning.scan import Scan, ScanSource
from scanner_app.station import Station
from scanner_app.workflows.dispatch import DispatchWorkflow
from scanner_app.workflows.dispatch_answers import DispatchAnswer, DispatchNotReady
from scanner_app.workflows.dispatch_register import RegisterQuery, RegisterReply, RegisterSerialRule, register_rule
from tests.backends.fake_packcloud import FakePackcloud
from tests.packcloud.conftest import CATALOGUE, STOCKS, MakeClient, seed_units


@dataclass
class Bench:
    """One packing bench (a dispatch workflow on a Pack.cloud station) and a way to scan."""

    store: InventoryStore
    workflow: DispatchWorkflow
    rule: RegisterSerialRule
    pipeline: ScanPipeline

    def handle(self, code: str) -> DispatchAnswer:
        """The scan's first answer (``checking`` when Pack.cloud must be asked)."""
        return self.workflow.handle(self.pipeline.process(Scan(code, ScanSource.MANUAL)))

    def scan(self, code: str) -> DispatchAnswer:
        """Scan, and when the answer is "checking", ask Pack.cloud and settle (as the CLI does)."""
        answer = self.handle(code)
        return self.workflow.settle(self.workflow.ask(answer.pending)) if answer.pending else answer

    def checking(self, code: str) -> RegisterQuery:
        """Scan a serial and keep its question to Pack.cloud (asked later)."""
        answer = self.handle(code)
        assert answer.verdict == "checking" and answer.pending is not None, answer
        return answer.pending

    def recorded(self) -> list[tuple[str, str, str]]:
        """Every dispatch's serials as the station's records hold them: (document, item, serial)."""
        rows = self.store.connection().execute(
            "SELECT d.entity_id, s.item_id, s.serialnumber FROM dispatch_serials AS s"
            " JOIN dispatches AS d ON d.dispatch_id = s.dispatch_id ORDER BY d.entity_id, s.position")
        return [(str(a), str(b), str(c)) for a, b, c in rows]


MakeBench = Callable[..., Bench]


def _benches(store: InventoryStore, make_client: MakeClient) -> Iterator[MakeBench]:
    made: list[DispatchWorkflow] = []

    def build(document: str = "SO-1") -> Bench:
        rule = RegisterSerialRule(SerialRegisterChecks(make_client(), store, STOCKS))
        workflow = DispatchWorkflow(Outbox(store), None, register=rule)
        made.append(workflow)
        workflow.start("salesorder", document, "W1")
        return Bench(store, workflow, rule, ScanPipeline(store, ScannerSettings()))

    yield build
    for workflow in made:
        workflow.close()


@pytest.fixture
def bench(packcloud: FakePackcloud, make_client: MakeClient, linked_store: InventoryStore) -> Iterator[MakeBench]:
    """Benches on the Pack.cloud test station (:data:`~tests.packcloud.conftest.CATALOGUE`)."""
    seed_units(packcloud)
    yield from _benches(linked_store, make_client)


@pytest.fixture
def strap_bench(packcloud: FakePackcloud, make_client: MakeClient, tmp_path: Path) -> Iterator[MakeBench]:
    """Benches on a station whose catalogue also links Pack.cloud product prod-strap to the
    Strap, an item not tracked by serial number; Pack.cloud holds unit STRAP-0001 of it in
    stock-main (warehouse W1)."""
    catalogue = copy.deepcopy(CATALOGUE)
    catalogue["packcloud_products"].append({"product_id": "prod-strap", "item_id": "I-STRAP"})
    packcloud.add_serial("STRAP-0001", "prod-strap", stock_id="stock-main")
    with InventoryStore(tmp_path / "strap.sqlite3") as store:
        import_document(store, catalogue)
        yield from _benches(store, make_client)


def test_the_rule_given_nothing_says_nothing_was_scanned_and_asks_nothing(bench: MakeBench,
                                                                          packcloud: FakePackcloud) -> None:
    b = bench()
    b.scan("CAM-X100")
    answer = b.rule.query(b.workflow, "")
    assert (answer.verdict, answer.message, answer.pending) == ("unknown_code", "Nothing was scanned", None)
    assert packcloud.count() == 0 and b.recorded() == []


def test_a_reply_with_neither_serials_nor_a_failure_refuses_the_serial_as_unchecked(
        bench: MakeBench, packcloud: FakePackcloud) -> None:
    b = bench()
    b.scan("CAM-X100")
    query = b.checking("CAM-0001")
    answer = b.workflow.settle(RegisterReply(query))  # Pack.cloud said nothing: no serials, no failure
    assert (answer.verdict, answer.accepted) == ("register_unavailable", False)
    assert answer.message == "CAM-0001: it could not be checked with Pack.cloud: no answer. Nothing was recorded"
    assert b.workflow.serials() == [] and b.recorded() == []
    assert b.scan("CAM-0001").verdict == "serial_added"  # no longer "being checked": it can be scanned again


def test_an_answer_after_another_dispatch_was_started_adds_nothing(bench: MakeBench,
                                                                    packcloud: FakePackcloud) -> None:
    b = bench("SO-1")
    b.scan("CAM-X100")
    b.scan("A-01")
    reply = b.workflow.ask(b.checking("CAM-0001"))
    assert reply.found  # Pack.cloud has it, in stock in Main
    b.workflow.start("salesorder", "SO-2", "W1")  # the packer moved on (SO-1 had no serial yet)
    late = b.workflow.settle(reply)
    assert (late.verdict, late.accepted) == ("dispatch_closed", False)
    assert late.message == "CAM-0001: Pack.cloud answered after the dispatch was closed: not added"
    assert b.workflow.serials() == [] and b.recorded() == []  # neither in SO-2 nor in SO-1
    with pytest.raises(DispatchNotReady, match="no serial numbers were scanned"):
        b.workflow.complete()


def test_a_serial_another_dispatch_took_while_packcloud_was_asked_is_refused_as_claimed(
        bench: MakeBench, packcloud: FakePackcloud) -> None:
    window = bench("SO-1")
    window.scan("CAM-X100")
    window.scan("A-01")
    query = window.checking("CAM-0001")  # the window asks Pack.cloud about it ...
    other = bench("SO-2")  # ... while another bench of the station (the CLI) dispatches it
    for code in ("CAM-X100", "A-01", "CAM-0001"):
        assert other.scan(code).accepted
    other.workflow.complete()
    answer = window.workflow.settle(window.workflow.ask(query))
    assert (answer.verdict, answer.accepted) == ("claimed", False)
    assert answer.message == "CAM-0001 of Camera X100 is already dispatched with salesorder SO-2"
    assert window.workflow.serials() == []
    assert window.recorded() == [("SO-2", "I-CAM", "CAM-0001")]  # only the other dispatch has it
    assert packcloud.list_calls() == [{"filter[code]": "CAM-0001"}] * 2


def test_a_serial_scanned_before_its_item_already_in_the_dispatch_is_refused_as_duplicate(
        bench: MakeBench, packcloud: FakePackcloud) -> None:
    b = bench()
    for code in ("CAM-X100", "A-01", "CAM-0001"):
        assert b.scan(code).accepted
    b.workflow.reload()  # a restart: the dispatch is read back, no item chosen yet
    assert b.workflow.current_item is None
    again = b.scan("CAM-0001")  # its item is known only once Pack.cloud answers
    assert (again.verdict, again.accepted) == ("duplicate", False)
    assert again.message == "CAM-0001 is already scanned in this dispatch"
    assert b.recorded() == [("SO-1", "I-CAM", "CAM-0001")]
    assert [s.serialnumber for s in b.workflow.serials()] == ["CAM-0001"]


def test_a_serial_scanned_first_of_an_item_not_tracked_by_serial_is_refused(strap_bench: MakeBench,
                                                                             packcloud: FakePackcloud) -> None:
    b = strap_bench()
    b.scan("A-01")
    answer = b.scan("STRAP-0001")
    assert (answer.verdict, answer.accepted) == ("not_serial_tracked", False)
    assert answer.message == "Strap is not tracked by serial number"
    assert b.workflow.serials() == [] and b.recorded() == []
    assert b.workflow.current_item is None  # the untracked item does not become the current one
    assert packcloud.list_calls() == [{"filter[code]": "STRAP-0001"}]


@pytest.fixture
def station_of(tmp_path: Path, packcloud: FakePackcloud,
               monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str], Station]]:
    """Stations of ``[backend] kind`` (their catalogue :data:`CATALOGUE`), each with a
    ``[packcloud]`` section for the fake Pack.cloud (token in SCANNER_APP_PACKCLOUD_TOKEN)."""
    monkeypatch.setenv("SCANNER_APP_PACKCLOUD_TOKEN", packcloud.token)
    seed_units(packcloud)
    made: list[Station] = []

    def build(kind: str) -> Station:
        stocks = tuple(f"{stock}={warehouse}" for stock, warehouse in STOCKS.items())
        settings = Settings(feedback=FeedbackSettings(sound=False), backend=BackendSettings(kind=kind),
                            packcloud=packcloud.settings(stock_warehouses=stocks))
        station = Station(resolve_paths(tmp_path / kind).ensure(), settings)
        made.append(station)
        import_document(station.inventory, CATALOGUE)
        return station

    yield build
    for station in made:
        station.close()


def _dispatch_on(station: Station) -> tuple[DispatchWorkflow, Callable[[str], DispatchAnswer]]:
    workflow = DispatchWorkflow(Outbox(station.inventory), None, register=register_rule(station))
    workflow.start("salesorder", "SO-1", "W1")
    return workflow, lambda code: workflow.handle(station.pipeline.process(Scan(code, ScanSource.MANUAL)))


def test_a_packcloud_station_checks_its_dispatch_serials_with_packcloud(station_of: Callable[[str], Station],
                                                                       packcloud: FakePackcloud) -> None:
    workflow, handle = _dispatch_on(station_of("packcloud"))
    try:
        assert handle("CAM-X100").verdict == "item_selected" and handle("A-01").verdict == "bin_selected"
        first = handle("CAM-0001")
        assert (first.verdict, first.message) == ("checking", "CAM-0001: checking with Pack.cloud…")
        assert first.pending is not None and packcloud.count() == 0  # asked only off the UI thread, next
        added = workflow.settle(workflow.ask(first.pending))
        assert added.verdict == "serial_added"
        assert added.message == ("CAM-0001 of Camera X100: bin A-01 (serial number CAM-0001 of 'Camera X100' is in "
                                 "stock (Main, Pack.cloud stock stock-main))")
        assert packcloud.list_calls() == [{"filter[code]": "CAM-0001"}]
    finally:
        workflow.close()


def test_an_embedded_station_checks_its_dispatch_serials_in_the_local_table(station_of: Callable[[str], Station],
                                                                           packcloud: FakePackcloud) -> None:
    station = station_of("embedded")
    assert register_rule(station) is None
    workflow, handle = _dispatch_on(station)
    try:
        assert handle("CAM-X100").verdict == "item_selected"
        answer = handle("CAM-0001")  # Pack.cloud has it (and is configured); the local table does not
        assert (answer.verdict, answer.message, answer.pending) == (
            "not_of_item", "CAM-0001 is not a serial number of Camera X100", None)
        assert packcloud.count() == 0
    finally:
        workflow.close()
