"""``scanner-app login zoho [--no-check]``: the Zoho client secret and refresh token, and
``scanner-app login packcloud [--no-check]``: the Pack.cloud API token, into the operating
system's keyring, never into config.toml or a log.

Secrets are asked for without echo on a terminal; from a pipe they are read from stdin,
one per line (Zoho: client secret first). With no usable keyring the command says how to
get one, or to use the environment variables instead, and exits 1 before asking for
anything: there is no plain-text fallback. When the backend is configured, the secrets
are first tried on it (Zoho: one token, one page of items; Pack.cloud: one serial
number): secrets it refuses are not saved; when it cannot be reached they are saved with
a warning.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from typing import Any

from scanner_app.cli_format import say
from scanner_app.commands import EXIT_NOT_DONE, EXIT_OK


def register(sub: Any) -> None:
    p = sub.add_parser("login", help="store a backend's secrets in the OS keyring")
    backends = p.add_subparsers(dest="backend", metavar="BACKEND", required=True)
    z = backends.add_parser("zoho", help="Zoho Inventory: client secret and refresh token")
    z.add_argument("--no-check", action="store_true", help="save without trying them on Zoho first")
    z.set_defaults(handler=run, needs_demo=False)
    pc = backends.add_parser("packcloud", help="Pack.cloud: the API token")
    pc.add_argument("--no-check", action="store_true", help="save without trying it on Pack.cloud first")
    pc.set_defaults(handler=run_packcloud, needs_demo=False)


def _read_secrets(*prompts: str) -> list[str]:
    """One value per prompt: typed without echo on a terminal, else non-blank stdin lines."""
    if sys.stdin.isatty():
        return [getpass.getpass(prompt).strip() for prompt in prompts]
    values = [line.strip() for line in sys.stdin.read().splitlines() if line.strip()]
    return (values + [""] * len(prompts))[:len(prompts)]


def _keyring_name(service: str, *names: str) -> str | None:
    """The usable keyring's name; None (said on stderr) when there is none."""
    from scanner_app.secrets import NoKeyring, require_keyring

    try:
        return require_keyring(service, *names)
    except NoKeyring as exc:
        say(f"scanner-app login {service}: {exc}", file=sys.stderr)
        return None


def _store(service: str, secrets: dict[str, str], what: str, keyring_name: str) -> int:
    """Save ``secrets`` (name -> value) in the keyring and say so (never the values)."""
    from scanner_app.secrets import NoKeyring, env_name, set_secret

    try:
        for name, value in secrets.items():
            set_secret(service, name, value)
    except NoKeyring as exc:
        say(f"scanner-app login {service}: {exc}", file=sys.stderr)
        return EXIT_NOT_DONE
    say(f"Saved {what} in the keyring ({keyring_name}).")
    overriding = [env_name(service, name) for name in secrets if os.environ.get(env_name(service, name))]
    if overriding:
        say(f"Note: {', '.join(overriding)} is set in the environment and is used instead.")
    return EXIT_OK


def run(station: Any, args: argparse.Namespace) -> int:
    from scanner_app.backends.connect import CLIENT_SECRET, REFRESH_TOKEN, ZOHO, missing_settings

    keyring_name = _keyring_name(ZOHO, CLIENT_SECRET, REFRESH_TOKEN)
    if keyring_name is None:
        return EXIT_NOT_DONE
    client_secret, refresh_token = _read_secrets("Zoho client secret: ", "Zoho refresh token: ")
    if not client_secret or not refresh_token:
        what = "client secret" if not client_secret else "refresh token"
        say(f"scanner-app login zoho: no {what} given (nothing saved)", file=sys.stderr)
        return EXIT_NOT_DONE
    if not args.no_check and not missing_settings(station.settings.zoho):
        refused = _check(station, client_secret, refresh_token)
        if refused:
            return EXIT_NOT_DONE
    return _store(ZOHO, {CLIENT_SECRET: client_secret, REFRESH_TOKEN: refresh_token},
                  "the Zoho client secret and refresh token", keyring_name)


def _check(station: Any, client_secret: str, refresh_token: str) -> bool:
    """Try the pair on Zoho; True when Zoho refused it (and it must not be saved)."""
    from scanner_app.backends.connect import check_connection, zoho_client_from
    from scanner_app.backends.errors import BackendError, SignInAgain
    from scanner_app.backends.zoho import ZohoSecrets

    secrets = ZohoSecrets(client_secret=client_secret, refresh_token=refresh_token)
    try:
        with zoho_client_from(station.settings.zoho, secrets) as client:
            say(check_connection(client).describe())
    except SignInAgain as exc:
        say(f"scanner-app login zoho: Zoho refused this client secret or refresh token (nothing saved): {exc}",
            file=sys.stderr)
        return True
    except BackendError as exc:
        say(f"scanner-app login zoho: could not try them on Zoho ({exc}); saving them anyway", file=sys.stderr)
    return False


def run_packcloud(station: Any, args: argparse.Namespace) -> int:
    from scanner_app.backends.packcloud.connect import SERVICE, TOKEN

    keyring_name = _keyring_name(SERVICE, TOKEN)
    if keyring_name is None:
        return EXIT_NOT_DONE
    (token,) = _read_secrets("Pack.cloud API token: ")
    if not token or any(ch.isspace() for ch in token):
        why = "no API token given" if not token else "that is not an API token (it has spaces)"
        say(f"scanner-app login packcloud: {why} (nothing saved)", file=sys.stderr)
        return EXIT_NOT_DONE
    if not args.no_check and station.settings.packcloud.organization_id and _packcloud_refused(station, token):
        return EXIT_NOT_DONE
    return _store(SERVICE, {TOKEN: token}, "the Pack.cloud API token", keyring_name)


def _packcloud_refused(station: Any, token: str) -> bool:
    """Try the token on Pack.cloud; True when it was refused (and must not be saved)."""
    from scanner_app.backends.errors import BackendError, ScopeError, SignInAgain
    from scanner_app.backends.packcloud.connect import check_connection, packcloud_client_from

    try:
        with packcloud_client_from(station.settings.packcloud, token) as client:
            say(check_connection(client))
    except SignInAgain as exc:
        say(f"scanner-app login packcloud: Pack.cloud refused this token (nothing saved): {exc}", file=sys.stderr)
        return True
    except ScopeError as exc:
        say(f"scanner-app login packcloud: the token may not read organisation "
            f"{station.settings.packcloud.organization_id} ({exc}); check scanner-app configure packcloud "
            "--organization-id; saving the token anyway", file=sys.stderr)
    except BackendError as exc:
        say(f"scanner-app login packcloud: could not try it on Pack.cloud ({exc}); saving it anyway",
            file=sys.stderr)
    return False
