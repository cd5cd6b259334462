"""Zoho Inventory: sign-in, data centres, the endpoints the station uses, and their JSON
mapped to the core's models. No Qt.

- ``client``: :class:`ZohoClient` (organization_id, envelope, paging, endpoints);
- ``auth``: the OAuth refresh-token flow (:class:`ZohoTokenSource`, :class:`ZohoOAuth`);
- ``datacenters``: the eight data centres' API and accounts servers;
- ``dialects``: Zoho's error answers read into :mod:`scanner_app.backends.errors`;
- ``mapping``: Zoho JSON to ``Item``, ``SerialNumber``, ``Batch``, ``Bundle``;
- ``payloads``: what the station sends (``NewBatch``, ``BatchChanges``, ``NewBundle``).
"""

from scanner_app.backends.zoho.auth import (
    AccessToken,
    MemoryTokenCache,
    TokenCache,
    ZohoOAuth,
    ZohoSecrets,
    ZohoTokenSource,
)
from scanner_app.backends.zoho.client import Page, ZohoClient, zoho_time
from scanner_app.backends.zoho.datacenters import DATA_CENTERS, DataCenter, ZohoEndpoints, endpoints_for
from scanner_app.backends.zoho.mapping import batch_from_zoho, bundle_from_zoho, item_from_zoho, serial_from_zoho
from scanner_app.backends.zoho.payloads import BatchChanges, Bundle, BundleLine, NewBatch, NewBundle

__all__ = [
    "DATA_CENTERS",
    "AccessToken",
    "BatchChanges",
    "Bundle",
    "BundleLine",
    "DataCenter",
    "MemoryTokenCache",
    "NewBatch",
    "NewBundle",
    "Page",
    "TokenCache",
    "ZohoClient",
    "ZohoEndpoints",
    "ZohoOAuth",
    "ZohoSecrets",
    "ZohoTokenSource",
    "batch_from_zoho",
    "bundle_from_zoho",
    "endpoints_for",
    "item_from_zoho",
    "serial_from_zoho",
    "zoho_time",
]
