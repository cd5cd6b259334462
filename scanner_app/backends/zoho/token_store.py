"""The Zoho access token that every process of one station shares: :class:`SharedTokenStore`.

Zoho issues about ten access tokens per refresh token per ten minutes; a token lasts an
hour. So the window, a cron'd ``scanner-app sync`` and a script dispatching order after
order share one token, fetched by whichever needs it first, instead of one each.

What it owns, in the home folder's data directory:

* ``zoho-access-token.json`` (mode 0600, replaced whole): the station's recent
  token-issuing refreshes (wall-clock times, so the cap on refreshes in
  :class:`~scanner_app.backends.zoho.auth.ZohoTokenSource` is the station's), and, unless
  the token is kept in the keyring, the current access token with its expiry and the
  sign-in it belongs to. Never the refresh token or the client secret.
* ``zoho-access-token.lock``: the station-wide lock (:meth:`SharedTokenStore.locked`)
  taken around "load, still stale?, refresh, save", so one process refreshes and the
  others pick its token up.
* when the station's secrets are in the OS keyring: the keyring entry
  ``scanner-app:zoho`` / ``access_token``, JSON ``{value, expires_at, issued_at, sign_in}``.

The token in the file is sealed (AES-256-GCM from the ``cryptography`` package, the times
and sign-in as associated data) with a key derived from the client secret and the refresh
token: a copy of the
home folder (a backup, a support bundle) carries no usable credential, and whoever can
unseal it holds the secrets that make tokens anyway. A token saved for another sign-in
(client id, organisation, accounts server, refresh token: :attr:`SignIn.fingerprint`),
or one that cannot be read or unsealed, counts as no token. Tokens loaded are registered
with the log redactor.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import math
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from scanner_app.backends.log_redaction import REDACTOR
from scanner_app.backends.station_files import StationLock, read_file, write_private
from scanner_app.backends.zoho.auth import AccessToken, ZohoSecrets
from scanner_app.secrets import NoKeyring, get_secret, set_secret

log = logging.getLogger(__name__)

TOKEN_FILE_NAME = "zoho-access-token.json"
KEYRING_SERVICE, KEYRING_NAME = "zoho", "access_token"
KEEP_REFRESHES_SECONDS = 86_400.0  # refresh times older than this are dropped from the file
MAX_REFRESHES_KEPT = 64
_SEAL_LABEL = b"scanner-app zoho access token v1"
_NONCE_BYTES = 12  # AES-GCM's standard nonce


@dataclass(frozen=True)
class SignIn:
    """Whose tokens these are: a token saved for another sign-in is not used."""

    client_id: str
    organization_id: str
    accounts_url: str
    secrets: ZohoSecrets = field(repr=False)

    @property
    def fingerprint(self) -> str:
        """A short hash naming the sign-in (it reveals nothing of the refresh token)."""
        material = "\0".join((self.client_id, self.organization_id, self.accounts_url.rstrip("/"),
                              self.secrets.refresh_token))
        return hashlib.sha256(b"scanner-app zoho sign-in\0" + material.encode()).hexdigest()[:16]

    def sealing_key(self) -> bytes:
        material = "\0".join((self.secrets.client_secret, self.secrets.refresh_token, self.client_id))
        return hmac.new(_SEAL_LABEL, material.encode(), hashlib.sha256).digest()


class SharedTokenStore:
    """The station's Zoho access token: a
    :class:`~scanner_app.backends.zoho.auth.StationTokenCache`. Thread-safe.

    ``path`` is the state file (``data/zoho-access-token.json``); its lock file sits next to
    it. ``in_keyring`` keeps the token in the OS keyring instead of the file (the file then
    holds the refresh times only).
    """

    def __init__(self, path: Path, sign_in: SignIn, *, in_keyring: bool = False) -> None:
        self.path = path
        self.in_keyring = in_keyring
        self._fingerprint = sign_in.fingerprint
        self._key = sign_in.sealing_key()
        self._lock = StationLock(path.with_suffix(".lock"))
        self._token: AccessToken | None = None
        self._refreshes: list[float] = []
        self._loaded = False

    # -- TokenCache ------------------------------------------------------------------

    def load(self) -> AccessToken | None:
        """The token this process last saw (read from the shared store the first time, and
        again each time :meth:`locked` is entered)."""
        if not self._loaded:
            with self.locked():
                pass
        return self._token

    def save(self, token: AccessToken) -> None:
        """Keep ``token`` for every process of the station."""
        with self.locked():
            REDACTOR.register(token.value)
            self._token = token
            if self.in_keyring:
                self._save_to_keyring(token)
            else:
                self._write_file()

    # -- StationTokenCache -------------------------------------------------------------

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the station's lock; on entering, read what the other processes saved."""
        outermost = not self._lock.held
        with self._lock:
            if outermost:
                self._reload()
            yield

    def refresh_times(self) -> list[float]:
        if not self._loaded:
            with self.locked():
                pass
        return list(self._refreshes)

    def record_refresh(self, at: float) -> None:
        with self.locked():
            kept = [t for t in self._refreshes if at - t < KEEP_REFRESHES_SECONDS]
            self._refreshes = [*kept[-(MAX_REFRESHES_KEPT - 1):], at]
            self._write_file()

    # -- the shared state ------------------------------------------------------------------

    def _reload(self) -> None:
        record = self._read_file()
        times = record.get("refreshes")
        self._refreshes = [float(t) for t in times if _finite(t)] if isinstance(times, list) else []
        saved = self._read_keyring() if self.in_keyring else self._unseal(record.get("access_token"))
        if saved is not None:
            REDACTOR.register(saved.value)
        mine = self._token
        # The newer one wins: what this process holds stays when its save could not be written,
        # or when a process of another sign-in has saved its own token since.
        if saved is not None and (mine is None or saved.issued_at >= mine.issued_at):
            self._token = saved
        self._loaded = True

    def _read_file(self) -> dict[str, Any]:
        try:
            data = read_file(self.path)
        except OSError as exc:
            log.warning("cannot read %s (%s); fetching a new Zoho access token", self.path, exc)
            return {}
        if data is None:
            return {}
        try:
            record = json.loads(data)
        except ValueError:
            record = None
        if not isinstance(record, dict):
            log.warning("%s is unreadable; it is replaced on the next token refresh", self.path)
            return {}
        return record

    def _write_file(self) -> None:
        record: dict[str, Any] = {"version": 1, "refreshes": self._refreshes}
        if not self.in_keyring and self._token is not None:
            record["access_token"] = self._seal(self._token)
        try:
            write_private(self.path, json.dumps(record).encode(), durable=True)
        except OSError as exc:
            log.warning("could not save the Zoho access token state to %s (%s); this process keeps it",
                        self.path, exc)

    def _read_keyring(self) -> AccessToken | None:
        saved = get_secret(KEYRING_SERVICE, KEYRING_NAME)
        if not saved:
            return None
        try:
            record = json.loads(saved)
        except ValueError:
            return None
        if not isinstance(record, dict) or record.get("sign_in") != self._fingerprint:
            return None
        value = record.get("value")
        if not isinstance(value, str) or not value:
            return None
        return _token(value, record)

    def _save_to_keyring(self, token: AccessToken) -> None:
        record = {"value": token.value, "expires_at": token.expires_at, "issued_at": token.issued_at,
                  "sign_in": self._fingerprint}
        try:
            set_secret(KEYRING_SERVICE, KEYRING_NAME, json.dumps(record))
        except NoKeyring:
            log.warning("the keyring did not take the Zoho access token; this process keeps it in memory")

    # -- sealing ------------------------------------------------------------------------------

    def _context(self, expires_at: float, issued_at: float) -> bytes:
        return f"{self._fingerprint}|{expires_at!r}|{issued_at!r}".encode()

    def _seal(self, token: AccessToken) -> dict[str, Any]:
        nonce = os.urandom(_NONCE_BYTES)
        sealed = AESGCM(self._key).encrypt(nonce, token.value.encode(),
                                          self._context(token.expires_at, token.issued_at))
        return {"sign_in": self._fingerprint, "expires_at": token.expires_at, "issued_at": token.issued_at,
                "sealed": base64.urlsafe_b64encode(nonce + sealed).decode("ascii")}

    def _unseal(self, record: object) -> AccessToken | None:
        if not isinstance(record, dict) or record.get("sign_in") != self._fingerprint:
            return None
        times = _times(record)
        if times is None or not isinstance(record.get("sealed"), str):
            return None
        try:
            raw = base64.urlsafe_b64decode(record["sealed"].encode("ascii"))
            plain = AESGCM(self._key).decrypt(raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], self._context(*times))
            value = plain.decode()
        except (ValueError, InvalidTag, UnicodeDecodeError):
            return None  # sealed with other secrets, changed, or not a sealed token at all
        return _token(value, record)


def _finite(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _times(record: dict[str, Any]) -> tuple[float, float] | None:
    """A saved token's (expires_at, issued_at), when both are numbers."""
    expires_at, issued_at = record.get("expires_at"), record.get("issued_at", 0.0)
    if isinstance(expires_at, (int, float)) and isinstance(issued_at, (int, float)) \
            and _finite(expires_at) and _finite(issued_at):
        return float(expires_at), float(issued_at)
    return None


def _token(value: str, record: dict[str, Any]) -> AccessToken | None:
    times = _times(record)
    if times is None:
        return None
    return AccessToken(value, times[0], issued_at=times[1])
