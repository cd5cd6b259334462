"""What the Dispatch, Receive and Assemble controllers share: the station, page, task
manager and sounds they drive; the Qt-free workflow followed through its ``changed`` event,
re-posted to the UI thread by a queued signal; the workflow's writes run on the task
manager's database-writer thread, a failed one said on the page and the workflow read again
from the database; and a refusal shown with its sound. :class:`ControlledPageUnit` makes such a
page and its controller one tab of the window (:mod:`scanner_app.ui.workflow_pages`)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import QObject, Signal

from scanner_app.events import Event
from scanner_app.history.store import WorkflowVerdict
from scanner_app.scanning.scan import ScanOutcome
from scanner_app.station import Station
from scanner_app.ui.pages.workflow_page import WorkflowPage
from scanner_app.ui.sounds import FeedbackSounds
from scanner_app.ui.tasks import TaskManager
from scanner_app.ui.workflow_pages import WorkflowPageUnit

log = logging.getLogger(__name__)


class FollowedWorkflow(Protocol):
    changed: Event[Any]

    def close(self) -> None: ...

    def reload(self) -> None: ...


class WorkflowController(QObject):
    """Base of a page's controller. A subclass builds its workflow with ``write=self._write``
    and hands it to :meth:`_follow`; ``what`` names the workflow's writes in the log."""

    _workflow_changed = Signal()  # re-posts the core's event (any thread) to the UI thread
    what = "a workflow write"

    def __init__(self, station: Station, page: Any, tasks: TaskManager, sounds: FeedbackSounds,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.station, self.page, self.tasks, self.sounds = station, page, tasks, sounds

    def _follow(self, workflow: FollowedWorkflow, on_change: Callable[[], None]) -> None:
        """Call ``on_change`` on the UI thread whenever ``workflow`` changes (until :meth:`close`)."""
        self._followed = workflow
        workflow.changed.connect(self._on_workflow_changed)
        self._workflow_changed.connect(on_change)

    def _on_workflow_changed(self, _workflow: object) -> None:
        self._workflow_changed.emit()

    def close(self) -> None:
        self._followed.changed.disconnect(self._on_workflow_changed)
        self._followed.close()

    def _write(self, work: Callable[[], object]) -> None:
        self.tasks.run_db(work, on_done=self._written)

    def _written(self, _result: object, error: BaseException | None) -> None:
        if error is not None:
            log.error("%s failed", self.what, exc_info=error)
            self._refuse(f"Could not save: {error}")
            self._followed.reload()

    def _refuse(self, message: str) -> None:
        self.page.show_answer(False, message)
        self.sounds.play("invalid")


class PageController(Protocol):
    """What the window needs of a page's controller."""

    def handle(self, outcome: ScanOutcome) -> Any: ...  # an answer: accepted, verdict, message

    def load(self) -> None: ...

    def close(self) -> None: ...


class ControlledPageUnit(WorkflowPageUnit):
    """A tab whose page a controller drives: scans, start-up and close go to the controller,
    and its answer is kept in the history as the verdict of ``key``."""

    def __init__(self, page: WorkflowPage, controller: PageController) -> None:
        super().__init__(page, page.manual_entry)
        self.controller = controller

    def handle_scan(self, outcome: ScanOutcome) -> WorkflowVerdict | None:
        return WorkflowVerdict.of(self.key, self.controller.handle(outcome))

    def load(self) -> None:
        self.controller.load()

    def close(self) -> None:
        self.controller.close()
