"""Connecting this station to Zoho Inventory: the one :class:`ZohoClient` of the process,
made from ``[zoho]`` in config.toml and the secrets in the keyring (or environment).

A process shares one client: :class:`SharedZohoClient` makes it when first needed and makes
a new one only after :meth:`SharedZohoClient.reset` (settings or secrets were changed).
Given the station's home folder, the client shares more with the station's other processes
(:func:`station_sharing`): the access token and the cap on token refreshes
(:class:`~scanner_app.backends.zoho.token_store.SharedTokenStore`: in the keyring when the
secrets are there, else in a 0600 file in the home folder), and the request budget
(:class:`~scanner_app.backends.shared_budget.SharedRequestBudget`). What is missing
(organisation, client id, client secret, refresh token) is raised as :class:`NotConnected`
naming the command that fixes it. :func:`check_connection` is the settings dialog's
"Test connection" and ``scanner-app login zoho``'s check: one token, one page of items.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from scanner_app.backends.errors import NotConnected as NotConnected  # part of this module's interface
from scanner_app.backends.http import HttpPolicy
from scanner_app.backends.pacing import Clock, SystemClock
from scanner_app.backends.shared_budget import SharedRequestBudget
from scanner_app.backends.shared_client import SharedClient
from scanner_app.backends.zoho import ZohoClient, ZohoSecrets
from scanner_app.backends.zoho.datacenters import endpoints_for
from scanner_app.backends.zoho.token_store import TOKEN_FILE_NAME, SharedTokenStore, SignIn
from scanner_app.config import ZohoSettings
from scanner_app.paths import StationPaths
from scanner_app.secrets import NoKeyring, env_name, get_secret, require_keyring

ZOHO = "zoho"
CLIENT_SECRET, REFRESH_TOKEN = "client_secret", "refresh_token"
CONFIGURE_HELP = ("scanner-app configure zoho --organization-id ID --data-center DC --client-id ID "
                  "(or the settings dialog in the window)")
LOGIN_HELP = (f"scanner-app login zoho (or set {env_name(ZOHO, CLIENT_SECRET)} and "
              f"{env_name(ZOHO, REFRESH_TOKEN)} for a headless station)")


ZOHO_INVENTORY = "Zoho Inventory"
BUDGET_FILE_NAME = "zoho-request-budget.json"


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


def zoho_client_from(settings: ZohoSettings, secrets: ZohoSecrets | None = None, *,
                     home: StationPaths | None = None, **options: Any) -> ZohoClient:
    """A client for ``settings`` with ``secrets`` (default: from the keyring or environment).

    With ``home``, the client shares its access token, refresh cap and request budget with
    the station's other processes (:func:`station_sharing`); without, they are its own.
    Raises NotConnected naming what is missing. ``options`` go to :class:`ZohoClient`
    (transport, clock, policy: for tests and benchmarks).
    """
    missing = missing_settings(settings)
    if missing:
        raise NotConnected(f"not configured (no {' or '.join(missing)} in [zoho]): run {CONFIGURE_HELP}",
                           backend=ZOHO_INVENTORY)
    secrets = secrets if secrets is not None else load_zoho_secrets()
    if home is not None:
        options = {**station_sharing(settings, secrets, home, clock=options.get("clock"),
                                     policy=options.get("policy")), **options}
    return ZohoClient(settings, secrets, **options)


def secrets_from_environment() -> bool:
    """The Zoho secrets are set as environment variables (a headless station)."""
    return any(os.environ.get(env_name(ZOHO, name)) for name in (CLIENT_SECRET, REFRESH_TOKEN))


def token_in_keyring() -> bool:
    """Keep the access token in the OS keyring, beside the secrets: not when the secrets come
    from the environment, nor when there is no usable keyring (then: a 0600 file)."""
    if secrets_from_environment():
        return False
    try:
        require_keyring(ZOHO)
    except NoKeyring:
        return False
    return True


def station_sharing(settings: ZohoSettings, secrets: ZohoSecrets, home: StationPaths, *,
                    clock: Clock | None = None, policy: HttpPolicy | None = None) -> dict[str, Any]:
    """:class:`ZohoClient` options for a client of the station at ``home``: the access token
    and its refresh cap (``token_cache``) and the request budget (``budget``) that all its
    processes share, in its data folder. ``policy`` and ``clock`` as the client gets them."""
    accounts_url = endpoints_for(settings.data_center, settings.api_url, settings.accounts_url).accounts_url
    sign_in = SignIn(settings.client_id, settings.organization_id, accounts_url, secrets)
    tokens = SharedTokenStore(home.data_dir / TOKEN_FILE_NAME, sign_in, in_keyring=token_in_keyring())
    rate = policy.requests_per_minute if policy is not None else settings.requests_per_minute
    burst = policy.burst if policy is not None else HttpPolicy().burst
    budget = SharedRequestBudget(home.data_dir / BUDGET_FILE_NAME, rate, burst, clock or SystemClock())
    return {"token_cache": tokens, "budget": budget}


class SharedZohoClient(SharedClient[ZohoSettings, ZohoClient]):
    """The process's one Zoho client, made when first asked for. Thread-safe;
    :meth:`get` raises NotConnected when Zoho is not configured or signed in to.
    With ``home`` (and no ``factory``), it shares with the station's other processes."""

    def __init__(self, settings: Callable[[], ZohoSettings],
                 factory: Callable[[ZohoSettings], ZohoClient] | None = None, *,
                 home: StationPaths | None = None) -> None:
        super().__init__(settings, factory or functools.partial(zoho_client_from, home=home))


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
