"""Connecting this station to Pack.cloud: the client made from ``[packcloud]`` in
config.toml and the API token (``SCANNER_APP_PACKCLOUD_TOKEN``, else the keyring).

What is missing is raised as :class:`~scanner_app.backends.errors.NotConnected` naming the
command that fixes it. :class:`SharedPackcloudClient` is the process's one client (one
request budget for every thread); :class:`ConnectingRegister` is that client as a
:class:`~scanner_app.inventory.serial_register.SerialRegister`, connected on its first call
(so the keyring is read on the thread that asks, never at construction on the UI thread).
:func:`check_connection` is ``scanner-app login packcloud``'s check: the first page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from scanner_app.backends.errors import NotConnected
from scanner_app.backends.packcloud.client import PackcloudClient
from scanner_app.backends.packcloud.dialect import LOGIN_COMMAND, PACKCLOUD
from scanner_app.backends.shared_client import SharedClient
from scanner_app.config import PackcloudSettings
from scanner_app.inventory.serial_register import RegisteredSerial
from scanner_app.secrets import env_name, get_secret

SERVICE, TOKEN = "packcloud", "token"
TOKEN_ENV = env_name(SERVICE, TOKEN)  # SCANNER_APP_PACKCLOUD_TOKEN
CONFIGURE_HELP = "scanner-app configure packcloud --organization-id ID"
LOGIN_HELP = f"{LOGIN_COMMAND} (or set {TOKEN_ENV} for a headless station)"


def load_token() -> str:
    """The API token (environment, then keyring); NotConnected when there is none."""
    token = get_secret(SERVICE, TOKEN)
    if not token:
        raise NotConnected(f"not signed in (no API token): run {LOGIN_HELP}", backend=PACKCLOUD)
    return token


def packcloud_client_from(settings: PackcloudSettings, token: str | None = None, **options: Any) -> PackcloudClient:
    """A client for ``settings`` with ``token`` (default: from the environment or keyring).

    Raises NotConnected naming what is missing; ``options`` go to :class:`PackcloudClient`
    (transport, clock, policy: for tests).
    """
    if not settings.organization_id.strip():
        raise NotConnected(f"not configured (no organization_id in [packcloud]): run {CONFIGURE_HELP}",
                           backend=PACKCLOUD)
    return PackcloudClient(settings, token if token is not None else load_token(), **options)


class SharedPackcloudClient(SharedClient[PackcloudSettings, PackcloudClient]):
    """The process's one Pack.cloud client, made when first asked for. Thread-safe;
    :meth:`get` raises NotConnected when Pack.cloud is not configured or signed in to."""

    def __init__(self, settings: Callable[[], PackcloudSettings],
                 factory: Callable[[PackcloudSettings], PackcloudClient] = packcloud_client_from) -> None:
        super().__init__(settings, factory)


class ConnectingRegister:
    """The shared client as the station's serial register; each call gets the client first
    (NotConnected when Pack.cloud is not configured or signed in to)."""

    name = PACKCLOUD

    def __init__(self, shared: SharedPackcloudClient) -> None:
        self._shared = shared

    def find_serial(self, code: str) -> list[RegisteredSerial]:
        return self._shared.get().find_serial(code)

    def serials_for_product(self, product_id: str, *, stock_id: str | None = None) -> list[RegisteredSerial]:
        return self._shared.get().serials_for_product(product_id, stock_id=stock_id)

    def serials_in_stock(self, stock_id: str) -> list[RegisteredSerial]:
        return self._shared.get().serials_in_stock(stock_id)


def check_connection(client: PackcloudClient) -> str:
    """Read the first page of the organisation's serial numbers; a sentence saying so, or
    a BackendError."""
    first = next(iter(client.serial_pages()))  # the generator stops after one page
    more = "serial numbers" if first.serials else "no serial numbers yet"
    return f"Connected to Pack.cloud organisation {client.organization_id}: {more} readable"
