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

.PHONY: run test lint system-deps benchmarks benchmarks-quick install-desktop install-desktop-system package

run: system-deps $(STAMP)
	$(BIN)/scanner-app $(HOME_ARG)

test: system-deps $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest $(PYTEST_ARGS)

# Static checks (CI runs them beside the tests): ruff, mypy on the package, and the layer
# contracts of pyproject.toml's [tool.importlinter]. Each fails the target when it finds anything.
lint: system-deps $(STAMP)
	$(BIN)/ruff check scanner_app tests benchmarks tools
	$(BIN)/mypy scanner_app
	$(BIN)/lint-imports --no-cache --no-logo

# Every benchmark judged against its targets: exit 1 when one is missed (README, Benchmarks).
# BENCHMARK_ARGS: e.g. "--target cold_start.median_s=2", or "lookup_latency -- --items 1000".
benchmarks: system-deps $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python benchmarks/run_all.py $(BENCHMARK_ARGS)

# Every benchmark at small sizes: the code paths and their checks, no target judged.
benchmarks-quick: system-deps $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python benchmarks/run_all.py --quick $(BENCHMARK_ARGS)

# Mutation testing of the core rules (mutmut; what, why and how in docs/testing.md): each
# area of [tool.scanner_app.mutation] afresh in build/mutation/AREA/ (tools/mutation_run.py),
# then the kill rate per module. AREAS runs some only, e.g. AREAS="codes wedge" (the
# others' last results stay); `make mutation-report` prints the last rates with survivors.
AREAS ?=
MUTATION_STAMP := $(VENV)/.mutation-installed

mutation: system-deps $(STAMP) $(MUTATION_STAMP)
	$(BIN)/python tools/mutation_run.py $(AREAS)
	$(BIN)/python tools/mutation_report.py

mutation-report:
	$(BIN)/python tools/mutation_report.py --survivors

$(MUTATION_STAMP): pyproject.toml $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,lint,mutation]'
	touch $(MUTATION_STAMP)

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
	$(BIN)/python -m pip install --quiet -e '.[test,lint]'
	touch $(STAMP)
