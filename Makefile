# Two commands on a fresh machine: `make run` (demo county on SQLite) and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
APP := $(BIN)/survey-app
HOST ?= 127.0.0.1
PORT ?= 5000
PYTEST_ARGS ?=

.PHONY: run test install install-test translations compile-translations check-translations \
        browser kannel lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e .
	@touch $@

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $@

install: $(VENV)/.installed compile-translations

install-test: $(VENV)/.installed-test compile-translations

compile-translations: $(VENV)/.installed
	$(APP) translations compile

translations: $(VENV)/.installed
	$(APP) translations update

check-translations: $(VENV)/.installed
	$(APP) translations check

## make run: install, migrate the SQLite database, load the demo county once, serve.
run: install
	$(APP) db upgrade
	$(APP) demo --if-empty
	$(APP) run --host $(HOST) --port $(PORT)

## make test: install the test extras and run the whole suite.
test: install-test
	$(BIN)/python -m pytest -n 2 $(PYTEST_ARGS)

## make browser: Debian's Chromium for the browser tests (needs root; CI does this).
browser:
	command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium)

## make kannel: Debian's Kannel and its fake SMSC for the SMS tests (needs root; CI does this).
kannel:
	test -x /usr/lib/kannel/test/fakesmsc || (apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq kannel kannel-extras)

bench: install-test
	@echo "See bench/README.md for the benchmark scripts."

clean:
	rm -rf $(VENV) instance .pytest_cache
