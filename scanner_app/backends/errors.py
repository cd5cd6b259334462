"""The one exception tree of every inventory backend (Zoho Inventory, Pack.cloud, ...).

Workflows, the outbox, sync, the CLI and the window catch these, never ``httpx``
exceptions and never a vendor's own error shapes::

    BackendError                 anything a backend call can fail with
     ├── AuthError               the vendor refused who we are, or what we may do
     │    ├── SignInAgain        the saved sign-in (refresh token, client secret) was refused
     │    └── ScopeError         signed in, but not allowed this call (missing scope/permission)
     ├── RateLimited             too many requests; ``retry_after`` seconds, when known
     ├── NotFound                the thing asked for does not exist
     ├── Conflict                it exists already (duplicate batch number, serial, ...)
     ├── ValidationError         the vendor refused what we sent (bad value, unavailable serial)
     ├── ServerError             the vendor failed (HTTP 5xx)
     │    └── UnexpectedResponse the answer was not what its docs promise (not JSON, wrong shape)
     ├── Offline                 no answer: no network, DNS, refused connection, timeout
     └── NotConnected            the station is not set up for the backend yet (no settings
                                 or no sign-in); nothing was sent

Every error carries what a person needs to read and support needs to look up:
``backend`` ("Zoho Inventory"), ``operation`` ("POST /items/batches"), ``status`` (HTTP),
``code`` and ``vendor_message`` (the vendor's own words), and never a secret: no token,
no header, no request body, no query string.

``maybe_applied`` is for exactly-once delivery (the outbox): True when a write may have
taken effect even though the call failed (the request was sent, then the connection
dropped or timed out, or the server failed while handling it). An outbox must then check
with the vendor before sending it again. It is False whenever the vendor certainly did
nothing (refused connection, HTTP 4xx, 429).
"""

from __future__ import annotations


class BackendError(Exception):
    """A backend call failed. ``str(error)`` is a sentence fit for a person."""

    def __init__(
        self,
        message: str,
        *,
        backend: str = "",
        operation: str = "",
        status: int | None = None,
        code: str | int | None = None,
        vendor_message: str | None = None,
        maybe_applied: bool = False,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.backend = backend
        self.operation = operation
        self.status = status
        self.code = code
        self.vendor_message = vendor_message
        self.maybe_applied = maybe_applied

    def __str__(self) -> str:
        details = []
        if self.code is not None:
            details.append(f"code {self.code}")
        if self.status is not None:
            details.append(f"HTTP {self.status}")
        if self.operation:
            details.append(self.operation)
        prefix = f"{self.backend}: " if self.backend else ""
        suffix = f" ({', '.join(details)})" if details else ""
        return f"{prefix}{self.message}{suffix}"


class AuthError(BackendError):
    """The vendor refused our identity or this organisation (wrong organization_id, ...)."""


class SignInAgain(AuthError):
    """The saved sign-in no longer works: a person has to sign in again.

    Raised when the vendor refuses the refresh token or the client credentials; retrying
    cannot help, and retrying too often gets the refresh token blocked.
    """


class ScopeError(AuthError):
    """Signed in, but this call is not allowed (a scope or permission is missing)."""


class RateLimited(BackendError):
    """Too many requests. ``retry_after`` is how many seconds to wait, when the vendor said."""

    def __init__(
        self,
        message: str,
        *,
        retry_after: float | None = None,
        backend: str = "",
        operation: str = "",
        status: int | None = None,
        code: str | int | None = None,
        vendor_message: str | None = None,
    ) -> None:
        # never maybe_applied: a vendor that says "too many requests" did not do the call
        super().__init__(
            message, backend=backend, operation=operation, status=status, code=code,
            vendor_message=vendor_message,
        )
        self.retry_after = retry_after


class NotFound(BackendError):
    """The item, serial number, batch or bundle asked for does not exist."""


class Conflict(BackendError):
    """What we tried to create exists already (a duplicate)."""


class ValidationError(BackendError):
    """The vendor refused the values we sent; ``vendor_message`` says which and why."""


class ServerError(BackendError):
    """The vendor failed to handle the call (HTTP 5xx)."""


class UnexpectedResponse(ServerError):
    """The vendor answered, but not in the shape its documentation promises
    (not JSON, a proxy's HTML page, a list where an object belongs)."""


class Offline(BackendError):
    """No answer came: no network, the name did not resolve, the connection was refused,
    dropped or timed out. ``maybe_applied`` says whether the request had been sent."""


class NotConnected(BackendError):
    """The station is not set up for this backend yet (settings or a secret are missing);
    the message names the command that fixes it. Nothing was sent."""
