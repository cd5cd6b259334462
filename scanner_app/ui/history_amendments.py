"""Scans whose answer comes later: on a Pack.cloud station a code the local store does not
know is asked of the serial register, and its answer replaces "not found" in the history;
a dispatch's serial checked with the register replaces "checking" with the verdict.

The scan is recorded at once with the local answer (nothing the screen showed is held back
from the durable history). When the register answers, the stored row is amended on the
database-writer thread and the panel's row is shown again. The three events (the row saved,
the panel row added a few frames later, the register's answer) come in any order, all on
the UI thread; whichever completes the set applies the amendment.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import QListWidgetItem

from scanner_app.history import HistoryStore
from scanner_app.history.store import WorkflowVerdict
from scanner_app.scanning.scan import ScanOutcome
from scanner_app.ui.tasks import TaskManager
from scanner_app.ui.widgets.history_panel import HistoryPanel


@dataclass
class _Awaiting:
    scan_id: int | None = None
    row: QListWidgetItem | None = None
    revised: ScanOutcome | None = None
    verdict: WorkflowVerdict | None = None
    stored: bool = False
    shown: bool = False


class HistoryAmendments:
    """Keeps the history right for scans answered twice (locally, then by a register)."""

    def __init__(self, history: HistoryStore, panel: HistoryPanel, tasks: TaskManager) -> None:
        self.history, self.panel, self.tasks = history, panel, tasks
        self._awaiting: dict[int, _Awaiting] = {}  # id(outcome) -> what is known so far

    def expect(self, outcome: ScanOutcome) -> None:
        """A later answer to ``outcome`` is on its way."""
        self._awaiting[id(outcome)] = _Awaiting()

    def saved(self, outcome: ScanOutcome, scan_id: int) -> None:
        if (waiting := self._awaiting.get(id(outcome))) is not None:
            waiting.scan_id = scan_id
            self._apply(outcome, waiting)

    def forget(self, outcome: ScanOutcome) -> None:
        """The scan could not be saved: nothing to amend."""
        self._awaiting.pop(id(outcome), None)

    def row_added(self, outcome: ScanOutcome, row: QListWidgetItem) -> None:
        if (waiting := self._awaiting.get(id(outcome))) is not None:
            waiting.row = row
            self._apply(outcome, waiting)

    def answered(self, outcome: ScanOutcome, revised: ScanOutcome | None,
                 verdict: WorkflowVerdict | None = None) -> None:
        """The later answer (``revised`` None: none came; the first answer stands), with the
        workflow page's final verdict when a page answered."""
        if (waiting := self._awaiting.get(id(outcome))) is None:
            return
        if revised is None:
            del self._awaiting[id(outcome)]
            return
        waiting.revised, waiting.verdict = revised, verdict
        self._apply(outcome, waiting)

    def _apply(self, outcome: ScanOutcome, waiting: _Awaiting) -> None:
        if waiting.revised is None:
            return
        if waiting.scan_id is not None and not waiting.stored:
            waiting.stored = True
            self.tasks.run_db(self.history.amend, waiting.scan_id, waiting.revised, waiting.verdict)
        if waiting.row is not None and not waiting.shown:
            waiting.shown = True
            self.panel.show_in(waiting.row, waiting.revised, waiting.verdict)
        if waiting.stored and waiting.shown:
            del self._awaiting[id(outcome)]
