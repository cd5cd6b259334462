"""The plumbing every fake vendor shares: a real HTTP server on loopback that records what
it receives and misbehaves on request. :class:`tests.backends.fake_zoho.FakeZoho` and
:class:`tests.backends.fake_packcloud.FakePackcloud` are subclasses that answer like
their vendor (:meth:`LoopbackServer.route`).

Faults: ``inject(fault)`` makes the next matching call(s) misbehave; see :class:`Fault`
and the vendor-neutral helpers ``html_page``, ``slow``, ``dropped_connection`` (before or
after the call took effect). Each fake adds helpers with its vendor's error bodies.

What happened: ``requests`` (every call, as received), ``count(method, path_prefix)``,
``credentials_in_url`` (query parameters named in ``secret_names``; must stay 0).
"""

from __future__ import annotations

import json
import socket
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self
from urllib.parse import parse_qsl, urlsplit


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


class LoopbackServer:
    """A fake vendor on ``http://127.0.0.1:<free port>``; subclasses implement :meth:`route`."""

    thread_name = "fake-vendor"
    secret_names: tuple[str, ...] = ()  # query parameters that would be credentials in a URL

    def __init__(self) -> None:
        self.requests: list[RecordedRequest] = []
        self.faults: list[Fault] = []
        self.credentials_in_url = 0
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    def route(self, method: str, path: str, query: dict[str, str], headers: dict[str, str],
              raw: bytes) -> tuple[int, Any]:
        """``(HTTP status, JSON body)`` for a well-behaved call; runs under the server's lock."""
        raise NotImplementedError

    # -- life ------------------------------------------------------------------------

    def start(self) -> Self:
        server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        server.daemon_threads = True
        server.fake = self  # type: ignore[attr-defined]
        server.handle_error = lambda request, address: None  # type: ignore[method-assign, assignment]
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, name=self.thread_name,
                                        kwargs={"poll_interval": 0.05})
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        assert self._server is not None, "start() the fake first"
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    # -- knobs and observations ------------------------------------------------------------

    def inject(self, *faults: Fault) -> None:
        with self._lock:
            self.faults.extend(faults)

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
            if any(name in query for name in self.secret_names):
                self.credentials_in_url += 1
            fault = next((f for f in self.faults if f.matches(method, parts.path)), None)
            if fault is not None:
                fault.times -= 1
        if fault is not None and fault.delay:
            self._stopping.wait(fault.delay)
        if fault is not None and not fault.apply_first and (fault.drop or fault.status is not None):
            return fault, fault.status or 0, dict(fault.headers), fault.body
        with self._lock:
            status, body = self.route(method, parts.path, query, headers, raw)
        if fault is not None and fault.status is not None:
            return fault, fault.status, dict(fault.headers), fault.body
        return fault, status, {}, json.dumps(body).encode()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the vendors' servers
    disable_nagle_algorithm = True  # headers and body go out as two writes: no 40 ms stall

    def _handle(self) -> None:
        fake: LoopbackServer = self.server.fake  # type: ignore[attr-defined]
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

    do_GET = do_POST = do_PUT = do_DELETE = _handle  # noqa: N815 - http.server's handler names

    def log_message(self, format: str, *args: Any) -> None:
        pass  # quiet: tests read ``LoopbackServer.requests`` instead
