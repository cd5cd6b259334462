"""What the cross-process tests run in each child process (started with multiprocessing's
"spawn", so each is a fresh interpreter like a second ``scanner-app`` command). Each
function reports what happened on ``results`` and never raises."""

from __future__ import annotations

import time
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier
from pathlib import Path
from typing import Any

from scanner_app.backends.errors import BackendError
from scanner_app.backends.shared_budget import SharedRequestBudget
from scanner_app.backends.zoho import ZohoSecrets
from scanner_app.config import ZohoSettings
from scanner_app.paths import StationPaths


def station_paths(home: str) -> StationPaths:
    root = Path(home)
    return StationPaths(config_dir=root, data_dir=root / "data", log_dir=root / "logs").ensure()


def ask_for_a_token(home: str, settings: dict[str, Any], secrets: tuple[str, str], start: Barrier | None,
                    results: Queue[tuple[str, str]]) -> None:
    """Make the station's Zoho client, wait for the others at ``start``, ask for a token."""
    from scanner_app.backends.connect import zoho_client_from

    try:
        client = zoho_client_from(ZohoSettings(**settings), ZohoSecrets(*secrets), home=station_paths(home))
    except Exception as exc:  # noqa: BLE001 - reported, not raised: the parent asserts on it
        results.put(("error", repr(exc)))
        return
    with client:
        if start is not None:
            start.wait(timeout=60)
        try:
            results.put(("token", client.tokens.current()))
        except BackendError as exc:
            results.put((type(exc).__name__, str(exc)))


def replace_the_token(home: str, settings: dict[str, Any], secrets: tuple[str, str],
                      results: Queue[tuple[str, str]]) -> None:
    """As after Zoho answered 401 to the station's token: ask for another one."""
    from scanner_app.backends.connect import zoho_client_from

    with zoho_client_from(ZohoSettings(**settings), ZohoSecrets(*secrets), home=station_paths(home)) as client:
        saved = client.tokens._cache.load()
        try:
            renewed = client.tokens.renew(rejected=saved.value if saved is not None else "")
            results.put(("token", renewed or ""))
        except BackendError as exc:
            results.put((type(exc).__name__, str(exc)))


class WouldWait(Exception):
    """Raised by :class:`NoSleepClock` instead of sleeping."""


class NoSleepClock:
    """The real clock, except that a wait is reported instead of slept."""

    def monotonic(self) -> float:
        return time.monotonic()

    def time(self) -> float:
        return time.time()

    def sleep(self, seconds: float) -> None:
        raise WouldWait(seconds)


def send_one_request(budget_file: str, requests_per_minute: float, burst: int, start: Barrier | None,
                     results: Queue[tuple[str, float]]) -> None:
    """Take one request from the station's budget: ("sent", 0) or ("would wait", seconds)."""
    budget = SharedRequestBudget(Path(budget_file), requests_per_minute, burst, NoSleepClock())
    if start is not None:
        start.wait(timeout=60)
    try:
        budget.acquire()
        results.put(("sent", 0.0))
    except WouldWait as wait:
        results.put(("would wait", float(wait.args[0])))
