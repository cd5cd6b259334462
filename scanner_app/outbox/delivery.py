"""How the relay talks to an inventory system, and what it does when a call fails.

A :class:`Deliverer` knows one kind of entry for one inventory system (e.g. Zoho's
``serialnumber/validateandmap`` for ``serial.validate_and_map``). :func:`judge` maps the
backends' exception tree (:mod:`scanner_app.backends.errors`) to what the relay does:

=========================================  ===========================================================
AuthError (SignInAgain, ScopeError),        pause the whole relay ("sign in again"); keep every entry
NotConnected (not configured, no sign-in)
RateLimited                                 the whole relay waits ``retry_after`` (no attempt counted)
Offline (no network, timeout, dropped)      the whole relay waits (jittered backoff, capped); an
                                            attempt counts only when the request had been sent
ServerError (5xx, unexpected answers),      the entry and the relay wait (jittered backoff); counts
any other BackendError                      as an attempt
ValidationError, NotFound, Conflict         the entry fails with the vendor's message: a person decides
anything else (a deliverer's bug)           the entry fails, and is checked with the vendor before any
                                            resend (it may have been sent)
=========================================  ===========================================================

A deliverer for a cloud system may also be a :class:`LocalEcho`: once the entry is
delivered, the relay hands it what the system answered and a
:class:`~scanner_app.outbox.local_copy.LocalCopy` on the relay's own connection, in the
transaction that records the delivery, so the station reads its own writes at once.

An entry whose counted attempts reach ``RetryPolicy.max_attempts`` is parked (dead letter)
instead of waiting again. Network trouble that never let a request out does not count:
a station offline overnight does not park its whole outbox.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, Protocol, runtime_checkable

from scanner_app.backends.errors import (
    AuthError,
    BackendError,
    Conflict,
    NotConnected,
    NotFound,
    Offline,
    RateLimited,
    ValidationError,
)
from scanner_app.outbox.entries import OutboxEntry

if TYPE_CHECKING:
    from scanner_app.outbox.local_copy import LocalCopy


class Deliverer(Protocol):
    """Sends one kind of entry to one inventory system. Called on the relay's thread,
    one entry at a time; raises the backends' exceptions."""

    def deliver(self, entry: OutboxEntry) -> Mapping[str, Any]:
        """Send the entry; return what the inventory system answered (JSON-able, e.g.
        ``{"bundle_id": ...}``), kept as the entry's result."""
        ...

    def was_applied(self, entry: OutboxEntry) -> Mapping[str, Any] | None:
        """Ask the inventory system whether an earlier attempt of this entry took effect:
        its result if it did (the entry is then delivered without sending it again),
        None if it certainly did not."""
        ...


@runtime_checkable
class LocalEcho(Protocol):
    """A deliverer whose inventory system is not the station's store: it says what the
    system now holds, so the store (the system's local copy) shows it before any sync."""

    def record_locally(self, local: LocalCopy, entry: OutboxEntry, result: Mapping[str, Any]) -> None:
        """Write into ``local`` what delivering ``entry`` did (``result``: what ``deliver``
        or ``was_applied`` returned). Runs on the relay's thread, inside the transaction
        that marks the entry delivered; it must not call the inventory system."""
        ...


@dataclass(frozen=True)
class RetryPolicy:
    """When the relay tries again, and when it gives up on an entry (seconds)."""

    max_attempts: int = 10  # counted attempts before an entry is parked
    backoff_seconds: float = 5.0  # the first wait, doubling after each failure
    max_backoff_seconds: float = 600.0
    jitter: float = 0.5  # up to this fraction of a wait is taken off at random (stations spread out)
    rate_limit_wait_seconds: float = 60.0  # a 429 that did not say how long
    idle_poll_seconds: float = 5.0  # look for entries recorded by another process this often

    def __post_init__(self) -> None:
        if self.max_attempts < 1 or self.backoff_seconds < 0 or self.max_backoff_seconds < self.backoff_seconds:
            raise ValueError("max_attempts must be at least 1 and 0 <= backoff_seconds <= max_backoff_seconds")
        if not 0 <= self.jitter <= 1 or self.idle_poll_seconds <= 0:
            raise ValueError("jitter must be within 0..1 and idle_poll_seconds positive")

    def backoff(self, failures: int, rng: random.Random) -> float:
        """The wait after ``failures`` failures in a row (1 or more)."""
        ceiling = min(self.max_backoff_seconds, self.backoff_seconds * 2.0 ** max(0, failures - 1))
        return ceiling * (1 - self.jitter * rng.random())


Verdict = Literal["pause", "rate_limited", "offline", "server_failed", "refused", "broken"]


@dataclass(frozen=True)
class Judgement:
    """What the relay does about one failed call."""

    verdict: Verdict
    counts_attempt: bool  # toward parking
    may_have_applied: bool  # check with the vendor before sending again


def judge(error: BaseException) -> Judgement:
    """The relay's reading of ``error`` (see the table in the module docstring)."""
    if not isinstance(error, BackendError):
        return Judgement("broken", counts_attempt=True, may_have_applied=True)
    applied = error.maybe_applied
    if isinstance(error, (AuthError, NotConnected)):
        return Judgement("pause", counts_attempt=False, may_have_applied=applied)
    if isinstance(error, RateLimited):
        return Judgement("rate_limited", counts_attempt=False, may_have_applied=applied)
    if isinstance(error, Offline):
        return Judgement("offline", counts_attempt=applied, may_have_applied=applied)
    if isinstance(error, (ValidationError, NotFound, Conflict)):
        return Judgement("refused", counts_attempt=True, may_have_applied=applied)
    return Judgement("server_failed", counts_attempt=True, may_have_applied=applied)
