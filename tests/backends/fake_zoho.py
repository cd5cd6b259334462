"""A fake Zoho on a real HTTP server on loopback: the accounts server's token endpoint
and the Inventory API (:mod:`tests.backends.fake_zoho_inventory`), for end-to-end tests
of the station's Zoho client, and later its sync, outbox, receiving and kitting.

Start it::

    with FakeZoho() as zoho:                     # http://127.0.0.1:<free port>
        item = zoho.inventory.add_item("Widget", sku="W-1")
        client = ZohoClient(zoho.settings(), zoho.secrets())

It follows the vendor docs: ``POST /oauth/v2/token`` (form body; ``grant_type=
refresh_token``) issues access tokens valid ``token_lifetime`` seconds; the API under
``/inventory/v1`` wants ``Authorization: Zoho-oauthtoken <token>`` (else HTTP 401, code
57) and ``organization_id`` (a wrong one: HTTP 401, code 6041, Zoho's message).

Knobs:

* ``expire_tokens()``: every issued access token stops working (401, code 57).
* ``refuse_refresh_token()``: the token endpoint answers ``{"error": "invalid_code"}``.
* ``deny_scope(path_prefix)``: calls there get 401 code 57 even with a fresh token.
* ``answer_late(seconds, method=, path=, times=)``: the call takes effect at once, but its
  answer comes only after ``seconds`` (a client that gave up sooner never learns it was
  applied: the timeout-after-apply case).
* Like Zoho, more than 10 refreshes within 10 minutes get "Access Denied".
* ``inject(fault)``: the next matching call(s) misbehave; see
  :class:`tests.backends.loopback_server.Fault` (the server plumbing shared with the
  other fakes) and the helpers ``rate_limited``, ``server_error``, ``malformed_json``
  (Zoho's bodies), ``html_page``, ``slow``, ``dropped_connection``.

What happened: ``requests`` (every call, as received), ``count(method, path_prefix)``,
``refresh_count``, ``issued_tokens``, ``credentials_in_url`` (must stay 0).
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl

from scanner_app.backends.zoho import ZohoSecrets
from scanner_app.config import ZohoSettings
from tests.backends.fake_zoho_inventory import FakeInventory
from tests.backends.loopback_server import (  # noqa: F401 (re-exported for the Zoho tests)
    Fault,
    LoopbackServer,
    RecordedRequest,
    dropped_connection,
    html_page,
    slow,
)

API_PREFIX = "/inventory/v1"
TOKEN_PATH = "/oauth/v2/token"
SECRET_NAMES = ("client_secret", "refresh_token", "access_token")


def _json(code: int, message: str) -> bytes:
    return json.dumps({"code": code, "message": message}).encode()


def rate_limited(retry_after: float | str | None = 2, **match: Any) -> Fault:
    headers = {} if retry_after is None else {"Retry-After": str(retry_after)}
    body = _json(44, "You have made too many requests continuously. Please try again after some time.")
    return Fault(status=429, body=body, headers=headers, **match)


def server_error(status: int = 500, **match: Any) -> Fault:
    return Fault(status=status, body=_json(5, "Internal error, please try again later."), **match)


def malformed_json(**match: Any) -> Fault:
    return Fault(status=200, body=b'{"code": 0, "message": "success", "items": [{"item_id": ', **match)


class FakeZoho(LoopbackServer):
    thread_name = "fake-zoho"
    secret_names = SECRET_NAMES

    def __init__(self, *, organization_id: str = "10234695", client_id: str = "1000.FAKECLIENTID",
                 token_lifetime: int = 3600, now: Callable[[], float] = time.time) -> None:
        self.organization_id = organization_id
        self.client_id = client_id
        self.client_secret = "fake-client-secret-" + secrets.token_hex(12)
        self.refresh_token = "1000.fake-refresh-" + secrets.token_hex(16)
        self.token_lifetime = token_lifetime
        self.now = now
        super().__init__()
        self.inventory = FakeInventory(lambda: dt.datetime.fromtimestamp(self.now(), dt.UTC))
        self.issued_tokens: list[str] = []
        self.refresh_times: list[float] = []
        self._valid: dict[str, float] = {}  # access token -> expiry
        self._refresh_refused = False
        self._denied: list[str] = []
        self._late: list[Fault] = []  # answer_late(): applied now, answered after .delay

    def settings(self, **overrides: Any) -> ZohoSettings:
        """[zoho] settings that point at this server."""
        values: dict[str, Any] = {"organization_id": self.organization_id, "client_id": self.client_id,
                                      "api_url": self.url, "accounts_url": self.url, "requests_per_minute": 1000.0,
                                      "timeout_seconds": 5.0}
        values.update(overrides)
        return ZohoSettings(**values)

    def secrets(self, **overrides: str) -> ZohoSecrets:
        values = {"client_secret": self.client_secret, "refresh_token": self.refresh_token, **overrides}
        return ZohoSecrets(**values)

    # -- knobs and observations ------------------------------------------------------------

    def expire_tokens(self) -> None:
        with self._lock:
            self._valid.clear()

    def refuse_refresh_token(self) -> None:
        self._refresh_refused = True

    def deny_scope(self, path_prefix: str) -> None:
        self._denied.append(path_prefix)

    def answer_late(self, seconds: float, *, method: str | None = None, path: str | None = None,
                    times: int = 1) -> None:
        with self._lock:
            self._late.append(Fault(delay=seconds, method=method, path=path, times=times))

    def answer(self, method: str, target: str, headers: dict[str, str],
               raw: bytes) -> tuple[Fault | None, int, dict[str, str], bytes]:
        answered = super().answer(method, target, headers, raw)
        path = target.split("?", 1)[0]
        with self._lock:
            late = next((f for f in self._late if f.matches(method, path)), None)
            if late is not None:
                late.times -= 1
        if late is not None:
            self._stopping.wait(late.delay)
        return answered

    @property
    def refresh_count(self) -> int:
        return len(self.refresh_times)

    # -- answering ----------------------------------------------------------------------------

    def route(self, method: str, path: str, query: dict[str, str], headers: dict[str, str],
              raw: bytes) -> tuple[int, dict[str, Any]]:
        if path == TOKEN_PATH and method == "POST":
            return self._token(query, dict(parse_qsl(raw.decode("utf-8", "replace"))))
        if not path.startswith(API_PREFIX + "/"):
            return 404, {"code": 5, "message": "Invalid URL Passed"}
        token = headers.get("authorization", "").removeprefix("Zoho-oauthtoken ")
        api_path = path[len(API_PREFIX):]
        if self._valid.get(token, 0) <= self.now() or any(api_path.startswith(p) for p in self._denied):
            return 401, {"code": 57, "message": "You are not authorized to perform this operation"}
        if query.get("organization_id") != self.organization_id:
            given = query.get("organization_id", "")
            return 401, {"code": 6041, "message": f"This user is not associated with the CompanyID/CompanyName:{given}."}
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            return 400, {"code": 4, "message": "Invalid value passed for JSONString"}
        return self.inventory.handle(method, api_path, query, body)

    def _token(self, query: dict[str, str], form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        if form.get("grant_type") != "refresh_token":
            return 200, {"error": "unsupported_grant_type"}
        if form.get("client_id") != self.client_id or form.get("client_secret") != self.client_secret:
            return 200, {"error": "invalid_client"}
        if self._refresh_refused or form.get("refresh_token") != self.refresh_token:
            return 200, {"error": "invalid_code"}
        now = self.now()
        if sum(1 for t in self.refresh_times if now - t < 600) >= 10:
            return 400, {"error_description": "You have made too many requests continuously. Please try again "
                         "after some time.", "error": "Access Denied", "status": "failure"}
        self.refresh_times.append(now)
        token = f"1000.{secrets.token_hex(16)}.{secrets.token_hex(16)}"
        self.issued_tokens.append(token)
        self._valid[token] = now + self.token_lifetime
        return 200, {"access_token": token, "api_domain": self.url, "token_type": "Bearer",
                     "expires_in": self.token_lifetime}
