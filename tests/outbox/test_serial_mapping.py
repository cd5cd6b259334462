"""The serial.validate_and_map payload: grouping by item and bin, chunks, and refusals."""

from __future__ import annotations

import pytest

from scanner_app.outbox import PickedSerial, SerialMapping, document_key, group_serial_mappings


def test_one_mapping_per_item_and_bin_in_chunks() -> None:
    picked = [PickedSerial("I1", f"A{n}", "B1") for n in range(5)] + [
        PickedSerial("I2", "X1", "B1"), PickedSerial("I1", "C1", "B2"), PickedSerial("I1", "A9", "B1")]
    groups = group_serial_mappings("salesorder", "SO-1", "W1", picked, chunk=4)
    assert [(g.item_id, g.bin_id, g.serial_numbers) for g in groups] == [
        ("I1", "B1", ("A0", "A1", "A2", "A3")), ("I1", "B1", ("A4", "A9")), ("I2", "B1", ("X1",)),
        ("I1", "B2", ("C1",))]
    assert {g.document for g in groups} == {"salesorder:SO-1"}


def test_a_serial_picked_twice_is_refused() -> None:
    with pytest.raises(ValueError, match="picked twice"):
        group_serial_mappings("salesorder", "SO-1", "W1", [PickedSerial("I1", "A"), PickedSerial("I1", "A", "B2")])


def test_payload_round_trip_and_bad_payloads() -> None:
    mapping = SerialMapping("invoice", "INV-1", "I1", "W1", None, ("A", "B"))
    assert SerialMapping.from_payload(mapping.to_payload()) == mapping
    with pytest.raises(ValueError, match="without 'item_id'"):
        SerialMapping.from_payload({"entity_type": "invoice", "entity_id": "1", "serial_numbers": ["A"]})
    with pytest.raises(ValueError, match="not a list"):
        SerialMapping.from_payload({**mapping.to_payload(), "serial_numbers": "A,B"})
    with pytest.raises(ValueError):
        SerialMapping("invoice", "INV-1", "I1", "W1", None, ())
    with pytest.raises(ValueError):
        document_key("", "1")
