"""What every workflow is, for the window and the commands that drive it. Qt-free.

- :class:`Workflow`: the protocol the dispatch, receiving and assembly workflows implement
  (each module declares it, and mypy checks the declaration): take a scan's outcome and
  answer it (:class:`ScanAnswer`: ``accepted``, ``verdict``, ``message``), complete or
  cancel the open job, load the job left open (``resume``), read it again (``reload``),
  and let go of it (``close``); ``changed`` fires (on any thread) when its state moved.
- :class:`NotReady`: the one refusal of a step that cannot be taken yet (start, complete,
  change); ``str()`` says why, for a person. Each workflow's own (``DispatchNotReady``,
  ``ReceiveNotReady``, ``AssemblyNotReady``) is a subclass, so a caller catches either.
- :data:`Write` and :func:`write_now`: how a workflow runs its database writes. Inline by
  default; the window hands its database-writer thread instead, so a scan is answered
  within a frame while the write follows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from scanner_app.events import Event
from scanner_app.scanning.scan import ScanOutcome

Write = Callable[[Callable[[], object]], None]


def write_now(work: Callable[[], object]) -> None:
    """Run ``work`` here and now (the :data:`Write` of commands and tests)."""
    work()


class NotReady(Exception):
    """The workflow cannot take this step yet (start, change or complete its job); ``str()``
    says why, for a person, and nothing was changed."""


class ScanAnswer(Protocol):
    """A workflow's answer to one scan: taken in or not, its verdict, and the words to show."""

    @property
    def accepted(self) -> bool: ...

    @property
    def verdict(self) -> str: ...

    @property
    def message(self) -> str: ...


class Workflow(Protocol):
    """A workflow as the window and the commands drive it (its own steps, such as starting a
    job with its document or place, stay its own)."""

    changed: Event[Any]  # its job, lines or their states changed (on the thread that moved them)

    @property
    def is_open(self) -> bool:
        """Whether a job is open (scans are taken into it)."""
        ...

    def handle(self, outcome: ScanOutcome) -> ScanAnswer:
        """Check one scan and take it in, or say why not (and change nothing)."""
        ...

    def complete(self) -> None:
        """Complete the open job; :class:`NotReady` says what is missing (nothing changed)."""
        ...

    def cancel(self) -> None:
        """Cancel the open job (nothing open: nothing happens)."""
        ...

    def resume(self) -> object | None:
        """Load and hold the job left open (after a restart); None when there is none."""
        ...

    def reload(self) -> None:
        """Read the job and its states again from the database (e.g. after a failed write)."""
        ...

    def close(self) -> None:
        """Let go of the job and stop following the outbox (the workflow is not used any more)."""
        ...
