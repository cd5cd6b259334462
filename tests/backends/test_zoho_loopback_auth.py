"""End to end against the fake Zoho on loopback: signing in, token expiry, threads
sharing one refresh, a refused refresh token, the refresh cap, the wrong organisation."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest

from scanner_app.backends.errors import AuthError, BackendError, ScopeError, SignInAgain
from scanner_app.backends.zoho import ZohoClient
from tests.backends.fake_clock import FakeClock
from tests.backends.fake_zoho import FakeZoho

MakeClient = Callable[..., ZohoClient]


def test_expired_token_is_refreshed_exactly_once_and_the_call_sent_again(zoho: FakeZoho, make_client: MakeClient) -> None:
    item = zoho.inventory.add_item("Widget", sku="W-1")
    client = make_client()
    assert client.get_item(item["item_id"]).sku == "W-1"
    zoho.expire_tokens()
    assert client.get_item(item["item_id"]).name == "Widget"
    assert zoho.refresh_count == 2
    assert zoho.count("GET", "/inventory/v1/items/") == 3  # the refused call, sent once more
    assert zoho.credentials_in_url == 0


def test_threads_whose_token_expired_share_one_refresh(zoho: FakeZoho, make_client: MakeClient) -> None:
    item = zoho.inventory.add_item("Widget")
    client = make_client()
    client.get_item(item["item_id"])
    zoho.expire_tokens()
    start, errors = threading.Barrier(8), []

    def fetch() -> None:
        start.wait()
        try:
            client.get_item(item["item_id"])
        except BackendError as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=fetch) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert zoho.refresh_count == 2  # the first sign-in, and one refresh for all eight threads


def test_refused_refresh_token_says_sign_in_again(zoho: FakeZoho, make_client: MakeClient) -> None:
    item = zoho.inventory.add_item("Widget")
    client = make_client()
    client.get_item(item["item_id"])
    zoho.refuse_refresh_token()
    zoho.expire_tokens()
    for _ in range(3):
        with pytest.raises(SignInAgain) as caught:
            client.get_item(item["item_id"])
    assert "sign in again" in str(caught.value)
    assert zoho.count("POST", "/oauth/v2/token") == 2  # the refused token was not sent again


def test_wrong_client_secret_says_sign_in_again(zoho: FakeZoho, make_client: MakeClient) -> None:
    client = make_client(secrets=zoho.secrets(client_secret="not-the-secret"))
    with pytest.raises(SignInAgain):
        client.item_details(["1"])
    assert zoho.count(path_prefix="/inventory") == 0


def test_short_lived_tokens_never_loop_into_zohos_block(zoho: FakeZoho, make_client: MakeClient,
                                                       clock: FakeClock) -> None:
    zoho.token_lifetime = 60  # each token is "about to expire" half a minute after it came
    item = zoho.inventory.add_item("Widget")
    client = make_client()
    outcomes = []
    for _ in range(12):
        try:
            client.get_item(item["item_id"])
            outcomes.append("ok")
        except AuthError as exc:
            outcomes.append(str(exc))
        clock.advance(31)
    assert outcomes[:5] == ["ok"] * 5
    assert all("stopped asking Zoho" in o for o in outcomes[5:])
    assert zoho.refresh_count == 5  # Zoho blocks the refresh token at 10 in 10 minutes


def test_missing_scope_is_a_scope_error_after_one_fresh_token(zoho: FakeZoho, make_client: MakeClient) -> None:
    composite = zoho.inventory.add_composite("Kit", [(zoho.inventory.add_item("Part")["item_id"], 2)])
    zoho.deny_scope("/bundles")
    client = make_client()
    for _ in range(3):
        with pytest.raises(ScopeError) as caught:
            client.bundles(composite["composite_item_id"])
    assert caught.value.code == 57 and caught.value.status == 401
    assert zoho.refresh_count == 2
    zoho.expire_tokens()  # other kinds of call still refresh an expired token
    assert client.get_composite_item(composite["composite_item_id"]).name == "Kit"
    assert zoho.refresh_count == 3


def test_wrong_organization_gives_zohos_message_without_refreshing(zoho: FakeZoho, make_client: MakeClient) -> None:
    client = make_client(settings=zoho.settings(organization_id="999"))
    with pytest.raises(AuthError) as caught:
        list(client.item_pages())
    assert type(caught.value) is AuthError
    assert caught.value.vendor_message == "This user is not associated with the CompanyID/CompanyName:999."
    assert caught.value.code == 6041 and "CompanyID" in str(caught.value)
    assert zoho.refresh_count == 1
