"""``scanner-app login zoho [--no-check]``: the Zoho client secret and refresh token into
the operating system's keyring, never into config.toml or a log.

Both are asked for without echo on a terminal; from a pipe they are read from stdin, one
per line (client secret first). With no usable keyring the command says how to get one,
or to use the environment variables instead, and exits 1 before asking for anything:
there is no plain-text fallback. When ``[zoho]`` is configured, the pair is first tried
on Zoho (one token, one page of items): a pair Zoho refuses is not saved; when Zoho
cannot be reached it is saved with a warning.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from typing import Any

from scanner_app.commands import EXIT_NOT_DONE, EXIT_OK


def register(sub: Any) -> None:
    p = sub.add_parser("login", help="store a backend's secrets in the OS keyring")
    backends = p.add_subparsers(dest="backend", metavar="BACKEND", required=True)
    z = backends.add_parser("zoho", help="Zoho Inventory: client secret and refresh token")
    z.add_argument("--no-check", action="store_true", help="save without trying them on Zoho first")
    z.set_defaults(handler=run, needs_demo=False)


def _read_secrets() -> tuple[str, str]:
    if sys.stdin.isatty():
        return getpass.getpass("Zoho client secret: ").strip(), getpass.getpass("Zoho refresh token: ").strip()
    lines = sys.stdin.read().splitlines()
    values = [line.strip() for line in lines if line.strip()]
    return (values + ["", ""])[0], (values + ["", ""])[1]


def run(station: Any, args: argparse.Namespace) -> int:
    from scanner_app.backends.connect import CLIENT_SECRET, REFRESH_TOKEN, ZOHO, missing_settings
    from scanner_app.secrets import NoKeyring, env_name, require_keyring, set_secret

    try:
        keyring_name = require_keyring(ZOHO, CLIENT_SECRET, REFRESH_TOKEN)
    except NoKeyring as exc:
        print(f"scanner-app login zoho: {exc}", file=sys.stderr)
        return EXIT_NOT_DONE
    client_secret, refresh_token = _read_secrets()
    if not client_secret or not refresh_token:
        what = "client secret" if not client_secret else "refresh token"
        print(f"scanner-app login zoho: no {what} given (nothing saved)", file=sys.stderr)
        return EXIT_NOT_DONE
    if not args.no_check and not missing_settings(station.settings.zoho):
        refused = _check(station, client_secret, refresh_token)
        if refused:
            return EXIT_NOT_DONE
    try:
        set_secret(ZOHO, CLIENT_SECRET, client_secret)
        set_secret(ZOHO, REFRESH_TOKEN, refresh_token)
    except NoKeyring as exc:
        print(f"scanner-app login zoho: {exc}", file=sys.stderr)
        return EXIT_NOT_DONE
    print(f"Saved the Zoho client secret and refresh token in the keyring ({keyring_name}).")
    overriding = [name for name in (env_name(ZOHO, CLIENT_SECRET), env_name(ZOHO, REFRESH_TOKEN))
                  if os.environ.get(name)]
    if overriding:
        print(f"Note: {', '.join(overriding)} is set in the environment and is used instead.")
    return EXIT_OK


def _check(station: Any, client_secret: str, refresh_token: str) -> bool:
    """Try the pair on Zoho; True when Zoho refused it (and it must not be saved)."""
    from scanner_app.backends.connect import check_connection, zoho_client_from
    from scanner_app.backends.errors import BackendError, SignInAgain
    from scanner_app.backends.zoho import ZohoSecrets

    secrets = ZohoSecrets(client_secret=client_secret, refresh_token=refresh_token)
    try:
        with zoho_client_from(station.settings.zoho, secrets) as client:
            print(check_connection(client).describe())
    except SignInAgain as exc:
        print(f"scanner-app login zoho: Zoho refused this client secret or refresh token (nothing saved): {exc}",
              file=sys.stderr)
        return True
    except BackendError as exc:
        print(f"scanner-app login zoho: could not try them on Zoho ({exc}); saving them anyway", file=sys.stderr)
    return False
