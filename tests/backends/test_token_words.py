"""True words from the token endpoint (against the fake Zoho on loopback): a server that
failed (HTTP 5xx, whatever its body) or could not be reached did not judge the credentials;
only an invalid_client / invalid_code / invalid_grant answer says they were refused."""

from __future__ import annotations

import json
import socket
from collections.abc import Callable

import pytest

from scanner_app.backends.errors import AuthError, Offline, ServerError, SignInAgain
from scanner_app.backends.zoho import ZohoClient
from scanner_app.sync.wording import explain_sync_error
from tests.backends.fake_zoho import TOKEN_PATH, FakeZoho
from tests.backends.loopback_server import Fault

MakeClient = Callable[..., ZohoClient]
NOT_JUDGED = ("Zoho's sign-in server failed (HTTP {status}) and did not judge the client secret or refresh token; "
              "nothing needs to change here: try again later")


@pytest.mark.parametrize("status, body", [
    (500, {"error": "invalid_client"}),  # a failing server's body says nothing about the credentials
    (500, {"error": "internal_error"}),
    (502, None),
    (503, {"error_description": "maintenance"}),
])
def test_a_failing_token_server_did_not_judge_the_credentials(zoho: FakeZoho, make_client: MakeClient,
                                                                 status: int, body: object) -> None:
    item = zoho.inventory.add_item("Widget")
    raw = b"<html>Bad gateway</html>" if body is None else json.dumps(body).encode()
    zoho.inject(Fault(status=status, body=raw, path=TOKEN_PATH, method="POST", times=10))  # GETs are retried
    with pytest.raises(ServerError) as failed:
        make_client().get_item(item["item_id"])
    assert not isinstance(failed.value, AuthError)
    assert failed.value.message == NOT_JUDGED.format(status=status)
    words = explain_sync_error(failed.value)
    assert "refused" not in words and "did not judge the client secret or refresh token" in words


@pytest.mark.parametrize("error", ["invalid_client", "invalid_code", "invalid_grant", "invalid_client_secret"])
def test_only_a_refusal_of_the_credentials_says_so(zoho: FakeZoho, make_client: MakeClient, error: str) -> None:
    item = zoho.inventory.add_item("Widget")
    zoho.inject(Fault(status=400, body=json.dumps({"error": error}).encode(), path=TOKEN_PATH, method="POST"))
    with pytest.raises(SignInAgain) as refused:
        make_client().get_item(item["item_id"])
    assert refused.value.message == "Zoho refused the saved sign-in (refresh token or client secret): sign in again"


def test_another_token_error_is_zohos_words_not_a_refusal_of_the_credentials(zoho: FakeZoho,
                                                                           make_client: MakeClient) -> None:
    item = zoho.inventory.add_item("Widget")
    body = {"error": "invalid_redirect_uri", "error_description": "the redirect URI does not match"}
    zoho.inject(Fault(status=400, body=json.dumps(body).encode(), path=TOKEN_PATH, method="POST"))
    with pytest.raises(AuthError) as refused:
        make_client().get_item(item["item_id"])
    assert not isinstance(refused.value, SignInAgain)
    assert refused.value.message == "Zoho's sign-in refused the token request: the redirect URI does not match"


def test_an_unreachable_token_server_did_not_judge_the_credentials(zoho: FakeZoho, make_client: MakeClient) -> None:
    with socket.socket() as probe:  # a loopback port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = make_client(settings=zoho.settings(accounts_url=f"http://127.0.0.1:{port}"))
    with pytest.raises(Offline) as offline:
        client.get_item("1")
    assert offline.value.message.startswith("cannot connect to 127.0.0.1")
    assert offline.value.message.endswith("; Zoho's sign-in could not be reached, so the client secret and refresh "
                                          "token were not judged")
