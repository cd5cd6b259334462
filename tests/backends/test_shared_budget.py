"""The station-wide request budget on a fake clock: two budgets on one file (as two
processes have) stay within the rate together, see each other's 429 hold, and never spin."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import httpx
import pytest

from scanner_app.backends.http import HttpPolicy, JsonHttpClient
from scanner_app.backends.shared_budget import SharedRequestBudget
from scanner_app.backends.zoho.dialects import ZohoInventoryDialect
from tests.backends.fake_clock import FakeClock


class SpinGuard(FakeClock):
    """A fake clock that fails the test instead of letting a budget spin."""

    def __init__(self, limit: int = 10_000) -> None:
        super().__init__()
        self.limit = limit

    def sleep(self, seconds: float) -> None:
        assert len(self.sleeps) < self.limit, "the budget is spinning"
        super().sleep(seconds)


@pytest.fixture
def budget_file(tmp_path: Path) -> Path:
    return tmp_path / "data" / "zoho-request-budget.json"


def test_two_budgets_on_one_file_stay_within_the_rate_together(budget_file: Path) -> None:
    clock = SpinGuard()
    first, second = (SharedRequestBudget(budget_file, 60, 2, clock) for _ in range(2))  # 1 a second, 2 at once
    start = clock.time()
    sent_at = []
    for n in range(12):
        (first if n % 2 else second).acquire()
        sent_at.append(clock.time() - start)
    # The k-th request (from 0) goes no sooner than (k + 1 - burst) seconds in: 12 in 10 s, not 12 in 5 s.
    for k, at in enumerate(sent_at):
        assert at >= (k + 1 - 2) - 1e-3, (k, at)
    assert sent_at[-1] == pytest.approx(10, abs=0.01)
    assert len(clock.sleeps) == 10  # one sleep per request past the burst


def test_a_hold_from_one_budget_stops_the_other(budget_file: Path) -> None:
    clock = SpinGuard()
    first, second = (SharedRequestBudget(budget_file, 6000, 50, clock) for _ in range(2))
    first.acquire()
    first.hold(30)  # this one got a 429 with Retry-After: 30
    assert second.acquire() == pytest.approx(30, abs=0.01)
    assert first.acquire() == 0  # the hold is over for everyone
    first.hold(5)
    second.hold(1)  # a shorter hold does not shorten it
    assert first.acquire() == pytest.approx(5, abs=0.01)


def test_no_spinning_at_wall_clock_magnitudes(budget_file: Path) -> None:
    """On the wall clock (~1.8e9 s) floats are ~2.4e-7 s apart: a wait for the last hair of a
    token would not move the clock. Rates that make awkward fractions, many requests."""
    for rate in (90.0, 7.0, 1000.0 / 3):
        clock = SpinGuard(limit=400)
        budget = SharedRequestBudget(budget_file.with_name(f"{rate}.json"), rate, 5, clock)
        for _ in range(300):
            budget.acquire()
        assert len(clock.sleeps) <= 300
        assert clock.slept == pytest.approx((300 - 5) * 60 / rate, rel=1e-3)


def test_the_file_is_private_and_a_broken_one_is_a_full_bucket(budget_file: Path) -> None:
    clock = SpinGuard()
    budget = SharedRequestBudget(budget_file, 60, 3, clock)
    budget.acquire()
    assert stat.S_IMODE(budget_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(budget_file.with_suffix(".lock").stat().st_mode) == 0o600
    assert json.loads(budget_file.read_text())["tokens"] == pytest.approx(2)
    for broken in (b"", b"{", b'{"tokens": "many"}', b"[]", b'{"tokens": NaN, "counted_at": 1, "held_until": 0}'):
        budget_file.write_bytes(broken)
        for _ in range(3):
            assert budget.acquire() == 0
        assert budget.acquire() > 0
    assert sorted(p.name for p in budget_file.parent.iterdir()) == [budget_file.name,
                                                                     budget_file.with_suffix(".lock").name]


def test_a_clock_set_back_neither_fills_the_bucket_nor_holds_forever(budget_file: Path) -> None:
    clock = SpinGuard()
    budget = SharedRequestBudget(budget_file, 60, 2, clock, max_hold_seconds=120)
    budget.acquire()
    budget.acquire()
    clock._wall -= 3600  # the station's clock is corrected by an hour
    assert budget.acquire() == pytest.approx(1, abs=0.01)  # the next token a second on, not now, nor in an hour
    budget.hold(100)
    clock._wall -= 3600
    assert budget.acquire() == pytest.approx(120, abs=0.01)  # at most max_hold_seconds, not an hour more


def test_the_http_client_paces_and_holds_with_the_budget_it_is_given(budget_file: Path) -> None:
    clock = SpinGuard()
    answers = iter([httpx.Response(429, headers={"Retry-After": "7"}, json={"code": 44, "message": "too many"}),
                    httpx.Response(200, json={"code": 0, "items": []})])
    shared = SharedRequestBudget(budget_file, 6000, 50, clock)
    other_process = SharedRequestBudget(budget_file, 6000, 50, clock)
    client = JsonHttpClient("https://www.zohoapis.eu/inventory/v1", dialect=ZohoInventoryDialect(),
                            policy=HttpPolicy(jitter=0.0, backoff_seconds=0.01), budget=shared, clock=clock,
                            transport=httpx.MockTransport(lambda request: next(answers)))
    with client:
        client.request("GET", "/items")
    # The 429's hold went to the shared budget: it was waited out there, by this client's acquire.
    assert json.loads(budget_file.read_text())["held_until"] == pytest.approx(clock.time(), abs=0.01)
    assert clock.slept == pytest.approx(7, abs=0.01)
    assert other_process.acquire() == 0
    assert json.loads(budget_file.read_text())["tokens"] == pytest.approx(48, abs=0.01)  # refilled, then 2 taken
