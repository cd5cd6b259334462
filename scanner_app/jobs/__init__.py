"""Open jobs: work a person or a script started and did not finish.

A dispatch, a receipt or an assembly is written to the database scan by scan, so a killed
process (the CLI or the window) leaves it ``open``, holding what it claimed (serial numbers,
a reference). Each workflow that can leave such a job registers a :class:`JobKind` in
:data:`JOB_KINDS` (one line there); ``scanner-app jobs`` (:mod:`scanner_app.commands.jobs`)
lists every kind's open jobs and resumes or cancels one by its id (``KIND-NUMBER``, e.g.
``dispatch-12``), so a new workflow adds a kind and nothing else changes.

Plain Python: no Qt. A kind's ``resume`` may deliver through the outbox and wait (like the
workflow's own command); ``cancel`` releases what the job holds and says what it released.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from scanner_app.plugins import attribute


@dataclass(frozen=True)
class OpenJob:
    """One unfinished job, as ``scanner-app jobs`` lists it."""

    kind: str                 # "dispatch", "receipt", "assembly"
    number: int               # the workflow's own row id
    document: str             # what it is for, in words: "salesorder SO-1", "reference PO-7"
    warehouse_id: str | None
    started_at: float         # epoch seconds
    holds: str                # what it holds, in words: "12 serial numbers"
    how_to_finish: str        # what resume will do, in words

    @property
    def job_id(self) -> str:
        return f"{self.kind}-{self.number}"

    def as_json(self) -> dict[str, Any]:
        return {"id": self.job_id, "kind": self.kind, "number": self.number, "document": self.document,
                "warehouse_id": self.warehouse_id, "started_at": self.started_at, "holds": self.holds,
                "how_to_finish": self.how_to_finish}


@dataclass(frozen=True)
class JobOutcome:
    """What ``resume`` or ``cancel`` did: the exit code (0 when the job is finished or
    released), one sentence for a person, and the details a script reads (``--json``)."""

    exit_code: int
    message: str
    details: dict[str, Any] = field(default_factory=dict)


class JobNotFound(LookupError):
    """No open job has this id (never existed, finished or cancelled): the message says which."""


class JobKind(Protocol):
    """A workflow's open jobs. ``station`` is a :class:`scanner_app.station.Station`."""

    kind: str

    def open_jobs(self, station: Any) -> list[OpenJob]:
        """Every open job of this kind, oldest first."""
        ...

    def resume(self, station: Any, number: int, *, timeout: float) -> JobOutcome:
        """Finish the open job ``number`` (JobNotFound when it is not open)."""
        ...

    def cancel(self, station: Any, number: int) -> JobOutcome:
        """Cancel the open job ``number`` and release what it holds (JobNotFound when it is not open)."""
        ...


# "module:attribute" of each registered kind; imported on use, so listing jobs does not
# import every workflow's command code up front.
JOB_KINDS: list[str] = [
    "scanner_app.workflows.dispatch_jobs:DISPATCH_JOBS",
    "scanner_app.workflows.receiving_jobs:RECEIPT_JOBS",
    "scanner_app.workflows.assembly_jobs:ASSEMBLY_JOBS",
]


def job_kinds() -> list[JobKind]:
    return [attribute(path) for path in JOB_KINDS]


def open_jobs(station: Any) -> list[OpenJob]:
    """Every registered kind's open jobs, oldest first."""
    jobs = [job for kind in job_kinds() for job in kind.open_jobs(station)]
    return sorted(jobs, key=lambda job: (job.started_at, job.kind, job.number))


def parse_job_id(job_id: str) -> tuple[JobKind, int]:
    """The kind and number of ``KIND-NUMBER``; JobNotFound with words when it is not one."""
    kind_name, _, number = job_id.strip().rpartition("-")
    kinds = {kind.kind: kind for kind in job_kinds()}
    if kind_name not in kinds or not number.isdecimal():
        known = ", ".join(sorted(kinds)) or "none"
        raise JobNotFound(f"{job_id!r} is not a job id: it is KIND-NUMBER as `scanner-app jobs` lists it "
                          f"(kinds: {known})")
    return kinds[kind_name], int(number)
