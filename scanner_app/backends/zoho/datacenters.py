"""Zoho's data centres: where an organisation's API and accounts (OAuth) servers are.

An organisation lives in one data centre and its tokens work only there. The API is
``https://www.zohoapis.<dc>`` with Zoho Inventory under ``/inventory/v1``; the accounts
server is ``https://accounts.zoho.<dc>``, except Canada's, ``https://accounts.zohocloud.ca``.
Both can be overridden in config.toml (``[zoho] api_url``, ``accounts_url``) for tests
and proxies.
"""

from __future__ import annotations

from dataclasses import dataclass

INVENTORY_API_PATH = "/inventory/v1"


@dataclass(frozen=True)
class DataCenter:
    code: str  # what config.toml says: com, eu, in, ...
    region: str
    api_url: str  # root of the API server, without /inventory/v1
    accounts_url: str


DATA_CENTERS: dict[str, DataCenter] = {
    dc.code: dc
    for dc in (
        DataCenter("com", "United States", "https://www.zohoapis.com", "https://accounts.zoho.com"),
        DataCenter("eu", "Europe", "https://www.zohoapis.eu", "https://accounts.zoho.eu"),
        DataCenter("in", "India", "https://www.zohoapis.in", "https://accounts.zoho.in"),
        DataCenter("com.au", "Australia", "https://www.zohoapis.com.au", "https://accounts.zoho.com.au"),
        DataCenter("jp", "Japan", "https://www.zohoapis.jp", "https://accounts.zoho.jp"),
        DataCenter("ca", "Canada", "https://www.zohoapis.ca", "https://accounts.zohocloud.ca"),
        DataCenter("com.cn", "China", "https://www.zohoapis.com.cn", "https://accounts.zoho.com.cn"),
        DataCenter("sa", "Saudi Arabia", "https://www.zohoapis.sa", "https://accounts.zoho.sa"),
    )
}


@dataclass(frozen=True)
class ZohoEndpoints:
    """The two servers one station talks to."""

    inventory_url: str  # e.g. https://www.zohoapis.eu/inventory/v1
    accounts_url: str  # e.g. https://accounts.zoho.eu

    @property
    def token_url(self) -> str:
        return f"{self.accounts_url}/oauth/v2/token"


def endpoints_for(data_center: str, api_url: str = "", accounts_url: str = "") -> ZohoEndpoints:
    """The servers of ``data_center``, or the overrides when given (non-empty).

    ``api_url`` is the API server's root (``https://www.zohoapis.eu``, or a proxy's);
    ``/inventory/v1`` is added here. Raises ValueError for an unknown data centre.
    """
    dc = DATA_CENTERS.get(data_center)
    if dc is None:
        raise ValueError(f"unknown Zoho data centre {data_center!r} (one of: {', '.join(DATA_CENTERS)})")
    api_root = (api_url or dc.api_url).rstrip("/")
    return ZohoEndpoints(
        inventory_url=api_root + INVENTORY_API_PATH,
        accounts_url=(accounts_url or dc.accounts_url).rstrip("/"),
    )
