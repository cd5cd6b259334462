"""Inventory backends that live in the cloud, and the HTTP code they share. No Qt.

- ``errors``: the one exception tree every backend raises (drawn in its docstring);
- ``http``: :class:`JsonHttpClient`, JSON over httpx with timeouts, TLS always verified,
  a request budget, a concurrency cap, 429 handling and retries where safe;
- ``vendor_dialect``: how a vendor's error answers become that tree;
- ``pacing``: the clock and the token-bucket budget;
- ``log_redaction``: the logging filter that keeps tokens and secrets out of logs;
- ``shared_client``: one client per backend per process;
- ``zoho/``: Zoho Inventory (OAuth, data centres, endpoints, JSON to the core's models);
- ``packcloud/``: Pack.cloud's serial-number register (bearer token, ``next`` paging).
"""

from scanner_app.backends.errors import (
    AuthError,
    BackendError,
    Conflict,
    NotFound,
    Offline,
    RateLimited,
    ScopeError,
    ServerError,
    SignInAgain,
    UnexpectedResponse,
    ValidationError,
)

# The HTTP machinery (httpx and what it loads, ~0.3 s) is imported on first use, so code that
# only needs the exception tree (the outbox, the window at start-up) does not pay for it.
_LAZY = {
    "HttpPolicy": "scanner_app.backends.http",
    "JsonHttpClient": "scanner_app.backends.http",
    "Clock": "scanner_app.backends.pacing",
    "RequestBudget": "scanner_app.backends.pacing",
    "SystemClock": "scanner_app.backends.pacing",
    "VendorDialect": "scanner_app.backends.vendor_dialect",
}


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)

__all__ = [
    "AuthError",
    "BackendError",
    "Clock",
    "Conflict",
    "HttpPolicy",
    "JsonHttpClient",
    "NotFound",
    "Offline",
    "RateLimited",
    "RequestBudget",
    "ScopeError",
    "ServerError",
    "SignInAgain",
    "SystemClock",
    "UnexpectedResponse",
    "ValidationError",
    "VendorDialect",
]
