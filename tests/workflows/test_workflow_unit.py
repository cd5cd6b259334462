"""Every workflow as a unit (scanner_app.workflows.unit): the dispatch, receiving and assembly
workflows driven only through the ``Workflow`` protocol, with nothing open and with a job;
their refusals are the one ``NotReady``; and they share the one ``Write``."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from scanner_app.inventory.store import InventoryStore
from scanner_app.outbox import EMBEDDED_TARGET, Outbox
from scanner_app.outbox.batch_receipts import SERIAL_RECEIVE
from scanner_app.scanning.pipeline import ScanPipeline
from scanner_app.scanning.scan import Scan, ScanOutcome, ScanSource
from scanner_app.workflows import assembly, dispatch, receiving, receiving_lines, unit
from scanner_app.workflows.assembly import AssemblyWorkflow
from scanner_app.workflows.assembly_answers import AssemblyNotReady
from scanner_app.workflows.dispatch import DispatchWorkflow
from scanner_app.workflows.dispatch_answers import DispatchNotReady
from scanner_app.workflows.receiving import ReceivingWorkflow
from scanner_app.workflows.receiving_answers import ReceiveNotReady
from scanner_app.workflows.unit import NotReady, Workflow

# each workflow as the window and the commands build it
BUILD: dict[str, Callable[[Outbox], Workflow]] = {
    "dispatch": lambda outbox: DispatchWorkflow(outbox, EMBEDDED_TARGET),
    "receiving": lambda outbox: ReceivingWorkflow(outbox, EMBEDDED_TARGET),
    "assembly": lambda outbox: AssemblyWorkflow(outbox, EMBEDDED_TARGET),
}
# with nothing open: (its NotReady, the verdict and words for a scan, the words of complete())
NOTHING_OPEN = {
    "dispatch": (DispatchNotReady, "no_dispatch", "Start a dispatch first: enter the document and the warehouse",
                 "there is no open dispatch to complete"),
    "receiving": (ReceiveNotReady, "no_receipt", "Start a receipt first: its reference, warehouse and bin",
                  "there is no open receipt to complete"),
    "assembly": (AssemblyNotReady, "no_kit", "SN-0001: scan the kit to build first (any of its codes)",
                 "there is no open assembly to complete"),
}


@pytest.fixture(params=sorted(BUILD))
def unit_under_test(request: pytest.FixtureRequest, outbox: Outbox) -> Iterator[tuple[str, Workflow]]:
    wf = BUILD[request.param](outbox)
    yield request.param, wf
    wf.close()


def outcome_of(store: InventoryStore, code: str) -> ScanOutcome:
    return ScanPipeline(store).process(Scan(code, ScanSource.CLI))


def test_with_nothing_open_a_scan_is_refused_in_words_and_complete_says_why(
        unit_under_test: tuple[str, Workflow], store: InventoryStore, outbox: Outbox) -> None:
    name, wf = unit_under_test
    not_ready, verdict, scan_words, complete_words = NOTHING_OPEN[name]
    assert wf.resume() is None and not wf.is_open
    answer = wf.handle(outcome_of(store, "SN-0001"))  # a serial of the dispatch catalogue
    assert (answer.accepted, answer.verdict, answer.message) == (False, verdict, scan_words)
    with pytest.raises(NotReady) as refused:
        wf.complete()
    assert type(refused.value) is not_ready and str(refused.value) == complete_words
    wf.cancel()  # nothing open: nothing happens
    wf.reload()
    assert not wf.is_open and outbox.entries() == []


def test_each_workflows_own_not_ready_is_the_one_not_ready() -> None:
    for own in (DispatchNotReady, ReceiveNotReady, AssemblyNotReady):
        assert issubclass(own, NotReady) and own is not NotReady
    with pytest.raises(DispatchNotReady):  # the old names still catch what they caught
        raise DispatchNotReady("no serial numbers were scanned")


def test_every_workflow_writes_through_the_one_write_helper() -> None:
    assert dispatch.Write is unit.Write and receiving_lines.Write is unit.Write
    for module in (dispatch, receiving, assembly):
        assert module.write_now is unit.write_now
    done: list[str] = []
    unit.write_now(lambda: done.append("written"))
    assert done == ["written"]


def test_the_workflow_protocol_is_what_the_three_declare() -> None:
    # mypy checks these declarations (make lint); here: they name the workflow of their module
    assert dispatch._AS_WORKFLOW is DispatchWorkflow
    assert receiving._AS_WORKFLOW is ReceivingWorkflow
    assert assembly._AS_WORKFLOW is AssemblyWorkflow


def test_a_receipt_completed_through_the_protocol_is_closed_and_keeps_its_lines(
        store: InventoryStore, outbox: Outbox) -> None:
    receipt = ReceivingWorkflow(outbox, EMBEDDED_TARGET)
    try:
        wf: Workflow = receipt
        receipt.start("PO-7", "W1", "B1")
        assert wf.handle(outcome_of(store, "DRL-18")).verdict == "item_selected"
        added = wf.handle(outcome_of(store, "SN-NEW-1"))
        assert (added.accepted, added.verdict) == (True, "line_added"), added.message
        wf.complete()
        assert not wf.is_open and receipt.receipt is not None and receipt.receipt.state == "closed"
        assert [(e.kind, e.state) for e in outbox.entries()] == [(SERIAL_RECEIVE, "pending")]  # still delivered
        with pytest.raises(ReceiveNotReady, match=r"^there is no open receipt to complete$"):
            wf.complete()
    finally:
        receipt.close()


def test_a_receipt_cancelled_through_the_protocol_releases_its_lines(store: InventoryStore, outbox: Outbox) -> None:
    receipt = ReceivingWorkflow(outbox, EMBEDDED_TARGET)
    try:
        wf: Workflow = receipt
        row = receipt.start(None, "W1", "B1")
        wf.handle(outcome_of(store, "DRL-18"))
        assert wf.handle(outcome_of(store, "SN-NEW-2")).verdict == "line_added"
        wf.cancel()
        assert not wf.is_open and receipt.receipt is not None and receipt.receipt.cancelled_at is not None
        [entry] = outbox.entries()
        assert entry.state == "discarded"
        assert [(a.action, a.reason) for a in outbox.actions(entry.entry_id)] == [
            ("discarded", f"receipt-{row.receipt_id} cancelled")]
        assert [line.state for line in receipt.all_lines()] == ["cancelled"]
        wf.cancel()  # nothing open any more: nothing happens
    finally:
        receipt.close()
