"""When a failed vendor call is sent again, and after how long (issue #14, mutation testing).

The rules of ``backends/http_retries.py`` as its docstring and HTTP state them:

* a 429 is waited out for its ``Retry-After`` (delta-seconds or an HTTP date, RFC 9110
  10.2.3), stretched by up to ``jitter``; one longer than ``max_retry_after_seconds`` is
  given up; none said, the backoff;
* timeouts, dropped connections and 5xx are retried with a jittered exponential backoff
  (half the ceiling plus up to the other half; the ceiling doubles from
  ``backoff_seconds`` up to ``max_backoff_seconds``) only for a call safe to repeat; a
  connection never made is retried for any call; an untrusted certificate never is;
* anything else, or ``max_attempts`` reached: no retry.

The random jitter is pinned at its two ends (a ``Random`` whose ``uniform`` returns the
low or the high bound), so each wait is stated exactly.
"""

from __future__ import annotations

import random

import httpx
import pytest

from scanner_app.backends.errors import (
    BackendError,
    NotFound,
    Offline,
    RateLimited,
    ServerError,
    UnexpectedResponse,
    ValidationError,
)
from scanner_app.backends.http import HttpPolicy
from scanner_app.backends.http_retries import (
    backoff,
    certificate_refused,
    retry_after_seconds,
    retry_wait,
    was_sent,
)
from tests.backends.fake_clock import FakeClock

POLICY = HttpPolicy(max_attempts=4, backoff_seconds=1.0, max_backoff_seconds=30.0,
                    max_retry_after_seconds=120.0, jitter=0.2)


class Pinned(random.Random):
    """``uniform(a, b)`` is always ``a`` (``high=False``) or always ``b``."""

    def __init__(self, high: bool) -> None:
        super().__init__(0)
        self.high = high

    def uniform(self, a: float, b: float) -> float:
        return b if self.high else a


LOW, HIGH = Pinned(False), Pinned(True)


def offline(cause: BaseException | None) -> Offline:
    error = Offline("no answer")
    error.__cause__ = cause
    return error


def request() -> httpx.Request:
    return httpx.Request("POST", "https://example.test/items")


@pytest.mark.parametrize(("attempt", "low", "high"), [(1, 0.5, 1.0), (2, 1.0, 2.0), (3, 2.0, 4.0),
                                                     (5, 8.0, 16.0), (6, 15.0, 30.0), (12, 15.0, 30.0)])
def test_backoff_is_half_the_doubling_ceiling_plus_up_to_the_other_half(attempt: int, low: float,
                                                                       high: float) -> None:
    assert backoff(attempt, POLICY, LOW) == low
    assert backoff(attempt, POLICY, HIGH) == high


def test_a_429_is_waited_out_for_its_retry_after_stretched_by_up_to_the_jitter() -> None:
    error = RateLimited("slow down", retry_after=10.0)
    assert retry_wait(error, False, 1, POLICY, LOW) == 10.0
    assert retry_wait(error, False, 1, POLICY, HIGH) == pytest.approx(12.0)


def test_a_429_retry_after_of_exactly_the_limit_is_waited_longer_is_given_up() -> None:
    assert retry_wait(RateLimited("slow", retry_after=120.0), True, 1, POLICY, LOW) == 120.0
    assert retry_wait(RateLimited("slow", retry_after=120.5), True, 1, POLICY, LOW) is None


def test_a_429_without_retry_after_waits_the_backoff() -> None:
    assert retry_wait(RateLimited("slow"), False, 3, POLICY, LOW) == 2.0
    assert retry_wait(RateLimited("slow"), False, 3, POLICY, HIGH) == 4.0


@pytest.mark.parametrize("error", [RateLimited("slow", retry_after=1.0), ServerError("500"),
                                   offline(httpx.ConnectError("refused"))])
def test_no_retry_once_the_attempts_are_used_up(error: BackendError) -> None:
    assert retry_wait(error, True, POLICY.max_attempts - 1, POLICY, LOW) is not None
    assert retry_wait(error, True, POLICY.max_attempts, POLICY, LOW) is None
    assert retry_wait(error, True, POLICY.max_attempts + 1, POLICY, LOW) is None


def test_a_5xx_is_retried_only_when_the_call_is_safe_to_repeat() -> None:
    assert retry_wait(ServerError("502"), True, 2, POLICY, HIGH) == 2.0
    assert retry_wait(ServerError("502"), False, 2, POLICY, HIGH) is None


@pytest.mark.parametrize("error", [UnexpectedResponse("not JSON"), NotFound("gone"), ValidationError("bad"),
                                   BackendError("other")])
def test_answers_that_would_come_again_are_not_retried(error: BackendError) -> None:
    assert retry_wait(error, True, 1, POLICY, LOW) is None


def test_a_connection_never_made_is_retried_for_any_call() -> None:
    for cause in (httpx.ConnectError("refused"), httpx.ConnectTimeout("slow"), httpx.PoolTimeout("busy"),
                  httpx.UnsupportedProtocol("ftp")):
        assert not was_sent(offline(cause))
        assert retry_wait(offline(cause), False, 1, POLICY, LOW) == 0.5


def test_a_request_that_may_have_arrived_is_retried_only_when_safe_to_repeat() -> None:
    for cause in (httpx.ReadTimeout("slow", request=request()), httpx.RemoteProtocolError("dropped"), None):
        assert was_sent(offline(cause))
        assert retry_wait(offline(cause), False, 1, POLICY, LOW) is None
        assert retry_wait(offline(cause), True, 1, POLICY, HIGH) == 1.0


def test_an_untrusted_certificate_is_never_retried() -> None:
    refused = httpx.ConnectError("[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed")
    assert certificate_refused(refused)
    assert not certificate_refused(httpx.ConnectError("connection refused"))
    assert not certificate_refused(httpx.ReadError("CERTIFICATE_VERIFY_FAILED"))  # not a connect error
    assert not certificate_refused(None)
    assert retry_wait(offline(refused), True, 1, POLICY, LOW) is None


def response(retry_after: str | None) -> httpx.Response:
    headers = {} if retry_after is None else {"Retry-After": retry_after}
    return httpx.Response(429, headers=headers)


@pytest.mark.parametrize(("header", "seconds"), [("30", 30.0), ("0", 0.0), ("2.5", 2.5), ("-4", 0.0),
                                                 (None, None), ("", None), ("soon", None)])
def test_retry_after_in_seconds(header: str | None, seconds: float | None) -> None:
    assert retry_after_seconds(response(header), FakeClock()) == seconds


def test_retry_after_as_an_http_date_is_counted_from_the_clock() -> None:
    clock = FakeClock(start=1_800_000_000.0)  # Fri, 15 Jan 2027 08:00:00 GMT
    assert retry_after_seconds(response("Fri, 15 Jan 2027 08:01:30 GMT"), clock) == 90.0
    assert retry_after_seconds(response("Fri, 15 Jan 2027 07:59:00 GMT"), clock) == 0.0  # already past
