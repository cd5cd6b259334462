"""What the relay tells the world: :class:`RelayStatus` (for a live badge) and the
errors :class:`~scanner_app.outbox.relay.OutboxRelay` raises or records."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from scanner_app.outbox.store import OutboxError

RelayState = Literal["stopped", "running", "waiting", "paused"]


@dataclass(frozen=True)
class RelayStatus:
    """How the relay is doing.

    ``running``: delivering, or nothing to deliver; ``waiting``: ``reason`` (offline, rate
    limited, the inventory system failing) until ``until`` (epoch seconds); ``paused``:
    ``reason`` says a person must sign in again, then call ``resume()``; ``stopped``.
    """

    state: RelayState
    reason: str = ""
    until: float | None = None


class RelayBusy(OutboxError):
    """Another relay (e.g. the open station window) is delivering this outbox."""


class NoDeliverer(OutboxError):
    """This station has no way to deliver that kind of entry to that inventory system."""
