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

.PHONY: run test system-deps benchmarks benchmarks-quick install-desktop install-desktop-system package

run: system-deps $(STAMP)
	$(BIN)/scanner-app $(HOME_ARG)

test: system-deps $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest $(PYTEST_ARGS)

# Every benchmark judged against its targets: exit 1 when one is missed (README, Benchmarks).
# BENCHMARK_ARGS: e.g. "--target cold_start.median_s=2", or "lookup_latency -- --items 1000".
benchmarks: system-deps $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python benchmarks/run_all.py $(BENCHMARK_ARGS)

# Every benchmark at small sizes: the code paths and their checks, no target judged.
benchmarks-quick: system-deps $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python benchmarks/run_all.py --quick $(BENCHMARK_ARGS)

# Mutation testing of the core rules (mutmut; what and why in docs/testing.md): a fresh
# run of every mutant in [tool.mutmut]'s modules, then the kill rate per module (mutmut's
# own output goes to mutants/run.log). MUTANTS re-runs only some, keeping the other
# results (fnmatch on mutant names), e.g. MUTANTS='scanner_app.codes.*';
# `make mutation-report` prints the last run's rates again (with the survivors' names).
MUTANTS ?=
MUTATION_STAMP := $(VENV)/.mutation-installed

mutation: system-deps $(STAMP) $(MUTATION_STAMP)
	$(if $(MUTANTS),,rm -rf mutants)
	mkdir -p mutants
	HYPOTHESIS_PROFILE=ci QT_QPA_PLATFORM=offscreen $(BIN)/mutmut run --max-children 2 $(MUTANTS) \
		> mutants/run.log 2>&1 || { tr '\r' '\n' < mutants/run.log | tail -n 40; exit 1; }
	@tr '\r' '\n' < mutants/run.log | grep -E 'mutations/second' | tail -n 1 || true
	$(BIN)/python tools/mutation_report.py

mutation-report:
	$(BIN)/python tools/mutation_report.py --survivors

$(MUTATION_STAMP): pyproject.toml $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,mutation]'
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
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)
