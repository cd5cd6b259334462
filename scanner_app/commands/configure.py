"""``scanner-app configure zoho --organization-id ID --data-center DC --client-id ID
[--api-url URL] [--accounts-url URL] [--requests-per-minute N] [--keep-backend] [--json]``.

Writes the non-secret Zoho values to ``[zoho]`` in config.toml (secrets: ``scanner-app
login zoho``) and, unless ``--keep-backend``, makes Zoho the station's backend
(``[backend] kind = "zoho"``). Values not given keep what config.toml has; a bad value
is named and nothing is written (exit 2).
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from typing import Any

from scanner_app.commands import EXIT_OK, EXIT_USAGE, print_json
from scanner_app.config import ZOHO_DATA_CENTERS, BackendSettings, ConfigError

_OPTIONS = {"organization_id": "--organization-id", "data_center": "--data-center", "client_id": "--client-id",
            "api_url": "--api-url", "accounts_url": "--accounts-url", "requests_per_minute": "--requests-per-minute"}


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


def run(station: Any, args: argparse.Namespace) -> int:
    settings = station.settings
    given = {name: getattr(args, name) for name in _OPTIONS if getattr(args, name) is not None}
    zoho = dataclasses.replace(settings.zoho, **{k: v.strip() if isinstance(v, str) else v for k, v in given.items()})
    missing = [_OPTIONS[name] for name in ("organization_id", "client_id") if not getattr(zoho, name)]
    if missing:
        print(f"scanner-app configure zoho: {' and '.join(missing)} needed (nothing written)", file=sys.stderr)
        return EXIT_USAGE
    backend = settings.backend if args.keep_backend else BackendSettings(kind="zoho")
    try:
        station.update_settings(dataclasses.replace(settings, zoho=zoho, backend=backend))
    except ConfigError as exc:
        print(f"scanner-app configure zoho: {exc} (nothing written)", file=sys.stderr)
        return EXIT_USAGE
    saved = {"config_file": str(station.paths.config_file), "backend": backend.kind,
             **{name: getattr(zoho, name) for name in _OPTIONS}}
    if args.json:
        print_json(saved)
        return EXIT_OK
    print(f"Saved [zoho] to {station.paths.config_file}: organisation {zoho.organization_id}, "
          f"data centre {zoho.data_center}, client id {zoho.client_id}"
          + (f", API {zoho.api_url}" if zoho.api_url else "") + (f", accounts {zoho.accounts_url}" if zoho.accounts_url else ""))
    print(f"Backend: {backend.kind}." + ("" if backend.kind != "zoho" else " Scans are answered from the local copy."))
    print("Next: scanner-app login zoho (stores the client secret and refresh token in the keyring), "
          "then scanner-app sync")
    return EXIT_OK
