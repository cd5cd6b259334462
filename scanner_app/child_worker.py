"""A persistent child process answering requests over a pipe: how the station runs work
that must not share its process (libzbar, which can abort; catalogue-page imports, which
would hold the GIL a scan needs).

Started with ``spawn`` (no copy of the station's threads or open databases) on the first
request, kept for the next ones, and replaced when it has died. A request that gets no
answer within its timeout stops the child; one whose child died raises with the exit code.
``spawn`` imports the parent's main module in the child: scripts must keep their work
under ``if __name__ == "__main__":`` (``scanner-app`` and ``python -m scanner_app`` do).
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any


class WorkerTimedOut(RuntimeError):
    """The child gave no answer in time; it was stopped."""


class WorkerDied(RuntimeError):
    """The child ended while (or before) answering; ``exit_code`` says how."""

    def __init__(self, exit_code: int | None) -> None:
        super().__init__(f"exit code {exit_code}")
        self.exit_code = exit_code


class ChildWorker:
    def __init__(self, target: Callable[..., None], args: tuple[Any, ...], name: str, *,
                 grace_s: float = 0.0) -> None:
        """``target(conn, *args)`` serves requests until ``conn`` closes. ``grace_s``: how
        long a stopping child may take to finish what it is doing before it is killed."""
        self.target, self.args, self.name, self.grace_s = target, args, name, grace_s
        self.restarts = 0  # children started after the first one
        self._started = False
        self._process: BaseProcess | None = None
        self._conn: Connection | None = None
        self._context = multiprocessing.get_context("spawn")

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def died(self) -> int | bool | None:
        """False while there is no child or it is alive; else its exit code (None if unknown)."""
        if self._process is None or self._process.is_alive():
            return False
        return self._process.exitcode

    def start(self) -> Connection:
        """The live child's end of the pipe, starting a child when there is none."""
        if self._process is not None and self._conn is not None and self._process.is_alive():
            return self._conn
        self.stop()
        parent, child = self._context.Pipe()
        process = self._context.Process(target=self.target, args=(child, *self.args), name=self.name, daemon=True)
        process.start()
        child.close()
        self._process, self._conn = process, parent
        self.restarts += self._started
        self._started = True
        return parent

    def request(self, message: Any, timeout_s: float) -> Any:
        """Send ``message`` and wait for the answer; WorkerTimedOut or WorkerDied otherwise."""
        conn = self.start()
        try:
            conn.send(message)
            if not conn.poll(timeout_s):
                self.stop()
                raise WorkerTimedOut(f"no answer within {timeout_s:g} s")
            return conn.recv()
        except (EOFError, OSError) as exc:
            code = self._exit_code()
            self.stop()
            raise WorkerDied(code) from exc

    def _exit_code(self) -> int | None:
        if self._process is None:
            return None
        self._process.join(timeout=1.0)
        return self._process.exitcode

    def stop(self) -> None:
        """Close the pipe (the child's ``recv`` ends and it exits), wait ``grace_s``, then kill."""
        if self._conn is not None:
            self._conn.close()
        if self._process is not None:
            if self.grace_s > 0:
                self._process.join(timeout=self.grace_s)
            if self._process.is_alive():
                self._process.kill()
            self._process.join(timeout=2.0)
        self._process, self._conn = None, None
