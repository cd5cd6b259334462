"""Pack.cloud: its REST serial-number register, for dispatch pre-validation and lookup of
serials. No Qt.

- ``client``: :class:`PackcloudClient` (the list endpoint, filters, ``next`` paging); one
  implementation of :class:`~scanner_app.inventory.serial_register.SerialRegister`;
- ``auth``: :class:`BearerToken`, the API token as ``Authorization: Bearer``;
- ``dialect``: Pack.cloud's error answers read into :mod:`scanner_app.backends.errors`;
- ``mapping``: its JSON to :class:`~scanner_app.inventory.serial_register.RegisteredSerial`;
- ``connect``: the client made from ``[packcloud]`` and the token in the keyring.
"""

from scanner_app.backends.packcloud.auth import BearerToken
from scanner_app.backends.packcloud.client import PackcloudClient
from scanner_app.backends.packcloud.dialect import PACKCLOUD, PackcloudDialect
from scanner_app.backends.packcloud.mapping import SerialPage, serial_from_packcloud, serial_page_from_packcloud

__all__ = [
    "PACKCLOUD",
    "BearerToken",
    "PackcloudClient",
    "PackcloudDialect",
    "SerialPage",
    "serial_from_packcloud",
    "serial_page_from_packcloud",
]
