"""``python -m scanner_app``: the same entry point as the ``scanner-app`` command."""

import sys

from scanner_app.cli import main

if __name__ == "__main__":
    sys.exit(main())
