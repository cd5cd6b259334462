"""A fake Pack.cloud on a real HTTP server on loopback (the plumbing is
:mod:`tests.backends.loopback_server`, shared with the fake Zoho), answering the serial-number
list the way the vendor doc (shared/seeds/packcloud-serial-numbers.txt) shows it.

Start it::

    with FakePackcloud() as packcloud:                  # http://127.0.0.1:<free port>
        packcloud.add_serial("SN-1", "prod-cam", stock_id="stock-main")
        client = PackcloudClient(packcloud.settings(), packcloud.token)

``GET /v1/organizations/{organizationId}/serial-numbers`` wants ``Authorization: Bearer
<token>`` (else 401 ``{"message": "Unauthenticated."}``) and this organisation (another:
403). Filters ``filter[product_id]``, ``filter[stock_id]``, ``filter[code]`` match exactly;
they are the only query parameters the doc lists, and any other (but the ``page`` cursor
this server writes into its own ``next`` links) is answered 400, so a client that sends
more than the doc offers is caught. Pages hold ``per_page`` records (25, the doc's
example). An answer is the records under ``records_key`` plus ``prev``, ``next`` and
``per_page``: the doc lists those fields but never names the records' key, so it is a knob
("data" by default) and the client must not depend on it.

Knobs: ``link_style`` = "absolute" (default), "relative", "foreign" (``next`` names another
server) or "loop" (``next`` names the same page again); ``inject(fault)`` with
``rate_limited``, ``server_error``, ``malformed_json``, ``html_page``, ``slow``,
``dropped_connection``.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any
from urllib.parse import urlencode

from scanner_app.config import PackcloudSettings
from tests.backends.loopback_server import Fault, LoopbackServer

API_PREFIX = "/v1/organizations/"
LIST_SUFFIX = "/serial-numbers"
QUERY_PARAMETERS = ("filter[product_id]", "filter[stock_id]", "filter[code]")  # the doc's, and no others


def rate_limited(retry_after: float | str | None = 2, **match: Any) -> Fault:
    headers = {} if retry_after is None else {"Retry-After": str(retry_after)}
    return Fault(status=429, body=b'{"message": "Too Many Attempts."}', headers=headers, **match)


def server_error(status: int = 500, **match: Any) -> Fault:
    return Fault(status=status, body=b'{"message": "Server Error"}', **match)


def malformed_json(**match: Any) -> Fault:
    return Fault(status=200, body=b'{"data": [{"id": "sn_1", "code": ', **match)


class FakePackcloud(LoopbackServer):
    thread_name = "fake-packcloud"
    secret_names = ("token", "api_token", "access_token")

    def __init__(self, *, organization_id: str = "org_7f3a9c", per_page: int = 25, records_key: str = "data") -> None:
        super().__init__()
        self.organization_id = organization_id
        self.token = "pc_live_" + secrets.token_hex(20)
        self.per_page = per_page
        self.records_key = records_key
        self.serials: list[dict[str, Any]] = []
        self.link_style = "absolute"

    def settings(self, **overrides: Any) -> PackcloudSettings:
        """[packcloud] settings that point at this server."""
        values: dict[str, Any] = {"organization_id": self.organization_id, "api_url": self.url,
                                      "requests_per_minute": 1000.0, "timeout_seconds": 5.0}
        values.update(overrides)
        return PackcloudSettings(**values)

    # -- seeding ------------------------------------------------------------------------

    def add_serial(self, code: str, product_id: str, *, stock_id: str | None = "stock-main",
                   fulfillment_line_id: str | None = None) -> dict[str, Any]:
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        record = {"id": f"sn_{len(self.serials) + 1:06d}", "product_id": product_id, "stock_id": stock_id,
                  "fulfillment_line_id": fulfillment_line_id, "code": code, "created_at": now, "updated_at": now}
        with self._lock:
            self.serials.append(record)
        return record

    def add_serials(self, count: int, product_id: str, *, prefix: str = "SN", stock_id: str | None = "stock-main") -> None:
        for n in range(count):
            self.add_serial(f"{prefix}-{n:05d}", product_id, stock_id=stock_id)

    def list_calls(self) -> list[dict[str, str]]:
        """The query of every serial-number list call, in order."""
        return [r.query for r in list(self.requests) if r.path.endswith(LIST_SUFFIX)]

    # -- answering ----------------------------------------------------------------------------

    def route(self, method: str, path: str, query: dict[str, str], headers: dict[str, str],
              raw: bytes) -> tuple[int, Any]:
        if method != "GET" or not path.startswith(API_PREFIX) or not path.endswith(LIST_SUFFIX):
            return 404, {"message": "Not Found"}
        if headers.get("authorization") != f"Bearer {self.token}":
            return 401, {"message": "Unauthenticated."}
        if path[len(API_PREFIX):-len(LIST_SUFFIX)] != self.organization_id:
            return 403, {"message": "This action is unauthorized."}
        unknown = sorted(set(query) - set(QUERY_PARAMETERS) - {"page"})
        if unknown:
            return 400, {"message": f"Unknown query parameter(s): {', '.join(unknown)}."}
        try:
            page = int(query.get("page", 1))
        except ValueError:
            return 400, {"message": "The page cursor is not valid."}
        matching = [s for s in self.serials if all(
            query.get(f"filter[{name}]") in (None, s[name]) for name in ("product_id", "stock_id", "code"))]
        per_page = self.per_page
        start = (page - 1) * per_page
        more = start + per_page < len(matching)
        return 200, {self.records_key: matching[start:start + per_page],
                     "prev": self._link(path, query, page - 1) if page > 1 else None,
                     "next": self._link(path, query, page + 1) if more else None,
                     "per_page": per_page}

    def _link(self, path: str, query: dict[str, str], page: int) -> str:
        if self.link_style == "loop":
            page -= 1
        target = f"{path}?{urlencode({**query, 'page': page})}"
        if self.link_style == "relative":
            return target
        if self.link_style == "foreign":
            return f"https://collector.example.net{target}"
        return f"{self.url}{target}"
