"""A keyring backend for the CLI tests' subprocesses: a JSON file named by the
``TEST_KEYRING_FILE`` environment variable (``PYTHON_KEYRING_BACKEND=
tests.packcloud.file_keyring.FileKeyring``), so one ``scanner-app login`` can store a
secret that the next command finds, and a test can see it went to the keyring. Plain
text on purpose: test data only; the station never stores secrets in files."""

from __future__ import annotations

import json
import os
from pathlib import Path

from keyring.backend import KeyringBackend


class FileKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    @property
    def _path(self) -> Path:
        return Path(os.environ["TEST_KEYRING_FILE"])

    def _load(self) -> dict[str, str]:
        return json.loads(self._path.read_text()) if self._path.exists() else {}

    def get_password(self, service: str, username: str) -> str | None:
        return self._load().get(f"{service}/{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        self._path.write_text(json.dumps({**self._load(), f"{service}/{username}": password}))

    def delete_password(self, service: str, username: str) -> None:
        stored = self._load()
        stored.pop(f"{service}/{username}", None)
        self._path.write_text(json.dumps(stored))
