"""Small state files that every process of one station shares (in its home folder), and the
lock around changing them.

:class:`StationLock` is an exclusive lock on a lock file, held by one thread of one process
at a time: the window, a cron'd ``scanner-app sync`` and a script on the same station take
turns. It is ``fcntl.flock`` on Linux and macOS (released by the kernel when a process
dies, so a crash never leaves it taken) and ``msvcrt.locking`` on Windows (best effort).

:func:`write_private` writes a whole file readable by its owner only (mode 0600), through
a temporary file (also 0600) and ``os.replace``, so a reader sees the old contents or the
new, never half. :func:`read_file` reads one, None when it is not there.
"""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path
from types import TracebackType

PRIVATE_MODE = 0o600
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_BINARY = getattr(os, "O_BINARY", 0)


class StationLock:
    """``with lock:`` holds the lock file exclusively, across the station's processes and
    this process's threads. Re-entrant within a thread (only the outermost ``with`` locks
    the file)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._threads = threading.RLock()
        self._owner: int | None = None
        self._depth = 0
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        """This thread holds the lock."""
        return self._owner == threading.get_ident()

    def __enter__(self) -> StationLock:
        self._threads.acquire()
        if self._depth == 0:
            try:
                self._fd = _lock(self.path)
            except BaseException:
                self._threads.release()
                raise
            self._owner = threading.get_ident()
        self._depth += 1
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self._depth -= 1
        if self._depth == 0:
            fd, self._fd, self._owner = self._fd, None, None
            if fd is not None:
                _unlock(fd)
        self._threads.release()


def _open_lock_file(path: Path) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    return os.open(path, os.O_RDWR | os.O_CREAT | _NOFOLLOW | _BINARY, PRIVATE_MODE)


if sys.platform == "win32":  # pragma: no cover - the station's tests run on Linux
    import msvcrt

    def _lock(path: Path) -> int:
        fd = _open_lock_file(path)
        while True:
            try:
                os.lseek(fd, 0, os.SEEK_SET)
                msvcrt.locking(fd, msvcrt.LK_LOCK, 1)  # retries for ~10 s, then raises: try again
                return fd
            except OSError:
                continue

    def _unlock(fd: int) -> None:
        try:
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        finally:
            os.close(fd)

else:
    import fcntl

    def _lock(path: Path) -> int:
        fd = _open_lock_file(path)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)  # per open file: excludes this process's other threads too
        except BaseException:
            os.close(fd)
            raise
        return fd

    def _unlock(fd: int) -> None:
        try:
            fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)


def read_file(path: Path) -> bytes | None:
    """The file's bytes; None when there is no such file."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def write_private(path: Path, data: bytes, *, durable: bool = False) -> None:
    """Replace ``path`` with ``data`` in one step, mode 0600; ``durable`` waits until it is
    on disk. Call it holding the file's :class:`StationLock` (two writers would not corrupt
    the file, but one of their changes would be lost)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | _NOFOLLOW | _BINARY, PRIVATE_MODE)
    try:
        try:
            if hasattr(os, "fchmod"):
                os.fchmod(fd, PRIVATE_MODE)  # a leftover temporary file may have had another mode
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            if durable:
                os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise
