"""The Pack.cloud API token at DEBUG: never in any logger's text, whatever the traffic."""

from __future__ import annotations

import io
import logging

import pytest

from scanner_app.backends.errors import BackendError
from tests.backends.fake_packcloud import FakePackcloud, malformed_json, rate_limited, server_error
from tests.backends.test_no_secrets_in_logs import log_text  # noqa: F401 (a fixture)
from tests.packcloud.conftest import MakeClient


def test_a_session_at_debug_logs_no_token(packcloud: FakePackcloud, make_client: MakeClient,
                                          log_text: io.StringIO) -> None:
    packcloud.add_serials(120, "prod-cam")
    client = make_client()
    client.serial_numbers()  # five pages of 25
    packcloud.inject(rate_limited(1), server_error(502))
    client.find_serial("SN-00007")  # 429, 502, then the answer
    packcloud.inject(malformed_json())
    with pytest.raises(BackendError):
        client.find_serial("SN-00008")
    with pytest.raises(BackendError):
        make_client(token=packcloud.token + "x").find_serial("SN-00009")  # 401
    # a careless log line of our own is redacted too: the token was registered
    logging.getLogger("scanner_app.backends.packcloud.client").debug("token %s", packcloud.token)
    logging.getLogger("httpx").debug("headers %s", {"Authorization": f"Bearer {packcloud.token}"})
    text = log_text.getvalue()
    assert "httpcore.http11 DEBUG" in text and "HTTP Request: GET" in text  # the traffic was logged
    assert packcloud.count() == 10
    assert packcloud.token not in text and "[redacted]" in text
