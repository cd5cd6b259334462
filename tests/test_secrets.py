"""Secrets: environment first, then the keyring; no keyring → a clear error, no plain text."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail

from scanner_app import secrets


class MemoryKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.store.pop((service, username), None)


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    ring = MemoryKeyring()
    keyring.set_keyring(ring)
    yield ring
    keyring.set_keyring(previous)


@pytest.fixture
def no_keyring() -> Iterator[None]:
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(previous)


def test_keyring_round_trip(memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SCANNER_APP_ZOHO_REFRESH_TOKEN", raising=False)
    secrets.set_secret("zoho", "refresh_token", "1000.abc")
    assert memory_keyring.store == {("scanner-app:zoho", "refresh_token"): "1000.abc"}
    assert secrets.get_secret("zoho", "refresh_token") == "1000.abc"
    secrets.delete_secret("zoho", "refresh_token")
    assert secrets.get_secret("zoho", "refresh_token") is None


def test_environment_wins(memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch) -> None:
    secrets.set_secret("zoho", "client_secret", "from-keyring")
    monkeypatch.setenv("SCANNER_APP_ZOHO_CLIENT_SECRET", "from-env")
    assert secrets.get_secret("zoho", "client_secret") == "from-env"


def test_no_keyring_is_a_clear_error_and_writes_nothing(no_keyring: None, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SCANNER_APP_ZOHO_REFRESH_TOKEN", raising=False)
    with pytest.raises(secrets.NoKeyring, match="SCANNER_APP_ZOHO_REFRESH_TOKEN"):
        secrets.set_secret("zoho", "refresh_token", "1000.secret")
    assert secrets.get_secret("zoho", "refresh_token") is None
    assert list(tmp_path.iterdir()) == []
