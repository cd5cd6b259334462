"""How a vendor says that a call failed, turned into the backends' one exception tree.

:class:`VendorDialect` is the generic reading: HTTP status decides the exception class,
and the message is taken from the usual JSON error fields. A backend subclasses it for
its own error shapes and codes (Zoho: a ``{code, message}`` envelope where ``code != 0``
is an error even under HTTP 200).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from scanner_app.backends.errors import (
    AuthError,
    BackendError,
    Conflict,
    NotFound,
    RateLimited,
    ScopeError,
    ServerError,
    ValidationError,
)

_MESSAGE_KEYS = ("message", "error_description", "detail", "error", "title")

_PLAIN_WORDS: dict[type[BackendError], str] = {
    AuthError: "the server refused our credentials",
    ScopeError: "this call is not allowed for the signed-in account",
    NotFound: "not found",
    Conflict: "it exists already",
    ValidationError: "the server refused the request",
    RateLimited: "too many requests; waiting before trying again",
    ServerError: "the server failed to handle the request",
}


def class_for_status(status: int) -> type[BackendError]:
    """The exception class an HTTP error status means when the vendor says nothing more."""
    if status == 401:
        return AuthError
    if status == 403:
        return ScopeError
    if status in (404, 410):
        return NotFound
    if status == 409:
        return Conflict
    if status == 429:
        return RateLimited
    if status >= 500:
        return ServerError
    return ValidationError


class VendorDialect:
    """The generic dialect: any JSON (or no) body, errors told by the HTTP status."""

    name = "the server"

    def read_error(self, status: int, body: Any) -> tuple[str | int | None, str | None] | None:
        """``(vendor code, vendor message)`` when ``body`` says the call failed, else None.

        ``body`` is the parsed JSON, or None when the answer had no JSON.
        """
        if status < 400:
            return None
        code = message = None
        if isinstance(body, Mapping):
            raw_code = body.get("code")
            if isinstance(raw_code, (str, int)) and not isinstance(raw_code, bool):
                code = raw_code
            message = first_text(body, _MESSAGE_KEYS)
        return code, message

    def error_class(self, status: int, code: str | int | None, message: str | None) -> type[BackendError]:
        """The exception class for a failed call (``code``/``message`` as read above)."""
        return class_for_status(status)

    def message_for(self, cls: type[BackendError], status: int, vendor_message: str | None) -> str:
        """What the exception says: the vendor's words, or plain ones when it gave none."""
        if vendor_message:
            return vendor_message
        for klass in cls.__mro__:
            if klass in _PLAIN_WORDS:
                return _PLAIN_WORDS[klass]
        return f"the call failed with HTTP {status}"


def first_text(record: Mapping[str, Any], keys: tuple[str, ...]) -> str | None:
    """The first non-empty string among ``record[key]`` for ``keys``."""
    for key in keys:
        value = record.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None
