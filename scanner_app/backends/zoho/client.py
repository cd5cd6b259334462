"""``ZohoClient``: the Zoho Inventory calls the station makes, for one organisation.

Every call carries ``organization_id``; every answer is Zoho's ``{code, message, ...}``
envelope, and a ``code`` other than 0 is raised as one of the backends' exceptions
(see :mod:`~scanner_app.backends.zoho.dialects`) carrying Zoho's message. Lists come
``page``/``per_page`` (at most 200) at a time until ``page_context.has_more_page`` is
false; :meth:`ZohoClient.pages` yields them one by one so catalogue sync can show
progress and stop between pages (close the generator, or just stop iterating).

The endpoints (paths under ``/inventory/v1``, from the vendor docs in shared/seeds):

=======================  =================================================================
items                    ``GET /items`` (search_text, last_modified_time), ``GET /items/{id}``,
                         ``GET /itemdetails?item_ids=``
serial numbers           ``GET /items/serialnumbers?item_id=``, ``GET /items/serialnumbers/{id}``,
                         ``POST /items/{id}/serialnumber/validate``, ``.../validateandmap``
batches                  ``GET|POST /items/batches``, ``GET|PUT /items/batches/{id}``,
                         ``POST /items/batches/{id}/active|inactive``
places                   ``GET /locations``, ``GET /settings/warehouses`` (older), ``GET /storagelocations``
composite items (kits)   ``GET /compositeitems``, ``GET /compositeitems/{id}`` (mapped_items)
assemblies (bundles)     ``GET|POST /bundles``, ``GET /bundles/{id}``,
                         ``POST /bundles/{id}/confirmed|bundled``
=======================  =================================================================

Reads are retried when safe; writes are sent once (a timeout after sending raises
:class:`~scanner_app.backends.errors.Offline` with ``maybe_applied=True`` for the outbox).
Setting the same values again (batch update, active/inactive) and validating serials
change nothing when repeated, so those are retried like reads.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import httpx

from scanner_app.backends.errors import Conflict, UnexpectedResponse, ValidationError
from scanner_app.backends.http import HttpPolicy, JsonHttpClient
from scanner_app.backends.pacing import Budget, Clock, SystemClock
from scanner_app.backends.zoho.auth import TokenCache, ZohoOAuth, ZohoSecrets, ZohoTokenSource
from scanner_app.backends.zoho.datacenters import endpoints_for
from scanner_app.backends.zoho.dialects import ZohoAccountsDialect, ZohoInventoryDialect
from scanner_app.backends.zoho.mapping import batch_from_zoho, bundle_from_zoho, item_from_zoho, serial_from_zoho
from scanner_app.backends.zoho.payloads import BatchChanges, Bundle, NewBatch, NewBundle
from scanner_app.config import ZohoSettings
from scanner_app.inventory.models import Batch, Item, SerialNumber

MAX_PER_PAGE = 200
ITEM_DETAILS_CHUNK = 100  # ids per itemdetails call, keeping the URL short

Params = Mapping[str, str | int]


@dataclass(frozen=True)
class Page:
    """One page of a Zoho list: its records as Zoho sent them (for the importer, or
    the ``*_from_zoho`` mappers) and whether more follow."""

    number: int
    records: list[dict[str, Any]]
    has_more: bool


def zoho_time(moment: dt.datetime | str) -> str:
    """``last_modified_time`` as Zoho takes it: ``yyyy-MM-ddTHH:mm:ssZ`` (+0000 form)."""
    if isinstance(moment, str):
        return moment
    if moment.tzinfo is None:
        raise ValueError("last_modified_time needs a timezone-aware datetime")
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S%z")


def _segment(value: str) -> str:
    """An id as one path segment (a scanned code can never reach another path)."""
    if not value:
        raise ValueError("an empty id")
    return quote(value, safe="")


class ZohoClient:
    """Zoho Inventory for one organisation. Thread-safe; ``close()`` (or ``with``) when done."""

    def __init__(
        self,
        settings: ZohoSettings,
        secrets: ZohoSecrets,
        *,
        transport: httpx.BaseTransport | None = None,
        clock: Clock | None = None,
        token_cache: TokenCache | None = None,
        policy: HttpPolicy | None = None,
        rng: random.Random | None = None,
        budget: Budget | None = None,
    ) -> None:
        """``token_cache`` and ``budget`` default to this client's own (in memory, per
        process); the station passes the ones its processes share
        (:func:`~scanner_app.backends.connect.zoho_client_from` with ``home``)."""
        if not settings.organization_id:
            raise ValueError("no Zoho organization_id is set ([zoho] organization_id in config.toml)")
        if not settings.client_id:
            raise ValueError("no Zoho client_id is set ([zoho] client_id in config.toml)")
        self.organization_id = settings.organization_id
        self.endpoints = endpoints_for(settings.data_center, settings.api_url, settings.accounts_url)
        self.clock: Clock = clock or SystemClock()
        policy = policy or HttpPolicy(timeout_seconds=settings.timeout_seconds,
                                      requests_per_minute=settings.requests_per_minute)
        # a token request is sent once: see ZohoTokenSource
        self.accounts = JsonHttpClient(self.endpoints.accounts_url, dialect=ZohoAccountsDialect(),
                                       policy=dataclasses.replace(policy, max_attempts=1),
                                       transport=transport, clock=self.clock, rng=rng)
        self.tokens = ZohoTokenSource(self.accounts, settings.client_id, secrets, clock=self.clock, cache=token_cache)
        self.api = JsonHttpClient(self.endpoints.inventory_url, dialect=ZohoInventoryDialect(), policy=policy,
                                  auth=ZohoOAuth(self.tokens, httpx.URL(self.endpoints.inventory_url).path),
                                  transport=transport, clock=self.clock, rng=rng, budget=budget)

    def close(self) -> None:
        self.api.close()
        self.accounts.close()

    def __enter__(self) -> ZohoClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- the envelope and paging --------------------------------------------------------

    def call(self, method: str, path: str, *, params: Params | None = None, json: Any = None,
             safe_to_repeat: bool | None = None) -> dict[str, Any]:
        """One call with ``organization_id``; Zoho's whole answer (code was 0)."""
        query: dict[str, str | int] = {"organization_id": self.organization_id}
        query.update(params or {})
        body = self.api.request(method, path, params=query, json=json, safe_to_repeat=safe_to_repeat)
        if not isinstance(body, dict):
            raise UnexpectedResponse(f"expected a JSON object, got {type(body).__name__}",
                                     backend="Zoho Inventory", operation=f"{method} {path}")
        return body

    def pages(self, path: str, records_key: str, params: Params | None = None, *,
              per_page: int = MAX_PER_PAGE) -> Iterator[Page]:
        """The pages of a list, fetched one at a time as the caller iterates."""
        if not 1 <= per_page <= MAX_PER_PAGE:
            raise ValueError(f"per_page must be 1 to {MAX_PER_PAGE}")
        number = 1
        while True:
            body = self.call("GET", path, params={**(params or {}), "page": number, "per_page": per_page})
            records = _record_list(body, records_key, path)
            context = body.get("page_context")
            has_more = bool(context.get("has_more_page")) if isinstance(context, dict) else False
            if has_more and not records:
                raise UnexpectedResponse(f"page {number} is empty but has_more_page is true",
                                         backend="Zoho Inventory", operation=f"GET {path}")
            yield Page(number, records, has_more)
            if not has_more:
                return
            number += 1

    def _all(self, path: str, records_key: str, params: Params) -> list[dict[str, Any]]:
        return [record for page in self.pages(path, records_key, params) for record in page.records]

    # -- items ----------------------------------------------------------------------------

    def item_pages(self, *, search_text: str | None = None, modified_since: dt.datetime | str | None = None,
                   per_page: int = MAX_PER_PAGE) -> Iterator[Page]:
        """All items (``GET /items``), or those matching ``search_text`` or modified since."""
        return self.pages("/items", "items", _list_filters(search_text, modified_since), per_page=per_page)

    def get_item(self, item_id: str) -> Item:
        return item_from_zoho(self.call("GET", f"/items/{_segment(item_id)}").get("item"))

    def item_details(self, item_ids: Sequence[str]) -> list[Item]:
        """Several items in one call per 100 ids (``GET /itemdetails``)."""
        items: list[Item] = []
        for start in range(0, len(item_ids), ITEM_DETAILS_CHUNK):
            ids = ",".join(item_ids[start:start + ITEM_DETAILS_CHUNK])
            body = self.call("GET", "/itemdetails", params={"item_ids": ids})
            items.extend(item_from_zoho(record) for record in _record_list(body, "items", "/itemdetails"))
        return items

    # -- serial numbers ---------------------------------------------------------------------

    def serial_numbers(self, item_id: str, *, show_transacted_out: bool = True) -> list[SerialNumber]:
        """Every serial number of the item; without ``show_transacted_out`` Zoho leaves
        out those already transacted out (serialnumbers.yml)."""
        records = self.serial_number_records(item_id, show_transacted_out=show_transacted_out)
        return [serial_from_zoho(record, item_id) for record in records]

    def serial_number_records(self, item_id: str, *, show_transacted_out: bool = True) -> list[dict[str, Any]]:
        """The item's serial numbers as Zoho sent them (every field, for readers that look
        for more than :class:`SerialNumber` keeps)."""
        params: dict[str, str | int] = {"item_id": item_id}
        if show_transacted_out:
            params["show_transacted_out"] = "true"
        return self._all("/items/serialnumbers", "serial_numbers", params)

    def check_serial_numbers(
        self, item_id: str, serial_numbers: Sequence[str], *, entity_type: str, entity_id: str | None = None,
        warehouse_id: str | None = None, bin_id: str | None = None,
    ) -> str | None:
        """``POST /items/{id}/serialnumber/validate`` with every documented parameter
        (items.yml: entity_type, entity_id, warehouse_id, location_id = the bin, as in
        validateandmap): None when Zoho accepts the serials, Zoho's words when it refuses
        them (ValidationError or Conflict). Changes nothing, so it is retried like a read."""
        params: dict[str, str | int] = {"entity_type": entity_type, "serial_numbers": ",".join(serial_numbers)}
        params.update({k: v for k, v in (("entity_id", entity_id), ("warehouse_id", warehouse_id),
                                         ("location_id", bin_id)) if v})
        try:
            self.call("POST", f"/items/{_segment(item_id)}/serialnumber/validate", params=params,
                      safe_to_repeat=True)
        except (ValidationError, Conflict) as refused:
            return refused.vendor_message or refused.message
        return None

    def get_serial_number(self, serialnumber_id: str) -> SerialNumber:
        body = self.call("GET", f"/items/serialnumbers/{_segment(serialnumber_id)}")
        return serial_from_zoho(body.get("serial_number"))

    def validate_serial_numbers(self, item_id: str, serial_numbers: Sequence[str], *, entity_type: str) -> None:
        """Zoho checks the serials are available for an outgoing ``entity_type``
        transaction; an unavailable one raises ValidationError with Zoho's message."""
        self.call("POST", f"/items/{_segment(item_id)}/serialnumber/validate", safe_to_repeat=True,
                  params={"entity_type": entity_type, "serial_numbers": ",".join(serial_numbers)})

    def validate_and_map_serial_numbers(
        self, item_id: str, serial_numbers: Sequence[str], *, entity_type: str,
        entity_id: str | None = None, warehouse_id: str | None = None, bin_id: str | None = None,
    ) -> None:
        """Validate the serials and map them to the bin they are picked from (Zoho calls
        the bin ``location_id`` here). A write: sent once."""
        body: dict[str, Any] = {"entity_type": entity_type, "serial_numbers": list(serial_numbers)}
        body.update({k: v for k, v in (("entity_id", entity_id), ("warehouse_id", warehouse_id),
                                       ("location_id", bin_id)) if v is not None})
        self.call("POST", f"/items/{_segment(item_id)}/serialnumber/validateandmap", json=body)

    # -- batches ------------------------------------------------------------------------------

    def batches(self, item_id: str, *, search_text: str | None = None,
                include_empty_batches: bool = True) -> list[Batch]:
        """The item's batches, every page; with ``include_empty_batches`` (batches.yml:
        "Include batches that have zero quantity") also the empty ones, such as a batch
        just created, which has no stock until a receive brings some."""
        params: dict[str, str | int] = {"item_id": item_id}
        if search_text:
            params["search_text"] = search_text
        if include_empty_batches:
            params["include_empty_batches"] = "true"
        return [batch_from_zoho(record, item_id) for record in self._all("/items/batches", "batches", params)]

    def get_batch(self, batch_id: str) -> Batch:
        return batch_from_zoho(self.call("GET", f"/items/batches/{_segment(batch_id)}").get("batch"))

    def create_batch(self, batch: NewBatch) -> Batch:
        """A duplicate batch number raises Conflict."""
        body = self.call("POST", "/items/batches", json=batch.to_json())
        return batch_from_zoho(body.get("batch"), batch.item_id)

    def update_batch(self, batch_id: str, changes: BatchChanges) -> Batch:
        body = self.call("PUT", f"/items/batches/{_segment(batch_id)}", json=changes.to_json(), safe_to_repeat=True)
        return batch_from_zoho(body.get("batch"))

    def set_batch_active(self, batch_id: str, active: bool) -> None:
        state = "active" if active else "inactive"
        self.call("POST", f"/items/batches/{_segment(batch_id)}/{state}", safe_to_repeat=True)

    # -- composite items and assemblies --------------------------------------------------------

    def composite_item_pages(self, *, search_text: str | None = None,
                             modified_since: dt.datetime | str | None = None,
                             per_page: int = MAX_PER_PAGE) -> Iterator[Page]:
        filters = _list_filters(search_text, modified_since)
        return self.pages("/compositeitems", "composite_items", filters, per_page=per_page)

    def get_composite_item(self, composite_item_id: str) -> Item:
        """A kit with its components (``mapped_items``)."""
        body = self.call("GET", f"/compositeitems/{_segment(composite_item_id)}")
        return item_from_zoho(body.get("composite_item"))

    def create_bundle(self, bundle: NewBundle) -> Bundle:
        """Zoho keeps the ``reference_number`` given (``ignore_auto_number_generation``)
        instead of numbering the assembly itself: the outbox finds it again by it."""
        body = self.call("POST", "/bundles", json=bundle.to_json(),
                         params={"ignore_auto_number_generation": "true"})
        # the docs show the new assembly's fields at the top level of the answer
        return bundle_from_zoho(body.get("bundle", body))

    def get_bundle(self, bundle_id: str) -> Bundle:
        return bundle_from_zoho(self.call("GET", f"/bundles/{_segment(bundle_id)}").get("bundle"))

    def bundles(self, composite_item_id: str) -> list[Bundle]:
        records = self._all("/bundles", "bundles", {"composite_item_id": composite_item_id})
        return [bundle_from_zoho(record) for record in records]

    def mark_bundle_confirmed(self, bundle_id: str) -> Bundle:
        return bundle_from_zoho(self.call("POST", f"/bundles/{_segment(bundle_id)}/confirmed").get("bundle"))

    def mark_bundle_bundled(self, bundle_id: str) -> Bundle:
        """Mark the assembly as built (Zoho: "bundled")."""
        return bundle_from_zoho(self.call("POST", f"/bundles/{_segment(bundle_id)}/bundled").get("bundle"))

    # -- places: warehouses (locations) and bins (storage locations) ----------------------

    def location_pages(self) -> Iterator[Page]:
        """The organisation's locations, flat (``GET /locations``, locations.yml): branches
        and warehouses of Zoho's Locations feature (``location_id``, ``location_name``,
        ``type``, ``parent_location_id``, ``status``)."""
        return self.pages("/locations", "locations")

    def warehouse_pages(self) -> Iterator[Page]:
        """The older warehouses settings (``GET /settings/warehouses``: ``warehouse_id``,
        ``warehouse_name``, ``status``, ``is_primary``), for organisations without Locations."""
        return self.pages("/settings/warehouses", "warehouses")

    def storage_location_pages(self, **filters: str) -> Iterator[Page]:
        """Bins (``GET /storagelocations``, storagelocations.yml: ``storage_id``, ``name``,
        ``location_id``, ``status``), empty ones included; ``filters`` such as
        ``location_id=`` or ``warehouse_id=`` narrow the list."""
        return self.pages("/storagelocations", "storage_locations", filters)


def _list_filters(search_text: str | None, modified_since: dt.datetime | str | None) -> dict[str, str | int]:
    filters: dict[str, str | int] = {}
    if search_text:
        filters["search_text"] = search_text
    if modified_since is not None:
        filters["last_modified_time"] = zoho_time(modified_since)
    return filters


def _record_list(body: Mapping[str, Any], key: str, path: str) -> list[dict[str, Any]]:
    records = body.get(key, [])
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise UnexpectedResponse(f'"{key}" is not a list of objects', backend="Zoho Inventory",
                                 operation=f"GET {path}")
    return records
