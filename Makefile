# Harbour: the two commands are `make demo` and `make test`.
SHELL := /bin/bash
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: demo test setup assets lint typecheck test-sqlite test-postgres browsers pdf-libs redis serve clean

$(STAMP): pyproject.toml
	@command -v $(PY) >/dev/null || { echo "Python 3.11 is needed ($(PY) not found)"; exit 1; }
	test -d $(VENV) || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip==26.3
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

setup: $(STAMP) assets pdf-libs redis

NODE_STAMP := frontend/node_modules/.harbour-installed

$(NODE_STAMP): frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

assets: $(NODE_STAMP)
	cd frontend && npm run --silent build

## Set up everything, load demo data and run Harbour on http://127.0.0.1:8000
demo: setup
	$(BIN)/harbour demo
	$(BIN)/harbour serve --bind 127.0.0.1:8000

## Set up everything the tests need (Chromium included) and run the whole suite:
## lint, types, migrations, the suite on SQLite (browser tests included), then on PostgreSQL.
test: setup browsers lint typecheck test-sqlite test-postgres

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks tools
	$(BIN)/ruff format --check src tests benchmarks tools
	$(BIN)/python tools/custom_check.py

# Settings are imported by mypy's Django plugin and by makemigrations: give them a scratch data dir.
typecheck: $(STAMP)
	HARBOUR_ENV=test HARBOUR_DATA_DIR=$$(mktemp -d) $(BIN)/mypy
	HARBOUR_ENV=test HARBOUR_DATA_DIR=$$(mktemp -d) $(BIN)/harbour makemigrations --check --dry-run

test-sqlite: setup browsers
	$(BIN)/pytest -n 2

# A throwaway PostgreSQL 15 cluster (scripts/with-postgres); browser tests ran on SQLite above.
test-postgres: setup
	scripts/with-postgres $(BIN)/pytest -n 2 -m "not browser"

browsers:
	@command -v chromium >/dev/null || { \
	  echo "Installing Debian's chromium for browser tests"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium >/dev/null; }

# WeasyPrint (evidence bundle PDFs) needs Debian's Pango and HarfBuzz libraries; fonts for the PDF
# are DejaVu. Installed with apt the way `browsers` installs chromium; poppler-utils for the tests
# that read the PDF back (pdftotext, pdfinfo).
pdf-libs:
	@{ ldconfig -p | grep -q libpangoft2-1.0.so.0 && ldconfig -p | grep -q libharfbuzz-subset.so.0 \
	  && command -v pdftotext >/dev/null && fc-list | grep -qi "DejaVu Sans"; } || { \
	  echo "Installing Debian's Pango, HarfBuzz, DejaVu fonts and poppler-utils for PDF bundles"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 \
	    libharfbuzz-subset0 fonts-dejavu-core poppler-utils >/dev/null; }

# Live chat across several servers can use Redis as its bus (HARBOUR_CHAT_REDIS_URL); the tests start
# a private redis-server on a free loopback port (tests/chat/test_several_processes.py), never a
# system service the package may start.
redis:
	@command -v redis-server >/dev/null || { \
	  echo "Installing Debian's redis-server for the live chat's Redis bus tests"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq redis-server >/dev/null; }

clean:
	rm -rf $(VENV) frontend/node_modules src/harbour/static/harbour/*.css src/harbour/static/harbour/*.js
