"""Keeping secrets out of log files, whatever level the loggers run at.

The backends never put a secret in a URL (tokens travel in the ``Authorization`` header,
the refresh token and client secret in a form body) and never log headers or bodies.
This filter is the second line: on every logger that sees HTTP traffic (``httpx``,
``httpcore.*``, ``h2``/``hpack`` and the backends' own), it rewrites a record's text,
replacing

* every secret the backends have registered (client secret, refresh token, each access
  token as it is issued), wherever it appears;
* the value after ``Zoho-oauthtoken``/``Bearer``, after an ``Authorization`` header name,
  and after ``access_token``/``refresh_token``/``client_secret``/``password``/``api_key``
  keys in query strings, form bodies, JSON and Python reprs.

A logging filter on a logger only sees records created on that very logger (not on its
children), so :func:`install_log_redaction` attaches it to each logger by name.
"""

from __future__ import annotations

import logging
import re
import threading
from collections import OrderedDict

REDACTED = "[redacted]"
# Loggers that may see requests, responses or our own call descriptions.
HTTP_LOGGERS = (
    "httpx",
    "httpcore",
    "httpcore.connection",
    "httpcore.http11",
    "httpcore.http2",
    "httpcore.proxy",
    "httpcore.socks",
    "hpack",
    "hpack.hpack",
    "h2",
    "scanner_app.backends",
    "scanner_app.backends.http",
    "scanner_app.backends.zoho",
    "scanner_app.backends.zoho.auth",
    "scanner_app.backends.zoho.client",
    "scanner_app.backends.packcloud",
    "scanner_app.backends.packcloud.client",
    "scanner_app.backends.packcloud.connect",
)
_MIN_SECRET_LENGTH = 6  # shorter strings would redact ordinary words
_MAX_REMEMBERED = 256  # access tokens are issued hourly; old ones are forgotten

_PATTERNS = (
    # "Zoho-oauthtoken 1000.abc", "Bearer abc"
    (re.compile(r"(?i)\b(zoho-oauthtoken|bearer)(\s+)[^\s'\",;}]+"), r"\1\2" + REDACTED),
    # header tuples and dicts: (b'Authorization', b'...'), 'authorization': '...', Authorization: ...
    (re.compile(r"(?i)(authorization['\"]?\s*[:,=]\s*b?['\"]?)[^'\"\n]+"), r"\1" + REDACTED),
    # key=value and "key": "value" forms of secret-named fields
    (
        re.compile(
            r"(?i)((?:access_token|refresh_token|client_secret|id_token|password|api_key|apikey)"
            r"['\"]?\s*[:=]\s*b?['\"]?)[^&\s'\",;}]+"
        ),
        r"\1" + REDACTED,
    ),
)


class SecretRedactor(logging.Filter):
    """A logging filter that removes secrets from a record's message (never drops it)."""

    def __init__(self) -> None:
        super().__init__()
        self._lock = threading.Lock()
        self._secrets: OrderedDict[str, None] = OrderedDict()

    def register(self, *secrets: str | None) -> None:
        """Remember values that must never be logged (ignores empty and very short ones)."""
        with self._lock:
            for secret in secrets:
                if secret and len(secret) >= _MIN_SECRET_LENGTH:
                    self._secrets[secret] = None
                    self._secrets.move_to_end(secret)
            while len(self._secrets) > _MAX_REMEMBERED:
                self._secrets.popitem(last=False)

    def redact(self, text: str) -> str:
        with self._lock:
            known = sorted(self._secrets, key=len, reverse=True)
        for secret in known:
            if secret in text:
                text = text.replace(secret, REDACTED)
        for pattern, replacement in _PATTERNS:
            text = pattern.sub(replacement, text)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken format string: let logging report it as usual
            return True
        cleaned = self.redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


REDACTOR = SecretRedactor()
_installed = False
_install_lock = threading.Lock()


def install_log_redaction() -> SecretRedactor:
    """Attach :data:`REDACTOR` to every HTTP-related logger (once); returns it."""
    global _installed
    with _install_lock:
        if not _installed:
            for name in HTTP_LOGGERS:
                logger = logging.getLogger(name)
                if REDACTOR not in logger.filters:
                    logger.addFilter(REDACTOR)
            _installed = True
    return REDACTOR
