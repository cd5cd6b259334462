"""The rules of a received batch: GS1 label fields (dates with the century rule and day
00, counts), dates typed by a person, quantities, and the expiry verdicts."""

from __future__ import annotations

import datetime as dt

import pytest

from scanner_app.workflows.receiving_rules import (
    BadField,
    check_dates,
    gs1_date,
    label_fields,
    parse_date,
    parse_quantity,
)

TODAY = dt.date(2025, 6, 1)


def test_a_label_gives_every_field_of_a_batch() -> None:
    fields = label_fields({"01": "09506000134352", "10": "L-77", "11": "250115", "17": "261231", "37": "24"})
    assert (fields.gtin, fields.batch_number, fields.manufactured_date, fields.expiry_date, fields.quantity,
            fields.serialnumber) == ("09506000134352", "L-77", "2025-01-15", "2026-12-31", 24.0, None)


def test_a_label_gives_a_serial_and_ai_30_is_a_count_too() -> None:
    fields = label_fields({"01": "09506000134376", "21": "SN-9", "30": "3"})
    assert (fields.serialnumber, fields.quantity, fields.batch_number) == ("SN-9", 3.0, None)


@pytest.mark.parametrize(("value", "expected"), [
    ("250200", "2025-02-28"), ("240200", "2024-02-29"), ("251200", "2025-12-31"), ("250430", "2025-04-30")])
def test_expiry_day_00_is_the_last_day_of_the_month(value: str, expected: str) -> None:
    assert gs1_date("17", value) == expected


def test_gs1_years_follow_the_century_rule() -> None:
    assert gs1_date("17", "991231") == "1999-12-31"  # far more than 50 years ahead: the last century
    assert gs1_date("11", "300101") == "2030-01-01"


@pytest.mark.parametrize("value", ["251301", "250231", "ABCDEF"])
def test_a_label_date_that_is_no_date_is_refused_with_its_ai(value: str) -> None:
    with pytest.raises(BadField, match=r"\(17\)"):
        gs1_date("17", value)


def test_typed_dates_are_iso_and_empty_is_none() -> None:
    assert parse_date(" 2025-07-01 ", "expiry") == "2025-07-01"
    assert parse_date("", "expiry") is None
    with pytest.raises(BadField, match="expiry '01/07/2025' is not a date: write it as YYYY-MM-DD"):
        parse_date("01/07/2025", "expiry")


@pytest.mark.parametrize("text", ["0", "-2", "nan", "inf", "many"])
def test_a_quantity_must_be_a_positive_number(text: str) -> None:
    with pytest.raises(BadField):
        parse_quantity(text)


def test_an_empty_quantity_is_one() -> None:
    assert parse_quantity("") == 1.0 and parse_quantity("2.5") == 2.5


def test_expiry_before_manufactured_is_refused() -> None:
    check = check_dates("2025-05-01", "2025-04-30", TODAY, 30)
    assert check.refused and check.verdict == "expiry_before_manufactured"
    assert "before the manufactured date 2025-05-01" in check.message


def test_expired_and_soon_expiring_need_confirmation() -> None:
    expired = check_dates(None, "2025-05-30", TODAY, 30)
    assert expired.verdict == "expired" and expired.needs_confirmation and "2 days ago" in expired.message
    soon = check_dates(None, "2025-07-01", TODAY, 30)
    assert soon.verdict == "expiring_soon" and soon.needs_confirmation and "in 30 days" in soon.message
    assert check_dates(None, "2025-07-02", TODAY, 30).verdict == "ok"
    assert check_dates(None, "2025-06-01", TODAY, 0).verdict == "expiring_soon"  # today
    assert check_dates("2025-01-01", None, TODAY, 30).verdict == "ok"


# Expiry against manufacture: only an expiry strictly before the manufactured date is
# refused; a product made and expiring on the same day (fresh goods) is a real batch.
@pytest.mark.parametrize(("manufactured", "expiry", "refused"), [
    ("2025-09-01", "2025-09-01", False),  # the same day
    ("2025-09-01", "2025-09-02", False),  # one day after
    ("2025-09-02", "2025-09-01", True),  # one day before
    ("2025-12-31", "2026-01-01", False),  # across a year, after
    ("2026-01-01", "2025-12-31", True),  # across a year, before
    ("2025-03-01", "2025-02-28", True),  # across a month, before
])
def test_only_an_expiry_before_the_manufactured_date_is_refused(manufactured: str, expiry: str,
                                                                refused: bool) -> None:
    check = check_dates(manufactured, expiry, TODAY, 30)  # all of them more than 30 days ahead
    assert check.refused is refused
    assert check.verdict == ("expiry_before_manufactured" if refused else "ok")
    if refused:
        assert check.message == f"the expiry {expiry} is before the manufactured date {manufactured}"


def test_made_and_expiring_today_asks_for_a_confirmation_and_is_not_refused() -> None:
    check = check_dates("2025-06-01", "2025-06-01", TODAY, 30)
    assert not check.refused
    assert check.verdict == "expiring_soon" and check.needs_confirmation
    assert "(today;" in check.message


@pytest.mark.parametrize(("expiry", "verdict"), [
    ("2025-05-31", "expired"),  # yesterday
    ("2025-06-01", "expiring_soon"),  # today
    ("2025-07-01", "expiring_soon"),  # in exactly warning_days (30)
    ("2025-07-02", "ok"),  # in 31 days
])
def test_the_expiry_warning_boundaries(expiry: str, verdict: str) -> None:
    assert check_dates(None, expiry, TODAY, 30).verdict == verdict
