"""What ``scanner_app.outbox.delivery`` promises, stated from its own table and the retry
policy's documented meaning (not re-derived with its code):

- :func:`judge`: every branch of the backends' exception tree, with and without
  ``maybe_applied``: the verdict, whether the attempt counts toward parking, and whether the
  vendor must be asked before anything is sent again;
- :class:`RetryPolicy`: which settings are accepted (the edges included) and the exact
  sentence a misconfiguration raises; ``backoff``: the first wait is ``backoff_seconds``,
  doubling after each failure in a row, capped at ``max_backoff_seconds``, and jitter takes
  up to ``jitter`` of it off (never adds).
"""

from __future__ import annotations

import random

import pytest

from scanner_app.backends.errors import (
    Conflict,
    NotConnected,
    NotFound,
    Offline,
    RateLimited,
    ScopeError,
    ServerError,
    SignInAgain,
    UnexpectedResponse,
    ValidationError,
)
from scanner_app.outbox.delivery import Judgement, RetryPolicy, judge


class FixedRandom(random.Random):
    """A random source whose every draw is ``value`` (0.0: no jitter taken off)."""

    def __init__(self, value: float) -> None:
        super().__init__(0)
        self.value = value

    def random(self) -> float:
        return self.value


# -- judge: the module's table, row by row -------------------------------------------------

@pytest.mark.parametrize("applied", [False, True])
@pytest.mark.parametrize("make, verdict, counts", [
    (lambda a: SignInAgain("the refresh token was refused", maybe_applied=a), "pause", False),
    (lambda a: ScopeError("ZohoInventory.items.UPDATE is missing", maybe_applied=a), "pause", False),
    (lambda a: NotConnected("not signed in: run scanner-app login zoho", maybe_applied=a), "pause", False),
    (lambda a: ValidationError("Serial number SN-9 is not available", maybe_applied=a), "refused", True),
    (lambda a: NotFound("Item does not exist.", maybe_applied=a), "refused", True),
    (lambda a: Conflict("Batch B1 already exists", maybe_applied=a), "refused", True),
    (lambda a: ServerError("Internal error", status=500, maybe_applied=a), "server_failed", True),
    (lambda a: UnexpectedResponse("not JSON", maybe_applied=a), "server_failed", True),
])
def test_each_backend_error_has_its_verdict_and_keeps_may_have_applied(make, verdict: str, counts: bool,
                                                                        applied: bool) -> None:
    assert judge(make(applied)) == Judgement(verdict, counts_attempt=counts, may_have_applied=applied)


@pytest.mark.parametrize("applied", [False, True])
def test_offline_counts_an_attempt_only_when_the_request_had_been_sent(applied: bool) -> None:
    error = Offline("no answer within 30 s", maybe_applied=applied)
    assert judge(error) == Judgement("offline", counts_attempt=applied, may_have_applied=applied)


def test_a_rate_limit_counts_nothing_and_was_not_applied() -> None:
    assert judge(RateLimited("too many requests", retry_after=42)) == Judgement(
        "rate_limited", counts_attempt=False, may_have_applied=False)


@pytest.mark.parametrize("error", [KeyError("bundle_id"), TypeError("'NoneType' is not subscriptable")])
def test_a_deliverers_own_bug_fails_the_entry_and_may_have_been_sent(error: Exception) -> None:
    assert judge(error) == Judgement("broken", counts_attempt=True, may_have_applied=True)


# -- RetryPolicy: what is accepted, what is refused -----------------------------------------

@pytest.mark.parametrize("settings", [
    {"max_attempts": 1},
    {"backoff_seconds": 0.0, "max_backoff_seconds": 0.0},
    {"backoff_seconds": 0.5, "max_backoff_seconds": 0.5},
    {"backoff_seconds": 5.0, "max_backoff_seconds": 5.0},
    {"jitter": 0.0},
    {"jitter": 1.0},
    {"idle_poll_seconds": 0.5},
])
def test_settings_at_the_edges_are_accepted(settings: dict[str, float]) -> None:
    policy = RetryPolicy(**settings)  # type: ignore[arg-type]
    for name, value in settings.items():
        assert getattr(policy, name) == value


ATTEMPTS_AND_BACKOFF = "max_attempts must be at least 1 and 0 <= backoff_seconds <= max_backoff_seconds"
JITTER_AND_POLL = "jitter must be within 0..1 and idle_poll_seconds positive"


@pytest.mark.parametrize("settings, message", [
    ({"max_attempts": 0}, ATTEMPTS_AND_BACKOFF),
    ({"backoff_seconds": -0.5}, ATTEMPTS_AND_BACKOFF),
    ({"backoff_seconds": 5.0, "max_backoff_seconds": 1.0}, ATTEMPTS_AND_BACKOFF),
    ({"jitter": -0.1}, JITTER_AND_POLL),
    ({"jitter": 1.5}, JITTER_AND_POLL),
    ({"idle_poll_seconds": 0.0}, JITTER_AND_POLL),
    ({"idle_poll_seconds": -1.0}, JITTER_AND_POLL),
])
def test_a_wrong_setting_is_refused_with_its_sentence(settings: dict[str, float], message: str) -> None:
    with pytest.raises(ValueError) as raised:
        RetryPolicy(**settings)  # type: ignore[arg-type]
    assert str(raised.value) == message


# -- RetryPolicy.backoff ----------------------------------------------------------------------

def test_the_wait_doubles_after_each_failure_up_to_the_cap() -> None:
    policy = RetryPolicy(backoff_seconds=5.0, max_backoff_seconds=600.0, jitter=0.5)
    no_jitter = FixedRandom(0.0)
    assert [policy.backoff(n, no_jitter) for n in (1, 2, 3, 4, 8, 20)] == [5.0, 10.0, 20.0, 40.0, 600.0, 600.0]


def test_no_failure_counted_yet_waits_the_first_wait() -> None:
    policy = RetryPolicy(backoff_seconds=5.0, max_backoff_seconds=600.0)
    assert policy.backoff(0, FixedRandom(0.0)) == 5.0


def test_jitter_only_takes_off_up_to_its_fraction() -> None:
    policy = RetryPolicy(backoff_seconds=4.0, max_backoff_seconds=100.0, jitter=0.5)
    assert policy.backoff(1, FixedRandom(0.5)) == 3.0  # a quarter of 4 s taken off
    assert policy.backoff(3, FixedRandom(1.0)) == 8.0  # at most half of 16 s taken off
    assert RetryPolicy(backoff_seconds=4.0, jitter=0.0).backoff(1, FixedRandom(0.9)) == 4.0
