"""Connecting this station to Zoho Inventory: the one :class:`ZohoClient` of the process,
made from ``[zoho]`` in config.toml and the secrets in the keyring (or environment).

A client's request budget and its cap on token refreshes are per client, so a process
shares one: :class:`SharedZohoClient` makes it when first needed and makes a new one only
after :meth:`SharedZohoClient.reset` (settings or secrets were changed). What is missing
(organisation, client id, client secret, refresh token) is raised as :class:`NotConnected`
naming the command that fixes it. :func:`check_connection` is the settings dialog's
"Test connection" and ``scanner-app login zoho``'s check: one token, one page of items.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from scanner_app.backends.errors import NotConnected
from scanner_app.backends.shared_client import SharedClient
from scanner_app.backends.zoho import ZohoClient, ZohoSecrets
from scanner_app.config import ZohoSettings
from scanner_app.secrets import env_name, get_secret

ZOHO = "zoho"
CLIENT_SECRET, REFRESH_TOKEN = "client_secret", "refresh_token"
CONFIGURE_HELP = ("scanner-app configure zoho --organization-id ID --data-center DC --client-id ID "
                  "(or the settings dialog in the window)")
LOGIN_HELP = (f"scanner-app login zoho (or set {env_name(ZOHO, CLIENT_SECRET)} and "
              f"{env_name(ZOHO, REFRESH_TOKEN)} for a headless station)")


ZOHO_INVENTORY = "Zoho Inventory"


def missing_settings(settings: ZohoSettings) -> list[str]:
    """The [zoho] values a connection needs that are not set."""
    return [name for name in ("organization_id", "client_id") if not getattr(settings, name).strip()]


def load_zoho_secrets() -> ZohoSecrets:
    """The client secret and refresh token (environment, then keyring); NotConnected if not there."""
    client_secret, refresh_token = get_secret(ZOHO, CLIENT_SECRET), get_secret(ZOHO, REFRESH_TOKEN)
    missing = [name for name, value in ((CLIENT_SECRET, client_secret), (REFRESH_TOKEN, refresh_token))
               if not value]
    if missing or client_secret is None or refresh_token is None:
        raise NotConnected(f"not signed in (no {' or '.join(missing)}): run {LOGIN_HELP}", backend=ZOHO_INVENTORY)
    return ZohoSecrets(client_secret=client_secret, refresh_token=refresh_token)


def zoho_client_from(settings: ZohoSettings, secrets: ZohoSecrets | None = None, **options: Any) -> ZohoClient:
    """A client for ``settings`` with ``secrets`` (default: from the keyring or environment).

    Raises NotConnected naming what is missing. ``options`` go to :class:`ZohoClient`
    (transport, clock, policy: for tests and benchmarks).
    """
    missing = missing_settings(settings)
    if missing:
        raise NotConnected(f"not configured (no {' or '.join(missing)} in [zoho]): run {CONFIGURE_HELP}",
                           backend=ZOHO_INVENTORY)
    return ZohoClient(settings, secrets if secrets is not None else load_zoho_secrets(), **options)


class SharedZohoClient(SharedClient[ZohoSettings, ZohoClient]):
    """The process's one Zoho client, made when first asked for. Thread-safe;
    :meth:`get` raises NotConnected when Zoho is not configured or signed in to."""

    def __init__(self, settings: Callable[[], ZohoSettings],
                 factory: Callable[[ZohoSettings], ZohoClient] = zoho_client_from) -> None:
        super().__init__(settings, factory)


@dataclass(frozen=True)
class ConnectionCheck:
    """What one test call found: the organisation answered and holds ``items_seen`` items
    on its first page (``more`` when there are further pages)."""

    organization_id: str
    items_seen: int
    more: bool

    def describe(self) -> str:
        count = f"{self.items_seen}+" if self.more else str(self.items_seen)
        return f"Connected to Zoho Inventory organisation {self.organization_id}: {count} items"


def check_connection(client: ZohoClient) -> ConnectionCheck:
    """Sign in and read the first page of items; raises a BackendError in words if not."""
    first = next(iter(client.item_pages(per_page=200)))  # the generator stops after one page
    return ConnectionCheck(client.organization_id, len(first.records), first.has_more)
