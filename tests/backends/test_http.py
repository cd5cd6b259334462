"""The shared JSON client with an injected transport: retries only where safe, 429s
waited out, errors mapped to the one tree, TLS always verified, calls paced."""

from __future__ import annotations

import inspect
import ssl
import threading
import time
from collections.abc import Callable

import httpx
import pytest

from scanner_app.backends.errors import (
    AuthError,
    Conflict,
    NotFound,
    Offline,
    RateLimited,
    ScopeError,
    ServerError,
    UnexpectedResponse,
    ValidationError,
)
from scanner_app.backends.http import HttpPolicy, JsonHttpClient
from scanner_app.backends.pacing import RequestBudget
from scanner_app.backends.vendor_dialect import VendorDialect
from tests.backends.fake_clock import FakeClock

POLICY = HttpPolicy(max_attempts=3, backoff_seconds=1.0, max_backoff_seconds=8.0, max_retry_after_seconds=60,
                    requests_per_minute=6000, burst=100)
Handler = Callable[[httpx.Request], httpx.Response]


def make_client(handler: Handler, clock: FakeClock, **policy: object) -> JsonHttpClient:
    chosen = HttpPolicy(**{**POLICY.__dict__, **policy})  # type: ignore[arg-type]
    return JsonHttpClient("https://api.example.test/v1", dialect=VendorDialect(), policy=chosen,
                          transport=httpx.MockTransport(handler), clock=clock)


class Script:
    """Answers in turn (the last one repeats), counting the calls."""

    def __init__(self, *answers: httpx.Response | Exception) -> None:
        self.answers = list(answers)
        self.calls: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.calls.append(request)
        answer = self.answers[min(len(self.calls), len(self.answers)) - 1]
        if isinstance(answer, Exception):
            raise answer
        return answer


OK = httpx.Response(200, json={"fine": True})


def test_returns_the_json_body(clock: FakeClock) -> None:
    script = Script(OK)
    with make_client(script, clock) as client:
        assert client.request("GET", "/things", params={"q": "x"}) == {"fine": True}
    assert str(script.calls[0].url) == "https://api.example.test/v1/things?q=x"


def test_429_waits_retry_after_with_jitter_then_sends_again(clock: FakeClock) -> None:
    script = Script(httpx.Response(429, headers={"Retry-After": "30"}, json={"message": "slow down"}), OK)
    with make_client(script, clock) as client:
        assert client.request("POST", "/things", json={}) == {"fine": True}
    assert len(script.calls) == 2  # a 429 is retried even for a POST: nothing was done
    assert 30 <= clock.slept <= 30 * 1.2


def test_429_with_an_http_date_retry_after(clock: FakeClock) -> None:
    when = httpx.Headers({"Retry-After": time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(clock.time() + 20))})
    script = Script(httpx.Response(429, headers=when), OK)
    with make_client(script, clock) as client:
        client.request("GET", "/things")
    assert 19 <= clock.slept <= 20 * 1.2 + 1


def test_a_long_retry_after_is_raised_not_slept(clock: FakeClock) -> None:
    script = Script(httpx.Response(429, headers={"Retry-After": "3600"}, json={"message": "daily limit"}))
    with make_client(script, clock) as client, pytest.raises(RateLimited) as caught:
        client.request("GET", "/things")
    assert caught.value.retry_after == 3600
    assert caught.value.vendor_message == "daily limit" and not caught.value.maybe_applied
    assert len(script.calls) == 1 and clock.slept == 0


def test_429_without_retry_after_backs_off_and_gives_up(clock: FakeClock) -> None:
    script = Script(httpx.Response(429))
    with make_client(script, clock) as client, pytest.raises(RateLimited):
        client.request("GET", "/things")
    assert len(script.calls) == 3
    assert 0 < clock.slept <= 1 + 2


def test_5xx_is_retried_for_a_get(clock: FakeClock) -> None:
    script = Script(httpx.Response(503), httpx.Response(502), OK)
    with make_client(script, clock) as client:
        assert client.request("GET", "/things") == {"fine": True}
    assert len(script.calls) == 3
    assert len(clock.sleeps) == 2 and 0.5 <= clock.sleeps[0] <= 1 and 1 <= clock.sleeps[1] <= 2


def test_5xx_is_not_retried_for_a_post_and_may_have_been_applied(clock: FakeClock) -> None:
    script = Script(httpx.Response(500, json={"message": "internal error"}), OK)
    with make_client(script, clock) as client, pytest.raises(ServerError) as caught:
        client.request("POST", "/things", json={"a": 1})
    assert len(script.calls) == 1
    assert caught.value.maybe_applied and caught.value.status == 500
    assert "internal error" in str(caught.value) and "POST /things" in str(caught.value)


def test_a_post_marked_safe_is_retried(clock: FakeClock) -> None:
    script = Script(httpx.Response(500), OK)
    with make_client(script, clock) as client:
        client.request("POST", "/things/1/active", safe_to_repeat=True)
    assert len(script.calls) == 2


def test_5xx_gives_up_after_max_attempts(clock: FakeClock) -> None:
    script = Script(httpx.Response(500))
    with make_client(script, clock) as client, pytest.raises(ServerError) as caught:
        client.request("GET", "/things")
    assert len(script.calls) == 3 and not caught.value.maybe_applied


def test_timeout_on_a_get_is_retried(clock: FakeClock) -> None:
    script = Script(httpx.ReadTimeout("timed out"), OK)
    with make_client(script, clock) as client:
        assert client.request("GET", "/things") == {"fine": True}
    assert len(script.calls) == 2


def test_timeout_on_a_post_is_offline_maybe_applied_and_not_retried(clock: FakeClock) -> None:
    script = Script(httpx.ReadTimeout("timed out"), OK)
    with make_client(script, clock) as client, pytest.raises(Offline) as caught:
        client.request("POST", "/things", json={"a": 1})
    assert len(script.calls) == 1
    assert caught.value.maybe_applied
    assert "no answer from api.example.test" in str(caught.value)


def test_dropped_connection_on_a_post_is_maybe_applied(clock: FakeClock) -> None:
    script = Script(httpx.RemoteProtocolError("Server disconnected without sending a response."), OK)
    with make_client(script, clock) as client, pytest.raises(Offline) as caught:
        client.request("POST", "/things", json={})
    assert caught.value.maybe_applied and len(script.calls) == 1


def test_a_connection_never_made_is_retried_even_for_a_post(clock: FakeClock) -> None:
    script = Script(httpx.ConnectError("[Errno 111] Connection refused"), OK)
    with make_client(script, clock) as client:
        client.request("POST", "/things", json={})
    assert len(script.calls) == 2


def test_refused_connection_is_offline_and_certainly_not_applied(clock: FakeClock) -> None:
    script = Script(httpx.ConnectError("[Errno 111] Connection refused"))
    with make_client(script, clock) as client, pytest.raises(Offline) as caught:
        client.request("POST", "/things", json={})
    assert not caught.value.maybe_applied and "cannot connect" in str(caught.value)


def test_malformed_json_is_a_clear_error_without_the_body(clock: FakeClock) -> None:
    script = Script(httpx.Response(200, content=b'{"access_token": "1000.secretpart', headers={
        "Content-Type": "application/json"}))
    with make_client(script, clock) as client, pytest.raises(UnexpectedResponse) as caught:
        client.request("GET", "/things")
    text = str(caught.value)
    assert "not JSON" in text and "application/json" in text and "secretpart" not in text
    assert len(script.calls) == 1


@pytest.mark.parametrize(
    "status, expected",
    [(400, ValidationError), (401, AuthError), (403, ScopeError), (404, NotFound), (409, Conflict),
     (422, ValidationError), (500, ServerError)],
)
def test_http_status_maps_to_the_tree(clock: FakeClock, status: int, expected: type[Exception]) -> None:
    script = Script(httpx.Response(status, json={"message": "vendor words"}))
    with make_client(script, clock) as client, pytest.raises(expected) as caught:
        client.request("PUT", "/things/1", json={})
    assert type(caught.value) is expected and caught.value.vendor_message == "vendor words"


def test_an_html_error_page_still_maps_by_status(clock: FakeClock) -> None:
    script = Script(httpx.Response(404, html="<html>nope</html>"))
    with make_client(script, clock) as client, pytest.raises(NotFound) as caught:
        client.request("GET", "/things/9")
    assert caught.value.message == "not found"


def test_a_redirect_is_not_followed(clock: FakeClock) -> None:
    script = Script(httpx.Response(302, headers={"Location": "https://login.example.test/portal"}, json={}))
    with make_client(script, clock) as client, pytest.raises(UnexpectedResponse, match="redirected the call to login"):
        client.request("GET", "/things")
    assert len(script.calls) == 1


def test_plain_http_is_refused_except_to_loopback() -> None:
    with pytest.raises(ValueError, match="https"):
        JsonHttpClient("http://api.example.test", dialect=VendorDialect())
    JsonHttpClient("http://127.0.0.1:9", dialect=VendorDialect()).close()


def test_calls_never_go_to_another_host(clock: FakeClock) -> None:
    script = Script(OK)
    with make_client(script, clock) as client, pytest.raises(ValueError, match="refusing"):
        client.request("GET", "https://elsewhere.test/things")
    assert not script.calls


def test_tls_verification_is_always_on() -> None:
    assert "verify" not in inspect.signature(JsonHttpClient).parameters
    with JsonHttpClient("https://api.example.test", dialect=VendorDialect()) as client:
        assert client.ssl_context.verify_mode == ssl.CERT_REQUIRED
        assert client.ssl_context.check_hostname


def test_request_budget_paces_after_the_burst(clock: FakeClock) -> None:
    budget = RequestBudget(requests_per_minute=60, burst=3, clock=clock)
    waits = [budget.acquire() for _ in range(5)]
    assert waits[:3] == [0, 0, 0]
    assert waits[3] == pytest.approx(1.0) and waits[4] == pytest.approx(1.0)
    budget.hold(10)
    assert budget.acquire() == pytest.approx(10.0)


def test_request_budget_does_not_spin_on_a_rounding_remainder(clock: FakeClock) -> None:
    # 90/min refills 1.5 tokens per second; after many 0.2 s steps the bucket holds a hair
    # under one token, whose femtosecond wait cannot move a clock at 1000 s (it spun forever).
    budget = RequestBudget(requests_per_minute=90, burst=5, clock=clock)
    done = threading.Event()

    def run() -> None:
        for _ in range(3000):
            budget.acquire()
            clock.advance(0.2)
        done.set()

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(10)
    assert done.is_set(), "acquire() spun on a rounding remainder"
    assert max(clock.sleeps) < 1.0 and len(clock.sleeps) < 3000  # paced, never spinning


def test_concurrency_is_capped() -> None:
    in_flight, peak, lock = 0, 0, threading.Lock()

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal in_flight, peak
        with lock:
            in_flight += 1
            peak = max(peak, in_flight)
        time.sleep(0.02)
        with lock:
            in_flight -= 1
        return OK

    client = JsonHttpClient("https://api.example.test", dialect=VendorDialect(), transport=httpx.MockTransport(handler),
                            policy=HttpPolicy(max_concurrent=2, requests_per_minute=6000, burst=100))
    threads = [threading.Thread(target=client.request, args=("GET", "/x")) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    client.close()
    assert peak == 2
