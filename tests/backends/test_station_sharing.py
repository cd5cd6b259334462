"""Real processes of one station sharing what Zoho limits: the access token (one token
request however many processes ask at once), the cap on token refreshes, and the request
budget with its 429 hold. Each child is a fresh interpreter (multiprocessing "spawn"),
like a second ``scanner-app`` command; they meet at a barrier to ask at the same moment."""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from scanner_app.backends.shared_budget import SharedRequestBudget
from tests.backends import station_children
from tests.backends.fake_zoho import TOKEN_PATH, FakeZoho, slow

CONTEXT = multiprocessing.get_context("spawn")


@pytest.fixture(autouse=True)
def headless(zoho: FakeZoho, monkeypatch: pytest.MonkeyPatch) -> None:
    """Children inherit this: secrets from the environment, no keyring (the token goes to the file)."""
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    monkeypatch.setenv("SCANNER_APP_ZOHO_CLIENT_SECRET", zoho.client_secret)
    monkeypatch.setenv("SCANNER_APP_ZOHO_REFRESH_TOKEN", zoho.refresh_token)


@pytest.fixture
def station(tmp_path: Path) -> Path:
    return tmp_path / "home"


def settings_of(zoho: FakeZoho) -> dict[str, Any]:
    return {"organization_id": zoho.organization_id, "client_id": zoho.client_id, "api_url": zoho.url,
            "accounts_url": zoho.url, "timeout_seconds": 10.0}


class Children:
    """Child processes started together; their reports, and no process left behind."""

    def __init__(self) -> None:
        self.results: Any = CONTEXT.Queue()
        self.processes: list[Any] = []

    def start(self, target: Any, *args: Any) -> None:
        process = CONTEXT.Process(target=target, args=(*args, self.results), daemon=True)
        process.start()
        self.processes.append(process)

    def reports(self, count: int) -> list[tuple[str, Any]]:
        got = [self.results.get(timeout=60) for _ in range(count)]
        for process in self.processes:
            process.join(timeout=30)
        assert all(process.exitcode == 0 for process in self.processes)
        return got

    def stop(self) -> None:
        for process in self.processes:
            if process.is_alive():
                process.kill()
                process.join()


@pytest.fixture
def children() -> Iterator[Children]:
    made = Children()
    yield made
    made.stop()


def test_processes_asking_at_once_share_one_token_request(zoho: FakeZoho, station: Path,
                                                           children: Children) -> None:
    count = 6
    # A slow token answer keeps the first refresh in flight while the others ask.
    zoho.inject(slow(0.3, method="POST", path=TOKEN_PATH, times=count))
    start = CONTEXT.Barrier(count)
    for _ in range(count):
        children.start(station_children.ask_for_a_token, str(station), settings_of(zoho),
                       (zoho.client_secret, zoho.refresh_token), start)
    reports = children.reports(count)
    assert {kind for kind, _ in reports} == {"token"}, reports
    assert zoho.refresh_count == 1
    assert {token for _, token in reports} == set(zoho.issued_tokens)


def test_the_refresh_cap_is_the_stations_not_each_processs(zoho: FakeZoho, station: Path,
                                                            children: Children) -> None:
    """11 commands in a row, each finding its token rejected: five refreshes (the cap), then
    the station stops asking, long before Zoho's "Access Denied" after ten."""
    reports = []
    for _ in range(11):
        children.start(station_children.replace_the_token, str(station), settings_of(zoho),
                       (zoho.client_secret, zoho.refresh_token))
        reports.extend(children.reports(1))  # one after the other
    assert [kind for kind, _ in reports] == ["token"] * 5 + ["AuthError"] * 6, reports
    assert "stopped asking Zoho for new access tokens: 5 already in the last 10 minutes" in reports[-1][1]
    assert zoho.refresh_count == 5
    assert [token for _, token in reports[:5]] == zoho.issued_tokens


def test_processes_share_one_request_budget(tmp_path: Path, children: Children) -> None:
    budget_file = tmp_path / "data" / "zoho-request-budget.json"
    count, burst = 6, 3
    start = CONTEXT.Barrier(count)
    for _ in range(count):
        children.start(station_children.send_one_request, str(budget_file), 1.0, burst, start)
    reports = children.reports(count)
    sent = [wait for kind, wait in reports if kind == "sent"]
    waiting = sorted(wait for kind, wait in reports if kind == "would wait")
    assert len(sent) == burst and len(waiting) == count - burst
    assert all(30 < wait <= 60 for wait in waiting)  # the next token, at one a minute


def test_a_hold_set_by_one_process_stops_the_others(tmp_path: Path, children: Children) -> None:
    budget_file = tmp_path / "data" / "zoho-request-budget.json"
    SharedRequestBudget(budget_file, 6000, 50, station_children.NoSleepClock()).hold(120)  # this process saw a 429
    children.start(station_children.send_one_request, str(budget_file), 6000, 50, None)
    [(kind, wait)] = children.reports(1)
    assert kind == "would wait" and 60 < wait <= 120
