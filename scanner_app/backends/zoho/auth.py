"""Signing in to Zoho: the OAuth 2 refresh-token flow, access tokens, and their limits.

A station holds a long-lived refresh token (with the client id and secret) and trades it
for access tokens at ``POST {accounts}/oauth/v2/token`` (``grant_type=refresh_token``,
every credential in the form body so none can appear in a logged URL). An access token
lasts an hour (``expires_in``, 3600 s).

:class:`ZohoTokenSource` keeps the current token (in memory, or in a :class:`TokenCache`
that outlives the process), refreshes it ``refresh_margin_seconds`` before it expires,
and again when Zoho rejects it (HTTP 401, code 57 or 14). One refresh at a time across
threads: a thread whose token was rejected and finds a newer one already there uses it.
A :class:`StationTokenCache` (:mod:`~scanner_app.backends.zoho.token_store`) extends that
to every process of the station: "load, still stale?, refresh, save" runs under its
cross-process lock, and the refreshes it counts are the whole station's.
When even the fresh token is refused, Zoho is refusing the call, not the token (code 57
also means a missing scope): that kind of call raises :class:`ScopeError` without
further refreshes for five minutes.

It never loops. Zoho blocks a refresh token that fetches 10 access tokens within 10
minutes, so no more than ``max_refreshes`` (5) token-issuing refreshes happen in
``refresh_window_seconds`` (600) in the process, or on the station with a
:class:`StationTokenCache`; beyond that calls fail with :class:`AuthError` until
the window has room. A token request is sent once, never retried by the HTTP client;
Zoho's "Access Denied" for it is :class:`RateLimited` with ``retry_after`` of at least
ten minutes, so no caller retries it soon. A refused refresh token (``invalid_code``) or client secret raises
:class:`SignInAgain` and is not sent again: a person has to sign in again.

:class:`ZohoOAuth` is the ``httpx.Auth`` that puts ``Authorization: Zoho-oauthtoken ...``
on each request and sends it once more, with a fresh token, after a 401.
"""

from __future__ import annotations

import json
import logging
import threading
from collections import deque
from collections.abc import Generator, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

import httpx

from scanner_app.backends.errors import (
    AuthError,
    BackendError,
    Offline,
    RateLimited,
    SignInAgain,
    UnexpectedResponse,
)
from scanner_app.backends.http import JsonHttpClient
from scanner_app.backends.log_redaction import REDACTOR
from scanner_app.backends.pacing import Clock
from scanner_app.backends.zoho.dialects import TOKEN_REJECTED_CODES, envelope_code

log = logging.getLogger(__name__)

TOKEN_PATH = "/oauth/v2/token"
DEFAULT_TOKEN_SECONDS = 3600.0
TOKEN_BLOCK_SECONDS = 600.0  # how long Zoho's "Access Denied" for token requests is assumed to last


@dataclass(frozen=True)
class ZohoSecrets:
    """What the keyring (or the environment) holds for Zoho. Never printed."""

    client_secret: str = field(repr=False)
    refresh_token: str = field(repr=False)


@dataclass(frozen=True)
class AccessToken:
    value: str = field(repr=False)
    expires_at: float  # seconds since the epoch (wall clock, so it can be saved)
    issued_at: float = 0.0  # likewise; 0 when unknown

    def fresh(self, now: float, margin: float) -> bool:
        """Valid for more than ``margin`` seconds (or half its life, if that is shorter)."""
        if self.issued_at:
            margin = min(margin, (self.expires_at - self.issued_at) / 2)
        return self.expires_at - margin > now


class TokenCache(Protocol):
    """Where the current access token is kept between calls (and, if it persists,
    between runs, so each ``scanner-app`` command does not fetch a new token)."""

    def load(self) -> AccessToken | None: ...

    def save(self, token: AccessToken) -> None: ...


class MemoryTokenCache:
    """A token cache that lasts as long as the process."""

    def __init__(self) -> None:
        self._token: AccessToken | None = None

    def load(self) -> AccessToken | None:
        return self._token

    def save(self, token: AccessToken) -> None:
        self._token = token


@runtime_checkable
class StationTokenCache(TokenCache, Protocol):
    """A token cache every process of the station shares, with the lock that makes its
    refreshes single-flight and the station's record of recent refreshes."""

    def locked(self) -> AbstractContextManager[None]:
        """Hold the station-wide lock; while it is held, :meth:`load` and :meth:`refresh_times`
        show what the other processes saved."""
        ...

    def refresh_times(self) -> list[float]:
        """When (wall clock) the station's recent token-issuing refreshes were."""
        ...

    def record_refresh(self, at: float) -> None:
        """Count one refresh at ``at`` (wall clock) for the whole station."""
        ...


class ZohoTokenSource:
    """Valid access tokens for one sign-in (client id + secrets). Thread-safe."""

    def __init__(
        self,
        accounts: JsonHttpClient,
        client_id: str,
        secrets: ZohoSecrets,
        *,
        clock: Clock,
        cache: TokenCache | None = None,
        refresh_margin_seconds: float = 120.0,
        max_refreshes: int = 5,
        refresh_window_seconds: float = 600.0,
    ) -> None:
        self._accounts = accounts
        self._client_id = client_id
        self._secrets = secrets
        self._clock = clock
        self._cache: TokenCache = cache or MemoryTokenCache()
        self._station = cache if isinstance(cache, StationTokenCache) else None
        self._margin = refresh_margin_seconds
        self._max_refreshes = max_refreshes
        self._window = refresh_window_seconds
        self._lock = threading.Lock()
        self._recent: deque[float] = deque()  # monotonic times of recent refreshes (without a station cache)
        self._refused: SignInAgain | None = None
        self._denied_calls: dict[str, float] = {}  # call -> when a fresh token was refused for it
        self._scope_grace = refresh_window_seconds / 2
        self.refresh_count = 0
        REDACTOR.register(secrets.client_secret, secrets.refresh_token)
        cached = self._cache.load()
        if cached is not None:
            REDACTOR.register(cached.value)

    def current(self) -> str:
        """A token that is valid for at least the margin, refreshing it if needed."""
        token = self._cache.load()
        if token is not None and self._fresh(token):
            return token.value
        with self._exclusive():
            token = self._cache.load()
            if token is not None and self._fresh(token):
                return token.value
            return self._refresh()

    def renew(self, rejected: str, call: str = "") -> str | None:
        """A token other than ``rejected`` (which Zoho refused for ``call``): the one
        another thread fetched meanwhile, or a new one. None when a new one would not
        help: a fresh token was refused for this kind of call minutes ago (see
        :meth:`refused_with_fresh_token`), and refreshing again would only use up refreshes."""
        with self._exclusive():
            token = self._cache.load()
            if token is not None and token.value != rejected and self._fresh(token):
                return token.value
            denied_at = self._denied_calls.get(call)
            if denied_at is not None and self._clock.monotonic() - denied_at < self._scope_grace:
                return None
            return self._refresh()

    def refused_with_fresh_token(self, call: str) -> None:
        """Zoho refused ``call`` (e.g. ``"POST bundles"``) even with a token fetched for it:
        not the token's fault (code 57 also means a missing scope)."""
        with self._lock:
            self._denied_calls[call] = self._clock.monotonic()

    def _fresh(self, token: AccessToken) -> bool:
        return token.fresh(self._clock.time(), self._margin)

    @contextmanager
    def _exclusive(self) -> Iterator[None]:
        """This process's lock, then the station's when the cache is shared by its processes."""
        with self._lock, (self._station.locked() if self._station is not None else nullcontext()):
            yield

    def _refresh_ages(self) -> list[float]:
        """How long ago (seconds) each refresh within the window was, oldest first."""
        if self._station is None:
            now = self._clock.monotonic()
            while self._recent and now - self._recent[0] >= self._window:
                self._recent.popleft()
            return [now - at for at in self._recent]
        now = self._clock.time()
        # A time ahead of the clock counts (conservative), unless the clock went back by more than a window.
        return sorted((now - at for at in self._station.refresh_times() if -self._window < now - at < self._window),
                      reverse=True)

    def _count_refresh(self) -> None:
        if self._station is None:
            self._recent.append(self._clock.monotonic())
        else:
            self._station.record_refresh(self._clock.time())

    def _refresh(self) -> str:
        """Fetch a new access token (the caller holds the lock)."""
        if self._refused is not None:
            raise self._refused
        ages = self._refresh_ages()
        if len(ages) >= self._max_refreshes:
            wait_minutes = max(1, round((self._window - ages[0]) / 60))
            raise AuthError(
                f"stopped asking Zoho for new access tokens: {len(ages)} already in the last "
                f"{self._window / 60:g} minutes, and Zoho blocks the sign-in after 10; "
                f"try again in about {wait_minutes} minute(s)",
                backend="Zoho sign-in", operation=f"POST {TOKEN_PATH}",
            )
        self.refresh_count += 1
        form = {
            "grant_type": "refresh_token",
            "client_id": self._client_id,
            "client_secret": self._secrets.client_secret,
            "refresh_token": self._secrets.refresh_token,
        }
        try:
            body = self._accounts.request("POST", TOKEN_PATH, form=form, safe_to_repeat=False)
        except BackendError as failure:
            # Zoho counts tokens issued: a request that surely issued none is not counted,
            # so a network outage does not use up the refreshes.
            if failure.maybe_applied:
                self._count_refresh()
            if isinstance(failure, SignInAgain):
                self._refused = failure
            if isinstance(failure, Offline):
                raise Offline(f"{failure.message}; Zoho's sign-in could not be reached, so the client secret and "
                              "refresh token were not judged", backend=failure.backend, operation=failure.operation,
                              maybe_applied=failure.maybe_applied) from failure
            if isinstance(failure, RateLimited):
                raise RateLimited(
                    "Zoho refuses new access tokens for now (too many in a short time); try again in a few minutes",
                    retry_after=max(failure.retry_after or 0.0, TOKEN_BLOCK_SECONDS), backend=failure.backend,
                    operation=failure.operation, status=failure.status, code=failure.code,
                    vendor_message=failure.vendor_message,
                ) from failure
            raise
        self._count_refresh()
        value = body.get("access_token") if isinstance(body, dict) else None
        if not isinstance(value, str) or not value:
            raise UnexpectedResponse("the token answer holds no access_token", backend="Zoho sign-in",
                                     operation=f"POST {TOKEN_PATH}")
        REDACTOR.register(value)
        expires_in = body.get("expires_in", DEFAULT_TOKEN_SECONDS)
        seconds = float(expires_in) if isinstance(expires_in, (int, float)) else DEFAULT_TOKEN_SECONDS
        now = self._clock.time()
        self._cache.save(AccessToken(value, now + seconds, issued_at=now))
        log.info("new Zoho access token, valid for %.0f s (refresh %d)", seconds, self.refresh_count)
        return value


class ZohoOAuth(httpx.Auth):
    """``Authorization: Zoho-oauthtoken <token>`` on every request; after a 401 that
    says the token was refused, one fresh token and one more try.

    ``api_path`` is the API's root path (``/inventory/v1``): calls are told apart by
    method and first segment below it (``GET items``, ``POST bundles``), which is how
    Zoho's scopes divide them, so a scope missing for one kind of call does not stop
    token refreshes for the others.
    """

    requires_response_body = True

    def __init__(self, tokens: ZohoTokenSource, api_path: str = "") -> None:
        self.tokens = tokens
        self.api_path = api_path.rstrip("/")

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        token = self.tokens.current()
        request.headers["Authorization"] = f"Zoho-oauthtoken {token}"
        response = yield request
        if response.status_code != 401 or not _token_refused(response):
            return
        call = self._call(request)
        renewed = self.tokens.renew(rejected=token, call=call)
        if renewed is None:
            return
        request.headers["Authorization"] = f"Zoho-oauthtoken {renewed}"
        response = yield request
        if response.status_code == 401 and _token_refused(response):
            self.tokens.refused_with_fresh_token(call)

    def _call(self, request: httpx.Request) -> str:
        path = request.url.path
        if self.api_path and path.startswith(self.api_path):
            path = path[len(self.api_path):]
        return f"{request.method} {path.strip('/').split('/')[0]}"


def _token_refused(response: httpx.Response) -> bool:
    """A 401 about the token (code 57/14, or no Zoho code at all), not e.g. about the
    organisation (code 6041), which a new token cannot fix."""
    try:
        code = envelope_code(json.loads(response.content))
    except ValueError:
        return True
    return code is None or code in TOKEN_REJECTED_CODES
