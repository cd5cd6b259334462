"""Entry script of the frozen build: the same ``scanner-app`` command as the package's."""

import sys

from scanner_app.cli import main

if __name__ == "__main__":
    sys.exit(main())
