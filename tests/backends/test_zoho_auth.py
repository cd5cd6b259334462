"""Zoho sign-in with an injected transport: the refresh-token request, token caching,
one refresh per rejection, no loops, and Zoho's error answers read into the tree."""

from __future__ import annotations

from urllib.parse import parse_qsl

import httpx
import pytest

from scanner_app.backends.errors import (
    AuthError,
    Conflict,
    NotFound,
    Offline,
    RateLimited,
    ScopeError,
    SignInAgain,
    ValidationError,
)
from scanner_app.backends.zoho import MemoryTokenCache, ZohoClient, ZohoSecrets
from scanner_app.config import ZohoSettings
from tests.backends.conftest import TEST_POLICY
from tests.backends.fake_clock import FakeClock

SETTINGS = ZohoSettings(organization_id="42", client_id="1000.CLIENT", data_center="eu")
SECRETS = ZohoSecrets(client_secret="the-client-secret", refresh_token="1000.the-refresh-token")


class MockZoho:
    """Zoho's two servers as one MockTransport handler, with scripted API answers."""

    def __init__(self, *api_answers: httpx.Response, token_answer: dict[str, object] | None = None,
                 token_status: int = 200) -> None:
        self.api_answers = list(api_answers) or [httpx.Response(200, json={"code": 0, "item": {}})]
        self.token_answer, self.token_status = token_answer, token_status
        self.token_requests: list[httpx.Request] = []
        self.api_requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.url.host == "accounts.zoho.eu":
            self.token_requests.append(request)
            answer = self.token_answer or {"access_token": f"1000.token-{len(self.token_requests)}", "expires_in": 3600}
            return httpx.Response(self.token_status, json=answer)
        assert request.url.host == "www.zohoapis.eu"
        self.api_requests.append(request)
        return self.api_answers[min(len(self.api_requests), len(self.api_answers)) - 1]


def client_for(mock: MockZoho, clock: FakeClock, **options: object) -> ZohoClient:
    return ZohoClient(SETTINGS, SECRETS, transport=httpx.MockTransport(mock), clock=clock, policy=TEST_POLICY,
                      **options)  # type: ignore[arg-type]


def unauthorised() -> httpx.Response:
    return httpx.Response(401, json={"code": 57, "message": "You are not authorized to perform this operation"})


def item_answer() -> httpx.Response:
    return httpx.Response(200, json={"code": 0, "message": "success", "item": {"item_id": "1", "name": "Widget"}})


def test_refresh_sends_credentials_in_the_form_body_only(clock: FakeClock) -> None:
    mock = MockZoho(item_answer())
    with client_for(mock, clock) as client:
        client.get_item("1")
    token_request = mock.token_requests[0]
    assert str(token_request.url) == "https://accounts.zoho.eu/oauth/v2/token"
    assert token_request.headers["content-type"] == "application/x-www-form-urlencoded"
    assert dict(parse_qsl(token_request.content.decode())) == {
        "grant_type": "refresh_token", "client_id": "1000.CLIENT",
        "client_secret": "the-client-secret", "refresh_token": "1000.the-refresh-token",
    }
    api_request = mock.api_requests[0]
    assert api_request.headers["authorization"] == "Zoho-oauthtoken 1000.token-1"
    assert api_request.url.params["organization_id"] == "42"
    assert "token" not in str(api_request.url)


def test_the_access_token_is_reused_until_shortly_before_expiry(clock: FakeClock) -> None:
    mock = MockZoho(item_answer())
    with client_for(mock, clock) as client:
        client.get_item("1")
        clock.advance(3000)
        client.get_item("1")
        assert len(mock.token_requests) == 1
        clock.advance(500)  # 100 s left: inside the refresh margin
        client.get_item("1")
    assert len(mock.token_requests) == 2
    assert mock.api_requests[-1].headers["authorization"] == "Zoho-oauthtoken 1000.token-2"


def test_a_401_refreshes_once_and_sends_again(clock: FakeClock) -> None:
    mock = MockZoho(unauthorised(), item_answer())
    with client_for(mock, clock) as client:
        assert client.get_item("1").name == "Widget"
    assert len(mock.token_requests) == 2 and len(mock.api_requests) == 2
    assert mock.api_requests[1].headers["authorization"] == "Zoho-oauthtoken 1000.token-2"


def test_a_401_again_after_a_fresh_token_is_a_scope_error_not_a_loop(clock: FakeClock) -> None:
    mock = MockZoho(unauthorised())
    with client_for(mock, clock) as client, pytest.raises(ScopeError) as caught:
        client.get_item("1")
    assert len(mock.token_requests) == 2 and len(mock.api_requests) == 2
    assert "not authorized" in str(caught.value) and caught.value.code == 57


def test_a_missing_scope_does_not_use_up_refreshes(clock: FakeClock) -> None:
    mock = MockZoho(unauthorised())
    with client_for(mock, clock) as client:
        for _ in range(5):
            with pytest.raises(ScopeError):
                client.get_item("1")
        assert len(mock.token_requests) == 2  # the first token, and one fresh one after a 401
        clock.advance(301)
        with pytest.raises(ScopeError):
            client.get_item("1")
        assert len(mock.token_requests) == 3  # minutes later, a 401 may be an expiry again


def test_refreshes_are_capped_within_ten_minutes(clock: FakeClock) -> None:
    # tokens that last a minute would otherwise be refreshed every half minute, forever
    mock = MockZoho(item_answer(), token_answer={"access_token": "1000.short-lived", "expires_in": 60})
    with client_for(mock, clock) as client:
        for _ in range(5):
            client.get_item("1")
            clock.advance(31)
        with pytest.raises(AuthError, match="stopped asking Zoho for new access tokens") as caught:
            client.get_item("1")
        assert type(caught.value) is AuthError and "try again in about" in str(caught.value)
        assert len(mock.token_requests) == 5 and len(mock.api_requests) == 5
        clock.advance(600)
        client.get_item("1")
    assert len(mock.token_requests) == 6


def test_a_refused_refresh_token_says_sign_in_again_and_is_not_sent_again(clock: FakeClock) -> None:
    mock = MockZoho(item_answer(), token_answer={"error": "invalid_code"})
    with client_for(mock, clock) as client:
        for _ in range(3):
            with pytest.raises(SignInAgain) as caught:
                client.get_item("1")
    assert "sign in again" in str(caught.value) and caught.value.code == "invalid_code"
    assert len(mock.token_requests) == 1 and not mock.api_requests


def test_an_unreachable_accounts_server_does_not_use_up_refreshes(clock: FakeClock) -> None:
    mock = MockZoho(item_answer())
    down = {"left": 12}

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.host == "accounts.zoho.eu" and down["left"] > 0:
            down["left"] -= 1
            raise httpx.ConnectError("[Errno 111] Connection refused")
        return mock(request)

    with ZohoClient(SETTINGS, SECRETS, transport=httpx.MockTransport(handler), clock=clock,
                    policy=TEST_POLICY) as client:
        for _ in range(4):  # 3 attempts each, the token request sent once per attempt
            with pytest.raises(Offline, match=r"cannot connect to accounts.zoho.eu"):
                client.get_item("1")
        assert down["left"] == 0
        assert client.get_item("1").name == "Widget"


def test_zohos_token_rate_limit_is_not_retried(clock: FakeClock) -> None:
    denied = {"error": "Access Denied", "status": "failure",
              "error_description": "You have made too many requests continuously. Please try again after some time."}
    mock = MockZoho(item_answer(), token_answer=denied, token_status=400)
    with client_for(mock, clock) as client, pytest.raises(RateLimited) as caught:
        client.get_item("1")
    assert len(mock.token_requests) == 1 and caught.value.retry_after is not None and caught.value.retry_after >= 600
    assert "try again in a few minutes" in str(caught.value)


def test_a_saved_token_serves_a_second_client(clock: FakeClock) -> None:
    cache, mock = MemoryTokenCache(), MockZoho(item_answer())
    for _ in range(2):
        with client_for(mock, clock, token_cache=cache) as client:
            client.get_item("1")
    assert len(mock.token_requests) == 1


@pytest.mark.parametrize(
    "status, body, expected",
    [
        (200, {"code": 2, "message": "Invalid value passed for item_id"}, ValidationError),
        (400, {"code": 1001, "message": "Batch number B-1 already exists"}, Conflict),
        (400, {"code": 9999, "message": "This serial number already exists."}, Conflict),
        (404, {"code": 1002, "message": "Item does not exist."}, NotFound),
        (200, {"code": "1002", "message": "Item does not exist."}, NotFound),
        (401, {"code": 6041, "message": "This user is not associated with the CompanyID/CompanyName:42."}, AuthError),
    ],
)
def test_zoho_envelope_codes_map_to_the_tree(clock: FakeClock, status: int, body: dict[str, object],
                                              expected: type[Exception]) -> None:
    mock = MockZoho(httpx.Response(status, json=body))
    with client_for(mock, clock) as client, pytest.raises(expected) as caught:
        client.get_item("1")
    assert type(caught.value) is expected
    assert caught.value.vendor_message == body["message"] and str(caught.value).startswith("Zoho Inventory: ")
    assert len(mock.token_requests) == 1  # none of these is about the token


def test_ids_cannot_reach_another_path(clock: FakeClock) -> None:
    mock = MockZoho(item_answer())
    with client_for(mock, clock) as client:
        client.get_item("../bundles/7")
    assert mock.api_requests[0].url.raw_path.startswith(b"/inventory/v1/items/..%2Fbundles%2F7?")


def test_secrets_are_not_in_reprs() -> None:
    assert "the-client-secret" not in repr(SECRETS) and "refresh-token" not in repr(SECRETS)
