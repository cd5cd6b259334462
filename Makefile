# Two commands set everything up on a fresh Debian machine (root, Python 3.11+):
#   make run    start the station (embedded inventory, demo catalogue on first run)
#   make test   run the whole test suite
# Both install what they need: Debian's system libraries (through apt-get, when on
# Debian and something is missing) and a .venv with the package and its dependencies.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOME_ARG := $(if $(SCANNER_APP_HOME),--home $(SCANNER_APP_HOME),)

.PHONY: run test system-deps benchmarks install-desktop install-desktop-system package

run: system-deps $(STAMP)
	$(BIN)/scanner-app $(HOME_ARG)

test: system-deps $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest $(PYTEST_ARGS)

benchmarks: system-deps $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python benchmarks/run_all.py

# A frozen one-folder build (PyInstaller) in build/dist/scanner-app, then its smoke test.
package: system-deps $(STAMP)
	$(BIN)/python -m pip install --quiet "pyinstaller>=6.10,<7"
	$(BIN)/pyinstaller --noconfirm --log-level WARN --distpath build/dist --workpath build/work packaging/scanner-app.spec
	QT_QPA_PLATFORM=offscreen $(BIN)/python packaging/smoke.py build/dist/scanner-app

# Desktop integration (launcher, icons, AppStream metainfo): per user, or system-wide.
install-desktop: $(STAMP)
	sh packaging/install-desktop.sh

install-desktop-system: $(STAMP)
	sh packaging/install-desktop.sh --system

system-deps:
	@sh packaging/install-system-deps.sh

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)
