"""The outbox against the fake Zoho on loopback, through the real ZohoClient and the relay's
thread: success, a serial Zoho refuses, a 429 storm, token expiry, sign in again, the
connection dropped after Zoho applied a mapping, and the network gone then back."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import httpx
import pytest

from scanner_app.backends.zoho import ZohoClient
from scanner_app.outbox import (
    SERIAL_VALIDATE_AND_MAP,
    Outbox,
    OutboxRelay,
    PickedSerial,
    RelayStatus,
    enqueue_serial_mappings,
    group_serial_mappings,
    zoho_target,
)
from scanner_app.outbox.zoho_serials import ZohoSerialMappingDeliverer
from tests.backends.conftest import TEST_POLICY as HTTP_POLICY
from tests.backends.fake_clock import FakeClock
from tests.backends.fake_zoho import FakeZoho, dropped_connection, rate_limited, server_error

MAP_PATH = "/inventory/v1/items/{}/serialnumber/validateandmap"
FLUSH_S = 15.0


class SwitchableNetwork(httpx.HTTPTransport):
    """Real HTTP to the loopback server, or no network at all while ``down``."""

    down = False

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if self.down:
            raise httpx.ConnectError("[Errno 101] Network is unreachable", request=request)
        return super().handle_request(request)


@pytest.fixture
def drill(zoho: FakeZoho) -> str:
    item_id = str(zoho.inventory.add_item("Drill", track_serial_number=True)["item_id"])
    for n in range(1, 7):
        zoho.inventory.add_serial(item_id, f"SN-{n}")
    zoho.inventory.add_serial(item_id, "SN-SHIPPED", is_transacted_out=True)
    return item_id


@pytest.fixture
def network() -> SwitchableNetwork:
    return SwitchableNetwork()


@pytest.fixture
def clients(zoho: FakeZoho, network: SwitchableNetwork) -> Iterator[list[ZohoClient]]:
    """The client the deliverer uses is ``clients[-1]`` (a new one after a new sign-in)."""
    made = [ZohoClient(zoho.settings(), zoho.secrets(), transport=network, clock=FakeClock(), policy=HTTP_POLICY)]
    yield made
    for client in made:
        client.close()


@pytest.fixture
def relay(make_relay: Callable[..., OutboxRelay], zoho: FakeZoho,
          clients: list[ZohoClient]) -> Iterator[OutboxRelay]:
    deliverer = ZohoSerialMappingDeliverer(lambda: clients[-1])
    made = make_relay(target=zoho_target(zoho.organization_id), deliverers={SERIAL_VALIDATE_AND_MAP: deliverer})
    yield made
    made.stop()  # before its clients are closed and the server stops


def eventually(condition: Callable[[], bool], timeout: float = FLUSH_S) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the condition never came true"
        time.sleep(0.01)


def dispatch(outbox: Outbox, relay: OutboxRelay, item_id: str, *serials: str, bin_id: str | None = "B1",
             order: str = "SO-1") -> list[int]:
    picked = [PickedSerial(item_id, s, bin_id) for s in serials]
    with outbox.store.transaction() as conn:
        ids = enqueue_serial_mappings(outbox, conn, relay.target,
                                      group_serial_mappings("salesorder", order, "W1", picked))
    outbox.announce(ids)
    return ids


def states(outbox: Outbox, ids: list[int]) -> list[str]:
    return [outbox.get(i).state for i in ids]


def mapped(zoho: FakeZoho) -> list[tuple[str, ...]]:
    return [tuple(m["serial_numbers"]) for m in zoho.inventory.serial_mappings]


def test_success_one_call_per_item_and_bin(zoho: FakeZoho, drill: str, outbox: Outbox, relay: OutboxRelay) -> None:
    relay.start()
    picked = [PickedSerial(drill, "SN-1", "B1"), PickedSerial(drill, "SN-2", "B2"), PickedSerial(drill, "SN-3", "B1")]
    with outbox.store.transaction() as conn:
        ids = enqueue_serial_mappings(outbox, conn, relay.target,
                                      group_serial_mappings("salesorder", "SO-1", "W1", picked))
    outbox.announce(ids)
    assert relay.flush(FLUSH_S) == []
    assert states(outbox, ids) == ["delivered", "delivered"]
    assert [(m["serial_numbers"], m["location_id"], m["entity_id"], m["warehouse_id"])
            for m in zoho.inventory.serial_mappings] == [(["SN-1", "SN-3"], "B1", "SO-1", "W1"),
                                                         (["SN-2"], "B2", "SO-1", "W1")]
    assert zoho.count("POST", MAP_PATH.format(drill)) == 2


def test_a_serial_zoho_refuses_fails_with_zohos_message(zoho: FakeZoho, drill: str, outbox: Outbox,
                                                        relay: OutboxRelay) -> None:
    relay.start()
    refused = dispatch(outbox, relay, drill, "SN-1", "SN-SHIPPED")
    later = dispatch(outbox, relay, drill, "SN-2", bin_id="B2")
    fine = dispatch(outbox, relay, drill, "SN-3", order="SO-2")
    left = relay.flush(FLUSH_S)
    assert [e.entry_id for e in left] == refused + later  # the later step of SO-1 waits for a person
    entry = outbox.get(refused[0])
    assert entry.state == "failed" and entry.vendor_message == \
        "Serial number(s) SN-SHIPPED are not available for this item."
    assert states(outbox, fine) == ["delivered"] and mapped(zoho) == [("SN-3",)]


def test_a_429_storm_is_waited_out(zoho: FakeZoho, drill: str, outbox: Outbox, relay: OutboxRelay,
                                   outbox_clock: FakeClock) -> None:
    zoho.inject(rate_limited(20, path=MAP_PATH.format(drill), times=8))
    waits: list[RelayStatus] = []
    relay.status_changed.connect(lambda s: waits.append(s) if s.state == "waiting" else None)
    relay.start()
    started = outbox_clock.time()
    ids = dispatch(outbox, relay, drill, "SN-1", "SN-2")
    assert relay.flush(FLUSH_S) == []
    assert states(outbox, ids) == ["delivered"] and mapped(zoho) == [("SN-1", "SN-2")]
    assert outbox.get(ids[0]).attempts == 0 and zoho.count("POST", MAP_PATH.format(drill)) == 9
    assert waits and "rate limited" in waits[0].reason and outbox_clock.time() - started >= 20


def test_token_expiry_mid_run_is_refreshed_without_a_pause(zoho: FakeZoho, drill: str, outbox: Outbox,
                                                           relay: OutboxRelay) -> None:
    statuses: list[str] = []
    relay.status_changed.connect(lambda s: statuses.append(s.state))
    relay.start()
    first = dispatch(outbox, relay, drill, "SN-1")
    assert relay.flush(FLUSH_S) == []
    zoho.expire_tokens()
    second = dispatch(outbox, relay, drill, "SN-2", order="SO-2")
    assert relay.flush(FLUSH_S) == []
    assert states(outbox, first + second) == ["delivered", "delivered"]
    assert zoho.refresh_count == 2 and "paused" not in statuses


def test_a_refused_sign_in_pauses_until_resume(zoho: FakeZoho, drill: str, outbox: Outbox, relay: OutboxRelay,
                                               clients: list[ZohoClient], network: SwitchableNetwork) -> None:
    clients[-1] = ZohoClient(zoho.settings(), zoho.secrets(refresh_token="1000.revoked"), transport=network,
                             clock=FakeClock(), policy=HTTP_POLICY)
    relay.start()
    ids = dispatch(outbox, relay, drill, "SN-1") + dispatch(outbox, relay, drill, "SN-2", order="SO-2")
    left = relay.flush(FLUSH_S)
    assert relay.status.state == "paused" and "sign in again" in relay.status.reason
    assert [e.state for e in left] == ["pending", "pending"] and mapped(zoho) == []
    clients.append(ZohoClient(zoho.settings(), zoho.secrets(), transport=network, clock=FakeClock(),
                              policy=HTTP_POLICY))  # the person signed in again
    relay.resume()
    assert relay.flush(FLUSH_S) == []
    assert states(outbox, ids) == ["delivered", "delivered"] and len(mapped(zoho)) == 2


def test_a_connection_dropped_after_zoho_applied_is_not_mapped_twice(zoho: FakeZoho, drill: str,
                                                                     outbox: Outbox, relay: OutboxRelay) -> None:
    zoho.inject(dropped_connection(after_apply=True, path=MAP_PATH.format(drill)))
    relay.start()
    ids = dispatch(outbox, relay, drill, "SN-1", "SN-2")
    assert relay.flush(FLUSH_S) == []
    entry = outbox.get(ids[0])
    assert (entry.state, entry.result) == ("delivered", {"mapped": ["SN-1", "SN-2"], "found_applied": True})
    assert mapped(zoho) == [("SN-1", "SN-2")] and zoho.count("POST", MAP_PATH.format(drill)) == 1


def test_a_connection_dropped_before_zoho_applied_is_sent_again(zoho: FakeZoho, drill: str,
                                                                outbox: Outbox, relay: OutboxRelay) -> None:
    zoho.inject(dropped_connection(after_apply=False, path=MAP_PATH.format(drill)))
    relay.start()
    ids = dispatch(outbox, relay, drill, "SN-1")
    assert relay.flush(FLUSH_S) == []
    assert outbox.get(ids[0]).result == {"mapped": ["SN-1"]}
    assert mapped(zoho) == [("SN-1",)] and zoho.count("POST", MAP_PATH.format(drill)) == 2


def test_server_errors_then_delivered(zoho: FakeZoho, drill: str, outbox: Outbox, relay: OutboxRelay) -> None:
    zoho.inject(server_error(503, path=MAP_PATH.format(drill), times=2))
    relay.start()
    ids = dispatch(outbox, relay, drill, "SN-4")
    assert relay.flush(FLUSH_S) == []
    # a 5xx on a write may have been applied: checked each time before it was sent again
    assert outbox.get(ids[0]).attempts == 2 and mapped(zoho) == [("SN-4",)]


def test_the_network_gone_then_back(zoho: FakeZoho, drill: str, outbox: Outbox, relay: OutboxRelay,
                                    network: SwitchableNetwork) -> None:
    seen: list[RelayStatus] = []
    relay.status_changed.connect(seen.append)
    network.down = True
    relay.start()
    ids = dispatch(outbox, relay, drill, "SN-1") + dispatch(outbox, relay, drill, "SN-5", order="SO-9")
    eventually(lambda: any(s.state == "waiting" and "offline" in s.reason and s.until for s in seen))
    assert mapped(zoho) == [] and zoho.count() == 0
    network.down = False
    assert relay.flush(FLUSH_S) == []
    assert states(outbox, ids) == ["delivered", "delivered"]
    assert sorted(mapped(zoho)) == [("SN-1",), ("SN-5",)]
    # nothing left the station while it was offline: no attempt counted toward parking
    assert [outbox.get(i).attempts for i in ids] == [0, 0]


def test_nothing_is_sent_before_the_relay_starts(zoho: FakeZoho, drill: str, outbox: Outbox,
                                                 relay: OutboxRelay) -> None:
    ids = dispatch(outbox, relay, drill, "SN-6")
    assert states(outbox, ids) == ["pending"] and zoho.count() == 0
    relay.start()
    assert relay.flush(FLUSH_S) == [] and mapped(zoho) == [("SN-6",)]
    relay.stop()
    assert relay.status.state == "stopped"
