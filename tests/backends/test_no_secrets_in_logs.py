"""A real request sequence at DEBUG, every logger captured: no client secret, refresh
token or access token may appear in the log text."""

from __future__ import annotations

import io
import logging
from collections.abc import Callable, Iterator

import pytest

from scanner_app.backends.errors import BackendError
from scanner_app.backends.log_redaction import REDACTED, install_log_redaction
from scanner_app.backends.zoho import NewBatch, ZohoClient
from tests.backends.fake_zoho import FakeZoho, malformed_json, rate_limited, server_error


@pytest.fixture
def log_text() -> Iterator[io.StringIO]:
    """Everything every logger says at DEBUG, formatted with its arguments."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setLevel(logging.DEBUG)
    handler.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


def test_a_sync_at_debug_logs_no_secret(zoho: FakeZoho, make_client: Callable[..., ZohoClient],
                                        log_text: io.StringIO) -> None:
    zoho.inventory.add_items(250)
    item_id = zoho.inventory.add_item("Milk", track_batch_number=True)["item_id"]
    client = make_client()
    list(client.item_pages())  # sign in, two pages
    zoho.expire_tokens()
    zoho.inject(rate_limited(1, path="/inventory/v1/items"))
    list(client.item_pages(search_text="ITEM 0001"))  # 401, refresh, 429, retry
    client.create_batch(NewBatch(item_id, "LOT-1"))
    for fault in (server_error(500, method="POST"), malformed_json(method="GET")):
        zoho.inject(fault)
        with pytest.raises(BackendError):
            client.create_batch(NewBatch(item_id, "LOT-2")) if fault.method == "POST" else client.get_item(item_id)
    zoho.refuse_refresh_token()
    zoho.expire_tokens()
    with pytest.raises(BackendError):
        client.get_item(item_id)
    text = log_text.getvalue()
    assert "httpcore.http11 DEBUG" in text and "HTTP Request: POST" in text  # the traffic was logged
    assert len(zoho.issued_tokens) == 2 and zoho.count("POST", "/oauth/v2/token") == 3
    for secret in (zoho.client_secret, zoho.refresh_token, *zoho.issued_tokens):
        assert secret not in text


def test_secrets_logged_by_mistake_are_redacted(log_text: io.StringIO) -> None:
    redactor = install_log_redaction()
    redactor.register("registered-secret-value")
    noisy = logging.getLogger("httpx")
    noisy.debug("headers %s", {"Authorization": "Zoho-oauthtoken 1000.abc.def"})
    noisy.debug("body client_secret=s3cr3tvalue&refresh_token=1000.rrr&grant_type=refresh_token")
    noisy.debug('answer {"access_token": "1000.xyz", "expires_in": 3600}')
    logging.getLogger("httpcore.http11").debug("sent %s", "registered-secret-value")
    # a logger the redactor does not watch: proves the capture would see a leak
    logging.getLogger("tests.unwatched").debug("token 1000.visible")
    text = log_text.getvalue()
    for leaked in ("1000.abc.def", "s3cr3tvalue", "1000.rrr", "1000.xyz", "registered-secret-value"):
        assert leaked not in text
    assert text.count(REDACTED) >= 5 and "grant_type=refresh_token" in text and "expires_in" in text
    assert "1000.visible" in text
