"""``scanner-app configure zoho --organization-id ID --data-center DC --client-id ID
[--api-url URL] [--accounts-url URL] [--requests-per-minute N] [--keep-backend] [--json]``
and ``scanner-app configure packcloud --organization-id ID [--api-url URL]
[--requests-per-minute N] [--timeout SECONDS] [--keep-backend] [--json]``.

Writes the backend's non-secret values to its section of config.toml (``[zoho]``,
``[packcloud]``; secrets: ``scanner-app login BACKEND``) and, unless ``--keep-backend``,
makes it the station's backend (``[backend] kind``). Values not given keep what
config.toml has; a bad value is named and nothing is written (exit 2).
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from typing import Any

from scanner_app.backends.registry import backend_for
from scanner_app.cli_format import say
from scanner_app.commands import EXIT_OK, EXIT_USAGE, print_json
from scanner_app.config import ZOHO_DATA_CENTERS, BackendSettings, ConfigError

_OPTIONS = {"organization_id": "--organization-id", "data_center": "--data-center", "client_id": "--client-id",
            "api_url": "--api-url", "accounts_url": "--accounts-url", "requests_per_minute": "--requests-per-minute"}
_PACKCLOUD_OPTIONS = {"organization_id": "--organization-id", "api_url": "--api-url",
                      "requests_per_minute": "--requests-per-minute", "timeout_seconds": "--timeout"}


def register(sub: Any) -> None:
    p = sub.add_parser("configure", help="set up a cloud inventory backend (non-secret values)")
    backends = p.add_subparsers(dest="backend", metavar="BACKEND", required=True)
    z = backends.add_parser("zoho", help="Zoho Inventory: organisation, data centre, OAuth client id")
    z.add_argument("--organization-id", metavar="ID", help="the organisation's ID (digits)")
    z.add_argument("--data-center", metavar="DC", choices=ZOHO_DATA_CENTERS,
                   help=f"where the organisation lives: {', '.join(ZOHO_DATA_CENTERS)}")
    z.add_argument("--client-id", metavar="ID", help="the OAuth client id (1000.XXXX...) from Zoho's API console")
    z.add_argument("--api-url", metavar="URL", help="API server override (proxies, tests); '' for the data centre's")
    z.add_argument("--accounts-url", metavar="URL", help="accounts server override; '' for the data centre's")
    z.add_argument("--requests-per-minute", type=float, metavar="N", help="this station's request budget (default 90)")
    z.add_argument("--keep-backend", action="store_true", help="do not make Zoho the station's backend")
    z.add_argument("--json", action="store_true", help="print JSON")
    z.set_defaults(handler=run, needs_demo=False)
    pc = backends.add_parser("packcloud", help="Pack.cloud: the organisation whose serial-number register to check")
    pc.add_argument("--organization-id", metavar="ID", help="the organisation's ID in Pack.cloud")
    pc.add_argument("--api-url", metavar="URL", help="API server override (proxies, tests); '' for api.pack.cloud")
    pc.add_argument("--requests-per-minute", type=float, metavar="N", help="this station's request budget (default 60)")
    pc.add_argument("--timeout", dest="timeout_seconds", type=float, metavar="SECONDS",
                    help="how long to wait for an answer (default 30)")
    pc.add_argument("--keep-backend", action="store_true", help="do not make Pack.cloud the station's serial register")
    pc.add_argument("--json", action="store_true", help="print JSON")
    pc.set_defaults(handler=run_packcloud, needs_demo=False)


def _given(args: argparse.Namespace, options: dict[str, str]) -> dict[str, Any]:
    """The options given on the command line (text stripped)."""
    given = {name: getattr(args, name) for name in options if getattr(args, name) is not None}
    return {k: v.strip() if isinstance(v, str) else v for k, v in given.items()}


def _save(station: Any, args: argparse.Namespace, **changes: Any) -> str | None:
    """Save the changed sections (and the backend kind unless --keep-backend); the
    backend kind now, or None when a value was refused (said on stderr)."""
    settings = station.settings
    backend = settings.backend if args.keep_backend else BackendSettings(kind=args.backend)
    try:
        station.update_settings(dataclasses.replace(settings, backend=backend, **changes))
    except ConfigError as exc:
        say(f"scanner-app configure {args.backend}: {exc} (nothing written)", file=sys.stderr)
        return None
    return str(backend.kind)


def _configured_words(station: Any, args: argparse.Namespace) -> str:
    """What the configured backend adds after "Backend: KIND." when it is now the station's
    (not after --keep-backend left another one)."""
    configured = backend_for(args.backend)
    return configured.configured_words if station.backend is configured else ""


def run(station: Any, args: argparse.Namespace) -> int:
    settings = station.settings
    zoho = dataclasses.replace(settings.zoho, **_given(args, _OPTIONS))
    missing = [_OPTIONS[name] for name in ("organization_id", "client_id") if not getattr(zoho, name)]
    if missing:
        say(f"scanner-app configure zoho: {' and '.join(missing)} needed (nothing written)", file=sys.stderr)
        return EXIT_USAGE
    kind = _save(station, args, zoho=zoho)
    if kind is None:
        return EXIT_USAGE
    saved = {"config_file": str(station.paths.config_file), "backend": kind,
             **{name: getattr(zoho, name) for name in _OPTIONS}}
    if args.json:
        print_json(saved)
        return EXIT_OK
    say(f"Saved [zoho] to {station.paths.config_file}: organisation {zoho.organization_id}, "
        f"data centre {zoho.data_center}, client id {zoho.client_id}"
        + (f", API {zoho.api_url}" if zoho.api_url else "")
        + (f", accounts {zoho.accounts_url}" if zoho.accounts_url else ""))
    say(f"Backend: {kind}." + _configured_words(station, args))
    say("Next: scanner-app login zoho (stores the client secret and refresh token in the keyring), "
        "then scanner-app sync")
    return EXIT_OK


def run_packcloud(station: Any, args: argparse.Namespace) -> int:
    packcloud = dataclasses.replace(station.settings.packcloud, **_given(args, _PACKCLOUD_OPTIONS))
    if not packcloud.organization_id:
        say("scanner-app configure packcloud: --organization-id needed (nothing written)", file=sys.stderr)
        return EXIT_USAGE
    kind = _save(station, args, packcloud=packcloud)
    if kind is None:
        return EXIT_USAGE
    if args.json:
        print_json({"config_file": str(station.paths.config_file), "backend": kind,
                    **{name: getattr(packcloud, name) for name in _PACKCLOUD_OPTIONS}})
        return EXIT_OK
    say(f"Saved [packcloud] to {station.paths.config_file}: organisation {packcloud.organization_id}"
        + (f", API {packcloud.api_url}" if packcloud.api_url else ""))
    say(f"Backend: {kind}." + _configured_words(station, args))
    say("Next: scanner-app login packcloud (stores the API token in the keyring), then import the "
        "product links (packcloud_products) with scanner-app import FILE, then map each Pack.cloud stock "
        "to its warehouse with scanner-app packcloud stock STOCK_ID --warehouse W")
    return EXIT_OK
