"""Secrets (client secret, refresh token, API keys): the OS keyring, or environment
variables for headless runs. Never config.toml, never a log line.

Lookup order: ``SCANNER_APP_<SERVICE>_<NAME>`` in the environment (e.g.
``SCANNER_APP_ZOHO_REFRESH_TOKEN``), then the keyring entry ``scanner-app:<service>`` /
``<name>``. When no keyring backend is usable (a headless Linux box with no Secret Service)
storing a secret fails with ``NoKeyring`` saying how to fix it; there is deliberately no
fallback to a plain-text file.
"""

from __future__ import annotations

import os

import keyring
import keyring.errors
from keyring.backend import KeyringBackend

KEYRING_PREFIX = "scanner-app"

NO_KEYRING_HELP = (
    "No usable keyring to keep secrets in. On a desktop, install and unlock a Secret Service "
    "keyring (GNOME Keyring or KWallet; Debian: apt-get install gnome-keyring). On a headless "
    "station, set the secrets as environment variables instead: {names}."
)


class NoKeyring(RuntimeError):
    """No keyring backend can store secrets here; the message says what to do."""


def env_name(service: str, name: str) -> str:
    return f"SCANNER_APP_{service}_{name}".upper().replace("-", "_")


def _usable_backend() -> KeyringBackend | None:
    backend = keyring.get_keyring()
    priority = getattr(backend, "priority", 0)
    name = type(backend).__module__ + "." + type(backend).__name__
    if priority is None or priority <= 0 or name.startswith("keyring.backends.fail") or "null" in name.lower():
        return None
    return backend


def require_keyring(service: str, *names: str) -> str:
    """The usable keyring's name (e.g. "SecretService Keyring"); NoKeyring naming the
    environment variables for ``names`` when there is none. Lets a command say so before
    it asks anyone to type a secret."""
    backend = _usable_backend()
    if backend is None:
        raise NoKeyring(NO_KEYRING_HELP.format(names=", ".join(env_name(service, n) for n in names)))
    return str(getattr(backend, "name", type(backend).__name__))


def get_secret(service: str, name: str) -> str | None:
    """The secret from the environment, else the keyring, else None."""
    from_env = os.environ.get(env_name(service, name))
    if from_env:
        return from_env
    backend = _usable_backend()
    if backend is None:
        return None
    try:
        return backend.get_password(f"{KEYRING_PREFIX}:{service}", name)
    except keyring.errors.KeyringError:
        return None


def set_secret(service: str, name: str, value: str) -> None:
    """Store a secret in the OS keyring; raises NoKeyring when there is none."""
    backend = _usable_backend()
    if backend is None:
        raise NoKeyring(NO_KEYRING_HELP.format(names=env_name(service, name)))
    try:
        backend.set_password(f"{KEYRING_PREFIX}:{service}", name, value)
    except keyring.errors.KeyringError as exc:
        raise NoKeyring(f"The keyring refused to store the secret ({exc}). "
                        + NO_KEYRING_HELP.format(names=env_name(service, name))) from exc


def delete_secret(service: str, name: str) -> None:
    backend = _usable_backend()
    if backend is None:
        return
    try:
        backend.delete_password(f"{KEYRING_PREFIX}:{service}", name)
    except keyring.errors.PasswordDeleteError:
        pass
