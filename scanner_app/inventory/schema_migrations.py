"""Schema migrations for the embedded inventory.

Migrations are SQL files shipped with the package, ``migrations/NNNN_name.sql``, applied
in number order. The database remembers how far it got in ``PRAGMA user_version``, so
opening a database runs only what it has not seen yet; opening an up-to-date one runs
nothing. Each migration is applied in its own ``BEGIN IMMEDIATE`` transaction together
with the ``user_version`` bump, so a crash leaves the database at the previous version,
and two processes opening the same new file do not both apply it.

Migrations are never edited once released: a schema change is a new file.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from scanner_app.faults import DatabaseTooNew

_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


class MigrationError(RuntimeError):
    """The database is newer than this program, or a migration file is malformed."""


class SchemaTooNew(DatabaseTooNew, MigrationError):
    """The database was written by a newer scanner-app: its words say which version and
    what to do (a :class:`~scanner_app.faults.StationFault`, read by every entry point)."""


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def bundled_migrations() -> list[Migration]:
    """The migrations shipped in ``scanner_app/inventory/migrations``, in order."""
    folder = resources.files("scanner_app.inventory").joinpath("migrations")
    found: list[Migration] = []
    for entry in folder.iterdir():
        match = _NAME.match(entry.name)
        if match:
            found.append(Migration(int(match.group(1)), entry.name, entry.read_text("utf-8")))
    found.sort(key=lambda m: m.version)
    versions = [m.version for m in found]
    if versions != list(range(1, len(found) + 1)):
        raise MigrationError(f"migration numbers must run 1, 2, 3 ... without gaps: {versions}")
    return found


def split_statements(sql: str) -> list[str]:
    """Split a script into complete statements (semicolons inside strings and
    triggers are respected, thanks to :func:`sqlite3.complete_statement`)."""
    statements: list[str] = []
    pending = ""
    for piece in sql.split(";"):
        pending += piece + ";"
        if sqlite3.complete_statement(pending):
            if pending.strip(" \t\r\n;"):
                statements.append(pending.strip())
            pending = ""
    return statements


def schema_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection, migrations: list[Migration] | None = None, *,
            begin: Callable[[sqlite3.Connection], None] | None = None, path: Path | None = None) -> int:
    """Bring the database at ``conn`` (autocommit mode) up to date; return its version.
    ``begin`` starts each migration's write transaction (the store's waits for a file
    another program holds; default: a plain ``BEGIN IMMEDIATE``); ``path`` names the file
    when it is newer than this program (:class:`SchemaTooNew`)."""
    migrations = bundled_migrations() if migrations is None else migrations
    latest = migrations[-1].version if migrations else 0
    current = schema_version(conn)
    if current > latest:
        raise SchemaTooNew(path or Path("the inventory database"), current, latest)
    for migration in migrations:
        if migration.version <= current:
            continue
        if begin is None:
            conn.execute("BEGIN IMMEDIATE")
        else:
            begin(conn)
        try:
            # Another process may have migrated while we waited for the write lock.
            if schema_version(conn) < migration.version:
                for statement in split_statements(migration.sql):
                    conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {migration.version:d}")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:  # SQLite may have rolled back already (a full disk)
                conn.execute("ROLLBACK")
            raise
        current = migration.version
    return current
