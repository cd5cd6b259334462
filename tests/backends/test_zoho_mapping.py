"""Zoho JSON into the core's models, including Zoho's loose values (numbers for ids and
codes, empty strings for quantities) and records missing what identifies them."""

from __future__ import annotations

import logging

import pytest

from scanner_app.backends.errors import UnexpectedResponse
from scanner_app.backends.zoho import batch_from_zoho, bundle_from_zoho, item_from_zoho, serial_from_zoho
from scanner_app.inventory.models import MappedItem, StockLine


def test_item_from_the_docs_list_shape() -> None:
    item = item_from_zoho({
        "item_id": 4815000000044208, "name": "Bags-small", "status": "active", "sku": "SK123",
        "upc": 12345678905, "ean": "", "part_number": 111111111114, "unit": "qty",
        "locations": [{"location_id": "460000000038080", "location_name": "", "location_stock_on_hand": ""}],
    })
    assert (item.item_id, item.sku, item.upc, item.part_number) == ("4815000000044208", "SK123", "012345678905",
                                                                    "111111111114")
    assert item.gtin14 == "00012345678905" and item.ean is None and not item.is_composite
    assert item.stock == (StockLine("460000000038080", "460000000038080", 0.0),)


def test_composite_item_with_mapped_items() -> None:
    kit = item_from_zoho({
        "composite_item_id": 504366000000053250, "name": "Combo", "sku": "SKUIS",
        "mapped_items": [{"line_item_id": 1, "item_id": 4815000000044208, "name": "Phone", "quantity": 2, "sku": "P"}],
    })
    assert kit.item_id == "504366000000053250" and kit.is_composite
    assert kit.mapped_items == (MappedItem("4815000000044208", "Phone", 2.0, "P"),)


def test_stock_in_bins_and_outside_them() -> None:
    item = item_from_zoho({"item_id": "1", "name": "A", "locations": [{
        "location_id": "W", "location_name": "Main", "location_stock_on_hand": 10,
        "storages": [{"storage_location_id": "B1", "storage_location_name": "A-01", "quantity": 4},
                     {"storage_location_id": "B2", "storage_location_code": "A-02", "quantity": 6}]}]})
    assert [(s.bin_id, s.bin_code, s.quantity) for s in item.stock] == [("B1", "A-01", 4), ("B2", "A-02", 6)]


def test_serial_from_a_list_gets_its_item_from_the_call() -> None:
    serial = serial_from_zoho({"serialnumber_id": "6780203000000176190", "serialnumber": "SN-LAP-001",
                               "status": "active", "is_transacted_out": False, "batch_id": "617"}, item_id="99")
    assert (serial.item_id, serial.serialnumber, serial.batch_id) == ("99", "SN-LAP-001", "617")


def test_batch_with_zohos_aliases() -> None:
    batch = batch_from_zoho({"batch_id": "1", "batch_number": "BTC-8900", "external_batch_number": "MFR-1",
                             "manufacturer_date": "2026-05-12", "expiry_date": "2026-10-15",
                             "balance_quantity": "12.5", "location_id": "W1"}, item_id="7")
    assert (batch.manufacturer_batch_number, batch.manufactured_date, batch.balance_quantity, batch.warehouse_id) == (
        "MFR-1", "2026-05-12", 12.5, "W1")


def test_a_bad_optional_value_is_logged_and_left_out(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        batch = batch_from_zoho({"batch_id": "1", "item_id": "2", "batch_number": "B", "expiry_date": "15/10/2026"})
    assert batch.expiry_date is None
    assert "bad date in expiry_date" in caplog.text


def test_bundle_from_the_create_answers_top_level() -> None:
    bundle = bundle_from_zoho({
        "code": 0, "message": "Assembly has been created.", "bundle_id": 504366000000053250,
        "reference_number": "REF-B-00005", "composite_item_id": 504366000000053250, "quantity_to_bundle": 1,
        "status": "pending", "line_items": [{"item_id": 4815000000044208, "name": "Combo", "quantity_consumed": 1}],
    })
    assert (bundle.bundle_id, bundle.status, bundle.line_items[0].item_id) == (
        "504366000000053250", "pending", "4815000000044208")


@pytest.mark.parametrize(
    "mapper, record, words",
    [
        (item_from_zoho, {"name": "no id"}, "missing item_id"),
        (item_from_zoho, ["not", "an", "object"], "not an object"),
        (serial_from_zoho, {"serialnumber_id": "1", "serialnumber": "S"}, "missing item_id"),
        (batch_from_zoho, {"batch_id": "1", "item_id": "2"}, "missing batch_number"),
        (bundle_from_zoho, None, "not an object"),
    ],
)
def test_records_without_their_identity_are_unexpected(mapper: object, record: object, words: str) -> None:
    with pytest.raises(UnexpectedResponse, match=words):
        mapper(record)  # type: ignore[operator]
