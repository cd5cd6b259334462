"""The controllers' shared base: a workflow's change from another thread reaches the UI
thread, a failed write is said on the page with the refusal sound and the workflow read
again, and close stops following and closes the workflow."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QThread

from scanner_app.events import Event
from scanner_app.station import Station
from scanner_app.ui.controllers.workflow_controller import WorkflowController
from scanner_app.ui.sounds import FeedbackSounds
from scanner_app.ui.tasks import TaskManager


class Workflow:
    def __init__(self) -> None:
        self.changed: Event[object] = Event()
        self.reloads = self.closes = 0

    def reload(self) -> None:
        self.reloads += 1

    def close(self) -> None:
        self.closes += 1


class Page:
    def __init__(self) -> None:
        self.answers: list[tuple[bool, str]] = []

    def show_answer(self, accepted: bool, message: str, note: str | None = None) -> None:
        self.answers.append((accepted, message))


class Sounds(FeedbackSounds):
    def __init__(self) -> None:
        super().__init__(enabled=False)
        self.played: list[str] = []

    def play(self, name: str) -> None:
        self.played.append(name)


class Controller(WorkflowController):
    what = "a test write"

    def __init__(self, station: Station, tasks: TaskManager) -> None:
        super().__init__(station, Page(), tasks, Sounds())
        self.workflow = Workflow()
        self.refreshed_on: list[QThread] = []
        self._follow(self.workflow, lambda: self.refreshed_on.append(QThread.currentThread()))

    def save(self, work: Callable[[], object]) -> None:
        self._write(work)


@pytest.fixture
def controller(qtbot, station: Station) -> Iterator[Controller]:  # type: ignore[no-untyped-def]
    tasks = TaskManager()
    made = Controller(station, tasks)
    yield made
    tasks.shutdown()


def test_a_change_on_another_thread_is_followed_on_the_ui_thread(qtbot, controller: Controller) -> None:  # type: ignore[no-untyped-def]
    worker = threading.Thread(target=controller.workflow.changed.emit, args=(controller.workflow,))
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: len(controller.refreshed_on) == 1)
    assert controller.refreshed_on == [QThread.currentThread()]


def test_a_failed_write_is_said_with_the_sound_and_the_workflow_is_read_again(qtbot, controller: Controller) -> None:  # type: ignore[no-untyped-def]
    def failing() -> None:
        raise OSError("disk full")

    controller.save(lambda: None)
    controller.save(failing)
    qtbot.waitUntil(lambda: controller.workflow.reloads == 1)
    assert controller.page.answers == [(False, "Could not save: disk full")]
    assert controller.sounds.played == ["invalid"]  # type: ignore[attr-defined]


def test_close_stops_following_and_closes_the_workflow(qtbot, controller: Controller) -> None:  # type: ignore[no-untyped-def]
    controller.close()
    controller.workflow.changed.emit(controller.workflow)  # on this thread a followed change is seen at once
    assert controller.refreshed_on == [] and controller.workflow.closes == 1
