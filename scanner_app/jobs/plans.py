"""What the command that started a job asked for (``job_plans``, migration 0008).

A CLI command (``dispatch``, ``assemble``) saves its arguments as the job's plan in the
transaction that creates the job row, so that after a kill ``scanner-app jobs resume`` can
finish the whole command, and the same command run again can find the job it left. A job
started in the window has no plan. Plain Python: no Qt.
"""

from __future__ import annotations

import json
import sqlite3
import time
from typing import Any


def save_plan(conn: sqlite3.Connection, kind: str, number: int, plan: dict[str, Any]) -> None:
    """Inside the caller's transaction: job ``kind``-``number``'s plan is ``plan`` (replacing one)."""
    conn.execute("INSERT INTO job_plans (kind, number, plan, saved_at) VALUES (?, ?, ?, ?)"
                 " ON CONFLICT (kind, number) DO UPDATE SET plan = excluded.plan, saved_at = excluded.saved_at",
                 (kind, number, json.dumps(plan, sort_keys=True), time.time()))


def load_plan(conn: sqlite3.Connection, kind: str, number: int) -> dict[str, Any] | None:
    """Job ``kind``-``number``'s plan, or None (started in the window)."""
    row = conn.execute("SELECT plan FROM job_plans WHERE kind = ? AND number = ?", (kind, number)).fetchone()
    return json.loads(row[0]) if row else None


def plans_of(conn: sqlite3.Connection, kind: str) -> dict[int, dict[str, Any]]:
    """Every saved plan of ``kind``, by job number."""
    rows = conn.execute("SELECT number, plan FROM job_plans WHERE kind = ?", (kind,))
    return {int(number): json.loads(plan) for number, plan in rows}
