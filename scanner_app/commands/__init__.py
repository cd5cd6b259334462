"""The subcommands of ``scanner-app``, one module each.

Each module has ``register(subparsers)`` (adds its parser and sets ``handler``) and its own
handler ``(station, args) -> exit code``. ``COMMANDS`` lists the modules in help order;
adding a subcommand is a new module here and one line in that list.
"""

from __future__ import annotations

import json
import sys
from typing import Any

# Exit codes (the README's table): 0 done; 1 not done (not found, refused, a bad file);
# 2 bad usage; 3 the station could not start (config.toml broken or unreadable, a database
# damaged, newer or held, the home folder denied or its disk full); 4 the environment failed
# during the work (a database damaged or held, a full disk, a denied permission: nothing
# half-written); 5 an unexpected error (a bug: the traceback is in the log file).
EXIT_OK, EXIT_NOT_DONE, EXIT_USAGE, EXIT_STARTUP, EXIT_FAULT, EXIT_UNEXPECTED = 0, 1, 2, 3, 4, 5


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
