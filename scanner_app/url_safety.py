"""Which server URLs the station may send secrets to: ``https://`` anywhere, plain
``http://`` only to this machine. Decided on the parsed URL, never on how its text starts:
``http://127.0.0.1.evil.example`` is a name under evil.example, and in
``http://127.0.0.1@127.0.0.2/`` the host is 127.0.0.2 (what precedes ``@`` is a user name).

This machine ("loopback") means the parsed host is exactly ``localhost``, an address in
127.0.0.0/8, or ``::1``. A URL holding a user name or password, a backslash, white space
or control characters, a query or a fragment is refused whatever its scheme: parsers
disagree about such URLs, and a base URL has no need of them. No Qt, no HTTP stack
(``settings`` checks config.toml with it at start).
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

_LOOPBACK_V4 = ipaddress.ip_network("127.0.0.0/8")
_LOOPBACK_V6 = ipaddress.ip_address("::1")
LOOPBACK_WORDS = "localhost, 127.0.0.0/8 or [::1]"


def is_loopback_host(host: str) -> bool:
    """``host`` (as a URL parser gives it; IPv6 with or without brackets) is this machine."""
    name = host.strip("[]").lower()
    if name == "localhost":
        return True
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv4Address):
        return address in _LOOPBACK_V4
    return address == _LOOPBACK_V6


def url_problem(url: str) -> str | None:
    """What is wrong with ``url`` as a server to send secrets to, in words; None when it is
    fine (``https://HOST[:PORT][/PATH]``, or ``http://`` to loopback)."""
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 or ch == "\\" for ch in url):
        return "must not contain spaces, control characters or backslashes"
    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018 (parsing the port is the check: a bad one raises)
    except ValueError as bad:
        return f"is not a URL ({bad})"
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        return "must be an https:// URL (secrets are only sent over TLS)"
    if "@" in parts.netloc:
        return "must not hold a user name or password (user@host): name the server only"
    if not host:
        return "has no server name"
    if parts.query or parts.fragment or url.rstrip().endswith(("?", "#")):
        return "must not have a query (?...) or fragment (#...)"
    if scheme == "http" and not is_loopback_host(host):
        return (f"must be an https:// URL: plain http:// goes only to this machine ({LOOPBACK_WORDS}), "
                f"and {host} is not (secrets are only sent over TLS)")
    return None
