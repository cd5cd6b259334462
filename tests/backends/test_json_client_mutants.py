"""What the shared JSON client says when a vendor call fails, and which calls it refuses to
send (issue #14, mutation testing).

``backends/http.py`` fails only with the backends' exceptions, each saying in words what
happened, for which backend and which call (``POST /things``, the path without the base
path or the query), and whether the vendor may have applied it:

- no answer within the timeout (the request was sent: a POST may have been applied);
- could not connect in time, or at all (nothing was sent: certainly not applied);
- the server's TLS certificate is not trusted;
- the connection dropped before the answer came (sent: a POST may have been applied);
- a redirect (never followed: it could carry the credentials elsewhere), naming the host;
- an answer that is not JSON, or empty (a 204 is a fine empty answer).

A call goes only to ``base_url``'s scheme, host and port; ``base_url`` must be https (or
http to this machine).
"""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from scanner_app.backends.errors import (
    BackendError,
    NotFound,
    Offline,
    RateLimited,
    UnexpectedResponse,
    ValidationError,
)
from scanner_app.backends.http import HttpPolicy, JsonHttpClient, check_base_url
from scanner_app.backends.vendor_dialect import VendorDialect
from tests.backends.fake_clock import FakeClock

BASE = "https://api.example.test/v1"
HOST = "api.example.test"
ONCE = HttpPolicy(max_attempts=1, timeout_seconds=12.5, requests_per_minute=6000, burst=100)


class Dialect(VendorDialect):
    name = "Vendor"


def client(answer: Callable[[httpx.Request], httpx.Response], base: str = BASE) -> JsonHttpClient:
    return JsonHttpClient(base, dialect=Dialect(), policy=ONCE, transport=httpx.MockTransport(answer),
                          clock=FakeClock())


def raising(exc: Exception) -> Callable[[httpx.Request], httpx.Response]:
    def answer(request: httpx.Request) -> httpx.Response:
        raise exc
    return answer


def failure(method: str, answer: Callable[[httpx.Request], httpx.Response], path: str = "/things?id=7") -> BackendError:
    with client(answer) as c, pytest.raises(BackendError) as raised:
        c.request(method, path, json={} if method == "POST" else None)
    return raised.value


@pytest.mark.parametrize(
    ("method", "exc", "message", "maybe_applied"),
    [
        ("POST", httpx.ReadTimeout("slow"), f"no answer from {HOST} within 12.5 s", True),
        ("GET", httpx.ReadTimeout("slow"), f"no answer from {HOST} within 12.5 s", False),
        ("POST", httpx.ConnectTimeout("slow"), f"could not connect to {HOST} in time", False),
        ("POST", httpx.ConnectError("[SSL: CERTIFICATE_VERIFY_FAILED] bad"),
         f"the TLS certificate of {HOST} is not trusted ([SSL: CERTIFICATE_VERIFY_FAILED] bad)", False),
        ("POST", httpx.RemoteProtocolError("peer closed"),
         f"the connection to {HOST} dropped before the answer came (peer closed)", True),
        ("POST", httpx.ConnectError("refused"), f"cannot connect to {HOST} (refused)", False),
    ],
)
def test_no_answer_says_what_happened_to_which_call(method: str, exc: Exception, message: str,
                                                    maybe_applied: bool) -> None:
    error = failure(method, raising(exc))
    assert isinstance(error, Offline)
    assert (error.message, error.backend, error.operation, error.maybe_applied) == (
        message, "Vendor", f"{method} /things", maybe_applied)
    assert str(error) == f"Vendor: {message} ({method} /things)"


def test_a_broken_compressed_answer_is_unexpected_and_a_post_may_have_been_applied() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"Content-Encoding": "gzip"}, content=b"not gzip at all")
    for method, maybe_applied in (("POST", True), ("GET", False)):
        error = failure(method, answer)
        assert isinstance(error, UnexpectedResponse)
        assert error.message.startswith("the answer could not be decoded (")
        assert (error.backend, error.operation, error.maybe_applied) == ("Vendor", f"{method} /things", maybe_applied)


@pytest.mark.parametrize(("location", "where"), [("https://login.example.org/x", "login.example.org"),
                                                 ("/elsewhere", "elsewhere"), (None, "elsewhere")])
def test_a_redirect_is_refused_naming_where_it_pointed(location: str | None, where: str) -> None:
    headers = {} if location is None else {"Location": location}
    error = failure("GET", lambda request: httpx.Response(302, headers=headers))
    assert isinstance(error, UnexpectedResponse)
    assert (error.message, error.status, error.operation, error.backend) == (
        f"the server redirected the call to {where}", 302, "GET /things", "Vendor")


def test_every_3xx_is_a_redirect_not_an_answer() -> None:
    error = failure("GET", lambda request: httpx.Response(300, json={"choices": []}))
    assert isinstance(error, UnexpectedResponse)
    assert error.message == "the server redirected the call to elsewhere"


@pytest.mark.parametrize(("status", "content_type", "body", "words"), [
    (200, "text/html; charset=utf-8", b"<html>hi</html>", "text/html, 15 bytes, invalid at byte 0"),
    (200, None, b"{", "no content type, 1 bytes, invalid at byte 1"),
    (200, "application/json", b"  ", "an empty answer"),
    (200, "application/json", b"\x80abc", "application/json, 4 bytes"),  # not even text: no position
])
def test_an_answer_that_is_not_json_says_what_it_was_without_quoting_it(
        status: int, content_type: str | None, body: bytes, words: str) -> None:
    headers = {} if content_type is None else {"Content-Type": content_type}
    error = failure("POST", lambda request: httpx.Response(status, headers=headers, content=body))
    assert isinstance(error, UnexpectedResponse)
    assert (error.message, error.status, error.maybe_applied, error.backend) == (
        f"the answer was not JSON ({words})", status, True, "Vendor")


def test_an_error_status_without_json_is_told_by_the_status() -> None:
    error = failure("POST", lambda request: httpx.Response(400, content=b"<html>Bad Request</html>"))
    assert isinstance(error, ValidationError)
    assert (error.message, error.status, error.backend) == ("the server refused the request", 400, "Vendor")


def test_a_429_given_up_says_which_call_and_when_to_try() -> None:
    error = failure("GET", lambda request: httpx.Response(429, headers={"Retry-After": "7"},
                                                          json={"code": 4290, "message": "Too many calls"}))
    assert isinstance(error, RateLimited)
    assert (error.retry_after, error.backend, error.operation, error.status) == (7.0, "Vendor", "GET /things", 429)
    assert (error.code, error.vendor_message, error.message) == (4290, "Too many calls", "Too many calls")


def test_a_204_is_an_empty_answer_not_an_error() -> None:
    with client(lambda request: httpx.Response(204)) as c:
        assert c.request("DELETE", "/things/7") is None


def test_the_operation_is_the_path_below_the_base_path() -> None:
    assert failure("GET", raising(httpx.ConnectError("x")), path="/v2/other").operation == "GET /v2/other"
    # an absolute URL on the same host, outside the base path: its whole path
    assert failure("GET", raising(httpx.ConnectError("x")), path=f"https://{HOST}/other").operation == "GET /other"
    with client(raising(httpx.ConnectError("x")), base="https://api.example.test/apiX") as c, \
            pytest.raises(Offline) as raised:
        c.request("GET", "/things")
    assert raised.value.operation == "GET /things"
    with client(raising(httpx.ConnectError("x")), base="https://api.example.test/") as c, \
            pytest.raises(Offline) as raised:
        c.request("get", "/things")
    assert raised.value.operation == "GET /things"


@pytest.mark.parametrize("url", ["http://api.example.test/v1/x", "https://api.example.test:8443/v1/x",
                                 "https://other.example.test/v1/x"])
def test_a_call_elsewhere_than_the_base_url_is_not_sent(url: str) -> None:
    sent: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json={})
    with client(answer) as c, pytest.raises(ValueError, match=r"^refusing to send a call for api.example.test to "):
        c.request("GET", url)
    assert sent == []


@pytest.mark.parametrize("url", ["http://127.0.0.1:8080/", "http://localhost/", "http://[::1]:9000/",
                                 "https://api.example.test/"])
def test_https_or_plain_http_to_this_machine(url: str) -> None:
    assert str(check_base_url(url)) == url


@pytest.mark.parametrize("url", ["http://api.example.test/", "ftp://127.0.0.1/"])
def test_anything_else_is_refused(url: str) -> None:
    with pytest.raises(ValueError, match=r"must be an https:// URL.*\(secrets are only sent over TLS\)"):
        check_base_url(url)


def test_a_vendor_error_keeps_its_code_and_words() -> None:
    error = failure("GET", lambda request: httpx.Response(404, json={"code": 1002, "message": "Item does not exist"}))
    assert isinstance(error, NotFound)
    assert (error.message, error.code, error.vendor_message, error.status, error.backend, error.operation) == (
        "Item does not exist", 1002, "Item does not exist", 404, "Vendor", "GET /things")
    assert error.maybe_applied is False


def test_every_call_asks_for_json_and_names_the_station() -> None:
    sent: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json={"ok": True})
    with client(answer) as c:
        assert c.request("GET", "/things") == {"ok": True}
    assert sent[0].headers["Accept"] == "application/json"
    assert sent[0].headers["User-Agent"] == "scanner-app"
