"""How Zoho says a call failed: the Inventory API's ``{code, message}`` envelope and the
accounts server's ``{"error": ...}`` answers, read into the backends' exception tree.

Inventory API (``code`` is 0 on success; anything else is an error, even under HTTP 200):

==========================  ==================================================
code / status               raised as
==========================  ==================================================
57 (after a fresh token)    ScopeError: the token's scopes do not allow the call
6041                        AuthError: this user is not in that organisation
44, 45, HTTP 429            RateLimited (Zoho Books/Inventory limit codes)
1001, HTTP 409              Conflict ("already exists")
1002, HTTP 404              NotFound ("does not exist")
any other code, HTTP 4xx    ValidationError (or by status: 401 AuthError ...)
HTTP 5xx                    ServerError
==========================  ==================================================

A message saying "already exists" is a Conflict whatever its code: Zoho uses several
codes for duplicates (batch numbers, serial numbers, SKUs) and the outbox must tell a
duplicate from a refusal.

Accounts server (``POST /oauth/v2/token``; errors often come with HTTP 200):
``invalid_code`` (the refresh token is expired or revoked), ``invalid_client``,
``invalid_client_secret`` and ``invalid_grant`` are :class:`SignInAgain` (only these say the
credentials were refused); "Access Denied" ("too many requests continuously") is
:class:`RateLimited`; HTTP 5xx is :class:`ServerError`, whatever its body says: the server
failed and did not judge the credentials; any other ``error`` is an :class:`AuthError` in
Zoho's words (the token request was refused, not the credentials).
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
    SignInAgain,
    UnexpectedResponse,
    ValidationError,
)
from scanner_app.backends.vendor_dialect import (
    VendorDialect,
    class_for_status,
    first_text,
)

TOKEN_REJECTED_CODES = frozenset({14, 57})  # invalid / unauthorised access token
SCOPE_CODE = 57
WRONG_ORGANIZATION_CODE = 6041
RATE_LIMIT_CODES = frozenset({44, 45})
CONFLICT_CODES = frozenset({1001})
NOT_FOUND_CODES = frozenset({1002})

SIGN_IN_AGAIN_ERRORS = frozenset({"invalid_code", "invalid_client", "invalid_client_secret", "invalid_grant"})


def envelope_code(body: Any) -> int | None:
    """Zoho's ``code`` as an int (it is sometimes sent as a string), None without one."""
    if not isinstance(body, Mapping):
        return None
    code = body.get("code")
    if isinstance(code, bool):
        return None
    if isinstance(code, int):
        return code
    if isinstance(code, str) and code.strip().lstrip("-").isdigit():
        return int(code)
    return None


class ZohoInventoryDialect(VendorDialect):
    name = "Zoho Inventory"

    def read_error(self, status: int, body: Any) -> tuple[str | int | None, str | None] | None:
        code = envelope_code(body)
        if code is None:
            return super().read_error(status, body)
        if code == 0 and status < 400:
            return None
        return code, first_text(body, ("message",))

    def error_class(self, status: int, code: str | int | None, message: str | None) -> type[BackendError]:
        if code == SCOPE_CODE:
            return ScopeError
        if code == WRONG_ORGANIZATION_CODE:
            return AuthError
        if code in RATE_LIMIT_CODES or status == 429:
            return RateLimited
        if code in CONFLICT_CODES or (message and "already exists" in message.lower()):
            return Conflict
        if code in NOT_FOUND_CODES:
            return NotFound
        if status < 400:  # an error code under HTTP 200
            return ValidationError
        return class_for_status(status)


class ZohoAccountsDialect(VendorDialect):
    """The OAuth token endpoint of Zoho's accounts server."""

    name = "Zoho sign-in"

    def read_error(self, status: int, body: Any) -> tuple[str | int | None, str | None] | None:
        if isinstance(body, Mapping) and isinstance(body.get("error"), str):
            return body["error"], first_text(body, ("error_description",))
        if status >= 400:
            return super().read_error(status, body)
        if not isinstance(body, Mapping) or not isinstance(body.get("access_token"), str):
            return None, "the answer to the token request holds no access_token"
        return None

    def error_class(self, status: int, code: str | int | None, message: str | None) -> type[BackendError]:
        if status >= 500:  # the server failed: it judged nothing, whatever its body says
            return ServerError
        if isinstance(code, str):
            if code in SIGN_IN_AGAIN_ERRORS:
                return SignInAgain
            if code.lower() == "access denied" or status == 429:
                return RateLimited
            return AuthError
        if status < 400:
            return UnexpectedResponse
        return class_for_status(status)

    def message_for(self, cls: type[BackendError], status: int, vendor_message: str | None) -> str:
        if issubclass(cls, SignInAgain):
            return "Zoho refused the saved sign-in (refresh token or client secret): sign in again"
        if cls is ServerError:
            return (f"Zoho's sign-in server failed (HTTP {status}) and did not judge the client secret or "
                    "refresh token; nothing needs to change here: try again later")
        if cls is AuthError:
            said = f": {vendor_message}" if vendor_message else ""
            return f"Zoho's sign-in refused the token request{said}"
        return super().message_for(cls, status, vendor_message)
