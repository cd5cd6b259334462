"""How a workflow's command (dispatch, receive, assemble) waits for what it recorded to
reach the inventory system: the station's relay delivers the outbox until it is flushed or
the time is up; when the open window's relay already holds the outbox (``RelayBusy``), the
command waits for that relay instead, reading the workflow's states again every
``POLL_S`` until nothing is in flight or the time is up."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

POLL_S = 0.2


def deliver_or_wait(station: Any, outbox: Any, timeout: float, in_flight: Callable[[], bool]) -> None:
    """Deliver ``outbox`` with ``station``'s relay, or wait for the window's while
    ``in_flight()`` (which reads the states again) says something is still going."""
    from scanner_app.outbox import RelayBusy
    from scanner_app.outbox.for_station import station_relay

    relay = station_relay(station, outbox)
    try:
        relay.start()
        relay.flush(timeout)
    except RelayBusy:  # the station window is open and delivers them: wait for it
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and in_flight():
            time.sleep(POLL_S)
    finally:
        relay.stop()
