"""The words of the receiving rules and the fields a label gives (issue #14, mutation testing).

What a person at the receiving bench reads (``workflows/receiving_rules.py``): an expired
batch says how many days ago ("1 day", "3 days"), an expiring one when ("today", "in 1
day", "in 3 days") and when the warning starts; a refused quantity or date names the
field and the value as typed. From a GS1 label: AI 10 the batch, 11 manufactured, 17
expiry, 21 the serial, 30 or 37 the count (AI 30 first); an AI present but empty is not
there. Two receptions of a batch are the same batch when number, manufacturer's number
and dates agree, whatever the quantities.
"""

from __future__ import annotations

import datetime as dt

import pytest

from scanner_app.workflows.receiving_rules import (
    BadField,
    BatchFields,
    check_dates,
    gs1_date,
    label_fields,
    parse_date,
    parse_quantity,
)

TODAY = dt.date(2025, 6, 1)


@pytest.mark.parametrize(
    ("expiry", "verdict", "message"),
    [
        ("2025-05-31", "expired", "expired on 2025-05-31 (1 day ago)"),
        ("2025-05-29", "expired", "expired on 2025-05-29 (3 days ago)"),
        ("2025-06-01", "expiring_soon", "expires on 2025-06-01 (today; the warning starts 30 days before)"),
        ("2025-06-02", "expiring_soon", "expires on 2025-06-02 (in 1 day; the warning starts 30 days before)"),
        ("2025-06-04", "expiring_soon", "expires on 2025-06-04 (in 3 days; the warning starts 30 days before)"),
        ("2025-07-02", "ok", ""),
    ],
)
def test_what_a_person_reads_about_an_expiry(expiry: str, verdict: str, message: str) -> None:
    check = check_dates("2025-01-01", expiry, TODAY, 30)
    assert (check.verdict, check.message) == (verdict, message)
    assert check.needs_confirmation is (verdict != "ok")
    assert check.refused is False


def test_no_dates_at_all_is_fine() -> None:
    check = check_dates(None, None, TODAY, 30)
    assert (check.verdict, check.message, check.refused, check.needs_confirmation) == ("ok", "", False, False)


def test_a_refused_date_is_not_asked_about() -> None:
    check = check_dates("2025-05-02", "2025-05-01", TODAY, 30)  # also expired
    assert (check.refused, check.needs_confirmation) == (True, False)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("many", "the label's count 'many' is not a number"),
        ("0", "the label's count must be more than 0, not '0'"),
        ("-1", "the label's count must be more than 0, not '-1'"),
        ("nan", "the label's count must be more than 0, not 'nan'"),
    ],
)
def test_a_refused_quantity_names_the_field_and_the_value(text: str, message: str) -> None:
    with pytest.raises(BadField) as refused:
        parse_quantity(text, "the label's count")
    assert str(refused.value) == message


def test_quantities_as_typed_or_given() -> None:
    assert parse_quantity(None) == 1.0
    assert parse_quantity("   ") == 1.0
    assert parse_quantity(" 3 ") == 3.0
    assert parse_quantity(0.25) == 0.25
    with pytest.raises(BadField, match=r"^quantity 'x' is not a number$"):
        parse_quantity("x")


def test_a_typed_date_is_read_whatever_the_spaces_and_named_when_wrong() -> None:
    assert parse_date(None, "expiry") is None
    assert parse_date("  ", "expiry") is None
    with pytest.raises(BadField) as refused:
        parse_date(" 2025-13-01 ", "manufactured date")
    assert str(refused.value) == "manufactured date '2025-13-01' is not a date: write it as YYYY-MM-DD"


def test_a_label_date_that_is_no_date_names_its_ai_and_value() -> None:
    with pytest.raises(BadField) as refused:
        gs1_date("11", "251340")
    assert str(refused.value) == "the label's (11) '251340' is not a date (YYMMDD)"
    assert gs1_date("11", "250228") == "2025-02-28"


def test_a_label_with_ai_37_and_empty_fields() -> None:
    fields = label_fields({"01": "09506000134352", "10": "", "21": "", "37": "12"})
    assert (fields.gtin, fields.batch_number, fields.serialnumber, fields.quantity) == (
        "09506000134352", None, None, 12.0)
    assert (fields.manufactured_date, fields.expiry_date) == (None, None)


def test_ai_30_is_the_count_before_ai_37() -> None:
    assert label_fields({"30": "5", "37": "12"}).quantity == 5.0
    assert label_fields({"01": "09506000134352"}).quantity is None


def test_a_bad_label_count_is_refused_in_the_labels_words() -> None:
    with pytest.raises(BadField, match=r"^the label's count \(30/37\) must be more than 0, not '0'$"):
        label_fields({"37": "0"})


@pytest.mark.parametrize(
    ("other", "same"),
    [
        (BatchFields("B1", "M1", "2025-01-01", "2026-01-01", quantity=9.0), True),
        (BatchFields("B2", "M1", "2025-01-01", "2026-01-01"), False),
        (BatchFields("B1", "M2", "2025-01-01", "2026-01-01"), False),
        (BatchFields("B1", "M1", "2025-01-02", "2026-01-01"), False),
        (BatchFields("B1", "M1", "2025-01-01", "2026-01-02"), False),
    ],
)
def test_the_same_batch_is_number_manufacturer_number_and_dates(other: BatchFields, same: bool) -> None:
    assert BatchFields("B1", "M1", "2025-01-01", "2026-01-01", quantity=1.0).same_batch_details(other) is same
