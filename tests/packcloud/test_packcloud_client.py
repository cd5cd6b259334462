"""The Pack.cloud client end to end against the fake Pack.cloud on loopback: paging through
``next``, each filter, the token, and every way the server can fail."""

from __future__ import annotations

import json
from typing import Any

import pytest

from scanner_app.backends.errors import (
    Offline,
    RateLimited,
    ScopeError,
    ServerError,
    SignInAgain,
    UnexpectedResponse,
)
from scanner_app.backends.packcloud import PackcloudClient
from tests.backends.fake_clock import FakeClock
from tests.backends.fake_packcloud import FakePackcloud, malformed_json, rate_limited, server_error
from tests.backends.loopback_server import Fault, html_page
from tests.packcloud.conftest import MakeClient

LIST = "/v1/organizations/org_7f3a9c/serial-numbers"


def test_pages_are_followed_through_next_until_none(packcloud: FakePackcloud, make_client: MakeClient) -> None:
    packcloud.add_serials(60, "prod-cam")
    pages = list(make_client().serial_pages())
    assert [len(p.serials) for p in pages] == [25, 25, 10]  # the server's page size (the doc's example)
    assert pages[-1].next_url is None and {p.per_page for p in pages} == {25}
    codes = [s.code for p in pages for s in p.serials]
    assert codes == [f"SN-{n:05d}" for n in range(60)]  # each once, in order
    # only what the doc lists is sent; the page cursor is the server's own, from its next links
    assert packcloud.list_calls() == [{}, {"page": "2"}, {"page": "3"}]


@pytest.mark.parametrize("records_key", ["data", "serial_numbers"])
def test_the_records_are_the_one_array_whatever_its_key(packcloud: FakePackcloud, make_client: MakeClient,
                                                        records_key: str) -> None:
    packcloud.records_key = records_key  # the doc does not name it: the client must not depend on it
    packcloud.per_page = 2
    packcloud.add_serials(3, "prod-cam")
    assert [s.code for s in make_client().serial_numbers()] == ["SN-00000", "SN-00001", "SN-00002"]


def _page(**fields: Any) -> Fault:
    body: dict[str, Any] = {"data": [], "prev": None, "next": None, "per_page": 25}
    body.update(fields)
    return Fault(status=200, body=json.dumps({k: v for k, v in body.items() if v != "-"}).encode(), path=LIST)


@pytest.mark.parametrize(("fault", "words"), [
    (_page(next="-"), 'no "next" field'),
    (_page(per_page="-"), '"per_page" must be a positive integer, not None'),
    (_page(per_page="25"), '"per_page" must be a positive integer'),
    (_page(data="-"), "no array of serial numbers"),
    (_page(links=[]), "several arrays (data, links)"),
    (_page(next=7), '"next" is not a link'),
    (_page(per_page=1, data=[{"id": "1", "product_id": "p", "code": "A"}, {"id": "2", "product_id": "p", "code": "B"}]),
     "holds 2 serial numbers but per_page is 1"),
    (Fault(status=200, body=b'[{"id": "1", "product_id": "p", "code": "A"}]', path=LIST), "expected a JSON object"),
])
def test_answers_not_shaped_as_the_doc_says_are_unexpected(packcloud: FakePackcloud, make_client: MakeClient,
                                                            fault: Fault, words: str) -> None:
    packcloud.inject(fault)
    with pytest.raises(UnexpectedResponse) as refused:
        make_client().serial_numbers()
    assert words in str(refused.value)


@pytest.mark.parametrize("style", ["relative", "absolute"])
def test_next_links_keep_the_filters(packcloud: FakePackcloud, make_client: MakeClient, style: str) -> None:
    packcloud.link_style = style
    packcloud.add_serials(7, "prod-cam")
    packcloud.add_serials(5, "prod-lens", prefix="LN")
    serials = make_client().serials_for_product("prod-cam")
    assert len(serials) == 7 and {s.product_id for s in serials} == {"prod-cam"}
    packcloud.per_page = 3
    assert len(list(make_client().serial_pages(product_id="prod-cam"))) == 3
    assert all(c["filter[product_id]"] == "prod-cam" for c in packcloud.list_calls())


def test_each_filter_is_sent_and_mapped(packcloud: FakePackcloud, make_client: MakeClient) -> None:
    packcloud.add_serial("CAM-1", "prod-cam", stock_id="stock-a")
    packcloud.add_serial("CAM-2", "prod-cam", stock_id=None, fulfillment_line_id="fl-9")
    packcloud.add_serial("LEN-1", "prod-lens", stock_id="stock-b")
    client = make_client()
    assert [s.code for s in client.serials_for_product("prod-cam")] == ["CAM-1", "CAM-2"]
    assert [s.code for s in client.serials_in_stock("stock-b")] == ["LEN-1"]
    assert [s.code for s in client.serials_for_product("prod-cam", stock_id="stock-a")] == ["CAM-1"]
    shipped = client.find_serial("  CAM-2 ")
    assert len(shipped) == 1 and shipped[0].shipped and not shipped[0].in_stock
    assert shipped[0].fulfillment_line_id == "fl-9" and shipped[0].serial_id.startswith("sn_")
    assert client.find_serial("NOPE") == [] and client.find_serial("   ") == []
    calls = packcloud.list_calls()
    assert calls[0] == {"filter[product_id]": "prod-cam"}
    assert calls[1] == {"filter[stock_id]": "stock-b"}
    assert calls[2] == {"filter[product_id]": "prod-cam", "filter[stock_id]": "stock-a"}
    assert calls[3] == {"filter[code]": "CAM-2"}
    assert len(calls) == 5  # the blank code asked nothing


def test_the_token_goes_in_the_header_only(packcloud: FakePackcloud, make_client: MakeClient) -> None:
    make_client().serial_numbers()
    request = packcloud.requests[0]
    assert request.headers["authorization"] == f"Bearer {packcloud.token}"
    assert packcloud.token not in request.target and packcloud.credentials_in_url == 0
    assert packcloud.token not in repr(make_client().api._client.auth)


def test_401_is_sign_in_again_and_not_retried(packcloud: FakePackcloud, make_client: MakeClient) -> None:
    with pytest.raises(SignInAgain) as refused:
        make_client(token="pc_live_revoked").find_serial("CAM-1")
    assert "scanner-app login packcloud" in str(refused.value) and "Unauthenticated" in str(refused.value)
    assert refused.value.status == 401 and "pc_live_revoked" not in str(refused.value)
    assert packcloud.count() == 1


def test_another_organisation_is_refused(packcloud: FakePackcloud, make_client: MakeClient) -> None:
    with pytest.raises(ScopeError, match="unauthorized"):
        make_client(settings=packcloud.settings(organization_id="org_other")).serial_numbers()


def test_429_retry_after_is_honoured(packcloud: FakePackcloud, make_client: MakeClient, clock: FakeClock) -> None:
    packcloud.add_serials(3, "prod-cam")
    packcloud.inject(rate_limited(30, path=LIST))
    assert len(make_client().serial_numbers()) == 3
    assert packcloud.count("GET", LIST) == 2
    assert 30 <= max(clock.sleeps) <= 30 * 1.2


def test_429_longer_than_the_policy_allows_is_raised(packcloud: FakePackcloud, make_client: MakeClient) -> None:
    packcloud.inject(rate_limited(3600, path=LIST))
    with pytest.raises(RateLimited) as limited:
        make_client().serial_numbers()
    assert limited.value.retry_after == 3600 and packcloud.count() == 1


def test_malformed_json_and_other_shapes_are_unexpected(packcloud: FakePackcloud, make_client: MakeClient) -> None:
    packcloud.inject(malformed_json(path=LIST))
    with pytest.raises(UnexpectedResponse, match="not JSON"):
        make_client().serial_numbers()
    assert packcloud.count() == 1  # a garbled answer is not asked again
    packcloud.inject(html_page(path=LIST))
    with pytest.raises(UnexpectedResponse, match="text/html"):
        make_client().serial_numbers()
    packcloud.add_serial("CAM-1", "prod-cam")
    packcloud.serials[0]["code"] = None
    with pytest.raises(UnexpectedResponse, match="serial number 0 of the page: missing code"):
        make_client().serial_numbers()


def test_5xx_is_retried(packcloud: FakePackcloud, make_client: MakeClient) -> None:
    packcloud.add_serial("CAM-1", "prod-cam")
    packcloud.inject(server_error(503, path=LIST))
    assert [s.code for s in make_client().serial_numbers()] == ["CAM-1"]
    packcloud.inject(server_error(500, path=LIST, times=5))
    with pytest.raises(ServerError, match="Server Error"):
        make_client().serial_numbers()


def test_next_to_another_server_or_in_a_loop_is_refused(packcloud: FakePackcloud, make_client: MakeClient) -> None:
    packcloud.add_serials(4, "prod-cam")
    packcloud.per_page = 2
    packcloud.link_style = "foreign"
    with pytest.raises(UnexpectedResponse, match=r"another server .collector.example.net"):
        list(make_client().serial_pages(product_id="prod-cam"))
    assert packcloud.count() == 1
    packcloud.link_style = "loop"
    pages = make_client().serial_pages()
    next(pages)
    with pytest.raises(UnexpectedResponse, match="repeats a page"):
        list(pages)


def test_unreachable_server_is_offline(packcloud: FakePackcloud, make_client: MakeClient) -> None:
    settings = packcloud.settings()
    packcloud.stop()
    with pytest.raises(Offline, match="cannot connect"):
        make_client(settings=settings).find_serial("CAM-1")


def test_settings_and_token_are_checked() -> None:
    from scanner_app.config import PackcloudSettings

    with pytest.raises(ValueError, match="organization_id"):
        PackcloudClient(PackcloudSettings(), "pc_token")
    with pytest.raises(ValueError, match="without spaces"):
        PackcloudClient(PackcloudSettings(organization_id="org"), "two words")
    with pytest.raises(ValueError, match="https"):
        PackcloudClient(PackcloudSettings(organization_id="org", api_url="http://api.example.com"), "pc_token")
