"""A 429 holds every thread of a client, not only the one it answered: the vendor counts
the station's requests, so after Retry-After no thread sends anything until that time.

Time is a :class:`SteppedClock`: it moves only when the test moves it, and the test sees
which threads are asleep, so "held" is read off the clock and the server's log of arrival
times, never off the wall clock."""

from __future__ import annotations

import threading
from typing import Any

import httpx

from scanner_app.backends.http import HttpPolicy, JsonHttpClient
from scanner_app.backends.vendor_dialect import VendorDialect
from tests.backends.fake_clock import SteppedClock

RETRY_AFTER = 30.0
# No jitter, so the retry time is exactly Retry-After from the 429; a budget that never
# makes anyone wait on its own, so any wait here is the 429's.
POLICY = HttpPolicy(max_attempts=3, requests_per_minute=6000, burst=100, jitter=0.0, max_retry_after_seconds=60)


class Server:
    """Answers the first GET /a with a 429 (Retry-After: 30) and everything else with 200;
    logs each request's path and the clock's time when it arrived."""

    def __init__(self, clock: SteppedClock) -> None:
        self.clock = clock
        self.seen: list[tuple[str, float]] = []
        self._lock = threading.Lock()

    def __call__(self, request: httpx.Request) -> httpx.Response:
        name = request.url.path.rsplit("/", 1)[-1]
        with self._lock:
            first_a = name == "a" and not self.arrivals("a")
            self.seen.append((name, self.clock.monotonic()))
        self.clock.notify()
        if first_a:
            return httpx.Response(429, headers={"Retry-After": f"{RETRY_AFTER:g}"}, json={"message": "slow down"})
        return httpx.Response(200, json={"path": name})

    def arrivals(self, name: str) -> list[float]:
        return [when for seen, when in self.seen if seen == name]


def test_a_429_on_one_thread_holds_the_other_threads_requests_until_the_retry_time() -> None:
    clock = SteppedClock()
    t0 = clock.monotonic()
    server = Server(clock)
    client = JsonHttpClient("https://api.example.test/v1", dialect=VendorDialect(), policy=POLICY,
                            transport=httpx.MockTransport(server), clock=clock)
    results: dict[str, Any] = {}

    def call(name: str) -> None:
        try:
            results[name] = client.request("GET", f"/{name}")
        except Exception as error:  # noqa: BLE001 (the test compares it below)
            results[name] = error
        finally:
            clock.notify()

    first = threading.Thread(target=call, args=("a",), name="gets-the-429")
    other = threading.Thread(target=call, args=("b",), name="the-other-thread")
    try:
        first.start()
        assert clock.wait_for(lambda: server.arrivals("a") == [t0] and len(clock.sleeping) == 1)
        other.start()  # after the 429, at the same moment
        assert clock.wait_for(lambda: len(clock.sleeping) == 2 or "b" in results)
        assert server.arrivals("b") == [], "the other thread sent its request during the Retry-After"

        clock.advance_to(t0 + RETRY_AFTER - 0.5)  # half a second short: both still held
        assert clock.wait_for(lambda: (len(clock.sleeping) == 2 and min(clock.sleeping) > clock.monotonic())
                              or "b" in results)
        assert server.arrivals("b") == [] and server.arrivals("a") == [t0]

        clock.advance_to(t0 + RETRY_AFTER)
        assert clock.wait_for(lambda: len(results) == 2)
    finally:
        clock.advance_to(t0 + 3600)  # wakes any thread still asleep, whatever failed above
        first.join(10)
        other.join(10)
        client.close()
    assert results == {"a": {"path": "a"}, "b": {"path": "b"}}
    assert server.arrivals("a") == [t0, t0 + RETRY_AFTER]  # sent again at the retry time
    assert server.arrivals("b") == [t0 + RETRY_AFTER]  # the other thread's first request: not before it

