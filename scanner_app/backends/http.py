"""The HTTP client every backend shares: JSON over httpx, paced, retried where safe,
and failing only with the exceptions of :mod:`scanner_app.backends.errors`.

What :class:`JsonHttpClient` guarantees, for Zoho Inventory now and Pack.cloud later:

* TLS verification is always on; there is no option to turn it off. Plain ``http://`` is
  refused except to this machine (loopback test servers).
* Explicit timeouts (:class:`HttpPolicy`); a client-side request budget (token bucket)
  and a cap on calls in flight, shared by all threads using the client (a ``budget``
  passed in, e.g. the station-wide one, replaces the client's own).
* A 429 is waited out (its ``Retry-After``, plus jitter, held for every thread) and the
  call sent again; a Retry-After longer than ``max_retry_after_seconds`` is raised as
  :class:`~scanner_app.backends.errors.RateLimited` instead of blocking a thread.
* Timeouts, dropped connections and 5xx are retried with jittered exponential backoff
  only for calls that are safe to repeat: GET and HEAD, or a call whose caller passes
  ``safe_to_repeat=True``. A connection that was never made is retried for any call.
  How long each wait is: :mod:`~scanner_app.backends.http_retries`.
* Credentials go in headers (through an ``httpx.Auth``) or form bodies, never in URLs,
  and never to another host than ``base_url``; HTTP loggers pass through
  :mod:`~scanner_app.backends.log_redaction`.

A vendor's error shapes are read by its :class:`VendorDialect` (Zoho: ``{code, message}``).
Tests inject ``transport=httpx.MockTransport(handler)`` and a fake :class:`Clock`.
"""

from __future__ import annotations

import functools
import logging
import random
import ssl
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from scanner_app.backends.errors import (
    BackendError,
    Offline,
    RateLimited,
    ServerError,
    UnexpectedResponse,
)
from scanner_app.backends.http_retries import (
    NOT_SENT,
    certificate_refused,
    retry_after_seconds,
    retry_wait,
)
from scanner_app.backends.log_redaction import install_log_redaction
from scanner_app.backends.pacing import Budget, Clock, RequestBudget, SystemClock
from scanner_app.backends.vendor_dialect import VendorDialect
from scanner_app.url_safety import is_loopback_host, url_problem

log = logging.getLogger(__name__)

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True)
class HttpPolicy:
    """Timeouts, pacing and retries of one client (all times in seconds)."""

    timeout_seconds: float = 30.0
    connect_timeout_seconds: float = 10.0
    requests_per_minute: float = 90.0
    burst: int = 5
    max_concurrent: int = 4
    max_attempts: int = 4  # the first try included
    backoff_seconds: float = 1.0  # first retry after about this long, doubling each time
    max_backoff_seconds: float = 30.0
    max_retry_after_seconds: float = 120.0
    jitter: float = 0.2  # Retry-After is stretched by up to this fraction


@functools.cache
def verifying_ssl_context() -> ssl.SSLContext:
    """One TLS context for every client (loading the CA bundle takes ~50 ms); it checks
    certificates and host names, and nothing here can switch that off."""
    return httpx.create_ssl_context(verify=True)


def check_base_url(url: str) -> httpx.URL:
    """The URL, if it is https (or http to this machine: :mod:`scanner_app.url_safety`);
    ValueError otherwise. httpx must read the same host as the check did."""
    problem = url_problem(url)
    if problem is not None:
        raise ValueError(f"{url!r} {problem}")
    parsed = httpx.URL(url)
    if parsed.scheme == "http" and not is_loopback_host(parsed.host):
        raise ValueError(f"{url!r} must be an https:// URL (httpx reads its host as {parsed.host!r}; "
                         f"secrets are only sent over TLS)")
    return parsed


class JsonHttpClient:
    """JSON calls to one vendor at ``base_url``. Thread-safe; close it when done."""

    def __init__(
        self,
        base_url: str,
        *,
        dialect: VendorDialect,
        policy: HttpPolicy | None = None,
        auth: httpx.Auth | None = None,
        transport: httpx.BaseTransport | None = None,
        clock: Clock | None = None,
        rng: random.Random | None = None,
        budget: Budget | None = None,
    ) -> None:
        install_log_redaction()
        self.base_url = check_base_url(base_url)
        self.dialect = dialect
        self.policy = policy or HttpPolicy()
        self.clock: Clock = clock or SystemClock()
        # Always verifying (certifi's CA bundle); exposed so tests can see it is so.
        self.ssl_context = verifying_ssl_context()
        self._rng = rng or random.Random()
        self._budget: Budget = budget if budget is not None else RequestBudget(
            self.policy.requests_per_minute, self.policy.burst, self.clock)
        self._slots = threading.BoundedSemaphore(self.policy.max_concurrent)
        self._client = httpx.Client(
            base_url=self.base_url,
            verify=self.ssl_context,
            transport=transport,
            auth=auth,
            timeout=httpx.Timeout(self.policy.timeout_seconds, connect=self.policy.connect_timeout_seconds),
            limits=httpx.Limits(max_connections=self.policy.max_concurrent),
            follow_redirects=False,  # a redirect could carry the Authorization header elsewhere
            headers={"Accept": "application/json", "User-Agent": "scanner-app"},
        )

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> JsonHttpClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str | int] | None = None,
        json: Any = None,
        form: Mapping[str, str] | None = None,
        safe_to_repeat: bool | None = None,
        operation: str | None = None,
    ) -> Any:
        """Send one call and return its parsed JSON body; raise a BackendError otherwise.

        ``path`` is relative to ``base_url`` (an absolute URL must be on the same host).
        ``safe_to_repeat`` defaults to True for GET/HEAD and False for everything else.
        """
        method = method.upper()
        repeatable = method in SAFE_METHODS if safe_to_repeat is None else safe_to_repeat
        request = self._client.build_request(method, path, params=params, json=json, data=form)
        self._check_same_origin(request.url)
        operation = operation or f"{method} {_relative_path(request.url, self.base_url)}"
        attempt = 0
        while True:
            attempt += 1
            try:
                response = self._send(request, operation)
                return self._read(response, operation)
            except BackendError as error:
                wait = retry_wait(error, repeatable, attempt, self.policy, self._rng)
                if wait is None:
                    raise
                log.info("%s: %s; trying again in %.1f s (attempt %d)", operation, error.message, wait, attempt + 1)
                if isinstance(error, RateLimited):
                    self._budget.hold(wait)
                else:
                    self.clock.sleep(wait)

    # -- one attempt ----------------------------------------------------------------

    def _send(self, request: httpx.Request, operation: str) -> httpx.Response:
        self._budget.acquire()
        with self._slots:
            started = self.clock.monotonic()
            try:
                response = self._client.send(request)
            except httpx.TransportError as exc:
                raise self._offline(exc, request.method, operation) from exc
            except httpx.DecodingError as exc:  # e.g. a broken gzip stream
                raise UnexpectedResponse(f"the answer could not be decoded ({exc})", backend=self.dialect.name,
                                         operation=operation, maybe_applied=request.method not in SAFE_METHODS
                                         ) from exc
        log.debug("%s -> HTTP %d in %.0f ms", operation, response.status_code,
                  (self.clock.monotonic() - started) * 1000)
        return response

    def _offline(self, exc: httpx.TransportError, method: str, operation: str) -> Offline:
        sent = not isinstance(exc, NOT_SENT)
        host = self.base_url.host
        if isinstance(exc, httpx.TimeoutException):
            what = f"no answer from {host} within {self.policy.timeout_seconds:g} s" if sent \
                else f"could not connect to {host} in time"
        elif certificate_refused(exc):
            what = f"the TLS certificate of {host} is not trusted ({exc})"
        elif sent:
            what = f"the connection to {host} dropped before the answer came ({exc})"
        else:
            what = f"cannot connect to {host} ({exc})"
        return Offline(what, backend=self.dialect.name, operation=operation,
                       maybe_applied=sent and method not in SAFE_METHODS)

    def _read(self, response: httpx.Response, operation: str) -> Any:
        status, method = response.status_code, response.request.method
        if 300 <= status < 400:  # not followed: a redirect could take the credentials elsewhere
            target = httpx.URL(response.headers.get("location", "")).host or "elsewhere"
            raise UnexpectedResponse(f"the server redirected the call to {target}", backend=self.dialect.name,
                                     operation=operation, status=status)
        body, not_json = _parse_json(response)
        if not_json is not None:
            if status < 400:
                raise UnexpectedResponse(
                    f"the answer was not JSON ({not_json})", backend=self.dialect.name,
                    operation=operation, status=status, maybe_applied=method not in SAFE_METHODS,
                )
            body = None
        found = self.dialect.read_error(status, body)
        if found is None and status < 400:
            return body
        code, vendor_message = found if found is not None else (None, None)
        cls = self.dialect.error_class(status, code, vendor_message)
        message = self.dialect.message_for(cls, status, vendor_message)
        if issubclass(cls, RateLimited):
            raise RateLimited(
                message, retry_after=retry_after_seconds(response, self.clock), backend=self.dialect.name,
                operation=operation, status=status, code=code, vendor_message=vendor_message,
            )
        raise cls(
            message, backend=self.dialect.name, operation=operation, status=status, code=code,
            vendor_message=vendor_message,
            maybe_applied=issubclass(cls, ServerError) and method not in SAFE_METHODS,
        )

    def _check_same_origin(self, url: httpx.URL) -> None:
        base = self.base_url
        if (url.scheme, url.host, url.port) != (base.scheme, base.host, base.port):
            raise ValueError(f"refusing to send a call for {base.host} to {url.host}")


def _relative_path(url: httpx.URL, base: httpx.URL) -> str:
    """The call's path without the base path and without the query (ids, not secrets,
    but a query is no business of an error message)."""
    path, prefix = url.path, base.path.rstrip("/")
    return path[len(prefix):] if prefix and path.startswith(prefix) else path


def _parse_json(response: httpx.Response) -> tuple[Any, str | None]:
    """(body, None), or (None, why it is not JSON) -- never quoting the body, which
    could hold half a token."""
    content = response.content
    if not content.strip():
        return None, (None if response.status_code == 204 else "an empty answer")
    try:
        return response.json(), None
    except ValueError as exc:
        kind = response.headers.get("content-type", "no content type").split(";")[0]
        position = getattr(exc, "pos", None)
        where = f", invalid at byte {position}" if position is not None else ""
        return None, f"{kind}, {len(content)} bytes{where}"
