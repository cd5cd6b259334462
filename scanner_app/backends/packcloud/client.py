"""``PackcloudClient``: Pack.cloud's REST serial-number register, for one organisation.

One endpoint (vendor doc: shared/seeds/packcloud-serial-numbers.txt)::

    GET /v1/organizations/{organizationId}/serial-numbers
        ?filter[product_id]=&filter[stock_id]=&filter[code]=

Those three filters are the only query parameters the doc lists, so they are the only ones
sent: ``per_page`` is what the server answers with (its page size, e.g. 25), not something
asked for. Lists come a page at a time; each answer's ``next`` link is followed as the
server gives it (absolute, or relative to the page it came on) until it is null. A ``next`` link to
another server is refused (the token would go with it) and one that repeats a page already
read is :class:`~scanner_app.backends.errors.UnexpectedResponse`, not an endless loop.

Everything HTTP is shared with the Zoho client through
:class:`~scanner_app.backends.http.JsonHttpClient`: timeouts, the request budget, 429 and
``Retry-After``, retries (all calls here are reads, so all are safe to repeat), TLS, log
redaction and the exception tree. The REST API is deprecated upstream in favour of
GraphQL: this class is one implementation of
:class:`~scanner_app.inventory.serial_register.SerialRegister`, and the workflows only
know that protocol.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from urllib.parse import quote

import httpx

from scanner_app.backends.errors import UnexpectedResponse
from scanner_app.backends.http import HttpPolicy, JsonHttpClient
from scanner_app.backends.pacing import Clock
from scanner_app.backends.packcloud.auth import BearerToken
from scanner_app.backends.packcloud.dialect import PACKCLOUD, PackcloudDialect
from scanner_app.backends.packcloud.mapping import SerialPage, serial_page_from_packcloud
from scanner_app.config import PACKCLOUD_API_URL, PackcloudSettings
from scanner_app.inventory.serial_register import RegisteredSerial

LIST_OPERATION = "GET /v1/organizations/{organizationId}/serial-numbers"


class PackcloudClient:
    """Pack.cloud for one organisation. Thread-safe; ``close()`` (or ``with``) when done."""

    name = PACKCLOUD

    def __init__(
        self,
        settings: PackcloudSettings,
        token: str,
        *,
        transport: httpx.BaseTransport | None = None,
        clock: Clock | None = None,
        policy: HttpPolicy | None = None,
        rng: random.Random | None = None,
    ) -> None:
        if not settings.organization_id:
            raise ValueError("no Pack.cloud organization_id is set ([packcloud] organization_id in config.toml)")
        self.organization_id = settings.organization_id
        self.api_url = settings.api_url or PACKCLOUD_API_URL
        policy = policy or HttpPolicy(timeout_seconds=settings.timeout_seconds,
                                      requests_per_minute=settings.requests_per_minute)
        self.api = JsonHttpClient(self.api_url, dialect=PackcloudDialect(), policy=policy,
                                  auth=BearerToken(token), transport=transport, clock=clock, rng=rng)
        self._list_path = f"/v1/organizations/{quote(self.organization_id, safe='')}/serial-numbers"

    def close(self) -> None:
        self.api.close()

    def __enter__(self) -> PackcloudClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- the list and its pages -----------------------------------------------------------

    def serial_pages(self, *, product_id: str | None = None, stock_id: str | None = None,
                     code: str | None = None) -> Iterator[SerialPage]:
        """The pages of the serial-number list, filtered by any of product, stock and code,
        fetched one at a time as the caller iterates (the server's page size)."""
        query: dict[str, str] = {}
        for name, value in (("product_id", product_id), ("stock_id", stock_id), ("code", code)):
            if value is not None:
                query[f"filter[{name}]"] = value
        base = self.api.base_url
        url = base.join(base.path.rstrip("/") + self._list_path).copy_merge_params(query)
        seen = {str(url)}
        while True:
            body = self.api.request("GET", str(url), operation=LIST_OPERATION)
            page = serial_page_from_packcloud(body, LIST_OPERATION)
            yield page
            if page.next_url is None:
                return
            url = self._next(url, page.next_url, seen)

    def serial_numbers(self, *, product_id: str | None = None, stock_id: str | None = None,
                       code: str | None = None) -> list[RegisteredSerial]:
        """Every serial matching the filters (all pages)."""
        pages = self.serial_pages(product_id=product_id, stock_id=stock_id, code=code)
        return [serial for page in pages for serial in page.serials]

    # -- SerialRegister -------------------------------------------------------------------

    def find_serial(self, code: str) -> list[RegisteredSerial]:
        """The serials whose code is ``code``: Pack.cloud's ``filter[code]`` match, kept
        only where the code is the same (spaces around and case aside), so a server that
        matched prefixes or substrings could not hand back another unit."""
        wanted = code.strip()
        if not wanted:
            return []
        key = wanted.casefold()
        return [s for s in self.serial_numbers(code=wanted) if s.code.strip().casefold() == key]

    def serials_for_product(self, product_id: str, *, stock_id: str | None = None) -> list[RegisteredSerial]:
        return self.serial_numbers(product_id=product_id, stock_id=stock_id)

    def serials_in_stock(self, stock_id: str) -> list[RegisteredSerial]:
        return self.serial_numbers(stock_id=stock_id)

    # -- following next --------------------------------------------------------------------

    def _next(self, current: httpx.URL, link: str, seen: set[str]) -> httpx.URL:
        target = current.join(link)
        base = self.api.base_url
        if (target.scheme, target.host, target.port) != (base.scheme, base.host, base.port):
            raise UnexpectedResponse(f"the next-page link points to another server ({target.host or link}); "
                                     "not following it with the token", backend=PACKCLOUD, operation=LIST_OPERATION)
        if str(target) in seen:
            raise UnexpectedResponse("the next-page link repeats a page already read",
                                     backend=PACKCLOUD, operation=LIST_OPERATION)
        seen.add(str(target))
        return target
