"""Which process is working on an open job, across processes.

A process that starts or resumes a job (the CLI's dispatch, the window's receipt...) holds
an OS file lock named after it next to the inventory database (``inventory.db.jobs/KIND-NUMBER.lock``,
the same kind of lock as the relay's: :class:`scanner_app.outbox.relay_lock.RelayLock`).
The operating system drops it when the process ends, even by ``kill -9``, so an open job
whose lock nobody holds was left behind and may be resumed or cancelled; one whose lock is
held is being worked on and must be left alone.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from scanner_app.outbox.relay_lock import RelayLock


def lock_path(database: Path, kind: str, number: int) -> Path:
    folder = database.with_name(database.name + ".jobs")
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{kind}-{number}.lock"


class JobOwnership:
    """This process's hold on job ``kind``-``number`` of the inventory at ``database``."""

    def __init__(self, database: Path, kind: str, number: int) -> None:
        self.kind, self.number = kind, number
        self._lock = RelayLock(lock_path(Path(database), kind, number))

    def take(self) -> bool:
        """Hold the job; False when another live process holds it."""
        return self._lock.acquire()

    def release(self) -> None:
        self._lock.release()

    @property
    def held(self) -> bool:
        return self._lock.held


def in_use_elsewhere(database: Path, kind: str, number: int) -> bool:
    """True when a live process holds job ``kind``-``number`` (this one too, through a
    :class:`JobOwnership`: ``flock`` locks belong to the open file). Takes nothing."""
    probe = RelayLock(lock_path(Path(database), kind, number))
    if not probe.acquire():
        return True
    probe.release()
    return False


class JobInUse(RuntimeError):
    """Another live process holds job ``kind``-``number``; ``str()`` says so, for a person."""

    def __init__(self, kind: str, number: int) -> None:
        super().__init__(f"{kind}-{number} is being worked on by another scanner-app process; "
                         "wait for it to finish or stop it")
        self.kind, self.number = kind, number


@contextmanager
def holding(database: Path, kind: str, number: int) -> Iterator[JobOwnership]:
    """Job ``kind``-``number`` held for the block (a cancel from ``scanner-app jobs``);
    JobInUse when another live process holds it."""
    ownership = JobOwnership(database, kind, number)
    if not ownership.take():
        raise JobInUse(kind, number)
    try:
        yield ownership
    finally:
        ownership.release()
