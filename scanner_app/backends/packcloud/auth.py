"""Pack.cloud's sign-in: an API token sent as ``Authorization: Bearer <token>``.

The token is registered with the log redactor the moment it is handed over, so no log
line can carry it, and :class:`BearerToken`'s repr does not show it. It only goes to the
API server: :class:`~scanner_app.backends.http.JsonHttpClient` refuses calls to any other
host and does not follow redirects.
"""

from __future__ import annotations

from collections.abc import Generator

import httpx

from scanner_app.backends.log_redaction import install_log_redaction


class BearerToken(httpx.Auth):
    """Adds the API token to every request."""

    def __init__(self, token: str) -> None:
        token = token.strip()
        if not token or any(ch.isspace() for ch in token):
            raise ValueError("a Pack.cloud API token is one word without spaces")
        install_log_redaction().register(token)
        self._header = f"Bearer {token}"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = self._header
        yield request

    def __repr__(self) -> str:
        return "BearerToken([redacted])"
