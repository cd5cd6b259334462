"""How ZohoSerialMappingDeliverer (``outbox/zoho_serials.py``) reads what Zoho shows about a
mapping's serials, and what the station says when a resend is refused; extends
tests/outbox/test_zoho_serial_readings.py with the rules it left unstated:

- reading 1, the serial records: a record names its number in ``serialnumber`` (the only
  name serialnumbers.yml's list gives), else ``serial_number`` or ``code``; a record names a
  document in ``<entity_type>_id`` also spelt without the underscore
  (``transferorder_id``); an empty association field (``""``, ``0``) names no document;
- a serial Zoho lists as transacted out, or does not list at all, is never judged "free"
  (not mapped), even when validate accepts it: the station cannot tell; a transacted-out
  serial of the item that is not in the mapping changes nothing;
- reading 3, the document: ``GET /salesorders/{id}`` (one path segment, whatever the id
  holds); serials on the item's lines, directly, under ``storages`` (packages.yml) or
  ``batches``, as a list of texts, of objects, or one comma-separated text; lines for
  another item do not count, whatever they list; an answer without the record lists
  nothing; a document Zoho says "does not exist" is asked again on the next check (it may
  exist by then), unlike a path or scope this station cannot read;
- a refused resend after a lost answer or a crash mid-send (``check_before_send``, or
  earlier attempts) that the readings cannot place fails with Zoho's words *and* what to
  check, keeping Zoho's code, HTTP status and call; when the readings say another document
  has them, with Zoho's words alone;
- delivered, the local copy records the mapping with its warehouse and bin.

Reading answers are scripted with :class:`ZohoAnswers` (the shapes of the vendor docs in
shared/seeds/zoho-openapi) where the fake Zoho has no knob for them; the refusals and
messages come from the fake Zoho on loopback through the real client and relay."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, cast

import pytest

from scanner_app.backends.errors import NotFound, ValidationError
from scanner_app.backends.zoho import ZohoClient
from scanner_app.inventory.store import InventoryStore
from scanner_app.outbox import (
    SERIAL_VALIDATE_AND_MAP,
    Outbox,
    OutboxEntry,
    OutboxRelay,
    PickedSerial,
    enqueue_serial_mappings,
    group_serial_mappings,
    zoho_target,
)
from scanner_app.outbox.local_copy import LocalCopy
from scanner_app.outbox.serial_mapping import SerialMapping
from scanner_app.outbox.zoho_serials import ZohoSerialMappingDeliverer
from tests.backends.fake_zoho import FakeZoho, dropped_connection
from tests.backends.fake_zoho_inventory import SerialModes

FLUSH_S = 15.0
ORDER = "4815000000044208"
ITEM = "6780203000000167467"
TAKEN = "Serial number(s) SN-1, SN-2 are not available for this item."


class ZohoAnswers:
    """Stands in for the ZohoClient a deliverer reads through: the item's serial records
    (``serial_number_records``), validate's answer for this document and without one
    (``check_serial_numbers``: None accepted, else Zoho's words), and the documents
    (``call``: the body by path, or the error raised; an unknown path is Zoho's 404)."""

    def __init__(self, records: Sequence[Mapping[str, Any]], *, for_document: str | None = TAKEN,
                 without_document: str | None = TAKEN,
                 documents: Mapping[str, Mapping[str, Any] | Exception] | None = None) -> None:
        self.records = [dict(r) for r in records]
        self.for_document, self.without_document = for_document, without_document
        self.documents = dict(documents or {})
        self.read_paths: list[str] = []

    def serial_number_records(self, item_id: str, *, show_transacted_out: bool = True) -> list[dict[str, Any]]:
        assert show_transacted_out
        return self.records

    def check_serial_numbers(self, item_id: str, serial_numbers: Sequence[str], *, entity_type: str,
                             entity_id: str | None = None, warehouse_id: str | None = None,
                             bin_id: str | None = None) -> str | None:
        return self.for_document if entity_id else self.without_document

    def call(self, method: str, path: str, **options: Any) -> Mapping[str, Any]:
        self.read_paths.append(path)
        answer = self.documents.get(path, NotFound("Invalid URL Passed", backend="Zoho Inventory", status=404,
                                                   code=5, vendor_message="Invalid URL Passed"))
        if isinstance(answer, Exception):
            raise answer
        return answer


def mapping(*serials: str, entity_type: str = "salesorder", entity_id: str = ORDER,
            item_id: str = ITEM) -> SerialMapping:
    return SerialMapping(entity_type, entity_id, item_id, "W1", "B1", serials)


def verdict(answers: ZohoAnswers, m: SerialMapping) -> str:
    return ZohoSerialMappingDeliverer(lambda: cast(ZohoClient, answers)).read(cast(ZohoClient, answers), m).verdict


def listed(*serials: str, **fields: Any) -> list[dict[str, Any]]:
    """serialnumbers.yml's list-serial-numbers-item for each serial (no ``code`` there)."""
    return [{"serialnumber_id": f"67802030000001761{n}", "serialnumber": s, "status": "active",
             "is_transacted_out": False, **fields} for n, s in enumerate(serials)]


def as_entry(m: SerialMapping, *, check: bool, attempts: int = 0) -> OutboxEntry:
    return OutboxEntry(1, "zoho:test", m.document, SERIAL_VALIDATE_AND_MAP, m.to_payload(), "in_flight", attempts,
                       0.0, check, None, None, None, 0.0, 0.0)


# -- reading 1: the serial records -------------------------------------------------------------

@pytest.mark.parametrize("number", [
    {"serialnumber": "SN-1"},                      # the list's documented field
    {"serial_number": "SN-1"},
    {"code": "SN-1"},                              # "same value as serialnumber" (a retrieved record)
    {"serialnumber": "", "code": "SN-1"},          # an empty field names no number
], ids=["serialnumber", "serial_number", "code", "empty-then-code"])
def test_a_record_naming_this_document_is_found_by_its_number(number: dict[str, str]) -> None:
    answers = ZohoAnswers([{"serialnumber_id": "1", "status": "active", "is_transacted_out": False,
                            "entity_type": "salesorder", "entity_id": ORDER, **number}])
    assert verdict(answers, mapping("SN-1")) == "ours"


def test_a_transfer_order_named_without_the_underscore() -> None:
    answers = ZohoAnswers(listed("SN-1", transferorder_id="TO-5"))
    assert verdict(answers, mapping("SN-1", entity_type="transfer_order", entity_id="TO-5")) == "ours"
    assert verdict(answers, mapping("SN-1", entity_type="transfer_order", entity_id="TO-6")) == "other"


def test_empty_association_fields_name_no_document() -> None:
    """Zoho's empty values ("" and 0) are no document: validate decides (here: ours)."""
    answers = ZohoAnswers(listed("SN-1", entity_id="", transaction_id=0, reference_id=None, salesorder_id=""),
                          for_document=None)
    assert verdict(answers, mapping("SN-1")) == "ours"


# -- transacted out, not listed: never "free" ------------------------------------------------------

@pytest.mark.parametrize(("flag", "expected"), [
    (True, "unknown"), ("true", "unknown"), (" TRUE ", "unknown"), (1, "unknown"),
    (False, "free"), ("false", "free"), (0, "free"), (None, "free"),
])
def test_a_transacted_out_serial_is_never_read_as_free(flag: Any, expected: str) -> None:
    answers = ZohoAnswers(listed("SN-1", is_transacted_out=flag), for_document=None, without_document=None)
    assert verdict(answers, mapping("SN-1")) == expected


def test_another_transacted_out_serial_of_the_item_changes_nothing() -> None:
    records = listed("SN-1") + listed("SN-9", is_transacted_out=True)
    answers = ZohoAnswers(records, for_document=None, without_document=None)
    assert verdict(answers, mapping("SN-1")) == "free"


def test_a_serial_zoho_does_not_list_is_never_read_as_free() -> None:
    answers = ZohoAnswers(listed("SN-1"), for_document=None, without_document=None)
    m = mapping("SN-1", "SN-2")
    deliverer = ZohoSerialMappingDeliverer(lambda: cast(ZohoClient, answers))
    assert verdict(answers, m) == "unknown"
    assert deliverer.was_applied(as_entry(m, check=True)) is None  # not applied: it will be sent


# -- reading 3: the document -----------------------------------------------------------------------

def document(key: str, *lines: dict[str, Any]) -> dict[str, Any]:
    return {"code": 0, "message": "success", key: {f"{key}_id": "1", "line_items": list(lines)}}


@pytest.mark.parametrize("lines", [
    [{"item_id": ITEM, "storages": [{"storage_id": "1", "serial_numbers": ["SN-1"]},
                                    {"storage_id": "2", "serial_numbers": ["SN-2"]}]}],
    [{"item_id": ITEM, "batches": [{"batch_id": "7", "serial_numbers": ["SN-1", "SN-2"]}]}],
    [{"item_id": "OTHER", "serial_numbers": ["X-1"]}, {"item_id": ITEM, "serial_numbers": ["SN-2", "SN-1"]}],
    [{"item_id": ITEM, "serial_numbers": "SN-1, SN-2"}],
    [{"item_id": ITEM, "serial_numbers": [{"serialnumber": "SN-1"}, {"serialnumber": "SN-2"}]}],
], ids=["storages", "batches", "after-another-item", "comma-text", "objects"])
def test_a_package_listing_the_serials_on_the_items_lines_has_them(lines: list[dict[str, Any]]) -> None:
    answers = ZohoAnswers(listed("SN-1", "SN-2"), documents={"/packages/PKG-3": document("package", *lines)})
    assert verdict(answers, mapping("SN-1", "SN-2", entity_type="package", entity_id="PKG-3")) == "ours"


@pytest.mark.parametrize("body", [
    document("salesorder", {"item_id": "OTHER", "serial_numbers": ["SN-1", "SN-2"]}),
    {"code": 0, "message": "success"},
    {"code": 0, "message": "success", "salesorder": "SO"},
], ids=["another-items-line", "no-record", "not-a-record"])
def test_a_document_that_does_not_list_them_on_the_items_lines_does_not_have_them(body: dict[str, Any]) -> None:
    answers = ZohoAnswers(listed("SN-1", "SN-2"), documents={f"/salesorders/{ORDER}": body})
    assert verdict(answers, mapping("SN-1", "SN-2")) == "unknown"


def test_the_document_id_is_one_path_segment() -> None:
    answers = ZohoAnswers(listed("SN-1"))
    verdict(answers, mapping("SN-1", entity_id="SO/7 A"))
    assert answers.read_paths == ["/salesorders/SO%2F7%20A"]


def test_a_document_zoho_says_does_not_exist_is_asked_again(zoho: FakeZoho, client: ZohoClient) -> None:
    zoho.inventory.serial_modes = SerialModes(documents_list_serials=True)
    drill = str(zoho.inventory.add_item("Drill", track_serial_number=True)["item_id"])
    zoho.inventory.add_serial(drill, "SN-1")
    deliverer = ZohoSerialMappingDeliverer(lambda: client)
    m = SerialMapping("salesorder", ORDER, drill, "W1", "B1", ("SN-1",))
    assert deliverer.read(client, m).verdict == "free"
    assert deliverer.read(client, m).verdict == "free"
    assert zoho.count("GET", f"/inventory/v1/salesorders/{ORDER}") == 2  # 404 "... does not exist." each time


def test_a_document_type_this_station_cannot_read_is_not_asked_again() -> None:
    refused = ValidationError("Invalid value passed for salesorder_id", backend="Zoho Inventory", status=400,
                              code=2, vendor_message="Sales order does not exist or is invalid.")
    answers = ZohoAnswers(listed("SN-1"), documents={f"/salesorders/{ORDER}": refused})
    client = cast(ZohoClient, answers)
    deliverer = ZohoSerialMappingDeliverer(lambda: client)
    assert [deliverer.read(client, mapping("SN-1")).verdict for _ in range(2)] == ["unknown", "unknown"]
    assert answers.read_paths == [f"/salesorders/{ORDER}"]


# -- refused resends: what the station says ----------------------------------------------------------

@pytest.fixture
def drill(zoho: FakeZoho) -> str:
    item_id = str(zoho.inventory.add_item("Drill", track_serial_number=True)["item_id"])
    for n in range(1, 5):
        zoho.inventory.add_serial(item_id, f"SN-{n}")
    return item_id


@pytest.fixture
def relay(make_relay: Callable[..., OutboxRelay], zoho: FakeZoho, client: ZohoClient) -> Iterator[OutboxRelay]:
    made = make_relay(target=zoho_target(zoho.organization_id),
                      deliverers={SERIAL_VALIDATE_AND_MAP: ZohoSerialMappingDeliverer(lambda: client)})
    yield made
    made.stop()


def map_path(item_id: str) -> str:
    return f"/inventory/v1/items/{item_id}/serialnumber/validateandmap"


def test_a_lost_answer_that_cannot_be_placed_fails_with_zohos_words_and_what_to_check(
        zoho: FakeZoho, drill: str, outbox: Outbox, relay: OutboxRelay) -> None:
    zoho.inventory.serial_modes = SerialModes(validate_exempts_own_document=False)
    zoho.inject(dropped_connection(after_apply=True, path=map_path(drill)))
    relay.start()
    with outbox.store.transaction() as conn:
        ids = enqueue_serial_mappings(outbox, conn, relay.target, group_serial_mappings(
            "salesorder", ORDER, "W1", [PickedSerial(drill, s, "B1") for s in ("SN-3", "SN-4")]))
    outbox.announce(ids)
    [left] = relay.flush(FLUSH_S)
    words = left.last_error or ""
    zohos_words = "Serial number(s) SN-3, SN-4 are not available for this item."
    assert left.state == "failed" and left.vendor_message == zohos_words
    assert words.startswith(f"Zoho Inventory: {zohos_words}")
    assert (f"Zoho does not show whether these serial numbers (SN-3, SN-4) are mapped to salesorder {ORDER}: "
            "check it in Zoho Inventory, then discard this entry if they are, or retry it") in words
    assert words.endswith(f"(code 2, HTTP 400, POST /items/{drill}/serialnumber/validateandmap)")
    assert f"{zohos_words} An earlier attempt may have reached Zoho, and Zoho does not show" in words  # one full stop
    assert zoho.count("POST", map_path(drill)) == 2 and len(zoho.inventory.serial_mappings) == 1


def test_after_a_crash_mid_send_an_unplaceable_refusal_says_what_to_check(
        zoho: FakeZoho, drill: str, client: ZohoClient) -> None:
    """Recovered after a crash: check_before_send, no attempt counted yet."""
    zoho.inventory.serial_modes = SerialModes(validate_exempts_own_document=False)
    m = SerialMapping("salesorder", ORDER, drill, "W1", "B1", ("SN-1", "SN-2"))
    client.validate_and_map_serial_numbers(drill, ["SN-1", "SN-2"], entity_type="salesorder", entity_id=ORDER,
                                           warehouse_id="W1", bin_id="B1")  # sent before the crash
    deliverer = ZohoSerialMappingDeliverer(lambda: client)
    assert deliverer.was_applied(as_entry(m, check=True)) is None  # the readings cannot tell
    with pytest.raises(ValidationError) as refused:
        deliverer.deliver(as_entry(m, check=True, attempts=0))
    assert refused.value.vendor_message == TAKEN
    assert "check it in Zoho Inventory, then discard this entry if they are, or retry it" in str(refused.value)
    # a first send (nothing lost before it) refused the same way: Zoho's words alone
    with pytest.raises(ValidationError) as first:
        deliverer.deliver(as_entry(m, check=False, attempts=0))
    assert str(first.value) == (f"Zoho Inventory: {TAKEN} "
                                f"(code 2, HTTP 400, POST /items/{drill}/serialnumber/validateandmap)")
    assert len(zoho.inventory.serial_mappings) == 1


def test_after_a_lost_answer_serials_another_document_has_fail_with_zohos_words_alone(
        zoho: FakeZoho, drill: str, client: ZohoClient) -> None:
    zoho.inventory.serial_modes = SerialModes(association_fields=True, validate_exempts_own_document=False)
    zoho.inventory.link_serial(drill, "SN-2", "salesorder", "SO-OTHER")
    m = SerialMapping("salesorder", ORDER, drill, "W1", "B1", ("SN-1", "SN-2"))
    deliverer = ZohoSerialMappingDeliverer(lambda: client)
    for check, attempts in ((True, 0), (False, 2)):
        with pytest.raises(ValidationError) as refused:
            deliverer.deliver(as_entry(m, check=check, attempts=attempts))
        assert str(refused.value) == (f"Zoho Inventory: Serial number(s) SN-2 are not available for this item. "
                                      f"(code 2, HTTP 400, POST /items/{drill}/serialnumber/validateandmap)")
    assert zoho.inventory.serial_mappings == []


# -- the local copy ------------------------------------------------------------------------------------

def test_the_local_copy_records_the_mapping_with_its_warehouse_and_bin(store: InventoryStore) -> None:
    m = mapping("SN-1", "SN-2")
    deliverer = ZohoSerialMappingDeliverer(lambda: cast(ZohoClient, ZohoAnswers([])))
    with store.transaction() as conn:
        deliverer.record_locally(LocalCopy(conn), as_entry(m, check=False), {"mapped": ["SN-1", "SN-2"]})
    assert store.connection().execute(
        "SELECT item_id, serialnumber, entity_type, entity_id, warehouse_id, bin_id FROM embedded_serial_mappings"
        " ORDER BY serialnumber").fetchall() == [(ITEM, "SN-1", "salesorder", ORDER, "W1", "B1"),
                                                 (ITEM, "SN-2", "salesorder", ORDER, "W1", "B1")]


def test_what_to_check_keeps_zohos_words_whole_and_ends_them_with_one_full_stop() -> None:
    """Only the full stop and spaces Zoho ended its sentence with are replaced: a serial
    number at its end (``SN-XX``) stays as Zoho wrote it."""
    from scanner_app.outbox.zoho_serials import _cannot_tell

    m = SerialMapping("salesorder", ORDER, "I1", "W1", "B1", ("SN-XX",))
    refusal = ValidationError("Serial number(s) not available: SN-XX. ", backend="Zoho Inventory",
                              vendor_message="Serial number(s) not available: SN-XX.")
    words = str(_cannot_tell(refusal, m))
    assert "Serial number(s) not available: SN-XX. An earlier attempt may have reached Zoho" in words
