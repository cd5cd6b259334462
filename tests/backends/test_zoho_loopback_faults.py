"""End to end against the fake Zoho on loopback: rate limits, garbled answers, timeouts,
dropped connections, server errors, duplicates, and what each means for a write."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from scanner_app.backends.errors import Conflict, Offline, RateLimited, ServerError, UnexpectedResponse
from scanner_app.backends.http import HttpPolicy
from scanner_app.backends.zoho import NewBatch, ZohoClient
from tests.backends.conftest import TEST_POLICY
from tests.backends.fake_clock import FakeClock
from tests.backends.fake_zoho import (
    FakeZoho,
    dropped_connection,
    html_page,
    malformed_json,
    rate_limited,
    server_error,
    slow,
)

MakeClient = Callable[..., ZohoClient]
BATCHES = "/inventory/v1/items/batches"
SHORT_TIMEOUT = HttpPolicy(**{**TEST_POLICY.__dict__, "timeout_seconds": 0.3})  # type: ignore[arg-type]


@pytest.fixture
def tracked(zoho: FakeZoho) -> str:
    return str(zoho.inventory.add_item("Milk", track_batch_number=True)["item_id"])


def test_429_retry_after_is_honoured(zoho: FakeZoho, make_client: MakeClient, clock: FakeClock) -> None:
    zoho.inventory.add_items(3)
    zoho.inject(rate_limited(45, path="/inventory/v1/items"))
    pages = list(make_client().item_pages())
    assert len(pages[0].records) == 3
    assert zoho.count("GET", "/inventory/v1/items") == 2
    assert 45 <= max(clock.sleeps) <= 45 * 1.2


def test_429_longer_than_the_policy_allows_is_raised(zoho: FakeZoho, make_client: MakeClient) -> None:
    zoho.inject(rate_limited(7200, path="/inventory/v1/items"))
    with pytest.raises(RateLimited) as caught:
        list(make_client().item_pages())
    assert caught.value.retry_after == 7200 and "too many requests" in str(caught.value)


def test_malformed_json_is_a_clear_error(zoho: FakeZoho, make_client: MakeClient) -> None:
    zoho.inject(malformed_json(path="/inventory/v1/items"))
    with pytest.raises(UnexpectedResponse, match="not JSON") as caught:
        list(make_client().item_pages())
    assert caught.value.status == 200 and "GET /items" in str(caught.value)


def test_a_proxy_page_is_a_clear_error(zoho: FakeZoho, make_client: MakeClient) -> None:
    zoho.inject(html_page(path="/inventory/v1/items"))
    with pytest.raises(UnexpectedResponse, match="text/html"):
        list(make_client().item_pages())


def test_a_slow_get_times_out_and_is_sent_again(zoho: FakeZoho, make_client: MakeClient) -> None:
    item = zoho.inventory.add_item("Widget")
    zoho.inject(slow(1.0, method="GET", path="/inventory/v1/items/"))
    assert make_client(policy=SHORT_TIMEOUT).get_item(item["item_id"]).name == "Widget"
    assert zoho.count("GET", "/inventory/v1/items/") == 2


def test_a_slow_post_times_out_once_and_may_have_been_applied(zoho: FakeZoho, make_client: MakeClient,
                                                             tracked: str) -> None:
    zoho.inject(slow(1.0, method="POST", path=BATCHES))
    with pytest.raises(Offline) as caught:
        make_client(policy=SHORT_TIMEOUT).create_batch(NewBatch(tracked, "B-1"))
    assert caught.value.maybe_applied and "no answer from 127.0.0.1 within 0.3 s" in str(caught.value)
    assert zoho.count("POST", BATCHES) == 1


def test_connection_dropped_after_a_write_took_effect(zoho: FakeZoho, make_client: MakeClient, tracked: str) -> None:
    zoho.inject(dropped_connection(after_apply=True, method="POST", path=BATCHES))
    client = make_client()
    with pytest.raises(Offline) as caught:
        client.create_batch(NewBatch(tracked, "B-7", expiry_date="2031-01-31"))
    assert caught.value.maybe_applied
    assert zoho.count("POST", BATCHES) == 1  # not sent again ...
    [batch] = client.batches(tracked)  # ... and it was applied: an outbox must look before resending
    assert batch.batch_number == "B-7" and batch.expiry_date == "2031-01-31"


def test_connection_dropped_on_a_get_is_sent_again(zoho: FakeZoho, make_client: MakeClient) -> None:
    item = zoho.inventory.add_item("Widget")
    zoho.inject(dropped_connection(after_apply=False, method="GET"))
    assert make_client().get_item(item["item_id"]).name == "Widget"


def test_server_errors_are_retried_for_reads(zoho: FakeZoho, make_client: MakeClient) -> None:
    zoho.inventory.add_items(2)
    zoho.inject(server_error(503, path="/inventory/v1/items", times=2))
    assert len(next(make_client().item_pages()).records) == 2
    assert zoho.count("GET", "/inventory/v1/items") == 3


def test_server_error_on_a_write_is_raised_at_once(zoho: FakeZoho, make_client: MakeClient, tracked: str) -> None:
    zoho.inject(server_error(500, method="POST", path=BATCHES))
    with pytest.raises(ServerError) as caught:
        make_client().create_batch(NewBatch(tracked, "B-2"))
    assert caught.value.maybe_applied and caught.value.status == 500
    assert zoho.count("POST", BATCHES) == 1


def test_duplicate_batch_is_a_conflict(zoho: FakeZoho, make_client: MakeClient, tracked: str) -> None:
    client = make_client()
    client.create_batch(NewBatch(tracked, "LOT-1"))
    with pytest.raises(Conflict) as caught:
        client.create_batch(NewBatch(tracked, "LOT-1"))
    assert caught.value.vendor_message == "Batch number LOT-1 already exists for this item."
    assert caught.value.code == 1001 and not caught.value.maybe_applied
