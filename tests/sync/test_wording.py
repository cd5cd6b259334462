"""The words for sync: errors a person can act on, and the age of the local copy."""

from __future__ import annotations

import pytest

from scanner_app.backends.errors import NotConnected, Offline, RateLimited, ServerError, SignInAgain
from scanner_app.sync.wording import SIGN_IN_AGAIN, describe_age, explain_sync_error, headline_sync_error


@pytest.mark.parametrize(("seconds", "words"), [(5, "just now"), (185, "3 min ago"), (7300, "2 h ago"),
                                                (3 * 86400, "3 days ago")])
def test_age(seconds: float, words: str) -> None:
    assert describe_age(seconds) == words


def test_errors_say_what_to_do() -> None:
    refused = SignInAgain("the refresh token was refused", backend="Zoho sign-in")
    assert explain_sync_error(refused).endswith(SIGN_IN_AGAIN) and SIGN_IN_AGAIN.endswith("scanner-app login zoho")
    assert "Station > Settings" in explain_sync_error(refused, "sign in again in Station > Settings")
    offline = Offline("cannot connect to www.zohoapis.eu", backend="Zoho Inventory")
    assert "cannot be reached: cannot connect to www.zohoapis.eu" in explain_sync_error(offline)
    assert "about 60 s" in explain_sync_error(RateLimited("too many requests", retry_after=60))
    assert explain_sync_error(ServerError("Internal error", backend="Zoho Inventory", status=500)) == \
        "Zoho Inventory: Internal error (HTTP 500)"
    assert headline_sync_error(refused) == "Zoho refused the saved sign-in"
    assert "Station > Settings" in headline_sync_error(NotConnected("not signed in", backend="Zoho Inventory"))
