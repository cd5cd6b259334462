"""When :class:`~scanner_app.backends.http.JsonHttpClient` sends a failed call again, and
after how long. Qt-free; no I/O: the client does the waiting.

* A 429 is waited out: its ``Retry-After`` (seconds or an HTTP date) stretched by up to
  ``HttpPolicy.jitter``; longer than ``max_retry_after_seconds`` is given up (raised as
  :class:`~scanner_app.backends.errors.RateLimited` rather than blocking a thread); no
  ``Retry-After``, the backoff.
* Timeouts, dropped connections and 5xx: jittered exponential backoff (half the ceiling
  plus up to the other half, the ceiling doubling from ``backoff_seconds`` up to
  ``max_backoff_seconds``), only for a call that is safe to repeat; a connection that
  was never made is retried for any call. An untrusted TLS certificate is never retried.
* Anything else, or ``max_attempts`` reached: no retry.
"""

from __future__ import annotations

import email.utils
import random
from typing import TYPE_CHECKING

import httpx

from scanner_app.backends.errors import BackendError, Offline, RateLimited, ServerError, UnexpectedResponse
from scanner_app.backends.pacing import Clock

if TYPE_CHECKING:
    from scanner_app.backends.http import HttpPolicy

# httpx errors raised before any byte of the request left this machine
NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.UnsupportedProtocol)


def retry_wait(error: BackendError, repeatable: bool, attempt: int, policy: HttpPolicy,
               rng: random.Random) -> float | None:
    """Seconds to wait before sending again after ``attempt`` failed with ``error``, or None
    to give up with it (``repeatable``: the call is safe to send twice)."""
    if attempt >= policy.max_attempts:
        return None
    if isinstance(error, RateLimited):
        if error.retry_after is None:
            return backoff(attempt, policy, rng)
        if error.retry_after > policy.max_retry_after_seconds:
            return None
        return error.retry_after * (1 + rng.uniform(0, policy.jitter))
    if isinstance(error, Offline):
        if certificate_refused(error.__cause__):
            return None  # not a passing glitch: the server is not who it says
        return backoff(attempt, policy, rng) if repeatable or not was_sent(error) else None
    if isinstance(error, ServerError) and not isinstance(error, UnexpectedResponse):
        return backoff(attempt, policy, rng) if repeatable else None
    return None


def backoff(attempt: int, policy: HttpPolicy, rng: random.Random) -> float:
    """The jittered exponential wait after ``attempt`` (1: the first try) failed."""
    ceiling = min(policy.max_backoff_seconds, policy.backoff_seconds * 2.0 ** (attempt - 1))
    return ceiling / 2 + rng.uniform(0, ceiling / 2)


def certificate_refused(exc: BaseException | None) -> bool:
    return isinstance(exc, httpx.ConnectError) and "CERTIFICATE_VERIFY_FAILED" in str(exc)


def was_sent(error: Offline) -> bool:
    """Whether the request may have reached the server (the cause is not a connect error)."""
    return not isinstance(error.__cause__, NOT_SENT)


def retry_after_seconds(response: httpx.Response, clock: Clock) -> float | None:
    """Retry-After in seconds (delta-seconds or an HTTP date), or None."""
    value = response.headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - clock.time())
