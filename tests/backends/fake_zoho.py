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
* Like Zoho, more than 10 refreshes within 10 minutes get "Access Denied".
* ``inject(fault)``: the next matching call(s) misbehave; see :class:`Fault` and its
  helpers ``rate_limited``, ``server_error``, ``malformed_json``, ``html_page``, ``slow``,
  ``dropped_connection`` (before or after the call took effect).

What happened: ``requests`` (every call, as received), ``count(method, path_prefix)``,
``refresh_count``, ``issued_tokens``, ``credentials_in_url`` (must stay 0).
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from scanner_app.backends.zoho import ZohoSecrets
from scanner_app.config import ZohoSettings
from tests.backends.fake_zoho_inventory import FakeInventory

API_PREFIX = "/inventory/v1"
TOKEN_PATH = "/oauth/v2/token"
SECRET_NAMES = ("client_secret", "refresh_token", "access_token")


@dataclass
class Fault:
    """How the next ``times`` calls matching ``method`` and ``path`` (a prefix of the
    full path, e.g. ``/inventory/v1/items``) misbehave."""

    status: int | None = None  # answer this status with ``body`` instead of the real answer
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before answering (a client timeout shorter than this times out)
    drop: bool = False  # close the connection without answering
    apply_first: bool = False  # handle the call for real first (a write takes effect), then misbehave
    method: str | None = None
    path: str | None = None
    times: int = 1

    def matches(self, method: str, path: str) -> bool:
        return self.times > 0 and self.method in (None, method) and (self.path is None or path.startswith(self.path))


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


def html_page(status: int = 200, **match: Any) -> Fault:
    page = b"<html><body><h1>Proxy sign-in required</h1></body></html>"
    return Fault(status=status, body=page, headers={"Content-Type": "text/html"}, **match)


def slow(seconds: float, **match: Any) -> Fault:
    """Answer normally (and apply the call), but only after ``seconds``."""
    return Fault(delay=seconds, **match)


def dropped_connection(*, after_apply: bool, **match: Any) -> Fault:
    return Fault(drop=True, apply_first=after_apply, **match)


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    target: str  # path and query string as sent
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes


class FakeZoho:
    def __init__(self, *, organization_id: str = "10234695", client_id: str = "1000.FAKECLIENTID",
                 token_lifetime: int = 3600, now: Callable[[], float] = time.time) -> None:
        self.organization_id = organization_id
        self.client_id = client_id
        self.client_secret = "fake-client-secret-" + secrets.token_hex(12)
        self.refresh_token = "1000.fake-refresh-" + secrets.token_hex(16)
        self.token_lifetime = token_lifetime
        self.now = now
        self.inventory = FakeInventory(lambda: dt.datetime.fromtimestamp(self.now(), dt.timezone.utc))
        self.requests: list[RecordedRequest] = []
        self.faults: list[Fault] = []
        self.issued_tokens: list[str] = []
        self.refresh_times: list[float] = []
        self.credentials_in_url = 0
        self._valid: dict[str, float] = {}  # access token -> expiry
        self._refresh_refused = False
        self._denied: list[str] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- life ------------------------------------------------------------------------

    def start(self) -> FakeZoho:
        server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        server.daemon_threads = True
        server.fake = self  # type: ignore[attr-defined]
        server.handle_error = lambda request, address: None  # type: ignore[method-assign]
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, name="fake-zoho", kwargs={"poll_interval": 0.05})
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> FakeZoho:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        assert self._server is not None, "start() the fake first"
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def settings(self, **overrides: Any) -> ZohoSettings:
        """[zoho] settings that point at this server."""
        values: dict[str, Any] = dict(organization_id=self.organization_id, client_id=self.client_id,
                                      api_url=self.url, accounts_url=self.url, requests_per_minute=1000.0,
                                      timeout_seconds=5.0)
        values.update(overrides)
        return ZohoSettings(**values)

    def secrets(self, **overrides: str) -> ZohoSecrets:
        values = {"client_secret": self.client_secret, "refresh_token": self.refresh_token, **overrides}
        return ZohoSecrets(**values)

    # -- knobs and observations ------------------------------------------------------------

    def inject(self, *faults: Fault) -> None:
        with self._lock:
            self.faults.extend(faults)

    def expire_tokens(self) -> None:
        with self._lock:
            self._valid.clear()

    def refuse_refresh_token(self) -> None:
        self._refresh_refused = True

    def deny_scope(self, path_prefix: str) -> None:
        self._denied.append(path_prefix)

    @property
    def refresh_count(self) -> int:
        return len(self.refresh_times)

    def count(self, method: str | None = None, path_prefix: str = "") -> int:
        return sum(1 for r in list(self.requests)
                   if method in (None, r.method) and r.path.startswith(path_prefix))

    # -- answering ----------------------------------------------------------------------------

    def answer(self, method: str, target: str, headers: dict[str, str], raw: bytes) -> tuple[Fault | None, int, dict[str, str], bytes]:
        """(fault, status, headers, body) for one request; the handler sends it."""
        parts = urlsplit(target)
        query = dict(parse_qsl(parts.query))
        with self._lock:
            self.requests.append(RecordedRequest(method, parts.path, target, query, headers, raw))
            if any(name in query for name in SECRET_NAMES):
                self.credentials_in_url += 1
            fault = next((f for f in self.faults if f.matches(method, parts.path)), None)
            if fault is not None:
                fault.times -= 1
        if fault is not None and fault.delay:
            self._stopping.wait(fault.delay)
        if fault is not None and not fault.apply_first and (fault.drop or fault.status is not None):
            return fault, fault.status or 0, dict(fault.headers), fault.body
        with self._lock:
            status, body = self._route(method, parts.path, query, headers, raw)
        if fault is not None and fault.status is not None:
            return fault, fault.status, dict(fault.headers), fault.body
        return fault, status, {}, json.dumps(body).encode()

    def _route(self, method: str, path: str, query: dict[str, str], headers: dict[str, str],
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


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as Zoho's servers
    disable_nagle_algorithm = True  # headers and body go out as two writes: no 40 ms stall

    def _handle(self) -> None:
        fake: FakeZoho = self.server.fake  # type: ignore[attr-defined]
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        headers = {k.lower(): v for k, v in self.headers.items()}
        fault, status, extra_headers, body = fake.answer(self.command, self.path, headers, raw)
        if fault is not None and fault.drop:
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        self.send_response(status)
        self.send_header("Content-Type", extra_headers.pop("Content-Type", "application/json;charset=UTF-8"))
        for name, value in extra_headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = do_DELETE = _handle

    def log_message(self, format: str, *args: Any) -> None:
        pass  # quiet: tests read ``FakeZoho.requests`` instead
