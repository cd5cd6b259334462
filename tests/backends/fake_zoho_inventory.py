"""The Zoho Inventory half of the fake Zoho: items, serial numbers, batches, composite items
and assemblies, kept in memory and answered the way the vendor docs (shared/seeds) show.

Paths are those under ``/inventory/v1``. Answers are ``(HTTP status, JSON body)`` with
Zoho's ``{code, message, ...}`` envelope; lists are paged with ``page``/``per_page`` (at
most 200) and ``page_context.has_more_page``. Where the docs give no error code, the
fake uses Zoho's general ones: 1002 "does not exist" (HTTP 404), 1001 "already exists"
and 2 "invalid value" (HTTP 400).

Seed it with the ``add_*`` helpers (``add_items(10_000)`` is quick); what writes did is
in ``batches``, ``bundles`` and ``serial_mappings``. What a validateandmap leaves behind
(the docs do not say) is set by ``serial_modes`` (:class:`SerialModes`): by default, as the
independent emulator does, the serials are associated with the document and stay
``is_transacted_out: false``; ``SerialModes(transacts_out=True)`` is the variant that marks
them transacted out.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from tests.backends.fake_zoho_places import FakePlaces

Answer = tuple[int, dict[str, Any]]
ZOHO_TIME = "%Y-%m-%dT%H:%M:%S%z"


class ZohoFailure(Exception):
    """An error answer: HTTP ``status`` with ``{"code": code, "message": message}``."""

    def __init__(self, status: int, code: int, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def ok(message: str = "success", **fields: Any) -> Answer:
    return 200, {"code": 0, "message": message, **fields}


def _missing(what: str) -> ZohoFailure:
    return ZohoFailure(404, 1002, f"{what} does not exist.")


@dataclass
class SerialModes:
    """How the fake answers about serials mapped by validateandmap (the docs are silent):

    - ``transacts_out``: the mapping also marks them ``is_transacted_out`` (default: not);
    - ``remap_same_document``: validateandmap again to the document they are mapped to is
      ``"refuse"``d as unavailable (default) or ``"accept"``ed, changing nothing;
    - ``validate_exempts_own_document``: ``validate`` with the ``entity_id`` they are
      mapped to accepts them (default), while without it (or for another) they are
      unavailable;
    - ``association_fields``: serial records show ``entity_type``/``entity_id`` of their
      mapping (default: not; the docs list no such field);
    - ``documents_list_serials``: ``GET /salesorders/{id}`` (and packages, invoices,
      transfer orders) answers with line items carrying the mapped ``serial_numbers``
      (default: those paths are unknown, as before).
    """

    transacts_out: bool = False
    remap_same_document: str = "refuse"
    validate_exempts_own_document: bool = True
    association_fields: bool = False
    documents_list_serials: bool = False


class FakeInventory:
    def __init__(self, now: Callable[[], dt.datetime]) -> None:
        self.now = now
        self.items: dict[str, dict[str, Any]] = {}
        self.serials: dict[str, dict[str, Any]] = {}
        self.batches: dict[str, dict[str, Any]] = {}
        self.composites: dict[str, dict[str, Any]] = {}
        self.bundles: dict[str, dict[str, Any]] = {}
        self.serial_mappings: list[dict[str, Any]] = []
        self.serial_modes = SerialModes()
        self.serial_links: dict[str, tuple[str, str]] = {}  # serialnumber_id -> (entity_type, entity_id)
        self._ids = itertools.count(6780203000000100001)
        self._routes: list[tuple[str, re.Pattern[str], Callable[..., Answer]]] = [
            (method, re.compile(f"^{pattern}$"), handler)
            for method, pattern, handler in (
                ("GET", "/items", self._list_items),
                ("GET", "/itemdetails", self._item_details),
                ("GET", "/items/serialnumbers", self._list_serials),
                ("GET", "/items/serialnumbers/(?P<id>[^/]+)", self._get_serial),
                ("GET", "/items/batches", self._list_batches),
                ("POST", "/items/batches", self._create_batch),
                ("GET", "/items/batches/(?P<id>[^/]+)", self._get_batch),
                ("PUT", "/items/batches/(?P<id>[^/]+)", self._update_batch),
                ("POST", "/items/batches/(?P<id>[^/]+)/(?P<state>active|inactive)", self._batch_state),
                ("GET", "/items/(?P<id>[^/]+)", self._get_item),
                ("POST", "/items/(?P<id>[^/]+)/serialnumber/validate", self._validate),
                ("POST", "/items/(?P<id>[^/]+)/serialnumber/validateandmap", self._validate_and_map),
                ("GET", "/(?P<collection>salesorders|packages|invoices|transferorders)/(?P<id>[^/]+)",
                 self._get_document),
                ("GET", "/compositeitems", self._list_composites),
                ("GET", "/compositeitems/(?P<id>[^/]+)", self._get_composite),
                ("GET", "/bundles", self._list_bundles),
                ("POST", "/bundles", self._create_bundle),
                ("GET", "/bundles/(?P<id>[^/]+)", self._get_bundle),
                ("POST", "/bundles/(?P<id>[^/]+)/(?P<state>confirmed|bundled)", self._bundle_state),
            )
        ]
        self.places = FakePlaces(self.new_id, self._page)
        self._routes += [(method, re.compile(f"^{pattern}$"), handler)
                         for method, pattern, handler in self.places.routes()]

    # -- seeding ------------------------------------------------------------------------

    def new_id(self) -> str:
        return str(next(self._ids))

    def stamp(self) -> str:
        return self.now().strftime(ZOHO_TIME)

    def add_item(self, name: str, **fields: Any) -> dict[str, Any]:
        """An item (Zoho's field names in ``fields``: sku, upc, track_serial_number, locations ...)."""
        record = {"item_id": self.new_id(), "name": name, "status": "active", "unit": "pcs",
                  "item_type": "inventory", "last_modified_time": self.stamp(), **fields}
        self.items[record["item_id"]] = record
        return record

    def add_items(self, count: int, *, prefix: str = "ITEM") -> list[dict[str, Any]]:
        return [self.add_item(f"{prefix} {n:05d}", sku=f"{prefix}-{n:05d}") for n in range(count)]

    def touch(self, item_id: str, when: dt.datetime | None = None) -> None:
        self.items[item_id]["last_modified_time"] = (when or self.now()).strftime(ZOHO_TIME)

    def add_serial(self, item_id: str, serialnumber: str, **fields: Any) -> dict[str, Any]:
        record = {"serialnumber_id": self.new_id(), "serialnumber": serialnumber, "code": serialnumber,
                  "item_id": item_id, "status": "active", "is_transacted_out": False, **fields}
        self.serials[record["serialnumber_id"]] = record
        return record

    def add_batch(self, item_id: str, batch_number: str, **fields: Any) -> dict[str, Any]:
        record = {"batch_id": self.new_id(), "item_id": item_id, "batch_number": batch_number,
                  "balance_quantity": 0, "status": "active", **fields}
        self.batches[record["batch_id"]] = record
        return record

    def add_composite(self, name: str, components: Sequence[tuple[str, float]], **fields: Any) -> dict[str, Any]:
        mapped = [{"item_id": item_id, "name": self.items[item_id]["name"], "sku": self.items[item_id].get("sku"),
                   "quantity": quantity, "item_order": order} for order, (item_id, quantity) in enumerate(components)]
        record = {"composite_item_id": self.new_id(), "name": name, "status": "active", "is_combo_product": True,
                  "combo_type": "kit", "last_modified_time": self.stamp(), "mapped_items": mapped, **fields}
        self.composites[record["composite_item_id"]] = record
        return record

    # -- dispatch -------------------------------------------------------------------------

    def handle(self, method: str, path: str, query: dict[str, str], body: Any) -> Answer:
        for route_method, pattern, handler in self._routes:
            match = pattern.match(path)
            if match and route_method == method:
                try:
                    return handler(query=query, body=body, **match.groupdict())
                except ZohoFailure as failure:
                    return failure.status, {"code": failure.code, "message": failure.message}
        return 404, {"code": 5, "message": "Invalid URL Passed"}

    # -- paging and filters ---------------------------------------------------------------

    def _page(self, records: list[dict[str, Any]], query: dict[str, str], key: str) -> Answer:
        page, per_page = _int(query, "page", 1), _int(query, "per_page", 200)
        if not 1 <= per_page <= 200 or page < 1:
            raise ZohoFailure(400, 2, "Invalid value passed for per_page")
        start = (page - 1) * per_page
        context = {"page": page, "per_page": per_page, "has_more_page": start + per_page < len(records),
                   "report_name": key, "applied_filter": "Status.All", "sort_column": "created_time",
                   "sort_order": "A"}
        return ok(**{key: records[start:start + per_page], "page_context": context})

    def _filtered(self, records: list[dict[str, Any]], query: dict[str, str]) -> list[dict[str, Any]]:
        text = query.get("search_text", "").casefold()
        if text:
            records = [r for r in records if text in f"{r.get('name', '')} {r.get('sku', '')}".casefold()]
        if "last_modified_time" in query:
            try:
                since = dt.datetime.strptime(query["last_modified_time"], ZOHO_TIME)
            except ValueError:
                raise ZohoFailure(400, 2, "Invalid value passed for last_modified_time") from None
            records = [r for r in records if dt.datetime.strptime(r["last_modified_time"], ZOHO_TIME) >= since]
        return records

    # -- items ------------------------------------------------------------------------------

    def _list_items(self, query: dict[str, str], body: Any) -> Answer:
        return self._page(self._filtered(list(self.items.values()), query), query, "items")

    def _get_item(self, query: dict[str, str], body: Any, id: str) -> Answer:
        if id not in self.items:
            raise _missing("Item")
        return ok(item=self.items[id])

    def _item_details(self, query: dict[str, str], body: Any) -> Answer:
        ids = [i for i in query.get("item_ids", "").split(",") if i]
        return ok(items=[self.items[i] for i in ids if i in self.items])

    # -- serial numbers -------------------------------------------------------------------------

    def _shown(self, serial: dict[str, Any]) -> dict[str, Any]:
        link = self.serial_links.get(serial["serialnumber_id"])
        if link is None or not self.serial_modes.association_fields:
            return serial
        return {**serial, "entity_type": link[0], "entity_id": link[1]}

    def _list_serials(self, query: dict[str, str], body: Any) -> Answer:
        item_id = _required(query, "item_id")
        every = query.get("show_transacted_out", "false").lower() == "true"
        listed = [{k: v for k, v in self._shown(s).items() if k != "item_id"} for s in self.serials.values()
                  if s["item_id"] == item_id and (every or not s["is_transacted_out"])]
        return self._page(listed, query, "serial_numbers")

    def _get_serial(self, query: dict[str, str], body: Any, id: str) -> Answer:
        if id not in self.serials:
            raise _missing("Serial number")
        return ok(serial_number=self._shown(self.serials[id]))

    def _unavailable(self, item_id: str, numbers: list[str], entity_id: str | None = None, *,
                     mapping: bool = False) -> list[str]:
        """The numbers that cannot go out with the document ``entity_id``."""
        if item_id not in self.items:
            raise _missing("Item")
        modes = self.serial_modes
        usable = set()
        for s in self.serials.values():
            if s["item_id"] != item_id:
                continue
            link = self.serial_links.get(s["serialnumber_id"])
            own = link is not None and entity_id is not None and link[1] == entity_id
            if (own and (modes.remap_same_document == "accept" if mapping else modes.validate_exempts_own_document)) or (link is None and s["status"] == "active" and not s["is_transacted_out"]):
                usable.add(s["serialnumber"])
        return [n for n in numbers if n not in usable]

    def _check_serials(self, item_id: str, numbers: list[str], entity_id: str | None = None, *,
                       mapping: bool = False) -> None:
        if not numbers:
            raise ZohoFailure(400, 2, "Invalid value passed for serial_numbers")
        bad = self._unavailable(item_id, numbers, entity_id, mapping=mapping)
        if bad:
            raise ZohoFailure(400, 2, f"Serial number(s) {', '.join(bad)} are not available for this item.")

    def _validate(self, query: dict[str, str], body: Any, id: str) -> Answer:
        _required(query, "entity_type")
        self._check_serials(id, [n for n in _required(query, "serial_numbers").split(",") if n],
                            query.get("entity_id") or None)
        return ok()

    def _validate_and_map(self, query: dict[str, str], body: Any, id: str) -> Answer:
        if not isinstance(body, dict) or not body.get("entity_type"):
            raise ZohoFailure(400, 2, "Invalid value passed for entity_type")
        given = body.get("serial_numbers")
        numbers = list(given) if isinstance(given, list) else []
        entity_id = str(body["entity_id"]) if body.get("entity_id") else None
        self._check_serials(id, numbers, entity_id, mapping=True)
        self.serial_mappings.append({"item_id": id, **body})
        for serial in self.serials.values():
            if serial["item_id"] == id and serial["serialnumber"] in numbers:
                if entity_id is not None:
                    self.serial_links[serial["serialnumber_id"]] = (str(body["entity_type"]), entity_id)
                if self.serial_modes.transacts_out:
                    serial["is_transacted_out"] = True
        return ok()

    def link_serial(self, item_id: str, serialnumber: str, entity_type: str, entity_id: str) -> None:
        """``serialnumber`` is mapped to another document (as another station would)."""
        [serial] = [s for s in self.serials.values() if s["item_id"] == item_id and s["serialnumber"] == serialnumber]
        self.serial_links[serial["serialnumber_id"]] = (entity_type, entity_id)
        if self.serial_modes.transacts_out:
            serial["is_transacted_out"] = True

    def _get_document(self, query: dict[str, str], body: Any, collection: str, id: str) -> Answer:
        if not self.serial_modes.documents_list_serials:
            raise ZohoFailure(404, 5, "Invalid URL Passed")
        entity = {"salesorders": "salesorder", "packages": "package", "invoices": "invoice",
                  "transferorders": "transfer_order"}[collection]
        lines: dict[str, list[str]] = {}
        for serial_id, (_kind, entity_id) in self.serial_links.items():
            if entity_id == id:
                serial = self.serials[serial_id]
                lines.setdefault(serial["item_id"], []).append(serial["serialnumber"])
        if not lines:
            raise _missing(entity.replace("_", " ").capitalize())
        record: dict[str, Any] = {f"{entity}_id": id, "line_items": [
            {"line_item_id": self.new_id(), "item_id": item_id, "quantity": len(numbers), "serial_numbers": numbers}
            for item_id, numbers in lines.items()]}
        return 200, {"code": 0, "message": "success", entity: record}

    # -- batches ------------------------------------------------------------------------------

    def _list_batches(self, query: dict[str, str], body: Any) -> Answer:
        item_id = _required(query, "item_id")
        text = query.get("search_text", "").casefold()
        # batches.yml: include_empty_batches "Include batches that have zero quantity"
        empty_too = query.get("include_empty_batches", "false").lower() == "true"
        found = [b for b in self.batches.values() if b["item_id"] == item_id and (
            not text or text in f"{b['batch_number']} {b.get('manufacturer_batch_number', '')}".casefold())
            and (empty_too or float(b.get("balance_quantity") or 0) != 0)]
        return self._page(found, query, "batches")

    def _get_batch(self, query: dict[str, str], body: Any, id: str) -> Answer:
        if id not in self.batches:
            raise _missing("Batch")
        return ok(batch=self.batches[id])

    def _check_batch_number(self, item_id: str, number: Any, batch_id: str | None = None) -> None:
        if not isinstance(number, str) or not number.strip():
            raise ZohoFailure(400, 2, "Invalid value passed for batch_number")
        for other in self.batches.values():
            if other["item_id"] == item_id and other["batch_number"] == number and other["batch_id"] != batch_id:
                raise ZohoFailure(400, 1001, f"Batch number {number} already exists for this item.")

    def _create_batch(self, query: dict[str, str], body: Any) -> Answer:
        fields = body if isinstance(body, dict) else {}
        item = self.items.get(str(fields.get("item_id")))
        if item is None:
            raise _missing("Item")
        if not item.get("track_batch_number"):
            raise ZohoFailure(400, 2, f"Batch tracking is not enabled for the item {item['name']}.")
        self._check_batch_number(item["item_id"], fields.get("batch_number"))
        record = self.add_batch(item["item_id"], fields["batch_number"],
                                **{k: v for k, v in fields.items() if k not in ("item_id", "batch_number")})
        return ok("The batch has been created.", batch=record)

    def _update_batch(self, query: dict[str, str], body: Any, id: str) -> Answer:
        if id not in self.batches:
            raise _missing("Batch")
        fields = body if isinstance(body, dict) else {}
        record = self.batches[id]
        if "batch_number" in fields:
            self._check_batch_number(record["item_id"], fields["batch_number"], id)
        record.update({k: v for k, v in fields.items() if k not in ("batch_id", "item_id")})
        return ok("The batch has been updated.", batch=record)

    def _batch_state(self, query: dict[str, str], body: Any, id: str, state: str) -> Answer:
        if id not in self.batches:
            raise _missing("Batch")
        self.batches[id]["status"] = state
        return ok(f"The batch has been marked as {state}.")

    # -- composite items and assemblies -----------------------------------------------------------

    def _list_composites(self, query: dict[str, str], body: Any) -> Answer:
        listed = [{k: v for k, v in c.items() if k != "mapped_items"} for c in self.composites.values()]
        return self._page(self._filtered(listed, query), query, "composite_items")

    def _get_composite(self, query: dict[str, str], body: Any, id: str) -> Answer:
        if id not in self.composites:
            raise _missing("Composite item")
        return ok(composite_item=self.composites[id])

    def _create_bundle(self, query: dict[str, str], body: Any) -> Answer:
        fields = body if isinstance(body, dict) else {}
        if str(fields.get("composite_item_id")) not in self.composites:
            raise _missing("Composite item")
        if not fields.get("line_items") or fields.get("is_completed") is not True:
            raise ZohoFailure(400, 2, "Invalid value passed for line_items")
        status = {"bundled": "built"}.get(fields.get("status", "draft"), fields.get("status", "draft"))
        record = {**fields, "bundle_id": self.new_id(), "status": status,
                  "transaction_number": f"WO-{len(self.bundles) + 1:05d}"}
        if query.get("ignore_auto_number_generation") != "true":  # Zoho numbers it itself
            record["reference_number"] = f"REF-B-{len(self.bundles) + 1:05d}"
        self.bundles[record["bundle_id"]] = record
        return ok("Assembly has been created.", **record)  # the docs show it at the top level

    def _list_bundles(self, query: dict[str, str], body: Any) -> Answer:
        composite_id = _required(query, "composite_item_id")
        found = [b for b in self.bundles.values() if str(b["composite_item_id"]) == composite_id
                 and query.get("reference_number", b.get("reference_number")) == b.get("reference_number")]
        return self._page(found, query, "bundles")

    def _get_bundle(self, query: dict[str, str], body: Any, id: str) -> Answer:
        if id not in self.bundles:
            raise _missing("Assembly")
        return ok(bundle=self.bundles[id])

    def _bundle_state(self, query: dict[str, str], body: Any, id: str, state: str) -> Answer:
        if id not in self.bundles:
            raise _missing("Assembly")
        self.bundles[id]["status"] = {"bundled": "built"}.get(state, state)
        return ok(f"The assembly has been marked as {self.bundles[id]['status']}.", bundle=self.bundles[id])


def _int(query: dict[str, str], name: str, default: int) -> int:
    try:
        return int(query.get(name, default))
    except ValueError:
        raise ZohoFailure(400, 2, f"Invalid value passed for {name}") from None


def _required(query: dict[str, str], name: str) -> str:
    value = query.get(name, "")
    if not value:
        raise ZohoFailure(400, 2, f"Invalid value passed for {name}")
    return value
