"""How Pack.cloud says a call failed, read into the backends' exception tree.

Pack.cloud answers errors with an HTTP status and a JSON body whose ``message`` (or
``error``) says why; the generic :class:`~scanner_app.backends.vendor_dialect.VendorDialect`
reads that. What differs: the station signs in with one API token and nothing refreshes
it, so a 401 means a person has to give a new one (:class:`SignInAgain`); 403 is a token
that may not read this organisation (:class:`ScopeError`).
"""

from __future__ import annotations

from scanner_app.backends.errors import BackendError, SignInAgain
from scanner_app.backends.vendor_dialect import VendorDialect, class_for_status

PACKCLOUD = "Pack.cloud"
LOGIN_COMMAND = "scanner-app login packcloud"


class PackcloudDialect(VendorDialect):
    name = PACKCLOUD

    def error_class(self, status: int, code: str | int | None, message: str | None) -> type[BackendError]:
        if status == 401:
            return SignInAgain
        return class_for_status(status)

    def message_for(self, cls: type[BackendError], status: int, vendor_message: str | None) -> str:
        if issubclass(cls, SignInAgain):
            said = f" ({vendor_message})" if vendor_message else ""
            return f"Pack.cloud refused the API token{said}: run {LOGIN_COMMAND} with a valid token"
        return super().message_for(cls, status, vendor_message)
