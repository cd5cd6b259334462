"""Connecting to Zoho: what is missing is named with the command that fixes it; one client
per process; the connection check."""

from __future__ import annotations

import pytest

from scanner_app.backends.connect import (
    NotConnected,
    SharedZohoClient,
    check_connection,
    load_zoho_secrets,
    zoho_client_from,
)
from scanner_app.backends.errors import SignInAgain
from scanner_app.backends.zoho import ZohoClient
from scanner_app.config import ZohoSettings
from tests.backends.conftest import TEST_POLICY
from tests.backends.fake_zoho import FakeZoho
from tests.test_secrets import MemoryKeyring, memory_keyring  # noqa: F401 (a fixture)


def test_missing_settings_name_the_configure_command(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(NotConnected, match=r"no organization_id or client_id.*scanner-app configure zoho"):
        zoho_client_from(ZohoSettings())


def test_missing_secrets_name_login_and_the_variables(memory_keyring: MemoryKeyring,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SCANNER_APP_ZOHO_CLIENT_SECRET", raising=False)
    monkeypatch.setenv("SCANNER_APP_ZOHO_REFRESH_TOKEN", "1000.r")
    with pytest.raises(NotConnected) as caught:
        load_zoho_secrets()
    text = str(caught.value)
    assert "no client_secret" in text and "scanner-app login zoho" in text
    assert "SCANNER_APP_ZOHO_CLIENT_SECRET" in text and "1000.r" not in text


def test_one_shared_client_until_reset(zoho: FakeZoho) -> None:
    made: list[ZohoClient] = []

    def factory(settings: ZohoSettings) -> ZohoClient:
        made.append(zoho_client_from(settings, zoho.secrets(), policy=TEST_POLICY))
        return made[-1]

    shared = SharedZohoClient(zoho.settings, factory)
    assert shared.get() is shared.get() and len(made) == 1
    shared.reset()
    assert shared.get() is made[1] and len(made) == 2
    shared.close()


def test_check_connection(zoho: FakeZoho) -> None:
    zoho.inventory.add_items(250)
    with zoho_client_from(zoho.settings(), zoho.secrets(), policy=TEST_POLICY) as client:
        check = check_connection(client)
        assert check.describe() == f"Connected to Zoho Inventory organisation {zoho.organization_id}: 200+ items"
    zoho.refuse_refresh_token()
    with zoho_client_from(zoho.settings(), zoho.secrets(), policy=TEST_POLICY) as client, \
            pytest.raises(SignInAgain):
        check_connection(client)
