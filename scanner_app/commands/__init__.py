"""The subcommands of ``scanner-app``, one module each.

Each module has ``register(subparsers)`` (adds its parser and sets ``handler``) and its own
handler ``(station, args) -> exit code``. ``COMMANDS`` lists the modules in help order;
adding a subcommand is a new module here and one line in that list.
"""

from __future__ import annotations

import json
import sys
from typing import Any

EXIT_OK, EXIT_NOT_DONE, EXIT_USAGE, EXIT_STARTUP = 0, 1, 2, 3


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
